package org.volseg.nn.inferers;

/**
 * How the sliding window keeps the blended class probabilities of a whole volume until every window is in.
 * MONAI and nnU-Net keep classes × voxels float32 values (about 15 GB for 100 classes on 384 × 384 × 256); the
 * other modes trade precision or time for memory.
 */
public enum Stitching {
    /** classes × voxels × 4 bytes: exact. */
    FLOAT32,
    /** classes × voxels × 2 bytes: sums rounded to half precision (11 significant bits). */
    FLOAT16,
    /**
     * A few classes at a time, the windows run once per chunk and a running argmax keeps the best class: memory
     * (chunk + 3) × voxels × 4 bytes whatever the class count, time × the number of chunks.
     */
    CLASS_CHUNKS
}
