package org.knime.core.data;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public final class DataType {

    private DataType() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public static DataType getType(Class<? extends DataCell> cell) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public static DataCell getMissingCell() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public boolean isCompatible(Class<? extends DataValue> valueClass) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }
}
