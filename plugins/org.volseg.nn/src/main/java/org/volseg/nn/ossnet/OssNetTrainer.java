package org.volseg.nn.ossnet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.pooling.Pool;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.SplittableRandom;
import org.volseg.core.sampling.PointSampler;
import org.volseg.core.sampling.PointSet;
import org.volseg.core.transforms.Padding;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;
import org.volseg.core.volume.Volume;
import org.volseg.nn.engine.GradMode;
import org.volseg.nn.engine.Scalars;
import org.volseg.nn.engines.Lookahead;
import org.volseg.nn.engines.Optimizer;
import org.volseg.nn.engines.RAdam;

/**
 * OSS-Net's training step as the reference takes it: each volume, zero-padded to the preset's grid, is halved for
 * the encoder; N points are drawn on the full-resolution grid (uniformly, or a share near label borders), each
 * with its voxel coordinates, its 7³ (and mid-range) patch and its label; the loss is the binary cross-entropy of
 * the points' occupancy, plus 0.1 × that of the auxiliary low-resolution map against the max-pooled label for the
 * skip-encoder variants; RAdam inside Lookahead (k 5, α 0.8), learning rate 3e-4 and 1e-2 for the Padé
 * coefficients. Labels are binary here (label &gt; 0), as in the reference; multi-class heads are not built yet.
 */
public final class OssNetTrainer implements AutoCloseable {

    /** The reference's auxiliary loss weight. */
    public static final double AUX_WEIGHT = 0.1;
    /** The reference's base learning rate. */
    public static final double LEARNING_RATE = 3e-4;
    /** The reference's learning rate of the Padé coefficients. */
    public static final double PADE_LEARNING_RATE = 1e-2;
    private static final double CLAMP = 1e-6;

    /**
     * A training case on the preset's grid.
     *
     * @param image    channels, zero-padded to {@link #grid}
     * @param labels   the target: a class index per voxel, 0 background, 1 to the network's classes (binary: 1 =
     *                 occupied)
     * @param sampler  the point sampler of this case (its border band computed once)
     * @param box      where the unpadded image lies: first voxel x, y, z, then its size x, y, z (intensity
     *                 augmentation stays inside, as the reference augments before padding)
     */
    public record Case(Volume image, LabelMap labels, PointSampler sampler, int[] box) {
    }

    /** The two loss terms of a step and their weighted sum. */
    public record Losses(double total, double occupancy, double aux) {
    }

    private final OssNet net;
    private final int points;
    private final Optimizer optimizer;
    private final boolean checkpointed;
    /** The step's image and patches in native memory, reused by every step ({@link #reuse}). */
    private ByteBuffer imageBuffer;
    private ByteBuffer patchBuffer;

    /**
     * @param points points per volume per step (the reference: 2^14)
     */
    public OssNetTrainer(OssNet net, int points) {
        this(net, points, true);
    }

    /** @param checkpointed whether to recompute the decoder's blocks in the backward pass (else plain autograd) */
    OssNetTrainer(OssNet net, int points, boolean checkpointed) {
        this.net = net;
        this.points = points;
        this.checkpointed = checkpointed;
        List<NDArray> parameters = net.parameters();
        double[] scales = new double[parameters.size()];
        for (int i = 0; i < scales.length; i++) {
            scales[i] = OssNet.isPadeCoefficient(parameters.get(i)) ? PADE_LEARNING_RATE / LEARNING_RATE : 1;
        }
        this.optimizer = new Lookahead(new RAdam(parameters).withLearningRateScales(scales), parameters,
                Lookahead.DEFAULT_K, Lookahead.DEFAULT_ALPHA);
    }

    /** The full-resolution grid of a preset: the latent grid × 2 per encoder block × 2 for the halving. */
    public static int[] grid(OssNetConfig.Preset preset) {
        int factor = 1 << preset.widths().size(); // blocks + 1 halvings
        List<Integer> g = preset.latentGrid();
        return new int[] {g.get(0) * factor, g.get(1) * factor, g.get(2) * factor};
    }

