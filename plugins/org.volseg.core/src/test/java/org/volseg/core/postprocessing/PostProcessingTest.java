package org.volseg.core.postprocessing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;

class PostProcessingTest {

    private static final Geometry GRID = Geometry.of(12, 12, 12, 1, 1, 1);

    private static LabelMap cube(LabelMap m, int x0, int y0, int z0, int edge, int label) {
        for (int z = z0; z < z0 + edge; z++) {
            for (int y = y0; y < y0 + edge; y++) {
                for (int x = x0; x < x0 + edge; x++) {
                    m.set(x, y, z, label);
                }
            }
        }
        return m;
    }

    private static long count(LabelMap m, int label) {
        return m.histogram().length > label ? m.histogram()[label] : 0;
    }

    @Test
    void keepsTheLargestComponentPerLabelWithCornersConnecting() {
        LabelMap m = cube(LabelMap.create(GRID, 2), 1, 1, 1, 3, 1); // 27 voxels
        cube(m, 8, 8, 8, 2, 1); // 8 voxels, apart
        m.set(4, 4, 4, 1); // touches the big cube's corner (3, 3, 3) only diagonally: the same component
        cube(m, 6, 1, 1, 2, 2);

        LabelMap out = new PostProcessing(true, 0, false).apply(m);

        assertThat(count(out, 1)).isEqualTo(28);
        assertThat(out.get(4, 4, 4)).isEqualTo(1);
        assertThat(out.get(8, 8, 8)).isZero();
        assertThat(count(out, 2)).isEqualTo(8); // each label keeps its own largest
    }

    @Test
    void removesComponentsUnderTheSize() {
        LabelMap m = cube(LabelMap.create(GRID, 1), 1, 1, 1, 3, 1);
        cube(m, 8, 8, 8, 2, 1);
        m.set(6, 1, 10, 1);

        LabelMap out = new PostProcessing(false, 8, false).apply(m);

        assertThat(count(out, 1)).isEqualTo(27 + 8);
        assertThat(out.get(6, 1, 10)).isZero();
        assertThat(new PostProcessing(false, 9, false).apply(m).get(8, 8, 8)).isZero();
    }

    @Test
    void fillsEnclosedBackgroundWithTheLabelAroundItAndLeavesNestedLabels() {
        LabelMap m = cube(LabelMap.create(GRID, 3), 2, 2, 2, 7, 2); // edema 7³
        cube(m, 4, 4, 4, 3, 0); // a hole inside
        m.set(5, 5, 5, 3); // an enhancing voxel in the hole
        cube(m, 0, 0, 5, 2, 0);

        LabelMap out = new PostProcessing(false, 0, true).apply(m);

        assertThat(out.get(4, 4, 4)).isEqualTo(2);
        assertThat(out.get(5, 5, 5)).isEqualTo(3);
        assertThat(count(out, 2)).isEqualTo(7 * 7 * 7 - 1);
        assertThat(out.get(0, 0, 0)).as("background reaching the border is no hole").isZero();
    }

    @Test
    void noneChangesNothingAndNegativeSizesAreRefused() {
        LabelMap m = cube(LabelMap.create(GRID, 1), 1, 1, 1, 3, 1);
        m.set(10, 10, 10, 1);
        LabelMap out = PostProcessing.none().apply(m);
        for (int i = 0; i < GRID.voxels(); i++) {
            assertThat(out.get(i)).isEqualTo(m.get(i));
        }
        assertThat(PostProcessing.none().isNone()).isTrue();
        assertThatThrownBy(() -> new PostProcessing(false, -1, false)).hasMessageContaining("-1");
    }
}
