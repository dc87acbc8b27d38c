package org.volseg.nn.ossnet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.Volume;
import org.volseg.nn.engine.GradMode;
import org.volseg.nn.engine.Monitor;

/**
 * Segments a volume with a trained OSS-Net by querying voxels, as the reference's three procedures do (SEED_METHODS.md
 * §2(d)), on the padded grid the network was trained on:
 * <ul>
 * <li>{@link Procedure#DENSE}: every voxel;</li>
 * <li>{@link Procedure#COARSE_TO_FINE}: every voxel of the stride-4 grid, then at stride 2 and 1 only the voxels
 * within a dilated band (max filter 9³, then 3³) of the positives so far that are not positive yet;</li>
 * <li>{@link Procedure#ENCODER_GUIDED}: as coarse-to-fine, but the stride-4 stage queries only the points the
 * encoder's auxiliary low-resolution map (upsampled with align_corners to a quarter of the grid) calls positive;
 * variants C and D, which have that map.</li>
 * </ul>
 * Points go through the decoder in chunks. The grid only gains positives; a voxel never queried is background.
 */
public final class OssNetInference {

    /**
     * Points per decoder call: 2^11, not the reference's 2^14. A chunk's arrays are points × 512 floats, and large
     * fresh arrays cost page faults: a dense pass over 32³ voxels took 5.0 s in chunks of 2^11, 5.2 s of 2^10, 10 s
     * of 2^12, 33 s of 2^13 and 100 s of 2^14 (one thread, this project's CI machine).
     */
    public static final int DEFAULT_CHUNK = 1 << 11;
    /** The logit given to voxels the procedure did not query (background). */
    public static final float UNQUERIED = -20f;
    private static final int[] STRIDES = {4, 2, 1};

    /** How the voxels to query are chosen. */
    public enum Procedure {
        DENSE, COARSE_TO_FINE, ENCODER_GUIDED;

        /** The fastest one a variant supports: encoder-guided with the auxiliary map, else coarse-to-fine. */
        public static Procedure fastest(OssNetConfig.Variant variant) {
            return variant.skipEncoder() ? ENCODER_GUIDED : COARSE_TO_FINE;
        }
    }

    /**
     * A segmented volume.
     *
     * @param logits  per class, the occupancy logit of every voxel of the grid (x fastest), {@link #UNQUERIED} where
     *                none was asked for
     * @param queries voxels the decoder evaluated (a voxel asked at two stages counts twice, as in the reference)
     * @param seconds wall-clock time, encoder included
     */
    public record Result(float[][] logits, long queries, double seconds) {

        /**
         * The class of every voxel: the one of largest logit where its sigmoid is above 0.5, else 0 (background).
         */
        public int[] labels() {
            int[] out = new int[logits[0].length];
            for (int i = 0; i < out.length; i++) {
                out[i] = classAt(logits, i);
            }
            return out;
        }

        /** The foreground, any class: for one class the reference's segmentation, sigmoid(logit) &gt; 0.5. */
        public boolean[] occupied() {
            int[] labels = labels();
            boolean[] out = new boolean[labels.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = labels[i] != 0;
            }
            return out;
        }
    }

    /** The class of voxel {@code i}: of largest logit where that is positive, else 0. */
    static int classAt(float[][] logits, int i) {
        int best = 0;
        float max = 0;
        for (int k = 0; k < logits.length; k++) {
            if (logits[k][i] > max) {
                max = logits[k][i];
                best = k + 1;
            }
        }
        return best;
    }

    private OssNetInference() {
    }

    /**
     * @param image     the padded image, on the network's grid (multiples of 4 per axis)
     * @param procedure which voxels to query
     * @param chunk     points per decoder call
     * @param monitor   asked between chunks whether to stop
     */
    public static Result segment(OssNet net, Volume image, Procedure procedure, int chunk, Monitor monitor) {
        return run(net, image, procedure, null, chunk, monitor);
    }

    private static Result segment(OssNet net, Volume image, int[] voxels, int chunk, Monitor monitor) {
        return run(net, image, Procedure.DENSE, voxels, chunk, monitor);
    }

