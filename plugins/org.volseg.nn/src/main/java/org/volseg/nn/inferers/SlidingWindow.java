package org.volseg.nn.inferers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.volseg.core.sampling.PatchBox;
import org.volseg.core.sampling.PatchSize;
import org.volseg.core.sampling.Patches;
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
     * How windows are placed and blended.
     *
     * @param patch     the network's input size
     * @param overlap   the fraction of a patch that neighbouring windows share, in [0, 1)
     * @param gaussian  whether to weight each window by a Gaussian importance map (else uniformly)
     * @param batchSize windows per network call, at least 1
     */
    public record Settings(PatchSize patch, double overlap, boolean gaussian, int batchSize) {

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
        }

        /** Overlap 0.5, Gaussian blending, one window per batch: nnU-Net's defaults. */
        public static Settings defaults(PatchSize patch) {
            return new Settings(patch, 0.5, true, 1);
        }
    }

    private final Settings settings;
    private final float[] weights;

    public SlidingWindow(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.weights = importanceMap(settings.patch(), settings.gaussian());
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
     * Softmax probabilities of every voxel, blended over the windows.
     *
     * @param image     C channels, passed to the predictor as they are (normalise first)
     * @param predictor N × C × D × H × W patches to N × K × D × H × W logits
     * @param manager   the parent of the per-batch managers
     * @param monitor   checked for cancellation before each batch, told the progress after it
     * @return K arrays, one per class, of {@code image.geometry().voxels()} values each, x fastest
     * @throws java.util.concurrent.CancellationException when the monitor cancels
     */
    public float[][] probabilities(Volume image, PatchPredictor predictor, NDManager manager, Monitor monitor) {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(predictor, "predictor");
        Objects.requireNonNull(manager, "manager");
        Objects.requireNonNull(monitor, "monitor");
        boolean pytorch = DjlContext.ENGINE.equals(manager.getEngine().getEngineName());
        boolean gradMode = pytorch && JniUtils.isGradMode();
        if (pytorch) {
            JniUtils.setGradMode(false);
        }
        try {
            return blend(image, predictor, manager, monitor);
        } finally {
            if (pytorch) {
                JniUtils.setGradMode(gradMode);
            }
        }
    }

    private float[][] blend(Volume image, PatchPredictor predictor, NDManager manager, Monitor monitor) {
        Geometry grid = image.geometry();
        PatchSize patch = settings.patch();
        List<PatchBox> boxes = windows(grid);
        int total = boxes.size();
        int channels = image.channelCount();
        int patchVoxels = patch.voxels();
        float[] input = new float[Math.multiplyExact(Math.min(settings.batchSize(), total), channels * patchVoxels)];
        float[] weightSum = new float[grid.voxels()];
        float[][] sums = null;
        for (int start = 0; start < total; start += settings.batchSize()) {
            monitor.checkCanceled();
            int count = Math.min(settings.batchSize(), total - start);
            for (int b = 0; b < count; b++) {
                for (int c = 0; c < channels; c++) {
                    Patches.copy(image.channel(c), grid, boxes.get(start + b), 0f, input,
                            (b * channels + c) * patchVoxels);
                }
            }
            float[] probabilities;
            int classes;
            try (NDManager batch = manager.newSubManager()) {
                Shape shape = new Shape(count, channels, patch.z(), patch.y(), patch.x());
                NDArray patches = batch.create(FloatBuffer.wrap(input, 0, count * channels * patchVoxels), shape,
                        DataType.FLOAT32);
                NDArray logits = predictor.logits(patches);
                classes = classesOf(logits, count, patch);
                NDArray asFloat = logits.getDataType() == DataType.FLOAT32 ? logits
                        : owned(logits.toType(DataType.FLOAT32, false), batch);
                probabilities = owned(asFloat.softmax(1), batch).toFloatArray();
            }
            if (sums == null) {
                sums = new float[classes][grid.voxels()];
            } else if (sums.length != classes) {
                throw new IllegalStateException("the predictor returned " + classes + " classes, earlier "
                        + sums.length);
            }
            for (int b = 0; b < count; b++) {
                accumulate(probabilities, b, classes, boxes.get(start + b), grid, sums, weightSum);
            }
            int done = start + count;
            monitor.progress((double) done / total, "window " + done + " of " + total);
        }
        for (int i = 0; i < weightSum.length; i++) {
            float w = weightSum[i];
            for (float[] sum : sums) {
                sum[i] /= w;
            }
        }
        return sums;
    }

    /** K from the predictor's output, checking the rest of its shape against the batch. */
    private static int classesOf(NDArray logits, int count, PatchSize patch) {
        if (logits == null) {
            throw new IllegalStateException("the predictor returned no logits");
        }
        Shape s = logits.getShape();
        if (s.dimension() != 5 || s.get(0) != count || s.get(2) != patch.z() || s.get(3) != patch.y()
                || s.get(4) != patch.x()) {
            throw new IllegalStateException("the predictor returned logits of shape " + s + " for " + count
                    + " patch(es) of " + patch + "; expected " + count + " × K × " + patch.z() + " × " + patch.y()
                    + " × " + patch.x());
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

    /** Adds window b's weighted probabilities (N × K × D × H × W, x fastest) to the sums, inside the grid only. */
    private void accumulate(float[] probabilities, int b, int classes, PatchBox box, Geometry grid, float[][] sums,
            float[] weightSum) {
        PatchSize p = box.size();
        int patchVoxels = p.voxels();
        int fromX = Math.max(0, box.x());
        int toX = Math.min(grid.nx(), box.endX());
        int fromY = Math.max(0, box.y());
        int toY = Math.min(grid.ny(), box.endY());
        int fromZ = Math.max(0, box.z());
        int toZ = Math.min(grid.nz(), box.endZ());
        for (int z = fromZ; z < toZ; z++) {
            for (int y = fromY; y < toY; y++) {
                int row = ((z - box.z()) * p.y() + (y - box.y())) * p.x() - box.x();
                int target = grid.index(0, y, z);
                for (int x = fromX; x < toX; x++) {
                    weightSum[target + x] += weights[row + x];
                }
                for (int k = 0; k < classes; k++) {
                    float[] sum = sums[k];
                    int offset = (b * classes + k) * patchVoxels + row;
                    for (int x = fromX; x < toX; x++) {
                        sum[target + x] += probabilities[offset + x] * weights[row + x];
                    }
                }
            }
        }
    }

    /**
     * The blending weight of each patch voxel, x fastest: a Gaussian centred on the patch with sigma = patch / 8
     * per axis, scaled to a maximum of 1, zeros (underflow) raised to the smallest positive weight so every voxel
     * counts; or all ones.
     */
    static float[] importanceMap(PatchSize patch, boolean gaussian) {
        float[] map = new float[patch.voxels()];
        if (!gaussian) {
            Arrays.fill(map, 1f);
            return map;
        }
        double[] gx = gaussian1d(patch.x());
        double[] gy = gaussian1d(patch.y());
        double[] gz = gaussian1d(patch.z());
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
        int[] best = new int[n];
        for (int i = 0; i < n; i++) {
            float top = probabilities[0][i];
            for (int k = 1; k < probabilities.length; k++) {
                if (probabilities[k][i] > top) {
                    top = probabilities[k][i];
                    best[i] = k;
                }
            }
        }
        return best;
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
        int max = 0;
        for (int value : labelValues) {
            if (value < 0) {
                throw new IllegalArgumentException("label values must be non-negative, got " + value);
            }
            max = Math.max(max, value);
        }
        int[] classes = argmax(probabilities);
        if (classes.length != geometry.voxels()) {
            throw new IllegalArgumentException(classes.length + " probabilities for " + geometry.voxels()
                    + " voxels of " + geometry);
        }
        LabelMap map = LabelMap.create(geometry, max);
        for (int i = 0; i < classes.length; i++) {
            map.set(i, labelValues[classes[i]]);
        }
        return map;
    }
}
