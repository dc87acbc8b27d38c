package org.volseg.nn.inferers;

import ai.djl.ndarray.NDArray;
import java.util.function.UnaryOperator;

/**
 * A network seen by an inferer: logits for a batch of patches. Inferers only need this one call, so any model
 * (a DJL block, a TorchScript module, a test function) can be tiled over a volume without knowing about windows.
 *
 * <p>Arrays the predictor makes should derive from {@code patches} by NDArray operations (DJL attaches an
 * operation's result to its first operand's manager), so that they are freed with the batch; arrays it makes on
 * managers of its own stay its business.
 */
@FunctionalInterface
public interface PatchPredictor {

    /**
     * @param patches N × C × D × H × W float32 (D = z, H = y, W = x)
     * @return N × K × D × H × W logits (unnormalised class scores), K ≥ 2
     */
    NDArray logits(NDArray patches);

    /**
     * What the model did since the last call that a user would want reported beside the plan (an OSS-Net's voxel
     * queries and time), or null when there is nothing.
     */
    default String takeReport() {
        return null;
    }

    /** How many models each window goes through (an ensemble's members); the memory planner counts their outputs. */
    default int models() {
        return 1;
    }

    /**
     * The model split before a last layer that acts on each voxel alone, or null when it has none (the default).
     * The sliding window then makes a window's logits slab by slab from the head's input, so that no array holds
     * all K classes of a window: class-chunk stitching's memory does not grow with K.
     */
    default PointwiseHead pointwiseHead() {
        return null;
    }

    /** A predictor of {@code logits} whose {@link #pointwiseHead()} is {@code head} (null: none). */
    static PatchPredictor of(UnaryOperator<NDArray> logits, PointwiseHead head) {
        return new PatchPredictor() {
            @Override
            public NDArray logits(NDArray patches) {
                return logits.apply(patches);
            }

            @Override
            public PointwiseHead pointwiseHead() {
                return head;
            }
        };
    }

    /**
     * A model as its last layer's input and that layer, which acts on each voxel alone: {@code head(headInput(p))}
     * are {@code logits(p)}, and the head of any slab of the input gives that slab's logits.
     */
    interface PointwiseHead {

        /** N × C × D × H × W patches to N × F × D × H × W: what the last layer sees. */
        NDArray headInput(NDArray patches);

        /** N × F × d × h × w to N × K × d × h × w logits, any d, h, w. */
        NDArray head(NDArray headInput);

        /** The two steps as functions. */
        static PointwiseHead of(UnaryOperator<NDArray> headInput, UnaryOperator<NDArray> head) {
            return new PointwiseHead() {
                @Override
                public NDArray headInput(NDArray patches) {
                    return headInput.apply(patches);
                }

                @Override
                public NDArray head(NDArray in) {
                    return head.apply(in);
                }
            };
        }
    }
}
