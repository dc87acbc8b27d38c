package org.volseg.nn.inferers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.core.data.Case;
import org.volseg.core.data.ReferenceData;
import org.volseg.core.io.NiftiReader;
import org.volseg.core.io.NiftiWriter;
import org.volseg.core.postprocessing.PostProcessing;
import org.volseg.core.sampling.PatchSize;
import org.volseg.core.transforms.Preprocessing;
import org.volseg.core.transforms.Reorientation;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;
import org.volseg.core.volume.Volume;
import org.volseg.nn.engine.DjlContext;
import org.volseg.nn.engine.Monitor;
import org.volseg.nn.engine.OutOfMemoryException;

/**
 * Predictions come back in the input's geometry: an identity-like model (its input is the one-hot label map, its
 * logits 30 × the input) must give back the input's labels exactly, whatever preprocessing did on the way.
 */
class PredictionGeometryTest {

    private static final int[] LABEL_VALUES = {0, 1, 2, 4};

    private static <T> T withManager(Function<NDManager, T> work) {
        return DjlContext.call(() -> {
            try (NDManager manager = NDManager.newBaseManager()) {
                return work.apply(manager);
            }
        });
    }

    /** Blobs of labels 1, 2 and 4 (radius 4 to 6 voxels) on a grid of the given orientation and spacing. */
    private static LabelMap blobs(String orientation, double sx, double sy, double sz) {
        Geometry ras = Geometry.of(26, 24, 14, sx, sy, sz);
        int[] labels = new int[ras.voxels()];
        int[][] centres = {{8, 8, 5, 5, 1}, {17, 14, 8, 6, 2}, {9, 17, 9, 4, 4}};
        for (int z = 0; z < ras.nz(); z++) {
            for (int y = 0; y < ras.ny(); y++) {
                for (int x = 0; x < ras.nx(); x++) {
                    for (int[] c : centres) {
                        double d = Math.sqrt(Math.pow(x - c[0], 2) + Math.pow(y - c[1], 2) + Math.pow((z - c[2]) * sz
                                / sx, 2));
                        if (d <= c[3]) {
                            labels[ras.index(x, y, z)] = c[4];
                        }
                    }
                }
            }
        }
        LabelMap map = LabelMap.of(ras, labels);
        return Reorientation.to(ras, orientation).apply(map);
    }

    /** The one-hot channels of a label map, in {@link #LABEL_VALUES} order. */
    private static Volume oneHot(LabelMap labels) {
        Geometry g = labels.geometry();
        float[][] channels = new float[LABEL_VALUES.length][g.voxels()];
        for (int i = 0; i < g.voxels(); i++) {
            for (int k = 0; k < LABEL_VALUES.length; k++) {
                channels[k][i] = labels.get(i) == LABEL_VALUES[k] ? 1 : 0;
            }
        }
        return new Volume(g, channels);
    }

    private static PredictingModel identity(Preprocessing preprocessing, PatchPredictor predictor) {
        return new PredictingModel(predictor, null, 0, List.of("bg", "a", "b", "c"), LABEL_VALUES, preprocessing,
                PatchSize.cube(16));
    }

    private static final PatchPredictor IDENTITY = patches -> patches.mul(30);

    private static LabelMap segment(LabelMap truth, Preprocessing preprocessing, Stitching stitching) {
        SlidingWindow.Settings window = SlidingWindow.Settings.defaults(PatchSize.cube(16)).withStitching(stitching,
                1);
        CasePredictor predictor = new CasePredictor(identity(preprocessing, IDENTITY), CasePredictor.Options.fixed(
                window), Device.cpu());
        return withManager(m -> predictor.predict(oneHot(truth), m, Monitor.SILENT));
    }

    private static void assertSame(LabelMap actual, LabelMap expected) {
        assertThat(actual.geometry().sameGrid(expected.geometry(), 1e-6)).as("%s vs %s", actual.geometry(),
                expected.geometry()).isTrue();
        assertThat(actual.geometry().orientation()).isEqualTo(expected.geometry().orientation());
        int differ = 0;
        for (int i = 0; i < expected.geometry().voxels(); i++) {
            differ += actual.get(i) != expected.get(i) ? 1 : 0;
        }
        assertThat(differ).as("voxels whose label changed").isZero();
    }

