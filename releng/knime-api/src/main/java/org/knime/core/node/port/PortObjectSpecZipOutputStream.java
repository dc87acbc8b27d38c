package org.knime.core.node.port;

import java.io.OutputStream;
import java.util.zip.ZipOutputStream;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public class PortObjectSpecZipOutputStream extends ZipOutputStream {

    public PortObjectSpecZipOutputStream(OutputStream out) {
        super(out);
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }
}
