package org.volseg.core.sampling;

/** The voxels of a patch along x, y and z. */
public record PatchSize(int x, int y, int z) {

    public PatchSize {
        if (x <= 0 || y <= 0 || z <= 0) {
            throw new IllegalArgumentException("patch size must be positive, got " + x + "×" + y + "×" + z);
        }
    }

    public static PatchSize of(int x, int y, int z) {
        return new PatchSize(x, y, z);
    }

    public static PatchSize cube(int edge) {
        return new PatchSize(edge, edge, edge);
    }

    /** The size along axis 0, 1 or 2. */
    public int along(int axis) {
        return axis == 0 ? x : axis == 1 ? y : z;
    }

    public int voxels() {
        return Math.multiplyExact(Math.multiplyExact(x, y), z);
    }

    @Override
    public String toString() {
        return x + "×" + y + "×" + z;
    }
}
