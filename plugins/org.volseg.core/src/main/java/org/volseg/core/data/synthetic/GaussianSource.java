package org.volseg.core.data.synthetic;

import java.util.SplittableRandom;

/**
 * Standard normal numbers by Marsaglia's polar method with {@link StrictMath}: unlike
 * {@code RandomGenerator.nextGaussian()}, whose algorithm the JDK may change, the same seed gives the same bits on
 * every JVM.
 */
final class GaussianSource {

    private final SplittableRandom random;
    private double spare;
    private boolean hasSpare;

    GaussianSource(SplittableRandom random) {
        this.random = random;
    }

    double next() {
        if (hasSpare) {
            hasSpare = false;
            return spare;
        }
        double u;
        double v;
        double s;
        do {
            u = 2 * random.nextDouble() - 1;
            v = 2 * random.nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double factor = StrictMath.sqrt(-2 * StrictMath.log(s) / s);
        spare = v * factor;
        hasSpare = true;
        return u * factor;
    }
}
