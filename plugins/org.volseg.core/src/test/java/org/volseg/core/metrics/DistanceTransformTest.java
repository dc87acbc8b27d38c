package org.volseg.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The distance transform is exact: it agrees with brute force on random anisotropic grids. */
class DistanceTransformTest {

    /** Squared distance (mm²) from every voxel to every feature, the slow way. */
    private static double[] bruteForce(byte[] features, int nx, int ny, int nz, double sx, double sy, double sz) {
        double[] out = new double[features.length];
        for (int i = 0; i < out.length; i++) {
            int x = i % nx;
            int y = i / nx % ny;
            int z = i / (nx * ny);
            double best = Double.POSITIVE_INFINITY;
            for (int j = 0; j < features.length; j++) {
                if (features[j] != 0) {
                    double dx = (j % nx - x) * sx;
                    double dy = (j / nx % ny - y) * sy;
                    double dz = (j / (nx * ny) - z) * sz;
                    best = Math.min(best, dx * dx + dy * dy + dz * dz);
                }
            }
            out[i] = best;
        }
        return out;
    }

    /** Squared distance (mm²) from voxel i to the nearest feature, the slow way. */
    private static double bruteForceAt(int i, byte[] features, int nx, int ny, double sx, double sy, double sz) {
        double best = Double.POSITIVE_INFINITY;
        for (int j = 0; j < features.length; j++) {
            if (features[j] != 0) {
                double dx = (j % nx - i % nx) * sx;
                double dy = (j / nx % ny - i / nx % ny) * sy;
                double dz = (j / (nx * ny) - i / (nx * ny)) * sz;
                best = Math.min(best, dx * dx + dy * dy + dz * dz);
            }
        }
        return best;
    }

    private static byte[] random(Random random, int voxels, double density) {
        byte[] features = new byte[voxels];
        for (int i = 0; i < voxels; i++) {
            features[i] = (byte) (random.nextDouble() < density ? 1 : 0);
        }
        return features;
    }

    @Test
    void agreesWithBruteForceOnRandomAnisotropicGrids() {
        Random random = new Random(20240611);
        int[][] dims = {{13, 9, 7}, {1, 11, 6}, {8, 1, 9}, {10, 7, 1}, {23, 17, 11}, {5, 5, 5}};
        double[][] spacings = {{0.7, 1.3, 2.1}, {1, 1, 1}, {3.0, 0.45, 1.1}, {0.5, 2.5, 0.9}};
        for (int[] d : dims) {
            for (double[] s : spacings) {
                for (double density : new double[] {0.002, 0.03, 0.3}) {
                    byte[] features = random(random, d[0] * d[1] * d[2], density);
                    double[] expected = bruteForce(features, d[0], d[1], d[2], s[0], s[1], s[2]);
                    double[] actual = DistanceTransform.squaredDistancesMm(features, d[0], d[1], d[2], s[0], s[1],
                            s[2]);
                    for (int i = 0; i < expected.length; i++) {
                        if (Double.isInfinite(expected[i])) {
                            assertThat(actual[i]).isInfinite();
                        } else {
                            assertThat(actual[i]).as("voxel %d of %dx%dx%d", i, d[0], d[1], d[2])
                                    .isCloseTo(expected[i], within(1e-9 * (1 + expected[i])));
                        }
                    }
                }
            }
        }
    }

    @Test
    void largeGridWithFewFeaturesAgreesWithBruteForceAtSampledVoxels() {
        // big enough to run in parallel chunks and to need several column tiles
        int nx = 70;
        int ny = 45;
        int nz = 38;
        double sx = 0.9;
        double sy = 1.7;
        double sz = 2.3;
        Random random = new Random(7);
        byte[] features = random(random, nx * ny * nz, 0.0005);
        double[] actual = DistanceTransform.squaredDistancesMm(features, nx, ny, nz, sx, sy, sz);
        for (int sample = 0; sample < 400; sample++) {
            int i = random.nextInt(actual.length);
            double best = bruteForceAt(i, features, nx, ny, sx, sy, sz);
            assertThat(actual[i]).isCloseTo(best, within(1e-9 * (1 + best)));
        }
    }

    @Test
    void exactWhereWantedWhenTheLastPassSkipsLines() {
        Random random = new Random(99);
        int nx = 37;
        int ny = 21;
        int nz = 19; // several column tiles, some without a wanted voxel
        for (double density : new double[] {0.001, 0.02}) {
            byte[] features = random(random, nx * ny * nz, density);
            byte[] wanted = random(random, nx * ny * nz, 0.01);
            double[] actual = new double[features.length];
            DistanceTransform.squaredDistancesMm(features, wanted, nx, ny, nz, 1.1, 0.6, 1.9, actual);
            for (int i = 0; i < actual.length; i++) {
                if (wanted[i] != 0) {
                    double expected = bruteForceAt(i, features, nx, ny, 1.1, 0.6, 1.9);
                    assertThat(actual[i]).isCloseTo(expected, within(1e-9 * (1 + expected)));
                }
            }
        }
    }

    @Test
    void noFeaturesGivesInfinityEverywhere() {
        double[] d = DistanceTransform.squaredDistancesMm(new byte[4 * 3 * 2], 4, 3, 2, 1, 1, 1);
        assertThat(d).containsOnly(Double.POSITIVE_INFINITY);
    }

    @Test
    void axisDistancesComeBackExactly() {
        // sqrt of the result is k·spacing to the last bit, which HD95 of a shifted cube relies on
        byte[] features = new byte[9 * 8 * 7];
        features[0] = 1;
        double[] d = DistanceTransform.squaredDistancesMm(features, 9, 8, 7, 0.7, 1.3, 2.1);
        assertThat(Math.sqrt(d[5])).isEqualTo(5 * 0.7);
        assertThat(Math.sqrt(d[6 * 9])).isEqualTo(6 * 1.3);
        assertThat(Math.sqrt(d[4 * 9 * 8])).isEqualTo(4 * 2.1);
    }

    @Test
    void refusesBadArguments() {
        assertThatThrownBy(() -> DistanceTransform.squaredDistancesMm(new byte[5], 2, 2, 2, 1, 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("5 feature flags");
        assertThatThrownBy(() -> DistanceTransform.squaredDistancesMm(new byte[8], 2, 2, 2, 1, 0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("spacing");
        assertThatThrownBy(() -> DistanceTransform.squaredDistancesMm(new byte[8], 2, 2, 2, 1, 1, 1,
                new double[7])).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("output");
    }
}
