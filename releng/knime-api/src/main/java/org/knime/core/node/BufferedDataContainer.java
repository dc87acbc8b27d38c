package org.knime.core.node;

import org.knime.core.data.DataTableSpec;
import org.knime.core.data.container.DataContainer;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public class BufferedDataContainer extends DataContainer {

    BufferedDataContainer(DataTableSpec spec) {
        super(spec);
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public BufferedDataTable getTable() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }
}
