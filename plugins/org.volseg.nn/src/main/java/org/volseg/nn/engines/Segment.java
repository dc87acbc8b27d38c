package org.volseg.nn.engines;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.function.UnaryOperator;
import org.volseg.nn.invertible.ReversibleSequence;

/**
 * One piece of a network, as the {@link SegmentTape} runs it: either an ordinary function whose graph autograd
 * records (stems, heads, down- and upsampling), or an invertible chain whose activations are never kept.
 */
public sealed interface Segment {

    List<NDArray> parameters();

    /** An ordinary segment: autograd records its graph, which is kept until backward. */
    record Plain(UnaryOperator<NDArray> function, List<NDArray> parameters) implements Segment {
    }

    /** An invertible segment: run without a graph, recomputed backwards. */
    record Reversible(ReversibleSequence chain) implements Segment {
        @Override
        public List<NDArray> parameters() {
            return chain.parameters();
        }
    }
}
