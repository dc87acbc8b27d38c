package org.knime.core.node.port;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public final class PortType {

    public static final int DEFAULT_COLOR = 0xff9b9b9b;

    @Deprecated
    public PortType(Class<? extends PortObject> objectClass, boolean isOptional) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    @Deprecated
    public PortType(Class<? extends PortObject> objectClass) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public String getName() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public Class<? extends PortObject> getPortObjectClass() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public Class<? extends PortObjectSpec> getPortObjectSpecClass() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public boolean isOptional() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }
}
