package org.volseg.nn.networks;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.volseg.core.data.synthetic.Phantom;
import org.volseg.core.data.synthetic.PhantomDataset;
import org.volseg.core.data.synthetic.PhantomSpec;
import org.volseg.core.sampling.PatchSize;
import org.volseg.core.transforms.IntensityNormalization;
import org.volseg.core.transforms.Preprocessing;
import org.volseg.core.volume.LabelMap;
import org.volseg.nn.engine.DjlContext;
import org.volseg.nn.engine.Monitor;
import org.volseg.nn.engines.EpochRecord;
import org.volseg.nn.engines.Trainer;
import org.volseg.nn.engines.TrainingCase;
import org.volseg.nn.engines.TrainingResult;
import org.volseg.nn.engines.TrainingSettings;
import org.volseg.nn.inferers.SlidingWindow;

/**
 * Smoke test of the whole path for every architecture, with and without the VAE branch: a few training steps on
 * synthetic BraTS-like phantoms through the {@link Trainer}, validation by sliding window, a predicting bundle,
 * and the same label map from the bundle as from the trained network.
 */
class NetworkTrainingTest {

    private static final int[] LABELS = {0, 1, 2, 3};

    @ParameterizedTest
    @MethodSource("org.volseg.nn.networks.NetworkTest#architectures")
    void trainsValidatesAndPredictsTheSameFromItsBundle(Architecture architecture, boolean vae, @TempDir Path dir)
            throws Exception {
        PhantomDataset phantoms = new PhantomDataset(17, PhantomSpec.cube(24));
        List<TrainingCase> cases = phantoms.generateAll(3).stream().map(NetworkTrainingTest::normalised).toList();
        PatchSize patch = PatchSize.cube(16);
        NetworkConfig config = new NetworkConfig(architecture, 4, LABELS.length, List.of(4, 8), 1,
                NetworkConfig.Norm.INSTANCE, NetworkConfig.Activation.LEAKY_RELU, vae, patch);
        TrainingSettings settings = TrainingSettings.defaults().withPatch(patch).withEpochs(2).withStepsPerEpoch(3)
                .withValidation(1, 0.25, 0).withSeed(5);
        Path bundle = dir.resolve("model.volseg");
        DjlContext.call(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                Network net = Network.build(config, m, 5);
                TrainingResult result = new Trainer().train(net, cases.subList(0, 2), cases.subList(2, 3), LABELS,
                        settings, dir.resolve("checkpoint.zip"), Monitor.SILENT, null);
                assertThat(result.history()).hasSize(2);
                for (EpochRecord epoch : result.history()) {
                    assertThat(epoch.trainLoss()).isFinite().isPositive();
                    assertThat(epoch.validationDice()).containsOnlyKeys(1, 2, 3);
                    assertThat(epoch.validationDice().values()).allSatisfy(d -> assertThat(d).isBetween(0.0, 1.0));
                }
                NetworkBundle.write(bundle, net, new NetworkBundle.Description(List.of("t1", "t1ce", "t2",
                        "flair"), Map.of(0, "background", 1, "core",
                        2, "edema", 3, "enhancing"), Preprocessing.defaults(), Map.of("seed", 5),
                        Map.of("mean_dice", result.history().get(1).meanDice())));
                NetworkBundle.Loaded loaded = NetworkBundle.read(bundle, m);
                SlidingWindow window = new SlidingWindow(SlidingWindow.Settings.defaults(patch));
                TrainingCase test = cases.get(2);
                LabelMap fromNetwork = SlidingWindow.labels(window.probabilities(test.image(), net::logits, m,
                        Monitor.SILENT), test.image().geometry(), LABELS);
                LabelMap fromBundle = SlidingWindow.labels(window.probabilities(test.image(),
                        loaded.network()::logits, m, Monitor.SILENT), test.image().geometry(), LABELS);
                assertThat(fromBundle.geometry()).isEqualTo(test.image().geometry());
                for (int i = 0; i < fromBundle.geometry().voxels(); i++) {
                    assertThat(fromBundle.get(i)).isEqualTo(fromNetwork.get(i));
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return null;
        });
    }

    private static TrainingCase normalised(Phantom p) {
        return new TrainingCase(p.id(), IntensityNormalization.zScore(p.image()), p.labels());
    }
}
