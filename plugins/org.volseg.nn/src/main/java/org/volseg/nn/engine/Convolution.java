package org.volseg.nn.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;
import org.volseg.nn.invertible.Squeeze;

/**
 * 3D convolution whose gradients are right. PyTorch 2.7.1's CPU float32 conv3d (oneDNN) computes the forward pass
 * and the weight gradient correctly, but its input gradient comes out wrong, often with NaNs, whenever the kernel
 * is larger than 3 along an axis (5³ and 7³ with "same" padding, 4³ with stride 2), and for a batch of two or more
 * with any kernel above 1³ (measured against float64 on every such shape, 100 of 100 random draws wrong; see the
 * test). A wrong input gradient silently corrupts every layer below. So while autograd records on the CPU in
 * float32, this class avoids the broken kernel: a batch is convolved one sample at a time; a large kernel on a
 * small volume (OSS-Net's 7³ patches) becomes one matrix product with the convolution's matrix; any other large
 * kernel is cut into pieces of at most 3 along each axis, whose convolutions of shifted views of the padded input add
 * up to it. The matrix form serves small volumes without recording too: oneDNN convolves 7³ kernels over 7³ patches
 * so slowly that OSS-Net's dense inference of a 32³ grid took minutes. On a GPU it is the plain convolution.
 *
 * <p>Found later (2026-12-02) and handled: oneDNN's forward pass is wrong too when a convolution has more than 16
 * input channels and not a multiple of 16, and its input gradient wrong (or NaN) when the output channels are not
 * a multiple of 16, even for a single sample with a 3³ kernel: both are filled up with zeros ({@link
 * #oneDnnSafe}).
 * Where nothing is recorded (prediction) two forms run faster: narrow 3³ convolutions (at most 4 channels in and
 * out, which oneDNN runs at a hundredth of its speed) as wide ones of 2×2×2 blocks, and single samples just under
 * PyTorch's oneDNN line made deeper with zero slices to cross it.
 */
public final class Convolution {

    /** The largest convolution matrix built (voxels² × channels in × channels out entries): 64 MB in float32. */
    private static final long MATRIX_MAX_ENTRIES = 1L << 24;
    /** The largest kernel extent oneDNN's input gradient gets right. */
    private static final int SAFE_KERNEL = 3;
    /** Channels in and out up to which a 3³ convolution goes through {@link #viaSpaceToDepth}. */
    private static final long NARROW = 4;
    /**
     * PyTorch 2.7.1 sends a single float32 CPU sample whose N · C · D · H is at most this to its own unfold-and-
     * multiply convolution instead of oneDNN's, up to 10 times slower at stride 1 (32 channels at 24³: 135 ms
     * against 37 when the depth is padded to 27; 16 at 32³: 162 against 22). Crossed only where nothing is
     * recorded (the gradients of the deeper form are not checked yet).
     */
    private static final long ONEDNN_LINE = 20_480;
    /** oneDNN's block of input channels (see {@link #oneDnnSafe}). */
    private static final long ONEDNN_BLOCK = 16;
    /** How much deeper a sample may be made to cross {@link #ONEDNN_LINE} (the work grows as much). */
    private static final long MAX_DEPTH_GROWTH = 3;
    /** {@link #blockTaps()}, made once. */
    private static final float[] BLOCK_TAPS = blockTaps();

    private Convolution() {
    }

    /** A stride-1 convolution with {@code padding} on every side. */
    public static NDArray conv3d(NDArray x, NDArray weight, NDArray bias, int padding) {
        return conv3d(x, weight, bias, 1, padding, 1);
    }

