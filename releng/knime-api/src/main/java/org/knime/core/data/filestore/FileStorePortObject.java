package org.knime.core.data.filestore;

import java.io.IOException;
import java.util.List;

import org.knime.core.node.port.PortObject;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public abstract class FileStorePortObject implements PortObject {

    protected FileStorePortObject(List<FileStore> fileStores) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    protected FileStorePortObject() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    protected void postConstruct() throws IOException {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    protected void flushToFileStore() throws IOException {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    protected int getFileStoreCount() {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }

    protected FileStore getFileStore(int index) {
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }
}