    /**
     * A case (normalised image, class indices: {@link LabelMap#foreground()} for the reference's binary task)
     * zero-padded, centred, to the preset's grid; the border band of its point sampler surrounds every class.
     *
     * @throws IllegalArgumentException when the image is larger than the grid along an axis
     */
    public static Case prepare(Volume image, LabelMap labels, OssNetConfig.Preset preset, double borderShare,
            double bandRadius) {
        int[] size = grid(preset);
        Geometry g = image.geometry();
        int[] n = {g.nx(), g.ny(), g.nz()};
        int[] before = new int[3];
        int[] after = new int[3];
        for (int a = 0; a < 3; a++) {
            if (n[a] > size[a]) {
                throw new IllegalArgumentException("the image is " + n[0] + " × " + n[1] + " × " + n[2]
                        + " voxels; the " + preset.name() + " preset takes at most " + size[0] + " × " + size[1]
                        + " × " + size[2] + ": resample or crop it first");
            }
            before[a] = (size[a] - n[a]) / 2;
            after[a] = size[a] - n[a] - before[a];
        }
        var pad = Padding.pad(g, before[0], before[1], before[2], after[0], after[1], after[2]);
        LabelMap padded = pad.apply(labels);
        PointSampler sampler = borderShare > 0 ? PointSampler.boundaryBiased(padded, borderShare, bandRadius)
                : PointSampler.uniform(padded);
        return new Case(pad.apply(image), padded, sampler, new int[] {before[0], before[1], before[2], n[0], n[1],
            n[2]});
    }

    /**
     * One step on a batch of cases; the points (and, with {@code augment}, the reference's flips, brightness and
     * noise) are drawn from {@code random}.
     */
    public Losses step(List<Case> batch, SplittableRandom random, double learningRate, boolean augment) {
        NDManager parent = net.parameters().get(0).getManager();
        try (NDManager m = parent.newSubManager()) {
            net.parameters().forEach(p -> p.tempAttach(m));
            Inputs in = inputs(batch, random, augment, m);
            optimizer.zeroGradients();
            Losses losses = checkpointed ? checkpointedBackward(in) : plainBackward(in);
            optimizer.step(learningRate);
            return losses;
        }
    }

    /**
     * The forward and backward pass with the encoder, the decoder's blocks and the patch network recomputed.
     * Autograd would keep every intermediate of the decoder until the backward pass: its Padé units alone leave
     * several arrays of points × 512 floats each (PyTorch's reference has a fused kernel), 8.4 GB for 2^14 points at
     * first. So the encoder and the patch network run without a graph, keeping only their outputs; the decoder's
     * blocks run without a graph keeping only their inputs; the backward pass recomputes one block at a time with a
     * graph (batch statistics are the same, the running ones move once) and hands its input gradient to the block
     * below. The decoder input's and the latents' gradients (g₀, g_z) are what the encoder's graph then needs: it is
     * recomputed after the decoder's backward pass, when the blocks' memory is free, and back-propagates
     * sum(h₀ · g₀) + sum(z · g_z) + 0.1 · L_aux; last, the patch network runs again with a graph and takes its
     * columns of g₀. Parameter gradients equal plain autograd's (test).
     */
    private Losses checkpointedBackward(Inputs in) {
        int blocks = OssNetConfig.DECODER_BLOCKS;
        NDArray[] stored = new NDArray[blocks + 1];
        NDArray features = in.patches() == null ? null : GradMode.with(false, () -> net.patchFeatures(in.patches()));
        NDArray latents = leaf(GradMode.with(false, () -> net.encode(in.halved(), true).latents()));
        GradMode.with(false, () -> {
            stored[0] = net.decoderInputOf(latents, in.coords(), features);
            for (int b = 0; b < blocks; b++) {
                stored[b + 1] = net.decoderBlock(b, stored[b], latents, true, true);
            }
            return null;
        });
        NDArray last = leaf(stored[blocks]);
        NDArray occupancy = GradMode.with(true, () -> bce(Activation.sigmoid(net.head(last, in.coords())),
                in.labels()));
        GradMode.backward(occupancy);
        NDArray upstream = last.getGradient();
        NDArray leafAbove = last;
        for (int b = blocks - 1; b >= 0; b--) {
            NDArray input = leaf(stored[b]);
            int block = b;
            NDArray output = GradMode.with(true, () -> net.decoderBlock(block, input, latents, true, false));
            GradMode.backward(output, upstream);
            // what the block above handed down is spent: freed now rather than when the step ends (67 MB a block
            // at 2^14 points)
            for (NDArray spent : new NDArray[] {output, upstream, leafAbove, stored[b + 1]}) {
                spent.close();
            }
            leafAbove = input;
            upstream = input.getGradient();
        }
        NDArray g0 = upstream;
        NDArray gz = latents.getGradient();
        NDArray[] aux = new NDArray[1];
        NDArray surrogate = GradMode.with(true, () -> {
            OssNet.Encoded encoded = net.encode(in.halved(), true, false);
            NDArray h0 = net.decoderInputOf(encoded.latents(), in.coords(), features);
            NDArray sum = h0.mul(g0).sum().add(encoded.latents().mul(gz).sum());
            if (encoded.aux() == null) {
                return sum;
            }
            aux[0] = bce(Activation.sigmoid(encoded.aux()), in.lowRes());
            return sum.add(Scalars.times(aux[0], AUX_WEIGHT));
        });
        GradMode.backward(surrogate);
        if (features != null) {
            NDArray patchGradient = g0.get(":, 3:" + (3 + features.getShape().get(1)));
            NDArray recomputed = GradMode.with(true, () -> net.patchFeatures(in.patches()));
            GradMode.backward(recomputed, patchGradient);
        }
        double occ = occupancy.getFloat();
        double auxLoss = aux[0] == null ? Double.NaN : aux[0].getFloat();
        return new Losses(aux[0] == null ? occ : occ + AUX_WEIGHT * auxLoss, occ, auxLoss);
    }

