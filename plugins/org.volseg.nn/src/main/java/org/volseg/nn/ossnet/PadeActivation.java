package org.volseg.nn.ossnet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The Padé Activation Unit OSS-Net uses everywhere (Molina et al.), in its "safe" form of degree (5, 4):
 * f(x) = (a0 + a1·x + … + a5·x⁵) / (1 + |b1|·|x| + |b2|·|x|² + |b3|·|x|³ + |b4|·|x|⁴). The denominator is at least
 * 1, so f has no poles. Each unit has its own 10 coefficients, trained with learning rate 1e-2 and no weight decay
 * in the reference; DJL's autograd differentiates the formula, so no custom kernel is needed.
 */
public final class PadeActivation {

    /** The reference's initial numerator: its fit of leaky ReLU ("pade_optimized_leakyrelu"). */
    public static final double[] LEAKY_RELU_NUMERATOR = {0.0335583603, 0.505000375, 1.65343934, 2.01001052,
        0.931901999, 0.152424124};
    /** The reference's initial denominator for the same fit. */
    public static final double[] LEAKY_RELU_DENOMINATOR = {3.30847488e-06, 3.98021568, 5.12471206e-07, 0.301830109};

    private PadeActivation() {
    }

    /**
     * f(x) element-wise.
     *
     * @param numerator   a0 … a5 (6 values)
     * @param denominator b1 … b4 (4 values)
     */
    public static NDArray apply(NDArray x, NDArray numerator, NDArray denominator) {
        if (numerator.size() != 6 || denominator.size() != 4) {
            throw new IllegalArgumentException("a (5, 4) Padé unit has 6 numerator and 4 denominator coefficients, got "
                    + numerator.size() + " and " + denominator.size());
        }
        // the coefficients copied into the activation's manager first: an operation whose first operand is a
        // parameter leaves its result in the parameters' manager, alive as long as the model (gradients still flow)
        NDManager m = x.getManager();
        // split, not indexed: DJL may build index tensors in Java memory it frees at once, which autograd keeps
        NDList a = m.zeros(new Shape(6), numerator.getDataType()).add(numerator).split(6);
        NDList b = m.zeros(new Shape(4), denominator.getDataType()).add(denominator).abs().split(4);
        // Horner for P; powers of |x| for Q
        NDArray p = x.mul(a.get(5)).add(a.get(4));
        for (int k = 3; k >= 0; k--) {
            p = p.mul(x).add(a.get(k));
        }
        NDArray ax = x.abs();
        NDArray power = ax;
        NDArray q = ax.mul(b.get(0)).add(org.volseg.nn.engine.Scalars.constant(x, 1));
        for (int k = 1; k < 4; k++) {
            power = power.mul(ax);
            q = q.add(power.mul(b.get(k)));
        }
        return p.div(q);
    }

    /** The same function in double precision, the tests' reference. */
    public static double reference(double x, double[] a, double[] b) {
        double p = 0;
        for (int k = 5; k >= 0; k--) {
            p = p * x + a[k];
        }
        double q = 1;
        for (int k = 1; k <= 4; k++) {
            q += Math.abs(b[k - 1]) * Math.pow(Math.abs(x), k);
        }
        return p / q;
    }
}
