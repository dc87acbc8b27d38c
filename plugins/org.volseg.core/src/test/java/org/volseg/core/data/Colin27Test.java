package org.volseg.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.volseg.core.io.NiftiReader;
import org.volseg.core.transforms.Box;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;

class Colin27Test {

    @BeforeEach
    void needsMricronData() {
        assumeTrue(ReferenceData.MRICRON_TEMPLATES.find().isPresent(), "mricron-data is not installed");
    }

    /** Brute force over the raw atlas: each class holds exactly the voxels of its AAL indices. */
    @Test
    void aalRegionsHoldTheirIndicesVoxelsAndNothingElse() throws IOException {
        LabelMap atlas = NiftiReader.readLabels(ReferenceData.MRICRON_TEMPLATES.file("aal.nii.gz").orElseThrow());
        LabelMap regions = Colin27.aalRegions(new int[] {7, 8}, new int[] {85});
        assertThat(regions.geometry()).isEqualTo(atlas.geometry());
        long[] expected = new long[3];
        for (int i = 0; i < atlas.geometry().voxels(); i++) {
            int index = atlas.get(i);
            int k = index == 7 || index == 8 ? 1 : index == 85 ? 2 : 0;
            expected[k]++;
            assertThat(regions.get(i)).as("voxel %d (AAL %d)", i, index).isEqualTo(k);
        }
        assertThat(expected[1]).isPositive();
        assertThat(expected[2]).isPositive();
        assertThat(regions.histogram()).containsExactly(expected);
    }

    /** AAL's odd indices are left regions: Frontal_Mid_L (7) lies in the left hemisphere's box, _R (8) in the right. */
    @Test
    void oddIndicesLieLeftOfTheMidline() throws IOException {
        LabelMap regions = Colin27.aalRegions(new int[] {7}, new int[] {8});
        Geometry g = regions.geometry();
        Box[] halves = Colin27.hemispheres(g);
        long[][] inHalf = new long[2][3];
        for (int z = 0; z < g.nz(); z++) {
            for (int y = 0; y < g.ny(); y++) {
                for (int x = 0; x < g.nx(); x++) {
                    int half = x >= halves[0].x() && x < halves[0].x() + halves[0].sizeX() ? 0 : 1;
                    inHalf[half][regions.get(x, y, z)]++;
                }
            }
        }
        assertThat(inHalf[0][1]).isPositive();
        assertThat(inHalf[1][1]).isZero();
        assertThat(inHalf[1][2]).isPositive();
        assertThat(inHalf[0][2]).isZero();
    }

    @Test
    void anIndexInTwoRegionsIsRefused() {
        assertThatThrownBy(() -> Colin27.aalRegions(new int[] {7, 8}, new int[] {8}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AAL index 8");
    }
}
