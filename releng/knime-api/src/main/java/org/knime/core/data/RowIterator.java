package org.knime.core.data;

import java.util.Iterator;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public abstract class RowIterator implements Iterator<DataRow> {

    protected RowIterator() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }
}
