package org.volseg.core.transforms;

/** How an interpolating transform reads an image between voxel centres. Label maps always use nearest. */
public enum Interpolation {
    /** Trilinear: reproduces linear intensity ramps exactly; the default for images and probabilities. */
    LINEAR,
    /** The nearest voxel (ties go to the higher index): keeps the set of values, as labels need. */
    NEAREST
}
