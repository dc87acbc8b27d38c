package org.volseg.nn.inferers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;
import org.volseg.core.sampling.PatchBox;
import org.volseg.core.sampling.PatchSize;
import org.volseg.core.sampling.Patches;
import org.volseg.core.transforms.IntensityNormalization;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;
import org.volseg.core.volume.Volume;
import org.volseg.nn.engine.DjlContext;
import org.volseg.nn.engine.Monitor;

/**
 * Whole-volume prediction by overlapping patches (nnU-Net / MONAI style): networks are trained on patches and a
 * volume rarely fits in memory at once, so the volume is tiled with overlapping windows and the softmax
 * probabilities of the windows are blended, weighted towards each window's centre where the network sees most
 * context.
 *
 * <p>Window placement per axis: step = max(1, ⌊patch · (1 − overlap)⌋), origins 0, step, 2·step, … and a last
 * window aligned to the end of the axis, without duplicates (MONAI's rule; nnU-Net spreads the same number of
 * windows evenly). Along an axis shorter than the patch there is one window, with the image centred in it and
 * the rest zero-padded; zero, not edge replication, because it is what nnU-Net and MONAI pad with, what
 * {@link Patches} pads training patches with by default, and, after z-score or non-zero-mask normalisation, the
 * mean intensity or the background outside the body, whereas replication would smear edge anatomy into the pad.
 */
public final class SlidingWindow {

    /** nnU-Net's Gaussian sigma as a fraction of the patch edge. */
    static final double SIGMA_SCALE = 1.0 / 8;

    /**
     * The most a softmax slab takes: well under the 32 MB above which glibc's malloc maps every allocation afresh
     * (and the kernel zeroes it page by page) instead of reusing freed memory.
     */
    static final long SLAB_BYTES = 4L << 20;

    /** Below this many values a window's sums are added on one core: the fork/join hand-off would cost more. */
    private static final long PARALLEL_VALUES = 1 << 14;

    /**
     * How windows are placed, predicted, blended and stitched.
     *
     * @param patch      the network's input size
     * @param overlap    the fraction of a patch that neighbouring windows share, in [0, 1)
     * @param gaussian   whether to weight each window by a Gaussian importance map (else uniformly)
     * @param batchSize  windows per network call, at least 1
     * @param mirroring  the flips each window is also predicted under (test-time augmentation)
     * @param stitching  how the whole volume's probabilities are kept
     * @param classChunk classes per pass in {@link Stitching#CLASS_CHUNKS} mode, at least 1
     */
    public record Settings(PatchSize patch, double overlap, boolean gaussian, int batchSize, Mirroring mirroring,
            Stitching stitching, int classChunk) {

        public Settings {
            if (patch == null) {
                throw new IllegalArgumentException("patch size is required");
            }
            if (!(overlap >= 0 && overlap < 1)) {
                throw new IllegalArgumentException("overlap must be in [0, 1), got " + overlap);
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
            }
            Objects.requireNonNull(mirroring, "mirroring");
            Objects.requireNonNull(stitching, "stitching");
            if (classChunk < 1) {
                throw new IllegalArgumentException("classes per chunk must be at least 1, got " + classChunk);
            }
        }

        /** No test-time flips, float32 stitching. */
        public Settings(PatchSize patch, double overlap, boolean gaussian, int batchSize) {
            this(patch, overlap, gaussian, batchSize, Mirroring.NONE, Stitching.FLOAT32, 1);
        }

        /** Overlap 0.5, Gaussian blending, one window per batch, no flips, float32: nnU-Net's defaults. */
        public static Settings defaults(PatchSize patch) {
            return new Settings(patch, 0.5, true, 1);
        }

        public Settings withBatchSize(int windows) {
            return new Settings(patch, overlap, gaussian, windows, mirroring, stitching, classChunk);
        }

        public Settings withStitching(Stitching mode, int chunk) {
            return new Settings(patch, overlap, gaussian, batchSize, mirroring, mode, chunk);
        }
    }

    /** Receives the blended probabilities of one class at a time, each on the image's grid. */
    @FunctionalInterface
    public interface ClassSink {

        /**
         * @param k           the class (0 = background)
         * @param classes     how many classes the network predicts
         * @param probability the class's probability of every voxel, x fastest; float32 and float16 stitching
         *                    hand over arrays the sink may keep, class-chunk stitching reuses them for the next pass
         *                    (copy to keep)
         */
        void accept(int k, int classes, float[] probability);
    }

