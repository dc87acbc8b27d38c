package org.volseg.core.transforms;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;
import org.volseg.core.volume.Volume;

/**
 * Intensity normalisation as nnU-Net and MONAI do it: z-score (over all voxels, within a mask, or within the
 * non-zero voxels), percentile clipping and CT windowing. Each channel is normalised on its own; the input is left
 * alone and a new volume returned. Statistics are summed per z slab in double precision and combined in slab order,
 * so results do not depend on the number of threads. NaN voxels are left out of all statistics.
 */
public final class IntensityNormalization {

    /** nnU-Net's floor on the standard deviation, so that a constant region does not divide by zero. */
    public static final double MIN_STANDARD_DEVIATION = 1e-8;

    private IntensityNormalization() {
    }

    /**
     * Mean and standard deviation (population, as numpy's {@code std()}) of the voxels counted.
     *
     * @param mean              mean of the voxels counted (NaN when none)
     * @param standardDeviation population standard deviation (NaN when none)
     * @param count             voxels counted
     */
    public record Statistics(double mean, double standardDeviation, long count) {
    }

    /**
     * One channel's normalisation as a map of each voxel's value: (value − mean) · scale, and 0 stays 0 where
     * {@code zerosStay} (the non-zero z-score). Lets a caller normalise a window as it is cut instead of the image.
     */
    public record Scaling(double mean, double scale, boolean zerosStay) {

        /** The z-score of {@code s} (0 and 1 where it counted no voxel), the standard deviation floored. */
        static Scaling of(Statistics s, boolean zerosStay) {
            double mean = Double.isNaN(s.mean()) ? 0 : s.mean();
            double std = Double.isNaN(s.standardDeviation()) ? 1 : s.standardDeviation();
            return new Scaling(mean, 1 / Math.max(std, MIN_STANDARD_DEVIATION), zerosStay);
        }

        public float apply(float value) {
            return zerosStay && value == 0 ? 0f : (float) ((value - mean) * scale);
        }

        /** Maps {@code values[from]} … {@code values[to − 1]} in place. */
        public void applyInPlace(float[] values, int from, int to) {
            for (int i = from; i < to; i++) {
                values[i] = apply(values[i]);
            }
        }
    }

    /** Per channel: (value − mean) / std over the whole grid. */
    public static Volume zScore(Volume image) {
        return scaled(image, zScoreScalings(image, false));
    }

    /**
     * Per channel, the scaling of {@link #zScore(Volume)} ({@code nonZero} false) or of {@link #zScoreNonZero}
     * (true), without applying it.
     */
    public static List<Scaling> zScoreScalings(Volume image, boolean nonZero) {
        List<Scaling> scalings = new ArrayList<>();
        for (int c = 0; c < image.channelCount(); c++) {
            float[] in = image.channel(c);
            scalings.add(Scaling.of(statistics(image.geometry(), in, nonZero ? i -> in[i] != 0 : i -> true),
                    nonZero));
        }
        return scalings;
    }

    /** A new volume: each channel of {@code image} mapped by its scaling. */
    public static Volume scaled(Volume image, List<Scaling> scalings) {
        requireOnePerChannel(scalings, image);
        Volume out = emptyLike(image);
        for (int c = 0; c < image.channelCount(); c++) {
            affine(image.geometry(), image.channel(c), out.channel(c), scalings.get(c), i -> true);
        }
        return out;
    }

    /** Checks that {@code scalings} hold one scaling per channel of {@code image}. */
    public static void requireOnePerChannel(List<Scaling> scalings, Volume image) {
        if (scalings.size() != image.channelCount()) {
            throw new IllegalArgumentException(scalings.size() + " scalings for " + image.channelCount()
                    + " channels");
        }
    }

    /**
     * Per channel: (value − mean) / std with mean and std taken over the voxels where {@code mask} is non-zero;
     * voxels outside the mask become 0 (nnU-Net's {@code use_mask_for_norm}).
     */
    public static Volume zScore(Volume image, LabelMap mask) {
        Grids.require(image.geometry(), mask.geometry(), "the mask");
        IntPredicate inMask = i -> mask.get(i) != 0;
        Volume out = emptyLike(image);
        for (int c = 0; c < image.channelCount(); c++) {
            float[] in = image.channel(c);
            Statistics s = statistics(image.geometry(), in, inMask);
            affine(image.geometry(), in, out.channel(c), Scaling.of(s, false), inMask);
        }
        return out;
    }

    /**
     * Per channel: z-score over that channel's non-zero voxels, zeros stay 0 (MONAI's
     * {@code NormalizeIntensity(nonzero=True, channel_wise=True)}).
     */
    public static Volume zScoreNonZero(Volume image) {
        return scaled(image, zScoreScalings(image, true));
    }

