package org.volseg.core.transforms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.volseg.core.volume.Affine;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;
import org.volseg.core.volume.Volume;

class ResamplingTest {

    private static final Geometry OBLIQUE = TestVolumes.grid("LPS", 24, 20, 16, 1.1, 0.9, 2.0);

    /** A linear function of world position: trilinear interpolation must reproduce it exactly. */
    private static double ramp(double[] world) {
        return 0.5 * world[0] - 0.25 * world[1] + 0.75 * world[2] + 3;
    }

    private static Volume rampVolume(Geometry grid) {
        Volume v = Volume.zeros(grid, 2);
        for (int z = 0; z < grid.nz(); z++) {
            for (int y = 0; y < grid.ny(); y++) {
                for (int x = 0; x < grid.nx(); x++) {
                    double value = ramp(grid.voxelToWorld(x, y, z));
                    v.set(0, x, y, z, (float) value);
                    v.set(1, x, y, z, (float) (-2 * value));
                }
            }
        }
        return v;
    }

    @Test
    void theGridRuleKeepsTheCentreAndTheExtentAndGivesTheExactSpacing() {
        ResamplingTransform resample = Resampling.toSpacing(OBLIQUE, 1.5, 1.25, 1.3);
        Geometry target = resample.target();
        assertThat(new int[] {target.nx(), target.ny(), target.nz()}).containsExactly(
                (int) Math.round(24 * 1.1 / 1.5), (int) Math.round(20 * 0.9 / 1.25), (int) Math.round(16 * 2.0 / 1.3));
        assertThat(target.spacingX()).isCloseTo(1.5, within(1e-12));
        assertThat(target.spacingY()).isCloseTo(1.25, within(1e-12));
        assertThat(target.spacingZ()).isCloseTo(1.3, within(1e-12));
        assertThat(target.orientation()).isEqualTo(OBLIQUE.orientation());
        double[] oldCentre = OBLIQUE.voxelToWorld(23 / 2.0, 19 / 2.0, 15 / 2.0);
        double[] newCentre = target.voxelToWorld((target.nx() - 1) / 2.0, (target.ny() - 1) / 2.0,
                (target.nz() - 1) / 2.0);
        for (int a = 0; a < 3; a++) {
            assertThat(newCentre[a]).isCloseTo(oldCentre[a], within(1e-9));
        }
    }

