package org.knime.core.data.def;

import org.knime.core.data.DataCell;
import org.knime.core.data.DataType;
import org.knime.core.data.NominalValue;
import org.knime.core.data.StringValue;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public final class StringCell extends DataCell implements StringValue, NominalValue {

    public static final DataType TYPE = null;

    public StringCell(String str) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    @Override
    public String getStringValue() {
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
