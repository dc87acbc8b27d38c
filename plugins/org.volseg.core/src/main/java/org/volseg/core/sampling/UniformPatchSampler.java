package org.volseg.core.sampling;

import java.util.Objects;
import java.util.SplittableRandom;
import org.volseg.core.volume.Geometry;

/**
 * Patches whose origin is uniform over every position where the patch fits in the grid. On an axis where the grid
 * is shorter than the patch the grid is centred in the patch (origin ≤ 0) and {@link Patches} pads the rest; a
 * caller that prefers other padding pads the volume first.
 */
public final class UniformPatchSampler implements PatchSampler {

    private final Geometry grid;
    private final PatchSize size;

    public UniformPatchSampler(Geometry grid, PatchSize size) {
        this.grid = Objects.requireNonNull(grid, "grid");
        this.size = Objects.requireNonNull(size, "size");
    }

    @Override
    public PatchSize patchSize() {
        return size;
    }

    @Override
    public SampledPatch next(SplittableRandom random) {
        PatchBox box = new PatchBox(PatchOrigins.uniformOrigin(random, grid.nx(), size.x()),
                PatchOrigins.uniformOrigin(random, grid.ny(), size.y()),
                PatchOrigins.uniformOrigin(random, grid.nz(), size.z()), size);
        return new SampledPatch(box, SampledPatch.UNIFORM);
    }
}
