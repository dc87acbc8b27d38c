package org.volseg.nn.inferers;

import ai.djl.Device;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.cuda.CudaUtils;
import java.io.IOException;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.volseg.nn.networks.Architecture;
import org.volseg.nn.networks.NetworkConfig;

/**
 * Chooses the window batch size and the stitching mode so that a prediction fits the memory there is, and says
 * how much it expects to use before it runs. Stitching lives on the Java heap (classes × voxels); the network's
 * activations live in native memory on the device (batch × window). The larger of each that fits is chosen:
 * float32 before float16 before class chunks, the largest batch up to 8 windows on a GPU and 1 on a CPU (where
 * batching gains nothing and a GPU's parallelism is not there to fill).
 */
public final class InferencePlanner {

    /**
     * What a prediction costs besides its arrays: short-lived garbage the JVM holds until it collects (DJL's array
     * wrappers) and the allocators' caches. Fitted with MONAI's UNet configuration on ch2 and ch2better at one and
     * two windows per batch (bench/README.md): about 16 MB with a 64 MB young generation, so 32. It was 128 MB
     * while every batch's input was a new direct buffer that only a collection freed.
     */
    static final long WORKING_OVERHEAD = 32L << 20;

    /** The share of the free memory the planner leaves to everything else. */
    static final double MARGIN = 0.1;

    /**
     * The memory a prediction may use.
     *
     * @param heapBytes   Java heap it may still take
     * @param nativeBytes native memory on the device it may take (RAM on a CPU, GPU memory on a GPU)
     * @param shared      whether heap and native memory are the same RAM (a CPU run): then they share one budget
     */
    public record Budget(long heapBytes, long nativeBytes, boolean shared) {

        /**
         * What this JVM and the devices have free now, less a margin. Each GPU holds its own replica and its share
         * of a batch, so the one with the least free memory sets the device budget.
         */
        public static Budget available(List<Device> devices) {
            Runtime rt = Runtime.getRuntime();
            long heap = (long) ((rt.maxMemory() - (rt.totalMemory() - rt.freeMemory())) * (1 - MARGIN));
            if (devices.get(0).isGpu()) {
                // CUDA counts blocks PyTorch keeps cached from earlier cases as taken: hand them back first
                JniUtils.emptyCudaCache();
                long free = Long.MAX_VALUE;
                for (Device device : devices) {
                    MemoryUsage gpu = CudaUtils.getGpuMemory(device);
                    free = Math.min(free, gpu.getMax() - gpu.getCommitted());
                }
                return new Budget(heap, (long) (free * (1 - MARGIN)), false);
            }
            long ram = memAvailable();
            return new Budget(heap, ram > 0 ? (long) (ram * (1 - MARGIN)) : Long.MAX_VALUE / 4, true);
        }

        String describe() {
            return shared ? InferencePlan.bytes(Math.min(heapBytes + nativeBytes, nativeBytes)) + " of free memory"
                    + " (heap " + InferencePlan.bytes(heapBytes) + ")"
                    : InferencePlan.bytes(heapBytes) + " of heap and " + InferencePlan.bytes(nativeBytes)
                            + " of device memory";
        }
    }

    /**
     * What is to be predicted.
     *
     * @param network         the network's configuration, or null when unknown (a TorchScript model)
     * @param parameters      the network's parameter count
     * @param channels        image channels
     * @param classes         classes the network predicts
     * @param inputVoxels     voxels of the input grid (where the label map is written)
     * @param preparedVoxels  voxels of the grid the network sees (after resampling)
     * @param preparedSlices  slices (z) of that grid
     * @param exact           whether preprocessing only moved voxels (the labels are then moved back; else each
     *                        class's probabilities are resampled back)
     * @param identity        whether preprocessing left the grid as it is (then windows are cut from the input
     *                        itself and the labels stay where they are decided: no copy of either)
     * @param probabilityMaps whether per-class probability maps are written too
     * @param models          models each window goes through (an ensemble's members, run one after the other;
     *                        {@code network} is then the one whose activations take the most)
     * @param pointwiseHead   whether the model splits off a pointwise head ({@link PatchPredictor#pointwiseHead()}):
     *                        the sliding window then holds the head's input of a window, not its K logits
     */
    public record Job(NetworkConfig network, long parameters, int channels, int classes, long inputVoxels,
            long preparedVoxels, int preparedSlices, boolean exact, boolean identity, boolean probabilityMaps,
            int models, boolean pointwiseHead) {

        /** One model without a pointwise head. */
        public Job(NetworkConfig network, long parameters, int channels, int classes, long inputVoxels,
                long preparedVoxels, int preparedSlices, boolean exact, boolean identity, boolean probabilityMaps) {
            this(network, parameters, channels, classes, inputVoxels, preparedVoxels, preparedSlices, exact,
                    identity, probabilityMaps, 1, false);
        }
    }