    /** The same with autograd keeping the whole graph: the reference for the test. */
    private Losses plainBackward(Inputs in) {
        NDArray[] terms = new NDArray[2];
        NDArray loss = GradMode.with(true, () -> {
            OssNet.Encoded encoded = net.encode(in.halved(), true);
            terms[0] = bce(Activation.sigmoid(net.decode(encoded, in.coords(), in.patches(), true)), in.labels());
            if (encoded.aux() == null) {
                return terms[0];
            }
            terms[1] = bce(Activation.sigmoid(encoded.aux()), in.lowRes());
            return terms[0].add(Scalars.times(terms[1], AUX_WEIGHT));
        });
        GradMode.backward(loss);
        return new Losses(loss.getFloat(), terms[0].getFloat(), terms[1] == null ? Double.NaN : terms[1].getFloat());
    }

    /** A detached copy of {@code a} that collects its own gradient. */
    private static NDArray leaf(NDArray a) {
        NDArray d = a.stopGradient();
        d.setRequiresGradient(true);
        return d;
    }

    /**
     * Mean binary cross-entropy of probabilities against 0/1 targets (over points and classes: one sigmoid per
     * class), the probabilities clamped as the reference.
     * Not with {@code clip(Number, Number)}: DJL makes its bounds tensors from Java memory and frees them at once,
     * while autograd keeps them for the backward pass (after a garbage collection, gradients turned NaN).
     */
    static NDArray bce(NDArray probability, NDArray target) {
        NDArray p = probability.maximum(Scalars.constant(probability, CLAMP)).minimum(Scalars.constant(probability,
                1 - CLAMP));
        NDArray one = Scalars.constant(p, 1);
        return target.mul(p.log()).add(one.sub(target).mul(one.sub(p).log())).mean().neg();
    }

    private record Inputs(NDArray halved, NDArray coords, NDArray patches, NDArray labels, NDArray lowRes) {
    }

