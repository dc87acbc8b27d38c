package org.volseg.nn.engines;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * Rectified Adam (Liu et al.), as {@code torch_optimizer.RAdam} computes it with its defaults β = (0.9, 0.999),
 * ε = 1e-8 and no weight decay: while the variance of the adaptive rate is not yet tractable (the length of the
 * approximated simple moving average ρ_t below 5), the update is the bias-corrected momentum alone; after that it
 * is Adam's, scaled by the rectification term. OSS-Net trains with it inside {@link Lookahead}, its Padé
 * coefficients at their own learning rate ({@link #withLearningRateScales}).
 */
public final class RAdam extends SlotOptimizer {

    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPSILON = 1e-8;
    /** ρ_∞ = 2 / (1 − β2) − 1. */
    private static final double RHO_INFINITY = 2 / (1 - BETA2) - 1;

    public RAdam(List<NDArray> parameters) {
        super(parameters, 0, List.of("m:", "v:"));
    }

    /** The same, each parameter's learning rate multiplied by its factor (e.g. 1e-2 / 3e-4 for Padé units). */
    public RAdam withLearningRateScales(double[] scales) {
        setLearningRateScales(scales);
        return this;
    }

    @Override
    void update(NDArray p, NDArray g, NDArray[] slots, double lr, long step) {
        NDArray m = slots[0];
        NDArray v = slots[1];
        m.muli(BETA1).addi(g.mul(1 - BETA1));
        v.muli(BETA2).addi(g.square().muli(1 - BETA2));
        double beta2t = StrictMath.pow(BETA2, step);
        double correction1 = 1 - StrictMath.pow(BETA1, step);
        double rho = RHO_INFINITY - 2 * step * beta2t / (1 - beta2t);
        if (rho >= 5) {
            double rectification = Math.sqrt((1 - beta2t) * (rho - 4) / (RHO_INFINITY - 4) * (rho - 2) / rho
                    * RHO_INFINITY / (RHO_INFINITY - 2));
            double stepSize = lr * rectification / correction1;
            p.subi(m.div(v.sqrt().addi(EPSILON)).muli(stepSize));
        } else {
            p.subi(m.mul(lr / correction1));
        }
    }

    /** The same update in double precision for one scalar parameter: the tests' reference. */
    static double[] reference(double p, double[] gradients, double lr) {
        double m = 0;
        double v = 0;
        double[] trajectory = new double[gradients.length];
        for (int t = 1; t <= gradients.length; t++) {
            double g = gradients[t - 1];
            m = BETA1 * m + (1 - BETA1) * g;
            v = BETA2 * v + (1 - BETA2) * g * g;
            double beta2t = Math.pow(BETA2, t);
            double rho = RHO_INFINITY - 2 * t * beta2t / (1 - beta2t);
            double c1 = 1 - Math.pow(BETA1, t);
            if (rho >= 5) {
                double r = Math.sqrt((1 - beta2t) * (rho - 4) / (RHO_INFINITY - 4) * (rho - 2) / rho * RHO_INFINITY
                        / (RHO_INFINITY - 2));
                p -= lr * r / c1 * m / (Math.sqrt(v) + EPSILON);
            } else {
                p -= lr / c1 * m;
            }
            trajectory[t - 1] = p;
        }
        return trajectory;
    }
}
