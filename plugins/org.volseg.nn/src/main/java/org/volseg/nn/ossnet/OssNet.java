package org.volseg.nn.ossnet;

import static org.volseg.nn.engine.Intermediates.spent;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.volseg.core.sampling.PointPatches;
import org.volseg.core.volume.Volume;
import org.volseg.nn.engine.Convolution;
import org.volseg.nn.engine.NamedArrays;
import org.volseg.nn.engine.Scalars;
import org.volseg.nn.networks.Parameters;

/**
 * OSS-Net (Reich et al., BMVC 2021) and its O-Net baseline as the reference code builds them: a convolutional
 * encoder of residual blocks with Padé activations and batch norm turns the (halved) volume into a latent code
 * (one, or one per decoder block for the skip encoder); a residual MLP decoder with conditional batch norm maps
 * each query point (its voxel coordinates, the features of its 7³ local patch, the latent) to an occupancy logit.
 * Parameter counts equal the reference's exactly (see the test); initialisation follows PyTorch's defaults
 * (uniform ±1/√fan_in for convolutions and linear layers, batch norm 1 and 0, Padé units at their leaky-ReLU fit,
 * conditional batch norm's maps at 0 with γ's bias 1) from a seeded Java generator.
 */
public final class OssNet {

    private final OssNetConfig config;
    private final Map<String, NDArray> p = new HashMap<>();
    private final List<NDArray> parameters;
    /** Batch norm running statistics by layer: {mean, variance}; not parameters. */
    private final Map<String, NDArray[]> running = new HashMap<>();
    private final Map<String, ConditionalBatchNorm.Running> cbnRunning = new HashMap<>();
    private final NDManager manager;
    /** The name prefix of running statistics in a saved state. */
    private static final String RUNNING = "running:";
    private static final int CUBE = PointPatches.EDGE * PointPatches.EDGE * PointPatches.EDGE;

    private OssNet(OssNetConfig config, NDManager manager, long seed) {
        this.config = config;
        this.manager = manager;
        Parameters params = new Parameters(manager, seed, DataType.FLOAT32);
        List<Integer> w = config.preset().widths();
        for (int b = 0; b + 1 < w.size(); b++) {
            int in = w.get(b);
            int out = w.get(b + 1);
            String n = "encoder.block" + b;
            conv(params, n + ".conv1", out, in, 3, false);
            batchNorm(params, n + ".bn1", out);
            pade(params, n + ".act1");
            conv(params, n + ".conv2", out, out, 3, false);
            batchNorm(params, n + ".bn2", out);
            if (in != out) {
                conv(params, n + ".shortcut", out, in, 1, false);
            }
            pade(params, n + ".act");
        }
        int last = w.get(w.size() - 1);
        if (config.variant().skipEncoder()) {
            int concatenated = 0;
            for (int b = 1; b < w.size(); b++) {
                int c = w.get(b);
                conv(params, "encoder.skip" + (b - 1) + ".conv", c / 2, c, 5, false);
                batchNorm(params, "encoder.skip" + (b - 1) + ".bn", c / 2);
                pade(params, "encoder.skip" + (b - 1) + ".act");
                concatenated += c / 2;
            }
            conv(params, "encoder.latent.conv", OssNetConfig.DECODER_BLOCKS + 1, concatenated, 5, true);
            batchNorm(params, "encoder.latent.bn", OssNetConfig.DECODER_BLOCKS + 1);
            pade(params, "encoder.latent.act");
            conv(params, "encoder.aux.conv", config.classes(), last, 5, false);
        } else {
            conv(params, "encoder.latent.conv", 1, last, 5, true);
            batchNorm(params, "encoder.latent.bn", 1);
            pade(params, "encoder.latent.act");
        }
        int patchIn = config.patchChannels();
        if (patchIn > 0) {
            int hidden = Math.max(patchIn / 2, 1);
            conv(params, "patch.conv1", hidden, patchIn, 7, true);
            pade(params, "patch.act1");
            conv(params, "patch.conv2", 1, hidden, 7, true);
            pade(params, "patch.act2");
        }
        int latent = config.preset().latentSize();
        int width = OssNetConfig.DECODER_WIDTH;
        int in = config.decoderInput();
        for (int b = 0; b < OssNetConfig.DECODER_BLOCKS; b++) {
            String n = "decoder.block" + b;
            linear(params, n + ".fc1", in, width, true);
            cbn(params, n + ".cbn1", latent, width);
            pade(params, n + ".act1");
            linear(params, n + ".fc2", width, width, true);
            cbn(params, n + ".cbn2", latent, width);
            if (in != width) {
                linear(params, n + ".shortcut", in, width, true);
            }
            pade(params, n + ".act");
            in = width;
        }
        linear(params, "decoder.head", width, config.classes(), false);
        this.parameters = params.all();
    }

