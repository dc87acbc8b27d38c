package org.volseg.ops.scorer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.core.io.NiftiWriter;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;
import org.volseg.ops.api.MetricsTable;
import org.volseg.ops.api.Progress;
import org.volseg.ops.api.Table;
import org.volseg.ops.api.VolumeTable;

class SegmentationScorerTest {

    private static final Geometry GRID = Geometry.of(10, 10, 10, 1, 1, 2);

    @TempDir
    Path dir;

    private final SegmentationScorer scorer = new SegmentationScorer();

    /** A cube of label 1 from x0 (4 voxels wide). */
    private Path cube(String name, int x0) throws Exception {
        LabelMap labels = LabelMap.create(GRID, 1);
        for (int z = 3; z < 7; z++) {
            for (int y = 3; y < 7; y++) {
                for (int x = x0; x < x0 + 4; x++) {
                    labels.set(x, y, z, 1);
                }
            }
        }
        Path file = dir.resolve(name + ".nii.gz");
        NiftiWriter.writeLabels(file, labels, NiftiWriter.Options.defaults());
        return file;
    }

    private static Table table(String id, Path label) {
        return new Table.Builder(VolumeTable.SPEC).add(id, label.toString(), label.toString(), 1, 10, 10, 10, 1.0,
                1.0, 2.0, "RAS").build();
    }

    @Test
    void mergedLabelsScoreTheWholeForegroundAsOne() throws Exception {
        LabelMap twoLabels = LabelMap.create(GRID, 2);
        for (int z = 3; z < 7; z++) {
            for (int y = 3; y < 7; y++) {
                for (int x = 3; x < 7; x++) {
                    twoLabels.set(x, y, z, x < 5 ? 1 : 2); // the cube of "ref" split into labels 1 and 2
                }
            }
        }
        Path reference = dir.resolve("two.nii.gz");
        NiftiWriter.writeLabels(reference, twoLabels, NiftiWriter.Options.defaults());
        Table predictions = table("a", cube("pred", 3));
        Table separate = (Table) scorer.run(Map.of(), List.of(predictions, table("a", reference)),
                Progress.silent()).get(0);
        assertThat((double) separate.cell(0, "dice")).isEqualTo(2.0 * 32 / (32 + 64)); // label 1 alone
        Table merged = (Table) scorer.run(Map.of("merge_labels", "true"), List.of(predictions, table("a",
                reference)), Progress.silent()).get(0);
        assertThat(merged.rows()).hasSize(3); // one class: the case, its mean, the overall mean
        assertThat((double) merged.cell(0, "dice")).isEqualTo(1.0);
    }

    @Test
    void scoresPerCaseAndClassWithSummaryRows() throws Exception {
        Table predictions = table("a", cube("pred", 4));
        Table references = table("a", cube("ref", 3));
        Table metrics = (Table) scorer.execute(scorer.schema().defaults(), List.of(predictions, references),
                Progress.silent()).get(0);

        assertThat(metrics.rows()).hasSize(3); // case a class 1, mean of class 1, overall mean
        assertThat(metrics.cell(0, "case_id")).isEqualTo("a");
        assertThat((double) metrics.cell(0, "dice")).isEqualTo(0.75); // 48 of 64 voxels overlap
        assertThat((double) metrics.cell(0, "hd95_mm")).isEqualTo(1.0); // shifted by one 1 mm voxel
        assertThat((double) metrics.cell(0, "nsd")).isEqualTo(1.0); // no surface voxel more than 1 mm off
        assertThat(metrics.cell(2, "case_id")).isEqualTo(MetricsTable.MEAN);
        assertThat(metrics.cell(2, "label")).isEqualTo(0);
        Table strict = (Table) scorer.run(Map.of("surface_tolerance_mm", "0.5"), List.of(predictions, references),
                Progress.silent()).get(0);
        assertThat((double) strict.cell(0, "nsd")).isBetween(0.1, 0.9); // the faces left behind are 1 mm off
        assertThat((double) strict.cell(2, "nsd")).isEqualTo((double) strict.cell(0, "nsd"));
    }

    @Test
    void theQualityGateFailsTheNodeBelowItsDice() throws Exception {
        Table predictions = table("a", cube("pred", 4));
        Table references = table("a", cube("ref", 3));
        SegmentationScorerSettings gate = scorer.schema().parse(Map.of("fail_below_mean_dice", "0.8"));
        assertThatThrownBy(() -> scorer.execute(gate, List.of(predictions, references), Progress.silent()))
                .hasMessage("quality gate: mean Dice 0.7500 is below 0.8000");
    }

    @Test
    void classesMustBePositiveLabels() {
        assertThatThrownBy(() -> scorer.configure(scorer.schema().parse(Map.of("classes", "1,x")), List.of()))
                .hasMessage("Classes (classes) is '1,x'; allowed: positive labels separated by commas, or blank "
                        + "for all");
    }
}
