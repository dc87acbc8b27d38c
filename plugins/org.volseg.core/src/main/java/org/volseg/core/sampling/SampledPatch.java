package org.volseg.core.sampling;

import java.util.Objects;

/**
 * A drawn patch and why it was drawn.
 *
 * @param box         the patch
 * @param centreLabel the class whose voxel the patch was centred on, or {@link #UNIFORM} for a uniform draw
 */
public record SampledPatch(PatchBox box, int centreLabel) {

    /** The {@code centreLabel} of a uniformly drawn patch. */
    public static final int UNIFORM = -1;

    public SampledPatch {
        Objects.requireNonNull(box, "box");
    }

    /** Whether the patch was centred on a foreground voxel (an oversampled draw). */
    public boolean isForeground() {
        return centreLabel != UNIFORM;
    }
}
