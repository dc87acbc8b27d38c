package org.volseg.ops.learner;

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
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;
import org.volseg.ops.api.HistoryTable;
import org.volseg.ops.api.InvalidSettingsException;
import org.volseg.ops.api.ModelPort;
import org.volseg.ops.api.PortData;
import org.volseg.ops.api.Progress;
import org.volseg.ops.api.Table;
import org.volseg.ops.phantoms.SyntheticPhantoms;
import org.volseg.ops.predictor.SegmenterPredictor;

/** Learner → Predictor on tiny phantoms: a bundle with the data's channels and labels, label maps on input grids. */
class SegmenterLearnerTest {

    private static Table phantoms(Path dir, int count) throws Exception {
        return (Table) new SyntheticPhantoms().run(Map.of("count", String.valueOf(count), "size", "20", "seed", "5",
                "folder", dir.toString()), List.of(), Progress.silent()).get(0);
    }

    private static Map<String, String> tiny(Path model) {
        Map<String, String> s = new HashMap<>(Map.of("architecture", "partially-invres", "widths", "4,8",
                "blocks_per_level", "1", "patch_size", "16", "epochs", "2", "steps_per_epoch", "2",
                "validation_share", "0.34", "seed", "3"));
        s.put("model_file", model.toString());
        return s;
    }

    @Test
    void learnsAModelThatThePredictorAppliesOnEachInputsGrid(@TempDir Path dir) throws Exception {
        Table volumes = phantoms(dir.resolve("data"), 3);
        Path model = dir.resolve("models").resolve("tiny.volseg");

        List<PortData> learned = new SegmenterLearner().run(tiny(model), List.of(volumes), Progress.silent());

        ModelPort port = (ModelPort) learned.get(0);
        assertThat(port.bundle()).isEqualTo(model).exists();
        assertThat(port.spec().channels()).containsExactly("t1", "t1ce", "t2", "flair");
        assertThat(port.spec().labels()).containsOnlyKeys(0, 1, 2, 3);
        assertThat(port.spec().architecture()).isEqualTo("PARTIALLY_INVRES");
        Table history = (Table) learned.get(1);
        assertThat(history.spec()).isEqualTo(HistoryTable.SPEC);
        assertThat(history.rows()).hasSize(2);
        assertThat((Double) history.cell(1, "validation_mean_dice")).isBetween(0.0, 1.0);
        assertThat(dir.resolve("models").toFile().list()).containsExactly("tiny.volseg");

        Path out = dir.resolve("predictions");
        Table predicted = (Table) new SegmenterPredictor().run(Map.of("output_folder", out.toString()),
                List.of(port, volumes), Progress.silent()).get(0);

        assertThat(predicted.rows()).hasSize(3);
        for (int row = 0; row < 3; row++) {
            Path label = Path.of((String) predicted.cell(row, "label"));
            assertThat(label.getParent()).isEqualTo(out);
            LabelMap labels = NiftiReader.readLabels(label);
            Geometry input = NiftiReader.readHeader(Path.of(((String) volumes.cell(row, "images")).split(";")[0]))
                    .header().geometry();
            assertThat(labels.geometry().sameGrid(input, 1e-6)).isTrue();
            assertThat(java.util.Arrays.stream(labels.labels()).boxed().toList()).isSubsetOf(0, 1, 2, 3);
        }
        assertThatThrownBy(() -> new SegmenterPredictor().run(Map.of("output_folder", out.toString()),
                List.of(port, volumes), Progress.silent())).isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining("exists already");

        // post-processing: each label keeps one component, and nothing else changes its values
        Table cleaned = (Table) new SegmenterPredictor().run(Map.of("output_folder", out.toString(), "overwrite",
                "overwrite", "largest_component", "true"), List.of(port, volumes), Progress.silent()).get(0);
        LabelMap one = NiftiReader.readLabels(Path.of((String) cleaned.cell(0, "label")));
        for (int label : one.labels()) {
            if (label != 0) {
                assertThat(org.volseg.core.postprocessing.PostProcessing.none().apply(one).histogram()[label])
                        .isEqualTo(new org.volseg.core.postprocessing.PostProcessing(true, 0, false).apply(one)
                                .histogram()[label]);
            }
        }
    }

