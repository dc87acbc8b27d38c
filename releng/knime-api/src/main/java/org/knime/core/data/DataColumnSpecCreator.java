package org.knime.core.data;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public final class DataColumnSpecCreator {

    public DataColumnSpecCreator(String name, DataType type) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public DataColumnSpecCreator(DataColumnSpec cspec) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public void setName(String name) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public void setType(DataType type) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public void setDomain(DataColumnDomain domain) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public DataColumnSpec createSpec() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }
}
