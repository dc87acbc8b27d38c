package org.volseg.core.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.volseg.core.io.VolumeFormatException;

/**
 * Hostile CSV manifests and Decathlon dataset.json files: only a DatasetFormatException (or the
 * VolumeFormatException of a named image) may escape, naming the file. Regression inputs in CI;
 * {@code JAZZER_FUZZ=1} searches for new ones.
 */
class ManifestFuzzTest {

    private static final Path DIR;

    static {
        try {
            DIR = Files.createTempDirectory("volseg-manifest-fuzz");
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @FuzzTest(maxDuration = "60s")
    void csvManifest(byte[] bytes) throws IOException {
        Path file = Files.write(DIR.resolve("cases.csv"), bytes);
        try {
            DatasetReaders.csv(file);
        } catch (VolumeFormatException expected) {
            requireNamed(expected);
        }
    }

    @FuzzTest(maxDuration = "60s")
    void decathlonJson(byte[] bytes) throws IOException {
        Path file = Files.write(DIR.resolve("dataset.json"), bytes);
        try {
            DatasetReaders.msd(file);
        } catch (VolumeFormatException expected) {
            requireNamed(expected);
        }
    }

    private static void requireNamed(VolumeFormatException e) {
        if (e.field() == null || e.getMessage() == null || !e.getMessage().contains(": ")) {
            throw new AssertionError("a refusal must name the file and the field: " + e.getMessage());
        }
    }
}