    @Test
    void trilinearReproducesALinearRampExactlyInsideTheGrid() {
        Volume image = rampVolume(OBLIQUE);
        ResamplingTransform resample = Resampling.toSpacing(OBLIQUE, 1.5, 0.7, 1.3);
        Volume resampled = resample.apply(image);
        Geometry target = resampled.geometry();
        int checked = 0;
        double worst = 0;
        for (int z = 0; z < target.nz(); z++) {
            for (int y = 0; y < target.ny(); y++) {
                for (int x = 0; x < target.nx(); x++) {
                    double[] s = resample.targetToSourceVoxels().apply(x, y, z);
                    if (s[0] < 0 || s[0] > OBLIQUE.nx() - 1 || s[1] < 0 || s[1] > OBLIQUE.ny() - 1 || s[2] < 0
                            || s[2] > OBLIQUE.nz() - 1) {
                        continue; // clamped to the edge: not the ramp any more
                    }
                    double expected = ramp(target.voxelToWorld(x, y, z));
                    worst = Math.max(worst, Math.abs(resampled.get(0, x, y, z) - expected));
                    worst = Math.max(worst, Math.abs(resampled.get(1, x, y, z) + 2 * expected));
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(target.voxels() / 2);
        assertThat(worst).isLessThan(1e-4);
    }

    @Test
    void nearestKeepsTheLabelSetAndTheShapes() {
        Geometry grid = TestVolumes.grid("RAS", 32, 32, 24, 1.0, 1.0, 1.5);
        LabelMap labels = TestVolumes.blobs(grid);
        ResamplingTransform resample = Resampling.toSpacing(grid, 1.3, 0.8, 1.1);
        LabelMap resampled = resample.apply(labels);
        assertThat(resampled.labels()).containsExactly(labels.labels());
        // every label's volume in mm³ is kept within a few percent
        long[] before = labels.histogram();
        long[] after = resampled.histogram();
        for (int label = 1; label < before.length; label++) {
            assertThat(after[label] * resampled.geometry().voxelVolume())
                    .isCloseTo(before[label] * grid.voxelVolume(), within(0.15 * before[label] * grid.voxelVolume()));
        }
        // every value nearest-resampled is a value that was there
        Volume asImage = new Volume(grid, labels.toFloats());
        Volume nearestImage = resample.withImageInterpolation(Interpolation.NEAREST).apply(asImage);
        assertThat(nearestImage.channel(0)).isEqualTo(resampled.toFloats());
    }

    @Test
    void resamplingBackReturnsTheOriginalGridExactly() {
        ResamplingTransform resample = Resampling.toSpacing(OBLIQUE, 1.7, 1.3, 0.9);
        Volume there = resample.apply(rampVolume(OBLIQUE));
        Volume back = resample.invert(there);
        assertThat(back.geometry().sameGrid(OBLIQUE, 1e-9)).isTrue();
        assertThat(back.geometry()).isEqualTo(OBLIQUE);
        LabelMap labelsBack = resample.invert(resample.apply(TestVolumes.blobs(OBLIQUE)));
        assertThat(labelsBack.geometry()).isEqualTo(OBLIQUE);
        // the recorded map composes to the identity
        assertThat(resample.targetToSourceVoxels().times(resample.inverse().targetToSourceVoxels())
                .approximatelyEquals(Affine.identity(), 1e-12)).isTrue();
    }

    @Test
    void twoTimesDownAndUpLosesLittleOfASmoothField() {
        Geometry grid = TestVolumes.grid("RAS", 32, 32, 32, 1.0, 1.0, 1.0);
        Volume field = Volume.zeros(grid, 1);
        for (int z = 0; z < 32; z++) {
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    field.set(0, x, y, z, (float) (Math.sin(2 * Math.PI * x / 24) * Math.cos(2 * Math.PI * y / 28)
                            + 0.5 * Math.sin(2 * Math.PI * z / 20)));
                }
            }
        }
        ResamplingTransform down = Resampling.toSpacing(grid, 2.0);
        assertThat(down.target().nx()).isEqualTo(16);
        Volume back = down.invert(down.apply(field));
        assertThat(back.geometry()).isEqualTo(grid);
        double sumError = 0;
        double worstInside = 0;
        for (int z = 0; z < 32; z++) {
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    double error = Math.abs(back.get(0, x, y, z) - field.get(0, x, y, z));
                    sumError += error;
                    boolean rim = Math.min(x, Math.min(y, z)) == 0 || Math.max(x, Math.max(y, z)) == 31;
                    if (!rim) {
                        worstInside = Math.max(worstInside, error);
                    }
                }
            }
        }
        // linear down-sampling averages neighbours (a 3% loss at these wavelengths); a half-voxel misplacement of
        // the grid would cost about 0.1 on average. The outermost voxels lie beyond the coarse grid's centres and
        // take its edge values, so only the inside is held to the tighter bound.
        assertThat(sumError / grid.voxels()).isLessThan(0.05);
        assertThat(worstInside).isLessThan(0.1);
    }

    @Test
    void resamplingOntoItsOwnGridChangesNothing() {
        Volume image = TestVolumes.noise(OBLIQUE, 7);
        Volume same = ResamplingTransform.between(OBLIQUE, OBLIQUE, Boundary.CONSTANT).apply(image);
        for (int i = 0; i < OBLIQUE.voxels(); i++) {
            assertThat(same.channel(0)[i]).isCloseTo(image.channel(0)[i], within(1e-6f));
        }
    }

    @Test
    void aConstantBoundaryFillsWhatComesFromOutside() {
        Geometry grid = TestVolumes.grid("RAS", 16, 16, 16, 1, 1, 1);
        Volume ones = Volume.zeros(grid, 1);
        Arrays.fill(ones.channel(0), 1f);
        // a grid shifted by 4 voxels along x: its last 4 columns lie outside the source
        Geometry shifted = new Geometry(16, 16, 16, grid.affine().times(
                Affine.of(1, 0, 0, 4, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1)));
        Volume moved = ResamplingTransform.between(grid, shifted, Boundary.CONSTANT)
                .withBoundary(Boundary.CONSTANT, -1f, 0).apply(ones);
        assertThat(moved.get(0, 11, 5, 5)).isEqualTo(1f);
        assertThat(moved.get(0, 12, 5, 5)).isEqualTo(-1f);
        Volume clamped = ResamplingTransform.between(grid, shifted, Boundary.CLAMP_TO_EDGE).apply(ones);
        assertThat(clamped.get(0, 15, 5, 5)).isEqualTo(1f);
    }
}
