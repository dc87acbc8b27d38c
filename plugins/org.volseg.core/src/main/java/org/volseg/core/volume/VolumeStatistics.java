package org.volseg.core.volume;

import java.util.stream.IntStream;

/**
 * Summary of a volume's voxels over all channels: range, mean and sum of the finite values, and how many are NaN
 * or infinite (counted, never fatal: scanners and other tools write them).
 *
 * @param min      smallest finite value (NaN if none)
 * @param max      largest finite value (NaN if none)
 * @param mean     mean of the finite values (NaN if none)
 * @param sum      sum of the finite values
 * @param finite   number of finite values
 * @param nan      number of NaN values
 * @param infinite number of ±Infinity values
 */
public record VolumeStatistics(double min, double max, double mean, double sum, long finite, long nan,
        long infinite) {

    private static final int SLAB = 1 << 16;

    /** Computes the summary on all cores, one slab of voxels per task. */
    public static VolumeStatistics of(Volume volume) {
        int voxels = volume.geometry().voxels();
        int slabsPerChannel = (voxels + SLAB - 1) / SLAB;
        return IntStream.range(0, volume.channelCount() * slabsPerChannel).parallel().mapToObj(task -> {
            float[] data = volume.channel(task / slabsPerChannel);
            int from = (task % slabsPerChannel) * SLAB;
            return slab(data, from, Math.min(voxels, from + SLAB));
        }).reduce(VolumeStatistics::merge).orElseThrow();
    }

    private static VolumeStatistics slab(float[] data, int from, int to) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        long finite = 0;
        long nan = 0;
        long infinite = 0;
        for (int i = from; i < to; i++) {
            float v = data[i];
            if (Float.isNaN(v)) {
                nan++;
            } else if (Float.isInfinite(v)) {
                infinite++;
            } else {
                min = Math.min(min, v);
                max = Math.max(max, v);
                sum += v;
                finite++;
            }
        }
        return of(min, max, sum, finite, nan, infinite);
    }

    private static VolumeStatistics of(double min, double max, double sum, long finite, long nan, long infinite) {
        return finite == 0 ? new VolumeStatistics(Double.NaN, Double.NaN, Double.NaN, 0, 0, nan, infinite)
                : new VolumeStatistics(min, max, sum / finite, sum, finite, nan, infinite);
    }

    private static VolumeStatistics merge(VolumeStatistics a, VolumeStatistics b) {
        if (a.finite == 0 || b.finite == 0) {
            VolumeStatistics some = a.finite == 0 ? b : a;
            return of(some.finite == 0 ? Double.POSITIVE_INFINITY : some.min, some.finite == 0
                    ? Double.NEGATIVE_INFINITY : some.max, some.sum, some.finite, a.nan + b.nan,
                    a.infinite + b.infinite);
        }
        return of(Math.min(a.min, b.min), Math.max(a.max, b.max), a.sum + b.sum, a.finite + b.finite,
                a.nan + b.nan, a.infinite + b.infinite);
    }

    /** NaN and infinite values together. */
    public long nonFinite() {
        return nan + infinite;
    }
}