    @Test
    void twoCrossValidationFoldsPredictAsAnEnsembleAndAForeignModelIsRefused(@TempDir Path dir) throws Exception {
        Table volumes = phantoms(dir.resolve("data"), 3);
        Path fold0 = dir.resolve("fold0.volseg");
        Path fold1 = dir.resolve("fold1.volseg");
        Map<String, String> first = tiny(fold0);
        first.put("cross_validation_fold", "0/2");
        ModelPort port = (ModelPort) new SegmenterLearner().run(first, List.of(volumes), Progress.silent()).get(0);
        Map<String, String> second = tiny(fold1);
        second.put("cross_validation_fold", "1/2");
        second.put("seed", "4"); // the folds do not depend on it
        new SegmenterLearner().run(second, List.of(volumes), Progress.silent());
        List<Object> validated = new java.util.ArrayList<>();
        for (Path fold : List.of(fold0, fold1)) {
            Map<String, Object> provenance = org.volseg.nn.networks.NetworkBundle.check(fold).provenance();
            List<Object> training = new java.util.ArrayList<>((List<?>) provenance.get("training_cases"));
            List<Object> validation = new java.util.ArrayList<>((List<?>) provenance.get("validation_cases"));
            assertThat(training).isNotEmpty().doesNotContainAnyElementsOf(validation);
            validated.addAll(validation);
        }
        assertThat(validated).containsExactlyInAnyOrder("phantom_000", "phantom_001", "phantom_002");
        Map<String, String> third = tiny(dir.resolve("fold3.volseg"));
        third.put("cross_validation_fold", "3/4");
        assertThatThrownBy(() -> new SegmenterLearner().run(third, List.of(volumes), Progress.silent()))
                .isInstanceOf(InvalidSettingsException.class).hasMessage("Cross-validation fold "
                        + "(cross_validation_fold) is 3/4, but 3 case(s) make at most 3 folds");

        Path out = dir.resolve("predictions");
        Table predicted = (Table) new SegmenterPredictor().run(Map.of("output_folder", out.toString(),
                "ensemble_models", " " + fold1 + " ; "), List.of(port, volumes), Progress.silent()).get(0);
        assertThat(predicted.rows()).hasSize(3);
        assertThat((String) predicted.cell(0, "plan")).contains("; an ensemble of 2 models");
        LabelMap labels = NiftiReader.readLabels(Path.of((String) predicted.cell(0, "label")));
        assertThat(java.util.Arrays.stream(labels.labels()).boxed().toList()).isSubsetOf(0, 1, 2, 3);

        Path missing = dir.resolve("fold2.volseg");
        assertThatThrownBy(() -> new SegmenterPredictor().run(Map.of("output_folder", dir.resolve("p2").toString(),
                "ensemble_models", fold1 + ";" + missing), List.of(port, volumes), Progress.silent()))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessage("Ensemble with (ensemble_models): " + missing + " does not exist");
        Path resampled = dir.resolve("resampled.volseg");
        Map<String, String> coarser = tiny(resampled);
        coarser.put("spacing", "1.5");
        new SegmenterLearner().run(coarser, List.of(volumes), Progress.silent());
        assertThatThrownBy(() -> new SegmenterPredictor().run(Map.of("output_folder", dir.resolve("p3").toString(),
                "ensemble_models", resampled.toString()), List.of(port, volumes), Progress.silent()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(resampled + " prepares images as ")
                .hasMessageContaining(" where " + fold0 + " prepares them as ").hasMessageEndingWith(": an ensemble "
                        + "averages models trained for the same channels, labels, preprocessing and window");
        assertThat(dir.resolve("p3")).as("refused before anything is written").doesNotExist();
    }

    @Test
    void badSettingsAndUnlabeledCasesAreRefusedNamingWhy(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("m.volseg");
        Map<String, String> widths = tiny(model);
        widths.put("widths", "4,eight");
        assertThatThrownBy(() -> new SegmenterLearner().run(widths, List.of(phantoms(dir, 2)), Progress.silent()))
                .isInstanceOf(InvalidSettingsException.class).hasMessageContaining("widths")
                .hasMessageContaining("4,eight");
        Map<String, String> patch = tiny(model);
        patch.put("patch_size", "17");
        assertThatThrownBy(() -> new SegmenterLearner().run(patch, List.of(phantoms(dir, 2)), Progress.silent()))
                .isInstanceOf(InvalidSettingsException.class).hasMessageContaining("17");
        if (org.volseg.nn.engine.Compute.AUTO.resolve().note().startsWith("cpu")) { // a machine without a GPU
            Map<String, String> gpu = tiny(model);
            gpu.put("device", "gpu");
            assertThatThrownBy(() -> new SegmenterLearner().run(gpu, List.of(phantoms(dir, 2)), Progress.silent()))
                    .isInstanceOf(InvalidSettingsException.class).hasMessageContaining("Device (device)")
                    .hasMessageContaining("no such GPU");
        }
        Map<String, String> twoGpus = tiny(model);
        twoGpus.put("device", "gpu:0,1");
        assertThatThrownBy(() -> new SegmenterLearner().run(twoGpus, List.of(phantoms(dir, 2)), Progress.silent()))
                .isInstanceOf(InvalidSettingsException.class).hasMessageContaining("Device (device)")
                .hasMessageContaining("gpu:0,1 names 2 GPUs").hasMessageContaining("training runs on one device");
        Table volumes = phantoms(dir, 2);
        Table unlabeled = new Table(volumes.spec(), volumes.rows().stream().map(r -> {
            List<Object> row = new java.util.ArrayList<>(r);
            row.set(volumes.spec().index("label"), null);
            return row;
        }).toList());
        assertThatThrownBy(() -> new SegmenterLearner().run(tiny(model), List.of(unlabeled), Progress.silent()))
                .isInstanceOf(InvalidSettingsException.class).hasMessageContaining("phantom_000")
                .hasMessageContaining("no label map");
        assertThat(model).doesNotExist();
    }

    @Test
    void anAutoSpacingIsPlannedFromTheCasesReportedAndRecordedInTheBundle(@TempDir Path dir) throws Exception {
        Table volumes = (Table) new SyntheticPhantoms().run(Map.of("count", "2", "size", "20", "seed", "5",
                "spacing", "1.5", "folder", dir.resolve("data").toString()), List.of(), Progress.silent()).get(0);
        Path model = dir.resolve("auto.volseg");
        Map<String, String> settings = tiny(model);
        settings.put("spacing", "auto");
        List<String> messages = new java.util.ArrayList<>();
        new SegmenterLearner().run(settings, List.of(volumes), Progress.recording(messages));
        assertThat(messages).contains("spacing planned from 2 cases: 1.50 × 1.50 × 1.50 mm")
                .anyMatch(m -> m.startsWith("log: training PARTIALLY_INVRES on cpu"));
        assertThat(org.volseg.nn.networks.NetworkBundle.check(model).preprocessing().get("spacing_mm"))
                .isEqualTo(List.of(1.5, 1.5, 1.5));
    }

    @Test
    void aCancelledRunLeavesNoModelAndResumesFromItsCheckpoint(@TempDir Path dir) throws Exception {
        Table volumes = phantoms(dir.resolve("data"), 2);
        Path model = dir.resolve("m.volseg");
        Map<String, String> settings = tiny(model);
        settings.put("validation_share", "0");
        int[] checks = {0};
        Progress cancelLate = new Progress() {
            @Override
            public void report(double fraction, String message) {
            }

            @Override
            public void checkCanceled() throws CanceledException {
                if (++checks[0] > 4) {
                    throw new CanceledException();
                }
            }

            @Override
            public void warn(String message) {
            }
        };
        assertThatThrownBy(() -> new SegmenterLearner().run(settings, List.of(volumes), cancelLate))
                .isInstanceOf(Progress.CanceledException.class);
        assertThat(model).doesNotExist();
        assertThat(dir.resolve("m.volseg.checkpoint")).exists();

        Table history = (Table) new SegmenterLearner().run(settings, List.of(volumes), Progress.silent()).get(1);

        assertThat(model).exists();
        assertThat(history.rows()).hasSize(2);
        assertThat(dir.resolve("m.volseg.checkpoint")).doesNotExist();
    }
}
