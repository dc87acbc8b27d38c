package org.volseg.nn.engines;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * Adam (Kingma and Ba) with PyTorch's defaults β = (0.9, 0.999), ε = 1e-8, updating parameters in place from their
 * gradients. Weight decay is either decoupled (AdamW: the parameters shrink by lr · decay each step, apart from the
 * adaptive scaling) or an L2 term added to the gradient (PyTorch's {@code Adam(weight_decay)}).
 */
public final class Adam extends SlotOptimizer {

    private final double beta1 = 0.9;
    private final double beta2;
    private final double epsilon = 1e-8;
    private final double weightDecay;
    private final boolean decoupled;

    /** AdamW: decoupled weight decay (none when {@code weightDecay} is 0). */
    public Adam(List<NDArray> parameters, double weightDecay) {
        this(parameters, weightDecay, true, 0.999);
    }

    private Adam(List<NDArray> parameters, double weightDecay, boolean decoupled, double beta2) {
        // slots: first moment m, second moment v
        super(parameters, weightDecay, List.of("m:", "v:"));
        this.weightDecay = weightDecay;
        this.decoupled = decoupled;
        this.beta2 = beta2;
    }

    /** Adam without weight decay and β = (0.9, {@code beta2}): GAN critics use 0.99 to follow a moving target. */
    public static Adam withBeta2(List<NDArray> parameters, double beta2) {
        return new Adam(parameters, 0, true, beta2);
    }

    /** AdamW: the parameters shrink by {@code lr · weightDecay} each step, outside the adaptive scaling. */
    public static Adam decoupled(List<NDArray> parameters, double weightDecay) {
        return new Adam(parameters, weightDecay, true, 0.999);
    }

    /** Classic Adam: {@code weightDecay · p} is added to each gradient (an L2 penalty, scaled adaptively). */
    public static Adam withL2(List<NDArray> parameters, double weightDecay) {
        return new Adam(parameters, weightDecay, false, 0.999);
    }

    @Override
    void update(NDArray p, NDArray g, NDArray[] slots, double lr, long step) {
        double correction1 = 1 - StrictMath.pow(beta1, step);
        double correction2 = 1 - StrictMath.pow(beta2, step);
        NDArray m = slots[0];
        NDArray v = slots[1];
        if (!decoupled && weightDecay > 0) {
            g = g.add(p.mul(weightDecay));
        }
        m.muli(beta1).addi(g.mul(1 - beta1));
        v.muli(beta2).addi(g.square().muli(1 - beta2));
        NDArray update = m.div(correction1).divi(v.div(correction2).sqrt().addi(epsilon)).muli(lr);
        if (decoupled && weightDecay > 0) {
            update.addi(p.mul(lr * weightDecay));
        }
        p.subi(update);
    }
}
