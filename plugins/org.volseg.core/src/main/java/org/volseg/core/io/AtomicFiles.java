package org.volseg.core.io;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/**
 * Every output file is written under a temporary name beside its target and moved into place only when complete,
 * so that a crash, a cancel or bad input never leaves a half-written file under the real name.
 */
public final class AtomicFiles {

    /** Writes one file given its (temporary) path. */
    @FunctionalInterface
    public interface Writer {
        void write(Path temporary) throws IOException;
    }

    private AtomicFiles() {
    }

    /** Writes {@code target} through a temporary sibling, replacing any existing file at the end. */
    public static void write(Path target, Writer writer) throws IOException {
        write(new Path[] {target}, temporaries -> writer.write(temporaries[0]));
    }

    /** Several files that belong together (a .hdr/.img pair): all are moved only when all are written. */
    public static void write(Path[] targets, MultiWriter writer) throws IOException {
        Path[] temporaries = new Path[targets.length];
        for (int i = 0; i < targets.length; i++) {
            Path target = targets[i].toAbsolutePath();
            Files.createDirectories(target.getParent());
            temporaries[i] = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".part");
        }
        try {
            writer.write(temporaries);
            for (int i = 0; i < targets.length; i++) {
                move(temporaries[i], targets[i].toAbsolutePath());
            }
        } finally {
            for (Path temporary : temporaries) {
                Files.deleteIfExists(temporary);
            }
        }
    }

    /** Writes several files given their temporary paths. */
    @FunctionalInterface
    public interface MultiWriter {
        void write(Path[] temporaries) throws IOException;
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
