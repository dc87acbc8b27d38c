package org.volseg.ops.torchscript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.core.io.NiftiReader;
import org.volseg.core.io.NiftiWriter;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;
import org.volseg.core.volume.Volume;
import org.volseg.ops.api.InvalidSettingsException;
import org.volseg.ops.api.ModelPort;
import org.volseg.ops.api.PortData;
import org.volseg.ops.api.Progress;
import org.volseg.ops.api.Table;
import org.volseg.ops.api.VolumeTable;
import org.volseg.ops.predictor.SegmenterPredictor;

/** A TorchScript module imported as a node's model and run by the Segmenter Predictor. */
class TorchScriptImporterTest {

    /** The nn module's fixture, made by its make_fixture.py with PyTorch (2 channels in, 3 classes out). */
    private static final Path MODULE = Path.of("../org.volseg.nn/src/test/resources/org/volseg/nn/inferers/"
            + "torchscript/tiny_segmenter.ts");

    private static Map<String, String> settings(Path model) {
        Map<String, String> s = new HashMap<>();
        s.put("torchscript_file", MODULE.toString());
        s.put("channels", "ct, mask");
        s.put("labels", "0=background, 1=liver, 2=tumour");
        s.put("orientation", "RAS");
        s.put("spacing", "1.5");
        s.put("normalization", "zscore");
        s.put("window", "16");
        s.put("model_file", model.toString());
        return s;
    }

    @Test
    void anImportedModuleSegmentsAVolumeTableInThePredictor(@TempDir Path dir) throws Exception {
        List<String> messages = new java.util.ArrayList<>();
        Progress listening = Progress.recording(messages);
        List<PortData> imported = new TorchScriptImporter().run(settings(dir.resolve("liver.volseg")), List.of(),
                listening);
        ModelPort model = (ModelPort) imported.get(0);
        assertThat(model.spec().architecture()).isEqualTo("TORCHSCRIPT");
        assertThat(model.spec().labels()).containsEntry(2, "tumour");
        assertThat(model.spec().patch()).containsExactly(16, 16, 16);
        assertThat(messages).anyMatch(m -> m.startsWith("warning: ") && m.contains("executable code from its author"));
        assertThat(ModelPort.read(model.bundle()).spec()).isEqualTo(model.spec());

        Geometry g = Geometry.of(20, 18, 14, 1, 1, 2);
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        Path[] channels = {dir.resolve("ct.nii.gz"), dir.resolve("mask.nii.gz")};
        for (Path c : channels) {
            float[] v = new float[g.voxels()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) random.nextGaussian();
            }
            NiftiWriter.write(c, new Volume(g, v), NiftiWriter.Options.defaults());
        }
        Table.Builder volumes = new Table.Builder(VolumeTable.SPEC);
        volumes.add("case1", channels[0] + ";" + channels[1], null, 2, g.nx(), g.ny(), g.nz(), 1.0, 1.0, 2.0, "RAS");
        Map<String, String> predict = new HashMap<>();
        predict.put("output_folder", dir.resolve("out").toString());
        predict.put("tta_flips", "x");
        predict.put("probability_maps", "true");
        List<String> predicting = new java.util.ArrayList<>();
        Table predictions = (Table) new SegmenterPredictor().run(predict, List.of(model, volumes.build()),
                Progress.recording(predicting)).get(0);
        List<Object> row = predictions.rows().get(0);
        LabelMap labels = NiftiReader.readLabels(Path.of((String) row.get(predictions.spec().index("label"))));
        assertThat(labels.geometry().sameGrid(g, 1e-6)).isTrue();
        assertThat((String) row.get(predictions.spec().index("device"))).startsWith("cpu");
        assertThat((String) row.get(predictions.spec().index("plan"))).contains("2 flips");
        // the node's log keeps which device ran, and each case's plan
        assertThat(predicting).anyMatch(m -> m.startsWith("log: predicting on cpu")).anyMatch(m -> m.startsWith(
                "log: case1: window batch") && m.contains("2 flips"));
        String maps = (String) row.get(predictions.spec().index("probability_maps"));
        assertThat(maps.split(";")).hasSize(3).allMatch(f -> Files.exists(Path.of(f)))
                .anyMatch(f -> f.endsWith("case1_prob_2.nii.gz"));
    }

    @Test
    void badSettingsAreRefusedNamingTheSetting(@TempDir Path dir) {
        Map<String, String> labels = settings(dir.resolve("a.volseg"));
        labels.put("labels", "0=background,2=a,1=b");
        assertThatThrownBy(() -> new TorchScriptImporter().run(labels, List.of(), Progress.silent()))
                .isInstanceOf(InvalidSettingsException.class).hasMessageContaining("Labels (labels)")
                .hasMessageContaining("'1=b'");
        Map<String, String> window = settings(dir.resolve("a.volseg"));
        window.put("window", "16,16");
        assertThatThrownBy(() -> new TorchScriptImporter().run(window, List.of(), Progress.silent()))
                .isInstanceOf(InvalidSettingsException.class).hasMessageContaining("window");
        Map<String, String> classes = settings(dir.resolve("a.volseg"));
        classes.put("labels", "0=background,1=liver");
        assertThatThrownBy(() -> new TorchScriptImporter().run(classes, List.of(), Progress.silent()))
                .isInstanceOf(InvalidSettingsException.class).hasMessageContaining("tiny_segmenter.ts")
                .hasMessageContaining("expected logits");
        Map<String, String> missing = settings(dir.resolve("a.volseg"));
        missing.put("torchscript_file", dir.resolve("nowhere.ts").toString());
        assertThatThrownBy(() -> new TorchScriptImporter().run(missing, List.of(), Progress.silent()))
                .isInstanceOf(InvalidSettingsException.class).hasMessageContaining("nowhere.ts");
        assertThat(dir.resolve("a.volseg")).doesNotExist();
    }
}
