package org.volseg.nn.invertible;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * A function whose input can be computed back from its output. Chains of them need not keep activations for
 * the backward pass: {@link ReversibleSequence} recomputes each block's input from its output.
 */
public non-sealed interface InvertibleBlock extends ChainStep {

    /** y = f(x), for a batch N × C × D × H × W. */
    NDArray forward(NDArray x);

    /** x = f⁻¹(y). */
    NDArray inverse(NDArray y);

    /** The trainable arrays (with gradients attached). */
    List<NDArray> parameters();
}
