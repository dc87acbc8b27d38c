package org.volseg.nn.inferers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.volseg.core.sampling.PatchSize;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;
import org.volseg.core.volume.Volume;
import org.volseg.nn.engine.DjlContext;
import org.volseg.nn.engine.Monitor;

/** The stitching modes and test-time flips of {@link SlidingWindow}. */
class StitchingTest {

    private static final PatchSize PATCH = PatchSize.cube(16);
    private static final int CLASSES = 5;

    private static <T> T withManager(Function<NDManager, T> work) {
        return DjlContext.call(() -> {
            try (NDManager manager = NDManager.newBaseManager()) {
                return work.apply(manager);
            }
        });
    }

    /** A phantom-like image: a few blobs of different brightness on a dark background, 40 × 36 × 30. */
    private static Volume phantom() {
        Geometry g = Geometry.of(40, 36, 30, 1, 1, 1);
        Volume image = Volume.zeros(g, 1);
        float[] v = image.channel(0);
        double[][] blobs = {{12, 10, 9, 7, 1}, {28, 22, 18, 9, 2}, {20, 26, 8, 5, 3}, {30, 9, 22, 6, 4}};
        for (int z = 0; z < g.nz(); z++) {
            for (int y = 0; y < g.ny(); y++) {
                for (int x = 0; x < g.nx(); x++) {
                    float value = 0.1f * (float) Math.sin(0.7 * x + 0.3 * y - 0.5 * z);
                    for (double[] b : blobs) {
                        double d = Math.sqrt(Math.pow(x - b[0], 2) + Math.pow(y - b[1], 2) + Math.pow(z - b[2], 2));
                        value += (float) (b[4] / (1 + Math.exp(2 * (d - b[3]))));
                    }
                    v[g.index(x, y, z)] = value;
                }
            }
        }
        return image;
    }

    /**
     * K logits per voxel that depend on the intensity and, a little, on where the voxel sits in the window, so
     * that overlapping windows disagree and blending matters: logit k = −(v − k)² · 4 + 0.3 · (x − 8) / 8.
     */
    private static NDArray classLogits(NDArray patches) {
        NDManager m = patches.getManager();
        NDArray ramp = m.arange(16f).sub(8).div(8).mul(0.3f).reshape(new Shape(1, 1, 1, 1, 16));
        NDList logits = new NDList();
        for (int k = 0; k < CLASSES; k++) {
            logits.add(patches.sub(k).square().mul(-4).add(ramp.mul(k % 2 == 0 ? 1 : -1)));
        }
        return NDArrays.concat(logits, 1);
    }

    private static float[][] stitch(Volume image, SlidingWindow.Settings settings) {
        return stitch(image, settings, StitchingTest::classLogits);
    }

    private static float[][] stitch(Volume image, SlidingWindow.Settings settings, PatchPredictor predictor) {
        return withManager(m -> new SlidingWindow(settings).probabilities(image, predictor, m, Monitor.SILENT));
    }

    /** Each voxel's label, in voxel order ({@link LabelMap#labels()} is the set of labels present). */
    private static int[] perVoxel(LabelMap map) {
        return java.util.stream.IntStream.range(0, map.geometry().voxels()).map(map::get).toArray();
    }

    private static SlidingWindow.Settings base() {
        return new SlidingWindow.Settings(PATCH, 0.5, true, 2);
    }

    @Test
    void classChunksGiveExactlyTheFloat32ProbabilitiesOneChunkAtATime() {
        Volume image = phantom();
        float[][] float32 = stitch(image, base());
        for (int chunk : new int[] {1, 2, 4}) {
            List<Integer> order = new ArrayList<>();
            AtomicInteger calls = new AtomicInteger();
            float[][] chunked = new float[CLASSES][];
            withManager(m -> {
                new SlidingWindow(base().withStitching(Stitching.CLASS_CHUNKS, chunk)).stitch(image, patches -> {
                    calls.incrementAndGet();
                    return classLogits(patches);
                }, m, Monitor.SILENT, (k, classes, p) -> {
                    assertThat(classes).isEqualTo(CLASSES);
                    order.add(k);
                    chunked[k] = p.clone(); // the chunk's arrays serve the next pass
                });
                return null;
            });
            assertThat(order).containsExactly(0, 1, 2, 3, 4);
            assertThat(chunked).isDeepEqualTo(float32);
            int windows = new SlidingWindow(base()).windows(image.geometry()).size();
            int passes = (CLASSES + chunk - 1) / chunk;
            assertThat(calls.get()).as("network calls with %d classes per chunk", chunk)
                    .isEqualTo(passes * ((windows + 1) / 2));
        }
    }

