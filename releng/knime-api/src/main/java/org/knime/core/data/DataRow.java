package org.knime.core.data;

import java.util.stream.Stream;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public interface DataRow extends Iterable<DataCell> {

    int getNumCells();

    RowKey getKey();

    DataCell getCell(int index);

    default Stream<DataCell> stream() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }
}