    /** Per channel: (value − mean) / max(std, 1e-8) with given statistics, for example a dataset's foreground's. */
    public static Volume zScore(Volume image, double mean, double standardDeviation) {
        Volume out = emptyLike(image);
        Scaling s = Scaling.of(new Statistics(mean, standardDeviation, 0), false);
        for (int c = 0; c < image.channelCount(); c++) {
            affine(image.geometry(), image.channel(c), out.channel(c), s, i -> true);
        }
        return out;
    }

    /** Mean and standard deviation of one channel, over the whole grid ({@code mask} null) or where it is non-zero. */
    public static Statistics statistics(Volume image, int channel, LabelMap mask) {
        return statistics(image.geometry(), image.channel(channel), inclusion(image, mask));
    }

    /**
     * Percentiles (0–100) of one channel over the whole grid ({@code mask} null) or where the mask is non-zero,
     * interpolated linearly between ranks as numpy's {@code percentile} does by default; NaN when no voxel counts.
     */
    public static double[] percentiles(Volume image, int channel, LabelMap mask, double... percents) {
        for (double p : percents) {
            if (!(p >= 0 && p <= 100)) {
                throw new IllegalArgumentException("percentiles lie in 0..100, got " + p);
            }
        }
        float[] values = gather(image.geometry(), image.channel(channel), inclusion(image, mask));
        double[] result = new double[percents.length];
        if (values.length == 0) {
            Arrays.fill(result, Double.NaN);
            return result;
        }
        // ascending ranks: each selection leaves everything above its rank at or above its value, so the next
        // one searches only the part above
        Integer[] order = new Integer[percents.length];
        for (int k = 0; k < order.length; k++) {
            order[k] = k;
        }
        Arrays.sort(order, (a, b) -> Double.compare(percents[a], percents[b]));
        int searchedUpTo = 0;
        for (int k : order) {
            double rank = percents[k] / 100 * (values.length - 1);
            int below = (int) Math.floor(rank);
            double low = select(values, Math.min(searchedUpTo, below), values.length, below);
            double high = low;
            if (rank > below) {
                float next = Float.POSITIVE_INFINITY;
                for (int i = below + 1; i < values.length; i++) {
                    next = Math.min(next, values[i]);
                }
                high = next;
            }
            result[k] = low + (rank - below) * (high - low);
            searchedUpTo = below + 1;
        }
        return result;
    }

    /**
     * The value of rank {@code k} (0-based) within {@code values[from, to)}, which must hold exactly the ranks from..
     * to−1 of the whole array; found by quickselect with a three-way partition, so that the millions of equal
     * voxels of air or background cost nothing extra; linear time instead of a sort's n·log n. Reorders that part.
     * Pivots come from a fixed seed, so the work, like the result, is the same every run.
     */
    static float select(float[] values, int from, int to, int k) {
        SplittableRandom pivots = new SplittableRandom(k);
        while (to - from > 1) {
            float pivot = values[from + pivots.nextInt(to - from)];
            int less = from;
            int i = from;
            int greater = to;
            while (i < greater) {
                float v = values[i];
                if (v < pivot) {
                    values[i++] = values[less];
                    values[less++] = v;
                } else if (v > pivot) {
                    values[i] = values[--greater];
                    values[greater] = v;
                } else {
                    i++;
                }
            }
            if (k < less) {
                to = less;
            } else if (k >= greater) {
                from = greater;
            } else {
                return pivot;
            }
        }
        return values[from];
    }

    /** Per channel: values clipped to that channel's {@code lowerPercent} and {@code upperPercent} percentiles. */
    public static Volume clipToPercentiles(Volume image, double lowerPercent, double upperPercent) {
        return clipToPercentiles(image, null, lowerPercent, upperPercent);
    }

    /**
     * Per channel: every voxel clipped to the percentiles (for example 0.5 and 99.5) of the voxels where
     * {@code mask} is non-zero (all voxels when it is null), as nnU-Net's CT normalisation does with the foreground.
     */
    public static Volume clipToPercentiles(Volume image, LabelMap mask, double lowerPercent, double upperPercent) {
        if (lowerPercent > upperPercent) {
            throw new IllegalArgumentException("the lower percentile " + lowerPercent + " is above the upper "
                    + upperPercent);
        }
        Volume out = emptyLike(image);
        for (int c = 0; c < image.channelCount(); c++) {
            double[] bounds = percentiles(image, c, mask, lowerPercent, upperPercent);
            clip(image.geometry(), image.channel(c), out.channel(c), bounds[0], bounds[1]);
        }
        return out;
    }

