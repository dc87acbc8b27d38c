package org.knime.core.data;

import java.util.Iterator;

import javax.swing.JComponent;

import org.knime.core.node.port.PortObjectSpec;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public final class DataTableSpec implements PortObjectSpec, Iterable<DataColumnSpec> {

    public DataTableSpec() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public DataTableSpec(DataColumnSpec... colSpecs) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public DataTableSpec(String name, DataColumnSpec... colSpecs) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public DataTableSpec(DataTableSpec spec1, DataTableSpec spec2) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public DataTableSpec(String[] names, DataType[] types) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public int getNumColumns() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public DataColumnSpec getColumnSpec(int index) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public DataColumnSpec getColumnSpec(String column) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public int findColumnIndex(String columnName) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public boolean containsName(String columnName) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public final String[] getColumnNames() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public static DataTableSpec mergeDataTableSpecs(DataTableSpec... specs) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public static String getUniqueColumnName(DataTableSpec spec, String columnName) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    @Override
    public Iterator<DataColumnSpec> iterator() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    @Override
    public JComponent[] getViews() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }
}
