package org.volseg.core.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Hostile bytes into the NIfTI reader: the only exception that may escape is VolumeFormatException (with file and
 * field), never an OutOfMemoryError, an index or arithmetic error, or a hang. Run as a regression test over the
 * saved inputs in CI; {@code JAZZER_FUZZ=1 ./mvnw test -pl plugins/org.volseg.core -Dtest=NiftiFuzzTest} searches
 * for new ones (each crash it finds becomes an input in NiftiFuzzTestInputs/).
 */
class NiftiFuzzTest {

    private static final Path DIR;

    static {
        try {
            DIR = Files.createTempDirectory("volseg-fuzz");
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @FuzzTest(maxDuration = "60s")
    void singleFile(byte[] bytes) throws IOException {
        read(DIR.resolve("input.nii"), bytes);
    }

    private static void read(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes);
        try {
            NiftiReader.read(file);
        } catch (VolumeFormatException expected) {
            if (expected.field() == null || !expected.getMessage().startsWith(file.getFileName().toString())) {
                throw new AssertionError("a refusal must name the file and the field: " + expected.getMessage());
            }
        }
    }
}
