package org.volseg.core.data.synthetic;

import org.volseg.core.volume.Geometry;

/**
 * What phantoms to make: the grid and how the images are degraded. The anatomy scales with the field of view, so
 * a 16³ and a 256³ phantom of one seed show the same head at different resolutions (except that a tumour is kept
 * at least a few voxels across, so that every label shows on small grids).
 *
 * @param nx            voxels along x (left to right)
 * @param ny            voxels along y (posterior to anterior)
 * @param nz            voxels along z (inferior to superior)
 * @param spacingX      voxel size along x in mm
 * @param spacingY      voxel size along y in mm
 * @param spacingZ      voxel size along z in mm
 * @param noiseLevel    noise standard deviation as a share of white matter's T1 intensity (750); 0 for none
 * @param rician        Rician noise (magnitude of complex Gaussian noise, as MR magnitude images have) rather than
 *                      additive Gaussian noise
 * @param biasStrength  amplitude of the log of the multiplicative bias field: 0.2 scales intensities by about
 *                      e<sup>±0.2</sup> across the head; 0 for none
 * @param enhancingRim  the enhancing tumour (3) as a rim around the necrotic core (1), as in glioblastoma,
 *                      rather than nested inside it
 */
public record PhantomSpec(int nx, int ny, int nz, double spacingX, double spacingY, double spacingZ,
        double noiseLevel, boolean rician, double biasStrength, boolean enhancingRim) {

    public static final double DEFAULT_NOISE_LEVEL = 0.03;
    public static final double DEFAULT_BIAS_STRENGTH = 0.2;

    public PhantomSpec {
        Geometry.of(nx, ny, nz, 1, 1, 1); // the same checks on the dims as any grid
        if (!(spacingX > 0) || !(spacingY > 0) || !(spacingZ > 0) || !Double.isFinite(spacingX)
                || !Double.isFinite(spacingY) || !Double.isFinite(spacingZ)) {
            throw new IllegalArgumentException("spacing must be positive and finite, got " + spacingX + "×"
                    + spacingY + "×" + spacingZ);
        }
        if (!(noiseLevel >= 0) || !Double.isFinite(noiseLevel)) {
            throw new IllegalArgumentException("noise level must be a finite value ≥ 0, got " + noiseLevel);
        }
        if (!(biasStrength >= 0) || !Double.isFinite(biasStrength)) {
            throw new IllegalArgumentException("bias strength must be a finite value ≥ 0, got " + biasStrength);
        }
    }

    /** A cube of {@code size}³ voxels of 1 mm, default noise and bias. */
    public static PhantomSpec cube(int size) {
        return of(size, size, size, 1, 1, 1);
    }

    /** A grid of the given dims and spacing (mm), default noise (Rician) and bias. */
    public static PhantomSpec of(int nx, int ny, int nz, double spacingX, double spacingY, double spacingZ) {
        return new PhantomSpec(nx, ny, nz, spacingX, spacingY, spacingZ, DEFAULT_NOISE_LEVEL, true,
                DEFAULT_BIAS_STRENGTH, false);
    }

    /** The grid: the given spacing, no rotation, voxel 0 at the world origin. */
    public Geometry geometry() {
        return Geometry.of(nx, ny, nz, spacingX, spacingY, spacingZ);
    }

    public PhantomSpec withSpacing(double sx, double sy, double sz) {
        return new PhantomSpec(nx, ny, nz, sx, sy, sz, noiseLevel, rician, biasStrength, enhancingRim);
    }

    public PhantomSpec withNoise(double level, boolean isRician) {
        return new PhantomSpec(nx, ny, nz, spacingX, spacingY, spacingZ, level, isRician, biasStrength,
                enhancingRim);
    }

    public PhantomSpec withBiasStrength(double strength) {
        return new PhantomSpec(nx, ny, nz, spacingX, spacingY, spacingZ, noiseLevel, rician, strength,
                enhancingRim);
    }

    public PhantomSpec withEnhancingRim(boolean rim) {
        return new PhantomSpec(nx, ny, nz, spacingX, spacingY, spacingZ, noiseLevel, rician, biasStrength, rim);
    }
}
