package org.volseg.core.transforms;

import java.util.SplittableRandom;

/** Argument checks the random transforms share. */
final class Probabilities {

    private Probabilities() {
    }

    static void require(double... probabilities) {
        for (double p : probabilities) {
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("a probability lies in 0..1, got " + p);
            }
        }
    }

    static void requireRange(String what, double low, double high) {
        if (!(low <= high) || !Double.isFinite(low) || !Double.isFinite(high)) {
            throw new IllegalArgumentException(what + " range must be finite with low <= high, got " + low + ".."
                    + high);
        }
    }

    /** Uniform in [low, high); always draws one number, so later draws do not depend on the range. */
    static double uniform(SplittableRandom random, double low, double high) {
        return low + random.nextDouble() * (high - low);
    }
}