    /**
     * @param x      N × C × D × H × W
     * @param weight C_out × C/groups × k × k × k
     * @param bias   C_out, or null
     */
    public static NDArray conv3d(NDArray x, NDArray weight, NDArray bias, int stride, int padding, int groups) {
        Shape k = weight.getShape();
        int kernel = (int) Math.max(k.get(2), Math.max(k.get(3), k.get(4)));
        if (x.getDevice().isGpu() || kernel == 1) {
            return plain(x, weight, bias, stride, padding, groups);
        }
        Shape s = x.getShape();
        long voxels = s.get(2) * s.get(3) * s.get(4);
        boolean same = stride == 1 && groups == 1 && k.get(2) == 2L * padding + 1 && k.get(3) == k.get(2)
                && k.get(4) == k.get(2);
        if (kernel > SAFE_KERNEL && same && voxels * voxels * k.get(0) * k.get(1) <= MATRIX_MAX_ENTRIES) {
            return asMatrixProduct(x, weight, bias, padding); // also many times faster than oneDNN's kernel here
        }
        if (!JniUtils.isGradMode() && narrow(x, weight, stride, padding, groups)) {
            return viaSpaceToDepth(x, weight, bias);
        }
        if (!JniUtils.isGradMode() || x.getDataType() != DataType.FLOAT32) {
            return plain(x, weight, bias, stride, padding, groups);
        }
        return kernel <= SAFE_KERNEL ? perSample(x, weight, bias, stride, padding, groups)
                : inPieces(x, weight, bias, stride, padding, groups);
    }

    /**
     * Whether a "same" 3³ float32 convolution, not recorded, has so few channels in and out (at most
     * {@link #NARROW}) that oneDNN runs it at a fraction of its speed (3 → 3 channels at 96³: 1.2 GMAC/s against
     * about 100 with 16 or more) on a grid even along every axis.
     */
    private static boolean narrow(NDArray x, NDArray weight, int stride, int padding, int groups) {
        Shape s = x.getShape();
        Shape k = weight.getShape();
        return x.getDataType() == DataType.FLOAT32 && stride == 1 && groups == 1 && padding == 1
                && k.get(2) == 3 && k.get(3) == 3 && k.get(4) == 3 && k.get(0) <= NARROW && k.get(1) <= NARROW
                && s.get(2) % 2 == 0 && s.get(3) % 2 == 0 && s.get(4) % 2 == 0;
    }

    /**
     * A narrow 3³ convolution as a wide one at half the resolution: each 2×2×2 block of voxels becomes 8 channels
     * (space to depth), a 3³ convolution of blocks with 8·out × 8·in channels computes every output voxel of a
     * block from the neighbouring blocks (its kernel holds the small kernel's taps where a fine offset lands, zeros
     * elsewhere), and the blocks are spread back. Eight times the multiply-adds, at oneDNN's full speed.
     */
    private static NDArray viaSpaceToDepth(NDArray x, NDArray weight, NDArray bias) {
        long in = weight.getShape().get(1);
        long out = weight.getShape().get(0);
        // out × in × (8 p × 8 q × 27 t) → (out · 8 p) × (in · 8 q) × 3 × 3 × 3
        NDArray wide = selectTaps(weight, BLOCK_TAPS, x.getManager()).reshape(out, in, 8, 8, 27)
                .transpose(0, 2, 1, 3, 4).reshape(out * 8, in * 8, 3, 3, 3);
        NDArray blocks = Squeeze.toBlocks(x);
        NDArray y = plain(blocks, wide, null, 1, 1, 1);
        NDArray fine = Squeeze.fromBlocks(y);
        for (NDArray spent : new NDArray[] {wide, blocks, y}) {
            spent.close();
        }
        return plusBias(fine, bias);
    }

