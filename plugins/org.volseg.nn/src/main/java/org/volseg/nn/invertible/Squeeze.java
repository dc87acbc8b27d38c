package org.volseg.nn.invertible;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * Invertible 2× downsampling: each 2×2×2 block of voxels becomes 8 channels (3D pixel unshuffle), so
 * N × C × D × H × W ↔ N × 8C × D/2 × H/2 × W/2 with nothing lost. No parameters.
 */
public final class Squeeze implements InvertibleBlock {

    @Override
    public NDArray forward(NDArray x) {
        Shape s = x.getShape();
        long n = s.get(0);
        long c = s.get(1);
        long d = s.get(2);
        long h = s.get(3);
        long w = s.get(4);
        if (d % 2 != 0 || h % 2 != 0 || w % 2 != 0) {
            throw new IllegalArgumentException("squeezing needs even spatial sizes, got " + s);
        }
        return x.reshape(n, c, d / 2, 2, h / 2, 2, w / 2, 2).transpose(0, 1, 3, 5, 7, 2, 4, 6)
                .reshape(n, c * 8, d / 2, h / 2, w / 2);
    }

    @Override
    public NDArray inverse(NDArray y) {
        Shape s = y.getShape();
        long n = s.get(0);
        long c = s.get(1) / 8;
        long d = s.get(2);
        long h = s.get(3);
        long w = s.get(4);
        return y.reshape(n, c, 2, 2, 2, d, h, w).transpose(0, 1, 5, 2, 6, 3, 7, 4).reshape(n, c, d * 2, h * 2,
                w * 2);
    }

    @Override
    public List<NDArray> parameters() {
        return List.of();
    }
}
