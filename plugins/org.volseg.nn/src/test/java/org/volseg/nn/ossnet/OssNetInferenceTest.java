package org.volseg.nn.ossnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.core.transforms.Preprocessing;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.Volume;
import org.volseg.nn.bundle.ModelBundle;
import org.volseg.nn.engine.DjlContext;
import org.volseg.nn.engine.Monitor;
import org.volseg.nn.inferers.PredictingModel;
import org.volseg.nn.networks.NetworkBundle;

/**
 * A tiny OSS-Net C trained by {@link OssNetTraining} on noisy balls; its coarse-to-fine and encoder-guided
 * segmentations against the dense one, and its bundle.
 */
@org.junit.jupiter.api.extension.ExtendWith(org.volseg.nn.testing.OneIntraOpThread.class)
class OssNetInferenceTest {

    private static final OssNetConfig.Preset TINY = new OssNetConfig.Preset("tiny", 1, List.of(1, 4, 8),
            List.of(4, 4, 4));
    private static NDManager manager;
    private static OssNet net;
    private static OssNetTraining.Result trained;
    private static List<OssNetTrainer.Case> validation;

    @BeforeAll
    static void train() {
        DjlContext.call(() -> {
            manager = NDManager.newBaseManager();
            net = OssNet.build(new OssNetConfig(OssNetConfig.Variant.C, TINY), manager, 3);
            List<OssNetTrainer.Case> training = List.of(OssNetTrainerTest.ball(11, 0.5), OssNetTrainerTest.ball(12,
                    0.5), OssNetTrainerTest.ball(13, 0.5));
            validation = List.of(training.get(0)); // a few balls teach positions, not balls: it is scored on one it saw
            trained = OssNetTraining.train(net, training, validation, new OssNetTraining.Settings(24, 1, 512, 1e-2,
                    false, 12, 4096, OssNetInference.Procedure.DENSE, 5), Monitor.SILENT, null);
            return null;
        });
    }

    @AfterAll
    static void close() {
        DjlContext.call(() -> {
            manager.close();
            return null;
        });
    }

    @Test
    void theRunKeepsItsBestValidatedEpochAndFitsTheBall() {
        assertThat(trained.history()).hasSize(24);
        assertThat(trained.history().stream().filter(r -> r.validated()).map(r -> r.epoch()))
                .containsExactly(12, 24);
        assertThat(trained.history().get(23).lossTerms()).containsOnlyKeys("occupancy", "aux");
        assertThat(trained.history().get(23).learningRate()).isCloseTo(1e-4, org.assertj.core.data.Offset.offset(
                1e-12)); // 1e-2 divided by 10 after epochs 10 and 14
        assertThat(trained.bestEpoch()).isIn(12, 24);
        assertThat(trained.bestPointDice()).isGreaterThan(0.7);
        assertThat(trained.bestDenseDice()).isGreaterThan(0.7);
    }

    @Test
    void coarseToFineAndEncoderGuidedAgreeWithDenseOnFewerQueries() {
        DjlContext.call(() -> {
            Volume image = validation.get(0).image();
            int voxels = image.geometry().voxels();
            OssNetInference.Result dense = OssNetInference.segment(net, image, OssNetInference.Procedure.DENSE,
                    OssNetInference.DEFAULT_CHUNK, Monitor.SILENT);
            assertThat(dense.queries()).isEqualTo(voxels);
            for (OssNetInference.Procedure p : List.of(OssNetInference.Procedure.COARSE_TO_FINE,
                    OssNetInference.Procedure.ENCODER_GUIDED)) {
                OssNetInference.Result r = OssNetInference.segment(net, image, p, OssNetInference.DEFAULT_CHUNK, Monitor.SILENT);
                boolean[] a = dense.occupied();
                boolean[] b = r.occupied();
                int differ = 0;
                for (int i = 0; i < a.length; i++) {
                    differ += a[i] != b[i] ? 1 : 0;
                }
                assertThat((double) differ / voxels).as("%s disagreement", p).isLessThanOrEqualTo(0.005);
                assertThat(r.queries()).as("%s queries", p).isLessThan(voxels / 2);
                for (int i = 0; i < a.length; i++) {
                    if (b[i]) {
                        assertThat(r.logits()[0][i]).isEqualTo(dense.logits()[0][i]); // the same decoder, the same answer
                    }
                }
            }
            return null;
        });
    }

    @Test
    void encoderGuidedNeedsTheAuxiliaryMap() {
        DjlContext.call(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                OssNet a = OssNet.build(new OssNetConfig(OssNetConfig.Variant.A, TINY), m, 1);
                assertThatThrownBy(() -> OssNetInference.segment(a, validation.get(0).image(),
                        OssNetInference.Procedure.ENCODER_GUIDED, OssNetInference.DEFAULT_CHUNK, Monitor.SILENT))
                        .hasMessageContaining("OSS-Net C or D");
            }
            return null;
        });
    }

    @Test
    void theBundleGivesBackTheSameSegmentation(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ossnet.volseg");
        DjlContext.callIo(() -> {
            OssNetBundle.write(file, net, new NetworkBundle.Description(List.of("t1"), Map.of(0, "background", 1,
                    "foreground"), new Preprocessing("RAS", List.of(), Preprocessing.Normalization.ZSCORE, false),
                    Map.of("seed", 5), Map.of("best_validation_point_iou", trained.bestPointIou())));
            Volume image = validation.get(0).image();
            OssNetInference.Result before = OssNetInference.segment(net, image,
                    OssNetInference.Procedure.COARSE_TO_FINE, OssNetInference.DEFAULT_CHUNK, Monitor.SILENT);
            try (NDManager m = NDManager.newBaseManager()) {
                PredictingModel model = PredictingModel.read(file, m);
                assertThat(model.patch().x()).isEqualTo(32);
                assertThat(model.labelValues()).containsExactly(0, 1);
                assertThat(((OssNetBundle.Predictor) model.predictor()).procedure())
                        .isEqualTo(OssNetInference.Procedure.ENCODER_GUIDED);
                OssNetBundle.Loaded loaded = OssNetBundle.read(file, ModelBundle.read(file, m), m);
                OssNetInference.Result after = OssNetInference.segment(loaded.net(), image,
                        OssNetInference.Procedure.COARSE_TO_FINE, OssNetInference.DEFAULT_CHUNK, Monitor.SILENT);
                assertThat(after.logits()[0]).containsExactly(before.logits()[0]);
                Geometry g = image.geometry();
                NDArray window = m.create(image.channel(0), new Shape(1, 1, g.nz(), g.ny(), g.nx()));
                float[] logits = model.predictor().logits(window).toFloatArray();
                assertThat(java.util.Arrays.copyOfRange(logits, 0, g.voxels())).containsOnly(0f);
                assertThat(((OssNetBundle.Predictor) model.predictor()).queries()).isPositive();
            }
            return null;
        });
    }
}
