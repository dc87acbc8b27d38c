package org.volseg.nn.networks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.pooling.Pool;
import ai.djl.pytorch.jni.JniUtils;
import java.util.List;
import org.volseg.nn.engine.Convolution;
import org.volseg.nn.engine.Scalars;
import org.volseg.nn.invertible.Residual;
import org.volseg.nn.invertible.Squeeze;
import org.volseg.nn.layers.GroupNorm;

/**
 * The ordinary layers the networks are made of, as functions of NDArrays. Every operation takes the activation as
 * its first operand, so results land in the caller's (per-step) manager, never in the parameters' one.
 */
final class Layers {

    static final double EPS = 1e-5;
    private static final float LEAK = 0.01f;
    /** {@link #transposedConv}'s selection: rows (parity z, y, x, position z, y, x), columns the 27 kernel taps. */
    private static final float[] TRANSPOSED_TAPS = transposedTaps();

    private Layers() {
    }

    /** Convolution with stride 1 and "same" padding. */
    static NDArray conv(NDArray x, NDArray weight, NDArray bias) {
        int pad = (int) weight.getShape().get(2) / 2;
        return Convolution.conv3d(x, weight, bias, pad);
    }

    static NDArray conv(NDArray x, NDArray weight, NDArray bias, int stride) {
        int pad = (int) weight.getShape().get(2) / 2;
        return Convolution.conv3d(x, weight, bias, stride, pad, 1);
    }

    /** Depthwise convolution (one k×k×k kernel per channel, weight C × 1 × k × k × k), "same" padding. */
    static NDArray depthwiseConv(NDArray x, NDArray weight, NDArray bias) {
        int pad = (int) weight.getShape().get(2) / 2;
        return Convolution.conv3d(x, weight, bias, 1, pad, (int) weight.getShape().get(0));
    }

    /** The activation; {@code slope} is PReLU's learned negative slope (1 value), unused by the others. */
    static NDArray activate(NDArray x, NetworkConfig.Activation activation, NDArray slope) {
        return switch (activation) {
            case RELU -> Activation.relu(x);
            case LEAKY_RELU -> Activation.leakyRelu(x, LEAK);
            case PRELU -> prelu(x, slope);
        };
    }

    /** max(x, 0) + slope · min(x, 0), with one temporary where nothing is recorded (in place), else four closed. */
    private static NDArray prelu(NDArray x, NDArray slope) {
        if (!JniUtils.isGradMode()) {
            NDArray negative = x.minimum(0f);
            negative.muli(slope);
            NDArray out = Activation.relu(x);
            out.addi(negative);
            negative.close();
            return out;
        }
        NDArray flipped = x.neg();
        NDArray negativePart = Activation.relu(flipped);
        flipped.close();
        NDArray scaled = negativePart.mul(slope);
        negativePart.close();
        NDArray positive = Activation.relu(x);
        NDArray out = positive.sub(scaled);
        positive.close();
        scaled.close();
        return out;
    }

    /** PReLU's slope parameter where the activation is PReLU, else null. */
    static NDArray preluSlope(Parameters p, String name, NetworkConfig.Activation activation) {
        return activation == NetworkConfig.Activation.PRELU ? p.constant(name + ".slope", new double[] {0.25}) : null;
    }

