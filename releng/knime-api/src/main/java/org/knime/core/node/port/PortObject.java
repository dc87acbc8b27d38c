package org.knime.core.node.port;

import java.io.IOException;

import javax.swing.JComponent;

import org.knime.core.node.CanceledExecutionException;
import org.knime.core.node.ExecutionMonitor;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public interface PortObject {

    public static final PortType TYPE = null;

    public static final PortType TYPE_OPTIONAL = null;

    String getSummary();

    PortObjectSpec getSpec();

    public JComponent[] getViews();

    abstract static class PortObjectSerializer<T extends PortObject> {

        protected PortObjectSerializer() {
            throw new UnsupportedOperationException("KNIME API stand-in: compile only");
        }

        public abstract void savePortObject(T portObject, PortObjectZipOutputStream out, ExecutionMonitor exec)
            throws IOException, CanceledExecutionException;

        public abstract T loadPortObject(PortObjectZipInputStream in, PortObjectSpec spec, ExecutionMonitor exec)
            throws IOException, CanceledExecutionException;
    }
}
