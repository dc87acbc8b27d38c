package org.volseg.core.data.synthetic;

import java.util.SplittableRandom;

/**
 * Standard normal noise, fast and the same on every JVM: each number is one of 2<sup>16</sup> equiprobable normal
 * quantiles (at the midpoints (i + ½)/2<sup>16</sup>, rescaled to unit variance), picked by 16 random bits, so one
 * {@code nextLong()} gives four numbers. The tails stop at ±4.4σ, which image noise never misses; in exchange the
 * noise costs a fraction of Marsaglia's polar method (the phantom's noise was half of its run time with it), and
 * the table is built with {@link StrictMath} only, so a seed gives the same bits everywhere (unlike
 * {@code nextGaussian()}, whose algorithm the JDK may change).
 */
final class GaussianSource {

    private static final int BITS = 16;
    private static final float[] QUANTILES = quantiles();

    private final SplittableRandom random;
    private long bits;
    private int left;

    GaussianSource(SplittableRandom random) {
        this.random = random;
    }

    double next() {
        if (left == 0) {
            bits = random.nextLong();
            left = 64 / BITS;
        }
        left--;
        int index = (int) (bits & ((1 << BITS) - 1));
        bits >>>= BITS;
        return QUANTILES[index];
    }

    /** The quantile table, symmetric by construction (so its mean is exactly 0) and of unit variance. */
    private static float[] quantiles() {
        int n = 1 << BITS;
        double[] q = new double[n];
        double squares = 0;
        for (int i = 0; i < n / 2; i++) {
            q[i] = inverseNormal((i + 0.5) / n);
            q[n - 1 - i] = -q[i];
            squares += 2 * q[i] * q[i];
        }
        double scale = 1 / StrictMath.sqrt(squares / n);
        float[] table = new float[n];
        for (int i = 0; i < n; i++) {
            table[i] = (float) (q[i] * scale);
        }
        return table;
    }

    /**
     * The standard normal quantile for p in (0, ½], by Acklam's rational approximation (relative error below
     * 1.2·10<sup>-9</sup>, far finer than the table's spacing).
     */
    static double inverseNormal(double p) {
        if (!(p > 0 && p <= 0.5)) {
            throw new IllegalArgumentException("p must be in (0, 0.5], got " + p);
        }
        double[] a = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
            1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
        double[] b = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
            6.680131188771972e+01, -1.328068155288572e+01};
        double[] c = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
            -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
        double[] d = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
            3.754408661907416e+00};
        if (p < 0.02425) {
            double t = StrictMath.sqrt(-2 * StrictMath.log(p));
            return (((((c[0] * t + c[1]) * t + c[2]) * t + c[3]) * t + c[4]) * t + c[5])
                    / ((((d[0] * t + d[1]) * t + d[2]) * t + d[3]) * t + 1);
        }
        double u = p - 0.5;
        double r = u * u;
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * u
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    }
}
