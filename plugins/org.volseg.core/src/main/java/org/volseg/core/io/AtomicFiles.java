package org.volseg.core.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Every output file is written under a temporary name beside its target, flushed to the disk (fsync), and moved
 * into place only when complete, the folder flushed after the move: a crash, a power cut, a cancel or bad input
 * never leaves a half-written file under the real name.
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
            for (Path temporary : temporaries) {
                try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                    channel.force(true);
                }
            }
            for (int i = 0; i < targets.length; i++) {
                move(temporaries[i], targets[i].toAbsolutePath());
            }
            syncFolder(targets[0].toAbsolutePath().getParent());
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

    /** Makes a rename in {@code folder} durable; where folders cannot be opened (Windows) the rename stands as is. */
    private static void syncFolder(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            // not supported here: the file itself is on disk, only its name may need the file system's own flush
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
