package org.volseg.nn.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Group normalisation of N × C × D × H × W activations (DJL has none): channels in G groups, each normalised to
 * zero mean and unit variance over its channels and voxels, then scaled and shifted per channel. G = C is
 * instance normalisation, the usual choice for 3D segmentation at batch size 1 or 2.
 */
public final class GroupNorm {

    private GroupNorm() {
    }

    /**
     * @param x      the activations
     * @param groups G, dividing C
     * @param gamma  per-channel scale (length C, or shaped 1 × C × 1 × 1 × 1)
     * @param beta   per-channel shift (length C)
     * @param eps    added to the variance
     */
    public static NDArray apply(NDArray x, int groups, NDArray gamma, NDArray beta, double eps) {
        Shape s = x.getShape();
        long n = s.get(0);
        long c = s.get(1);
        if (c % groups != 0) {
            throw new IllegalArgumentException(groups + " groups do not divide " + c + " channels");
        }
        NDArray grouped = x.reshape(n, groups, -1);
        NDArray mean = grouped.mean(new int[] {2}, true);
        NDArray centred = grouped.sub(mean);
        NDArray variance = centred.square().mean(new int[] {2}, true);
        NDArray normalised = centred.div(variance.add(eps).sqrt()).reshape(s);
        Shape perChannel = new Shape(1, c, 1, 1, 1);
        // parameters already shaped per channel are used as they are: an op whose first operand is a parameter
        // would leave its result in the parameters' manager, alive as long as the model
        NDArray scale = gamma.getShape().equals(perChannel) ? gamma : gamma.reshape(perChannel);
        NDArray shift = beta.getShape().equals(perChannel) ? beta : beta.reshape(perChannel);
        return normalised.mul(scale).add(shift);
    }

    /** Instance normalisation: one group per channel. */
    public static NDArray instance(NDArray x, NDArray gamma, NDArray beta, double eps) {
        return apply(x, (int) x.getShape().get(1), gamma, beta, eps);
    }
}
