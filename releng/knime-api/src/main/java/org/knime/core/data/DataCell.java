package org.knime.core.data;

import java.io.Serializable;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public abstract class DataCell implements DataValue, Serializable {

    protected DataCell() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public final DataType getType() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public boolean isMissing() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    @Override
    public abstract String toString();

    @Override
    public final boolean equals(Object o) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    protected abstract boolean equalsDataCell(DataCell dc);

    @Override
    public abstract int hashCode();
}