    private Inputs inputs(List<Case> batch, SplittableRandom random, boolean augment, NDManager m) {
        OssNetConfig config = net.config();
        int channels = config.preset().channels();
        Geometry g = batch.get(0).image().geometry();
        int voxels = g.voxels();
        int[] size = {g.nx(), g.ny(), g.nz()};
        imageBuffer = reuse(imageBuffer, (long) batch.size() * channels * voxels);
        FloatBuffer image = imageBuffer.asFloatBuffer();
        float[] coords = new float[batch.size() * points * 3];
        int classes = config.classes();
        float[] labels = new float[batch.size() * points * classes]; // one-hot, background all zero
        float[] occupied = new float[batch.size() * classes * voxels];
        int perPoint = config.patchChannels() * 343;
        if (perPoint > 0) {
            patchBuffer = reuse(patchBuffer, (long) batch.size() * points * perPoint);
        }
        for (int b = 0; b < batch.size(); b++) {
            Case c = batch.get(b);
            Augmentation a = augment ? Augmentation.draw(random, channels) : Augmentation.NONE;
            Volume seen = a.apply(c, random);
            for (int ch = 0; ch < channels; ch++) {
                image.put((b * channels + ch) * voxels, seen.channel(ch));
            }
            for (int z = 0; z < g.nz(); z++) {
                for (int y = 0; y < g.ny(); y++) {
                    for (int x = 0; x < g.nx(); x++) {
                        int k = label(c, a.x(x, size[0]), a.y(y, size[1]), z);
                        if (k > 0) {
                            occupied[(b * classes + k - 1) * voxels + g.index(x, y, z)] = 1;
                        }
                    }
                }
            }
            // points drawn on the case as it is; a flipped case sees each at its mirror image, with the same label
            PointSet set = c.sampler().sample(points, random.split());
            double[] v = set.voxelCoordinates();
            int[] idx = new int[3 * points];
            for (int p = 0; p < points; p++) {
                for (int axis = 0; axis < 3; axis++) {
                    int i = PointSampler.nearest(v[3 * p + axis], size[axis]);
                    idx[3 * p + axis] = axis == 0 ? a.x(i, size[0]) : axis == 1 ? a.y(i, size[1]) : i;
                    coords[(b * points + p) * 3 + axis] = idx[3 * p + axis];
                }
                int k = set.label(p);
                if (k > 0) {
                    labels[(b * points + p) * classes + k - 1] = 1;
                }
            }
            if (perPoint > 0) {
                net.pointPatches(seen, idx, patchBuffer.asFloatBuffer(), b * points * perPoint);
            }
        }
        Shape volume = new Shape(batch.size(), channels, g.nz(), g.ny(), g.nx());
        NDArray halved = Trilinear.half(m.create(imageBuffer, volume, DataType.FLOAT32));
        NDArray lowRes = null;
        if (config.variant().skipEncoder()) {
            int factor = 1 << (config.preset().widths().size());
            Shape k = new Shape(factor, factor, factor);
            lowRes = Pool.maxPool3d(m.create(occupied, new Shape(batch.size(), classes, g.nz(), g.ny(), g.nx())), k, k,
                    new Shape(0, 0, 0), false);
        }
        return new Inputs(halved, owned(m.create(coords, new Shape(batch.size(), points, 3))), perPoint == 0 ? null
                : m.create(patchBuffer, new Shape((long) batch.size() * points, config.patchChannels(), 7, 7, 7),
                        DataType.FLOAT32), owned(m.create(labels, new Shape(batch.size(), points, classes))), lowRes);
    }

    /** The class index of a voxel of {@code c}, checked against the network's classes. */
    private int label(Case c, int x, int y, int z) {
        int k = c.labels().get(x, y, z);
        if (k < 0 || k > net.config().classes()) {
            throw new IllegalArgumentException("a training case has class index " + k + " at voxel (" + x + ", " + y
                    + ", " + z + "); this network has classes 1 to " + net.config().classes());
        }
        return k;
    }

    /**
     * The reference's augmentation of one case, each part with probability 0.5: a flip along a random non-empty
     * subset of the first two axes (x, y); a brightness shift of max(x) · U(−0.15, 0.15) per channel; Gaussian noise
     * of σ 0.15 per channel. Shift and noise stay inside the unpadded image.
     */
    record Augmentation(boolean flipX, boolean flipY, double[] shift, boolean noise) {

        static final Augmentation NONE = new Augmentation(false, false, null, false);
        private static final double BRIGHTNESS = 0.15;
        private static final double NOISE_SIGMA = 0.15;

