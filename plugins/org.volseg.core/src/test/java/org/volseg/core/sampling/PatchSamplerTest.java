package org.volseg.core.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.volseg.core.volume.Affine;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;
import org.volseg.core.volume.Volume;

class PatchSamplerTest {

    private static final Geometry GRID = Geometry.of(20, 24, 16, 1, 1, 2);
    private static final PatchSize PATCH = PatchSize.of(8, 6, 5);

    /**
     * Three foreground classes of very different sizes on a 32³ grid: a large ball (1), a 3×3×3 cube in a corner
     * (2) so that clamping matters, and a single voxel on a face (3).
     */
    static LabelMap threeClasses() {
        Geometry g = Geometry.of(32, 32, 32, 1, 1, 1);
        LabelMap map = LabelMap.create(g, 3);
        for (int z = 0; z < 32; z++) {
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    if ((x - 14) * (x - 14) + (y - 16) * (y - 16) + (z - 15) * (z - 15) <= 36) {
                        map.set(x, y, z, 1);
                    }
                    if (x >= 29 && y < 3 && z >= 29) {
                        map.set(x, y, z, 2);
                    }
                }
            }
        }
        map.set(0, 31, 10, 3);
        return map;
    }

    @Test
    void uniformPatchesFitAndReachEveryOrigin() {
        List<SampledPatch> patches = new UniformPatchSampler(GRID, PATCH).sample(4000, 1);
        int[][] seen = {new int[13], new int[19], new int[12]};
        for (SampledPatch p : patches) {
            assertThat(p.isForeground()).isFalse();
            assertThat(p.box().isInside(GRID)).as("%s", p.box()).isTrue();
            assertThat(p.box().size()).isEqualTo(PATCH);
            seen[0][p.box().x()]++;
            seen[1][p.box().y()]++;
            seen[2][p.box().z()]++;
        }
        // every origin 0..n-p on every axis occurs (4000 draws over at most 19 values: each expected ≥ 210 times)
        for (int[] axis : seen) {
            assertThat(axis).doesNotContain(0);
        }
    }

    @Test
    void aGridSmallerThanThePatchIsCentredInIt() {
        Geometry small = Geometry.of(10, 30, 5, 1, 1, 1);
        PatchSize size = PatchSize.cube(16);
        for (SampledPatch p : new UniformPatchSampler(small, size).sample(200, 3)) {
            assertThat(p.box().x()).isEqualTo(-3);
            assertThat(p.box().y()).isBetween(0, 14);
            assertThat(p.box().z()).isEqualTo(-5); // 11 voxels of padding: 5 before, 6 after
        }
        LabelMap labels = LabelMap.create(small, 1);
        labels.set(4, 20, 2, 1);
        for (SampledPatch p : new ClassBalancedPatchSampler(labels, size, 1.0).sample(50, 4)) {
            assertThat(p.centreLabel()).isEqualTo(1);
            assertThat(p.box().x()).isEqualTo(-3);
            assertThat(p.box().z()).isEqualTo(-5);
            assertThat(p.box().contains(4, 20, 2)).isTrue();
        }
    }

    /**
     * The share of foreground-centred patches is a binomial proportion: over n = 6000 draws with p = ⅓ its
     * standard deviation is √(p(1-p)/n) ≈ 0.0061, so ±0.025 is about 4σ (a correct sampler fails it for fewer than
     * one seed in 10 000; the seeds here are fixed, so the test is deterministic anyway).
     */
    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13})
    void classBalancedShareMatchesTheConfiguredShare(long seed) {
        LabelMap labels = threeClasses();
        ClassBalancedPatchSampler sampler = new ClassBalancedPatchSampler(labels, PatchSize.cube(12));
        assertThat(sampler.foregroundShare()).isEqualTo(1.0 / 3);
        assertThat(sampler.presentClasses()).containsExactly(1, 2, 3);
        int n = 6000;
        int[] perClass = new int[4];
        int foreground = 0;
        for (SampledPatch p : sampler.sample(n, seed)) {
            assertThat(p.box().isInside(labels.geometry())).as("%s", p.box()).isTrue();
            if (p.isForeground()) {
                foreground++;
                perClass[p.centreLabel()]++;
                assertThat(containsLabel(labels, p.box(), p.centreLabel())).as("%s", p).isTrue();
            }
        }
        assertThat(foreground / (double) n).isCloseTo(1.0 / 3, within(0.025));
        // classes are drawn uniformly, whatever their size: each ⅓ of ~2000 foreground draws, σ ≈ 0.0105
        for (int c = 1; c <= 3; c++) {
            assertThat(perClass[c] / (double) foreground).as("class %d", c).isCloseTo(1.0 / 3, within(0.045));
        }
    }

    @Test
    void otherSharesAndNoForeground() {
        LabelMap labels = threeClasses();
        List<SampledPatch> half = new ClassBalancedPatchSampler(labels, PatchSize.cube(8), 0.5).sample(6000, 5);
        // σ = √(0.25/6000) ≈ 0.0065: ±0.026 is 4σ
        assertThat(half.stream().filter(SampledPatch::isForeground).count() / 6000.0).isCloseTo(0.5,
                within(0.026));
        assertThat(new ClassBalancedPatchSampler(labels, PatchSize.cube(8), 0).sample(500, 5))
                .noneMatch(SampledPatch::isForeground);
        assertThat(new ClassBalancedPatchSampler(labels, PatchSize.cube(8), 1).sample(500, 5))
                .allMatch(SampledPatch::isForeground);
        // only the classes asked for, and absent ones are skipped
        assertThat(new ClassBalancedPatchSampler(labels, PatchSize.cube(8), 1, 3, 7).sample(100, 5))
                .allMatch(p -> p.centreLabel() == 3);
        LabelMap empty = LabelMap.create(labels.geometry(), 3);
        assertThat(new ClassBalancedPatchSampler(empty, PatchSize.cube(8), 1).sample(100, 5))
                .noneMatch(SampledPatch::isForeground)
                .allMatch(p -> p.box().isInside(empty.geometry()));
        assertThatThrownBy(() -> new ClassBalancedPatchSampler(labels, PatchSize.cube(8), 1.5))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSeedGivesTheSamePatches() {
        ClassBalancedPatchSampler sampler = new ClassBalancedPatchSampler(threeClasses(), PatchSize.cube(10));
        assertThat(sampler.sample(300, 99)).isEqualTo(sampler.sample(300, 99));
        assertThat(sampler.sample(300, 100)).isNotEqualTo(sampler.sample(300, 99));
        SplittableRandom a = new SplittableRandom(7);
        SplittableRandom b = new SplittableRandom(7);
        for (int i = 0; i < 50; i++) {
            assertThat(sampler.next(a)).isEqualTo(sampler.next(b));
        }
    }

    @Test
    void extractCopiesVoxelsPadsOutsideAndKeepsWorldPositions() {
        Geometry grid = new Geometry(6, 5, 4, Affine.of(0.8, 0, 0.1, -10, 0, 1.2, 0, 5, -0.1, 0, 2, 3, 0, 0, 0, 1));
        Volume volume = Volume.zeros(grid, 2);
        LabelMap labels = LabelMap.create(grid, 400);
        for (int z = 0; z < 4; z++) {
            for (int y = 0; y < 5; y++) {
                for (int x = 0; x < 6; x++) {
                    volume.set(0, x, y, z, 100 * z + 10 * y + x);
                    volume.set(1, x, y, z, -(100 * z + 10 * y + x));
                    labels.set(x, y, z, 100 * z + 10 * y + x);
                }
            }
        }
        PatchBox box = new PatchBox(-2, 1, 2, PatchSize.of(4, 3, 3)); // x -2..1, y 1..3, z 2..4 (z = 4 outside)
        Volume patch = Patches.extract(volume, box, -1);
        LabelMap labelPatch = Patches.extract(labels, box, 7);
        for (int z = 0; z < 3; z++) {
            for (int y = 0; y < 3; y++) {
                for (int x = 0; x < 4; x++) {
                    int sx = x - 2;
                    int sy = y + 1;
                    int sz = z + 2;
                    boolean inside = sx >= 0 && sz < 4;
                    int value = 100 * sz + 10 * sy + sx;
                    assertThat(patch.get(0, x, y, z)).isEqualTo(inside ? value : -1);
                    assertThat(patch.get(1, x, y, z)).isEqualTo(inside ? -value : -1);
                    assertThat(labelPatch.get(x, y, z)).isEqualTo(inside ? value : 7);
                }
            }
        }
        double[] patchOrigin = patch.geometry().voxelToWorld(0, 0, 0);
        assertThat(patchOrigin).containsExactly(grid.voxelToWorld(-2, 1, 2), within(1e-12));
        assertThat(patch.geometry().voxelToWorld(3, 2, 1)).containsExactly(grid.voxelToWorld(1, 3, 3),
                within(1e-12));
        // into a batch array at an offset, as a training loop fills its input
        float[] batch = new float[2 * 36];
        Patches.copy(volume.channel(0), grid, box, -1, batch, 36);
        for (int i = 0; i < 36; i++) {
            assertThat(batch[i]).isZero();
            assertThat(batch[36 + i]).isEqualTo(patch.channel(0)[i]);
        }
        assertThatThrownBy(() -> Patches.copy(volume.channel(0), grid, box, 0, batch, 40))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static boolean containsLabel(LabelMap labels, PatchBox box, int label) {
        for (int z = box.z(); z < box.endZ(); z++) {
            for (int y = box.y(); y < box.endY(); y++) {
                for (int x = box.x(); x < box.endX(); x++) {
                    if (labels.get(x, y, z) == label) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
