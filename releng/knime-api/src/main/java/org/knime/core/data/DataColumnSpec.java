package org.knime.core.data;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public final class DataColumnSpec {

    private DataColumnSpec() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public String getName() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public DataType getType() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public DataColumnDomain getDomain() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }
}
