package org.volseg.nn.bundle;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.volseg.core.io.VolumeFormatException;

/**
 * Reads the named entries of an untrusted zip (a model bundle, a training checkpoint): entries are read by their
 * exact names only (nothing is ever extracted to a path, so "../x" names are harmless), each bounded in size
 * before it is held. Broken zips surface as ZipException, EOFException or IllegalArgumentException (names that
 * are not UTF-8), for the caller to name its own file kind.
 */
public final class BoundedZip {

    /** Makes the caller's exception for a refused entry (its file kind's own exception type). */
    @FunctionalInterface
    public interface Refusal {
        VolumeFormatException of(Path file, String field, String problem);
    }

    /** The first bytes of a zip: "PK\3\4" (an entry), or "PK\5\6" (the end record of an archive without any). */
    private static final int LOCAL_HEADER = 0x504B0304;
    private static final int EMPTY_ARCHIVE = 0x504B0506;

    private BoundedZip() {
    }

    /**
     * The bytes of each entry named in {@code limits} that the zip holds (others are skipped); an entry larger than
     * its limit is refused.
     *
     * @param kind    what the file is, for the message ("bundle", "training checkpoint")
     * @param refusal the exception for a file that is no zip or an entry over its limit
     */
    public static Map<String, byte[]> read(Path file, Map<String, Long> limits, String kind, Refusal refusal)
            throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            // ZipInputStream reads anything else as a zip without entries: "manifest.json is missing" would mislead
            raw.mark(4);
            int signature = ByteBuffer.wrap(java.util.Arrays.copyOf(raw.readNBytes(4), 4)).getInt();
            if (signature != LOCAL_HEADER && signature != EMPTY_ARCHIVE) {
                throw refusal.of(file, "file", "is not a zip file, so not a VolSeg " + kind);
            }
            raw.reset();
            Map<String, byte[]> found = new HashMap<>();
            try (ZipInputStream zip = new ZipInputStream(raw)) {
                for (ZipEntry entry; (entry = zip.getNextEntry()) != null;) {
                    Long limit = limits.get(entry.getName());
                    if (limit != null) {
                        found.put(entry.getName(), bounded(file, zip, entry.getName(), limit, kind, refusal));
                    }
                }
            }
            return found;
        }
    }

    private static byte[] bounded(Path file, InputStream in, String entry, long limit, String kind,
            Refusal refusal) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[1 << 16];
        long total = 0;
        for (int n; (n = in.read(buffer)) > 0;) {
            total += n;
            if (total > limit) {
                throw refusal.of(file, entry, "is larger than the " + limit + " bytes a " + kind
                        + "'s " + entry + " may have");
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }
}