    /**
     * {@link #classLogits} split before a pointwise head: the head's input is the intensity and the ramp (2
     * channels), the head makes the K logits of any slab of it. Records the slices each head call sees; a whole
     * window's logits are not to be asked for.
     */
    private static PatchPredictor splitClassLogits(List<Long> headDepths) {
        PatchPredictor.PointwiseHead split = PatchPredictor.PointwiseHead.of(patches -> {
            NDManager m = patches.getManager();
            NDArray ramp = m.arange(16f).sub(8).div(8).mul(0.3f).reshape(new Shape(1, 1, 1, 1, 16));
            return patches.concat(patches.zerosLike().add(ramp), 1);
        }, in -> {
            headDepths.add(in.getShape().get(2));
            NDArray v = in.get(":, 0:1");
            NDArray ramp = in.get(":, 1:2");
            NDList logits = new NDList();
            for (int k = 0; k < CLASSES; k++) {
                logits.add(v.sub(k).square().mul(-4).add(ramp.mul(k % 2 == 0 ? 1 : -1)));
            }
            return NDArrays.concat(logits, 1);
        });
        return PatchPredictor.of(patches -> {
            throw new AssertionError("the sliding window asked for a whole window's logits");
        }, split);
    }

    @ParameterizedTest
    @CsvSource({"FLOAT32, 1, false", "FLOAT16, 1, false", "CLASS_CHUNKS, 1, false", "CLASS_CHUNKS, 2, false",
        "CLASS_CHUNKS, 2, true", "FLOAT32, 1, true"})
    void aPointwiseHeadsLogitsAreMadeSlabBySlabAndGiveTheSameProbabilities(Stitching stitching, int chunk,
            boolean flips) {
        Volume image = phantom();
        SlidingWindow.Settings settings = new SlidingWindow.Settings(PATCH, 0.5, true, 2, flips ? Mirroring.ALL
                : Mirroring.NONE, stitching, chunk);
        long threeSlices = 3L * 2 * CLASSES * PATCH.y() * PATCH.x() * Float.BYTES;
        float[][] whole = withManager(m -> new SlidingWindow(settings, threeSlices).probabilities(image,
                StitchingTest::classLogits, m, Monitor.SILENT));
        List<Long> depths = new ArrayList<>();
        float[][] split = withManager(m -> new SlidingWindow(settings, threeSlices).probabilities(image,
                splitClassLogits(depths), m, Monitor.SILENT));
        for (int k = 0; k < CLASSES; k++) {
            for (int i = 0; i < whole[k].length; i++) {
                assertThat(split[k][i]).isCloseTo(whole[k][i], within(1e-6f));
            }
        }
        // the slabs of the softmax, and one slice once to learn K
        assertThat(depths).isNotEmpty().allMatch(d -> d <= 3).contains(1L, 3L);
    }

    @Test
    void allStitchingModesAgreeOnTheLabelsOfAPhantom() {
        Volume image = phantom();
        int[] reference = SlidingWindow.argmax(stitch(image, base()));
        assertThat(java.util.Arrays.stream(reference).distinct().count()).isEqualTo(CLASSES);
        for (SlidingWindow.Settings settings : List.of(base().withStitching(Stitching.FLOAT16, 1),
                base().withStitching(Stitching.CLASS_CHUNKS, 2))) {
            float[][] p = stitch(image, settings);
            int[] labels = SlidingWindow.argmax(p);
            int same = 0;
            for (int i = 0; i < labels.length; i++) {
                same += labels[i] == reference[i] ? 1 : 0;
            }
            assertThat(same / (double) labels.length).as(settings.stitching().name()).isGreaterThanOrEqualTo(0.999);
        }
        float[][] float32 = stitch(image, base());
        float[][] float16 = stitch(image, base().withStitching(Stitching.FLOAT16, 1));
        for (int k = 0; k < CLASSES; k++) {
            for (int i = 0; i < float32[k].length; i += 7) {
                assertThat((double) float16[k][i]).isCloseTo(float32[k][i], within(2e-3));
            }
        }
    }

