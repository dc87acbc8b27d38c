package org.knime.core.node.port;

import java.io.IOException;

import org.knime.core.node.InvalidSettingsException;
import org.knime.core.node.ModelContentRO;
import org.knime.core.node.ModelContentWO;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public abstract class AbstractSimplePortObjectSpec implements PortObjectSpec {

    public static abstract class AbstractSimplePortObjectSpecSerializer<T extends AbstractSimplePortObjectSpec>
        extends PortObjectSpecSerializer<T> {

        protected AbstractSimplePortObjectSpecSerializer() {
            throw new UnsupportedOperationException("KNIME API stand-in: compile only");
        }

        @Override
        public void savePortObjectSpec(T portObjectSpec, PortObjectSpecZipOutputStream out) throws IOException {
            throw new UnsupportedOperationException("KNIME API stand-in: compile only");
        }

        @Override
        public T loadPortObjectSpec(PortObjectSpecZipInputStream in) throws IOException {
            throw new UnsupportedOperationException("KNIME API stand-in: compile only");
        }
    }

    public AbstractSimplePortObjectSpec() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    protected abstract void save(ModelContentWO model);

    protected abstract void load(ModelContentRO model) throws InvalidSettingsException;
}
