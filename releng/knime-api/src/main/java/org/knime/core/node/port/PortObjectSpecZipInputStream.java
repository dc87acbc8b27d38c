package org.knime.core.node.port;

import java.io.InputStream;
import java.util.zip.ZipInputStream;

/** Compile-only stand-in of the KNIME 5.1 API, written from its published signatures. */
public class PortObjectSpecZipInputStream extends ZipInputStream {

    public PortObjectSpecZipInputStream(InputStream in) {
        super(in);
        throw new UnsupportedOperationException("KNIME API stand-in: compile only");
    }
}
