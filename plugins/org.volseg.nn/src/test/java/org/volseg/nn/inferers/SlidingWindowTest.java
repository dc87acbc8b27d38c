package org.volseg.nn.inferers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.volseg.core.sampling.PatchBox;
import org.volseg.core.sampling.PatchSize;
import org.volseg.core.volume.Affine;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;
import org.volseg.core.volume.Volume;
import org.volseg.nn.engine.DjlContext;
import org.volseg.nn.engine.Monitor;

class SlidingWindowTest {

    private static final PatchSize CUBE = PatchSize.cube(8);

    private static <T> T withManager(Function<NDManager, T> work) {
        return DjlContext.call(() -> {
            try (NDManager manager = NDManager.newBaseManager()) {
                return work.apply(manager);
            }
        });
    }

    /** JniUtils calls native code directly: the engine must have loaded its library first. */
    private static boolean gradMode() {
        return DjlContext.call(() -> {
            Engine.getEngine(DjlContext.ENGINE);
            return JniUtils.isGradMode();
        });
    }

    private static Volume randomImage(int nx, int ny, int nz, int channels, long seed) {
        Random random = new Random(seed);
        Volume image = Volume.zeros(Geometry.of(nx, ny, nz, 1, 1, 1), channels);
        for (int c = 0; c < channels; c++) {
            float[] data = image.channel(c);
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) random.nextGaussian();
            }
        }
        return image;
    }

    /** Logits [2a − b, −a, a·b] from each voxel's channels a and b alone. */
    private static NDArray perVoxel(NDArray patches) {
        NDArray a = patches.get(new NDIndex(":, 0:1"));
        NDArray b = patches.get(new NDIndex(":, 1:2"));
        return NDArrays.concat(new NDList(a.mul(2).sub(b), a.neg(), a.mul(b)), 1);
    }

    // ---------------------------------------------------------------- placement

    @Test
    void originsCoverEveryVoxelAndTheLastWindowEndsAtTheEdge() {
        for (double overlap : new double[] {0, 0.25, 0.5, 0.75, 0.9}) {
            for (int patch = 1; patch <= 12; patch++) {
                for (int length = patch; length <= 40; length++) {
                    int[] origins = SlidingWindow.origins(length, patch, overlap);
                    int step = Math.max(1, (int) Math.floor(patch * (1 - overlap) + 1e-9));
                    assertThat(origins[0]).isZero();
                    assertThat(origins[origins.length - 1] + patch).isEqualTo(length);
                    boolean[] covered = new boolean[length];
                    for (int i = 0; i < origins.length; i++) {
                        if (i > 0) {
                            assertThat(origins[i] - origins[i - 1]).isBetween(1, step);
                        }
                        for (int v = origins[i]; v < origins[i] + patch; v++) {
                            covered[v] = true;
                        }
                    }
                    for (int v = 0; v < length; v++) {
                        assertThat(covered[v]).as("voxel %d of %d, patch %d, overlap %s", v, length, patch, overlap)
                                .isTrue();
                    }
                }
            }
        }
    }

    @Test
    void originsForKnownSizes() {
        assertThat(SlidingWindow.origins(20, 8, 0.5)).containsExactly(0, 4, 8, 12);
        assertThat(SlidingWindow.origins(17, 8, 0.5)).containsExactly(0, 4, 8, 9);
        assertThat(SlidingWindow.origins(9, 8, 0.5)).containsExactly(0, 1);
        assertThat(SlidingWindow.origins(8, 8, 0.5)).containsExactly(0);
        assertThat(SlidingWindow.origins(20, 8, 0)).containsExactly(0, 8, 12);
        assertThat(SlidingWindow.origins(20, 8, 0.9)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
        assertThat(SlidingWindow.origins(100, 100 - 29, 0)).containsExactly(0, 29);
        // 20 · (1 − 0.8) is 3.999999999999999 in doubles: still a step of 4
        assertThat(SlidingWindow.origins(28, 20, 0.8)).containsExactly(0, 4, 8);

        List<PatchBox> windows = new SlidingWindow(SlidingWindow.Settings.defaults(CUBE))
                .windows(Geometry.of(20, 17, 9, 1, 1, 1));
        assertThat(windows).hasSize(4 * 4 * 2);
        assertThat(windows).allMatch(w -> w.isInside(Geometry.of(20, 17, 9, 1, 1, 1)));
        assertThat(windows.get(0)).isEqualTo(new PatchBox(0, 0, 0, CUBE));
        assertThat(windows.get(1)).isEqualTo(new PatchBox(4, 0, 0, CUBE));
        assertThat(windows.get(31)).isEqualTo(new PatchBox(12, 9, 1, CUBE));
    }

    @Test
    void anAxisShorterThanThePatchIsCentredInOneZeroPaddedWindow() {
        assertThat(SlidingWindow.origins(5, 8, 0.5)).containsExactly(-1);
        assertThat(SlidingWindow.origins(1, 8, 0.5)).containsExactly(-3);
        assertThat(SlidingWindow.origins(7, 8, 0.75)).containsExactly(0);

        Volume ones = Volume.zeros(Geometry.of(5, 8, 8, 1, 1, 1), 1);
        java.util.Arrays.fill(ones.channel(0), 1f);
        float[][] seen = new float[1][];
        float[][] p = withManager(m -> new SlidingWindow(SlidingWindow.Settings.defaults(CUBE)).probabilities(ones,
                patches -> {
                    seen[0] = patches.toFloatArray();
                    return NDArrays.concat(new NDList(patches, patches.neg()), 1);
                }, m, Monitor.SILENT));
        // one window; along x: pad, 5 image voxels, pad, pad
        for (int i = 0; i < seen[0].length; i++) {
            int x = i % 8;
            assertThat(seen[0][i]).as("x %d", x).isEqualTo(x >= 1 && x <= 5 ? 1f : 0f);
        }
        // cropped back to the image
        assertThat(p[0]).hasSize(5 * 8 * 8);
        double expected = 1 / (1 + Math.exp(-2));
        for (float v : p[0]) {
            assertThat((double) v).isCloseTo(expected, within(1e-6));
        }
    }

    // ---------------------------------------------------------------- blending

    @ParameterizedTest
    @CsvSource({"0, true, 1", "0.25, true, 1", "0.5, true, 3", "0.75, true, 2", "0, false, 1", "0.5, false, 1",
        "0.75, false, 4"})
    void identicalPerVoxelPredictionsAreNotChangedByBlending(double overlap, boolean gaussian, int batch) {
        Volume image = randomImage(20, 17, 9, 2, 42);
        SlidingWindow inferer = new SlidingWindow(new SlidingWindow.Settings(CUBE, overlap, gaussian, batch));
        float[][] p = withManager(m -> inferer.probabilities(image, SlidingWindowTest::perVoxel, m, Monitor.SILENT));

        assertThat(p).hasNumberOfRows(3);
        float[] a = image.channel(0);
        float[] b = image.channel(1);
        for (int i = 0; i < a.length; i++) {
            double[] logits = {2.0 * a[i] - b[i], -a[i], (double) a[i] * b[i]};
            double max = Math.max(logits[0], Math.max(logits[1], logits[2]));
            double sum = 0;
            for (double l : logits) {
                sum += Math.exp(l - max);
            }
            for (int k = 0; k < 3; k++) {
                assertThat((double) p[k][i]).as("class %d voxel %d", k, i)
                        .isCloseTo(Math.exp(logits[k] - max) / sum, within(1e-6));
            }
        }
    }

    /** Logits [v + 0.4·position, 0] along x: the window's view of a voxel depends on where it sits in the patch. */
    private static float[][] ramped(Volume image, boolean gaussian) {
        SlidingWindow inferer = new SlidingWindow(new SlidingWindow.Settings(PatchSize.of(8, 1, 1), 0.5, gaussian, 2));
        return withManager(m -> inferer.probabilities(image, patches -> {
            NDArray ramp = patches.getManager().arange(8f).mul(0.4f).reshape(new Shape(1, 1, 1, 1, 8));
            return NDArrays.concat(new NDList(patches.add(ramp), patches.zerosLike()), 1);
        }, m, Monitor.SILENT));
    }

    private static double sigmoid(double t) {
        return 1 / (1 + Math.exp(-t));
    }

    @Test
    void positionDependentPredictionsAreBlendedAsAWeightedMean() {
        Volume image = randomImage(20, 1, 1, 1, 7);
        float[] v = image.channel(0);
        // windows at x = 0, 4, 8, 12; voxel 5 is at position 5 of the first and 1 of the second
        double first = sigmoid(v[5] + 0.4 * 5);
        double second = sigmoid(v[5] + 0.4 * 1);

        float[][] uniform = ramped(image, false);
        assertThat((double) uniform[0][5]).isCloseTo((first + second) / 2, within(1e-6));

        // sigma = 8/8 = 1, centre 3.5: weights ∝ exp(−d²/2) at distances 1.5 and 2.5
        double w1 = Math.exp(-1.5 * 1.5 / 2);
        double w2 = Math.exp(-2.5 * 2.5 / 2);
        float[][] weighted = ramped(image, true);
        assertThat((double) weighted[0][5]).isCloseTo((w1 * first + w2 * second) / (w1 + w2), within(1e-6));
        assertThat((double) weighted[1][5]).isCloseTo(1 - (w1 * first + w2 * second) / (w1 + w2), within(1e-6));
        // the first and last voxels lie in one window each
        assertThat((double) weighted[0][0]).isCloseTo(sigmoid(v[0]), within(1e-6));
        assertThat((double) weighted[0][19]).isCloseTo(sigmoid(v[19] + 0.4 * 7), within(1e-6));
    }

    @Test
    void theImportanceMapPeaksAtOneInTheCentreAndIsPositiveEverywhere() {
        PatchSize patch = PatchSize.of(8, 5, 1);
        float[] map = SlidingWindow.importanceMap(patch, true);
        float max = 0;
        for (int z = 0, i = 0; z < patch.z(); z++) {
            for (int y = 0; y < patch.y(); y++) {
                for (int x = 0; x < patch.x(); x++, i++) {
                    assertThat(map[i]).isPositive();
                    max = Math.max(max, map[i]);
                    // symmetric about the centre
                    int mirror = (z * patch.y() + (patch.y() - 1 - y)) * patch.x() + (patch.x() - 1 - x);
                    assertThat(map[i]).isEqualTo(map[mirror]);
                }
            }
        }
        assertThat(max).isEqualTo(1f);
        assertThat(map[2 * 8 + 3]).isEqualTo(1f);
        // sigma along y = 5/8: one voxel from the centre
        assertThat((double) map[8 + 3]).isCloseTo(Math.exp(-1 / (2 * 0.625 * 0.625)), within(1e-6));
        assertThat(SlidingWindow.importanceMap(patch, false)).containsOnly(1f);
    }

    // ---------------------------------------------------------------- running

    @Test
    void cancellingAfterTwoBatchesStopsBeforeTheThird() {
        Volume image = randomImage(20, 17, 9, 2, 1);
        int[] calls = {0};
        List<String> messages = new ArrayList<>();
        Monitor monitor = new Monitor() {
            int checks;

            @Override
            public void progress(double fraction, String message) {
                messages.add(message);
            }

            @Override
            public void checkCanceled() {
                if (++checks > 2) {
                    throw new CancellationException("stop");
                }
            }
        };
        boolean gradMode = gradMode();
        assertThatThrownBy(() -> withManager(m -> new SlidingWindow(SlidingWindow.Settings.defaults(CUBE))
                .probabilities(image, patches -> {
                    calls[0]++;
                    return perVoxel(patches);
                }, m, monitor))).isInstanceOf(CancellationException.class);
        assertThat(calls[0]).isEqualTo(2);
        assertThat(messages).containsExactly("window 1 of 32", "window 2 of 32");
        assertThat(gradMode()).isEqualTo(gradMode);
    }

    @Test
    void reportsProgressPerBatchRunsWithoutAutogradAndRestoresIt() {
        Volume image = randomImage(20, 17, 9, 2, 3);
        List<Double> fractions = new ArrayList<>();
        List<String> messages = new ArrayList<>();
        List<Boolean> gradModes = new ArrayList<>();
        Monitor monitor = new Monitor() {
            @Override
            public void progress(double fraction, String message) {
                fractions.add(fraction);
                messages.add(message);
            }

            @Override
            public void checkCanceled() {
            }
        };
        boolean before = gradMode();
        DjlContext.call(() -> {
            JniUtils.setGradMode(true);
            try (NDManager m = NDManager.newBaseManager()) {
                new SlidingWindow(new SlidingWindow.Settings(CUBE, 0.5, true, 5)).probabilities(image, patches -> {
                    gradModes.add(JniUtils.isGradMode());
                    return perVoxel(patches);
                }, m, monitor);
                assertThat(JniUtils.isGradMode()).isTrue();
            } finally {
                JniUtils.setGradMode(before);
            }
            return null;
        });
        assertThat(gradModes).hasSize(7).containsOnly(false);
        assertThat(fractions).containsExactly(5 / 32.0, 10 / 32.0, 15 / 32.0, 20 / 32.0, 25 / 32.0, 30 / 32.0, 1.0);
        assertThat(messages).startsWith("window 5 of 32").endsWith("window 32 of 32");
    }

    @Test
    void everyArrayOfABatchIsFreedAfterTheBatch() {
        Volume image = randomImage(20, 17, 9, 2, 4);
        List<NDArray> made = new ArrayList<>();
        withManager(m -> {
            new SlidingWindow(new SlidingWindow.Settings(CUBE, 0.5, true, 4)).probabilities(image, patches -> {
                NDArray logits = perVoxel(patches);
                made.add(patches);
                made.add(logits);
                return logits;
            }, m, Monitor.SILENT);
            assertThat(made).hasSize(2 * 8).allMatch(NDArray::isReleased);
            return null;
        });
    }

    @Test
    void aPredictorOfTheWrongShapeIsReported() {
        Volume image = randomImage(20, 17, 9, 2, 5);
        SlidingWindow inferer = new SlidingWindow(SlidingWindow.Settings.defaults(CUBE));
        assertThatThrownBy(() -> withManager(m -> inferer.probabilities(image,
                patches -> patches.get(new NDIndex(":, :, 0:4")), m, Monitor.SILENT)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("shape");
        assertThatThrownBy(() -> withManager(m -> inferer.probabilities(image,
                patches -> patches.get(new NDIndex(":, 0:1")), m, Monitor.SILENT)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("at least 2");
    }

    // ---------------------------------------------------------------- labels

    @Test
    void argmaxAndLabelsMapClassesToLabelValuesOnTheInputsGrid() {
        float[][] p = {
            {0.7f, 0.1f, 0.2f, 0.4f},
            {0.2f, 0.8f, 0.2f, 0.4f},
            {0.1f, 0.1f, 0.6f, 0.2f}};
        assertThat(SlidingWindow.argmax(p)).containsExactly(0, 1, 2, 0); // a tie goes to the lower class

        Geometry geometry = new Geometry(2, 2, 1, Affine.of(0, -2, 0, 10, 1.5, 0, 0, -3, 0, 0, 3, 7, 0, 0, 0, 1));
        LabelMap labels = SlidingWindow.labels(p, geometry, new int[] {0, 2, 4});
        assertThat(labels.geometry()).isEqualTo(geometry);
        assertThat(labels.get(0, 0, 0)).isZero();
        assertThat(labels.get(1, 0, 0)).isEqualTo(2);
        assertThat(labels.get(0, 1, 0)).isEqualTo(4);
        assertThat(labels.get(1, 1, 0)).isZero();

        assertThatThrownBy(() -> SlidingWindow.labels(p, geometry, new int[] {0, 1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 classes");
        assertThatThrownBy(() -> SlidingWindow.labels(p, Geometry.of(3, 1, 1, 1, 1, 1), new int[] {0, 1, 2}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("voxels");
        assertThatThrownBy(() -> SlidingWindow.labels(p, geometry, new int[] {0, -1, 2}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-negative");
    }

    @Test
    void badSettingsAreRefusedNamingTheSetting() {
        assertThatThrownBy(() -> new SlidingWindow.Settings(CUBE, 1.0, true, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("overlap")
                .hasMessageContaining("[0, 1)");
        assertThatThrownBy(() -> new SlidingWindow.Settings(CUBE, -0.1, true, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("overlap");
        assertThatThrownBy(() -> new SlidingWindow.Settings(CUBE, Double.NaN, true, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("overlap");
        assertThatThrownBy(() -> new SlidingWindow.Settings(CUBE, 0.5, true, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch size")
                .hasMessageContaining("at least 1");
        assertThatThrownBy(() -> new SlidingWindow.Settings(null, 0.5, true, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("patch");
        SlidingWindow.Settings defaults = SlidingWindow.Settings.defaults(CUBE);
        assertThat(defaults).isEqualTo(new SlidingWindow.Settings(CUBE, 0.5, true, 1));
    }
}