    /**
     * {@link #viaSpaceToDepth}'s selection, rows (p, q, t) over the 3 axes, columns the 27 taps: along an axis, fine
     * output offset p ∈ {0, 1} and kernel tap k ∈ {0, 1, 2} (offset k − 1) read the block t = ⌊(p + k − 1) / 2⌋ ∈
     * {−1, 0, 1} at fine offset q = p + k − 1 − 2t.
     */
    private static float[] blockTaps() {
        float[] select = new float[8 * 8 * 27 * 27];
        for (int p = 0; p < 8; p++) {
            for (int tap = 0; tap < 27; tap++) {
                int q = 0;
                int t = 0;
                for (int axis = 0; axis < 3; axis++) {
                    int fine = (p >> (2 - axis) & 1) + (tap / (axis == 0 ? 9 : axis == 1 ? 3 : 1) % 3) - 1;
                    int block = Math.floorDiv(fine, 2);
                    q = q * 2 + (fine - 2 * block);
                    t = t * 3 + block + 1;
                }
                select[((p * 8 + q) * 27 + t) * 27 + tap] = 1;
            }
        }
        return select;
    }

    /**
     * A 3³ kernel (out × in × 3 × 3 × 3) with its 27 taps rearranged by a fixed 0/1 selection (rows × 27, row-major):
     * out × in × rows, made in {@code m} rather than the model's manager; the weight's gradient flows through it.
     */
    public static NDArray selectTaps(NDArray weight, float[] selection, NDManager m) {
        long out = weight.getShape().get(0);
        long in = weight.getShape().get(1);
        int rows = selection.length / 27;
        NDArray select = m.create(selection, new Shape(rows, 27)).toType(weight.getDataType(), false);
        NDArray flat = weight.reshape(out * in, 27); // a result lands in its first operand's manager: moved to m
        flat.attach(m);
        NDArray taps = flat.matMul(select.transpose()).reshape(out, in, rows);
        select.close();
        flat.close();
        return taps;
    }

    /**
     * {@code y} plus a bias per channel (none when null), {@code y} closed; the bias's view is moved to y's manager,
     * where the sum lands, not left in the model's.
     */
    public static NDArray plusBias(NDArray y, NDArray bias) {
        if (bias == null) {
            return y;
        }
        NDArray perChannel = bias.reshape(1, bias.size(), 1, 1, 1);
        perChannel.attach(y.getManager());
        NDArray biased = y.add(perChannel);
        y.close();
        perChannel.close();
        return biased;
    }

    private static NDArray plain(NDArray x, NDArray weight, NDArray bias, int stride, int padding, int groups) {
        Shape s = x.getShape();
        Shape k = weight.getShape();
        if (!JniUtils.isGradMode() && !x.getDevice().isGpu() && x.getDataType() == DataType.FLOAT32 && s.get(0) == 1
                && stride == 1
                && k.get(2) * k.get(3) * k.get(4) > 1 && s.get(1) * s.get(2) * s.get(3) <= ONEDNN_LINE) {
            long depth = ONEDNN_LINE / (s.get(1) * s.get(3)) + 1;
            if (depth <= MAX_DEPTH_GROWTH * s.get(2)) {
                // zero slices after the last: the outputs at the original depths see the same zeros the padding
                // gave them; the extra outputs are cut off
                long outDepth = s.get(2) + 2L * padding - k.get(2) + 1;
                NDArray deeper = x.pad(new Shape(0, 0, 0, 0, 0, depth - s.get(2)), 0);
                NDArray y = oneDnnSafe(deeper, weight, bias, 1, padding, groups);
                deeper.close();
                NDArray cut = y.get(":, :, 0:" + outDepth);
                y.close();
                return cut;
            }
        }
        return oneDnnSafe(x, weight, bias, stride, padding, groups);
    }

