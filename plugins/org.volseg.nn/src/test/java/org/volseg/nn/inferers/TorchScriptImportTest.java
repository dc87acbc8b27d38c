package org.volseg.nn.inferers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.core.data.Case;
import org.volseg.core.io.NiftiReader;
import org.volseg.core.io.NiftiWriter;
import org.volseg.core.postprocessing.PostProcessing;
import org.volseg.core.sampling.PatchSize;
import org.volseg.core.transforms.Preprocessing;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;
import org.volseg.core.volume.Volume;
import org.volseg.nn.bundle.BundleFormatException;
import org.volseg.nn.engine.Compute;
import org.volseg.nn.engine.DjlContext;
import org.volseg.nn.engine.Monitor;
import org.volseg.nn.networks.NetworkBundle;

/**
 * A TorchScript module made by PyTorch (the fixture and its script in test resources, torchscript/) runs in VolSeg
 * as it runs in PyTorch, and predicts through the same predictor as VolSeg's own networks.
 */
class TorchScriptImportTest {

    private static final Map<Integer, String> LABELS = Map.of(0, "background", 1, "liver", 2, "tumour");
    private static final TorchScriptModels.Description DESCRIPTION = new TorchScriptModels.Description(
            List.of("ct", "mask"), LABELS, new Preprocessing(null, List.of(), Preprocessing.Normalization.NONE),
            PatchSize.cube(16));

    private static Path fixture(Path dir, String name) throws IOException {
        try (InputStream in = TorchScriptImportTest.class.getResourceAsStream("torchscript/" + name)) {
            Path file = dir.resolve(name);
            Files.copy(in, file);
            return file;
        }
    }

    private static float[] floats(Path file) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[bytes.remaining() / 4];
        bytes.asFloatBuffer().get(values);
        return values;
    }

    @Test
    void theImportedModuleGivesPyTorchsOwnLogits(@TempDir Path dir) throws Exception {
        Path bundle = dir.resolve("imported.volseg");
        TorchScriptModels.importModule(fixture(dir, "tiny_segmenter.ts"), DESCRIPTION, bundle, Map.of("by", "test"));
        float[] window = floats(fixture(dir, "window.f32"));
        float[] expected = floats(fixture(dir, "logits.f32"));

        float[] actual = DjlContext.callIo(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                PredictingModel model = PredictingModel.read(bundle, m);
                assertThat(model.channelNames()).containsExactly("ct", "mask");
                assertThat(model.labelValues()).containsExactly(0, 1, 2);
                assertThat(model.patch()).isEqualTo(PatchSize.cube(16));
                assertThat(model.network()).isNull();
                assertThat(model.parameters()).isEqualTo(8 * 2 * 27 + 8 + 8 + 8 + 8 * 8 * 27 + 8 + 3 * 16 + 3);
                NDArray logits = model.predictor().logits(m.create(window, new Shape(2, 2, 16, 16, 16)));
                assertThat(logits.getShape()).isEqualTo(new Shape(2, 3, 16, 16, 16));
                return logits.toFloatArray();
            }
        });
        assertThat(actual).hasSameSizeAs(expected);
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
        }
        assertThat(worst).isLessThan(1e-4);
    }

    @Test
    void anImportedModelSegmentsACaseThroughTheSamePredictor(@TempDir Path dir) throws Exception {
        Path bundle = dir.resolve("imported.volseg");
        TorchScriptModels.importModule(fixture(dir, "tiny_segmenter.ts"), DESCRIPTION, bundle, Map.of());
        assertThat(NetworkBundle.check(bundle).architecture()).containsEntry("name", "TORCHSCRIPT");
        Geometry g = Geometry.of(23, 19, 17, 1.2, 1.2, 2);
        Volume image = Volume.zeros(g, 2);
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        for (int c = 0; c < 2; c++) {
            float[] v = image.channel(c);
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) random.nextGaussian();
            }
        }
        List<Path> files = List.of(dir.resolve("ct.nii.gz"), dir.resolve("mask.nii.gz"));
        for (int c = 0; c < 2; c++) {
            NiftiWriter.write(files.get(c), new Volume(g, image.channel(c)), NiftiWriter.Options.defaults());
        }
        Path output = dir.resolve("case_seg.nii.gz");
        try (CasePredictor predictor = CasePredictor.open(bundle, (SlidingWindow.Settings) null, Compute.CPU)) {
            CasePredictor.Result result = predictor.predict(new Case("case", files, null), output,
                    label -> dir.resolve("case_prob_" + label + ".nii.gz"), PostProcessing.none(), Monitor.SILENT);
            assertThat(result.plan().describe()).contains("window batch 1");
        }
        LabelMap labels = NiftiReader.readLabels(output);
        assertThat(labels.geometry().sameGrid(g, 1e-6)).isTrue();
        assertThat(labels.labels()).hasSizeGreaterThan(1).containsAnyOf(0, 1, 2).doesNotContain(3, 4);
        for (int label : new int[] {0, 1, 2}) {
            assertThat(dir.resolve("case_prob_" + label + ".nii.gz")).exists();
        }
        assertThat(dir.toFile().list()).noneMatch(n -> n.contains("partial"));
    }

    @Test
    void aModuleThatDoesNotFitItsDescriptionOrIsNoModuleIsRefusedNamingTheFile(@TempDir Path dir)
            throws Exception {
        Path module = fixture(dir, "tiny_segmenter.ts");
        TorchScriptModels.Description twoLabels = new TorchScriptModels.Description(DESCRIPTION.channelNames(),
                Map.of(0, "background", 1, "liver"), DESCRIPTION.preprocessing(), DESCRIPTION.window());
        assertThatThrownBy(() -> TorchScriptModels.importModule(module, twoLabels, dir.resolve("a.volseg"),
                Map.of())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tiny_segmenter.ts")
                .hasMessageContaining("(1, 3, 16, 16, 16)").hasMessageContaining("(1, 2, 16, 16, 16)");
        Path garbage = dir.resolve("notes.ts");
        Files.writeString(garbage, "not a module");
        assertThatThrownBy(() -> TorchScriptModels.importModule(garbage, DESCRIPTION, dir.resolve("b.volseg"),
                Map.of())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("notes.ts")
                .hasMessageContaining("is not a TorchScript module");
        assertThat(dir.resolve("a.volseg")).doesNotExist();
        assertThat(dir.resolve("b.volseg")).doesNotExist();

        // a changed module is refused by its checksum
        Path bundle = dir.resolve("c.volseg");
        TorchScriptModels.importModule(module, DESCRIPTION, bundle, Map.of());
        Path changed = dir.resolve("changed.volseg");
        try (var in = new java.util.zip.ZipInputStream(Files.newInputStream(bundle));
                var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(changed))) {
            for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                byte[] bytes = in.readAllBytes();
                if (e.getName().equals("model.ts")) {
                    bytes[bytes.length / 2] ^= 1;
                }
                out.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
                out.write(bytes);
                out.closeEntry();
            }
        }
        assertThatThrownBy(() -> NetworkBundle.check(changed)).isInstanceOf(BundleFormatException.class)
                .hasMessageContaining("model.ts").hasMessageContaining("checksum");
        assertThatThrownBy(() -> DjlContext.callIo(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                return NetworkBundle.read(bundle, m);
            }
        })).isInstanceOf(BundleFormatException.class).hasMessageContaining("TorchScript");
    }
}
