package org.knime.core.data;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public final class DataColumnDomain {

    private DataColumnDomain() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }
}
