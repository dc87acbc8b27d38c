package org.volseg.nn.networks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.core.transforms.Preprocessing;
import org.volseg.nn.bundle.BundleFormatException;
import org.volseg.nn.engine.DjlContext;
import org.volseg.nn.engines.Adam;

/** A trained network travels in a bundle without its VAE branch and predicts the same after reading. */
class NetworkBundleTest {

    private static final NetworkBundle.Description DESCRIPTION = new NetworkBundle.Description(List.of("T1", "T1²"),
            Map.of(0, "background", 1, "shell", 2, "core"), new Preprocessing("LPS", List.of(1.0, 1.0, 2.5), Preprocessing.Normalization.ZSCORE_NONZERO),
            Map.of("seed", 3), Map.of("mean_dice", 0.5));

    @Test
    void aTrainedNetworkPredictsTheSameAfterTheRoundTrip(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("model.volseg");
        DjlContext.call(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                Network net = Network.build(NetworkTest.config(Architecture.FULLY_INVRES, true), m, 3);
                NDArray[] data = NetworkTest.sphere(m, DataType.FLOAT32, 4);
                Adam adam = new Adam(net.parameters(), 0);
                for (int step = 0; step < 3; step++) {
                    net.step(data[0], data[1], step);
                    adam.step(1e-2);
                    net.parameters().forEach(org.volseg.nn.engine.GradMode::zeroGradient);
                }
                NetworkBundle.write(file, net, DESCRIPTION);
                NetworkBundle.Loaded loaded = NetworkBundle.read(file, m);
                assertThat(loaded.network().config()).isEqualTo(net.config().withVae(false));
                assertThat(loaded.network().parameters()).hasSize(net.predictingParameters().size());
                assertThat(loaded.manifest().labelNames()).containsEntry(2, "core");
                assertThat(loaded.preprocessing()).isEqualTo(DESCRIPTION.preprocessing());
                NDArray before = net.logits(data[0]);
                NDArray after = loaded.network().logits(data[0]);
                assertThat(after.sub(before).abs().max().getFloat()).isEqualTo(0f);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return null;
        });
        assertThat(dir.toFile().list()).containsExactly("model.volseg");
    }

    @Test
    void aBundleWhoseArchitectureDoesNotFitItsParametersIsRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("model.volseg");
        DjlContext.call(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                NetworkConfig small = NetworkTest.config(Architecture.UNET3D, false);
                NetworkBundle.write(file, Network.build(small, m, 1), DESCRIPTION);
                // rewrite the manifest's widths with the parameters left as they are (checksum still matches)
                Path bigger = dir.resolve("bigger.volseg");
                var contents = org.volseg.nn.bundle.ModelBundle.read(file, m);
                Map<String, Object> architecture = new java.util.HashMap<>(contents.manifest().architecture());
                architecture.put("widths", List.of(8, 16, 32));
                var manifest = contents.manifest();
                org.volseg.nn.bundle.ModelBundle.write(bigger, new org.volseg.nn.bundle.BundleManifest(
                        manifest.formatVersion(), architecture, manifest.channelNames(), manifest.labelNames(),
                        manifest.preprocessing(), manifest.patchSize(), manifest.provenance(), manifest.metrics(),
                        null), contents.parameters());
                assertThatThrownBy(() -> NetworkBundle.read(bigger, m)).isInstanceOf(BundleFormatException.class)
                        .hasMessageContaining("bigger.volseg").hasMessageContaining("parameters.bin")
                        .hasMessageContaining("stem.weight");
                architecture.put("name", "RESNET");
                org.volseg.nn.bundle.ModelBundle.write(bigger, new org.volseg.nn.bundle.BundleManifest(
                        manifest.formatVersion(), architecture, manifest.channelNames(), manifest.labelNames(),
                        manifest.preprocessing(), manifest.patchSize(), manifest.provenance(), manifest.metrics(),
                        null), contents.parameters());
                assertThatThrownBy(() -> NetworkBundle.read(bigger, m)).isInstanceOf(BundleFormatException.class)
                        .hasMessageContaining("architecture");
                Map<String, Object> preprocessing = new java.util.HashMap<>(manifest.preprocessing());
                preprocessing.put("spacing_mm", List.of(1, 0, 1));
                org.volseg.nn.bundle.ModelBundle.write(bigger, new org.volseg.nn.bundle.BundleManifest(
                        manifest.formatVersion(), manifest.architecture(), manifest.channelNames(),
                        manifest.labelNames(), preprocessing, manifest.patchSize(), manifest.provenance(),
                        manifest.metrics(), null), contents.parameters());
                assertThatThrownBy(() -> NetworkBundle.read(bigger, m)).isInstanceOf(BundleFormatException.class)
                        .hasMessageContaining("bigger.volseg").hasMessageContaining("preprocessing")
                        .hasMessageContaining("spacing");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return null;
        });
        assertThat(Files.exists(file)).isTrue();
    }
}
