package org.knime.core.data;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public final class RowKey implements RowKeyValue {

    public RowKey(String id) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    @Override
    public String getString() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public static RowKey createRowKey(long rowIndex) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public static RowKey createRowKey(int rowIndex) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }
}
