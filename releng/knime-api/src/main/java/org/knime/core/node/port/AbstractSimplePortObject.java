package org.knime.core.node.port;

import java.io.IOException;

import javax.swing.JComponent;

import org.knime.core.node.CanceledExecutionException;
import org.knime.core.node.ExecutionMonitor;
import org.knime.core.node.InvalidSettingsException;
import org.knime.core.node.ModelContentRO;
import org.knime.core.node.ModelContentWO;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public abstract class AbstractSimplePortObject implements PortObject {

    public static abstract class AbstractSimplePortObjectSerializer<T extends AbstractSimplePortObject>
        extends PortObjectSerializer<T> {

        protected AbstractSimplePortObjectSerializer() {
            throw new UnsupportedOperationException("KNIME API stand-in: compile only");
        }

        @Override
        public void savePortObject(T portObject, PortObjectZipOutputStream out, ExecutionMonitor exec)
            throws IOException, CanceledExecutionException {
            throw new UnsupportedOperationException("KNIME API stand-in: compile only");
        }

        @Override
        public T loadPortObject(PortObjectZipInputStream in, PortObjectSpec spec, ExecutionMonitor exec)
            throws IOException, CanceledExecutionException {
            throw new UnsupportedOperationException("KNIME API stand-in: compile only");
        }
    }

    public AbstractSimplePortObject() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    protected abstract void save(ModelContentWO model, ExecutionMonitor exec) throws CanceledExecutionException;

    protected abstract void load(ModelContentRO model, PortObjectSpec spec, ExecutionMonitor exec)
        throws InvalidSettingsException, CanceledExecutionException;

    @Override
    public JComponent[] getViews() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    @Override
    public boolean equals(Object obj) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    @Override
    public int hashCode() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }
}