    private InferencePlanner() {
    }

    /**
     * A plan for {@code job} within {@code budget}: the requested batch size and stitching are kept when given
     * ({@code window}'s batch size 0 is not possible, so {@code autoBatch} and {@code autoStitching} say which are
     * the planner's to choose).
     */
    public static InferencePlan plan(Job job, SlidingWindow.Settings window, boolean autoBatch, boolean autoStitching,
            Budget budget, boolean gpu) {
        return plan(job, window, autoBatch, autoStitching, budget, gpu, 1);
    }

    /**
     * As {@link #plan(Job, SlidingWindow.Settings, boolean, boolean, Budget, boolean)} on {@code devices} devices,
     * {@code window}'s batch size being each device's: every candidate is judged spread ({@link #spread}), since
     * the heap holds the whole batch of every device.
     */
    public static InferencePlan plan(Job job, SlidingWindow.Settings window, boolean autoBatch, boolean autoStitching,
            Budget budget, boolean gpu, int devices) {
        List<Integer> batches = autoBatch ? (gpu ? List.of(8, 4, 2, 1) : List.of(1)) : List.of(window.batchSize());
        InferencePlan fallback = null;
        for (int batch : batches) {
            for (SlidingWindow.Settings candidate : stitchings(window.withBatchSize(batch), job, autoStitching)) {
                InferencePlan plan = spread(job, estimate(job, candidate, budget), devices);
                if (plan.fits()) {
                    return plan;
                }
                fallback = plan;
            }
        }
        return fallback;
    }

    /**
     * The stitchings to try, most memory first. Class chunks chosen by the user are tried at the requested chunk,
     * then halved: each halving doubles the passes over the windows, so the largest that fits is the fastest.
     */
    private static List<SlidingWindow.Settings> stitchings(SlidingWindow.Settings w, Job job, boolean auto) {
        if (!auto) {
            return w.stitching() == Stitching.CLASS_CHUNKS ? classChunks(w, w.classChunk()) : List.of(w);
        }
        List<SlidingWindow.Settings> list = new java.util.ArrayList<>(List.of(w.withStitching(Stitching.FLOAT32, 1),
                w.withStitching(Stitching.FLOAT16, 1)));
        list.addAll(classChunks(w, Math.max(1, job.classes() / 2)));
        return list;
    }

    /** Class-chunk stitching with {@code largest} classes per pass, then halved down to 1. */
    private static List<SlidingWindow.Settings> classChunks(SlidingWindow.Settings w, int largest) {
        List<SlidingWindow.Settings> chunks = new java.util.ArrayList<>();
        for (int chunk = largest; chunk >= 1; chunk /= 2) {
            chunks.add(w.withStitching(Stitching.CLASS_CHUNKS, chunk));
        }
        return chunks;
    }

    /** The memory {@code window} takes for {@code job}, and whether that fits {@code budget}. */
    public static InferencePlan estimate(Job job, SlidingWindow.Settings window, Budget budget) {
        long heap = heapBytes(job, window);
        long nativeBytes = nativeBytes(job, window, budget.shared());
        return new InferencePlan(window, heap, nativeBytes, fits(heap, nativeBytes, budget), budget);
    }

    private static boolean fits(long heap, long nativeBytes, Budget budget) {
        return heap <= budget.heapBytes() && (budget.shared() ? heap + nativeBytes <= budget.nativeBytes()
                : nativeBytes <= budget.nativeBytes());
    }

