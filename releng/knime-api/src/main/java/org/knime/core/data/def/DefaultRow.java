package org.knime.core.data.def;

import java.util.Iterator;
import java.util.List;

import org.knime.core.data.DataCell;
import org.knime.core.data.DataRow;
import org.knime.core.data.RowKey;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public class DefaultRow implements DataRow {

    public DefaultRow(RowKey rowKey, DataCell... row) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public DefaultRow(String rowId, DataCell... row) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public DefaultRow(RowKey rowKey, List<DataCell> row) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public DefaultRow(String rowId, List<DataCell> row) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public DefaultRow(RowKey rowKey, double... row) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public DefaultRow(String rowId, double... row) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public DefaultRow(RowKey rowKey, int... row) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public DefaultRow(String rowId, int... row) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public DefaultRow(RowKey rowKey, String... row) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public DefaultRow(String rowId, String... row) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public DefaultRow(RowKey rowKey, DataRow row) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public DefaultRow(String rowId, DataRow row) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    @Override
    public int getNumCells() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    @Override
    public RowKey getKey() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    @Override
    public DataCell getCell(int index) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    @Override
    public Iterator<DataCell> iterator() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }
}
