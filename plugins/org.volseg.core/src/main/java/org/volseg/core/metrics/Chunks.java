package org.volseg.core.metrics;

import java.util.stream.IntStream;

/**
 * Runs a loop over {@code [0, count)} on all cores, cut into a few contiguous chunks so that each chunk can
 * allocate its scratch buffers once (never per item). Small loops run on the calling thread: forking costs more
 * than it saves below some tens of thousands of voxels.
 */
final class Chunks {

    /** Below this many voxels of work a loop runs on the calling thread. */
    static final long SEQUENTIAL_BELOW = 1 << 15;

    /** Chunks per core: a few more than one, so that a slow chunk does not hold the others up. */
    private static final int CHUNKS_PER_CORE = 4;

    /** The body of a chunk: handles items {@code from} (inclusive) to {@code to} (exclusive). */
    @FunctionalInterface
    interface Body {
        void run(int from, int to);
    }

    /** The body of chunk number {@code chunk}: handles items {@code from} (inclusive) to {@code to} (exclusive). */
    @FunctionalInterface
    interface IndexedBody {
        void run(int chunk, int from, int to);
    }

    private Chunks() {
    }

    /** How many chunks a loop of {@code count} items, of {@code totalWork} voxels in all, is cut into. */
    static int chunkCount(int count, long totalWork) {
        if (count <= 1 || totalWork < SEQUENTIAL_BELOW) {
            return Math.min(count, 1);
        }
        int cores = Runtime.getRuntime().availableProcessors();
        return (int) Math.min(count, (long) cores * CHUNKS_PER_CORE);
    }

    /** First item of chunk {@code c} of {@code chunks} over {@code count} items (c = chunks gives count). */
    static int start(int c, int chunks, int count) {
        return (int) ((long) c * count / chunks);
    }

    /** Runs {@code body} over {@code [0, count)}; {@code totalWork} (voxels) decides whether to go parallel. */
    static void run(int count, long totalWork, Body body) {
        run(count, chunkCount(count, totalWork), (chunk, from, to) -> body.run(from, to));
    }

    /**
     * Runs {@code body} over {@code [0, count)} cut into exactly {@code chunks} chunks (as {@link #chunkCount}
     * chose), telling each its number, so that it can keep its own accumulators in slot {@code chunk}.
     */
    static void run(int count, int chunks, IndexedBody body) {
        if (chunks == 1) {
            body.run(0, 0, count);
        } else if (chunks > 1) {
            IntStream.range(0, chunks).parallel().forEach(c -> body.run(c, start(c, chunks, count),
                    start(c + 1, chunks, count)));
        }
    }
}
