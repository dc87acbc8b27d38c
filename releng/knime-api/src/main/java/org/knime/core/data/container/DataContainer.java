package org.knime.core.data.container;

import org.knime.core.data.DataRow;
import org.knime.core.data.DataTableSpec;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public class DataContainer implements RowAppender, RowFlushable {

    protected DataContainer(DataTableSpec spec) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    @Override
    public void addRowToTable(DataRow row) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public void close() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public boolean isClosed() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public boolean isOpen() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public long size() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public DataTableSpec getTableSpec() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public void dispose() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }
}