    private static Preprocessing preprocessing(String orientation, List<Double> spacing) {
        return new Preprocessing(orientation, spacing, Preprocessing.Normalization.NONE);
    }

    @Test
    void rasLpsAndLsaInputsGetTheirLabelsBackExactlyThroughReorientation() {
        for (String orientation : List.of("RAS", "LPS", "LSA")) {
            LabelMap truth = blobs(orientation, 1, 1, 2);
            assertThat(truth.geometry().orientation()).isEqualTo(orientation);
            for (Stitching stitching : Stitching.values()) {
                assertSame(segment(truth, preprocessing("RAS", List.of()), stitching), truth);
            }
        }
    }

    @Test
    void labelsComeBackThroughResamplingAndReorientationButForAFewBoundaryVoxels() {
        LabelMap truth = blobs("LPS", 1, 1, 2);
        // interpolating the image and then the probabilities back smooths the corners of a digitised sphere, on a
        // finer grid too, as in nnU-Net: a few boundary voxels change, nothing inside
        // finer on every axis: under 0.1 % of the voxels; PIR's 1.5 mm is coarser than the input's 1 mm along x:
        // under 1 %
        for (Preprocessing p : List.of(preprocessing("RAS", List.of(0.8, 0.8, 1.25)), preprocessing("PIR",
                List.of(0.7, 0.9, 1.5)))) {
            double bound = p.orientation().equals("RAS") ? 0.001 : 0.01;
            for (Stitching stitching : List.of(Stitching.FLOAT32, Stitching.CLASS_CHUNKS)) {
                LabelMap back = segment(truth, p, stitching);
                assertThat(back.geometry().sameGrid(truth.geometry(), 1e-6)).isTrue();
                Geometry g = truth.geometry();
                int differ = 0;
                for (int z = 0; z < g.nz(); z++) {
                    for (int y = 0; y < g.ny(); y++) {
                        for (int x = 0; x < g.nx(); x++) {
                            int i = g.index(x, y, z);
                            if (back.get(i) != truth.get(i)) {
                                differ++;
                                assertThat(sameLabelFaceNeighbours(truth, x, y, z)).as("voxel (%d, %d, %d) of "
                                        + "label %d", x, y, z, truth.get(i)).isLessThan(6);
                            }
                        }
                    }
                }
                assertThat(differ / (double) g.voxels()).as("%s, %s", p, stitching).isLessThan(bound);
            }
        }
    }

    @Test
    void labelsComeBackExactlyThroughCropResamplingAndReorientationWhenTheFinerGridLosesNothing() {
        // a third of the spacing puts a target voxel centre on every source voxel centre (the grids share their
        // middle): the image is read there unchanged and the probabilities are read back from there, so nothing
        // may move (reading them back 0.05 of a resampled voxel off already fails the probabilities below)
        LabelMap truth = blobs("LPS", 1, 1, 2);
        Preprocessing third = preprocessing("RAS", List.of(1 / 3.0, 1 / 3.0, 2 / 3.0));
        for (Stitching stitching : Stitching.values()) {
            assertSame(segment(truth, third, stitching), truth);
        }
        assertSame(withManager(m -> cropping(third).predict(foreground(truth), m, Monitor.SILENT)), truth);
        // with logits equal to the one-hot input, the probabilities too come back as they were on the source grid:
        // the softmax of the one-hot values, which any misalignment would blend across the rims
        List<float[]> maps = new ArrayList<>();
        withManager(m -> new CasePredictor(identity(third, patches -> patches), CasePredictor.Options.fixed(
                SlidingWindow.Settings.defaults(PatchSize.cube(16))), Device.cpu()).segment(oneHot(truth),
                (k, classes, p) -> maps.add(p), m, Monitor.SILENT));
        double own = Math.E / (Math.E + 3);
        double other = 1 / (Math.E + 3);
        for (int i = 0; i < truth.geometry().voxels(); i++) {
            for (int k = 0; k < LABEL_VALUES.length; k++) {
                assertThat((double) maps.get(k)[i]).as("voxel %d, class %d", i, k).isCloseTo(truth.get(i)
                        == LABEL_VALUES[k] ? own : other, within(1e-5));
            }
        }
    }

