package org.volseg.core.transforms;

import java.util.SplittableRandom;
import org.volseg.core.volume.Volume;

/**
 * An intensity augmentation: changes voxel values, never positions, so labels need nothing. It returns a new
 * volume and leaves the input alone; the same seed gives the same result, whatever the number of threads.
 */
public interface RandomIntensityTransform {

    /** The augmented image (a copy of the input when the augmentation does not fire). */
    Volume apply(Volume image, SplittableRandom random);
}
