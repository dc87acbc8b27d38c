package org.volseg.core.sampling;

import java.util.Objects;
import org.volseg.core.volume.Geometry;

/**
 * A patch: origin (the voxel at its lowest corner) and size. Inside the grid whenever the grid is at least as large
 * as the patch on every axis; on an axis where the grid is smaller, the samplers centre the grid in the patch (the
 * origin is negative) and {@link Patches} pads the voxels outside.
 *
 * @param x    origin along x (may be negative, see above)
 * @param y    origin along y
 * @param z    origin along z
 * @param size the patch's voxels along each axis
 */
public record PatchBox(int x, int y, int z, PatchSize size) {

    public PatchBox {
        Objects.requireNonNull(size, "size");
    }

    /** One past the last voxel along x. */
    public int endX() {
        return x + size.x();
    }

    public int endY() {
        return y + size.y();
    }

    public int endZ() {
        return z + size.z();
    }

    /** Whether voxel (vx, vy, vz) is in the patch. */
    public boolean contains(int vx, int vy, int vz) {
        return vx >= x && vx < endX() && vy >= y && vy < endY() && vz >= z && vz < endZ();
    }

    /** Whether the patch lies wholly inside the grid (needs no padding). */
    public boolean isInside(Geometry grid) {
        return x >= 0 && y >= 0 && z >= 0 && endX() <= grid.nx() && endY() <= grid.ny() && endZ() <= grid.nz();
    }

    @Override
    public String toString() {
        return "PatchBox(" + size + " at " + x + "," + y + "," + z + ")";
    }
}
