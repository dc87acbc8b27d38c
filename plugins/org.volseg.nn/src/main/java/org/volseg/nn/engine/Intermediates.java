package org.volseg.nn.engine;

import ai.djl.ndarray.NDArray;
import java.util.function.UnaryOperator;

/**
 * Freeing intermediate arrays as soon as the next exists. DJL keeps every array until its manager closes, and in a
 * chain of element-wise operations on large arrays (OSS-Net's point batches) that held tens of copies at the peak;
 * closing a handle never frees what autograd saved for the backward pass, which holds its own reference.
 */
public final class Intermediates {

    private Intermediates() {
    }

    /** {@code next} of {@code a}, closing {@code a}'s handle: for an {@code a} that nothing else reads afterwards. */
    public static NDArray spent(NDArray a, UnaryOperator<NDArray> next) {
        NDArray out = next.apply(a);
        a.close();
        return out;
    }
}
