package org.volseg.nn.ossnet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;

/**
 * The two resamplings OSS-Net needs, exactly as PyTorch's {@code interpolate(mode="trilinear")} computes them:
 * halving with {@code align_corners=False} (the encoder's input), which samples exactly halfway between voxels 2i
 * and 2i + 1 on each axis and so is 2³ average pooling, and resizing to any size with {@code align_corners=True}
 * (the encoder-guided inference's upsampled low-resolution map), done as one interpolation matrix per axis.
 */
public final class Trilinear {

    private Trilinear() {
    }

    /** N × C × D × H × W with even D, H, W to half of each. */
    public static NDArray half(NDArray x) {
        Shape s = x.getShape();
        for (int axis = 2; axis < 5; axis++) {
            if (s.get(axis) % 2 != 0) {
                throw new IllegalArgumentException("halving needs even sizes, got " + s);
            }
        }
        Shape two = new Shape(2, 2, 2);
        return Pool.avgPool3d(x, two, two, new Shape(0, 0, 0), false, true);
    }

    /** N × C × D × H × W to N × C × d × h × w, align_corners=True: corners map to corners. */
    public static NDArray resize(NDArray x, int d, int h, int w) {
        int[] size = {d, h, w};
        NDArray out = x;
        for (int k = 0; k < 3; k++) {
            int axis = 2 + k;
            int n = (int) out.getShape().get(axis);
            NDArray matrix = matrix(out.getManager(), n, size[k]).toType(out.getDataType(), false);
            // contract the axis with the (out × in) matrix: move it last, multiply, move it back
            NDArray moved = out.swapAxes(axis, 4);
            NDArray resized = moved.matMul(matrix.transpose());
            out = resized.swapAxes(axis, 4);
        }
        return out;
    }

    /** The (out × in) linear interpolation matrix of align_corners=True: source position i · (in − 1)/(out − 1). */
    static NDArray matrix(NDManager manager, int in, int out) {
        float[] m = new float[out * in];
        for (int i = 0; i < out; i++) {
            double position = out == 1 ? 0 : i * (in - 1) / (double) (out - 1);
            int low = Math.min((int) Math.floor(position), in - 1);
            int high = Math.min(low + 1, in - 1);
            double frac = position - low;
            m[i * in + low] += (float) (1 - frac);
            m[i * in + high] += (float) frac;
        }
        return manager.create(m, new Shape(out, in));
    }
}
