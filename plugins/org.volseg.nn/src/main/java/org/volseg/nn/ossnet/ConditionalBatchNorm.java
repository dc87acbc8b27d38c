package org.volseg.nn.ossnet;

import static org.volseg.nn.engine.Intermediates.spent;

import ai.djl.ndarray.NDArray;
import org.volseg.nn.engine.Scalars;

/**
 * OSS-Net's conditional batch norm, as its code defines it: the features u (M points × F) are normalised with a
 * single mean and variance over all points and all features of the batch (PyTorch's {@code BatchNorm1d(1)} on an
 * M × 1 × F array, not per feature), then scaled and shifted per point and feature by linear maps of the point's
 * latent code c: γ = W_γ·c + b_γ, β = W_β·c + b_β (initialised W = 0, b_γ = 1, b_β = 0, so it starts as plain
 * normalisation). Training uses the batch's statistics and moves the running ones (momentum 0.1, unbiased
 * variance); evaluation uses the running ones.
 */
public final class ConditionalBatchNorm {

    /** PyTorch's BatchNorm epsilon. */
    public static final double EPS = 1e-5;
    /** PyTorch's BatchNorm momentum. */
    public static final double MOMENTUM = 0.1;

    private ConditionalBatchNorm() {
    }

    /**
     * The running statistics, updated in place by training passes.
     *
     * @param mean     running mean (starts at 0)
     * @param variance running variance (starts at 1)
     */
    public static final class Running {
        private double mean = 0;
        private double variance = 1;

        public double mean() {
            return mean;
        }

        public double variance() {
            return variance;
        }

        /** Restores saved statistics (a checkpoint's, a bundle's). */
        public void set(double mean, double variance) {
            this.mean = mean;
            this.variance = variance;
        }
    }

    /**
     * @param u        features, M × F: N groups of M / N consecutive rows (a volume's points)
     * @param latent   the latent code of each group, N × L (N = M: one per point). γ and β are computed once per
     *                 group and broadcast over its rows, not once per row: the same values, without two M × F
     *                 products per layer (and their graph)
     * @param gammaW   L × F, gammaB F
     * @param betaW    L × F, betaB F
     * @param running  the running statistics
     * @param training whether to normalise with this batch's statistics (and move the running ones)
     */
    public static NDArray apply(NDArray u, NDArray latent, NDArray gammaW, NDArray gammaB, NDArray betaW,
            NDArray betaB, Running running, boolean training) {
        // each intermediate of u's size is closed once the next exists: DJL would keep it until its manager closes
        // (a decoder block's), while autograd keeps what its backward pass needs by itself
        NDArray normalised;
        if (training) {
            NDArray mean = u.mean();
            NDArray centred = u.sub(mean);
            NDArray variance = spent(centred.square(), NDArray::mean);
            normalised = spent(centred, c -> c.div(variance.add(Scalars.constant(variance, EPS)).sqrt()));
            long n = u.size();
            double m = mean.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
            double v = variance.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
            running.mean = (1 - MOMENTUM) * running.mean + MOMENTUM * m;
            running.variance = (1 - MOMENTUM) * running.variance + MOMENTUM * v * n / Math.max(1, n - 1);
        } else {
            NDArray centred = u.sub(running.mean);
            normalised = centred.divi(Math.sqrt(running.variance + EPS));
        }
        long groups = latent.getShape().get(0);
        long features = u.getShape().get(1);
        // the latent first: results land in the batch's manager
        NDArray gamma = latent.matMul(gammaW).add(gammaB).reshape(groups, 1, features);
        NDArray beta = latent.matMul(betaW).add(betaB).reshape(groups, 1, features);
        NDArray scaled = spent(normalised, n -> n.reshape(groups, -1, features).mul(gamma));
        NDArray shifted = spent(scaled, s -> s.add(beta));
        return spent(shifted, s -> s.reshape(u.getShape())); // a view: it keeps the storage
    }
}
