package org.knime.core.data.container;

import java.io.Closeable;

import org.knime.core.data.RowIterator;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public abstract class CloseableRowIterator extends RowIterator implements Closeable {

    protected CloseableRowIterator() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    @Override
    public abstract void close();
}
