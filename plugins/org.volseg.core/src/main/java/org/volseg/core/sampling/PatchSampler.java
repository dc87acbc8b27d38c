package org.volseg.core.sampling;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Draws training patches on one grid. Holds no random state: the generator is the caller's. */
public interface PatchSampler {

    /** The size of every patch. */
    PatchSize patchSize();

    /** One patch. */
    SampledPatch next(SplittableRandom random);

    /** {@code count} patches from a generator seeded with {@code seed}: the same seed, the same patches. */
    default List<SampledPatch> sample(int count, long seed) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be ≥ 0, got " + count);
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<SampledPatch> patches = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            patches.add(next(random));
        }
        return patches;
    }
}
