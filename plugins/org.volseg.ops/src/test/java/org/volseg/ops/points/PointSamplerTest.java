package org.volseg.ops.points;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.core.data.Case;
import org.volseg.core.data.CaseVolumes;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;
import org.volseg.ops.api.InvalidSettingsException;
import org.volseg.ops.api.PointTable;
import org.volseg.ops.api.Progress;
import org.volseg.ops.api.Table;
import org.volseg.ops.api.VolumeTable;
import org.volseg.ops.phantoms.SyntheticPhantoms;

class PointSamplerTest {

    private static Table phantoms(Path dir) throws Exception {
        return (Table) new SyntheticPhantoms().run(Map.of("count", "2", "size", "24", "seed", "5", "folder",
                dir.toString()), List.of(), Progress.silent()).get(0);
    }

    private static Table sample(Table volumes, Map<String, String> settings) throws Exception {
        return (Table) new PointSampler().run(settings, List.of(volumes), Progress.silent()).get(0);
    }

    private static List<List<Object>> rowsOf(Table points, String caseId) {
        return points.rows().stream().filter(r -> r.get(0).equals(caseId)).toList();
    }

    @Test
    void halfThePointsLieNearLabelBordersWithTheirLabelAndWorldPosition(@TempDir Path dir) throws Exception {
        Table volumes = phantoms(dir);
        Table points = sample(volumes, Map.of("points", "1000"));
        assertThat(points.spec()).isEqualTo(PointTable.SPEC);
        assertThat(points.rows()).hasSize(2000);
        for (Case c : VolumeTable.cases(volumes)) {
            LabelMap labels = CaseVolumes.labels(c);
            Geometry g = labels.geometry();
            List<List<Object>> rows = rowsOf(points, c.id());
            assertThat(rows.stream().filter(r -> r.get(8).equals("border")).count()).isEqualTo(500);
            assertThat(rows.stream().map(r -> (Integer) r.get(7)).distinct().count()).isGreaterThan(2);
            for (List<Object> r : rows) {
                double x = (Double) r.get(1);
                double y = (Double) r.get(2);
                double z = (Double) r.get(3);
                assertThat(x).isBetween(-0.5, g.nx() - 0.5);
                double[] world = g.voxelToWorld(x, y, z);
                assertThat((Double) r.get(4)).isCloseTo(world[0], within(1e-9));
                assertThat((Double) r.get(6)).isCloseTo(world[2], within(1e-9));
                int label = labels.get((int) Math.round(x), (int) Math.round(y), (int) Math.round(z));
                assertThat((Integer) r.get(7)).isEqualTo(label);
                if (r.get(8).equals("border")) {
                    assertThat(nearAnotherLabel(labels, (int) Math.round(x), (int) Math.round(y),
                            (int) Math.round(z), 6)).as("border point %s", r).isTrue();
                }
            }
        }
    }

    /** Whether a voxel of another label lies within {@code radius} + 1 voxels (the band's reach). */
    private static boolean nearAnotherLabel(LabelMap labels, int x, int y, int z, int radius) {
        Geometry g = labels.geometry();
        int own = labels.get(x, y, z);
        int r = radius + 1;
        for (int k = Math.max(0, z - r); k <= Math.min(g.nz() - 1, z + r); k++) {
            for (int j = Math.max(0, y - r); j <= Math.min(g.ny() - 1, y + r); j++) {
                for (int i = Math.max(0, x - r); i <= Math.min(g.nx() - 1, x + r); i++) {
                    if (labels.get(i, j, k) != own) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    @Test
    void theSameSeedGivesTheSamePointsWhateverTheOrderOfTheCases(@TempDir Path dir) throws Exception {
        Table volumes = phantoms(dir);
        Table forward = sample(volumes, Map.of("points", "300", "seed", "7"));
        List<List<Object>> reversedRows = new ArrayList<>(volumes.rows());
        java.util.Collections.reverse(reversedRows);
        Table backward = sample(new Table(volumes.spec(), reversedRows), Map.of("points", "300", "seed", "7"));
        for (Case c : VolumeTable.cases(volumes)) {
            assertThat(rowsOf(backward, c.id())).isEqualTo(rowsOf(forward, c.id()));
        }
        assertThat(sample(volumes, Map.of("points", "300", "seed", "8")).rows()).isNotEqualTo(forward.rows());
    }

    @Test
    void shareZeroIsUniformAndUnlabeledCasesAreRefused(@TempDir Path dir) throws Exception {
        Table volumes = phantoms(dir);
        Table uniform = sample(volumes, Map.of("points", "200", "border_share", "0"));
        assertThat(uniform.rows()).allMatch(r -> r.get(8).equals("uniform"));
        List<List<Object>> unlabeled = volumes.rows().stream().map(r -> {
            List<Object> row = new ArrayList<>(r);
            row.set(volumes.spec().index("label"), null);
            return row;
        }).toList();
        assertThatThrownBy(() -> sample(new Table(volumes.spec(), unlabeled), Map.of())).isInstanceOf(
                InvalidSettingsException.class).hasMessageContaining("no label map");
    }
}
