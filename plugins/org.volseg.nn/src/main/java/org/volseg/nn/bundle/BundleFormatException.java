package org.volseg.nn.bundle;

import java.nio.file.Path;
import org.volseg.core.io.VolumeFormatException;

/** A model bundle that cannot be read: the message names the file, the part, and what was expected. */
public class BundleFormatException extends VolumeFormatException {

    private static final long serialVersionUID = 1L;

    public BundleFormatException(Path file, String field, String problem) {
        super(file, field, problem);
    }

    public BundleFormatException(Path file, String field, String problem, Throwable cause) {
        super(file, field, problem, cause);
    }
}
