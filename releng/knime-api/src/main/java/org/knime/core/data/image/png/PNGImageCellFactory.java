package org.knime.core.data.image.png;

import java.io.IOException;
import java.io.InputStream;

import org.knime.core.data.DataCell;
import org.knime.core.data.DataType;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public class PNGImageCellFactory {

    public static final DataType TYPE = null;

    private PNGImageCellFactory() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public static DataCell create(byte[] contents) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public static DataCell create(InputStream is) throws IOException {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }
}
