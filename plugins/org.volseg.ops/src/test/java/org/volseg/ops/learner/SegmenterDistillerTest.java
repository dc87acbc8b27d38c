package org.volseg.ops.learner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.core.io.NiftiWriter;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;
import org.volseg.core.volume.Volume;
import org.volseg.nn.bundle.BundleManifest;
import org.volseg.nn.distill.DistillingStudent;
import org.volseg.nn.networks.NetworkBundle;
import org.volseg.ops.api.HistoryTable;
import org.volseg.ops.api.InvalidSettingsException;
import org.volseg.ops.api.ModelPort;
import org.volseg.ops.api.PortData;
import org.volseg.ops.api.Progress;
import org.volseg.ops.api.Table;
import org.volseg.ops.api.VolumeTable;
import org.volseg.ops.phantoms.SyntheticPhantoms;
import org.volseg.ops.predictor.SegmenterPredictor;
import org.volseg.ops.torchscript.TorchScriptImporter;

/** Teacher → Distiller → Predictor on tiny phantoms, labeled and unlabeled. */
class SegmenterDistillerTest {

    private static Table phantoms(Path dir, int count) throws Exception {
        return (Table) new SyntheticPhantoms().run(Map.of("count", String.valueOf(count), "size", "20", "seed", "5",
                "folder", dir.toString()), List.of(), Progress.silent()).get(0);
    }

    /** The same table with the label maps of rows from {@code from} on left out. */
    private static Table withoutLabelsFrom(Table table, int from) {
        int label = VolumeTable.SPEC.index("label");
        List<List<Object>> rows = new ArrayList<>();
        for (int r = 0; r < table.rows().size(); r++) {
            List<Object> row = new ArrayList<>(table.rows().get(r));
            if (r >= from) {
                row.set(label, null);
            }
            rows.add(row);
        }
        return new Table(table.spec(), rows);
    }

    private static ModelPort teacher(Path dir, Table volumes) throws Exception {
        Map<String, String> s = new HashMap<>(Map.of("architecture", "unet3d", "widths", "4,8,16,32",
                "blocks_per_level", "1", "patch_size", "16", "epochs", "1", "steps_per_epoch", "2",
                "validation_share", "0", "seed", "3", "optimizer", "adam"));
        s.put("model_file", dir.resolve("teacher.volseg").toString());
        return (ModelPort) new SegmenterLearner().run(s, List.of(volumes), Progress.silent()).get(0);
    }

    private static Map<String, String> tiny(Path model) {
        Map<String, String> s = new HashMap<>(Map.of("widths", "4,8,16,32", "epochs", "2", "steps_per_epoch", "2",
                "validation_share", "0.5", "paraphraser_steps", "3", "seed", "4", "adversarial_weight", "0.001"));
        s.put("model_file", model.toString());
        return s;
    }

    @Test
    void distilsAStudentFromLabeledAndUnlabeledCasesThatThePredictorApplies(@TempDir Path dir) throws Exception {
        Table volumes = withoutLabelsFrom(phantoms(dir.resolve("data"), 4), 2);
        ModelPort teacher = teacher(dir, new Table(volumes.spec(), volumes.rows().subList(0, 2)));
        Path model = dir.resolve("student.volseg");

        List<PortData> out = new SegmenterDistiller().run(tiny(model), List.of(teacher, volumes),
                Progress.silent());

        ModelPort student = (ModelPort) out.get(0);
        assertThat(student.bundle()).isEqualTo(model).exists();
        assertThat(student.spec().architecture()).isEqualTo("MOBILE_UNET3D");
        assertThat(student.spec().labels()).isEqualTo(teacher.spec().labels());
        assertThat(student.spec().channels()).isEqualTo(teacher.spec().channels());
        BundleManifest manifest = NetworkBundle.check(model);
        assertThat(manifest.preprocessing()).isEqualTo(NetworkBundle.check(teacher.bundle()).preprocessing());
        assertThat(manifest.provenance()).containsEntry("distilled_from", "teacher.volseg")
                .containsEntry("unlabeled_cases", List.of("phantom_002", "phantom_003"));
        assertThat(manifest.metrics()).containsKeys("paraphraser_first_loss", "paraphraser_last_loss");

        Table history = (Table) out.get(1);
        assertThat(history.spec()).isEqualTo(HistoryTable.withLossTerms(SegmenterDistiller.TERMS));
        assertThat(history.rows()).hasSize(2);
        for (String term : SegmenterDistiller.TERMS) {
            assertThat((Double) history.cell(1, "loss_" + term)).as(term).isNotNull().isFinite();
        }

        Table predicted = (Table) new SegmenterPredictor().run(Map.of("output_folder",
                dir.resolve("predictions").toString()), List.of(student, volumes), Progress.silent()).get(0);
        assertThat(predicted.rows()).hasSize(4);
    }

    @Test
    void aStridedStudentLearnsTheGraphTermsAtItsQuarterResolutionTaps(@TempDir Path dir) throws Exception {
        Table volumes = phantoms(dir.resolve("data"), 2);
        ModelPort teacher = teacher(dir, volumes);
        Map<String, String> settings = tiny(dir.resolve("student.volseg"));
        settings.put("architecture", "strided-unet3d");

        List<PortData> out = new SegmenterDistiller().run(settings, List.of(teacher, volumes), Progress.silent());

        assertThat(((ModelPort) out.get(0)).spec().architecture()).isEqualTo("STRIDED_UNET3D");
        Table history = (Table) out.get(1);
        for (String term : List.of(DistillingStudent.VERTEX, DistillingStudent.EDGE)) {
            assertThat((Double) history.cell(1, "loss_" + term)).as(term).isNotNull().isFinite().isPositive();
        }
    }