    /** {@code procedure}, or with {@code voxels} just those voxels. */
    private static Result run(OssNet net, Volume image, Procedure procedure, int[] voxels, int chunk,
            Monitor monitor) {
        if (procedure == Procedure.ENCODER_GUIDED && !net.config().variant().skipEncoder()) {
            throw new IllegalArgumentException("encoder-guided inference needs the auxiliary map of OSS-Net C or D; "
                    + net.config().name() + " has none");
        }
        long start = System.nanoTime();
        Geometry g = image.geometry();
        if (g.nx() % 4 != 0 || g.ny() % 4 != 0 || g.nz() % 4 != 0) {
            throw new IllegalArgumentException("the grid must be a multiple of 4 along each axis, got " + g.nx() + " × "
                    + g.ny() + " × " + g.nz());
        }
        NDManager parent = net.parameters().get(0).getManager();
        return GradMode.with(false, () -> {
            try (NDManager m = parent.newSubManager()) {
                int channels = image.channelCount();
                float[] flat = new float[channels * g.voxels()];
                for (int c = 0; c < channels; c++) {
                    System.arraycopy(image.channel(c), 0, flat, c * g.voxels(), g.voxels());
                }
                NDArray halved = Trilinear.half(m.create(flat, new Shape(1, channels, g.nz(), g.ny(), g.nx())));
                OssNet.Encoded encoded = net.encode(halved, false);
                Query query = new Query(net, image, encoded, chunk, monitor, m);
                float[][] logits = new float[net.config().classes()][g.voxels()];
                for (float[] l : logits) {
                    Arrays.fill(l, UNQUERIED);
                }
                if (voxels != null) {
                    query.run(voxels, logits);
                } else if (procedure == Procedure.DENSE) {
                    int[] all = new int[g.voxels()];
                    Arrays.setAll(all, i -> i);
                    query.run(all, logits);
                } else {
                    coarseToFine(g, procedure == Procedure.ENCODER_GUIDED ? coarsePrior(encoded.aux(), g) : null,
                            query, logits);
                }
                return new Result(logits, query.count, (System.nanoTime() - start) / 1e9);
            }
        });
    }

    /**
     * The occupancy logits of given voxels (the paper's point-sampled validation), per class.
     *
     * @param xyz x, y, z voxel indices, 3 per point
     */
    public static float[][] logitsAt(OssNet net, Volume image, int[] xyz, int chunk, Monitor monitor) {
        Geometry g = image.geometry();
        int[] voxels = new int[xyz.length / 3];
        for (int p = 0; p < voxels.length; p++) {
            voxels[p] = g.index(xyz[3 * p], xyz[3 * p + 1], xyz[3 * p + 2]);
        }
        float[][] all = segment(net, image, voxels, chunk, monitor).logits();
        float[][] out = new float[all.length][voxels.length];
        for (int k = 0; k < all.length; k++) {
            for (int p = 0; p < voxels.length; p++) {
                out[k][p] = all[k][voxels[p]];
            }
        }
        return out;
    }

    /**
     * The reference's procedure, for each class at once: at stride 4 every grid voxel (or those the prior marks),
     * then at strides 2 and 1 the voxels within a band around a class's positives that are not positive in that
     * class yet; a voxel asked for one class gets every class's logit.
     */
    private static void coarseToFine(Geometry g, boolean[] prior, Query query, float[][] logits) {
        boolean[][] occupied = new boolean[logits.length][g.voxels()];
        for (int stage = 0; stage < STRIDES.length; stage++) {
            int stride = STRIDES[stage];
            // the band's width: 9 before stride 2, 3 before stride 1 (the reference's 3^2, 3^1)
            boolean[][] bands = new boolean[logits.length][];
            for (int k = 0; stage > 0 && k < bands.length; k++) {
                bands[k] = dilate(occupied[k], g, (int) Math.pow(3, STRIDES.length - stage));
            }
            int[] candidates = new int[g.voxels()];
            int n = 0;
            for (int z = 0; z < g.nz(); z += stride) {
                for (int y = 0; y < g.ny(); y += stride) {
                    for (int x = 0; x < g.nx(); x += stride) {
                        int i = g.index(x, y, z);
                        boolean ask = stage == 0
                                && (prior == null || prior[(z / 4 * (g.ny() / 4) + y / 4) * (g.nx() / 4) + x / 4]);
                        for (int k = 0; !ask && stage > 0 && k < bands.length; k++) {
                            ask = bands[k][i] && !occupied[k][i];
                        }
                        if (ask) {
                            candidates[n++] = i;
                        }
                    }
                }
            }
            int[] asked = Arrays.copyOf(candidates, n);
            query.run(asked, logits);
            for (int k = 0; k < logits.length; k++) {
                for (int i : asked) {
                    if (logits[k][i] > 0) {
                        occupied[k][i] = true;
                    }
                }
            }
        }
    }

