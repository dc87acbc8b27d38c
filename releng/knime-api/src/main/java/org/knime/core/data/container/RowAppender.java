package org.knime.core.data.container;

import org.knime.core.data.DataRow;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public interface RowAppender {

    void addRowToTable(DataRow row);
}
