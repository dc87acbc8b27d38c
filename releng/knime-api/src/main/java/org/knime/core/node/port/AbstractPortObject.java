package org.knime.core.node.port;

import java.io.IOException;

import org.knime.core.node.CanceledExecutionException;
import org.knime.core.node.ExecutionMonitor;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public abstract class AbstractPortObject implements PortObject {

    public static abstract class AbstractPortObjectSerializer<T extends AbstractPortObject>
        extends PortObjectSerializer<T> {

        protected AbstractPortObjectSerializer() {
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

    public AbstractPortObject() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    protected abstract void save(PortObjectZipOutputStream out, ExecutionMonitor exec)
        throws IOException, CanceledExecutionException;

    protected abstract void load(PortObjectZipInputStream in, PortObjectSpec spec, ExecutionMonitor exec)
        throws IOException, CanceledExecutionException;
}
