package org.volseg.core.transforms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.volseg.core.volume.Geometry;

class TargetSpacingTest {

    @Test
    void theSettingsTextReadsAndWritesBack() {
        assertThat(TargetSpacing.parse("0")).isEqualTo(TargetSpacing.KEEP); // what older workflows saved
        assertThat(TargetSpacing.parse(" Keep ")).hasToString("keep");
        assertThat(TargetSpacing.parse("auto")).isEqualTo(TargetSpacing.AUTO).hasToString("auto");
        assertThat(TargetSpacing.parse("1.5").mm()).containsExactly(1.5, 1.5, 1.5);
        assertThat(TargetSpacing.parse("1.5")).hasToString("1.5");
        assertThat(TargetSpacing.parse("0.8, 0.8, 3")).hasToString("0.8,0.8,3");
        for (String text : List.of("keep", "auto", "2", "0.8,0.8,3")) {
            assertThat(TargetSpacing.parse(TargetSpacing.parse(text).toString())).isEqualTo(TargetSpacing.parse(text));
        }
        assertThatThrownBy(() -> TargetSpacing.parse("1,2")).hasMessage("'1,2' is not keep, auto, or one or three "
                + "sizes in mm (such as 1.5 or 0.8,0.8,3)");
        assertThatThrownBy(() -> TargetSpacing.parse("-1")).hasMessageStartingWith("'-1' is not keep");
        assertThatThrownBy(() -> TargetSpacing.parse("fine")).hasMessageStartingWith("'fine' is not keep");
        assertThat(TargetSpacing.parse("2").mm()).containsExactly(2.0, 2.0, 2.0);
        assertThat(TargetSpacing.KEEP.mm()).isEmpty();
    }

    @Test
    void autoIsTheMedianSpacingOfEachRasAxis() {
        List<Geometry> grids = new ArrayList<>();
        grids.add(Geometry.of(100, 100, 80, 1, 1, 1.2));
        grids.add(Geometry.of(100, 100, 80, 0.8, 1, 1.4));
        // stored in another voxel order: its first axis is superior-inferior, so its 2 mm belongs to z
        grids.add(Reorientation.to(Geometry.of(100, 100, 80, 0.9, 1.1, 2), "SPL").target());
        assertThat(Reorientation.to(Geometry.of(100, 100, 80, 0.9, 1.1, 2), "SPL").target().spacingX()).isEqualTo(2);
        assertThat(TargetSpacing.planned(grids)).containsExactly(0.9, 1.0, 1.4);
    }

    @Test
    void thickSlicesKeepTheTenthPercentileWhenTheyAreFewToo() {
        List<Geometry> grids = new ArrayList<>();
        for (double z : new double[] {5, 5, 5, 5, 5, 5, 5, 5, 3, 2.5}) {
            grids.add(Geometry.of(256, 256, 30, 0.7, 0.7, z));
        }
        // median z 5 > 3 × 0.7 and 30 slices × 3 < 256: the 10th percentile of z, 2.95
        assertThat(TargetSpacing.planned(grids).get(2)).isCloseTo(2.95, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(TargetSpacing.planned(grids).subList(0, 2)).containsExactly(0.7, 0.7);

        List<Geometry> manySlices = new ArrayList<>();
        for (Geometry g : grids) {
            manySlices.add(Geometry.of(256, 256, 200, 0.7, 0.7, g.spacingZ()));
        }
        assertThat(TargetSpacing.planned(manySlices).get(2)).as("anisotropic spacing, but not few slices")
                .isEqualTo(5.0);
        assertThatThrownBy(() -> TargetSpacing.planned(List.of())).hasMessage("planning a spacing needs at least "
                + "one case");
    }
}
