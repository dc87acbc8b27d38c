package org.knime.core.node.port;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public final class PortTypeRegistry {

    private PortTypeRegistry() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public static PortTypeRegistry getInstance() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public synchronized PortType getPortType(Class<? extends PortObject> portClass) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public synchronized PortType getPortType(Class<? extends PortObject> portClass, boolean isOptional) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }
}
