package org.volseg.nn.engines;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import org.volseg.nn.engine.GradMode;

/**
 * Adam (Kingma and Ba) with PyTorch's defaults β = (0.9, 0.999), ε = 1e-8, updating parameters in place from their
 * gradients. Weight decay is either decoupled (AdamW: the parameters shrink by lr · decay each step, apart from the
 * adaptive scaling) or an L2 term added to the gradient (PyTorch's {@code Adam(weight_decay)}).
 */
public final class Adam implements Optimizer {

    private static final String FIRST = "m:";
    private static final String SECOND = "v:";

    private final List<NDArray> parameters;
    private final List<String> names;
    private final NDManager manager;
    private final List<NDArray> firstMoments = new ArrayList<>();
    private final List<NDArray> secondMoments = new ArrayList<>();
    private final double beta1 = 0.9;
    private final double beta2 = 0.999;
    private final double epsilon = 1e-8;
    private final double weightDecay;
    private final boolean decoupled;
    private long steps;

    /** AdamW: decoupled weight decay (none when {@code weightDecay} is 0). */
    public Adam(List<NDArray> parameters, double weightDecay) {
        this(parameters, weightDecay, true);
    }

    private Adam(List<NDArray> parameters, double weightDecay, boolean decoupled) {
        if (parameters.isEmpty()) {
            throw new IllegalArgumentException("nothing to optimise: no parameters");
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("weight decay must be finite and ≥ 0, got " + weightDecay);
        }
        this.parameters = List.copyOf(parameters);
        this.names = OptimizerState.names(parameters);
        this.weightDecay = weightDecay;
        this.decoupled = decoupled;
        this.manager = parameters.get(0).getManager().newSubManager();
        for (NDArray p : parameters) {
            NDArray m = p.zerosLike();
            m.attach(manager);
            firstMoments.add(m);
            NDArray v = p.zerosLike();
            v.attach(manager);
            secondMoments.add(v);
        }
    }

    /** AdamW: the parameters shrink by {@code lr · weightDecay} each step, outside the adaptive scaling. */
    public static Adam decoupled(List<NDArray> parameters, double weightDecay) {
        return new Adam(parameters, weightDecay, true);
    }

    /** Classic Adam: {@code weightDecay · p} is added to each gradient (an L2 penalty, scaled adaptively). */
    public static Adam withL2(List<NDArray> parameters, double weightDecay) {
        return new Adam(parameters, weightDecay, false);
    }

    /** One update with learning rate {@code lr}. */
    @Override
    public void step(double lr) {
        steps++;
        double correction1 = 1 - StrictMath.pow(beta1, steps);
        double correction2 = 1 - StrictMath.pow(beta2, steps);
        GradMode.with(false, () -> {
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
            return null;
        });
    }

    @Override
    public void zeroGradients() {
        parameters.forEach(GradMode::zeroGradient);
    }

    /** The updates taken so far (bias correction depends on it). */
    public long steps() {
        return steps;
    }

    /** {@code step}, then {@code m:name} and {@code v:name} per parameter. */
    @Override
    public NDList state() {
        NDList state = new NDList();
        state.add(OptimizerState.steps(manager, steps));
        for (int i = 0; i < parameters.size(); i++) {
            state.add(OptimizerState.copy(firstMoments.get(i), FIRST + names.get(i)));
            state.add(OptimizerState.copy(secondMoments.get(i), SECOND + names.get(i)));
        }
        return state;
    }

    @Override
    public void load(NDList state) {
        long loadedSteps = OptimizerState.steps(state);
        List<NDArray> first = new ArrayList<>();
        List<NDArray> second = new ArrayList<>();
        for (int i = 0; i < parameters.size(); i++) {
            first.add(OptimizerState.matching(state, FIRST + names.get(i), firstMoments.get(i)));
            second.add(OptimizerState.matching(state, SECOND + names.get(i), secondMoments.get(i)));
        }
        // all checked: nothing changes unless everything fits
        for (int i = 0; i < parameters.size(); i++) {
            OptimizerState.copyValues(first.get(i), firstMoments.get(i));
            OptimizerState.copyValues(second.get(i), secondMoments.get(i));
        }
        steps = loadedSteps;
    }

    @Override
    public void close() {
        manager.close();
    }
}
