package org.volseg.core.data;

import java.nio.file.Path;
import org.volseg.core.io.VolumeFormatException;

/** A dataset manifest (CSV, dataset.json) or folder that cannot be used; the message names file and field. */
public class DatasetFormatException extends VolumeFormatException {

    private static final long serialVersionUID = 1L;

    public DatasetFormatException(Path file, String field, String problem) {
        super(file, field, problem);
    }

    public DatasetFormatException(Path file, String field, String problem, Throwable cause) {
        super(file, field, problem, cause);
    }
}
