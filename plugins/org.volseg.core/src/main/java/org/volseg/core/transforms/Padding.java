package org.volseg.core.transforms;

import org.volseg.core.volume.Affine;
import org.volseg.core.volume.Geometry;

/**
 * Constant padding, split evenly between both ends of an axis (the odd voxel at the end), as MONAI's SpatialPad and
 * nnU-Net do: to a minimum size (the patch size) or to a multiple (what a U-Net's downsamplings need). The inverse
 * crops the padding off again. The fill is 0 unless set with {@link AxisAlignedTransform#withFill}.
 */
public final class Padding {

    private Padding() {
    }

    /** Padding by the given voxels before and after the grid along each axis; world positions are kept. */
    public static AxisAlignedTransform pad(Geometry source, int beforeX, int beforeY, int beforeZ, int afterX,
            int afterY, int afterZ) {
        if (beforeX < 0 || beforeY < 0 || beforeZ < 0 || afterX < 0 || afterY < 0 || afterZ < 0) {
            throw new IllegalArgumentException("padding must not be negative");
        }
        Affine shift = Affine.of(1, 0, 0, -beforeX, 0, 1, 0, -beforeY, 0, 0, 1, -beforeZ, 0, 0, 0, 1);
        return AxisAlignedTransform.of(source, size(source.nx(), beforeX, afterX), size(source.ny(), beforeY, afterY),
                size(source.nz(), beforeZ, afterZ), shift);
    }

    /** Padding each axis up to at least the given size (axes already that large are left alone). */
    public static AxisAlignedTransform toMinimumSize(Geometry source, int minX, int minY, int minZ) {
        return toSizes(source, Math.max(source.nx(), minX), Math.max(source.ny(), minY),
                Math.max(source.nz(), minZ));
    }

    /** Padding each axis up to the next multiple of the given factor. */
    public static AxisAlignedTransform toMultipleOf(Geometry source, int factorX, int factorY, int factorZ) {
        if (factorX <= 0 || factorY <= 0 || factorZ <= 0) {
            throw new IllegalArgumentException("factors must be positive, got " + factorX + ", " + factorY + ", "
                    + factorZ);
        }
        return toSizes(source, roundUp(source.nx(), factorX), roundUp(source.ny(), factorY),
                roundUp(source.nz(), factorZ));
    }

    private static AxisAlignedTransform toSizes(Geometry source, int sizeX, int sizeY, int sizeZ) {
        int extraX = sizeX - source.nx();
        int extraY = sizeY - source.ny();
        int extraZ = sizeZ - source.nz();
        return pad(source, extraX / 2, extraY / 2, extraZ / 2, extraX - extraX / 2, extraY - extraY / 2,
                extraZ - extraZ / 2);
    }

    private static int roundUp(int size, int factor) {
        long rounded = ((long) size + factor - 1) / factor * factor;
        if (rounded > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("padding " + size + " to a multiple of " + factor + " gives "
                    + rounded + " voxels along an axis");
        }
        return (int) rounded;
    }

    private static int size(int size, int before, int after) {
        long padded = (long) size + before + after;
        if (padded > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("padding gives " + padded + " voxels along an axis");
        }
        return (int) padded;
    }
}
