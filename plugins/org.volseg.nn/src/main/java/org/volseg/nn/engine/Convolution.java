package org.volseg.nn.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.pytorch.jni.JniUtils;

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
 */
public final class Convolution {

    /** The largest convolution matrix built (voxels² × channels in × channels out entries): 64 MB in float32. */
    private static final long MATRIX_MAX_ENTRIES = 1L << 24;
    /** The largest kernel extent oneDNN's input gradient gets right. */
    private static final int SAFE_KERNEL = 3;

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
        if (!JniUtils.isGradMode() || x.getDataType() != DataType.FLOAT32) {
            return plain(x, weight, bias, stride, padding, groups);
        }
        return kernel <= SAFE_KERNEL ? perSample(x, weight, bias, stride, padding, groups)
                : inPieces(x, weight, bias, stride, padding, groups);
    }

    private static NDArray plain(NDArray x, NDArray weight, NDArray bias, int stride, int padding, int groups) {
        return Conv3d.conv3d(x, weight, bias, new Shape(stride, stride, stride), new Shape(padding, padding, padding),
                new Shape(1, 1, 1), groups).singletonOrThrow();
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
