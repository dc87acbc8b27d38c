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
        long d = s.get(2);
        long h = s.get(3);
        long w = s.get(4);
        if (d % 2 != 0 || h % 2 != 0 || w % 2 != 0) {
            throw new IllegalArgumentException("squeezing needs even spatial sizes, got " + s);
        }
        return toBlocks(x);
    }

    @Override
    public NDArray inverse(NDArray y) {
        return fromBlocks(y);
    }

    /**
     * N × C × D × H × W (even sizes) → N × 8C × D/2 × H/2 × W/2: channel 8c + 4z + 2y + x holds the voxel at
     * offset (z, y, x) of each block of channel c.
     */
    public static NDArray toBlocks(NDArray x) {
        Shape s = x.getShape();
        long n = s.get(0);
        long c = s.get(1);
        NDArray split = x.reshape(n, c, s.get(2) / 2, 2, s.get(3) / 2, 2, s.get(4) / 2, 2);
        NDArray moved = split.transpose(0, 1, 3, 5, 7, 2, 4, 6);
        NDArray blocks = moved.reshape(n, c * 8, s.get(2) / 2, s.get(3) / 2, s.get(4) / 2);
        split.close(); // views: closed at once rather than with the caller's manager
        moved.close();
        return blocks;
    }

    /** The inverse of {@link #toBlocks}: N × 8C × D × H × W → N × C × 2D × 2H × 2W. */
    public static NDArray fromBlocks(NDArray y) {
        Shape s = y.getShape();
        long n = s.get(0);
        long c = s.get(1) / 8;
        NDArray split = y.reshape(n, c, 2, 2, 2, s.get(2), s.get(3), s.get(4));
        NDArray moved = split.transpose(0, 1, 5, 2, 6, 3, 7, 4);
        NDArray voxels = moved.reshape(n, c, s.get(2) * 2, s.get(3) * 2, s.get(4) * 2);
        split.close();
        moved.close();
        return voxels;
    }

    @Override
    public List<NDArray> parameters() {
        return List.of();
    }
}