    /** Every voxel clipped to {@code [lower, upper]}. */
    public static Volume clip(Volume image, double lower, double upper) {
        Volume out = emptyLike(image);
        for (int c = 0; c < image.channelCount(); c++) {
            clip(image.geometry(), image.channel(c), out.channel(c), lower, upper);
        }
        return out;
    }

    /**
     * A CT window: {@code level ± width / 2} (Hounsfield units, e.g. level 40, width 400 for soft tissue) mapped
     * linearly onto [0, 1], values outside clipped to 0 or 1.
     */
    public static Volume ctWindow(Volume image, double level, double width) {
        if (!(width > 0)) {
            throw new IllegalArgumentException("a window's width must be positive, got " + width);
        }
        double lower = level - width / 2;
        Volume out = emptyLike(image);
        Geometry grid = image.geometry();
        for (int c = 0; c < image.channelCount(); c++) {
            float[] in = image.channel(c);
            float[] to = out.channel(c);
            Slabs.forEachRange(grid, (z, from, end) -> {
                for (int i = from; i < end; i++) {
                    to[i] = (float) Math.min(1, Math.max(0, (in[i] - lower) / width));
                }
            });
        }
        return out;
    }

    private static void clip(Geometry grid, float[] in, float[] to, double lower, double upper) {
        Slabs.forEachRange(grid, (z, from, end) -> {
            for (int i = from; i < end; i++) {
                to[i] = (float) Math.min(upper, Math.max(lower, in[i]));
            }
        });
    }

    /** to = (in − mean) / std where {@code inside}, else 0. */
    private static void affine(Geometry grid, float[] in, float[] to, Scaling s, IntPredicate inside) {
        Slabs.forEachRange(grid, (z, from, end) -> {
            for (int i = from; i < end; i++) {
                to[i] = inside.test(i) ? s.apply(in[i]) : 0f;
            }
        });
    }

    /** Two passes (mean, then squared deviations) so that large offsets, as CT's −1000, lose no precision. */
    static Statistics statistics(Geometry grid, float[] values, IntPredicate include) {
        int nz = grid.nz();
        double[] sums = new double[nz];
        long[] counts = new long[nz];
        Slabs.forEachRange(grid, (z, from, end) -> {
            double sum = 0;
            long count = 0;
            for (int i = from; i < end; i++) {
                float v = values[i];
                if (!Float.isNaN(v) && include.test(i)) {
                    sum += v;
                    count++;
                }
            }
            sums[z] = sum;
            counts[z] = count;
        });
        double total = 0;
        long count = 0;
        for (int z = 0; z < nz; z++) {
            total += sums[z];
            count += counts[z];
        }
        if (count == 0) {
            return new Statistics(Double.NaN, Double.NaN, 0);
        }
        double mean = total / count;
        Slabs.forEachRange(grid, (z, from, end) -> {
            double squares = 0;
            for (int i = from; i < end; i++) {
                float v = values[i];
                if (!Float.isNaN(v) && include.test(i)) {
                    squares += (v - mean) * (v - mean);
                }
            }
            sums[z] = squares;
        });
        double squares = 0;
        for (int z = 0; z < nz; z++) {
            squares += sums[z];
        }
        return new Statistics(mean, Math.sqrt(squares / count), count);
    }

    /** The included, non-NaN values, in index order (counted per slab first, so each slab writes its own part). */
    private static float[] gather(Geometry grid, float[] values, IntPredicate include) {
        int nz = grid.nz();
        int[] counts = new int[nz];
        Slabs.forEachRange(grid, (z, from, end) -> {
            int count = 0;
            for (int i = from; i < end; i++) {
                if (!Float.isNaN(values[i]) && include.test(i)) {
                    count++;
                }
            }
            counts[z] = count;
        });
        int[] starts = new int[nz + 1];
        for (int z = 0; z < nz; z++) {
            starts[z + 1] = starts[z] + counts[z];
        }
        float[] gathered = new float[starts[nz]];
        Slabs.forEachRange(grid, (z, from, end) -> {
            int next = starts[z];
            for (int i = from; i < end; i++) {
                if (!Float.isNaN(values[i]) && include.test(i)) {
                    gathered[next++] = values[i];
                }
            }
        });
        return gathered;
    }

    private static IntPredicate inclusion(Volume image, LabelMap mask) {
        if (mask == null) {
            return i -> true;
        }
        Grids.require(image.geometry(), mask.geometry(), "the mask");
        return i -> mask.get(i) != 0;
    }

    private static Volume emptyLike(Volume image) {
        return Volume.zeros(image.geometry(), image.channelCount());
    }
}
