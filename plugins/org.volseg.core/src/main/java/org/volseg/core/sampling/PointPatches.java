package org.volseg.core.sampling;

import java.nio.FloatBuffer;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.Volume;

/**
 * The local observations OSS-Net conditions each query point on, gathered for a batch of points from the
 * full-resolution image (zero outside it, as the reference pads): the 7³ cube centred on the point's voxel, and
 * the mid-range 14³ window over voxels [c − 7, c + 6] on each axis (the reference's asymmetric window) averaged
 * down 2³ to 7³. Arrays are N × C × 7 × 7 × 7, z slowest and x fastest within a patch, ready for a network that
 * reads N × C × D × H × W.
 */
public final class PointPatches {

    /** The patch edge. */
    public static final int EDGE = 7;
    private static final int PATCH = EDGE * EDGE * EDGE;

    private PointPatches() {
    }

    /**
     * The 7³ cube around each point.
     *
     * @param voxels x, y, z voxel indices of each point, 3 per point
     */
    public static float[] small(Volume image, int[] voxels) {
        float[] out = new float[Math.multiplyExact(count(voxels), image.channelCount() * PATCH)];
        small(image, voxels, FloatBuffer.wrap(out), 0, image.channelCount() * PATCH);
        return out;
    }

    /** The 14³ window [c − 7, c + 6] around each point, each 2³ block averaged: 7³. */
    public static float[] midRange(Volume image, int[] voxels) {
        float[] out = new float[Math.multiplyExact(count(voxels), image.channelCount() * PATCH)];
        midRange(image, voxels, FloatBuffer.wrap(out), 0, image.channelCount() * PATCH);
        return out;
    }

    /**
     * {@link #small(Volume, int[])} written into {@code out}: point p's C × 7³ values from {@code offset + p ·
     * stride} on (a stride of two patches leaves room to interleave the mid-range ones).
     */
    public static void small(Volume image, int[] voxels, FloatBuffer out, int offset, int stride) {
        gather(image, voxels, EDGE / 2, 1, out, offset, stride);
    }

    /** {@link #midRange(Volume, int[])} written into {@code out} as {@link #small(Volume, int[], FloatBuffer, int, int)}. */
    public static void midRange(Volume image, int[] voxels, FloatBuffer out, int offset, int stride) {
        gather(image, voxels, EDGE, 2, out, offset, stride);
    }

    /**
     * 7³ samples per point and channel: sample (x, y, z) averages the {@code step}³ voxels from
     * c − {@code before} + step · (x, y, z) on.
     */
    private static void gather(Volume image, int[] voxels, int before, int step, FloatBuffer out, int offset,
            int stride) {
        Geometry g = image.geometry();
        int n = count(voxels);
        int channels = image.channelCount();
        int block = step * step * step;
        float[] patch = new float[PATCH];
        for (int p = 0; p < n; p++) {
            int sx = voxels[3 * p] - before;
            int sy = voxels[3 * p + 1] - before;
            int sz = voxels[3 * p + 2] - before;
            for (int c = 0; c < channels; c++) {
                float[] data = image.channel(c);
                for (int z = 0; z < EDGE; z++) {
                    for (int y = 0; y < EDGE; y++) {
                        for (int x = 0; x < EDGE; x++) {
                            float sum = 0;
                            for (int k = 0; k < block; k++) {
                                sum += at(data, g, sx + step * x + k % step, sy + step * y + k / step % step,
                                        sz + step * z + k / (step * step));
                            }
                            patch[(z * EDGE + y) * EDGE + x] = sum / block;
                        }
                    }
                }
                out.put(offset + p * stride + c * PATCH, patch);
            }
        }
    }

    private static int count(int[] voxels) {
        if (voxels.length % 3 != 0) {
            throw new IllegalArgumentException("voxel indices come in threes (x, y, z), got " + voxels.length);
        }
        return voxels.length / 3;
    }

    private static float at(float[] data, Geometry g, int x, int y, int z) {
        return x < 0 || y < 0 || z < 0 || x >= g.nx() || y >= g.ny() || z >= g.nz() ? 0 : data[g.index(x, y, z)];
    }
}
