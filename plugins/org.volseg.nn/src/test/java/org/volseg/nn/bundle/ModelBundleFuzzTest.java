package org.volseg.nn.bundle;

import ai.djl.ndarray.NDManager;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.volseg.nn.engine.DjlContext;

/**
 * Hostile model bundles (a colleague's file, a download): only a BundleFormatException may escape, and nothing is
 * ever written outside the bundle. Regression inputs in CI; {@code JAZZER_FUZZ=1} searches for new ones.
 */
class ModelBundleFuzzTest {

    private static final Path DIR;

    static {
        try {
            DIR = Files.createTempDirectory("volseg-bundle-fuzz");
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @FuzzTest(maxDuration = "60s")
    void bundle(byte[] bytes) throws IOException {
        Path file = Files.write(DIR.resolve("model.volseg"), bytes);
        DjlContext.call(() -> {
            try (NDManager manager = NDManager.newBaseManager()) {
                ModelBundle.read(file, manager);
            } catch (BundleFormatException expected) {
                // refused in one sentence: what hostile input must get
            } catch (IOException e) {
                throw new AssertionError("only BundleFormatException may escape, got " + e, e);
            }
            return null;
        });
    }
}
