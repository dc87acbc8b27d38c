package org.volseg.nn.inferers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.volseg.core.data.Case;
import org.volseg.core.data.synthetic.Phantom;
import org.volseg.core.data.synthetic.PhantomDataset;
import org.volseg.core.data.synthetic.PhantomSpec;
import org.volseg.core.io.NiftiReader;
import org.volseg.core.io.NiftiWriter;
import org.volseg.core.postprocessing.PostProcessing;
import org.volseg.core.sampling.PatchSize;
import org.volseg.core.transforms.GeometricTransform;
import org.volseg.core.transforms.Preprocessing;
import org.volseg.core.transforms.Reorientation;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;
import org.volseg.core.volume.Volume;
import org.volseg.nn.engine.DjlContext;
import org.volseg.nn.engine.Monitor;
import org.volseg.nn.networks.Architecture;
import org.volseg.nn.networks.Network;
import org.volseg.nn.networks.NetworkBundle;
import org.volseg.nn.networks.NetworkConfig;

/**
 * A case segmented from a bundle lands on the case's own grid, whatever the bundle's preprocessing did to it on the
 * way: reorientation is undone exactly, resampling by resampling the probabilities back.
 */
class CasePredictorTest {

    private static final Map<Integer, String> LABELS = Map.of(0, "background", 1, "core", 2, "edema", 4,
            "enhancing");

    /** A small untrained network (its labels still follow the image) as a bundle with the given preprocessing. */
    private static void writeBundle(Path file, Preprocessing preprocessing) throws Exception {
        writeBundle(file, preprocessing, LABELS, 11);
    }

    private static void writeBundle(Path file, Preprocessing preprocessing, Map<Integer, String> labels, long seed)
            throws Exception {
        writeBundle(file, preprocessing, labels, seed, 4);
    }

    private static void writeBundle(Path file, Preprocessing preprocessing, Map<Integer, String> labels, long seed,
            int topWidth) throws Exception {
        NetworkConfig config = new NetworkConfig(Architecture.UNET3D, 4, 4, List.of(topWidth, 8), 1,
                NetworkConfig.Norm.INSTANCE, NetworkConfig.Activation.LEAKY_RELU, false, PatchSize.cube(16));
        DjlContext.call(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                NetworkBundle.write(file, Network.build(config, m, seed), new NetworkBundle.Description(
                        List.of("t1", "t1ce", "t2", "flair"), labels, preprocessing, Map.of(), Map.of()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return null;
        });
    }

    /** A phantom written as one 4D file on an LPS grid with 1 × 1 × 2 mm voxels. */
    private static Case lpsCase(Path dir) throws Exception {
        Phantom p = new PhantomDataset(3, PhantomSpec.of(20, 22, 12, 1, 1, 2)).generate(0);
        GeometricTransform toLps = Reorientation.to(p.image().geometry(), "LPS");
        Path image = dir.resolve("case_lps.nii.gz");
        NiftiWriter.write(image, toLps.apply(p.image()), NiftiWriter.Options.defaults());
        return new Case("case_lps", List.of(image), null);
    }

    private static LabelMap predict(Path bundle, Case c, Path output, Monitor monitor) throws Exception {
        DjlContext.call(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                new CasePredictor(NetworkBundle.read(bundle, m)).predict(c, output, null, PostProcessing.none(), m,
                        monitor);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return null;
        });
        return NiftiReader.readLabels(output);
    }

    @Test
    void aResampledPredictionComesBackOnTheInputsGridAndHeader(@TempDir Path dir) throws Exception {
        Path bundle = dir.resolve("model.volseg");
        writeBundle(bundle, Preprocessing.defaults().withSpacing(1.5));
        Case c = lpsCase(dir);
        Path output = dir.resolve("out").resolve("case_lps_seg.nii.gz");
        Files.createDirectories(output.getParent());

        LabelMap labels = predict(bundle, c, output, Monitor.SILENT);

        Geometry input = NiftiReader.readHeader(c.images().get(0)).header().geometry();
        assertThat(labels.geometry().sameGrid(input, 1e-6)).as("%s vs %s", labels.geometry(), input).isTrue();
        assertThat(labels.geometry().orientation()).isEqualTo("LPS");
        assertThat(Arrays.stream(labels.labels()).boxed().toList()).isSubsetOf(LABELS.keySet()).hasSizeGreaterThan(1);
        assertThat(NiftiReader.readHeader(output).header().datatype().name()).isEqualTo("UINT8");
        assertThat(output.getParent().toFile().list()).containsExactly("case_lps_seg.nii.gz");
    }

