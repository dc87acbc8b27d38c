package org.volseg.nn.engines;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import org.volseg.nn.engine.GradMode;

/**
 * Stochastic gradient descent with Nesterov momentum and L2 weight decay, as PyTorch's
 * {@code SGD(nesterov=True, dampening=0)} computes it: g ← ∇ + decay · p; b ← μ · b + g; p ← p − lr · (g + μ · b).
 * nnU-Net trains with it (μ = 0.99, decay 3e-5, poly learning rate from 0.01).
 */
public final class SgdNesterov implements Optimizer {

    /** nnU-Net's momentum. */
    public static final double DEFAULT_MOMENTUM = 0.99;

    private static final String MOMENTUM = "momentum:";

    private final List<NDArray> parameters;
    private final List<String> names;
    private final NDManager manager;
    private final List<NDArray> buffers = new ArrayList<>();
    private final double momentum;
    private final double weightDecay;
    private long steps;

    /** With nnU-Net's momentum 0.99. */
    public SgdNesterov(List<NDArray> parameters, double weightDecay) {
        this(parameters, DEFAULT_MOMENTUM, weightDecay);
    }

    /**
     * @param momentum    μ, in [0, 1)
     * @param weightDecay L2 coefficient, ≥ 0
     */
    public SgdNesterov(List<NDArray> parameters, double momentum, double weightDecay) {
        if (parameters.isEmpty()) {
            throw new IllegalArgumentException("nothing to optimise: no parameters");
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("weight decay must be finite and ≥ 0, got " + weightDecay);
        }
        this.parameters = List.copyOf(parameters);
        this.names = OptimizerState.names(parameters);
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        this.manager = parameters.get(0).getManager().newSubManager();
        for (NDArray p : parameters) {
            // zeros give PyTorch's first step (b = g) exactly: μ · 0 + g
            NDArray b = p.zerosLike();
            b.attach(manager);
            buffers.add(b);
        }
    }

    @Override
    public void step(double lr) {
        steps++;
        GradMode.with(false, () -> {
            for (int i = 0; i < parameters.size(); i++) {
                NDArray p = parameters.get(i);
                NDArray b = buffers.get(i);
                try (NDManager scope = p.getManager().newSubManager()) {
                    p.tempAttach(scope);
                    b.tempAttach(scope);
                    NDArray g = p.getGradient();
                    g.attach(scope);
                    if (weightDecay > 0) {
                        g = g.add(p.mul(weightDecay));
                    }
                    b.muli(momentum).addi(g);
                    p.subi(g.add(b.mul(momentum)).muli(lr));
                }
            }
            return null;
        });
    }

    @Override
    public void zeroGradients() {
        parameters.forEach(GradMode::zeroGradient);
    }

    /** The updates taken so far. */
    public long steps() {
        return steps;
    }

    /** {@code step}, then {@code momentum:name} per parameter. */
    @Override
    public NDList state() {
        NDList state = new NDList();
        state.add(OptimizerState.steps(manager, steps));
        for (int i = 0; i < parameters.size(); i++) {
            state.add(OptimizerState.copy(buffers.get(i), MOMENTUM + names.get(i)));
        }
        return state;
    }

    @Override
    public void load(NDList state) {
        long loadedSteps = OptimizerState.steps(state);
        List<NDArray> loaded = new ArrayList<>();
        for (int i = 0; i < parameters.size(); i++) {
            loaded.add(OptimizerState.matching(state, MOMENTUM + names.get(i), buffers.get(i)));
        }
        // all checked: nothing changes unless everything fits
        for (int i = 0; i < parameters.size(); i++) {
            OptimizerState.copyValues(loaded.get(i), buffers.get(i));
        }
        steps = loadedSteps;
    }

    @Override
    public void close() {
        manager.close();
    }
}