    /**
     * PyTorch's convolution, made right where oneDNN runs it (a float32 CPU convolution of a batch, or of N · C · D
     * · H above {@link #ONEDNN_LINE}). oneDNN 3.x in PyTorch 2.7.1 computes wrong outputs from the input channels
     * after the last full block of 16 (every count from 17 to 64 not a multiple of 16, at 3³), and, while autograd
     * records, a wrong or NaN input gradient whenever the output channels are not a multiple of 16 (8 → 8 at 64³,
     * 32 → 8 and 24 → 24 at 32³: 60–95 % of the elements against a gradient computed by hand). So more than 16
     * input channels are filled up with zero channels to a multiple of 16, and under autograd the output channels
     * are filled up with zero filters and cut off again: the same sums, and right gradients (test).
     */
    private static NDArray oneDnnSafe(NDArray x, NDArray weight, NDArray bias, int stride, int padding,
            int groups) {
        Shape s = x.getShape();
        Shape k = weight.getShape();
        long in = s.get(1);
        long out = k.get(0);
        boolean oneDnn = !x.getDevice().isGpu() && x.getDataType() == DataType.FLOAT32 && groups == 1
                && (s.get(0) > 1 || s.get(1) * s.get(2) * s.get(3) > ONEDNN_LINE);
        long extraIn = oneDnn && in > ONEDNN_BLOCK && in % ONEDNN_BLOCK != 0 ? ONEDNN_BLOCK - in % ONEDNN_BLOCK : 0;
        long extraOut = oneDnn && JniUtils.isGradMode() && out % ONEDNN_BLOCK != 0
                ? ONEDNN_BLOCK - out % ONEDNN_BLOCK : 0;
        if (extraIn == 0 && extraOut == 0) {
            return Conv3d.conv3d(x, weight, bias, new Shape(stride, stride, stride), new Shape(padding, padding,
                    padding), new Shape(1, 1, 1), groups).singletonOrThrow();
        }
        NDManager m = x.getManager();
        NDArray filled = x;
        NDArray kernel = weight;
        NDArray shift = bias;
        List<NDArray> made = new ArrayList<>();
        // a result lands in its first operand's manager, for the weights the model's, where it would stay for good:
        // each one made from them is moved to the input's manager and closed below
        if (extraIn > 0) {
            filled = x.concat(m.zeros(new Shape(s.get(0), extraIn, s.get(2), s.get(3), s.get(4))), 1);
            made.add(filled);
            kernel = weight.concat(m.zeros(new Shape(out, extraIn, k.get(2), k.get(3), k.get(4))), 1);
            kernel.attach(m);
            made.add(kernel);
        }
        if (extraOut > 0) {
            kernel = kernel.concat(m.zeros(new Shape(extraOut, in + extraIn, k.get(2), k.get(3), k.get(4))), 0);
            kernel.attach(m);
            made.add(kernel);
            if (bias != null) {
                shift = bias.concat(m.zeros(new Shape(extraOut)), 0);
                shift.attach(m);
                made.add(shift);
            }
        }
        NDArray y = Conv3d.conv3d(filled, kernel, shift, new Shape(stride, stride, stride), new Shape(padding,
                padding, padding), new Shape(1, 1, 1), groups).singletonOrThrow();
        NDArray result = y;
        if (extraOut > 0) {
            result = y.get(":, 0:" + out);
            y.close();
        }
        made.forEach(NDArray::close);
        return result;
    }

    private static NDArray perSample(NDArray x, NDArray weight, NDArray bias, int stride, int padding, int groups) {
        long n = x.getShape().get(0);
        if (n == 1) {
            return plain(x, weight, bias, stride, padding, groups);
        }
        NDList outputs = new NDList();
        for (NDArray sample : x.split(n, 0)) {
            outputs.add(plain(sample, weight, bias, stride, padding, groups));
        }
        return NDArrays.concat(outputs, 0);
    }

