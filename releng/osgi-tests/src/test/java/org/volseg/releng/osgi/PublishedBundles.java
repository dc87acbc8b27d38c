package org.volseg.releng.osgi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Where the build put the p2 repository and the org.knime.core stand-in (set by this module's pom). */
final class PublishedBundles {

    static final Path REPOSITORY = Path.of(System.getProperty("volseg.p2.repository"));
    static final Path KNIME_STANDIN = Path.of(System.getProperty("volseg.knime.standin"));
    static final Path STORAGE = Path.of(System.getProperty("volseg.osgi.storage"));

    private PublishedBundles() {
    }

    /** The bundle and fragment jars of the p2 repository, as a KNIME user would install them. */
    static List<Path> plugins() throws IOException {
        try (Stream<Path> jars = Files.list(REPOSITORY.resolve("plugins"))) {
            return jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
    }
}