    /**
     * The label path decides each slice once no window is left to reach it and keeps only a window's depth of sums:
     * its labels are those of the whole volume's probabilities, for every batch size (batches that straddle rows of
     * windows), in both precisions, for a volume thinner than a window, and for slices wider than the argmax's
     * blocks of 2,048 voxels (72 × 36).
     */
    @ParameterizedTest
    @CsvSource({"FLOAT32, 1, 30, 40", "FLOAT32, 2, 30, 40", "FLOAT32, 3, 30, 40", "FLOAT16, 2, 30, 40",
        "FLOAT32, 2, 11, 40", "FLOAT32, 1, 30, 72", "FLOAT16, 1, 30, 72"})
    void labelsDecidedSliceBySliceAreThoseOfTheWholeVolumesProbabilities(Stitching mode, int batch, int depth,
            int width) {
        Volume phantom = phantom();
        Geometry p = phantom.geometry();
        Geometry g = Geometry.of(width, 36, depth, 1, 1, 1);
        float[] values = new float[g.voxels()];
        for (int z = 0; z < depth; z++) {
            for (int y = 0; y < g.ny(); y++) {
                for (int x = 0; x < width; x++) {
                    // mirrored along y where wider, so that blobs reach the slices' second block too
                    values[g.index(x, y, z)] = phantom.channel(0)[p.index(x % p.nx(), x < p.nx() ? y
                            : p.ny() - 1 - y, z)];
                }
            }
        }
        Volume image = new Volume(g, values);
        SlidingWindow.Settings settings = new SlidingWindow.Settings(PATCH, 0.5, true, batch).withStitching(mode, 1);
        int[] labelValues = {0, 3, 5, 7, 9};
        int[] expected = perVoxel(SlidingWindow.labels(stitch(image, settings), g, labelValues));
        int[] decided = perVoxel(withManager(m -> new SlidingWindow(settings).labels(image,
                StitchingTest::classLogits, m, Monitor.SILENT, labelValues)));
        assertThat(java.util.Arrays.stream(expected).distinct().count()).isGreaterThanOrEqualTo(CLASSES - 1);
        int slice = g.nx() * g.ny();
        assertThat(java.util.stream.IntStream.range(0, expected.length).filter(i -> i % slice >= 2048)
                .map(i -> expected[i]).distinct().count()).isGreaterThanOrEqualTo(width > 2048 / g.ny() ? 3 : 0);
        assertThat(decided).isEqualTo(expected);
    }