    /**
     * A one-device plan on {@code devices} devices: each takes the plan's window batch, so the sliding window cuts
     * batches {@code devices} times as large, whose inputs and probabilities the heap holds. The native figure is
     * the first device's, the most loaded: besides its own part it holds the whole batch's input and every part's
     * logits, handed back and joined there.
     */
    public static InferencePlan spread(Job job, InferencePlan one, int devices) {
        if (devices == 1) {
            return one;
        }
        int each = one.window().batchSize();
        SlidingWindow.Settings window = one.window().withBatchSize(each * devices);
        long heap = heapBytes(job, window);
        long others = (long) (devices - 1) * each * window.patch().voxels() * 4;
        long output = windowOutputs(job);
        long joined = (long) devices * each * window.patch().voxels() * 4 * output;
        long nativeBytes = one.nativeBytes() + others * (job.channels() + output) + joined;
        return new InferencePlan(window, heap, nativeBytes, fits(heap, nativeBytes, one.budget()), one.budget(),
                devices);
    }

    static long heapBytes(Job job, SlidingWindow.Settings w) {
        long vp = job.preparedVoxels();
        long vin = job.inputVoxels();
        long k = job.classes();
        // labels decided straight from the sums (no array per class, no argmax state) where every class is summed
        // at once and the labels only move back; total weights are a product of per-axis sums in every mode
        boolean direct = job.exact() && !job.probabilityMaps() && w.stitching() != Stitching.CLASS_CHUNKS;
        // deciding as they go, the sums hold a window's depth of slices (SlidingWindow.Pass#depth)
        long summed = direct ? vp / job.preparedSlices() * Math.min(job.preparedSlices(), w.patch().z()) : vp;
        long stitching = switch (w.stitching()) {
            case FLOAT32 -> k * summed * 4; // the sums
            case FLOAT16 -> k * summed * 2 + (direct ? 0 : vp * 4); // the sums, one class out
            case CLASS_CHUNKS -> Math.min(k, w.classChunk()) * vp * 4;
        };
        long prepared = job.identity() ? 0 : job.channels() * vp * 4; // normalised window by window
        long batchInput = (long) w.batchSize() * job.channels() * w.patch().voxels() * 4;
        // the batch's probabilities of the classes a pass sums, summed over the flips
        long batchProbabilities = (long) w.batchSize() * Math.min(k, chunkOf(w)) * w.patch().voxels() * 4;
        boolean argmaxOnInput = !job.exact() || job.probabilityMaps();
        // a running argmax: the class per voxel, and the best probability where class 0's array cannot serve as it
        boolean ownBest = w.stitching() == Stitching.CLASS_CHUNKS || job.probabilityMaps();
        long argmax = direct ? 0 : ((k > 256 ? 2 : 1) + (ownBest ? 4 : 0)) * (argmaxOnInput ? vin : vp);
        long backOnInput = argmaxOnInput && !job.exact() ? vin * 4 : 0; // one class resampled back at a time
        // the label map, and its copy moved back
        long labels = (job.identity() && direct ? 1 : 2) * vin * (k > 255 ? 2 : 1);
        long maps = job.probabilityMaps() ? vin * 4 : 0; // one class's file being encoded
        return stitching + prepared + batchInput + batchProbabilities + argmax + backOnInput + labels + maps
                + WORKING_OVERHEAD;
    }

    /** Classes per pass. */
    private static int chunkOf(SlidingWindow.Settings w) {
        return w.stitching() == Stitching.CLASS_CHUNKS ? w.classChunk() : Integer.MAX_VALUE;
    }

    /** {@code cpu}: the budget's RAM is the device's (a CPU run). */
    static long nativeBytes(Job job, SlidingWindow.Settings w, boolean cpu) {
        long windowVoxels = w.patch().voxels();
        double perVoxel = job.network() != null ? activationFloatsPerVoxel(job.network()) : UNKNOWN_FLOATS_PER_VOXEL;
        // the logits (or the head's input) of one flip at a time, the input and its flipped copy
        double outputs = windowOutputs(job) + job.channels() * (w.mirroring().count() > 1 ? 2 : 1);
        // the softmax's slabs: the logits' slab made contiguous, its softmax and that flipped back; a split
        // ensemble's head adds its sum of probabilities and the member's being added to it
        long slabs = (splitEnsemble(job) ? 5 : 3) * Math.min(SlidingWindow.SLAB_BYTES,
                (long) w.batchSize() * job.classes() * windowVoxels * 4);
        // PyTorch runs every CPU convolution of a batch of 2+ through oneDNN, whose blocked layouts (channels in
        // blocks of 16) cost more: about 6 floats a voxel, fitted to MONAI's UNet at batch 2 (bench/README.md)
        double oneDnn = cpu && w.batchSize() > 1 ? ONEDNN_BATCH_FLOATS_PER_VOXEL : 0;
        long firstCalls = cpu ? w.batchSize() * FIRST_CALLS_BYTES_PER_WINDOW : 0;
        return job.parameters() * 4 + slabs + firstCalls
                + (long) (w.batchSize() * windowVoxels * (perVoxel + outputs + oneDnn) * 4);
    }