        static Augmentation draw(SplittableRandom random, int channels) {
            boolean flipX = false;
            boolean flipY = false;
            if (random.nextDouble() < 0.5) {
                int subset = 1 + random.nextInt(3); // {x}, {y}, {x, y}
                flipX = (subset & 1) != 0;
                flipY = (subset & 2) != 0;
            }
            double[] shift = null;
            if (random.nextDouble() < 0.5) {
                shift = new double[channels];
                for (int c = 0; c < channels; c++) {
                    shift[c] = random.nextDouble(-BRIGHTNESS, BRIGHTNESS);
                }
            }
            return new Augmentation(flipX, flipY, shift, random.nextDouble() < 0.5);
        }

        int x(int x, int nx) {
            return flipX ? nx - 1 - x : x;
        }

        int y(int y, int ny) {
            return flipY ? ny - 1 - y : y;
        }

        /** The case's image as this augmentation shows it (the case's own arrays when there is nothing to do). */
        Volume apply(Case c, SplittableRandom random) {
            if (this == NONE || !flipX && !flipY && shift == null && !noise) {
                return c.image();
            }
            Volume source = c.image();
            Geometry g = source.geometry();
            int[] box = c.box();
            float[][] out = new float[source.channelCount()][];
            for (int ch = 0; ch < out.length; ch++) {
                float[] in = source.channel(ch).clone();
                if (shift != null || noise) {
                    float add = shift == null ? 0 : (float) (maxInBox(in, g, box) * shift[ch]);
                    for (int z = box[2]; z < box[2] + box[5]; z++) {
                        for (int y = box[1]; y < box[1] + box[4]; y++) {
                            for (int x = box[0]; x < box[0] + box[3]; x++) {
                                int i = g.index(x, y, z);
                                in[i] += add + (noise ? (float) (NOISE_SIGMA * random.nextGaussian()) : 0);
                            }
                        }
                    }
                }
                if (!flipX && !flipY) {
                    out[ch] = in;
                    continue;
                }
                float[] flipped = new float[in.length];
                for (int z = 0; z < g.nz(); z++) {
                    for (int y = 0; y < g.ny(); y++) {
                        for (int x = 0; x < g.nx(); x++) {
                            flipped[g.index(x, y, z)] = in[g.index(x(x, g.nx()), y(y, g.ny()), z)];
                        }
                    }
                }
                out[ch] = flipped;
            }
            return new Volume(g, out);
        }

        private static float maxInBox(float[] values, Geometry g, int[] box) {
            float max = Float.NEGATIVE_INFINITY;
            for (int z = box[2]; z < box[2] + box[5]; z++) {
                for (int y = box[1]; y < box[1] + box[4]; y++) {
                    for (int x = box[0]; x < box[0] + box[3]; x++) {
                        max = Math.max(max, values[g.index(x, y, z)]);
                    }
                }
            }
            return max;
        }
    }

    /**
     * A direct buffer of {@code floats} values, limited to them: {@code buffer} when it is large enough, else a new
     * one. A tensor made from a direct buffer shares its memory, so the step's image and patches are made in place
     * once per step instead of as a Java array, its direct copy (freed only by a garbage collection) and a copy
     * PyTorch owns (270 MB of patches at 2^14 points and 4 channels); the step's tensors are closed before the next
     * step writes them.
     */
    private static ByteBuffer reuse(ByteBuffer buffer, long floats) {
        int bytes = Math.toIntExact(floats * Float.BYTES);
        ByteBuffer b = buffer != null && buffer.capacity() >= bytes ? buffer
                : ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
        b.clear().limit(bytes);
        return b;
    }

    /** A copy in memory PyTorch owns: tensors made from Java arrays live only as long as their Java buffer. */
    private static NDArray owned(NDArray fromJava) {
        NDArray copy = fromJava.duplicate();
        fromJava.close();
        return copy;
    }

    /** The optimizer's state (moments, step counts, Lookahead's slow weights) for a checkpoint. */
    public ai.djl.ndarray.NDList optimizerState() {
        return optimizer.state();
    }

    /** Restores what {@link #optimizerState} gave. */
    public void loadOptimizerState(ai.djl.ndarray.NDList state) {
        optimizer.load(state);
    }

    @Override
    public void close() {
        optimizer.close();
    }
}
