package org.volseg.nn.engine;

import ai.djl.ndarray.NDArray;

/**
 * Multiplying by a constant under autograd. DJL's {@code mul(Number)} wraps the number in a tensor backed by a
 * Java buffer and closes it at once, while autograd keeps that tensor for the backward pass: after a garbage
 * collection the backward reads freed memory and gradients come out sporadically wrong (found by the trainer's
 * determinism tests). Here the constant is a tensor that owns its memory (a clone), so autograd's reference stays
 * valid whatever happens to the handle.
 */
public final class Scalars {

    private Scalars() {
    }

    /** {@code x · value}, safe to back-propagate. */
    public static NDArray times(NDArray x, double value) {
        return x.mul(constant(x, value));
    }

    /** A 0-d tensor of {@code like}'s type and manager holding {@code value}, in memory PyTorch owns. */
    public static NDArray constant(NDArray like, double value) {
        NDArray raw = like.getManager().create(value);
        NDArray typed = raw.toType(like.getDataType(), false);
        NDArray owned = typed.duplicate();
        if (typed != raw) {
            typed.close();
        }
        raw.close();
        return owned;
    }
}