    /** Builds the network for {@code config} with weights from {@code seed}. */
    public static OssNet build(OssNetConfig config, NDManager manager, long seed) {
        return new OssNet(config, manager, seed);
    }

    public OssNetConfig config() {
        return config;
    }

    /** Every trainable parameter (batch norm running statistics are not). */
    public List<NDArray> parameters() {
        return parameters;
    }

    /** The parameter count. */
    public long parameterCount() {
        return parameters.stream().mapToLong(a -> a.getShape().size()).sum();
    }

    /**
     * The decoder's patch input for points of {@code image} (the padded volume): per point, each channel's 7³ cube,
     * and with the mid-range patch also its 14³ → 7³ cube after it, as (points × patch channels × 343) floats; null
     * for the O-Net, which has none.
     *
     * @param voxels x, y, z voxel indices, 3 per point
     */
    public float[] pointPatches(Volume image, int[] voxels) {
        if (!config.variant().localPatch()) {
            return null;
        }
        int points = voxels.length / 3;
        float[] out = new float[Math.multiplyExact(points, config.patchChannels() * CUBE)];
        pointPatches(image, voxels, java.nio.FloatBuffer.wrap(out), 0);
        return out;
    }

    /**
     * {@link #pointPatches(Volume, int[])} written into {@code out} from {@code offset} on, for a caller that keeps
     * the patches of every step in one buffer; nothing for the O-Net.
     */
    public void pointPatches(Volume image, int[] voxels, java.nio.FloatBuffer out, int offset) {
        if (!config.variant().localPatch()) {
            return;
        }
        int block = image.channelCount() * CUBE;
        if (!config.variant().midRangePatch()) {
            PointPatches.small(image, voxels, out, offset, block);
            return;
        }
        // per point, its 7³ patch then its mid-range one, as channels of one patch
        PointPatches.small(image, voxels, out, offset, 2 * block);
        PointPatches.midRange(image, voxels, out, offset + block, 2 * block);
    }

    /**
     * Parameters and batch-norm running statistics by name, copies in {@code manager}: what a bundle stores and
     * what {@link #loadState} restores (running statistics are state the predicting network needs).
     */
    public NDList state(NDManager manager) {
        NDList state = NamedArrays.copies(namedArrays(), manager);
        cbnRunning.forEach((name, r) -> {
            NDArray a = manager.create(new float[] {(float) r.mean(), (float) r.variance()});
            a.setName(RUNNING + name);
            state.add(a);
        });
        return state;
    }

    /**
     * Restores what {@link #state} saved.
     *
     * @throws IllegalArgumentException naming the array that is missing or has the wrong shape
     */
    public void loadState(NDList state) {
        Map<String, NDArray> byName = new HashMap<>();
        state.forEach(a -> byName.put(a.getName(), a));
        for (NDArray target : namedArrays()) {
            NDArray source = byName.get(target.getName());
            if (source == null) {
                throw new IllegalArgumentException("the state lacks " + target.getName() + " of " + config.name());
            }
            if (!source.getShape().equals(target.getShape())) {
                throw new IllegalArgumentException(target.getName() + " has shape " + source.getShape() + "; "
                        + config.name() + " needs " + target.getShape());
            }
            NamedArrays.copyInto(target, source);
        }
        cbnRunning.forEach((name, r) -> {
            NDArray source = byName.get(RUNNING + name);
            if (source == null || source.size() != 2) {
                throw new IllegalArgumentException("the state lacks the two running statistics " + RUNNING + name
                        + " of " + config.name());
            }
            float[] values = source.toType(DataType.FLOAT32, false).toFloatArray();
            r.set(values[0], values[1]);
        });
    }

    /** The parameters, then the batch norms' running statistics: the arrays of a state, by their own names. */
    private List<NDArray> namedArrays() {
        List<NDArray> arrays = new ArrayList<>(parameters);
        running.values().forEach(r -> arrays.addAll(List.of(r)));
        return arrays;
    }

    /** Whether a parameter is a Padé coefficient (the reference trains those at lr 1e-2, no weight decay). */
    public static boolean isPadeCoefficient(NDArray parameter) {
        String n = parameter.getName();
        return n != null && (n.endsWith(".numerator") || n.endsWith(".denominator"));
    }