    /**
     * Windows normalised as they are cut give the labels of the normalised image, padding included (a volume
     * thinner than a window: the padding stays 0, as in the normalised image's windows).
     */
    @ParameterizedTest
    @CsvSource({"30", "11"})
    void windowsNormalisedAsTheyAreCutGiveTheNormalisedImagesLabels(int depth) {
        Volume phantom = phantom();
        Geometry g = Geometry.of(40, 36, depth, 1, 1, 1);
        float[] raw = java.util.Arrays.copyOf(phantom.channel(0), g.voxels());
        for (int i = 0; i < raw.length; i++) {
            raw[i] = raw[i] * 40 + 300; // an MR-like range, which the logits would not survive unnormalised
        }
        Volume image = new Volume(g, raw);
        // a scaling that maps the raw values back to about the phantom's, so the classes stay apart
        List<org.volseg.core.transforms.IntensityNormalization.Scaling> scalings = List.of(
                new org.volseg.core.transforms.IntensityNormalization.Scaling(300, 1 / 40.0, false));
        Volume normalised = org.volseg.core.transforms.IntensityNormalization.scaled(image, scalings);
        SlidingWindow.Settings settings = base();
        int[] labelValues = {0, 1, 2, 3, 4};
        int[] expected = perVoxel(withManager(m -> new SlidingWindow(settings).labels(normalised,
                StitchingTest::classLogits, m, Monitor.SILENT, labelValues)));
        int[] cut = perVoxel(withManager(m -> new SlidingWindow(settings).labels(image, scalings,
                StitchingTest::classLogits, m, Monitor.SILENT, labelValues)));
        assertThat(java.util.Arrays.stream(expected).distinct().count()).isGreaterThanOrEqualTo(CLASSES - 1);
        assertThat(cut).isEqualTo(expected);
        assertThatThrownBy(() -> withManager(m -> new SlidingWindow(settings).labels(image, List.of(scalings.get(0),
                scalings.get(0)), StitchingTest::classLogits, m, Monitor.SILENT, labelValues)))
                .hasMessage("2 scalings for 1 channels");
    }

    @Test
    void float16KeepsVoxelsThatOnlyAWindowCornerCovers() {
        // 31 voxels along each axis with 16³ windows at overlap 0.5: the volume's corners lie in window corners,
        // where the Gaussian weight is e^-24 of the centre's, below half precision's smallest number
        Volume image = Volume.zeros(Geometry.of(31, 31, 31, 1, 1, 1), 1);
        java.util.Arrays.fill(image.channel(0), 3f);
        float[][] p = stitch(image, base().withStitching(Stitching.FLOAT16, 1));
        assertThat(SlidingWindow.argmax(p)).containsOnly(3);
    }

    @Test
    void flipsAverageTheFlippedBackPredictions() {
        // one window exactly: class 1's logit is a ramp along x, so the x flip predicts the mirrored ramp
        Volume image = Volume.zeros(Geometry.of(16, 16, 16, 1, 1, 1), 1);
        PatchPredictor ramp = rampAlong(new Shape(1, 1, 1, 1, 16));
        AtomicInteger calls = new AtomicInteger();
        SlidingWindow.Settings settings = new SlidingWindow.Settings(PATCH, 0.5, false, 1, Mirroring.parse("x, yz"),
                Stitching.FLOAT32, 1);
        float[][] p = withManager(m -> new SlidingWindow(settings).probabilities(image, patches -> {
            calls.incrementAndGet();
            return ramp.logits(patches);
        }, m, Monitor.SILENT));
        assertThat(calls.get()).isEqualTo(3);
        Geometry g = image.geometry();
        for (int x = 0; x < 16; x++) {
            // identity and yz see the ramp as it is; x sees it mirrored
            assertThat((double) p[1][g.index(x, 5, 9)]).isCloseTo(twoPlainOneMirrored(x), within(1e-6));
        }
    }

    /** Class 1's logit is a ramp 0, 0.25, …, 3.75 along the window axis {@code shape} spans; class 0's is 0. */
    private static PatchPredictor rampAlong(Shape shape) {
        return patches -> {
            NDArray r = patches.getManager().arange(16f).div(4).reshape(shape);
            return NDArrays.concat(new NDList(patches.zerosLike(), patches.add(r)), 1);
        };
    }

    /** Class 1's probability at position i of that ramp, averaged over two flips that see it and one mirrored. */
    private static double twoPlainOneMirrored(int i) {
        double own = 1 / (1 + Math.exp(-i / 4.0));
        double mirrored = 1 / (1 + Math.exp(-(15 - i) / 4.0));
        return (2 * own + mirrored) / 3;
    }

