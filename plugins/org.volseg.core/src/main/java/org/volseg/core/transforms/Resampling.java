package org.volseg.core.transforms;

import org.volseg.core.volume.Affine;
import org.volseg.core.volume.Geometry;

/**
 * Resampling to a target voxel spacing, as nnU-Net's and MONAI's preprocessing do.
 *
 * <p>The grid rule: along each axis the new size is {@code max(1, round(n · spacing / newSpacing))}, the new
 * spacing is exactly the one asked for, the axis directions are kept, and the new grid is centred on the old one
 * (the world point midway between the first and last voxel centres is the same). So the physical extent
 * {@code n · spacing} is kept up to the rounding of the size, split evenly between both ends. In voxels, target
 * index {@code t} reads source position {@code (t − (n' − 1) / 2) · newSpacing / spacing + (n − 1) / 2}.
 *
 * <p>Positions a little outside the source (at most about half a voxel, from the centring) read the edge voxel
 * ({@link Boundary#CLAMP_TO_EDGE}), so the rim is not darkened. Images are interpolated trilinearly, labels take
 * the nearest voxel; {@code inverse()} resamples back onto the exact original grid.
 */
public final class Resampling {

    private Resampling() {
    }

    /** Resampling to the given spacing (mm) along the voxel axes x, y, z, by the rule above. */
    public static ResamplingTransform toSpacing(Geometry source, double spacingX, double spacingY,
            double spacingZ) {
        double[] newSpacing = {spacingX, spacingY, spacingZ};
        int[] sizes = {source.nx(), source.ny(), source.nz()};
        int[] newSizes = new int[3];
        double[] map = new double[16];
        for (int a = 0; a < 3; a++) {
            if (!(newSpacing[a] > 0) || !Double.isFinite(newSpacing[a])) {
                throw new IllegalArgumentException("spacing must be positive and finite, got " + newSpacing[a]
                        + " along axis " + a);
            }
            double spacing = source.affine().columnNorm(a);
            double ratio = newSpacing[a] / spacing; // source voxels per target voxel
            long size = Math.max(1, Math.round(sizes[a] * spacing / newSpacing[a]));
            if (size > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("resampling to " + newSpacing[a] + " mm gives " + size
                        + " voxels along axis " + a);
            }
            newSizes[a] = (int) size;
            map[5 * a] = ratio;
            map[4 * a + 3] = (sizes[a] - 1) / 2.0 - ratio * (newSizes[a] - 1) / 2.0;
        }
        map[15] = 1;
        Affine targetToSource = Affine.of(map);
        Geometry target = new Geometry(newSizes[0], newSizes[1], newSizes[2],
                source.affine().times(targetToSource));
        return ResamplingTransform.of(source, target, targetToSource, Boundary.CLAMP_TO_EDGE);
    }

    /** Resampling to an isotropic spacing (mm). */
    public static ResamplingTransform toSpacing(Geometry source, double spacing) {
        return toSpacing(source, spacing, spacing, spacing);
    }
}
