package org.volseg.nn.engines;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.volseg.nn.invertible.ReversibleSequence;

/**
 * One piece of a network, as the {@link SegmentTape} runs it on a stack of tensors (the top is the last; U-Net
 * skips wait below it): an ordinary function whose graph autograd records (stems, heads, ordinary down- and
 * upsampling), an invertible chain whose activations are never kept, or a tap that hands the top tensor to an
 * auxiliary loss (the VAE branch at the bottleneck).
 */
public sealed interface Segment {

    List<NDArray> parameters();

    /**
     * An ordinary segment: autograd records its graph, which is kept until backward. The function maps the whole
     * stack to a new stack; entries it passes through must be returned as the same objects.
     */
    record Plain(Function<List<NDArray>, List<NDArray>> function, List<NDArray> parameters) implements Segment {

        /** A segment that maps the top tensor and leaves the rest of the stack as it is. */
        public static Plain onTop(UnaryOperator<NDArray> function, List<NDArray> parameters) {
            return new Plain(stack -> {
                List<NDArray> out = new ArrayList<>(stack);
                out.set(out.size() - 1, function.apply(stack.get(stack.size() - 1)));
                return out;
            }, parameters);
        }
    }

    /** An invertible segment: run without a graph, recomputed backwards. */
    record Reversible(ReversibleSequence chain) implements Segment {
        @Override
        public List<NDArray> parameters() {
            return chain.parameters();
        }
    }

    /** Hands the top tensor to the loss as a tap (identity on the stack); its gradient joins on the way back. */
    record Tap() implements Segment {
        @Override
        public List<NDArray> parameters() {
            return List.of();
        }
    }
}