    @Test
    void zFlipsPlaceEachSoftmaxSlabWhereItBelongs() {
        // one window, softmax one slice at a time: class 1's logit is a ramp along z, so the z flip predicts the
        // mirrored ramp and its slices come back in reverse order
        Volume image = Volume.zeros(Geometry.of(16, 16, 16, 1, 1, 1), 1);
        PatchPredictor ramp = rampAlong(new Shape(1, 1, 16, 1, 1));
        SlidingWindow.Settings settings = new SlidingWindow.Settings(PATCH, 0.5, false, 1, Mirroring.parse("z, xy"),
                Stitching.FLOAT32, 1);
        float[][] p = withManager(m -> new SlidingWindow(settings, 1).probabilities(image, ramp, m, Monitor.SILENT));
        Geometry g = image.geometry();
        for (int z = 0; z < 16; z++) {
            assertThat((double) p[1][g.index(3, 11, z)]).isCloseTo(twoPlainOneMirrored(z), within(1e-6));
        }
    }

    @ParameterizedTest
    @CsvSource({"FLOAT32, 1", "FLOAT16, 1", "CLASS_CHUNKS, 2"})
    void softmaxSlabsGiveTheWholeWindowsProbabilities(Stitching stitching, int chunk) {
        // three slices of a batch of two windows per slab (16 is no multiple of 3), every flip
        Volume image = phantom();
        SlidingWindow.Settings settings = new SlidingWindow.Settings(PATCH, 0.5, true, 2, Mirroring.ALL, stitching,
                chunk);
        long slice = 2L * CLASSES * PATCH.y() * PATCH.x() * Float.BYTES;
        float[][] whole = stitch(image, settings);
        float[][] slabs = withManager(m -> new SlidingWindow(settings, 3 * slice).probabilities(image,
                StitchingTest::classLogits, m, Monitor.SILENT));
        for (int k = 0; k < CLASSES; k++) {
            for (int i = 0; i < whole[k].length; i++) {
                assertThat(slabs[k][i]).isCloseTo(whole[k][i], within(1e-6f));
            }
        }
    }

    @Test
    void aFlipEquivariantPredictorIsNotChangedByFlips() {
        Volume image = phantom();
        float[][] plain = stitch(image, base());
        float[][] flipped = stitch(image, new SlidingWindow.Settings(PATCH, 0.5, true, 2, Mirroring.ALL,
                Stitching.FLOAT32, 1));
        float[][] perVoxelPlain = withManager(m -> new SlidingWindow(base()).probabilities(image,
                p -> classLogitsWithoutRamp(p), m, Monitor.SILENT));
        float[][] perVoxelFlipped = withManager(m -> new SlidingWindow(new SlidingWindow.Settings(PATCH, 0.5, true,
                2, Mirroring.ALL, Stitching.FLOAT32, 1)).probabilities(image, p -> classLogitsWithoutRamp(p), m,
                        Monitor.SILENT));
        for (int k = 0; k < CLASSES; k++) {
            for (int i = 0; i < perVoxelPlain[k].length; i++) {
                assertThat(perVoxelFlipped[k][i]).isCloseTo(perVoxelPlain[k][i], within(1e-6f));
            }
        }
        // while the ramped model, which depends on the position in the window, is changed by them
        assertThat(java.util.Arrays.deepEquals(flipped, plain)).isFalse();
    }

    private static NDArray classLogitsWithoutRamp(NDArray patches) {
        NDList logits = new NDList();
        for (int k = 0; k < CLASSES; k++) {
            logits.add(patches.sub(k).square().mul(-4));
        }
        return NDArrays.concat(logits, 1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {"'';none", "none;none", "all;all", "x;x", "' Z , xy';xy,z",
        "zyx, x;x,xyz"})
    void flipSettingsAreReadAndWrittenBack(String text, String written) {
        assertThat(Mirroring.parse(text)).hasToString(written);
    }

    @Test
    void badFlipSettingsNameTheEntry() {
        assertThatThrownBy(() -> Mirroring.parse("x, w")).hasMessageContaining("\"w\"");
        assertThatThrownBy(() -> Mirroring.parse("xx")).hasMessageContaining("\"xx\"");
        assertThatThrownBy(() -> Mirroring.parse("x,,y")).hasMessageContaining("empty");
        assertThat(Mirroring.parse("x,y,z,xy,xz,yz,xyz")).isEqualTo(Mirroring.ALL);
        assertThat(Mirroring.parse("y").count()).isEqualTo(2);
    }
}
