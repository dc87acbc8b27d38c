package org.volseg.core.sampling;

import java.util.SplittableRandom;

/** Patch origins along one axis, shared by the patch samplers. */
final class PatchOrigins {

    private PatchOrigins() {
    }

    /**
     * A uniformly random origin on one axis: any where the patch fits; where the axis is shorter than the patch,
     * the one origin that centres the grid in the patch.
     */
    static int uniformOrigin(SplittableRandom random, int gridLength, int patchLength) {
        return gridLength >= patchLength ? random.nextInt(gridLength - patchLength + 1)
                : centredOrigin(gridLength, patchLength);
    }

    /**
     * The origin on one axis of a patch centred on {@code voxel}, shifted as little as needed to lie inside the
     * grid (the voxel stays in the patch); where the axis is shorter than the patch, the grid is centred.
     */
    static int originAround(int voxel, int gridLength, int patchLength) {
        if (gridLength < patchLength) {
            return centredOrigin(gridLength, patchLength);
        }
        return Math.max(0, Math.min(gridLength - patchLength, voxel - patchLength / 2));
    }

    /** The (negative or zero) origin that centres a short axis in the patch. */
    private static int centredOrigin(int gridLength, int patchLength) {
        return -((patchLength - gridLength) / 2);
    }
}
