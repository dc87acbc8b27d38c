package org.volseg.nn.engines;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a network made of {@link Segment}s for one training step and back-propagates through it: plain segments
 * with ordinary autograd, reversible ones with their memory-free backward. Between segments the activation is cut
 * (a fresh leaf), so each segment's backward starts from the gradient the next one handed back. What stays in
 * memory is the plain segments' graphs and one tensor per segment boundary: a network whose body is reversible
 * keeps almost nothing, whatever its depth.
 */
public final class SegmentTape {

    private final List<Segment> segments;

    public SegmentTape(List<Segment> segments) {
        this.segments = List.copyOf(segments);
    }

    /** Every segment's parameters, in order. */
    public List<NDArray> parameters() {
        List<NDArray> all = new ArrayList<>();
        segments.forEach(s -> all.addAll(s.parameters()));
        return all;
    }

    /** The output without recording anything (inference). */
    public NDArray predict(NDArray x) {
        boolean before = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            NDArray h = x;
            for (Segment s : segments) {
                h = s instanceof Segment.Reversible r ? r.chain().forward(h) : ((Segment.Plain) s).function().apply(h);
            }
            return h;
        } finally {
            JniUtils.setGradMode(before);
        }
    }

    /**
     * One forward and backward pass: leaves every parameter's gradient in {@code getGradient()} (accumulated) and
     * returns the loss value.
     *
     * @param loss the loss of the network's output (a scalar), e.g. Dice + cross-entropy against a target
     */
    public double step(NDArray x, java.util.function.UnaryOperator<NDArray> loss) {
        boolean before = JniUtils.isGradMode();
        List<NDArray> inputs = new ArrayList<>();
        List<NDArray> outputs = new ArrayList<>();
        // everything this step makes is freed with this scope; only parameter gradients outlive it
        try (NDManager scope = x.getManager().newSubManager()) {
            x.tempAttach(scope);
            NDArray h = x;
            for (Segment s : segments) {
                NDArray in = h.stopGradient();
                if (s instanceof Segment.Reversible r) {
                    JniUtils.setGradMode(false);
                    h = r.chain().forward(in);
                } else {
                    in.setRequiresGradient(true);
                    JniUtils.setGradMode(true);
                    h = ((Segment.Plain) s).function().apply(in);
                }
                inputs.add(in);
                outputs.add(h);
            }
            NDArray out = h.stopGradient();
            out.setRequiresGradient(true);
            JniUtils.setGradMode(true);
            NDArray value = loss.apply(out);
            JniUtils.backward((PtNDArray) value, (PtNDArray) value.getManager().ones(new Shape())
                    .toType(value.getDataType(), false), false, false);
            double lossValue = value.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
            NDArray grad = out.getGradient().duplicate();
            for (int i = segments.size() - 1; i >= 0; i--) {
                Segment s = segments.get(i);
                NDArray next;
                if (s instanceof Segment.Reversible r) {
                    next = r.chain().backward(outputs.get(i), grad);
                } else {
                    JniUtils.setGradMode(true);
                    JniUtils.backward((PtNDArray) outputs.get(i), (PtNDArray) grad, false, false);
                    next = i == 0 ? null : inputs.get(i).getGradient().duplicate();
                }
                grad.close();
                grad = next;
                if (grad == null) {
                    break;
                }
            }
            return lossValue;
        } finally {
            JniUtils.setGradMode(before);
        }
    }

    /** Zeroes every parameter's gradient. */
    public void zeroGradients() {
        for (NDArray p : parameters()) {
            if (p.hasGradient()) {
                JniUtils.zeroGrad((PtNDArray) p);
            }
        }
    }
}
