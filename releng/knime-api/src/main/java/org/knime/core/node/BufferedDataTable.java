package org.knime.core.node;

import javax.swing.JComponent;

import org.knime.core.data.DataTable;
import org.knime.core.data.DataTableSpec;
import org.knime.core.data.container.CloseableRowIterator;
import org.knime.core.node.port.PortObject;
import org.knime.core.node.port.PortType;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public final class BufferedDataTable implements DataTable, PortObject {

    public static final PortType TYPE = null;

    public static final PortType TYPE_OPTIONAL = null;

    private BufferedDataTable() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    @Override
    public DataTableSpec getDataTableSpec() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    @Override
    public DataTableSpec getSpec() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    @Override
    public CloseableRowIterator iterator() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public long size() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    @Deprecated
    public int getRowCount() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    @Override
    public String getSummary() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    @Override
    public JComponent[] getViews() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }
}
