package org.volseg.nn.ossnet;

import static org.volseg.nn.engine.Intermediates.spent;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.volseg.nn.engine.GradMode;

/**
 * The Padé Activation Unit OSS-Net uses everywhere (Molina et al.), in its "safe" form of degree (5, 4):
 * f(x) = (a0 + a1·x + … + a5·x⁵) / (1 + |b1|·|x| + |b2|·|x|² + |b3|·|x|³ + |b4|·|x|⁴). The denominator is at least
 * 1, so f has no poles. Each unit has its own 10 coefficients, trained with learning rate 1e-2 and no weight decay
 * in the reference. The reference differentiates it in a fused CUDA kernel; DJL has no custom autograd functions, so
 * the value and the derivatives are computed without a graph and joined by a surrogate whose graph keeps five arrays
 * (autograd over the formula kept some fifteen, the bulk of OSS-Net's training memory).
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
        // every array below lives in a scope of its own that closes on return: only the output stays, and autograd
        // keeps what its backward pass needs by itself (DJL would otherwise hold each until the step ends)
        NDManager outer = x.getManager();
        try (NDManager scope = outer.newSubManager()) {
            x.tempAttach(scope);
            NDArray y = compute(x, numerator, denominator);
            y.attach(outer);
            return y;
        }
    }

    /**
     * Every intermediate is closed as soon as the next one is made: DJL would keep each until the scope closes, some
     * forty arrays of x's size at the peak (for a decoder block of 2^14 points, 1.3 GB); closing a handle never
     * frees what autograd saved, which holds its own reference.
     */
    private static NDArray compute(NDArray x, NDArray numerator, NDArray denominator) {
        // the coefficients copied into the activation's manager first: an operation whose first operand is a
        // parameter leaves its result in the parameters' manager, alive as long as the model (gradients still flow)
        NDManager m = x.getManager();
        // split, not indexed: DJL may build index tensors in Java memory it frees at once, which autograd keeps
        NDList a = m.zeros(new Shape(6), numerator.getDataType()).add(numerator).split(6);
        NDList b = m.zeros(new Shape(4), denominator.getDataType()).add(denominator).abs().split(4);
        if (!GradMode.isOn()) { // inference: the value alone
            NDArray ax = x.abs();
            NDArray q = horner(ax, b, 0);
            NDArray qb = spent(q, in -> in.mul(ax));
            ax.close();
            NDArray y = horner(x, a, 0);
            y.divi(qb.addi(1));
            qb.close();
            return y;
        }
        // value and derivatives without a graph: f = P / Q, f' = (P' − f · Q' · sign x) / Q
        NDArray[] v = GradMode.with(false, () -> {
            NDArray ax = x.abs();
            NDArray p = horner(x, a, 0);
            NDArray dp = x.mul(a.get(5).mul(5)).addi(a.get(4).mul(4));
            for (int k = 3; k >= 1; k--) {
                dp.muli(x).addi(a.get(k).mul(k));
            }
            NDArray qb = spent(horner(ax, b, 0), in -> in.mul(ax)); // Σ |b_k| |x|^k, k = 1..4
            NDArray q = qb.add(1);
            NDArray dq = ax.mul(b.get(3).mul(4)).addi(b.get(2).mul(3));
            for (int k = 1; k >= 0; k--) {
                dq.muli(ax).addi(b.get(k).mul(k + 1));
            }
            NDArray y = p.divi(q); // p becomes f
            NDArray sign = x.sign();
            NDArray slope = dq.muli(y).muli(sign); // f · Q' · sign x
            sign.close();
            slope = dp.subi(slope).divi(q); // (P' − that) / Q
            dq.close();
            return new NDArray[] {y, ax, q, qb, slope};
        });
        // the graph autograd keeps: a surrogate with f's value and f's gradients that saves five arrays (x, |x|,
        // 1/Q, f', f/Q), where differentiating the formula saved some fifteen (PyTorch's reference has a fused
        // kernel). sum_k a_k x^k / Q carries the numerator's gradients, f' (x − x̄) the input's, and
        // −(f/Q)(sum_k |b_k| |x|^k − its value) the denominator's; the last two are 0 in value.
        NDArray constantX = x.stopGradient();
        NDArray inverseQ = GradMode.with(false, () -> v[2].pow(-1));
        NDArray numeratorPart = spent(horner(constantX, a, 0), in -> in.mul(inverseQ));
        NDArray inputPart = spent(x.sub(constantX), in -> in.mul(v[4]));
        NDArray yOverQ = GradMode.with(false, () -> v[0].div(v[2]));
        NDArray power = spent(horner(v[1], b, 0), in -> in.mul(v[1]));
        NDArray denominatorPart = spent(spent(power, in -> in.sub(v[3])), in -> in.mul(yOverQ));
        for (NDArray done : new NDArray[] {inverseQ, yOverQ, v[0], v[1], v[2], v[3], v[4]}) {
            done.close();
        }
        NDArray sum = numeratorPart.add(inputPart);
        numeratorPart.close();
        inputPart.close();
        NDArray out = spent(sum, in -> in.sub(denominatorPart));
        denominatorPart.close();
        return out;
    }

    /** c_from + c_{from+1} t + … + c_last t^(last − from), by Horner's rule, freeing each step's array. */
    private static NDArray horner(NDArray t, NDList c, int from) {
        NDArray p = spent(t.mul(c.get(c.size() - 1)), in -> in.add(c.get(c.size() - 2)));
        for (int k = c.size() - 3; k >= from; k--) {
            NDArray ck = c.get(k);
            p = spent(spent(p, in -> in.mul(t)), in -> in.add(ck));
        }
        return p;
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
