package org.volseg.core.data.synthetic;

import java.util.SplittableRandom;

/**
 * Smooth low-frequency noise: a sum of a few sinusoidal plane waves of random direction, frequency and phase,
 * scaled so that the field stays within [-1, 1]. The waves are evaluated through per-axis tables of
 * e<sup>i k·p</sup>, so a voxel costs two multiplications per wave instead of a sine.
 */
final class PlaneWaves {

    private final double[] amplitude;
    private final double[][] xRe;
    private final double[][] xIm;
    private final double[][] yRe;
    private final double[][] yIm;
    private final double[][] zRe;
    private final double[][] zIm;

    /**
     * Random waves.
     *
     * @param waves     how many
     * @param minCycles the fewest periods across the field of view
     * @param maxCycles the most periods across the field of view
     */
    PlaneWaves(SplittableRandom random, FieldOfView fov, int waves, double minCycles, double maxCycles) {
        amplitude = new double[waves];
        xRe = new double[waves][];
        xIm = new double[waves][];
        yRe = new double[waves][];
        yIm = new double[waves][];
        zRe = new double[waves][];
        zIm = new double[waves][];
        double total = 0;
        for (int w = 0; w < waves; w++) {
            // a uniform direction on the sphere; the field of view is 2 units long, hence π per cycle
            double cosTheta = 2 * random.nextDouble() - 1;
            double sinTheta = Math.sqrt(1 - cosTheta * cosTheta);
            double phi = 2 * Math.PI * random.nextDouble();
            double k = Math.PI * (minCycles + (maxCycles - minCycles) * random.nextDouble());
            double phase = 2 * Math.PI * random.nextDouble();
            amplitude[w] = 0.5 + 0.5 * random.nextDouble();
            total += amplitude[w];
            double kx = k * sinTheta * StrictMath.cos(phi);
            double ky = k * sinTheta * StrictMath.sin(phi);
            double kz = k * cosTheta;
            xRe[w] = new double[fov.nx];
            xIm[w] = new double[fov.nx];
            yRe[w] = new double[fov.ny];
            yIm[w] = new double[fov.ny];
            zRe[w] = new double[fov.nz];
            zIm[w] = new double[fov.nz];
            table(fov.x, kx, phase, xRe[w], xIm[w]);
            table(fov.y, ky, 0, yRe[w], yIm[w]);
            table(fov.z, kz, 0, zRe[w], zIm[w]);
        }
        for (int w = 0; w < waves; w++) {
            amplitude[w] /= total;
        }
    }

    private static void table(double[] p, double k, double phase, double[] re, double[] im) {
        for (int i = 0; i < p.length; i++) {
            // StrictMath: the same bits on every JVM, so that a seed makes the same phantom everywhere
            re[i] = StrictMath.cos(k * p[i] + phase);
            im[i] = StrictMath.sin(k * p[i] + phase);
        }
    }

    /** Adds {@code scale ×} the field along row (y, z) to {@code out[0..nx)}. */
    void addRow(int y, int z, double scale, double[] out) {
        for (int w = 0; w < amplitude.length; w++) {
            double rowRe = yRe[w][y] * zRe[w][z] - yIm[w][y] * zIm[w][z];
            double rowIm = yRe[w][y] * zIm[w][z] + yIm[w][y] * zRe[w][z];
            double a = scale * amplitude[w];
            double[] re = xRe[w];
            double[] im = xIm[w];
            for (int x = 0; x < out.length; x++) {
                // Im(e^{i kx x} · e^{i (ky y + kz z)})
                out[x] += a * (re[x] * rowIm + im[x] * rowRe);
            }
        }
    }
}