    /**
     * PyTorch's {@code ConvTranspose3d(kernel 3, stride 2, padding 1, output_padding 1)}: doubles each axis. DJL's
     * PyTorch engine has none, so it is done as what it is at the input's resolution: along an axis an even output
     * 2m takes the kernel's middle tap from input m, an odd one 2m + 1 its last tap from m and its first from m + 1.
     * So each of the 8 parities of an output voxel is a 2×2×2 convolution of the input (padded by one at the end)
     * with some of the 27 taps, and one convolution to 8 × out channels computes all of them, interleaved after.
     * One wide convolution instead of eight narrow ones: oneDNN runs 3 output channels at a tenth of its speed.
     *
     * @param weight out × in × 3 × 3 × 3 (PyTorch's transposed weight is in × out × 3 × 3 × 3: swap the two)
     */
    static NDArray transposedConv(NDArray x, NDArray weight, NDArray bias) {
        long out = weight.getShape().get(0);
        long in = weight.getShape().get(1);
        NDManager m = x.getManager();
        // out × in × (8 parities × 8 positions) → (out · 8 parities) × in × 2 × 2 × 2
        NDArray kernels = Convolution.selectTaps(weight, TRANSPOSED_TAPS, m).reshape(out, in, 8, 8)
                .transpose(0, 2, 1, 3).reshape(out * 8, in, 2, 2, 2);
        NDArray padded = x.pad(new Shape(0, 1, 0, 1, 0, 1), 0);
        NDArray parities = Convolution.conv3d(padded, kernels, null, 0);
        padded.close();
        kernels.close();
        // N × (out, pz, py, px) × D × H × W → N × out × (D, pz) × (H, py) × (W, px)
        NDArray joined = Squeeze.fromBlocks(parities);
        parities.close();
        return Convolution.plusBias(joined, bias);
    }

    private static float[] transposedTaps() {
        // taps[parity][position] along one axis: even → (1, none), odd → (2, 0); −1 is none
        int[][] taps = {{1, -1}, {2, 0}};
        float[] select = new float[64 * 27];
        for (int row = 0; row < 64; row++) {
            int[] tap = new int[3];
            boolean any = true;
            for (int axis = 0; axis < 3; axis++) {
                int parity = row >> (5 - axis) & 1;
                int position = row >> (2 - axis) & 1;
                tap[axis] = taps[parity][position];
                any &= tap[axis] >= 0;
            }
            if (any) {
                select[row * 27 + (tap[0] * 3 + tap[1]) * 3 + tap[2]] = 1;
            }
        }
        return select;
    }

    static NDArray normalise(NDArray x, NetworkConfig.Norm norm, NDArray gamma, NDArray beta) {
        int channels = (int) x.getShape().get(1);
        return switch (norm) {
            case NONE -> x;
            case INSTANCE -> GroupNorm.apply(x, channels, gamma, beta, EPS);
            case GROUP -> GroupNorm.apply(x, groups(channels), gamma, beta, EPS);
        };
    }

    /** The most groups up to {@link NetworkConfig#GROUPS} that divide the channels. */
    static int groups(int channels) {
        int g = Math.min(NetworkConfig.GROUPS, channels);
        while (channels % g != 0) {
            g--;
        }
        return g;
    }

    static NDArray maxPool(NDArray x) {
        Shape two = new Shape(2, 2, 2);
        return Pool.maxPool3d(x, two, two, new Shape(0, 0, 0), false);
    }

    /**
     * Trilinear ×2 upsampling (PyTorch's align_corners=False, edges clamped), separable: along each axis the new
     * voxels are ¾ of their nearest source voxel plus ¼ of the next nearest.
     */
    static NDArray upsample(NDArray x) {
        NDArray h = x;
        for (int axis = 2; axis <= 4; axis++) {
            h = upsampleAxis(h, axis);
        }
        return h;
    }

    private static NDArray upsampleAxis(NDArray x, int axis) {
        long n = x.getShape().get(axis);
        String all = ":, ".repeat(axis);
        NDArray first = x.get(all + "0:1");
        NDArray last = x.get(all + (n - 1) + ":" + n);
        NDArray previous = n > 1 ? first.concat(x.get(all + "0:" + (n - 1)), axis) : first;
        NDArray next = n > 1 ? x.get(all + "1:" + n).concat(last, axis) : last;
        NDArray even = Scalars.times(x, 0.75).add(Scalars.times(previous, 0.25));
        NDArray odd = Scalars.times(x, 0.75).add(Scalars.times(next, 0.25));
        Shape s = x.getShape();
        long[] dims = s.getShape().clone();
        dims[axis] = 2 * n;
        return even.expandDims(axis + 1).concat(odd.expandDims(axis + 1), axis + 1).reshape(new Shape(dims));
    }

