package org.volseg.nn.engines;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.List;

/**
 * Updates a network's parameters in place from their accumulated gradients. Training resumes exactly only when the
 * optimizer's own state (moments, step count) is saved with the parameters, so {@link #state()} and
 * {@link #load(NDList)} hand it over as named arrays a checkpoint can store.
 */
public interface Optimizer extends AutoCloseable {

    /** The optimizers a training run can be configured with. */
    enum Kind {
        /** Adam; weight decay is an L2 term added to the gradient (PyTorch's {@code Adam(weight_decay)}). */
        ADAM,
        /** Adam with decoupled weight decay (Loshchilov and Hutter; PyTorch's {@code AdamW}). */
        ADAMW,
        /** SGD with Nesterov momentum 0.99 and L2 weight decay, nnU-Net's optimizer. */
        SGD_NESTEROV
    }

    /** An optimizer of the given kind over {@code parameters}, with PyTorch's defaults for everything else. */
    static Optimizer create(Kind kind, List<NDArray> parameters, double weightDecay) {
        switch (kind) {
            case ADAM:
                return Adam.withL2(parameters, weightDecay);
            case ADAMW:
                return Adam.decoupled(parameters, weightDecay);
            case SGD_NESTEROV:
                return new SgdNesterov(parameters, SgdNesterov.DEFAULT_MOMENTUM, weightDecay);
            default:
                throw new IllegalArgumentException("unknown optimizer " + kind);
        }
    }

    /** One update of every parameter from its gradient, with learning rate {@code learningRate}. */
    void step(double learningRate);

    /** Zeroes every parameter's gradient (PyTorch adds each backward pass to it). */
    void zeroGradients();

    /**
     * Copies of everything the next updates depend on besides the parameters, as named arrays (the step count
     * included); the caller closes them.
     */
    NDList state();

    /**
     * Restores a state from {@link #state()} of an optimizer of the same kind over parameters of the same names and
     * shapes; the arrays are copied, not kept.
     *
     * @throws IllegalArgumentException when an array is missing or its shape or type differs
     */
    void load(NDList state);

    /** Frees the optimizer's state arrays; the parameters are the caller's. */
    @Override
    void close();
}
