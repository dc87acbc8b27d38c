package org.knime.core.data;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public final class MissingCell extends DataCell implements MissingValue {

    public MissingCell(String error) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    @Override
    public String toString() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    @Override
    protected boolean equalsDataCell(DataCell dc) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    @Override
    public int hashCode() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }
}