    /** How many of a voxel's 6 face neighbours have its label (6: an inside voxel). */
    private static int sameLabelFaceNeighbours(LabelMap labels, int x, int y, int z) {
        Geometry g = labels.geometry();
        int own = labels.get(g.index(x, y, z));
        int same = 0;
        int[][] steps = {{1, 0, 0}, {-1, 0, 0}, {0, 1, 0}, {0, -1, 0}, {0, 0, 1}, {0, 0, -1}};
        for (int[] d : steps) {
            int nx = x + d[0];
            int ny = y + d[1];
            int nz = z + d[2];
            if (nx >= 0 && ny >= 0 && nz >= 0 && nx < g.nx() && ny < g.ny() && nz < g.nz()
                    && labels.get(g.index(nx, ny, nz)) == own) {
                same++;
            }
        }
        return same;
    }

    /** The foreground labels' one-hot channels (zero outside the blobs, so that a crop has something to cut). */
    private static Volume foreground(LabelMap labels) {
        Volume all = oneHot(labels);
        return new Volume(labels.geometry(), all.channel(1), all.channel(2), all.channel(3));
    }

    /** Background's logit 15 everywhere, each foreground label's 30 where its channel is 1. */
    private static final PatchPredictor FOREGROUND_IDENTITY = patches -> patches.getManager().full(new Shape(
            patches.getShape().get(0), 1, patches.getShape().get(2), patches.getShape().get(3), patches.getShape()
                    .get(4)), 15f).concat(patches.mul(30), 1);

    private static CasePredictor cropping(Preprocessing preprocessing) {
        PredictingModel model = new PredictingModel(FOREGROUND_IDENTITY, null, 0, List.of("a", "b", "c"),
                LABEL_VALUES, preprocessing.withCropToNonzero(true), PatchSize.cube(16));
        return new CasePredictor(model, CasePredictor.Options.fixed(SlidingWindow.Settings.defaults(PatchSize
                .cube(16))), Device.cpu());
    }

    @Test
    void labelsComeBackExactlyThroughCropAndReorientationAndProbabilityMapsAreCertainOutsideTheCrop() {
        LabelMap truth = blobs("LPS", 1, 1, 2);
        CasePredictor predictor = cropping(preprocessing("RAS", List.of()));
        List<float[]> maps = new ArrayList<>();
        LabelMap back = withManager(m -> predictor.segment(foreground(truth), (k, classes, p) -> maps.add(p), m,
                Monitor.SILENT).labels());
        assertSame(back, truth);
        assertSame(withManager(m -> predictor.predict(foreground(truth), m, Monitor.SILENT)), truth);
        int corner = truth.geometry().index(0, 0, 0); // outside every blob's box
        assertThat(maps.get(0)[corner]).isEqualTo(1f);
        assertThat(maps.get(1)[corner]).isZero();
        // through crop, resampling and reorientation: boundary voxels only, as without the crop
        LabelMap resampled = withManager(m -> cropping(preprocessing("RAS", List.of(0.8, 0.8, 1.25))).predict(
                foreground(truth), m, Monitor.SILENT));
        int differ = 0;
        for (int i = 0; i < truth.geometry().voxels(); i++) {
            differ += resampled.get(i) != truth.get(i) ? 1 : 0;
        }
        assertThat(differ / (double) truth.geometry().voxels()).isLessThan(0.001);
    }

