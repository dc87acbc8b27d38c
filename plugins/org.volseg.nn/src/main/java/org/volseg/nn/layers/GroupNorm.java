package org.volseg.nn.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.BatchNorm;

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
     * @param gamma  per-channel scale (length C, or shaped 1 × C × 1 × 1 × 1); null for none (with beta null)
     * @param beta   per-channel shift (length C), or null
     * @param eps    added to the variance
     */
    public static NDArray apply(NDArray x, int groups, NDArray gamma, NDArray beta, double eps) {
        Shape s = x.getShape();
        long n = s.get(0);
        long c = s.get(1);
        if (c % groups != 0) {
            throw new IllegalArgumentException(groups + " groups do not divide " + c + " channels");
        }
        // PyTorch's batch norm in training mode over 1 × (N · G) × rest normalises each group of each sample by its
        // own mean and (biased) variance: group norm in one native pass and its own backward, about 40 % faster
        // than the same from elementwise operations; the running statistics it updates are thrown away
        NDArray normalised;
        long rows = n * groups;
        if (s.size() == rows) {
            normalised = x.zerosLike(); // one value per group (PyTorch's batch norm refuses it): 0
        } else {
            NDManager m = x.getManager();
            NDArray flat = x.reshape(1, rows, -1);
            NDArray[] statistics = {m.zeros(new Shape(rows), x.getDataType()), m.ones(new Shape(rows),
                x.getDataType()), m.ones(new Shape(rows), x.getDataType()), m.zeros(new Shape(rows), x.getDataType())};
            NDArray flatNormalised = BatchNorm.batchNorm(flat, statistics[0], statistics[1], statistics[2],
                    statistics[3], 1, 0.1f, (float) eps, true).singletonOrThrow();
            normalised = flatNormalised.reshape(s);
            // closed at once: DJL would keep them until the caller's manager closes (autograd keeps its own)
            flat.close();
            flatNormalised.close();
            for (NDArray a : statistics) {
                a.close();
            }
        }
        if (gamma == null) {
            return normalised;
        }
        Shape perChannel = new Shape(1, c, 1, 1, 1);
        // parameters already shaped per channel are used as they are: an op whose first operand is a parameter
        // would leave its result in the parameters' manager, alive as long as the model
        NDArray scale = gamma.getShape().equals(perChannel) ? gamma : gamma.reshape(perChannel);
        NDArray shift = beta.getShape().equals(perChannel) ? beta : beta.reshape(perChannel);
        NDArray scaled = normalised.mul(scale);
        normalised.close();
        NDArray out = scaled.add(shift);
        scaled.close();
        return out;
    }

    /** Instance normalisation: one group per channel. */
    public static NDArray instance(NDArray x, NDArray gamma, NDArray beta, double eps) {
        return apply(x, (int) x.getShape().get(1), gamma, beta, eps);
    }
}
