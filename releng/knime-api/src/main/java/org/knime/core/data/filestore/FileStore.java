package org.knime.core.data.filestore;

import java.io.File;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public final class FileStore {

    private FileStore() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    public File getFile() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }
}
