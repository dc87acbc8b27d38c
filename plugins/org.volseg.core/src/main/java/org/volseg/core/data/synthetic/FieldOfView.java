package org.volseg.core.data.synthetic;

/**
 * Normalised coordinates of the voxel centres: -1 to 1 across the field of view on each axis, so that the anatomy
 * scales with the grid whatever its size and spacing. One voxel is {@code 2 / n} long on an axis of n voxels.
 */
final class FieldOfView {

    final int nx;
    final int ny;
    final int nz;
    final double[] x;
    final double[] y;
    final double[] z;

    FieldOfView(int nx, int ny, int nz) {
        this.nx = nx;
        this.ny = ny;
        this.nz = nz;
        this.x = axis(nx);
        this.y = axis(ny);
        this.z = axis(nz);
    }

    private static double[] axis(int n) {
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
            p[i] = (2.0 * i + 1) / n - 1;
        }
        return p;
    }

    /** The length of one voxel on axis 0, 1 or 2 in normalised units. */
    double voxel(int axis) {
        return 2.0 / (axis == 0 ? nx : axis == 1 ? ny : nz);
    }

    /** The largest voxel length over the three axes, in normalised units. */
    double coarsestVoxel() {
        return 2.0 / Math.min(nx, Math.min(ny, nz));
    }
}