    /**
     * The convolution as the sum of convolutions with the kernel's pieces (at most 3 along each axis): the piece at
     * offset (a, b, c) sees the zero-padded input from (a, b, c) on, without padding, so each output voxel gathers the
     * same taps as the whole kernel would.
     */
    private static NDArray inPieces(NDArray x, NDArray weight, NDArray bias, int stride, int padding, int groups) {
        NDArray padded = padding == 0 ? x
                : x.pad(new Shape(padding, padding, padding, padding, padding, padding), 0);
        long[] extent = {padded.getShape().get(2), padded.getShape().get(3), padded.getShape().get(4)};
        long[] kernel = {weight.getShape().get(2), weight.getShape().get(3), weight.getShape().get(4)};
        long[] out = new long[3];
        for (int a = 0; a < 3; a++) {
            out[a] = (extent[a] - kernel[a]) / stride + 1;
        }
        NDArray sum = null;
        for (long az = 0; az < kernel[0]; az += SAFE_KERNEL) {
            for (long ay = 0; ay < kernel[1]; ay += SAFE_KERNEL) {
                for (long ax = 0; ax < kernel[2]; ax += SAFE_KERNEL) {
                    long[] at = {az, ay, ax};
                    StringBuilder view = new StringBuilder(":, :");
                    StringBuilder piece = new StringBuilder(":, :");
                    for (int a = 0; a < 3; a++) {
                        long taps = Math.min(SAFE_KERNEL, kernel[a] - at[a]);
                        view.append(", ").append(at[a]).append(':').append(at[a] + (out[a] - 1) * stride + taps);
                        piece.append(", ").append(at[a]).append(':').append(at[a] + taps);
                    }
                    NDArray part = perSample(padded.get(view.toString()), weight.get(piece.toString()), null, stride,
                            0, groups);
                    sum = sum == null ? part : sum.add(part);
                }
            }
        }
        return bias == null ? sum : sum.add(bias.reshape(1, bias.size(), 1, 1, 1));
    }

    /**
     * A "same" stride-1 convolution of small volumes as x (N × C·V) times the convolution's matrix (C·V × C_out·V),
     * V the voxels: entry (c, i; o, j) is weight[o, c, i − j + padding] where that offset lies in the kernel, else
     * 0. The matrix is gathered from the weights, so the weight gradient flows through it.
     */
    private static NDArray asMatrixProduct(NDArray x, NDArray weight, NDArray bias, int padding) {
        Shape s = x.getShape();
        int d = (int) s.get(2);
        int h = (int) s.get(3);
        int w = (int) s.get(4);
        int voxels = d * h * w;
        int in = (int) s.get(1);
        int out = (int) weight.getShape().get(0);
        int k = 2 * padding + 1;
        int taps = k * k * k;
        long[] index = new long[voxels * voxels];
        for (int i = 0; i < voxels; i++) {
            int iz = i / (h * w);
            int iy = i / w % h;
            int ix = i % w;
            for (int j = 0; j < voxels; j++) {
                int kz = iz - j / (h * w) + padding;
                int ky = iy - j / w % h + padding;
                int kx = ix - j % w + padding;
                boolean inside = kz >= 0 && kz < k && ky >= 0 && ky < k && kx >= 0 && kx < k;
                index[i * voxels + j] = inside ? (kz * k + ky) * k + kx : taps; // taps: the zero column
            }
        }
        NDManager m = x.getManager();
        // the weights joined to a zero column in x's manager (a result lands in its first operand's manager), the
        // index in memory PyTorch owns (gather keeps it for the backward pass)
        DataType type = weight.getDataType();
        NDArray flat = m.zeros(new Shape((long) out * in, taps), type).add(weight.reshape((long) out * in, taps))
                .concat(m.zeros(new Shape((long) out * in, 1), type), 1);
        NDArray raw = m.create(index, new Shape(1, (long) voxels * voxels));
        NDArray owned = raw.duplicate();
        raw.close();
        NDArray matrix = flat.gather(owned.broadcast((long) out * in, (long) voxels * voxels), 1)
                .reshape(out, in, voxels, voxels).transpose(1, 2, 0, 3).reshape((long) in * voxels,
                        (long) out * voxels);
        NDArray y = x.reshape(s.get(0), (long) in * voxels).matMul(matrix).reshape(s.get(0), out, d, h, w);
        return bias == null ? y : y.add(bias.reshape(1, out, 1, 1, 1));
    }
}
