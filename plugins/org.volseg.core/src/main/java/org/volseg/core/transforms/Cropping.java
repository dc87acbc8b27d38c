package org.volseg.core.transforms;

import java.util.function.IntPredicate;
import org.volseg.core.volume.Affine;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;
import org.volseg.core.volume.Volume;

/**
 * Crops to a box, typically the foreground's bounding box with a margin (nnU-Net's crop to non-zero, MONAI's
 * CropForeground). The crop records its box in its voxel map and the original grid as its source; its inverse is
 * the uncrop, which puts data back on the original grid and fills the rest (see
 * {@link AxisAlignedTransform#withFill} and {@link AxisAlignedTransform#apply(Volume, float[])}).
 */
public final class Cropping {

    private Cropping() {
    }

    /** The crop to {@code box}; the target's voxel 0 is the source's voxel (box.x, box.y, box.z), world kept. */
    public static AxisAlignedTransform crop(Geometry source, Box box) {
        Affine shift = Affine.of(1, 0, 0, box.x(), 0, 1, 0, box.y(), 0, 0, 1, box.z(), 0, 0, 0, 1);
        return AxisAlignedTransform.of(source, box.sizeX(), box.sizeY(), box.sizeZ(), shift);
    }

    /** The crop to the bounding box of the non-zero labels, grown by {@code margin} voxels and cut to the grid. */
    public static AxisAlignedTransform toForeground(LabelMap mask, int margin) {
        return crop(mask.geometry(), foreground(mask, margin));
    }

    /** The bounding box of the non-zero labels grown by {@code margin} (cut to the grid); the whole grid if none. */
    public static Box foreground(LabelMap mask, int margin) {
        return boundingBox(mask.geometry(), i -> mask.get(i) != 0, margin);
    }

    /**
     * The bounding box of the voxels that are non-zero in any channel, grown by {@code margin} (cut to the grid); the
     * whole grid if none. NaN counts as non-zero.
     */
    public static Box foreground(Volume image, int margin) {
        int channels = image.channelCount();
        return boundingBox(image.geometry(), i -> {
            for (int c = 0; c < channels; c++) {
                if (image.channel(c)[i] != 0) {
                    return true;
                }
            }
            return false;
        }, margin);
    }

    private static Box boundingBox(Geometry grid, IntPredicate inside, int margin) {
        if (margin < 0) {
            throw new IllegalArgumentException("the margin must not be negative, got " + margin);
        }
        int nx = grid.nx();
        int ny = grid.ny();
        int nz = grid.nz();
        // per slab: min x, max x, min y, max y (max x < 0 when the slab is empty); combined afterwards
        int[][] perSlab = new int[nz][];
        Slabs.forEach(nz, grid.voxels(), z -> {
            int minX = Integer.MAX_VALUE;
            int maxX = -1;
            int minY = Integer.MAX_VALUE;
            int maxY = -1;
            for (int y = 0; y < ny; y++) {
                int row = (z * ny + y) * nx;
                for (int x = 0; x < nx; x++) {
                    if (inside.test(row + x)) {
                        minX = Math.min(minX, x);
                        maxX = Math.max(maxX, x);
                        minY = Math.min(minY, y);
                        maxY = y;
                    }
                }
            }
            perSlab[z] = new int[] {minX, maxX, minY, maxY};
        });
        int minX = Integer.MAX_VALUE;
        int maxX = -1;
        int minY = Integer.MAX_VALUE;
        int maxY = -1;
        int minZ = Integer.MAX_VALUE;
        int maxZ = -1;
        for (int z = 0; z < nz; z++) {
            int[] s = perSlab[z];
            if (s[1] >= 0) {
                minX = Math.min(minX, s[0]);
                maxX = Math.max(maxX, s[1]);
                minY = Math.min(minY, s[2]);
                maxY = Math.max(maxY, s[3]);
                minZ = Math.min(minZ, z);
                maxZ = z;
            }
        }
        if (maxZ < 0) {
            return Box.of(grid);
        }
        return Box.spanning(minX, minY, minZ, maxX, maxY, maxZ).grownWithin(margin, grid);
    }
}
