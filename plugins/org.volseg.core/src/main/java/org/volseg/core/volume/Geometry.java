package org.volseg.core.volume;

/**
 * Where a voxel grid sits in the world: dims (x fastest), spacing in mm, and the voxel-to-world affine (RAS+,
 * mm). Spacing is the affine's column lengths, so the two cannot disagree.
 *
 * @param nx     voxels along the first (fastest) axis
 * @param ny     voxels along the second axis
 * @param nz     voxels along the third axis
 * @param affine voxel (i, j, k) to world (mm, RAS+)
 */
public record Geometry(int nx, int ny, int nz, Affine affine) {

    /** The most voxels one channel may hold: the largest Java array. */
    public static final long MAX_VOXELS = Integer.MAX_VALUE - 8;

    public Geometry {
        if (nx <= 0 || ny <= 0 || nz <= 0) {
            throw new IllegalArgumentException("dims must be positive, got " + nx + "×" + ny + "×" + nz);
        }
        long voxels = (long) nx * ny * nz;
        if (voxels > MAX_VOXELS) {
            throw new IllegalArgumentException(nx + "×" + ny + "×" + nz + " = " + voxels
                    + " voxels per channel is over the limit of " + MAX_VOXELS);
        }
    }

    /** A grid with the given spacing, no rotation, voxel 0 at the world origin. */
    public static Geometry of(int nx, int ny, int nz, double sx, double sy, double sz) {
        return new Geometry(nx, ny, nz, Affine.scaling(sx, sy, sz));
    }

    /** Voxels in one channel. */
    public int voxels() {
        return nx * ny * nz;
    }

    /** Flat index of voxel (x, y, z), x fastest. */
    public int index(int x, int y, int z) {
        return (z * ny + y) * nx + x;
    }

    public double spacingX() {
        return affine.columnNorm(0);
    }

    public double spacingY() {
        return affine.columnNorm(1);
    }

    public double spacingZ() {
        return affine.columnNorm(2);
    }

    /** Volume of one voxel in mm³. */
    public double voxelVolume() {
        return Math.abs(affine.determinant3());
    }

    /** World coordinates (mm) of a (possibly fractional) voxel position. */
    public double[] voxelToWorld(double x, double y, double z) {
        return affine.apply(x, y, z);
    }

    /** Fractional voxel position of a world point (mm). */
    public double[] worldToVoxel(double wx, double wy, double wz) {
        return affine.inverse().apply(wx, wy, wz);
    }

    /** The same grid with other dims (for example after a crop, with an adjusted affine). */
    public Geometry withDims(int nx, int ny, int nz) {
        return new Geometry(nx, ny, nz, affine);
    }

    /** Whether two grids have the same dims and affines within {@code toleranceMm}. */
    public boolean sameGrid(Geometry other, double toleranceMm) {
        return nx == other.nx && ny == other.ny && nz == other.nz
                && affine.approximatelyEquals(other.affine, toleranceMm);
    }

    /**
     * The orientation code as nibabel's {@code aff2axcodes} gives it: for each voxel axis, the world direction it
     * points to most (R/L, A/P, S/I), e.g. "RAS", "LPS", "LSA".
     */
    public String orientation() {
        return Orientation.code(affine);
    }

    /** "181×217×181 voxels of 1×1×1 mm (RAS, origin -90,-126,-72 mm)". */
    @Override
    public String toString() {
        return nx + "×" + ny + "×" + nz + " voxels of " + Numbers.compact(spacingX(), 6) + "×"
                + Numbers.compact(spacingY(), 6) + "×" + Numbers.compact(spacingZ(), 6) + " mm (" + orientation()
                + ", origin " + Numbers.compact(affine.get(0, 3), 6) + "," + Numbers.compact(affine.get(1, 3), 6)
                + "," + Numbers.compact(affine.get(2, 3), 6) + " mm)";
    }
}
