package org.knime.core.data.image.png;

import org.knime.core.data.DataCell;
import org.knime.core.data.DataType;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public class PNGImageContent {

    public static final DataType TYPE = null;

    public PNGImageContent(byte[] imageBytes) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public DataCell toImageCell() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }
}
