package org.volseg.nn.distill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.volseg.core.sampling.PatchSize;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;
import org.volseg.core.volume.Volume;
import org.volseg.nn.engine.DjlContext;
import org.volseg.nn.engine.Monitor;
import org.volseg.nn.engines.EpochRecord;
import org.volseg.nn.engines.LearningRateSchedule;
import org.volseg.nn.engines.Optimizer;
import org.volseg.nn.engines.Trainable;
import org.volseg.nn.engines.Trainer;
import org.volseg.nn.engines.TrainingCase;
import org.volseg.nn.engines.TrainingSettings;
import org.volseg.nn.networks.Architecture;
import org.volseg.nn.networks.Network;
import org.volseg.nn.networks.NetworkConfig;
import org.volseg.nn.testing.OneIntraOpThread;

/** Paraphrasers learn, a tiny distillation lowers every term, semi-supervised steps alternate. */
@ExtendWith(OneIntraOpThread.class)
class DistillerTest {

    private static final int SIZE = 16;

    /** Two nested spheres (labels 1 and 2) in noise. */
    static TrainingCase spheres(String id, double cx, long seed) {
        Geometry grid = Geometry.of(SIZE, SIZE, SIZE, 1, 1, 1);
        float[] image = new float[grid.voxels()];
        int[] labels = new int[grid.voxels()];
        Random random = new Random(seed);
        for (int z = 0; z < SIZE; z++) {
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    int i = grid.index(x, y, z);
                    double r2 = (x - cx) * (x - cx) + (y - 8) * (y - 8) + (z - 7.5) * (z - 7.5);
                    labels[i] = r2 < 9 ? 2 : r2 < 25 ? 1 : 0;
                    image[i] = labels[i] + 0.2f * (float) random.nextGaussian();
                }
            }
        }
        return new TrainingCase(id, new Volume(grid, image), LabelMap.of(grid, labels));
    }

    private static NetworkConfig config(Architecture a, List<Integer> widths) {
        return NetworkConfig.of(a, 1, 3, widths, 1, PatchSize.cube(SIZE));
    }

    /** The compact student of these tests: a Mobile U-Net 4-8-16-32 with feature taps. */
    private static Network student(NDManager m) {
        return Network.withFeatureTaps(config(Architecture.MOBILE_UNET3D, List.of(4, 8, 16, 32)), m, 2);
    }

    /** Logits distillation alone (no graph, no critic), soft labels from {@code source}. */
    private static DistillationSettings logitsOnly(DistillationSettings.SoftLabels source) {
        return new DistillationSettings(0, 0, 1, 1, false, GraphFlow.Settings.defaults(), 1, 1e-3, 0, 3e-5, 4, source);
    }

    private static TrainingSettings settings(int epochs, int steps, int batch) {
        return TrainingSettings.defaults().withPatch(PatchSize.cube(SIZE)).withEpochs(epochs)
                .withStepsPerEpoch(steps).withBatchSize(batch).withOptimizer(Optimizer.Kind.ADAM, 3e-3, 0)
                .withSchedule(LearningRateSchedule.Kind.CONSTANT, 0).withAugment(false).withValidation(epochs, 0.5, 0)
                .withCheckpointEvery(0).withSeed(3);
    }

    @Test
    void paraphrasersLearnToReconstructTheTeachersFeatures() {
        DjlContext.call(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                Network teacher = Network.withFeatureTaps(config(Architecture.UNET3D, List.of(8, 16, 32, 64)), m, 1);
                org.volseg.nn.networks.Parameters p = new org.volseg.nn.networks.Parameters(m, 2,
                        ai.djl.ndarray.types.DataType.FLOAT32);
                Paraphraser shallow = Paraphraser.create(p, "shallow", 32, 8);
                Paraphraser deep = Paraphraser.create(p, "deep", 32, 8);
                DistillationSettings s = new DistillationSettings(1e-5, 1e-9, 1, 1, false,
                        GraphFlow.Settings.defaults(), 60, 3e-3, 0, 3e-5, 4, DistillationSettings.SoftLabels.PATCH);
                double[] curve = Distiller.trainParaphrasers(Teacher.of(teacher), shallow, deep,
                        List.of(spheres("a", 7, 1).image(), spheres("b", 9, 2).image()), PatchSize.cube(SIZE), s, 4,
                        Monitor.SILENT);
                double first = (curve[0] + curve[1] + curve[2] + curve[3] + curve[4] + curve[5]) / 6;
                double last = (curve[54] + curve[55] + curve[56] + curve[57] + curve[58] + curve[59]) / 6;
                assertThat(last).as("reconstruction MSE, last 6 steps vs first 6").isLessThan(0.5 * first);
                NDArray factor = shallow.encode(teacher.features(m.ones(new Shape(1, 1, SIZE,
                        SIZE, SIZE))).shallow());
                assertThat(factor.getShape().get(1)).isEqualTo(8);
            }
            return null;
        });
    }

    @Test
    void aTinyDistillationLowersEveryTerm() throws IOException {
        List<TrainingCase> training = List.of(spheres("a", 7.5, 1));
        List<EpochRecord> history = DjlContext.callIo(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                Network teacher = Network.withFeatureTaps(config(Architecture.UNET3D, List.of(8, 16, 32, 64)), m, 1);
                Network student = student(m);
                // weights that make every term count in a few dozen steps; τ = 2 with the τ² factor
                DistillationSettings s = new DistillationSettings(0.1, 0.1, 1, 2, true, GraphFlow.Settings.defaults(),
                        30, 3e-3, 0.1, 1e-3, 4, DistillationSettings.SoftLabels.PATCH);
                return Distiller.distill(Teacher.of(teacher), student, training, List.of(), List.of(),
                        new int[] {0, 1, 2}, settings(6, 8, 1), s, null, Monitor.SILENT, null).training().history();
            }
        });
        EpochRecord first = history.get(0);
        EpochRecord last = history.get(history.size() - 1);
        assertThat(first.lossTerms()).containsOnlyKeys(DistillingStudent.DICE, DistillingStudent.CROSS_ENTROPY,
                DistillingStudent.VERTEX,
                DistillingStudent.EDGE, DistillingStudent.LOGITS, DistillingStudent.ADVERSARIAL,
                DistillingStudent.CRITIC);
        // the adversarial term is a game: as the critic learns (its loss falls), the student's term may rise
        assertThat(last.lossTerms().get(DistillingStudent.ADVERSARIAL)).isFinite();
        for (String term : List.of(DistillingStudent.DICE, DistillingStudent.CROSS_ENTROPY, DistillingStudent.VERTEX,
                DistillingStudent.EDGE, DistillingStudent.LOGITS, DistillingStudent.CRITIC)) {
            assertThat(last.lossTerms().get(term)).as(term + " in the last epoch vs the first")
                    .isLessThan(first.lossTerms().get(term));
        }
        assertThat(last.trainLoss()).isLessThan(first.trainLoss());
    }

    @Test
    void unlabeledPatchesAlternateWithLabeledOnesAndAddOnlyDistillationTerms() throws IOException {
        List<TrainingCase> training = List.of(spheres("a", 7.5, 1));
        List<Volume> unlabeled = List.of(spheres("u", 8.5, 5).image());
        int[] calls = new int[2];
        List<EpochRecord> history = DjlContext.callIo(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                Network teacher = Network.withFeatureTaps(config(Architecture.UNET3D, List.of(4, 8, 16, 32)), m, 1);
                Network student = Network.withFeatureTaps(config(Architecture.UNET3D, List.of(4, 8, 16, 32)), m, 2);
                DistillationSettings s = logitsOnly(DistillationSettings.SoftLabels.PATCH);
                DistillingStudent distilling = new DistillingStudent(Teacher.of(teacher), null, null, student, null,
                        s);
                Trainable counting = new Trainable() {
                    @Override
                    public List<NDArray> parameters() {
                        return distilling.parameters();
                    }

                    @Override
                    public double step(NDArray image, NDArray oneHot, long stepSeed) {
                        calls[0]++;
                        return distilling.step(image, oneHot, stepSeed);
                    }

                    @Override
                    public double stepUnlabeled(NDArray image, long stepSeed) {
                        calls[1]++;
                        return distilling.stepUnlabeled(image, stepSeed);
                    }

                    @Override
                    public Map<String, Double> lastTerms() {
                        return distilling.lastTerms();
                    }

                    @Override
                    public NDArray logits(NDArray image) {
                        return distilling.logits(image);
                    }

                    @Override
                    public int classes() {
                        return 3;
                    }
                };
                return new Trainer().train(counting, training, unlabeled, List.of(), new int[] {0, 1, 2},
                        settings(1, 3, 2), null, Monitor.SILENT, null).history();
            }
        });
        assertThat(calls).containsExactly(3, 3);
        assertThat(history.get(0).lossTerms()).containsOnlyKeys(DistillingStudent.DICE,
                DistillingStudent.CROSS_ENTROPY, DistillingStudent.LOGITS);
        // with batch 1 the patches alternate between steps
        calls[0] = 0;
        calls[1] = 0;
        assertThatThrownBy(() -> DjlContext.callIo(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                Network net = Network.build(config(Architecture.UNET3D, List.of(4, 8)), m, 1);
                return new Trainer().train(net, training, unlabeled, List.of(), new int[] {0, 1, 2},
                        settings(1, 2, 1), null, Monitor.SILENT, null);
            }
        })).isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("labeled images only");
    }

    @Test
    void wholeCaseSoftLabelsAreTheTeachersPredictionAndTeachTheStudent() throws IOException {
        TrainingCase sphere = spheres("a", 7.5, 1);
        double[] gap = new double[1];
        List<EpochRecord> history = DjlContext.callIo(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                Network teacher = Network.withFeatureTaps(config(Architecture.UNET3D, List.of(8, 16, 32, 64)), m, 1);
                // the case is one window: its blended prediction is the teacher's softmax on it
                Volume guided = Distiller.withSoftLabels(Teacher.of(teacher), sphere.image(), PatchSize.cube(SIZE), m,
                        Monitor.SILENT);
                assertThat(guided.channelCount()).isEqualTo(1 + 3);
                assertThat(guided.channel(0)).isSameAs(sphere.image().channel(0));
                NDArray x = m.create(sphere.image().channel(0), new Shape(1, 1, SIZE, SIZE,
                        SIZE));
                float[] expected = teacher.features(x).logits().logSoftmax(1).maximum((float) Math.log(1e-6))
                        .toFloatArray();
                float[] actual = new float[expected.length];
                for (int k = 0; k < 3; k++) {
                    System.arraycopy(guided.channel(1 + k), 0, actual, k * SIZE * SIZE * SIZE, SIZE * SIZE * SIZE);
                }
                for (int i = 0; i < expected.length; i++) {
                    gap[0] = Math.max(gap[0], Math.abs(expected[i] - actual[i]));
                }
                Network student = student(m);
                DistillationSettings s = logitsOnly(DistillationSettings.SoftLabels.WHOLE_CASE);
                return Distiller.distill(Teacher.of(teacher), student, List.of(sphere), List.of(),
                        List.of(spheres("v", 8.5, 3)), new int[] {0, 1, 2}, settings(4, 8, 1), s, null,
                        Monitor.SILENT, null).training().history();
            }
        });
        assertThat(gap[0]).as("largest difference of the log probabilities").isLessThan(1e-4);
        assertThat(history.get(0).lossTerms()).containsOnlyKeys(DistillingStudent.DICE,
                DistillingStudent.CROSS_ENTROPY, DistillingStudent.LOGITS);
        assertThat(history.get(3).lossTerms().get(DistillingStudent.LOGITS))
                .isLessThan(history.get(0).lossTerms().get(DistillingStudent.LOGITS));
        assertThat(history.get(3).validated()).as("validation images come without the soft labels").isTrue();
    }

    @Test
    void withWholeCaseSoftLabelsTheLogitsTermReadsTheGuidanceChannels() {
        DjlContext.call(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                Network teacher = Network.withFeatureTaps(config(Architecture.UNET3D, List.of(4, 8, 16, 32)), m, 1);
                Network student = student(m);
                DistillationSettings s = logitsOnly(DistillationSettings.SoftLabels.WHOLE_CASE);
                DistillingStudent distilling = new DistillingStudent(Teacher.of(teacher), null, null, student, null,
                        s);
                assertThat(distilling.guidanceChannels()).isEqualTo(3);
                Shape voxels = new Shape(1, 1, SIZE, SIZE, SIZE);
                NDArray image = m.create(spheres("a", 7.5, 1).image().channel(0), voxels);
                // soft labels no teacher would give: 0.2, 0.3, 0.5 everywhere
                NDArray soft = m.full(voxels, (float) Math.log(0.2)).concat(m.full(voxels, (float) Math.log(0.3)), 1)
                        .concat(m.full(voxels, (float) Math.log(0.5)), 1);
                double expected = DistillingStudent.logitsKl(student.logits(image), soft, 1, false).getFloat();
                distilling.stepUnlabeled(image.concat(soft, 1), 4);
                assertThat(distilling.lastTerms().get(DistillingStudent.LOGITS)).isCloseTo(expected,
                        within(1e-5));
            }
            return null;
        });
    }

    @Test
    void theLogitsTermIsTheKlDivergenceOfTheSoftenedDistributions() {
        // 2 samples, 3 classes, 2×2×2 voxels, against the definition summed in double precision
        Random random = new Random(13);
        int samples = 2;
        int classes = 3;
        int voxels = 8;
        float[] student = new float[samples * classes * voxels];
        float[] teacher = new float[student.length];
        for (int i = 0; i < student.length; i++) {
            student[i] = (float) (3 * random.nextGaussian());
            teacher[i] = (float) (3 * random.nextGaussian());
        }
        for (double tau : new double[] {1, 2.5}) {
            double sum = 0;
            for (int n = 0; n < samples; n++) {
                for (int v = 0; v < voxels; v++) {
                    double[] p = softmax(teacher, n, v, classes, voxels, tau);
                    double[] q = softmax(student, n, v, classes, voxels, tau);
                    for (int k = 0; k < classes; k++) {
                        sum += p[k] * Math.log(p[k] / q[k]);
                    }
                }
            }
            double expected = sum / (samples * voxels); // summed over classes, averaged over voxels and samples
            double[] computed = DjlContext.call(() -> {
                try (NDManager m = NDManager.newBaseManager()) {
                    Shape shape = new Shape(samples, classes, 2, 2, 2);
                    NDArray s = m.create(student, shape);
                    NDArray t = m.create(teacher, shape);
                    return new double[] {DistillingStudent.logitsKl(s, t, tau, false).getFloat(),
                        DistillingStudent.logitsKl(s, t, tau, true).getFloat()};
                }
            });
            assertThat(expected).isGreaterThan(0.1);
            assertThat(computed[0]).as("τ = %s", tau).isCloseTo(expected, within(1e-5 * expected));
            assertThat(computed[1]).as("τ² · KL, τ = %s", tau).isCloseTo(tau * tau * expected,
                    within(1e-5 * tau * tau * expected));
        }
    }

    private static double[] softmax(float[] logits, int sample, int voxel, int classes, int voxels, double tau) {
        double[] e = new double[classes];
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < classes; k++) {
            max = Math.max(max, logits[(sample * classes + k) * voxels + voxel] / tau);
        }
        double total = 0;
        for (int k = 0; k < classes; k++) {
            e[k] = Math.exp(logits[(sample * classes + k) * voxels + voxel] / tau - max);
            total += e[k];
        }
        for (int k = 0; k < classes; k++) {
            e[k] /= total;
        }
        return e;
    }

    @Test
    void tapsAtDifferentResolutionsAreRefused() {
        assertThatThrownBy(() -> DjlContext.callIo(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                Network teacher = Network.withFeatureTaps(config(Architecture.UNET3D, List.of(4, 8, 16, 32)), m, 1);
                Network student = Network.withFeatureTaps(config(Architecture.UNET3D, List.of(4, 8, 16)), m, 2);
                return Distiller.distill(Teacher.of(teacher), student, List.of(spheres("a", 7.5, 1)), List.of(),
                        List.of(), new int[] {0, 1, 2}, settings(1, 1, 1), DistillationSettings.defaults(), null,
                        Monitor.SILENT, null);
            }
        })).hasMessageContaining("teacher's feature taps lie at 1/4 resolution (4 levels), the student's at 1/2 (3 "
                + "levels)");
    }
}
