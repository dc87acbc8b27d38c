package org.volseg.nn.engines;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.volseg.nn.engine.GradMode;
import org.volseg.nn.invertible.ReversibleSequence;

/**
 * Runs a network made of {@link Segment}s for one training step and back-propagates through it: plain segments
 * with ordinary autograd, reversible ones with their memory-free backward. The segments act on a stack of tensors
 * (U-Net skips wait below the top). Between segments the activations are cut (fresh leaves), so each segment's
 * backward starts from the gradients the next one handed back. What stays in memory is the plain segments'
 * graphs and the tensors at segment boundaries; where two reversible segments meet (only taps between them), even
 * the boundary is released and recomputed on the way back, so a network whose body is one invertible core keeps
 * almost nothing, whatever its depth.
 */
public final class SegmentTape {

    /** How a step back-propagates through the reversible segments. */
    public enum Backprop {
        /** Recompute activations from outputs (the memory-saving backward). */
        REVERSIBLE,
        /** Ordinary autograd through everything: the reference, and conventional backprop for comparisons. */
        CONVENTIONAL
    }

    /** The training loss of the network's outputs (the final stack) and of its taps, a scalar. */
    @FunctionalInterface
    public interface Loss {
        NDArray apply(List<NDArray> outputs, List<NDArray> taps);
    }

    private final List<Segment> segments;

    public SegmentTape(List<Segment> segments) {
        this.segments = List.copyOf(segments);
    }

    public List<Segment> segments() {
        return segments;
    }

    /** Every segment's parameters, in order. */
    public List<NDArray> parameters() {
        List<NDArray> all = new ArrayList<>();
        segments.forEach(s -> all.addAll(s.parameters()));
        return all;
    }

    /** The output of a single-input, single-output network, without recording anything (inference). */
    public NDArray predict(NDArray x) {
        List<NDArray> out = predict(List.of(x));
        if (out.size() != 1) {
            throw new IllegalStateException("the network left " + out.size() + " outputs; expected one");
        }
        return out.get(0);
    }

    /**
     * The output stack without recording anything; each segment's temporaries are freed as it ends, so memory is
     * what the largest segment needs. New arrays live in the first input's manager.
     */
    public List<NDArray> predict(List<NDArray> inputs) {
        return predict(inputs, new ArrayList<>());
    }

    /** {@link #predict(List)} that also adds the top of the stack at each tap to {@code taps}, in order. */
    public List<NDArray> predict(List<NDArray> inputs, List<NDArray> taps) {
        NDManager manager = inputs.get(0).getManager();
        Set<NDArray> callers = identitySet(inputs);
        return GradMode.with(false, () -> {
            List<NDArray> stack = inputs;
            for (Segment segment : segments) {
                if (segment instanceof Segment.Tap) {
                    NDArray top = stack.get(stack.size() - 1);
                    taps.add(top);
                    callers.add(top); // kept for the caller when later segments free the stack
                    continue;
                }
                List<NDArray> before = stack;
                try (NDManager scope = manager.newSubManager()) {
                    before.forEach(a -> a.tempAttach(scope));
                    segment.parameters().forEach(p -> p.tempAttach(scope));
                    List<NDArray> after;
                    if (segment instanceof Segment.Plain p) {
                        after = p.function().apply(before);
                    } else if (segment instanceof Segment.Reversible r) {
                        after = r.chain().forward(before, scope);
                    } else {
                        after = before;
                    }
                    after.forEach(a -> a.attach(manager));
                    stack = after;
                }
                closeAllBut(before, stack, callers);
            }
            return stack;
        });
    }

    /**
     * One forward and backward pass of a single-input, single-output network with the memory-saving backward:
     * leaves every parameter's gradient in {@code getGradient()} (accumulated) and returns the loss value.
     */
    public double step(NDArray x, UnaryOperator<NDArray> loss) {
        return step(List.of(x), (outputs, taps) -> loss.apply(outputs.get(outputs.size() - 1)), Backprop.REVERSIBLE);
    }

