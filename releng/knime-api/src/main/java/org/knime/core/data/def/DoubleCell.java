package org.knime.core.data.def;

import org.knime.core.data.BoundedValue;
import org.knime.core.data.ComplexNumberValue;
import org.knime.core.data.DataCell;
import org.knime.core.data.DataType;
import org.knime.core.data.DoubleValue;
import org.knime.core.data.FuzzyIntervalValue;
import org.knime.core.data.FuzzyNumberValue;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public final class DoubleCell extends DataCell
    implements DoubleValue, ComplexNumberValue, FuzzyNumberValue, FuzzyIntervalValue, BoundedValue {

    public static final DataType TYPE = null;

    public DoubleCell(double d) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    @Override
    public double getDoubleValue() {
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
