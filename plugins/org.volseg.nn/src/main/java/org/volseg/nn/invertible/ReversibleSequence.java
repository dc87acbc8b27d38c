package org.volseg.nn.invertible;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
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
        return walk(x, true);
    }

    /** The chain's input, from its output. */
    public NDArray inverse(NDArray y) {
        return walk(y, false);
    }

    /** Runs the blocks forward or inverse, each in a scope that frees its intermediates; returns the last result. */
    private NDArray walk(NDArray start, boolean forward) {
        NDManager caller = start.getManager();
        NDArray current = start;
        for (int k = 0; k < blocks.size(); k++) {
            InvertibleBlock block = blocks.get(forward ? k : blocks.size() - 1 - k);
            NDArray in = current;
            try (NDManager scope = caller.newSubManager()) {
                in.tempAttach(scope);
                NDArray out = withGradMode(false, () -> forward ? block.forward(in) : block.inverse(in));
                out.attach(caller);
                if (in != start) {
                    in.close();
                }
                current = out;
            }
        }
        return current;
    }

    /**
     * Back-propagates {@code gradOutput} (dL/dy) from the chain's output {@code y}: adds every parameter's
     * gradient to its {@code getGradient()} and returns dL/dx for the chain's input. Each block's recomputation
     * lives in a scope closed before the next block, so memory does not grow with depth or with steps.
     */
    public NDArray backward(NDArray y, NDArray gradOutput) {
        NDManager caller = y.getManager();
        NDArray output = y;
        NDArray grad = gradOutput;
        for (int i = blocks.size() - 1; i >= 0; i--) {
            InvertibleBlock block = blocks.get(i);
            NDArray out = output;
            NDArray upstream = grad;
            try (NDManager scope = caller.newSubManager()) {
                out.tempAttach(scope);
                upstream.tempAttach(scope);
                NDArray input = withGradMode(false, () -> block.inverse(out));
                input.setRequiresGradient(true);
                NDArray recomputed = withGradMode(true, () -> block.forward(input));
                withGradMode(true, () -> {
                    JniUtils.backward((PtNDArray) recomputed, (PtNDArray) upstream, false, false);
                    return null;
                });
                NDArray inputGrad = input.getGradient().duplicate();
                NDArray inputValue = withGradMode(false, input::stopGradient).duplicate();
                inputGrad.attach(caller);
                inputValue.attach(caller);
                if (out != y) {
                    out.close();
                }
                if (upstream != gradOutput) {
                    upstream.close();
                }
                output = inputValue;
                grad = inputGrad;
            }
        }
        output.close();
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
