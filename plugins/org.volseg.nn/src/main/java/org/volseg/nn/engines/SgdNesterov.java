package org.volseg.nn.engines;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * Stochastic gradient descent with Nesterov momentum and L2 weight decay, as PyTorch's
 * {@code SGD(nesterov=True, dampening=0)} computes it: g ← ∇ + decay · p; b ← μ · b + g; p ← p − lr · (g + μ · b).
 * nnU-Net trains with it (μ = 0.99, decay 3e-5, poly learning rate from 0.01).
 */
public final class SgdNesterov extends SlotOptimizer {

    /** nnU-Net's momentum. */
    public static final double DEFAULT_MOMENTUM = 0.99;

    private final double momentum;
    private final double weightDecay;

    /** With nnU-Net's momentum 0.99. */
    public SgdNesterov(List<NDArray> parameters, double weightDecay) {
        this(parameters, DEFAULT_MOMENTUM, weightDecay);
    }

    /**
     * @param momentum    μ, in [0, 1)
     * @param weightDecay L2 coefficient, ≥ 0
     */
    public SgdNesterov(List<NDArray> parameters, double momentum, double weightDecay) {
        super(parameters, weightDecay, slots(momentum));
        this.momentum = momentum;
        this.weightDecay = weightDecay;
    }

    /** One slot, the momentum buffer (zeros give PyTorch's first step b = g exactly); checked before any is made. */
    private static List<String> slots(double momentum) {
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        return List.of("momentum:");
    }

    @Override
    void update(NDArray p, NDArray g, NDArray[] slots, double lr, long step) {
        NDArray b = slots[0];
        if (weightDecay > 0) {
            g = g.add(p.mul(weightDecay));
        }
        b.muli(momentum).addi(g);
        p.subi(g.add(b.mul(momentum)).muli(lr));
    }
}
