package org.volseg.nn.engines;

/**
 * The learning rate of every step, as a pure function of the global step (0 for the first), so that a resumed run
 * needs nothing but the step count to continue on the same curve. An optional linear warm-up rises over the first
 * {@code warmupSteps} steps as {@code base · (step + 1) / warmupSteps}; the decay then runs over the remaining
 * steps with t = step − warmup and T = total − warmup:
 * <ul>
 * <li>{@link Kind#CONSTANT}: base;</li>
 * <li>{@link Kind#POLY}: base · (1 − t/T)^0.9, nnU-Net's schedule (per step here, where nnU-Net steps per
 * epoch);</li>
 * <li>{@link Kind#COSINE}: base · (1 + cos(π t/T)) / 2 (SGDR without restarts).</li>
 * </ul>
 * Steps past the end keep the last value of the curve's formula at t = T (0 for poly and cosine).
 *
 * @param kind        the curve after warm-up
 * @param base        the peak learning rate, positive
 * @param totalSteps  all steps of the run, at least 1
 * @param warmupSteps steps of linear warm-up, 0 to {@code totalSteps}
 */
public record LearningRateSchedule(Kind kind, double base, long totalSteps, long warmupSteps) {

    /** nnU-Net's exponent of the poly schedule. */
    public static final double POLY_EXPONENT = 0.9;

    /** The shape of the curve after warm-up. */
    public enum Kind {
        CONSTANT, POLY, COSINE
    }

    public LearningRateSchedule {
        if (kind == null) {
            throw new IllegalArgumentException("the schedule kind is required (CONSTANT, POLY or COSINE)");
        }
        if (!(base > 0) || Double.isInfinite(base)) {
            throw new IllegalArgumentException("the learning rate must be positive and finite, got " + base);
        }
        if (totalSteps < 1) {
            throw new IllegalArgumentException("the schedule needs at least 1 step, got " + totalSteps);
        }
        if (warmupSteps < 0 || warmupSteps > totalSteps) {
            throw new IllegalArgumentException("warm-up steps must be in 0.." + totalSteps + ", got " + warmupSteps);
        }
    }

    /** The learning rate of global step {@code step} (0-based). */
    public double at(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("steps count from 0, got " + step);
        }
        if (step < warmupSteps) {
            return base * (step + 1) / warmupSteps;
        }
        long span = totalSteps - warmupSteps;
        if (span == 0) {
            return base;
        }
        double progress = Math.min(1.0, (double) (step - warmupSteps) / span);
        switch (kind) {
            case POLY:
                return base * StrictMath.pow(1 - progress, POLY_EXPONENT);
            case COSINE:
                return base * 0.5 * (1 + StrictMath.cos(Math.PI * progress));
            case CONSTANT:
            default:
                return base;
        }
    }
}
