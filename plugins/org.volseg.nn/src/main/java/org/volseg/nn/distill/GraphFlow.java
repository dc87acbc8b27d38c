package org.volseg.nn.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.volseg.nn.engine.Scalars;

/**
 * Graph Flow's variation graph (SEED_METHODS.md §3(b).3, a reconstruction: the paper's criterion is not public). For
 * a feature tap X (N × C × D × H × W) each channel is a vertex: the k³ patch of X around the channel's maximum, zero
 * outside the volume; edges are the similarities of two channels' patches. The knowledge passed from teacher to
 * student is how the graph changes from the shallow tap to the deep one: ΔV = V_deep − V_shallow and ΔE = E_deep −
 * E_shallow, compared as squared Frobenius distances summed over the batch (the tiny weights of the reference suggest
 * sums, not means). The maxima are located without gradient; the gathered values carry it.
 */
public final class GraphFlow {

    /** Where a channel's salience patch of the deep tap is centred. */
    public enum Location {
        /** At the channel's maximum in each tap (the reading of the paper's text). */
        PER_LAYER,
        /** At the channel's maximum in the shallow tap, for both taps: ΔV compares like with like spatially. */
        SHALLOW
    }

    /** How two vertices (patches) are compared into an edge. */
    public enum Similarity {
        /** Cosine of the two patch vectors. */
        COSINE,
        /** Their inner product. */
        INNER_PRODUCT,
        /** Pearson's correlation: the cosine of the mean-centred vectors. */
        CORRELATION
    }

    /** How a tap is scaled before its graph is built. */
    public enum Normalization {
        /** Not at all: raw feature values (the loss then grows with the features' scale). */
        NONE,
        /**
         * Each sample's tap divided by its root mean square: teacher and student graphs compare shapes, not scales,
         * whatever the networks' feature magnitudes.
         */
        RMS
    }

    /**
     * The graph's open choices.
     *
     * @param patch         k, the salience patch's edge in voxels: odd, 1 to 9 (3 for Gastric Cancer in the
     *                      reference)
     * @param location      where the deep tap's patches are centred
     * @param similarity    what an edge measures
     * @param normalization how taps are scaled first
     */
    public record Settings(int patch, Location location, Similarity similarity, Normalization normalization) {

        public Settings {
            if (patch < 1 || patch > 9 || patch % 2 == 0) {
                throw new IllegalArgumentException("the salience patch is " + patch + " voxels; allowed: 1, 3, 5, 7 "
                        + "or 9 (odd, so the maximum is its centre)");
            }
            if (location == null || similarity == null || normalization == null) {
                throw new IllegalArgumentException("the salience location, the edge similarity and the "
                        + "normalization are required");
            }
        }

        /**
         * The reference's 3³ patches, each tap's own maxima and cosine edges, on RMS-normalised taps: with raw 3D
         * features the vertex term measured the teacher's feature scale, which a student barely approached in a
         * tiny run (docs/distillation.md).
         */
        public static Settings defaults() {
            return new Settings(3, Location.PER_LAYER, Similarity.COSINE, Normalization.RMS);
        }
    }

    /** The two terms of the loss, scalars (unweighted). */
    public record Terms(NDArray vertex, NDArray edge) {
    }

    /** Keeps a zero patch's cosine finite (and its gradient): ‖v‖ is computed as √(‖v‖² + this). */
    private static final double NORM_EPS = 1e-12;

    private GraphFlow() {
    }

    /**
     * L_vertex = Σ_b ‖ΔV_T − ΔV_S‖²_F and L_edge = Σ_b ‖ΔE_T − ΔE_S‖²_F from the student's taps and the teacher's
     * (paraphrased) ones; all four N × C × D × H × W of one spatial size, student and teacher of one channel count.
     */
    public static Terms loss(NDArray studentShallow, NDArray studentDeep, NDArray teacherShallow,
            NDArray teacherDeep, Settings settings) {
        if (!studentShallow.getShape().equals(teacherShallow.getShape())
                || !studentDeep.getShape().equals(teacherDeep.getShape())
                || !studentShallow.getShape().equals(studentDeep.getShape())) {
            throw new IllegalArgumentException("graph flow compares taps of one shape; got student "
                    + studentShallow.getShape() + " and " + studentDeep.getShape() + ", teacher "
                    + teacherShallow.getShape() + " and " + teacherDeep.getShape());
        }
        Flow student = flow(studentShallow, studentDeep, settings);
        Flow teacher = flow(teacherShallow, teacherDeep, settings);
        NDArray vertex = teacher.vertices().sub(student.vertices()).square().sum();
        NDArray edge = teacher.edges().sub(student.edges()).square().sum();
        return new Terms(vertex, edge);
    }