    private void conv(Parameters params, String name, int out, int in, int k, boolean bias) {
        double bound = 1 / Math.sqrt(in * k * k * k);
        p.put(name + ".weight", params.uniform(name + ".weight", new Shape(out, in, k, k, k), bound));
        if (bias) {
            p.put(name + ".bias", params.uniform(name + ".bias", new Shape(out), bound));
        }
    }

    private void linear(Parameters params, String name, int in, int out, boolean bias) {
        double bound = 1 / Math.sqrt(in);
        p.put(name + ".weight", params.uniform(name + ".weight", new Shape(in, out), bound));
        if (bias) {
            p.put(name + ".bias", params.uniform(name + ".bias", new Shape(out), bound));
        }
    }

    private void batchNorm(Parameters params, String name, int channels) {
        p.put(name + ".gamma", params.ones(name + ".gamma", new Shape(1, channels, 1, 1, 1)));
        p.put(name + ".beta", params.zeros(name + ".beta", new Shape(1, channels, 1, 1, 1)));
        NDArray mean = manager.zeros(new Shape(1, channels, 1, 1, 1));
        NDArray variance = manager.ones(new Shape(1, channels, 1, 1, 1));
        mean.setName(RUNNING + name + ".mean"); // the names a saved state gives them
        variance.setName(RUNNING + name + ".variance");
        running.put(name, new NDArray[] {mean, variance});
    }

    private void pade(Parameters params, String name) {
        p.put(name + ".numerator", params.constant(name + ".numerator", PadeActivation.LEAKY_RELU_NUMERATOR));
        p.put(name + ".denominator", params.constant(name + ".denominator",
                PadeActivation.LEAKY_RELU_DENOMINATOR));
    }

    private void cbn(Parameters params, String name, int latent, int features) {
        p.put(name + ".gamma.weight", params.zeros(name + ".gamma.weight", new Shape(latent, features)));
        p.put(name + ".gamma.bias", params.ones(name + ".gamma.bias", new Shape(features)));
        p.put(name + ".beta.weight", params.zeros(name + ".beta.weight", new Shape(latent, features)));
        p.put(name + ".beta.bias", params.zeros(name + ".beta.bias", new Shape(features)));
        cbnRunning.put(name, new ConditionalBatchNorm.Running());
    }

    // ----------------------------------------------------------------------------------------------- forward

    /**
     * The encoder's output.
     *
     * @param latents N × K × L: K = 1 (one latent) or blocks + 1 (skip encoder; channel 0 joins the decoder input,
     *                channel k + 1 conditions block k)
     * @param aux     N × classes × grid logits of the auxiliary low-resolution segmentation, or null
     */
    public record Encoded(NDArray latents, NDArray aux) {
    }

    /** Encodes images already halved (N × C × D × H × W, {@link Trilinear#half} of the padded volume). */
    public Encoded encode(NDArray halved, boolean training) {
        return encode(halved, training, training);
    }

    /**
     * The same, saying whether a training pass moves the batch norms' running statistics (not when it is recomputed
     * for the backward pass).
     */
    public Encoded encode(NDArray halved, boolean training, boolean moveStatistics) {
        List<Integer> w = config.preset().widths();
        NDArray h = halved;
        List<NDArray> skips = new ArrayList<>();
        for (int b = 0; b + 1 < w.size(); b++) {
            String n = "encoder.block" + b;
            boolean identity = w.get(b).equals(w.get(b + 1));
            h = scoped(h, null, x -> {
                NDArray main = conv(x, n + ".conv1");
                main = act(bn(main, n + ".bn1", training, moveStatistics), n + ".act1");
                main = Trilinear.half(main);
                main = bn(conv(main, n + ".conv2"), n + ".bn2", training, moveStatistics);
                NDArray shortcut = identity ? x : conv(x, n + ".shortcut");
                return act(main.add(Trilinear.half(shortcut)), n + ".act");
            });
            skips.add(h);
        }
        long batch = halved.getShape().get(0);
        if (!config.variant().skipEncoder()) {
            NDArray z = act(bn(conv(h, "encoder.latent.conv"), "encoder.latent.bn", training, moveStatistics),
                    "encoder.latent.act");
            return new Encoded(z.reshape(batch, 1, -1), null);
        }
        List<Integer> grid = config.preset().latentGrid();
        NDList pooled = new NDList();
        for (int b = 0; b < skips.size(); b++) {
            NDArray s = skips.get(b);
            Shape shape = s.getShape();
            // adaptive max pooling to the latent grid is a plain one here: every block's size is a multiple of it
            Shape kernel = new Shape(shape.get(2) / grid.get(2), shape.get(3) / grid.get(1), shape.get(4) / grid.get(0));
            NDArray m = Pool.maxPool3d(s, kernel, kernel, new Shape(0, 0, 0), false);
            String n = "encoder.skip" + b;
            pooled.add(act(bn(conv(m, n + ".conv"), n + ".bn", training, moveStatistics), n + ".act"));
        }
        NDArray joined = NDArrays.concat(pooled, 1);
        NDArray z = act(bn(conv(joined, "encoder.latent.conv"), "encoder.latent.bn", training, moveStatistics),
                "encoder.latent.act");
        NDArray aux = conv(h, "encoder.aux.conv");
        return new Encoded(z.reshape(batch, OssNetConfig.DECODER_BLOCKS + 1, -1), aux);
    }

