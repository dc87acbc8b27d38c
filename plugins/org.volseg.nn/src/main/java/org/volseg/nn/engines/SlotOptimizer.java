package org.volseg.nn.engines;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import org.volseg.nn.engine.GradMode;
import org.volseg.nn.engine.NamedArrays;

/**
 * What Adam and SGD share: per parameter a few state arrays ("slots": moments, a momentum buffer) in a manager of
 * their own, an update loop that lends each parameter and its slots to a scope closed after the update (DJL puts
 * temporaries in the manager of their first operand), and the named state a checkpoint stores. Subclasses say
 * only how one parameter is updated.
 */
abstract class SlotOptimizer implements Optimizer {

    private final List<NDArray> parameters;
    private final List<String> names;
    private final List<String> slotPrefixes;
    private final NDManager manager;
    /** slots.get(i)[k]: slot k of parameter i. */
    private final List<NDArray[]> slots = new ArrayList<>();
    /** Per parameter, the factor of the step's learning rate it is updated with (1 unless set). */
    private final double[] learningRateScales;
    private long steps;

    /** @param slotPrefixes the state names' prefixes, one per slot ("m:", "v:"), each slot starting at zeros */
    SlotOptimizer(List<NDArray> parameters, double weightDecay, List<String> slotPrefixes) {
        if (parameters.isEmpty()) {
            throw new IllegalArgumentException("nothing to optimise: no parameters");
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("weight decay must be finite and ≥ 0, got " + weightDecay);
        }
        this.parameters = List.copyOf(parameters);
        this.names = OptimizerState.names(parameters);
        this.slotPrefixes = List.copyOf(slotPrefixes);
        this.manager = parameters.get(0).getManager().newSubManager();
        this.learningRateScales = new double[parameters.size()];
        java.util.Arrays.fill(learningRateScales, 1);
        for (NDArray p : parameters) {
            NDArray[] s = new NDArray[slotPrefixes.size()];
            for (int k = 0; k < s.length; k++) {
                s[k] = p.zerosLike();
                s[k].attach(manager);
            }
            slots.add(s);
        }
    }

    /**
     * Updates {@code p} in place from its gradient {@code g} and its slots (updated in place too); {@code step} is
     * this update's number, from 1. Temporaries may be left in {@code p}'s manager: the caller frees them.
     */
    abstract void update(NDArray p, NDArray g, NDArray[] slots, double lr, long step);

    @Override
    public final void step(double lr) {
        steps++;
        GradMode.with(false, () -> {
            for (int i = 0; i < parameters.size(); i++) {
                NDArray p = parameters.get(i);
                NDArray[] s = slots.get(i);
                try (NDManager scope = p.getManager().newSubManager()) {
                    p.tempAttach(scope);
                    for (NDArray slot : s) {
                        slot.tempAttach(scope);
                    }
                    NDArray g = p.getGradient();
                    g.attach(scope);
                    update(p, g, s, lr * learningRateScales[i], steps);
                }
            }
            return null;
        });
    }

    /**
     * Sets, per parameter in order, the factor of the learning rate it is updated with: parameter groups with their
     * own learning rates, as PyTorch's optimisers take them (a schedule then scales every group alike).
     */
    final void setLearningRateScales(double[] scales) {
        if (scales.length != learningRateScales.length) {
            throw new IllegalArgumentException(scales.length + " learning-rate factors for " + learningRateScales
                    .length + " parameters");
        }
        for (double f : scales) {
            if (!(f > 0) || Double.isInfinite(f)) {
                throw new IllegalArgumentException("learning-rate factors must be positive, got " + f);
            }
        }
        System.arraycopy(scales, 0, learningRateScales, 0, scales.length);
    }

    @Override
    public final void zeroGradients() {
        parameters.forEach(GradMode::zeroGradient);
    }

    /** The updates taken so far. */
    public final long steps() {
        return steps;
    }

    /** {@code step}, then each slot per parameter, named prefix + parameter name. */
    @Override
    public final NDList state() {
        NDList state = new NDList();
        state.add(OptimizerState.steps(manager, steps));
        for (int i = 0; i < parameters.size(); i++) {
            for (int k = 0; k < slotPrefixes.size(); k++) {
                state.add(OptimizerState.copy(slots.get(i)[k], slotPrefixes.get(k) + names.get(i)));
            }
        }
        return state;
    }

    @Override
    public final void load(NDList state) {
        long loadedSteps = OptimizerState.steps(state);
        List<NDArray[]> loaded = new ArrayList<>();
        for (int i = 0; i < parameters.size(); i++) {
            NDArray[] found = new NDArray[slotPrefixes.size()];
            for (int k = 0; k < found.length; k++) {
                found[k] = OptimizerState.matching(state, slotPrefixes.get(k) + names.get(i), slots.get(i)[k]);
            }
            loaded.add(found);
        }
        // all checked: nothing changes unless everything fits
        for (int i = 0; i < parameters.size(); i++) {
            for (int k = 0; k < slotPrefixes.size(); k++) {
                NamedArrays.copyInto(slots.get(i)[k], loaded.get(i)[k]);
            }
        }
        steps = loadedSteps;
    }

    @Override
    public final void close() {
        manager.close();
    }
}