    /** What the forward pass kept of one segment for the backward pass. */
    private static final class Kept {
        /** A plain segment's input leaves; null for reversible ones. */
        List<NDArray> leaves;
        /** The segment's output stack; null once released (a later reversible segment recomputes it). */
        List<NDArray> outputs;
        /** A tap's index in the taps. */
        int tap = -1;
    }

    /**
     * One forward and backward pass: leaves every parameter's gradient in {@code getGradient()} (accumulated) and
     * returns the loss value. Everything the step makes is freed before it returns.
     */
    public double step(List<NDArray> inputs, Loss loss, Backprop mode) {
        NDManager manager = inputs.get(0).getManager();
        try (NDManager scope = manager.newSubManager()) {
            // temporaries made from parameters or inputs land in their managers: lend them all to this step
            parameters().forEach(p -> p.tempAttach(scope));
            inputs.forEach(x -> x.tempAttach(scope));
            Set<NDArray> pinned = identitySet(inputs);
            Kept[] kept = new Kept[segments.size()];
            List<NDArray> taps = new ArrayList<>();
            List<NDArray> stack = inputs;
            int openReversible = -1;
            for (int i = 0; i < segments.size(); i++) {
                Segment segment = segments.get(i);
                Kept k = new Kept();
                kept[i] = k;
                if (segment instanceof Segment.Tap) {
                    k.tap = taps.size();
                    taps.add(leaf(stack.get(stack.size() - 1)));
                } else if (segment instanceof Segment.Reversible r && mode == Backprop.REVERSIBLE) {
                    k.outputs = r.chain().forward(stack, scope);
                    if (openReversible >= 0) {
                        // the previous reversible segment's output is recomputed from this one's on the way back
                        closeAllBut(kept[openReversible].outputs, k.outputs, pinned);
                        kept[openReversible].outputs = null;
                    }
                    openReversible = i;
                    stack = k.outputs;
                } else {
                    Function<List<NDArray>, List<NDArray>> function = segment instanceof Segment.Plain p
                            ? p.function() : ((Segment.Reversible) segment).chain()::forwardRecorded;
                    k.leaves = leaves(stack);
                    k.outputs = recorded(function, k.leaves, segment.parameters(), scope);
                    pinned.addAll(k.leaves);
                    pinned.addAll(k.outputs);
                    openReversible = -1;
                    stack = k.outputs;
                }
            }
            List<NDArray> outputs = leaves(stack);
            NDArray value = GradMode.with(true, () -> loss.apply(outputs, taps));
            GradMode.backward(value);
            double lossValue = value.toType(DataType.FLOAT64, false).getDouble();

            List<NDArray> grads = outputs.stream().map(GradMode::gradientOrNull).toList();
            List<NDArray> values = null;
            for (int i = segments.size() - 1; i >= 0; i--) {
                Segment segment = segments.get(i);
                Kept k = kept[i];
                List<NDArray> newGrads;
                if (segment instanceof Segment.Tap) {
                    NDArray tapGrad = GradMode.gradientOrNull(taps.get(k.tap));
                    newGrads = new ArrayList<>(grads);
                    int top = newGrads.size() - 1;
                    if (tapGrad != null) {
                        newGrads.set(top, grads.get(top) == null ? tapGrad : grads.get(top).add(tapGrad));
                    }
                } else if (k.leaves == null) {
                    List<NDArray> outs = values != null ? values : k.outputs;
                    ReversibleSequence.Backward back = ((Segment.Reversible) segment).chain()
                            .backward(outs, grads, scope);
                    closeAllBut(outs, back.inputs(), pinned);
                    values = back.inputs();
                    newGrads = back.gradients();
                } else {
                    if (values != null) {
                        closeAllBut(values, List.of(), pinned);
                        values = null;
                    }
                    newGrads = backwardPlain(k, grads);
                    // this segment's graph is spent: free its boundary tensors (and the leaves' gradients)
                    Set<NDArray> spent = identitySet(k.leaves);
                    spent.addAll(k.outputs);
                    pinned.removeAll(spent);
                    spent.forEach(NDArray::close);
                }
                closeAllBut(grads, newGrads, List.of());
                grads = newGrads;
            }
            return lossValue;
        }
    }

