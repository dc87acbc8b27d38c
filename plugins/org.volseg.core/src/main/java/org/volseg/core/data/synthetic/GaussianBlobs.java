package org.volseg.core.data.synthetic;

import java.util.ArrayList;
import java.util.List;

/**
 * A sum of axis-aligned anisotropic Gaussians, evaluated through per-axis tables (a Gaussian is separable), so a
 * voxel costs one multiplication per blob.
 */
final class GaussianBlobs {

    private final FieldOfView fov;
    private final List<double[][]> tables = new ArrayList<>();
    private final List<Double> amplitudes = new ArrayList<>();

    GaussianBlobs(FieldOfView fov) {
        this.fov = fov;
    }

    /** Adds a blob of the given peak value, centre and per-axis sigma (normalised units). */
    void add(double amplitude, double[] centre, double[] sigma) {
        tables.add(new double[][] {
            gaussian(fov.x, centre[0], sigma[0]), gaussian(fov.y, centre[1], sigma[1]),
            gaussian(fov.z, centre[2], sigma[2])});
        amplitudes.add(amplitude);
    }

    private static double[] gaussian(double[] p, double centre, double sigma) {
        double[] g = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            double d = (p[i] - centre) / sigma;
            g[i] = StrictMath.exp(-0.5 * d * d);
        }
        return g;
    }

    /** Adds the field along row (y, z) to {@code out[0..nx)}. */
    void addRow(int y, int z, double[] out) {
        for (int b = 0; b < tables.size(); b++) {
            double[][] t = tables.get(b);
            double rowFactor = amplitudes.get(b) * t[1][y] * t[2][z];
            if (rowFactor < 1e-9) {
                continue; // far from this blob
            }
            double[] gx = t[0];
            for (int x = 0; x < out.length; x++) {
                out[x] += rowFactor * gx[x];
            }
        }
    }
}