    /** ΔV (N × C × k³) and ΔE (N × C × C) of one network. */
    private record Flow(NDArray vertices, NDArray edges) {
    }

    private static Flow flow(NDArray rawShallow, NDArray rawDeep, Settings settings) {
        NDArray shallow = normalize(rawShallow, settings.normalization());
        NDArray deep = normalize(rawDeep, settings.normalization());
        long[] shallowMaxima = maxima(shallow);
        long[] deepMaxima = settings.location() == Location.SHALLOW ? shallowMaxima : maxima(deep);
        NDArray vShallow = vertices(shallow, shallowMaxima, settings.patch());
        NDArray vDeep = vertices(deep, deepMaxima, settings.patch());
        NDArray edges = edges(vDeep, settings.similarity()).sub(edges(vShallow, settings.similarity()));
        return new Flow(vDeep.sub(vShallow), edges);
    }

    /** A tap scaled as {@code normalization} says. */
    static NDArray normalize(NDArray features, Normalization normalization) {
        if (normalization == Normalization.NONE) {
            return features;
        }
        long n = features.getShape().get(0);
        NDArray meanSquare = features.square().reshape(n, -1).mean(new int[] {1}).reshape(n, 1, 1, 1, 1);
        return features.div(meanSquare.add(Scalars.constant(features, NORM_EPS)).sqrt());
    }

    /** The flat spatial index (z · H · W + y · W + x) of each channel's maximum, N · C of them, sample-major. */
    public static long[] maxima(NDArray features) {
        Shape s = features.getShape();
        try (NDManager scope = features.getManager().newSubManager()) {
            NDArray flat = features.stopGradient();
            flat.attach(scope);
            return flat.reshape(s.get(0), s.get(1), -1).argMax(2).toLongArray();
        }
    }

    /**
     * Each channel's k³ patch centred on {@code maxima} (zero outside the volume), N × C × k³ in z, y, x order;
     * differentiable in the feature values.
     */
    public static NDArray vertices(NDArray features, long[] maxima, int patch) {
        Shape s = features.getShape();
        int n = (int) s.get(0);
        int c = (int) s.get(1);
        int d = (int) s.get(2);
        int h = (int) s.get(3);
        int w = (int) s.get(4);
        if (maxima.length != n * c) {
            throw new IllegalArgumentException(maxima.length + " maxima for " + n + " × " + c + " channels");
        }
        int r = patch / 2;
        int hp = h + 2 * r;
        int wp = w + 2 * r;
        int cube = patch * patch * patch;
        long[] index = new long[n * c * cube];
        for (int i = 0; i < n * c; i++) {
            long at = maxima[i];
            long z = at / ((long) h * w);
            long y = at / w % h;
            long x = at % w;
            // in the padded volume the patch starts where the maximum was
            long origin = (z * hp + y) * wp + x;
            int k = 0;
            for (int a = 0; a < patch; a++) {
                for (int b = 0; b < patch; b++) {
                    for (int e = 0; e < patch; e++) {
                        index[i * cube + k++] = origin + ((long) a * hp + b) * wp + e;
                    }
                }
            }
        }
        NDArray padded = r == 0 ? features : features.pad(new Shape(r, r, r, r, r, r), 0);
        NDArray flat = padded.reshape(n, c, -1);
        NDArray indices = owned(features.getManager(), index, new Shape(n, c, cube));
        return flat.gather(indices, 2);
    }

    /** Edges N × C × C between the vertices (N × C × k³) of one tap. */
    public static NDArray edges(NDArray vertices, Similarity similarity) {
        if (similarity == Similarity.INNER_PRODUCT) {
            return vertices.matMul(vertices.transpose(0, 2, 1));
        }
        NDArray v = vertices;
        if (similarity == Similarity.CORRELATION) {
            v = v.sub(v.mean(new int[] {2}, true));
        }
        NDArray norm = v.square().sum(new int[] {2}, true).add(Scalars.constant(v, NORM_EPS)).sqrt();
        NDArray unit = v.div(norm);
        return unit.matMul(unit.transpose(0, 2, 1));
    }

    /** An index array whose memory PyTorch owns (autograd keeps gather's index for the backward pass). */
    private static NDArray owned(NDManager manager, long[] values, Shape shape) {
        NDArray raw = manager.create(values, shape);
        NDArray copy = raw.duplicate();
        raw.close();
        return copy.toType(DataType.INT64, false);
    }
}
