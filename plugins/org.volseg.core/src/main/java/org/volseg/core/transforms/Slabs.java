package org.volseg.core.transforms;

import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import org.volseg.core.volume.Geometry;

/** Runs work one z slab at a time, in parallel on the common fork-join pool when the grid is big enough. */
final class Slabs {

    /** Below this many voxels the fork/join hand-off costs more than the work it shares. */
    static final long PARALLEL_VOXELS = 1 << 15;

    private Slabs() {
    }

    /**
     * Calls {@code slab} for every z in {@code 0..slabs-1}; in parallel when the grid holds at least
     * {@link #PARALLEL_VOXELS} voxels. Slabs must write disjoint output, so the result never depends on the order.
     */
    static void forEach(int slabs, long voxels, IntConsumer slab) {
        IntStream range = IntStream.range(0, slabs);
        if (voxels >= PARALLEL_VOXELS && slabs > 1) {
            range = range.parallel();
        }
        range.forEach(slab);
    }

    /** A z slab's number and its range of flat indices, {@code from} inclusive, {@code end} exclusive. */
    interface Range {
        void run(int z, int from, int end);
    }

    /** Calls {@code body} with each z slab's flat index range of {@code grid}, as {@link #forEach} does. */
    static void forEachRange(Geometry grid, Range body) {
        int slab = grid.nx() * grid.ny();
        forEach(grid.nz(), grid.voxels(), z -> body.run(z, z * slab, (z + 1) * slab));
    }
}
