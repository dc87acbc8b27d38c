package org.volseg.core.metrics;

/**
 * An axis-aligned block of voxels, bounds inclusive. Surface distances are computed inside the block that holds
 * both segmentations of a class: every surface voxel lies in it, and the distance transform on a block is as exact
 * as on the whole grid, for a fraction of the work.
 */
record Box(int x0, int y0, int z0, int x1, int y1, int z1) {

    int nx() {
        return x1 - x0 + 1;
    }

    int ny() {
        return y1 - y0 + 1;
    }

    int nz() {
        return z1 - z0 + 1;
    }

    int voxels() {
        return nx() * ny() * nz();
    }
}
