package org.knime.core.node.port;

import java.io.IOException;

import javax.swing.JComponent;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public interface PortObjectSpec {

    public JComponent[] getViews();

    abstract static class PortObjectSpecSerializer<T extends PortObjectSpec> {

        protected PortObjectSpecSerializer() {
            throw new UnsupportedOperationException("KNIME API stand-in: compile only");
        }

        public abstract void savePortObjectSpec(T portObjectSpec, PortObjectSpecZipOutputStream out)
            throws IOException;

        public abstract T loadPortObjectSpec(PortObjectSpecZipInputStream in) throws IOException;
    }
}
