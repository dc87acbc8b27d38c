package org.volseg.nn.invertible;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.volseg.nn.engine.GradMode;

/**
 * A chain of invertible steps trained without storing activations. It acts on a stack of tensors (the top is the
 * last): blocks transform the top, {@link SkipSplit} and {@link SkipMerge} park and take back U-Net skip codes.
 * The forward pass runs with autograd off and keeps only the chain's output. The backward pass walks the chain in
 * reverse: it recomputes each block's input from its output with the inverse, re-runs that one block with
 * autograd on, and back-propagates the incoming gradient through it (PyTorch's backward with an explicit upstream
 * gradient), which leaves the block's parameter gradients in place and yields the gradient of its input for the
 * next step. Splits and merges are permutations of channels: their gradients are split and merged the same way.
 * Memory is one block's activations, whatever the depth.
 */
public final class ReversibleSequence {

    private final List<ChainStep> steps;

    public ReversibleSequence(List<? extends ChainStep> steps) {
        this.steps = List.copyOf(steps);
    }

    public List<ChainStep> steps() {
        return steps;
    }

    /** The invertible blocks among the steps, in order. */
    public List<InvertibleBlock> blocks() {
        return steps.stream().filter(InvertibleBlock.class::isInstance).map(InvertibleBlock.class::cast).toList();
    }

    /** Every block's parameters. */
    public List<NDArray> parameters() {
        List<NDArray> all = new ArrayList<>();
        blocks().forEach(b -> all.addAll(b.parameters()));
        return all;
    }

    /** The chain's output, computed without recording a graph: no activation is kept. */
    public NDArray forward(NDArray x) {
        return top(forward(List.of(x), x.getManager()));
    }

    /** The chain's input, from its output. */
    public NDArray inverse(NDArray y) {
        return top(inverse(List.of(y), y.getManager()));
    }

    /** The output stack; new arrays live in {@code manager}, the input arrays are left untouched. */
    public List<NDArray> forward(List<NDArray> stack, NDManager manager) {
        return GradMode.with(false, () -> walk(stack, manager, true));
    }

    /** The input stack, from the output stack. */
    public List<NDArray> inverse(List<NDArray> stack, NDManager manager) {
        return GradMode.with(false, () -> walk(stack, manager, false));
    }

    /**
     * The output stack with autograd recording every step, as an ordinary network would: the reference the
     * memory-saving backward is tested against, and conventional backprop for memory comparisons.
     */
    public List<NDArray> forwardRecorded(List<NDArray> stack) {
        return GradMode.with(true, () -> {
            List<NDArray> current = new ArrayList<>(stack);
            for (ChainStep step : steps) {
                apply(step, current, true);
            }
            return current;
        });
    }

    /** Runs the steps forward or inverse, each in a scope that frees its intermediates. */
    private List<NDArray> walk(List<NDArray> stack, NDManager manager, boolean forward) {
        Set<NDArray> caller = identitySet(stack);
        List<NDArray> current = new ArrayList<>(stack);
        for (int k = 0; k < steps.size(); k++) {
            ChainStep step = steps.get(forward ? k : steps.size() - 1 - k);
            List<NDArray> before = new ArrayList<>(current);
            try (NDManager scope = manager.newSubManager()) {
                before.forEach(a -> a.tempAttach(scope));
                apply(step, current, forward);
                current.forEach(a -> a.attach(manager));
            }
            closeReplaced(before, current, caller);
        }
        return current;
    }

    /** Applies one step (or its inverse) to the stack in place. */
    private static void apply(ChainStep step, List<NDArray> stack, boolean forward) {
        int top = stack.size() - 1;
        if (step instanceof InvertibleBlock block) {
            stack.set(top, forward ? block.forward(stack.get(top)) : block.inverse(stack.get(top)));
        } else if (step instanceof SkipSplit split) {
            if (forward) {
                split(stack, split.skipChannels());
            } else {
                merge(stack);
            }
        } else if (forward) {
            merge(stack);
        } else {
            split(stack, ((SkipMerge) step).skipChannels());
        }
    }

    /**
     * top → (skip below, rest on top). Unrecorded, the halves are copies, so that the top's storage is freed once it
     * is downsampled; recorded, they are slices (DJL's duplicate() is not differentiable).
     */
    private static void split(List<NDArray> stack, int skipChannels) {
        boolean recorded = ai.djl.pytorch.jni.JniUtils.isGradMode();
        NDArray t = stack.remove(stack.size() - 1);
        long channels = t.getShape().get(1);
        if (skipChannels >= channels) {
            throw new IllegalArgumentException("cannot keep " + skipChannels + " of " + channels
                    + " channels as a skip code: some must go down");
        }
        NDArray skip = t.get(":, 0:" + skipChannels);
        NDArray rest = t.get(":, " + skipChannels + ":");
        stack.add(recorded ? skip : skip.duplicate());
        stack.add(recorded ? rest : rest.duplicate());
    }

    /** (skip, top) → concat(skip, top). */
    private static void merge(List<NDArray> stack) {
        if (stack.size() < 2) {
            throw new IllegalStateException("a skip merge needs a skip code below the top; the stack holds "
                    + stack.size());
        }
        NDArray u = stack.remove(stack.size() - 1);
        NDArray skip = stack.remove(stack.size() - 1);
        stack.add(skip.concat(u, 1));
    }