    @Test
    void theItkLsaExampleComesBackOnItsOwnGridAndHeaderWithItsOwnLabels(@TempDir Path dir) throws Exception {
        Path seg = ReferenceData.ITK_EXAMPLES.file("KmeansTest_T1KmeansPrelimSegmentation.nii.gz").orElse(null);
        assumeTrue(seg != null, "needs insighttoolkit5-examples");
        Volume read = NiftiReader.read(seg).volume();
        int[] values = new int[read.geometry().voxels()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (int) read.channel(0)[i];
        }
        LabelMap truth = LabelMap.of(read.geometry(), values);
        assertThat(truth.geometry().orientation()).isEqualTo("LSA");
        int[] present = java.util.Arrays.stream(truth.labels()).sorted().toArray();
        // the image is the one-hot segmentation, written as one file per channel
        List<Path> channels = new ArrayList<>();
        for (int k = 0; k < present.length; k++) {
            float[] hot = new float[values.length];
            for (int i = 0; i < values.length; i++) {
                hot[i] = values[i] == present[k] ? 1 : 0;
            }
            Path file = dir.resolve("channel" + k + ".nii.gz");
            NiftiWriter.write(file, new Volume(read.geometry(), hot), NiftiWriter.Options.like(NiftiReader.read(seg)));
            channels.add(file);
        }
        List<String> names = java.util.stream.IntStream.range(0, present.length).mapToObj(k -> "c" + k).toList();
        PredictingModel model = new PredictingModel(IDENTITY, null, 0, names, present, preprocessing("RAS",
                List.of()), PatchSize.cube(32));
        Path output = dir.resolve("out_seg.nii.gz");
        CasePredictor predictor = new CasePredictor(model, CasePredictor.Options.fixed(SlidingWindow.Settings
                .defaults(PatchSize.cube(32))), Device.cpu());
        withManager(m -> {
            try {
                return predictor.predict(new Case("kmeans", channels, null), output, null, PostProcessing.none(), m,
                        Monitor.SILENT);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        var written = NiftiReader.readHeader(output).header();
        var original = NiftiReader.readHeader(seg).header();
        assertThat(written.geometry().sameGrid(original.geometry(), 1e-6)).isTrue();
        assertThat(written.qformCode()).isEqualTo(original.qformCode());
        assertThat(written.sformCode()).isEqualTo(original.sformCode());
        assertSame(NiftiReader.readLabels(output), truth);
    }

    @Test
    void outOfMemoryIsRetriedOnceWithHalfTheBatchAndSaidSo() {
        LabelMap truth = blobs("RAS", 1, 1, 1);
        List<Long> batches = new ArrayList<>();
        PatchPredictor tight = patches -> {
            batches.add(patches.getShape().get(0));
            if (patches.getShape().get(0) > 2) {
                throw new EngineException("CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 7.79 GiB total)");
            }
            return patches.mul(30);
        };
        SlidingWindow.Settings four = SlidingWindow.Settings.defaults(PatchSize.cube(16)).withBatchSize(4);
        List<String> messages = new ArrayList<>();
        Monitor listening = Monitor.recording(messages);
        CasePredictor.Result result = withManager(m -> new CasePredictor(identity(preprocessing(null, List.of()),
                tight), CasePredictor.Options.fixed(four), Device.cpu()).segment(oneHot(truth), null, m, listening));
        assertSame(result.labels(), truth);
        assertThat(result.retry()).contains("4 windows per batch").contains("Tried to allocate 2.00 GiB")
                .contains("retried once with 2");
        assertThat(result.plan().window().batchSize()).isEqualTo(2);
        assertThat(batches.get(0)).isEqualTo(4);
        assertThat(batches.subList(1, batches.size())).containsOnly(2L);
        assertThat(messages).anyMatch(m -> m.startsWith("plan: window batch 4")).anyMatch(m -> m.contains(
                "retried once"));

        PatchPredictor never = patches -> {
            throw new EngineException("DefaultCPUAllocator: not enough memory: you tried to allocate 9663676416 "
                    + "bytes.");
        };
        SlidingWindow.Settings one = SlidingWindow.Settings.defaults(PatchSize.cube(16));
        assertThatThrownBy(() -> withManager(m -> new CasePredictor(identity(preprocessing(null, List.of()), never),
                CasePredictor.Options.fixed(one), Device.cpu()).segment(oneHot(truth), null, m, Monitor.SILENT)))
                .isInstanceOf(OutOfMemoryException.class).hasMessageContaining("9663676416 bytes")
                .hasMessageContaining("window batch 1, float32 stitching; expected peak")
                .hasMessageContaining("lower the window batch");
    }

    @Test
    void aCaseThatRunsAnAutoChosenGpuOutOfMemoryRunsOnTheCpuAndSaysWhy() {
        LabelMap truth = blobs("RAS", 1, 1, 1);
        PatchPredictor full = patches -> {
            throw new EngineException("CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 7.79 GiB total)");
        };
        SlidingWindow.Settings one = SlidingWindow.Settings.defaults(PatchSize.cube(16));
        int[] opened = {0};
        List<String> messages = new ArrayList<>();
        List<CasePredictor.Result> results = withManager(m -> {
            CasePredictor onCpu = new CasePredictor(identity(preprocessing(null, List.of()), p -> p.mul(30)),
                    CasePredictor.Options.fixed(one), Device.cpu());
            CasePredictor gpu = new CasePredictor(identity(preprocessing(null, List.of()), full),
                    CasePredictor.Options.fixed(one), Device.cpu()).withCpuFallback(() -> {
                        opened[0]++;
                        return onCpu;
                    });
            return List.of(gpu.segment(oneHot(truth), null, m, Monitor.SILENT),
                    gpu.segment(oneHot(truth), null, m, Monitor.recording(messages)));
        });
        for (CasePredictor.Result r : results) {
            assertSame(r.labels(), truth);
            assertThat(r.device()).startsWith("cpu (").contains("ran out of memory").contains("Tried to allocate "
                    + "2.00 GiB");
        }
        assertThat(opened[0]).as("the CPU's model is read once, for the first case that needs it").isEqualTo(1);
        assertThat(messages).anyMatch(m -> m.contains("running this case on the CPU"));

        // the Java heap is the same on the CPU, and a device chosen explicitly has no fallback
        PatchPredictor heap = patches -> {
            throw new OutOfMemoryError("Java heap space");
        };
        assertThatThrownBy(() -> withManager(m -> new CasePredictor(identity(preprocessing(null, List.of()), heap),
                CasePredictor.Options.fixed(one), Device.cpu()).withCpuFallback(() -> {
                    throw new AssertionError("no fallback for the heap");
                }).segment(oneHot(truth), null, m, Monitor.SILENT))).isInstanceOf(OutOfMemoryException.class)
                .hasMessageContaining("Java heap");
        assertThatThrownBy(() -> withManager(m -> new CasePredictor(identity(preprocessing(null, List.of()), full),
                CasePredictor.Options.fixed(one), Device.cpu()).segment(oneHot(truth), null, m, Monitor.SILENT)))
                .isInstanceOf(OutOfMemoryException.class).hasMessageContaining("choose the cpu device");
    }

    @Test
    void aSmallBudgetMakesThePredictorChooseALeanerStitchingAndTheLabelsStayTheSame() {
        LabelMap truth = blobs("LPS", 1, 1, 2);
        SlidingWindow.Settings window = SlidingWindow.Settings.defaults(PatchSize.cube(16));
        long voxels = truth.geometry().voxels();
        // room for the 4-channel image, the labels and the four classes' sums in half precision (26 bytes a voxel),
        // not in float32 (34), beside a window's 4 channels and its 4 classes' probabilities
        CasePredictor.Options tight = new CasePredictor.Options(window, true, true, new InferencePlanner.Budget(
                voxels * 30 + 2 * 16 * 16 * 16 * 4 * 4 + InferencePlanner.WORKING_OVERHEAD, 1L << 30, false));
        CasePredictor.Result result = withManager(m -> new CasePredictor(identity(preprocessing("RAS", List.of()),
                IDENTITY), tight, Device.cpu()).segment(oneHot(truth), null, m, Monitor.SILENT));
        assertThat(result.plan().window().stitching()).isEqualTo(Stitching.FLOAT16);
        assertThat(result.plan().fits()).isTrue();
        assertSame(result.labels(), truth);
    }

    @Test
    void probabilityMapsComeOnTheInputsGridOneClassAtATime() {
        LabelMap truth = blobs("LPS", 1, 1, 2);
        List<float[]> maps = new ArrayList<>();
        CasePredictor predictor = new CasePredictor(identity(preprocessing("RAS", List.of(0.8, 0.8, 1.25)),
                IDENTITY), CasePredictor.Options.fixed(SlidingWindow.Settings.defaults(PatchSize.cube(16))),
                Device.cpu());
        withManager(m -> predictor.segment(oneHot(truth), (k, classes, p) -> {
            assertThat(k).isEqualTo(maps.size());
            assertThat(classes).isEqualTo(4);
            maps.add(p);
        }, m, Monitor.SILENT));
        assertThat(maps).hasSize(4).allMatch(p -> p.length == truth.geometry().voxels());
        int agree = 0;
        for (int i = 0; i < truth.geometry().voxels(); i++) {
            double sum = 0;
            int best = 0;
            for (int k = 0; k < 4; k++) {
                sum += maps.get(k)[i];
                best = maps.get(k)[i] > maps.get(best)[i] ? k : best;
            }
            assertThat(sum).as("voxel %d", i).isCloseTo(1, within(1e-4));
            agree += LABEL_VALUES[best] == truth.get(i) ? 1 : 0;
        }
        assertThat(agree / (double) truth.geometry().voxels()).isGreaterThan(0.999);
    }
}