    private final Settings settings;
    private final long slabBytes;
    private final float[] weights;

    public SlidingWindow(Settings settings) {
        this(settings, SLAB_BYTES);
    }

    /** With softmax slabs of at most {@code slabBytes} (at least one slice each): tests cut windows finer. */
    SlidingWindow(Settings settings, long slabBytes) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.weights = importanceMap(settings.patch(), settings.gaussian());
        this.slabBytes = slabBytes;
    }

    public Settings settings() {
        return settings;
    }

    /**
     * Window origins along one axis of {@code length} voxels: 0, step, 2·step, … and the last aligned to the end,
     * ascending, without duplicates; a single negative or zero origin that centres a shorter axis in the patch.
     */
    public static int[] origins(int length, int patch, double overlap) {
        if (length < 1 || patch < 1) {
            throw new IllegalArgumentException("length and patch must be positive, got " + length + ", " + patch);
        }
        if (!(overlap >= 0 && overlap < 1)) {
            throw new IllegalArgumentException("overlap must be in [0, 1), got " + overlap);
        }
        if (length <= patch) {
            return new int[] {-((patch - length) / 2)};
        }
        // the tolerance keeps e.g. 20 · (1 − 0.8) = 3.999999999999999 from flooring to 3
        int step = Math.max(1, (int) Math.floor(patch * (1 - overlap) + 1e-9));
        int last = length - patch;
        int count = (last + step - 1) / step + 1;
        int[] origins = new int[count];
        for (int i = 0; i < count; i++) {
            origins[i] = Math.min(i * step, last);
        }
        return origins;
    }

    /** The windows over a grid, in the order they are predicted (x fastest, then y, then z). */
    public List<PatchBox> windows(Geometry grid) {
        PatchSize p = settings.patch();
        int[] xs = origins(grid.nx(), p.x(), settings.overlap());
        int[] ys = origins(grid.ny(), p.y(), settings.overlap());
        int[] zs = origins(grid.nz(), p.z(), settings.overlap());
        List<PatchBox> boxes = new ArrayList<>(xs.length * ys.length * zs.length);
        for (int z : zs) {
            for (int y : ys) {
                for (int x : xs) {
                    boxes.add(new PatchBox(x, y, z, p));
                }
            }
        }
        return boxes;
    }

    /**
     * Softmax probabilities of every voxel, blended over the windows, all classes at once (float32 stitching
     * holds them anyway; the other modes convert on the way out).
     *
     * @return K arrays, one per class, of {@code image.geometry().voxels()} values each, x fastest
     * @see #stitch
     */
    public float[][] probabilities(Volume image, PatchPredictor predictor, NDManager manager, Monitor monitor) {
        List<float[]> classes = new ArrayList<>();
        boolean reused = settings.stitching() == Stitching.CLASS_CHUNKS;
        stitch(image, predictor, manager, monitor, (k, count, p) -> classes.add(reused ? p.clone() : p));
        return classes.toArray(new float[0][]);
    }

    /**
     * Blends the softmax probabilities of the windows (averaged over the test-time flips) and hands them to
     * {@code sink} one class at a time, in class order, as the stitching mode allows: float32 and float16 after
     * one pass over the windows, class chunks after each pass.
     *
     * @param image     C channels, passed to the predictor as they are (normalise first)
     * @param predictor N × C × D × H × W patches to N × K × D × H × W logits
     * @param manager   the parent of the per-batch managers
     * @param monitor   checked for cancellation before each batch, told the progress after it
     * @throws java.util.concurrent.CancellationException when the monitor cancels
     */
    public void stitch(Volume image, PatchPredictor predictor, NDManager manager, Monitor monitor, ClassSink sink) {
        stitch(image, List.of(), predictor, manager, monitor, sink);
    }

    /**
     * As {@link #stitch(Volume, PatchPredictor, NDManager, Monitor, ClassSink)}, each window's channel c normalised
     * by {@code scalings.get(c)} as it is cut (none when empty): no normalised copy of the image is needed.
     */
    public void stitch(Volume image, List<IntensityNormalization.Scaling> scalings, PatchPredictor predictor,
            NDManager manager, Monitor monitor, ClassSink sink) {
        Objects.requireNonNull(sink, "sink");
        withoutGrad(image, scalings, predictor, manager, monitor, pass -> {
            pass.run(sink);
            return null;
        });
    }

    /**
     * The segmentation of {@code image} on its grid: each voxel gets {@code labelValues[k]} of its most probable
     * class k, decided straight from the blended sums where the stitching keeps every class (float32, float16), so
     * no class needs an array of its own beside them; class chunks go through a running argmax.
     */
    public LabelMap labels(Volume image, PatchPredictor predictor, NDManager manager, Monitor monitor,
            int[] labelValues) {
        return labels(image, List.of(), predictor, manager, monitor, labelValues);
    }

    /** As {@link #labels(Volume, PatchPredictor, NDManager, Monitor, int[])}, windows normalised as they are cut. */
    public LabelMap labels(Volume image, List<IntensityNormalization.Scaling> scalings, PatchPredictor predictor,
            NDManager manager, Monitor monitor, int[] labelValues) {
        checkLabelValues(labelValues);
        return withoutGrad(image, scalings, predictor, manager, monitor, pass -> pass.labels(labelValues));
    }

    /** Runs a pass over {@code image} with gradient recording off (PyTorch's setting restored after). */
    private <T> T withoutGrad(Volume image, List<IntensityNormalization.Scaling> scalings, PatchPredictor predictor,
            NDManager manager, Monitor monitor, java.util.function.Function<Pass, T> work) {
        Objects.requireNonNull(image, "image");
        if (!scalings.isEmpty()) {
            IntensityNormalization.requireOnePerChannel(scalings, image);
        }
        Objects.requireNonNull(predictor, "predictor");
        Objects.requireNonNull(manager, "manager");
        Objects.requireNonNull(monitor, "monitor");
        boolean pytorch = DjlContext.ENGINE.equals(manager.getEngine().getEngineName());
        boolean gradMode = pytorch && JniUtils.isGradMode();
        if (pytorch) {
            JniUtils.setGradMode(false);
        }
        try {
            return work.apply(new Pass(image, scalings, predictor, manager, monitor));
        } finally {
            if (pytorch) {
                JniUtils.setGradMode(gradMode);
            }
        }
    }

    /** Blended probabilities of some classes over the windows, in the precision of the stitching mode. */
    private interface Sums extends RunningArgmax.ClassValues {

        /**
         * Adds a run of class k's probabilities: {@code probabilities[from + j]} weighted by {@code weights[
         * weightFrom + j]} (the voxel's share of its total weight) on to voxel {@code target + j}, j &lt; n.
         */
        void addRun(int k, float[] probabilities, int from, float[] weights, int weightFrom, int target, int n);

        /** Class k's blended probabilities as floats; its sums are released. */
        float[] take(int k);

    }

    /**
     * Sums of the probabilities times their voxel's share of weight. Reusable ones (class chunks) keep their arrays
     * for the next pass: a new chunk's arrays per pass would pile up as garbage faster than the JVM collects it.
     */
    private static final class FloatSums implements Sums {
        private final float[][] sums;
        private final boolean reusable;
        private int active;

        FloatSums(int classes, int voxels, boolean reusable) {
            this.sums = new float[classes][voxels];
            this.reusable = reusable;
            this.active = classes;
        }

        /** Zeroes the sums for the next pass, which sums {@code classes} (at most as many as at first). */
        FloatSums reset(int classes) {
            active = classes;
            for (int k = 0; k < classes; k++) {
                java.util.Arrays.fill(sums[k], 0f);
            }
            return this;
        }

        @Override
        public void addRun(int k, float[] p, int from, float[] weights, int weightFrom, int target, int n) {
            float[] sum = sums[k];
            for (int j = 0; j < n; j++) {
                sum[target + j] += p[from + j] * weights[weightFrom + j];
            }
        }

        @Override
        public float[] take(int k) {
            float[] sum = sums[k];
            if (!reusable) {
                sums[k] = null;
            }
            return sum;
        }

        @Override
        public void drain(int k, int from, float[] into, int length) {
            System.arraycopy(sums[k], from, into, 0, length);
            java.util.Arrays.fill(sums[k], from, from + length, 0f);
        }
    }

    /**
     * The same sums in half precision: they grow towards the blended probability in [0, 1], where half precision is
     * finest (raw weighted sums would not: a Gaussian's corner weights, e^−24 of the centre's, vanish in it).
     */
    private static final class HalfSums implements Sums {
        private final short[][] means;

        HalfSums(int classes, int voxels) {
            means = new short[classes][voxels];
        }

        @Override
        public void addRun(int k, float[] p, int from, float[] weights, int weightFrom, int target, int n) {
            short[] mean = means[k];
            for (int j = 0; j < n; j++) {
                mean[target + j] = Half.fromFloat(Half.toFloat(mean[target + j]) + p[from + j]
                        * weights[weightFrom + j]);
            }
        }

        @Override
        public void drain(int k, int from, float[] into, int length) {
            short[] mean = means[k];
            for (int j = 0; j < length; j++) {
                into[j] = Half.toFloat(mean[from + j]);
            }
            java.util.Arrays.fill(mean, from, from + length, (short) 0); // half precision's +0
        }

        @Override
        public float[] take(int k) {
            short[] mean = means[k];
            means[k] = null;
            float[] p = new float[mean.length];
            for (int i = 0; i < mean.length; i++) {
                p[i] = Half.toFloat(mean[i]);
            }
            return p;
        }
    }

    /** One stitching of one image: the passes over the windows that the stitching mode needs. */
    private final class Pass {
        private final Volume image;
        /** Per channel, the normalisation applied to each window as it is cut; empty for none. */
        private final List<IntensityNormalization.Scaling> scalings;
        private final PatchPredictor predictor;
        private final NDManager manager;
        private final Monitor monitor;
        private final Geometry grid;
        private final List<PatchBox> boxes;
        private final float[] input;
        /**
         * The batch's input in native memory that every batch reuses: given a heap array, DJL copies it into a new
         * direct buffer that PyTorch's tensor then shares and only the garbage collector frees (3.5 MB per 96³
         * window, hundreds of MB over a large volume before a collection comes).
         */
        private final ByteBuffer nativeInput;
        /** Per axis (z, y, x), 1 / the total blending weight at each position over the windows' origins. */
        private final float[][] inverseTotals;
        /** A window's weights, each divided by its voxel's total over the windows (and the flips). */
        private final float[] windowWeights;
        /** Classes per pass: all of them but in class-chunk stitching. */
        private final int chunk;
        /** A batch's probabilities of the classes a pass sums, summed over the flips; allocated once K is known. */
        private float[] windowProbabilities;
        /** One slab's values of one class when flips are added up. */
        private float[] slabValues;
        private int classes = -1;
        /**
         * Slices (z) the sums hold, slice z at z mod depth: every slice, or, when the labels are decided from the
         * sums, a window's depth: the windows go through z in order, and a slice no later window reaches is decided
         * and its place cleared for the slice a window's depth further on. The sums then take a slab's memory
         * instead of the volume's.
         */
        private int depth;
        /** The label path: the labels decided so far, of slices below {@link #decidedZ}; null on the sink path. */
        private LabelMap decided;
        private int[] labelValues;
        private int decidedZ;

        Pass(Volume image, List<IntensityNormalization.Scaling> scalings, PatchPredictor predictor,
                NDManager manager, Monitor monitor) {
            this.image = image;
            this.scalings = scalings;
            this.predictor = predictor;
            this.manager = manager;
            this.monitor = monitor;
            this.grid = image.geometry();
            this.boxes = windows(grid);
            this.input = new float[Math.multiplyExact(Math.min(settings.batchSize(), boxes.size()),
                    image.channelCount() * settings.patch().voxels())];
            this.nativeInput = ByteBuffer.allocateDirect(Math.multiplyExact(input.length, Float.BYTES))
                    .order(ByteOrder.nativeOrder());
            this.chunk = settings.stitching() == Stitching.CLASS_CHUNKS ? settings.classChunk() : Integer.MAX_VALUE;
            this.inverseTotals = inverseTotals();
            this.windowWeights = new float[settings.patch().voxels()];
            this.depth = grid.nz();
        }

        void run(ClassSink sink) {
            Stitching mode = settings.stitching();
            FloatSums reused = null; // class chunks: one set of arrays serves every pass
            int first = 0;
            int pass = 0;
            do {
                int passIndex = pass;
                Sums sums;
                if (mode == Stitching.FLOAT16) {
                    sums = over(first, k -> new HalfSums(k, grid.voxels()), passIndex);
                } else if (mode == Stitching.FLOAT32) {
                    sums = over(first, k -> new FloatSums(k, grid.voxels(), false), passIndex);
                } else {
                    FloatSums previous = reused;
                    sums = over(first, k -> previous == null ? new FloatSums(k, grid.voxels(), true)
                            : previous.reset(k), passIndex);
                    reused = (FloatSums) sums;
                }
                int count = Math.min(chunk, classes - first);
                for (int k = 0; k < count; k++) {
                    sink.accept(first + k, classes, sums.take(k));
                }
                first += count;
                pass++;
            } while (first < classes);
        }

        /** The label map: from the sums of all classes at once, or by a running argmax over class chunks. */
        LabelMap labels(int[] labelValues) {
            Stitching mode = settings.stitching();
            if (mode == Stitching.CLASS_CHUNKS) {
                RunningArgmax argmax = new RunningArgmax(grid.voxels(), false);
                run(argmax);
                return argmax.labels(grid, labelValues);
            }
            this.depth = Math.min(grid.nz(), settings.patch().z());
            this.labelValues = labelValues;
            int slab = depth * grid.ny() * grid.nx();
            Sums sums = over(0, k -> mode == Stitching.FLOAT16 ? new HalfSums(k, slab)
                    : new FloatSums(k, slab, false), 0);
            decideBelow(grid.nz(), sums);
            return decided;
        }

        /**
         * Decides the slices from {@link #decidedZ} up to {@code z} (no window left reaches them) and clears their
         * places for the slices that come next, on every core.
         */
        private void decideBelow(int z, Sums sums) {
            if (decided == null) {
                decided = RunningArgmax.emptyLabels(grid, labelValues, classes);
            }
            int slice = grid.ny() * grid.nx();
            int to = Math.min(z, grid.nz());
            if (to > decidedZ) {
                int from = decidedZ;
                onEveryCore(to - from, (long) (to - from) * slice * classes, s -> {
                    int first = grid.index(0, 0, from + s);
                    int slot = slot(0, from + s);
                    RunningArgmax.decide(decided, labelValues, classes, sums, first, first + slice, first - slot);
                });
                decidedZ = to;
            }
        }

        /** Where the sums keep row y of slice z. */
        private int slot(int y, int z) {
            return ((z % depth) * grid.ny() + y) * grid.nx();
        }

        /** How many passes the stitching takes, once the class count is known. */
        private int passes() {
            return classes < 0 || chunk >= classes ? 1 : (classes + chunk - 1) / chunk;
        }

        /** Runs every window and sums classes first … first + chunk − 1 (allocated once K is known). */
        private Sums over(int first, java.util.function.IntFunction<Sums> allocate, int pass) {
            int total = boxes.size();
            int channels = image.channelCount();
            PatchSize patch = settings.patch();
            int patchVoxels = patch.voxels();
            Sums sums = null;
            for (int start = 0; start < total; start += settings.batchSize()) {
                monitor.checkCanceled();
                int count = Math.min(settings.batchSize(), total - start);
                for (int b = 0; b < count; b++) {
                    for (int c = 0; c < channels; c++) {
                        Patches.copy(image.channel(c), grid, boxes.get(start + b), 0f, input,
                                (b * channels + c) * patchVoxels, scalings.isEmpty() ? null : scalings.get(c));
                    }
                }
                int values = count * channels * patchVoxels;
                nativeInput.clear();
                nativeInput.asFloatBuffer().put(input, 0, values);
                nativeInput.limit(values * Float.BYTES);
                try (NDManager batch = manager.newSubManager()) {
                    Shape shape = new Shape(count, channels, patch.z(), patch.y(), patch.x());
                    NDArray patches = batch.create(nativeInput, shape, DataType.FLOAT32);
                    float[] p = probabilities(patches, count, first, batch);
                    int held = Math.min(chunk, classes - first);
                    if (sums == null) {
                        sums = allocate.apply(held);
                    }
                    for (int b = 0; b < count; b++) {
                        PatchBox box = boxes.get(start + b);
                        if (labelValues != null) {
                            decideBelow(box.z(), sums);
                        }
                        accumulate(p, b * held, held, box, sums);
                    }
                }
                int done = start + count;
                monitor.progress((pass + (double) done / total) / passes(), "window " + done + " of " + total
                        + (passes() > 1 ? ", pass " + (pass + 1) + " of " + passes() : ""));
            }
            return sums;
        }

        /**
         * The softmax probabilities of classes {@code first} … {@code first + held − 1} of a batch, summed over the
         * flips (each flipped back), in {@link #windowProbabilities} (window, class, z, y, x). The softmax runs slab
         * by slab along z: one tensor of a window's probabilities of many classes (52 MB for 50 classes of a 64³
         * window) would come from the C library's mmap afresh every window and be faulted in page by page, which
         * cost more than the softmax itself; slabs of at most {@link #SLAB_BYTES} are reused by the allocator.
         * A model with a {@linkplain PatchPredictor#pointwiseHead() pointwise head} makes even the logits slab by
         * slab, from its head's input: no array then holds all classes of a window, so class-chunk stitching's
         * memory does not grow with K, and the other modes skip a window-sized array of K logits.
         */
        private float[] probabilities(NDArray patches, int count, int first, NDManager batch) {
            PatchSize patch = settings.patch();
            int area = patch.y() * patch.x();
            int depthOfPatch = patch.z();
            PatchPredictor.PointwiseHead split = predictor.pointwiseHead();
            boolean firstFlip = true;
            for (int mask : settings.mirroring().flips()) {
                try (NDManager flip = batch.newSubManager()) {
                    int[] axes = Mirroring.arrayAxes(mask);
                    NDArray in = mask == 0 ? patches : owned(patches.flip(axes), flip);
                    // the logits, or where the head is split off, what it sees
                    NDArray output = owned(split == null ? predictor.logits(in) : split.headInput(in), flip);
                    if (split == null) {
                        knowClasses(classesOf(output, count, depthOfPatch, patch));
                    } else if (classes < 0) {
                        try (NDManager once = flip.newSubManager()) {
                            knowClasses(classesOf(owned(split.head(owned(output.get(new NDIndex(":, :, 0:1")),
                                    once)), once), count, 1, patch));
                        }
                    }
                    int held = Math.min(chunk, classes - first);
                    int slab = Math.max(1, (int) Math.min(depthOfPatch, slabBytes / ((long) count * classes * area
                            * Float.BYTES)));
                    if (windowProbabilities == null) {
                        // the first pass holds the most classes; the first batch the most windows
                        windowProbabilities = new float[Math.multiplyExact(count * held, patch.voxels())];
                    }
                    boolean zFlipped = (mask & Mirroring.Z) != 0;
                    for (int z0 = 0; z0 < depthOfPatch; z0 += slab) {
                        int z1 = Math.min(depthOfPatch, z0 + slab);
                        int from = zFlipped ? depthOfPatch - z1 : z0;
                        try (NDManager part = flip.newSubManager()) {
                            NDArray slice = owned(output.get(new NDIndex(":, :, {}:{}", from, from + z1 - z0)), part);
                            if (split != null) {
                                slice = owned(split.head(slice), part);
                                knowClasses(classesOf(slice, count, z1 - z0, patch));
                            }
                            if (slice.getDataType() != DataType.FLOAT32) {
                                slice = owned(slice.toType(DataType.FLOAT32, false), part);
                            }
                            NDArray p = owned(slice.softmax(1), part);
                            if (mask != 0) {
                                p = owned(p.flip(axes), part); // within the slab; the slab itself sits at z0
                            }
                            FloatBuffer values = p.toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer();
                            int length = (z1 - z0) * area;
                            for (int b = 0; b < count; b++) {
                                for (int c = 0; c < held; c++) {
                                    int source = (b * classes + first + c) * length;
                                    int target = ((b * held + c) * depthOfPatch + z0) * area;
                                    if (firstFlip) {
                                        values.get(source, windowProbabilities, target, length);
                                    } else {
                                        addTo(values, source, target, length);
                                    }
                                }
                            }
                        }
                    }
                }
                firstFlip = false;
            }
            return windowProbabilities;
        }

        /** Takes the class count of the first logits, then checks every later logits against it. */
        private void knowClasses(int k) {
            if (classes < 0) {
                classes = k;
            } else if (k != classes) {
                throw new IllegalStateException("the predictor returned " + k + " classes, earlier " + classes);
            }
        }

        /** Adds {@code length} values from {@code source} on to the window probabilities from {@code target} on. */
        private void addTo(FloatBuffer values, int source, int target, int length) {
            if (slabValues == null || slabValues.length < length) {
                slabValues = new float[length];
            }
            values.get(source, slabValues, 0, length);
            for (int j = 0; j < length; j++) {
                windowProbabilities[target + j] += slabValues[j];
            }
        }

        /**
         * Adds a window's probabilities, the {@code held} classes {@code sums} holds from {@code firstClass} (window
         * b's first class in the batch's probabilities) on, inside the grid, averaged over the flips. Class by
         * class and slice by slice, on every core: the sums of one class are written in runs rather than K arrays
         * a row at a time, and the cores the network used sit idle meanwhile. Each (class, slice) is one task's,
         * so the sums are the same whatever the order.
         */
        private void accumulate(float[] probabilities, int firstClass, int held, PatchBox box, Sums sums) {
            PatchSize p = box.size();
            int stride = p.voxels();
            int fromX = Math.max(0, box.x());
            int n = Math.min(grid.nx(), box.endX()) - fromX;
            int fromY = Math.max(0, box.y());
            int toY = Math.min(grid.ny(), box.endY());
            int fromZ = Math.max(0, box.z());
            int slices = Math.min(grid.nz(), box.endZ()) - fromZ;
            float[] inverseX = inverseTotals[2];
            for (int z = fromZ; z < fromZ + slices; z++) {
                for (int y = fromY; y < toY; y++) {
                    int row = ((z - box.z()) * p.y() + (y - box.y())) * p.x() - box.x();
                    float scale = inverseTotals[0][z] * inverseTotals[1][y] / settings.mirroring().count();
                    for (int x = fromX; x < fromX + n; x++) {
                        windowWeights[row + x] = weights[row + x] * scale * inverseX[x];
                    }
                }
            }
            onEveryCore(held * slices, (long) held * slices * (toY - fromY) * n, task -> {
                int k = task / slices;
                int z = fromZ + task % slices;
                int classOffset = (firstClass + k) * stride - box.x();
                for (int y = fromY; y < toY; y++) {
                    int row = ((z - box.z()) * p.y() + (y - box.y())) * p.x();
                    sums.addRun(k, probabilities, classOffset + row + fromX, windowWeights, row - box.x() + fromX,
                            slot(y, z) + fromX, n);
                }
            });
        }

        /**
         * The windows' origins form a grid and the blending weight is a product of one factor per axis, so a
         * voxel's total weight over the windows is the product of three sums along the axes: no array of the
         * volume's size is needed to normalise.
         */
        private float[][] inverseTotals() {
            PatchSize p = settings.patch();
            int[] lengths = {grid.nz(), grid.ny(), grid.nx()};
            int[] patch = {p.z(), p.y(), p.x()};
            double[][] factors = axisFactors(p, settings.gaussian());
            float[][] inverse = new float[3][];
            for (int axis = 0; axis < 3; axis++) {
                double[] factor = factors[axis];
                double[] total = new double[lengths[axis]];
                for (int origin : origins(lengths[axis], patch[axis], settings.overlap())) {
                    for (int i = Math.max(0, origin); i < Math.min(lengths[axis], origin + patch[axis]); i++) {
                        total[i] += factor[i - origin];
                    }
                }
                inverse[axis] = new float[lengths[axis]];
                for (int i = 0; i < total.length; i++) {
                    inverse[axis][i] = (float) (1 / total[i]);
                }
            }
            return inverse;
        }
    }

    /**
     * Runs {@code task} for 0 … {@code tasks − 1}, on the common fork/join pool when they hold at least {@link
     * #PARALLEL_VALUES} values between them. Tasks must write apart, so the result never depends on the order.
     */
    private static void onEveryCore(int tasks, long values, java.util.function.IntConsumer task) {
        IntStream range = IntStream.range(0, tasks);
        if (values >= PARALLEL_VALUES && tasks > 1) {
            range = range.parallel();
        }
        range.forEach(task);
    }

    /**
     * The blending weight's factor along each axis (z, y, x): the weight of a patch voxel is their product. A
     * Gaussian per axis, or ones.
     */
    private static double[][] axisFactors(PatchSize patch, boolean gaussian) {
        int[] edges = {patch.z(), patch.y(), patch.x()};
        double[][] factors = new double[3][];
        for (int axis = 0; axis < 3; axis++) {
            factors[axis] = gaussian ? gaussian1d(edges[axis]) : new double[edges[axis]];
            if (!gaussian) {
                Arrays.fill(factors[axis], 1);
            }
        }
        return factors;
    }

    /** K from the predictor's output for {@code depth} slices of the patches, checking the rest of its shape. */
    private static int classesOf(NDArray logits, int count, int depth, PatchSize patch) {
        if (logits == null) {
            throw new IllegalStateException("the predictor returned no logits");
        }
        Shape s = logits.getShape();
        if (s.dimension() != 5 || s.get(0) != count || s.get(2) != depth || s.get(3) != patch.y()
                || s.get(4) != patch.x()) {
            throw new IllegalStateException("the predictor returned logits of shape " + s + " for " + count
                    + " patch(es) of " + patch + (depth == patch.z() ? "" : " (" + depth + " slices of them)")
                    + "; expected " + count + " × K × " + depth + " × " + patch.y() + " × " + patch.x());
        }
        if (s.get(1) < 2) {
            throw new IllegalStateException("the predictor returned " + s.get(1)
                    + " class(es); softmax blending needs at least 2 (background included)");
        }
        return Math.toIntExact(s.get(1));
    }

    /** Makes sure an array this class made is freed with the batch even if the predictor's output was not. */
    private static NDArray owned(NDArray array, NDManager batch) {
        if (array.getManager() != batch) {
            array.attach(batch);
        }
        return array;
    }

    /**
     * The blending weight of each patch voxel, x fastest: a Gaussian centred on the patch with sigma = patch / 8
     * per axis, scaled to a maximum of 1, zeros (underflow) raised to the smallest positive weight so every voxel
     * counts; or all ones.
     */
    static float[] importanceMap(PatchSize patch, boolean gaussian) {
        float[] map = new float[patch.voxels()];
        double[][] factors = axisFactors(patch, gaussian);
        double[] gz = factors[0];
        double[] gy = factors[1];
        double[] gx = factors[2];
        float smallest = Float.MAX_VALUE;
        for (int z = 0, i = 0; z < gz.length; z++) {
            for (int y = 0; y < gy.length; y++) {
                for (int x = 0; x < gx.length; x++, i++) {
                    map[i] = (float) (gz[z] * gy[y] * gx[x]);
                    if (map[i] > 0) {
                        smallest = Math.min(smallest, map[i]);
                    }
                }
            }
        }
        for (int i = 0; i < map.length; i++) {
            if (map[i] == 0) {
                map[i] = smallest;
            }
        }
        return map;
    }

    /** A Gaussian over {@code n} voxels centred between the middle ones (symmetric), largest value 1. */
    private static double[] gaussian1d(int n) {
        double sigma = n * SIGMA_SCALE;
        double centre = (n - 1) / 2.0;
        double nearest = centre - Math.floor(centre); // 0 for odd n, 0.5 for even
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            double d = i - centre;
            g[i] = Math.exp(-(d * d - nearest * nearest) / (2 * sigma * sigma));
        }
        return g;
    }

    /** The most probable class of each voxel (the lowest class on ties). */
    public static int[] argmax(float[][] probabilities) {
        if (probabilities == null || probabilities.length == 0) {
            throw new IllegalArgumentException("no classes to choose from");
        }
        int n = probabilities[0].length;
        for (int k = 1; k < probabilities.length; k++) {
            if (probabilities[k].length != n) {
                throw new IllegalArgumentException("class " + k + " holds " + probabilities[k].length
                        + " values, class 0 " + n);
            }
        }
        return ranked(probabilities).classes();
    }

    private static void checkLabelValues(int[] labelValues) {
        Objects.requireNonNull(labelValues, "labelValues");
        for (int value : labelValues) {
            if (value < 0) {
                throw new IllegalArgumentException("label values must be non-negative, got " + value);
            }
        }
    }

    /** The running argmax fed with every class. */
    private static RunningArgmax ranked(float[][] probabilities) {
        RunningArgmax argmax = new RunningArgmax(probabilities[0].length, false);
        for (int k = 0; k < probabilities.length; k++) {
            argmax.accept(k, probabilities.length, probabilities[k]);
        }
        return argmax;
    }

    /**
     * The segmentation on the input's grid: each voxel gets {@code labelValues[k]} of its most probable class k
     * (so a network's classes 0, 1, 2, 3 can come back as BraTS labels 0, 1, 2, 4).
     */
    public static LabelMap labels(float[][] probabilities, Geometry geometry, int[] labelValues) {
        Objects.requireNonNull(geometry, "geometry");
        if (labelValues == null || probabilities == null || labelValues.length != probabilities.length) {
            throw new IllegalArgumentException((labelValues == null ? 0 : labelValues.length)
                    + " label values for " + (probabilities == null ? 0 : probabilities.length) + " classes");
        }
        checkLabelValues(labelValues);
        argmax(probabilities); // checks the classes' lengths
        if (probabilities[0].length != geometry.voxels()) {
            throw new IllegalArgumentException(probabilities[0].length + " probabilities for " + geometry.voxels()
                    + " voxels of " + geometry);
        }
        return ranked(probabilities).labels(geometry, labelValues);
    }
}