    /** What {@link #backward(List, List, NDManager)} returns: the chain's input and its gradient. */
    public record Backward(List<NDArray> inputs, List<NDArray> gradients) {
    }

    /**
     * Back-propagates {@code gradients} (dL/dy per stack entry; null means zero) from the chain's output stack
     * {@code outputs}: adds every parameter's gradient to its {@code getGradient()} and returns the reconstructed
     * input stack with dL/dx. Each block's recomputation lives in a scope closed before the next block, so memory
     * does not grow with depth or with steps. The given arrays are never closed; new ones live in {@code manager}.
     */
    public Backward backward(List<NDArray> outputs, List<NDArray> gradients, NDManager manager) {
        Set<NDArray> caller = identitySet(outputs);
        caller.addAll(identitySet(gradients));
        List<NDArray> values = new ArrayList<>(outputs);
        List<NDArray> grads = new ArrayList<>(gradients); // may hold nulls: List.copyOf would refuse them
        for (int i = steps.size() - 1; i >= 0; i--) {
            List<NDArray> valuesBefore = new ArrayList<>(values);
            List<NDArray> gradsBefore = new ArrayList<>(grads);
            try (NDManager scope = manager.newSubManager()) {
                valuesBefore.forEach(a -> a.tempAttach(scope));
                gradsBefore.stream().filter(g -> g != null).forEach(g -> g.tempAttach(scope));
                ChainStep step = steps.get(i);
                GradMode.with(false, () -> {
                    backStep(step, values, grads);
                    return null;
                });
                values.forEach(a -> a.attach(manager));
                grads.stream().filter(g -> g != null).forEach(g -> g.attach(manager));
            }
            closeReplaced(valuesBefore, values, caller);
            closeReplaced(gradsBefore, grads, caller);
        }
        return new Backward(values, grads);
    }

    private static void backStep(ChainStep step, List<NDArray> values, List<NDArray> grads) {
        int top = values.size() - 1;
        if (step instanceof InvertibleBlock block) {
            NDArray y = values.get(top);
            NDArray dy = grads.get(top);
            NDArray x = block.inverse(y);
            values.set(top, x);
            if (dy != null) {
                // re-run this one block on a leaf sharing x's storage, and push dy through it
                NDArray leaf = x.stopGradient();
                leaf.setRequiresGradient(true);
                NDArray recomputed = GradMode.with(true, () -> block.forward(leaf));
                GradMode.backward(recomputed, dy);
                NDArray dx = GradMode.gradientOrNull(leaf);
                grads.set(top, dx == null ? null : dx.duplicate());
            }
        } else if (step instanceof SkipSplit split) {
            merge(values);
            mergeGradients(values, grads, split.skipChannels());
        } else {
            int k = ((SkipMerge) step).skipChannels();
            split(values, k);
            NDArray g = grads.remove(top);
            grads.add(g == null ? null : g.get(":, 0:" + k).duplicate());
            grads.add(g == null ? null : g.get(":, " + k + ":").duplicate());
        }
    }

    /** The gradient of a split's input: the skip's and the rest's gradients side by side (null is zero). */
    private static void mergeGradients(List<NDArray> values, List<NDArray> grads, int skipChannels) {
        NDArray rest = grads.remove(grads.size() - 1);
        NDArray skip = grads.remove(grads.size() - 1);
        if (rest == null && skip == null) {
            grads.add(null);
            return;
        }
        NDArray merged = values.get(values.size() - 1);
        if (skip == null) {
            skip = merged.get(":, 0:" + skipChannels).zerosLike();
        }
        if (rest == null) {
            rest = merged.get(":, " + skipChannels + ":").zerosLike();
        }
        grads.add(skip.concat(rest, 1));
    }

    /** Closes the arrays of {@code before} that the step replaced, unless the caller owns them. */
    private static void closeReplaced(List<NDArray> before, List<NDArray> after, Set<NDArray> caller) {
        Set<NDArray> kept = identitySet(after);
        for (NDArray a : before) {
            if (a != null && !kept.contains(a) && !caller.contains(a)) {
                a.close();
            }
        }
    }

    private static Set<NDArray> identitySet(List<NDArray> arrays) {
        Set<NDArray> set = Collections.newSetFromMap(new IdentityHashMap<>());
        arrays.stream().filter(a -> a != null).forEach(set::add);
        return set;
    }

    private static NDArray top(List<NDArray> stack) {
        if (stack.size() != 1) {
            throw new IllegalStateException("the chain left " + stack.size() + " tensors; expected one");
        }
        return stack.get(0);
    }

    /**
     * Back-propagates {@code gradOutput} (dL/dy) from the chain's output {@code y} (single-tensor chains): adds
     * every parameter's gradient to its {@code getGradient()} and returns dL/dx for the chain's input.
     */
    public NDArray backward(NDArray y, NDArray gradOutput) {
        Backward result = backward(List.of(y), List.of(gradOutput), y.getManager());
        result.inputs().stream().filter(a -> a != y).forEach(NDArray::close);
        return top(result.gradients());
    }

    /** Zeroes every parameter's gradient (PyTorch accumulates them). */
    public void zeroGradients() {
        parameters().forEach(GradMode::zeroGradient);
    }
}
