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
import org.volseg.core.data.Case;
import org.volseg.core.io.NiftiReader;
import org.volseg.core.volume.LabelMap;
import org.volseg.ops.api.InvalidSettingsException;
import org.volseg.ops.api.ModelPort;
import org.volseg.ops.api.PortData;
import org.volseg.ops.api.Progress;
import org.volseg.ops.api.Table;
import org.volseg.ops.api.VolumeTable;
import org.volseg.ops.phantoms.SyntheticPhantoms;
import org.volseg.ops.predictor.SegmenterPredictor;
import org.volseg.ops.scorer.SegmentationScorer;

/** OSS-Net Learner → Predictor → Scorer on tiny phantoms, and what it refuses. */
class OssNetLearnerTest {

    private static Table phantoms(Path dir, int count) throws Exception {
        return (Table) new SyntheticPhantoms().run(Map.of("count", String.valueOf(count), "size", "20", "seed", "5",
                "folder", dir.toString()), List.of(), Progress.silent()).get(0);
    }

    private static Map<String, String> tiny(Path model) {
        Map<String, String> s = new HashMap<>(Map.of("variant", "c", "widths", "4,8", "points", "256", "epochs",
                "2", "batch_size", "1", "validation_share", "0.34", "validate_every", "1", "validation_points", "512",
                "learning_rate", "0.003"));
        s.put("model_file", model.toString());
        return s;
    }

    @Test
    void learnsABundleThePredictorRunsInTheInputsGeometry(@TempDir Path dir) throws Exception {
        Table volumes = phantoms(dir.resolve("data"), 3);
        List<PortData> out = new OssNetLearner().run(tiny(dir.resolve("ossnet.volseg")), List.of(volumes),
                Progress.silent());
        ModelPort model = (ModelPort) out.get(0);
        assertThat(model.spec().architecture()).isEqualTo("OSS_NET");
        assertThat(model.spec().patch()).containsExactly(24, 24, 24); // 20 voxels in a grid of 8 · ⌈20 / 8⌉
        assertThat(model.spec().labels()).containsEntry(1, "foreground");
        // the checkpoint written after every epoch goes once the bundle is written
        assertThat(dir).isDirectoryNotContaining("glob:**.checkpoint");
        Table history = (Table) out.get(1);
        assertThat(history.rows()).hasSize(2);
        assertThat(history.spec().columns().stream().map(c -> c.name())).contains("loss_occupancy", "loss_aux");
        assertThat(history.rows().get(1).get(history.spec().index("validation_mean_dice"))).isNotNull();

        Table predicted = (Table) new SegmenterPredictor().run(Map.of("output_folder",
                dir.resolve("predictions").toString()), List.of(model, volumes), Progress.silent()).get(0);
        assertThat(predicted.rows()).hasSize(3);
        Case first = VolumeTable.cases(predicted).get(0);
        LabelMap labels = NiftiReader.readLabels(first.label());
        assertThat(labels.geometry().nx()).isEqualTo(20);
        assertThat(labels.labels()).containsAnyOf(0, 1).doesNotContain(2, 3, 4);
        assertThat((String) predicted.rows().get(0).get(predicted.spec().index("plan")))
                .contains("OSS-Net encoder-guided: ").contains("voxel queries");
        Table dense = (Table) new SegmenterPredictor().run(Map.of("output_folder", dir.resolve("dense").toString(),
                "occupancy_procedure", "dense"), List.of(model, volumes), Progress.silent()).get(0);
        assertThat((String) dense.rows().get(0).get(dense.spec().index("plan")))
                .contains("OSS-Net dense: 13,824 voxel queries (100.0 % of 13,824)");

        Table scores = (Table) new SegmentationScorer().run(Map.of("merge_labels", "true"), List.of(predicted,
                volumes), Progress.silent()).get(0);
        assertThat(scores.rows()).isNotEmpty();
    }

    @Test
    void withEachLabelAClassTheModelAndItsPredictionsKeepTheLabelValues(@TempDir Path dir) throws Exception {
        Table volumes = phantoms(dir.resolve("data"), 3);
        Map<String, String> s = tiny(dir.resolve("each.volseg"));
        s.put("labels", "each");
        s.put("epochs", "1");
        List<PortData> out = new OssNetLearner().run(s, List.of(volumes), Progress.silent());
        ModelPort model = (ModelPort) out.get(0);
        assertThat(model.spec().labels()).containsOnlyKeys(0, 1, 2, 3); // the phantoms' core, edema, enhancing
        Table history = (Table) out.get(1);
        assertThat((String) history.rows().get(0).get(history.spec().index("validation_dice")))
                .startsWith("1=").contains(";2=").contains(";3=");

        Table predicted = (Table) new SegmenterPredictor().run(Map.of("output_folder",
                dir.resolve("predictions").toString(), "occupancy_procedure", "coarse-to-fine"), List.of(model,
                        volumes), Progress.silent()).get(0);
        LabelMap labels = NiftiReader.readLabels(VolumeTable.cases(predicted).get(0).label());
        assertThat(labels.labels()).doesNotContain(4, 5);
        assertThat((String) predicted.rows().get(0).get(predicted.spec().index("plan")))
                .contains("OSS-Net coarse-to-fine: ");
    }

    @Test
    void anUnlabeledCaseAndBadWidthsAreRefusedByName(@TempDir Path dir) throws Exception {
        Table volumes = phantoms(dir.resolve("data"), 2);
        int label = VolumeTable.SPEC.index("label");
        List<List<Object>> rows = new ArrayList<>();
        for (List<Object> row : volumes.rows()) {
            rows.add(new ArrayList<>(row));
        }
        rows.get(1).set(label, null);
        Table unlabeled = new Table(volumes.spec(), rows);
        String id = VolumeTable.cases(volumes).get(1).id();
        assertThatThrownBy(() -> new OssNetLearner().run(tiny(dir.resolve("m.volseg")), List.of(unlabeled),
                Progress.silent())).isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining("case " + id + " has no label map");
        Map<String, String> bad = tiny(dir.resolve("m.volseg"));
        bad.put("widths", "4,1");
        assertThatThrownBy(() -> new OssNetLearner().run(bad, List.of(volumes), Progress.silent()))
                .isInstanceOf(InvalidSettingsException.class).hasMessageContaining("Encoder widths (widths) is '4,1'");
        assertThat(dir.resolve("m.volseg")).doesNotExist();
    }
}