    /** Runs a plain segment with autograd on, releasing the handles of its temporaries (autograd keeps its own). */
    private static List<NDArray> recorded(Function<List<NDArray>, List<NDArray>> function, List<NDArray> leaves,
            List<NDArray> parameters, NDManager step) {
        try (NDManager scope = step.newSubManager()) {
            leaves.forEach(l -> l.tempAttach(scope));
            parameters.forEach(p -> p.tempAttach(scope));
            List<NDArray> out = GradMode.with(true, () -> function.apply(leaves));
            out.forEach(a -> a.attach(step));
            return out;
        }
    }

    /**
     * Back-propagates a plain segment: outputs that are new tensors are seeded with their gradients in one
     * backward pass; outputs passed through unchanged hand their gradients straight to their input.
     */
    private static List<NDArray> backwardPlain(Kept k, List<NDArray> grads) {
        Set<NDArray> leaves = identitySet(k.leaves);
        Map<NDArray, NDArray> passed = new IdentityHashMap<>();
        List<NDArray> roots = new ArrayList<>();
        List<NDArray> seeds = new ArrayList<>();
        for (int j = 0; j < k.outputs.size(); j++) {
            NDArray y = k.outputs.get(j);
            NDArray g = grads.get(j);
            if (g == null) {
                continue;
            }
            if (leaves.contains(y)) {
                passed.merge(y, g, NDArray::add);
            } else {
                roots.add(y);
                seeds.add(g);
            }
        }
        if (roots.size() == 1) {
            GradMode.backward(roots.get(0), seeds.get(0));
        } else if (roots.size() > 1) {
            // one pass for several outputs: the gradient of Σ_j sum(y_j · g_j) is exactly the vector-Jacobian product
            NDArray surrogate = GradMode.with(true, () -> {
                NDArray sum = null;
                for (int j = 0; j < roots.size(); j++) {
                    NDArray term = roots.get(j).mul(seeds.get(j)).sum();
                    sum = sum == null ? term : sum.add(term);
                }
                return sum;
            });
            GradMode.backward(surrogate);
        }
        List<NDArray> inputGrads = new ArrayList<>();
        for (NDArray leaf : k.leaves) {
            NDArray fromGraph = GradMode.gradientOrNull(leaf);
            NDArray direct = passed.get(leaf);
            inputGrads.add(fromGraph == null ? direct : direct == null ? fromGraph : fromGraph.add(direct));
        }
        return inputGrads;
    }

    private static NDArray leaf(NDArray value) {
        NDArray leaf = value.stopGradient();
        leaf.setRequiresGradient(true);
        return leaf;
    }

    private static List<NDArray> leaves(List<NDArray> stack) {
        return stack.stream().map(SegmentTape::leaf).toList();
    }

    /** Closes the arrays of {@code arrays} that are neither in {@code kept} nor in {@code protectedArrays}. */
    private static void closeAllBut(List<NDArray> arrays, List<NDArray> kept, Collection<NDArray> protectedArrays) {
        Set<NDArray> keep = identitySet(kept);
        for (NDArray a : arrays) {
            if (a != null && !keep.contains(a) && !protectedArrays.contains(a)) {
                a.close();
            }
        }
    }

    private static Set<NDArray> identitySet(List<NDArray> arrays) {
        Set<NDArray> set = Collections.newSetFromMap(new IdentityHashMap<>());
        arrays.stream().filter(a -> a != null).forEach(set::add);
        return set;
    }

    /** Zeroes every parameter's gradient. */
    public void zeroGradients() {
        parameters().forEach(GradMode::zeroGradient);
    }
}
