package org.volseg.core.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A volume file that cannot be read or written as asked. The message is one sentence naming the file, the field
 * and what was expected, fit to show a user as it is.
 */
public class VolumeFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String field;

    public VolumeFormatException(Path file, String field, String problem) {
        this(file, field, problem, null);
    }

    public VolumeFormatException(Path file, String field, String problem, Throwable cause) {
        super(file.getFileName() + ": " + field + ": " + problem, cause);
        this.file = file;
        this.field = field;
    }

    /** The file at fault. */
    public Path file() {
        return file;
    }

    /** The header field or part of the file at fault (e.g. "dim[1]", "vox_offset", "data", "gzip"). */
    public String field() {
        return field;
    }
}
