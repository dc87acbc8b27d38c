package org.volseg.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * DJL is embedded in org.volseg.nn and not exported: in KNIME (OSGi) this bundle cannot see it, so a DJL type here
 * would compile and pass every plain-Java test, then fail with NoClassDefFoundError inside KNIME.
 */
class BundleBoundariesTest {

    @Test
    void theOperationsUseNoDjlType() throws Exception {
        List<Path> offenders;
        try (Stream<Path> files = Files.walk(Path.of("src", "main", "java"))) {
            offenders = files.filter(f -> f.toString().endsWith(".java")).filter(f -> {
                try {
                    return Files.readString(f).contains("ai.djl.");
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
        assertThat(offenders).as("sources naming DJL types (use org.volseg.nn's own API)").isEmpty();
    }
}
