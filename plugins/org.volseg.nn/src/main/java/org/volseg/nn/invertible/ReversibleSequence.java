package org.volseg.nn.invertible;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;

/**
 * A chain of invertible blocks trained without storing activations. The forward pass runs with autograd off and
 * keeps only the chain's output. The backward pass walks the chain in reverse: it recomputes each block's input
 * from its output with the inverse, re-runs that one block with autograd on, and back-propagates the incoming
 * gradient through it (PyTorch's backward with an explicit upstream gradient), which leaves the block's parameter
 * gradients in place and yields the gradient of its input for the next block. Memory is one block's activations,
 * whatever the depth.
 */
public final class ReversibleSequence {

    private final List<InvertibleBlock> blocks;

    public ReversibleSequence(List<InvertibleBlock> blocks) {
        this.blocks = List.copyOf(blocks);
    }

    public List<InvertibleBlock> blocks() {
        return blocks;
    }

    /** Every block's parameters. */
    public List<NDArray> parameters() {
        List<NDArray> all = new ArrayList<>();
        blocks.forEach(b -> all.addAll(b.parameters()));
        return all;
    }

    /** The chain's output, computed without recording a graph: no activation is kept. */
    public NDArray forward(NDArray x) {
        return withGradMode(false, () -> {
            NDArray y = x;
            for (InvertibleBlock block : blocks) {
                NDArray next = block.forward(y);
                if (y != x) {
                    y.close();
                }
                y = next;
            }
            return y;
        });
    }

    /** The chain's input, from its output. */
    public NDArray inverse(NDArray y) {
        return withGradMode(false, () -> {
            NDArray x = y;
            for (int i = blocks.size() - 1; i >= 0; i--) {
                NDArray previous = blocks.get(i).inverse(x);
                if (x != y) {
                    x.close();
                }
                x = previous;
            }
            return x;
        });
    }

    /**
     * Back-propagates {@code gradOutput} (dL/dy) from the chain's output {@code y}: adds every parameter's
     * gradient to its {@code getGradient()} and returns dL/dx for the chain's input.
     */
    public NDArray backward(NDArray y, NDArray gradOutput) {
        NDArray output = y;
        NDArray grad = gradOutput;
        for (int i = blocks.size() - 1; i >= 0; i--) {
            InvertibleBlock block = blocks.get(i);
            NDArray out = output;
            NDArray input = withGradMode(false, () -> block.inverse(out));
            input.setRequiresGradient(true);
            NDArray recomputed = withGradMode(true, () -> block.forward(input));
            NDArray upstream = grad;
            withGradMode(true, () -> {
                JniUtils.backward((PtNDArray) recomputed, (PtNDArray) upstream, false, false);
                return null;
            });
            NDArray inputGrad = input.getGradient().duplicate();
            recomputed.close();
            if (output != y) {
                output.close();
            }
            if (grad != gradOutput) {
                grad.close();
            }
            output = withGradMode(false, input::stopGradient);
            input.close();
            grad = inputGrad;
        }
        if (output != y) {
            output.close();
        }
        return grad;
    }

    /** Zeroes every parameter's gradient (PyTorch accumulates them). */
    public void zeroGradients() {
        for (NDArray p : parameters()) {
            JniUtils.zeroGrad((PtNDArray) p);
        }
    }

    private static <T> T withGradMode(boolean on, java.util.function.Supplier<T> work) {
        boolean before = JniUtils.isGradMode();
        JniUtils.setGradMode(on);
        try {
            return work.get();
        } finally {
            JniUtils.setGradMode(before);
        }
    }
}