    /**
     * Occupancy logits of query points.
     *
     * @param encoded the encoder's output for the N volumes
     * @param coords  N × P × 3 voxel coordinates (as floats; the reference does not normalise them)
     * @param patches (N·P) × C' × 7 × 7 × 7 patches, or null for the O-Net
     * @return N × P × classes logits (a sigmoid gives each class's occupancy probability)
     */
    public NDArray decode(Encoded encoded, NDArray coords, NDArray patches, boolean training) {
        NDArray h = decoderInput(encoded.latents(), coords, patches);
        for (int b = 0; b < OssNetConfig.DECODER_BLOCKS; b++) {
            h = decoderBlock(b, h, encoded.latents(), training, true);
        }
        return head(h, coords);
    }

    /**
     * The decoder's input, a row per point: its coordinates, its patch features (A–D) and the latent code (the first
     * of the skip encoder's).
     *
     * @param latents N × K × L, the encoder's
     */
    public NDArray decoderInput(NDArray latents, NDArray coords, NDArray patches) {
        return decoderInputOf(latents, coords, config.variant().localPatch() ? patchFeatures(patches) : null);
    }

    /**
     * The patch network's features of each point, (N·P) × 343: two 7³ convolutions with Padé units over its
     * patches.
     *
     * @param patches (N·P) × C' × 7 × 7 × 7, {@link #pointPatches}
     */
    public NDArray patchFeatures(NDArray patches) {
        return scoped(patches, null, x -> {
            NDArray f = act(conv(x, "patch.conv1"), "patch.act1");
            return act(conv(f, "patch.conv2"), "patch.act2").reshape(x.getShape().get(0), -1);
        });
    }

    /** {@link #decoderInput} from patch features already computed ({@link #patchFeatures}; null for the O-Net). */
    public NDArray decoderInputOf(NDArray latents, NDArray coords, NDArray features) {
        long n = coords.getShape().get(0);
        long points = coords.getShape().get(1);
        NDList input = new NDList(coords.reshape(n * points, 3));
        if (features != null) {
            input.add(features);
        }
        input.add(perPoint(latents, 0, points));
        return NDArrays.concat(input, 1);
    }

    /**
     * Decoder block {@code b} on (N·P) rows: fc, CBN, Padé, fc, CBN, plus the shortcut, Padé; conditioned on latent
     * b + 1 of the skip encoder, else on the one latent.
     *
     * @param moveStatistics whether a training pass moves the CBN running statistics (not when it is recomputed)
     */
    public NDArray decoderBlock(int b, NDArray h, NDArray latents, boolean training, boolean moveStatistics) {
        String name = "decoder.block" + b;
        int latent = config.variant().skipEncoder() ? b + 1 : 0;
        return scoped(h, latents, x -> {
            NDArray c = latents.get(":, " + latent + ", :"); // N × L, broadcast over each volume's points by the CBN
            // each points × width intermediate is closed as soon as the next exists (autograd keeps what it needs):
            // DJL would hold every one until the block's scope closes, 0.2 GB more at the peak for 2^14 points
            NDArray u = spent(linear(x, name + ".fc1"), v -> cbn(v, c, name + ".cbn1", training, moveStatistics));
            u = spent(u, v -> act(v, name + ".act1"));
            u = spent(u, v -> linear(v, name + ".fc2"));
            u = spent(u, v -> cbn(v, c, name + ".cbn2", training, moveStatistics));
            boolean projected = p.containsKey(name + ".shortcut.weight");
            NDArray shortcut = projected ? linear(x, name + ".shortcut") : x;
            NDArray sum = spent(u, v -> v.add(shortcut));
            if (projected) {
                shortcut.close();
            }
            return spent(sum, v -> act(v, name + ".act"));
        });
    }