    /** The nn module's TorchScript fixture (2 channels in, 3 classes out). */
    private static final Path MODULE = Path.of("../org.volseg.nn/src/test/resources/org/volseg/nn/inferers/"
            + "torchscript/tiny_segmenter.ts");

    @Test
    void aTorchScriptTeacherTeachesThroughItsLogits(@TempDir Path dir) throws Exception {
        Map<String, String> importing = new HashMap<>(Map.of("torchscript_file", MODULE.toString(), "channels",
                "ct, mask", "labels", "0=background, 1=liver, 2=tumour", "window", "16"));
        importing.put("model_file", dir.resolve("teacher.volseg").toString());
        ModelPort teacher = (ModelPort) new TorchScriptImporter().run(importing, List.of(), Progress.silent()).get(0);
        Geometry g = Geometry.of(20, 18, 16, 1, 1, 1);
        Table.Builder volumes = new Table.Builder(VolumeTable.SPEC);
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        for (String id : List.of("a", "b")) {
            float[] ct = new float[g.voxels()];
            float[] mask = new float[g.voxels()];
            int[] labels = new int[g.voxels()];
            for (int i = 0; i < ct.length; i++) {
                labels[i] = i % 7 == 0 ? 2 : i % 3 == 0 ? 1 : 0;
                ct[i] = labels[i] + (float) random.nextGaussian() * 0.3f;
                mask[i] = labels[i] > 0 ? 1 : 0;
            }
            Path c0 = dir.resolve(id + "_ct.nii.gz");
            Path c1 = dir.resolve(id + "_mask.nii.gz");
            Path label = dir.resolve(id + "_label.nii.gz");
            NiftiWriter.write(c0, new Volume(g, ct), NiftiWriter.Options.defaults());
            NiftiWriter.write(c1, new Volume(g, mask), NiftiWriter.Options.defaults());
            NiftiWriter.writeLabels(label, LabelMap.of(g, labels), NiftiWriter.Options.defaults());
            volumes.add(id, c0 + ";" + c1, label.toString(), 2, g.nx(), g.ny(), g.nz(), 1.0, 1.0, 1.0, "RAS");
        }
        Map<String, String> s = tiny(dir.resolve("student.volseg"));
        s.put("vertex_weight", "0");
        s.put("edge_weight", "0");
        s.put("validation_share", "0");
        s.put("soft_labels", "whole-case"); // the module segments each 20×18×16 case once, through 16³ windows

        List<PortData> out = new SegmenterDistiller().run(s, List.of(teacher, volumes.build()), Progress.silent());

        ModelPort student = (ModelPort) out.get(0);
        assertThat(student.spec().labels()).containsEntry(2, "tumour").hasSize(3);
        assertThat(student.spec().channels()).containsExactly("ct", "mask");
        Table history = (Table) out.get(1);
        assertThat((Double) history.cell(1, "loss_logits")).isNotNull().isFinite();
        assertThat(history.cell(1, "loss_vertex")).isNull();
        assertThat(NetworkBundle.check(student.bundle()).provenance().get("distillation").toString())
                .contains("soft_labels=whole-case");
    }

    @Test
    void aTorchScriptTeacherWithGraphWeightsAnOssNetTeacherOrTapsAtAnotherResolutionAreRefused(@TempDir Path dir)
            throws Exception {
        ModelPort.Spec torchScript = new ModelPort.Spec("TORCHSCRIPT", List.of("t1"), Map.of(0, "background",
                1, "tumour"), List.of(16, 16, 16));
        SegmenterDistiller distiller = new SegmenterDistiller();
        assertThatThrownBy(() -> distiller.configure(distiller.schema().parse(Map.of()), List.of(torchScript,
                VolumeTable.SPEC))).isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining("TorchScript model, whose features VolSeg cannot tap for the graph terms");
        ModelPort.Spec ossNet = new ModelPort.Spec("OSS_NET", List.of("t1"), Map.of(0, "background", 1, "tumour"),
                List.of(16, 16, 16));
        assertThatThrownBy(() -> distiller.configure(distiller.schema().parse(Map.of()), List.of(ossNet,
                VolumeTable.SPEC))).isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining("the teacher is an OSS-Net model");

        Table volumes = phantoms(dir.resolve("data"), 2);
        ModelPort teacher = teacher(dir, volumes);
        Map<String, String> threeLevels = tiny(dir.resolve("s.volseg"));
        threeLevels.put("widths", "4,8,16");
        threeLevels.put("validation_share", "0");
        assertThatThrownBy(() -> distiller.run(threeLevels, List.of(teacher, volumes), Progress.silent()))
                .hasMessageContaining("the teacher's feature taps lie at 1/4 resolution (4 levels), the student's "
                        + "at 1/2 (3 levels)");
        assertThat(dir.resolve("s.volseg")).doesNotExist();
    }
}
