package org.volseg.core.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.Volume;

class PointPatchesTest {

    /** Channel c holds 1000·c + x + 20·y + 400·z, so every value says where it came from. */
    private static Volume coded() {
        Geometry g = Geometry.of(20, 20, 20, 1, 1, 1);
        Volume v = Volume.zeros(g, 2);
        for (int c = 0; c < 2; c++) {
            for (int z = 0; z < 20; z++) {
                for (int y = 0; y < 20; y++) {
                    for (int x = 0; x < 20; x++) {
                        v.set(c, x, y, z, 1000 * c + x + 20 * y + 400 * z);
                    }
                }
            }
        }
        return v;
    }

    @Test
    void theSmallPatchIsTheCubeCentredOnThePointZeroOutside() {
        Volume v = coded();
        float[] patches = PointPatches.small(v, new int[] {10, 11, 12, 0, 0, 19});
        // point 0, channel 1, patch voxel (z=3, y=3, x=3) is the centre
        assertThat(patches[(0 * 2 + 1) * 343 + (3 * 7 + 3) * 7 + 3]).isEqualTo(1000 + 10 + 20 * 11 + 400 * 12);
        // patch voxel (z=0, y=6, x=1): source (8, 14, 9)
        assertThat(patches[(3 * 49) * 0 + (0 * 7 + 6) * 7 + 1]).isEqualTo(8 + 20 * 14 + 400 * 9);
        // point 1 at the corner: x = -3..3, y = -3..3, z = 16..22; outside is 0
        int base = (1 * 2) * 343;
        assertThat(patches[base + (0 * 7 + 0) * 7 + 0]).isZero();
        assertThat(patches[base + (0 * 7 + 3) * 7 + 3]).isEqualTo(400 * 16);
        assertThat(patches[base + (6 * 7 + 3) * 7 + 3]).isZero(); // z = 22
        assertThat(patches).hasSize(2 * 2 * 343);
    }

    @Test
    void theMidRangePatchAveragesTheAsymmetricWindowTwoByTwoByTwo() {
        Volume v = coded();
        float[] patches = PointPatches.midRange(v, new int[] {10, 10, 10});
        // output (0, 0, 0) averages source x, y, z in {3, 4}: the mean of the coded values there
        double expected = (3.5) + 20 * 3.5 + 400 * 3.5;
        assertThat((double) patches[0]).isCloseTo(expected, within(1e-3));
        // output (6, 6, 6) averages source {15, 16}: the window ends at c + 6
        assertThat((double) patches[342]).isCloseTo(15.5 + 20 * 15.5 + 400 * 15.5, within(1e-2));
        assertThatThrownBy(() -> PointPatches.small(v, new int[] {1, 2})).hasMessageContaining("threes");
    }
}
