package org.volseg.ops.api;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.volseg.nn.bundle.BundleManifest;
import org.volseg.nn.networks.NetworkBundle;

/**
 * The ModelPort: a trained model travels between nodes as its bundle file, with what a downstream node needs to know
 * before running (its spec).
 *
 * @param bundle the model bundle file
 * @param spec   architecture, input channels and labels
 */
public record ModelPort(Path bundle, Spec spec) implements PortData {

    /** The file name extension of model bundles. */
    public static final String EXTENSION = ".volseg";

    /** Copies the bundle to {@code file} (through a temporary file, so a failed copy leaves none). */
    public void copyTo(Path file) throws IOException {
        if (file.getParent() != null) {
            java.nio.file.Files.createDirectories(file.getParent());
        }
        org.volseg.core.io.AtomicFiles.write(file, tmp -> java.nio.file.Files.copy(bundle, tmp,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING));
    }

    /**
     * What a model port says before execution (KNIME shows it on the port).
     *
     * @param architecture the network's architecture name
     * @param channels     input channel names, in order
     * @param labels       label value to name
     * @param patch        training patch size (x, y, z)
     */
    public record Spec(String architecture, List<String> channels, Map<Integer, String> labels, List<Integer> patch)
            implements PortSpec {

        public Spec {
            channels = List.copyOf(channels);
            labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
            patch = List.copyOf(patch);
        }

        @Override
        public PortKind kind() {
            return PortKind.MODEL;
        }

        /** One line for port views and logs: "FULLY_INVRES, channels [t1, t2], labels {0=background, 1=brain}". */
        public String summary() {
            return architecture + ", channels " + channels + ", labels " + labels + ", patch " + patch;
        }
    }

    /**
     * Reads and checks a bundle (checksum, format version, architecture) and describes it.
     *
     * @throws org.volseg.nn.bundle.BundleFormatException naming the file and the field that is wrong
     */
    public static ModelPort read(Path bundle) throws IOException {
        BundleManifest manifest = NetworkBundle.check(bundle);
        return new ModelPort(bundle, new Spec(String.valueOf(manifest.architecture().get("name")),
                manifest.channelNames(), manifest.labelNames(), manifest.patchSize()));
    }
}
