package org.volseg.core.transforms;

import org.volseg.core.volume.Geometry;

/**
 * A box of voxels: its first voxel and its size along x, y, z. A crop remembers one, so that an uncrop can put the
 * data back.
 *
 * @param x     first voxel along x
 * @param y     first voxel along y
 * @param z     first voxel along z
 * @param sizeX voxels along x
 * @param sizeY voxels along y
 * @param sizeZ voxels along z
 */
public record Box(int x, int y, int z, int sizeX, int sizeY, int sizeZ) {

    public Box {
        if (sizeX <= 0 || sizeY <= 0 || sizeZ <= 0) {
            throw new IllegalArgumentException("a box needs a positive size, got " + sizeX + "×" + sizeY + "×"
                    + sizeZ);
        }
    }

    /** The whole grid. */
    public static Box of(Geometry grid) {
        return new Box(0, 0, 0, grid.nx(), grid.ny(), grid.nz());
    }

    /** From first and last voxel, both inclusive. */
    public static Box spanning(int firstX, int firstY, int firstZ, int lastX, int lastY, int lastZ) {
        return new Box(firstX, firstY, firstZ, lastX - firstX + 1, lastY - firstY + 1, lastZ - firstZ + 1);
    }

    /** Grown by {@code margin} voxels on every side, then cut to {@code grid}. */
    public Box grownWithin(int margin, Geometry grid) {
        int firstX = Math.max(0, x - margin);
        int firstY = Math.max(0, y - margin);
        int firstZ = Math.max(0, z - margin);
        int lastX = Math.min(grid.nx() - 1, x + sizeX - 1 + margin);
        int lastY = Math.min(grid.ny() - 1, y + sizeY - 1 + margin);
        int lastZ = Math.min(grid.nz() - 1, z + sizeZ - 1 + margin);
        return spanning(firstX, firstY, firstZ, lastX, lastY, lastZ);
    }

    /** Whether voxel (i, j, k) lies in the box. */
    public boolean contains(int i, int j, int k) {
        return i >= x && i < x + sizeX && j >= y && j < y + sizeY && k >= z && k < z + sizeZ;
    }
}