    /** The occupancy logits, N × P × classes, from the last block's rows. */
    public NDArray head(NDArray h, NDArray coords) {
        return h.matMul(p.get("decoder.head.weight")).reshape(coords.getShape().get(0), coords.getShape().get(1),
                config.classes());
    }

    /** Latent {@code k} of each volume repeated for its points: (N·P) × L. */
    private static NDArray perPoint(NDArray latents, int k, long points) {
        NDArray one = latents.get(":, " + k + ", :"); // N × L
        return one.expandDims(1).repeat(1, points).reshape(-1, one.getShape().get(1));
    }

    /**
     * Runs a block in a scope of its own and keeps only its output: DJL frees an array when its manager closes, so
     * every intermediate of a block would otherwise live until the whole pass ends (gigabytes for a decoder chunk of
     * 2^14 points, whose time then grew with the square of the chunk). Autograd holds on to what its backward pass
     * needs by itself.
     *
     * @param lent an array the block derives from besides its input (lent to the scope too), or null
     */
    private static NDArray scoped(NDArray input, NDArray lent, java.util.function.UnaryOperator<NDArray> block) {
        NDManager outer = input.getManager();
        try (NDManager scope = outer.newSubManager()) {
            input.tempAttach(scope);
            if (lent != null) {
                lent.tempAttach(scope);
            }
            NDArray output = block.apply(input);
            output.attach(outer);
            return output;
        }
    }

    /** A stride-1 convolution with "same" padding (k / 2), as every convolution of the reference is. */
    private NDArray conv(NDArray x, String name) {
        NDArray weight = p.get(name + ".weight");
        int pad = (int) weight.getShape().get(2) / 2;
        NDArray bias = p.get(name + ".bias");
        return Convolution.conv3d(x, weight, bias, pad);
    }

    private NDArray linear(NDArray x, String name) {
        NDArray y = x.matMul(p.get(name + ".weight"));
        NDArray bias = p.get(name + ".bias");
        return bias == null ? y : spent(y, v -> v.add(bias));
    }

    private NDArray act(NDArray x, String name) {
        return PadeActivation.apply(x, p.get(name + ".numerator"), p.get(name + ".denominator"));
    }

    /** Batch norm per channel: this batch's statistics when training (moving the running ones), else the running. */
    private NDArray bn(NDArray x, String name, boolean training, boolean moveStatistics) {
        NDArray[] r = running.get(name);
        NDArray mean;
        NDArray variance;
        if (training) {
            mean = perChannelMean(x);
            variance = perChannelMean(x.sub(mean).square());
            if (moveStatistics) {
                long count = x.getShape().size() / x.getShape().get(1);
                NDArray m = mean.stopGradient();
                NDArray v = variance.stopGradient().mul(count / (double) Math.max(1, count - 1));
                r[0].muli(1 - ConditionalBatchNorm.MOMENTUM).addi(m.mul(ConditionalBatchNorm.MOMENTUM));
                r[1].muli(1 - ConditionalBatchNorm.MOMENTUM).addi(v.mul(ConditionalBatchNorm.MOMENTUM));
            }
        } else {
            mean = r[0];
            variance = r[1];
        }
        return x.sub(mean).div(variance.add(Scalars.constant(variance, ConditionalBatchNorm.EPS)).sqrt()).mul(p.get(name + ".gamma"))
                .add(p.get(name + ".beta"));
    }

    /** The mean over batch and voxels of each channel, shaped 1 × C × 1 × 1 × 1 (DJL's mean takes one axis). */
    private static NDArray perChannelMean(NDArray x) {
        long c = x.getShape().get(1);
        return x.swapAxes(0, 1).reshape(c, -1).mean(new int[] {1}).reshape(1, c, 1, 1, 1);
    }

    private NDArray cbn(NDArray u, NDArray latent, String name, boolean training, boolean moveStatistics) {
        return ConditionalBatchNorm.apply(u, latent, p.get(name + ".gamma.weight"), p.get(name + ".gamma.bias"),
                p.get(name + ".beta.weight"), p.get(name + ".beta.bias"),
                moveStatistics ? cbnRunning.get(name) : new ConditionalBatchNorm.Running(), training);
    }
}
