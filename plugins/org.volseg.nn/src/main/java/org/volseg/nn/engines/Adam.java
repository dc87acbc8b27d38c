package org.volseg.nn.engines;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;

/** Adam (with decoupled weight decay: AdamW when decay > 0), updating parameters in place from their gradients. */
public final class Adam {

    private final List<NDArray> parameters;
    private final List<NDArray> firstMoments = new ArrayList<>();
    private final List<NDArray> secondMoments = new ArrayList<>();
    private final double beta1 = 0.9;
    private final double beta2 = 0.999;
    private final double epsilon = 1e-8;
    private final double weightDecay;
    private int steps;

    public Adam(List<NDArray> parameters, double weightDecay) {
        this.parameters = List.copyOf(parameters);
        this.weightDecay = weightDecay;
        for (NDArray p : parameters) {
            firstMoments.add(p.zerosLike());
            secondMoments.add(p.zerosLike());
        }
    }

    /** One update with learning rate {@code lr}. */
    public void step(double lr) {
        steps++;
        double correction1 = 1 - Math.pow(beta1, steps);
        double correction2 = 1 - Math.pow(beta2, steps);
        boolean before = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            for (int i = 0; i < parameters.size(); i++) {
                NDArray p = parameters.get(i);
                NDArray m = firstMoments.get(i);
                NDArray v = secondMoments.get(i);
                // temporaries land in the manager of their first operand: lend all three to a closed scope
                try (NDManager scope = p.getManager().newSubManager()) {
                    p.tempAttach(scope);
                    m.tempAttach(scope);
                    v.tempAttach(scope);
                    NDArray g = p.getGradient();
                    g.attach(scope);
                    m.muli(beta1).addi(g.mul(1 - beta1));
                    v.muli(beta2).addi(g.square().muli(1 - beta2));
                    NDArray update = m.div(correction1).divi(v.div(correction2).sqrt().addi(epsilon)).muli(lr);
                    if (weightDecay > 0) {
                        update.addi(p.mul(lr * weightDecay));
                    }
                    p.subi(update);
                }
            }
        } finally {
            JniUtils.setGradMode(before);
        }
    }
}