    @Test
    void reorientationIsUndoneExactly(@TempDir Path dir) throws Exception {
        Path bundle = dir.resolve("model.volseg");
        writeBundle(bundle, Preprocessing.defaults());
        Case lps = lpsCase(dir);
        Volume lpsImage = NiftiReader.read(lps.images().get(0)).volume();
        GeometricTransform toRas = Reorientation.to(lpsImage.geometry(), "RAS");
        Path rasFile = dir.resolve("case_ras.nii.gz");
        NiftiWriter.write(rasFile, toRas.apply(lpsImage), NiftiWriter.Options.defaults());

        LabelMap fromLps = predict(bundle, lps, dir.resolve("lps_seg.nii.gz"), Monitor.SILENT);
        LabelMap fromRas = predict(bundle, new Case("case_ras", List.of(rasFile), null),
                dir.resolve("ras_seg.nii.gz"), Monitor.SILENT);

        LabelMap rasBack = toRas.invert(fromRas);
        assertThat(fromLps.labels()).hasSizeGreaterThan(1);
        assertThat(rasBack.geometry().sameGrid(fromLps.geometry(), 1e-6)).isTrue();
        for (int i = 0; i < fromLps.geometry().voxels(); i++) {
            assertThat(fromLps.get(i)).as("voxel %d", i).isEqualTo(rasBack.get(i));
        }
    }