    /**
     * The encoder's low-resolution map, sigmoid, resized to a quarter of the grid (align_corners), above 0.5 in any
     * class.
     */
    private static boolean[] coarsePrior(NDArray aux, Geometry g) {
        NDArray quarter = Trilinear.resize(aux, g.nz() / 4, g.ny() / 4, g.nx() / 4);
        float[] values = quarter.toType(DataType.FLOAT32, false).toFloatArray();
        int cells = g.voxels() / 64;
        boolean[] prior = new boolean[cells];
        for (int i = 0; i < values.length; i++) {
            prior[i % cells] |= values[i] > 0; // sigmoid(v) > 0.5; classes one after the other
        }
        return prior;
    }

    /** A max filter of odd width {@code k} ("same" padding), one axis at a time. */
    static boolean[] dilate(boolean[] mask, Geometry g, int k) {
        int[] n = {g.nx(), g.ny(), g.nz()};
        int[] step = {1, g.nx(), g.nx() * g.ny()};
        boolean[] current = mask;
        for (int axis = 0; axis < 3; axis++) {
            boolean[] next = new boolean[current.length];
            for (int i = 0; i < current.length; i++) {
                if (!current[i]) {
                    continue;
                }
                int position = i / step[axis] % n[axis];
                for (int d = Math.max(0, position - k / 2); d <= Math.min(n[axis] - 1, position + k / 2); d++) {
                    next[i + (d - position) * step[axis]] = true;
                }
            }
            current = next;
        }
        return current;
    }

    /** The decoder run on voxels in chunks. */
    private static final class Query {
        private final OssNet net;
        private final Volume image;
        private final OssNet.Encoded encoded;
        private final int chunk;
        private final Monitor monitor;
        private final NDManager manager;
        private long count;

        Query(OssNet net, Volume image, OssNet.Encoded encoded, int chunk, Monitor monitor,
                NDManager manager) {
            this.net = net;
            this.image = image;
            this.encoded = encoded;
            this.chunk = chunk;
            this.monitor = monitor;
            this.manager = manager;
        }

        /** Writes each class's logit of each voxel index in {@code voxels} into {@code logits}. */
        void run(int[] voxels, float[][] logits) {
            Geometry g = image.geometry();
            OssNetConfig config = net.config();
            for (int from = 0; from < voxels.length; from += chunk) {
                monitor.checkCanceled();
                int n = Math.min(chunk, voxels.length - from);
                int[] xyz = new int[3 * n];
                float[] coords = new float[3 * n];
                for (int p = 0; p < n; p++) {
                    int i = voxels[from + p];
                    xyz[3 * p] = i % g.nx();
                    xyz[3 * p + 1] = i / g.nx() % g.ny();
                    xyz[3 * p + 2] = i / (g.nx() * g.ny());
                    for (int a = 0; a < 3; a++) {
                        coords[3 * p + a] = xyz[3 * p + a];
                    }
                }
                try (NDManager scope = manager.newSubManager()) {
                    // the latents lent to the chunk's scope: what the decoder derives from them is freed with it
                    encoded.latents().tempAttach(scope);
                    float[] patches = net.pointPatches(image, xyz);
                    NDArray patchArray = patches == null ? null
                            : scope.create(patches, new Shape(n, config.patchChannels(), 7, 7, 7));
                    NDArray out = net.decode(encoded, scope.create(coords, new Shape(1, n, 3)), patchArray, false);
                    float[] values = out.toFloatArray(); // point-major, classes within
                    int classes = logits.length;
                    for (int p = 0; p < n; p++) {
                        for (int k = 0; k < classes; k++) {
                            logits[k][voxels[from + p]] = values[p * classes + k];
                        }
                    }
                }
                count += n;
            }
        }
    }
}