    /** Norm → activation → convolution (pre-activation unit): the body of residual blocks and of couplings. */
    record Unit(NetworkConfig.Norm norm, NetworkConfig.Activation activation, NDArray slope, NDArray gamma,
            NDArray beta, NDArray weight, NDArray bias) implements Residual {

        static Unit create(Parameters p, String name, NetworkConfig config, int in, int out, int kernel,
                double gain) {
            Shape perChannel = new Shape(1, in, 1, 1, 1);
            boolean normed = config.norm() != NetworkConfig.Norm.NONE;
            return new Unit(config.norm(), config.activation(), preluSlope(p, name, config.activation()),
                    normed ? p.ones(name + ".norm.gamma", perChannel) : null,
                    normed ? p.zeros(name + ".norm.beta", perChannel) : null,
                    p.kernel(name + ".conv.weight", out, in, kernel, gain), p.zeros(name + ".conv.bias", new Shape(out)));
        }

        @Override
        public NDArray apply(NDArray x) {
            return conv(preActivation(x), weight, bias);
        }

        /** What the convolution sees: x normalised and activated. */
        NDArray preActivation(NDArray x) {
            return activate(normalise(x, norm, gamma, beta), activation, slope);
        }

        @Override
        public List<NDArray> parameters() {
            List<NDArray> all = new java.util.ArrayList<>();
            if (slope != null) {
                all.add(slope);
            }
            if (norm != NetworkConfig.Norm.NONE) {
                all.addAll(List.of(gamma, beta));
            }
            all.addAll(List.of(weight, bias));
            return all;
        }
    }

    /**
     * MobileNetV2's inverted residual body in pre-activation order: norm → act → 1×1×1 expansion to
     * {@link #EXPANSION}× the channels → norm → act → depthwise 3×3×3 → norm → act → 1×1×1 projection back. The
     * caller adds the skip. Its parameters grow as 8C² + 4·27C, a 3×3×3 unit's as 27C².
     */
    record InvertedResidual(Unit expand, Unit depthwise, Unit project) implements Residual {

        /** Channel expansion of the depthwise stage (MobileNetV2 uses 6; 4 keeps a 3D student's memory lower). */
        static final int EXPANSION = 4;

        static InvertedResidual create(Parameters p, String name, NetworkConfig config, int channels) {
            int wide = EXPANSION * channels;
            Unit expand = Unit.create(p, name + ".expand", config, channels, wide, 1, 1);
            boolean normed = config.norm() != NetworkConfig.Norm.NONE;
            Shape perChannel = new Shape(1, wide, 1, 1, 1);
            Unit depthwise = new Unit(config.norm(), config.activation(),
                    preluSlope(p, name + ".depthwise", config.activation()),
                    normed ? p.ones(name + ".depthwise.norm.gamma", perChannel) : null,
                    normed ? p.zeros(name + ".depthwise.norm.beta", perChannel) : null,
                    p.normal(name + ".depthwise.conv.weight", new Shape(wide, 1, 3, 3, 3), Math.sqrt(2.0 / 27)),
                    p.zeros(name + ".depthwise.conv.bias", new Shape(wide)));
            Unit project = Unit.create(p, name + ".project", config, wide, channels, 1, 1);
            return new InvertedResidual(expand, depthwise, project);
        }

        @Override
        public NDArray apply(NDArray x) {
            NDArray h = expand.apply(x);
            Unit d = depthwise;
            h = depthwiseConv(activate(normalise(h, d.norm(), d.gamma(), d.beta()), d.activation(), d.slope()),
                    d.weight(), d.bias());
            return project.apply(h);
        }

        @Override
        public List<NDArray> parameters() {
            List<NDArray> all = new java.util.ArrayList<>(expand.parameters());
            all.addAll(depthwise.parameters());
            all.addAll(project.parameters());
            return all;
        }
    }
}