    @Test
    void aCaseWithTheWrongChannelsOrACancelLeavesNoFile(@TempDir Path dir) throws Exception {
        Path bundle = dir.resolve("model.volseg");
        writeBundle(bundle, Preprocessing.defaults());
        Phantom p = new PhantomDataset(3, PhantomSpec.cube(16)).generate(0);
        Path oneChannel = dir.resolve("t1.nii.gz");
        NiftiWriter.write(oneChannel, new Volume(p.image().geometry(), p.image().channel(0)),
                NiftiWriter.Options.defaults());
        Path output = dir.resolve("seg.nii.gz");

        assertThatThrownBy(() -> predict(bundle, new Case("only_t1", List.of(oneChannel), null), output,
                Monitor.SILENT)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only_t1")
                .hasMessageContaining("1 channel").hasMessageContaining("[t1, t1ce, t2, flair]");
        assertThat(output).doesNotExist();

        Monitor cancelled = new Monitor() {
            @Override
            public void progress(double fraction, String message) {
            }

            @Override
            public void checkCanceled() {
                throw new CancellationException("cancelled by the test");
            }
        };
        assertThatThrownBy(() -> predict(bundle, lpsCase(dir), output, cancelled))
                .isInstanceOf(CancellationException.class);
        assertThat(output).doesNotExist();
    }

    @Test
    void windowBatchesSpreadOverTwoReplicasGiveTheOneDeviceLabels(@TempDir Path dir) throws Exception {
        // two CPU replicas stand in for gpu:0,1: the same spreading, threads and stitching, on the CPU
        Path bundle = dir.resolve("model.volseg");
        writeBundle(bundle, Preprocessing.defaults());
        Case c = lpsCase(dir);
        SlidingWindow.Settings window = new SlidingWindow.Settings(PatchSize.cube(16), 0.5, true, 3);
        Path one = dir.resolve("one.nii.gz");
        Path two = dir.resolve("two.nii.gz");
        String[] plans = new String[2];
        try (CasePredictor single = CasePredictor.open(bundle, CasePredictor.Options.fixed(window),
                List.of(ai.djl.Device.cpu()));
                CasePredictor spread = CasePredictor.open(bundle, CasePredictor.Options.fixed(window),
                        List.of(ai.djl.Device.cpu(), ai.djl.Device.cpu()))) {
            plans[0] = single.predict(c, one, PostProcessing.none(), Monitor.SILENT).plan().describe();
            plans[1] = spread.predict(c, two, PostProcessing.none(), Monitor.SILENT).plan().describe();
        }
        LabelMap spreadLabels = NiftiReader.readLabels(two);
        LabelMap singleLabels = NiftiReader.readLabels(one);
        assertThat(spreadLabels.labels()).hasSizeGreaterThan(1); // more than background, so the voxels say something
        assertThat(IntStream.range(0, singleLabels.geometry().voxels()).map(spreadLabels::get).toArray())
                .as("every voxel").isEqualTo(IntStream.range(0, singleLabels.geometry().voxels())
                        .map(singleLabels::get).toArray());
        assertThat(plans[0]).startsWith("window batch 3,");
        assertThat(plans[1]).startsWith("window batch 6 (3 on each of 2 devices),").contains("each)");
    }

    /**
     * Top levels 4 wide: the two members' head inputs (4 + 4 + 4 floats a voxel) would hold as much as the 3 × 4 an
     * ensemble's logits take, so it is not split; 2 wide it is split before the heads.
     */
    @ParameterizedTest
    @ValueSource(ints = {4, 2})
    void anEnsembleWritesTheMeanOfItsModelsProbabilities(int topWidth, @TempDir Path dir) throws Exception {
        // resampled on the way, so the probabilities also go through the resampling back
        Preprocessing preprocessing = Preprocessing.defaults().withSpacing(1.5);
        List<Path> bundles = List.of(dir.resolve("fold0.volseg"), dir.resolve("fold1.volseg"));
        writeBundle(bundles.get(0), preprocessing, LABELS, 11, topWidth);
        writeBundle(bundles.get(1), preprocessing, LABELS, 12, topWidth);
        Case c = lpsCase(dir);
        SlidingWindow.Settings window = new SlidingWindow.Settings(PatchSize.cube(16), 0.5, true, 2);
        List<List<Path>> runs = List.of(List.of(bundles.get(0)), List.of(bundles.get(1)), bundles);
        float[][][] maps = new float[runs.size()][LABELS.size()][];
        String plan = null;
        for (int r = 0; r < runs.size(); r++) {
            Path out = Files.createDirectories(dir.resolve("run" + r));
            try (CasePredictor predictor = CasePredictor.open(runs.get(r), CasePredictor.Options.fixed(window),
                    List.of(ai.djl.Device.cpu()))) {
                assertThat(predictor.model().predictor().pointwiseHead() != null).as("split before the heads")
                        .isEqualTo(r < 2 || topWidth == 2);
                plan = predictor.predict(c, out.resolve("seg.nii.gz"), label -> out.resolve("p" + label + ".nii"),
                        PostProcessing.none(), Monitor.SILENT).plan().describe();
            }
            int k = 0;
            for (int label : new java.util.TreeSet<>(LABELS.keySet())) {
                maps[r][k++] = NiftiReader.read(out.resolve("p" + label + ".nii")).volume().channel(0);
            }
        }
        double largestGap = 0;
        double modelsDiffer = 0;
        for (int k = 0; k < LABELS.size(); k++) {
            for (int v = 0; v < maps[0][k].length; v++) {
                double mean = (maps[0][k][v] + maps[1][k][v]) / 2;
                largestGap = Math.max(largestGap, Math.abs(maps[2][k][v] - mean));
                modelsDiffer = Math.max(modelsDiffer, Math.abs(maps[0][k][v] - maps[1][k][v]));
            }
        }
        assertThat(modelsDiffer).as("the two models must disagree for the test to mean anything").isGreaterThan(0.05);
        assertThat(largestGap).isLessThan(1e-5);
        assertThat(plan).startsWith("window batch 2,");
    }

    @Test
    void anEnsembleOfModelsForOtherLabelsIsRefusedNamingTheFile(@TempDir Path dir) throws Exception {
        Path first = dir.resolve("brats.volseg");
        Path other = dir.resolve("other.volseg");
        writeBundle(first, Preprocessing.defaults(), LABELS, 11);
        writeBundle(other, Preprocessing.defaults(), Map.of(0, "background", 1, "core", 2, "edema", 3, "necrosis"),
                11);
        assertThatThrownBy(() -> CasePredictor.open(List.of(first, other), null, List.of(ai.djl.Device.cpu())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(other + " predicts the labels [0, 1, 2, 3] where " + first + " predicts [0, 1, 2, 4]: an "
                        + "ensemble averages models trained for the same channels, labels, preprocessing and window");
    }
}
