package org.volseg.nn.inferers;

import java.util.Locale;

/**
 * What the memory planner chose for one case, and the memory it expects: the window settings to run with, the
 * Java heap the stitching takes, the native (device) memory the network's forward passes take.
 *
 * @param window      the window settings to run with (batch size and stitching as planned)
 * @param heapBytes   expected Java heap: the prepared image, the stitching buffers, the label map
 * @param nativeBytes expected native memory on the device: parameters and the windows' activations
 * @param fits        whether the plan fits the budget it was made for
 * @param budget      the budget it was made for
 * @param devices     how many devices share each window batch (its windows split evenly among them); the native
 *                    bytes are each device's
 */
public record InferencePlan(SlidingWindow.Settings window, long heapBytes, long nativeBytes, boolean fits,
        InferencePlanner.Budget budget, int devices) {

    /** A plan for one device. */
    public InferencePlan(SlidingWindow.Settings window, long heapBytes, long nativeBytes, boolean fits,
            InferencePlanner.Budget budget) {
        this(window, heapBytes, nativeBytes, fits, budget, 1);
    }

    /** Heap and native memory together: the process's expected peak growth on a CPU. */
    public long peakBytes() {
        return heapBytes + nativeBytes;
    }

    /** One line for the node's log and the output table. */
    public String describe() {
        SlidingWindow.Settings w = window;
        String stitching = switch (w.stitching()) {
            case FLOAT32 -> "float32 stitching";
            case FLOAT16 -> "float16 stitching";
            case CLASS_CHUNKS -> "class-chunk stitching (" + w.classChunk() + " class" + (w.classChunk() == 1 ? ""
                    : "es") + " per pass)";
        };
        return String.format(Locale.ROOT, "window batch %d%s, %s%s; expected peak %s (heap %s, network %s%s)%s",
                w.batchSize(), devices > 1 ? " (" + w.batchSize() / devices + " on each of " + devices + " devices)"
                        : "", stitching, w.mirroring().count() > 1 ? ", " + w.mirroring().count() + " flips" : "",
                bytes(peakBytes()), bytes(heapBytes), bytes(nativeBytes), devices > 1 ? " each" : "", fits ? ""
                        : "; more than the " + budget.describe() + ": it may run out of memory");
    }

    static String bytes(long b) {
        if (b >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GB", b / (double) (1L << 30));
        }
        return String.format(Locale.ROOT, "%d MB", Math.round(b / (double) (1L << 20)));
    }
}
