package org.volseg.core.transforms;

/** What an interpolating transform reads outside the input grid. */
public enum Boundary {
    /** The nearest edge voxel (MONAI's "border"): no darkened rim when a grid only slightly overhangs. */
    CLAMP_TO_EDGE,
    /**
     * A constant fill value (nnU-Net's and PyTorch's "zeros"): voxels within one voxel of the edge blend towards
     * the fill, voxels further out get it.
     */
    CONSTANT
}
