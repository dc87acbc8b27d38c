package org.knime.core.node;

import java.io.IOException;

import org.knime.core.data.DataTable;
import org.knime.core.data.DataTableSpec;
import org.knime.core.data.filestore.FileStore;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public class ExecutionContext extends ExecutionMonitor {

    ExecutionContext() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public BufferedDataContainer createDataContainer(DataTableSpec spec) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public BufferedDataContainer createDataContainer(DataTableSpec spec, boolean initDomain) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public BufferedDataTable createBufferedDataTable(DataTable table, ExecutionMonitor subProgressMon)
        throws CanceledExecutionException {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public BufferedDataTable createSpecReplacerTable(BufferedDataTable in, DataTableSpec newSpec) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public BufferedDataTable createConcatenateTable(ExecutionMonitor exec, BufferedDataTable... tables)
        throws CanceledExecutionException {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public ExecutionContext createSubExecutionContext(double maxProg) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public ExecutionContext createSilentSubExecutionContext(double maxProg) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public FileStore createFileStore(String relativePath) throws IOException {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }
}