    /**
     * What a process's first network calls leave resident on a CPU, per window of the batch, beyond their arrays:
     * oneDNN's set-up and the blocks the C library keeps for reuse. A warmed-up process reuses it, a fresh one (a new
     * KNIME executor) needs it, so the plan counts it: measured 83–157 MB at one window per batch and 259–313 MB at
     * two, 64³ and 96³ windows, two networks (bench/README.md, "from before the first network call").
     */
    static final long FIRST_CALLS_BYTES_PER_WINDOW = 140L << 20;

    /**
     * Floats per window voxel of what the model hands the sliding window: K logits, or, with a pointwise head, the
     * head's input (the top level's width; an ensemble's members' side by side), whose logits are then made slab by
     * slab.
     */
    private static long windowOutputs(Job job) {
        if (splitEnsemble(job)) {
            // the members' head inputs side by side and the one being made (each taken as wide as the network's)
            return (job.models() + 1L) * job.network().headWidth();
        }
        if (job.pointwiseHead() && job.network() != null) {
            return job.network().headWidth();
        }
        // an ensemble's sum of probabilities and the member's being added beside the logits
        return job.classes() * (job.models() > 1 ? 3L : 1L);
    }

    /** Whether the job is an ensemble split before its members' pointwise heads. */
    private static boolean splitEnsemble(Job job) {
        return job.pointwiseHead() && job.network() != null && job.models() > 1;
    }

    /** See {@link #nativeBytes}. */
    static final double ONEDNN_BATCH_FLOATS_PER_VOXEL = 6;

    /** For networks the planner knows nothing of (TorchScript): about a 4-level residual U-Net's of width 16. */
    static final double UNKNOWN_FLOATS_PER_VOXEL = 250;

    /**
     * Floats a forward pass without gradients holds at its peak, per input voxel, fitted to the live-tensor peaks
     * of 14 configurations (widths 4 to 32 at the top, 1 to 3 blocks, 64³ and 96³ windows; bench/README.md). DJL
     * frees an array when its manager closes, not when the last reference goes, so a plain U-Net keeps every
     * intermediate of a level's blocks until the level ends: about 11.5 floats per block per unit of the feature
     * maps' size S = Σ width / 8^level, plus about 25 for the stem and head. The invertible chains free each step's
     * intermediates as they go: about 20 + 10.5 · max(top width, 16), whatever the depth.
     */
    static double activationFloatsPerVoxel(NetworkConfig config) {
        List<Integer> widths = config.levelWidths();
        if (config.architecture() == Architecture.PARTIALLY_INVRES
                || config.architecture() == Architecture.FULLY_INVRES) {
            return 20 + 10.5 * Math.max(widths.get(0), 16);
        }
        boolean strided = config.architecture() == Architecture.STRIDED_UNET3D;
        double maps = 0;
        for (int level = 0; level < widths.size(); level++) {
            // narrower maps cost as 8 (im2col); the strided U-Net's level i runs at 2^-(i+1) resolution
            maps += Math.max(widths.get(level), 8) / Math.pow(8, strided ? Math.min(level + 1, widths.size() - 1)
                    : level);
        }
        if (strided) {
            // it closes its intermediates as it goes: at full resolution only the class maps of the last transposed
            // convolution and its refinement live; fitted to MONAI's configuration on ch2 and ch2better at one and
            // two windows per batch (about 60 MB a 96³ window with its outputs; bench/README.md)
            return 2 + config.classes() + maps * config.blocksPerLevel();
        }
        // an inverted residual holds its expanded maps (4× the width) three times where a block holds its own
        // about three times: an estimate from the tensors a block keeps, not fitted like the U-Net's
        double perBlock = config.architecture() == Architecture.MOBILE_UNET3D ? 4 * 11.5 : 11.5;
        return 25 + perBlock * maps * config.blocksPerLevel();
    }

    /** MemAvailable from /proc/meminfo in bytes, 0 where there is none. */
    private static long memAvailable() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }
}
