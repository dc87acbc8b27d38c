package org.volseg.nn.inferers;

import ai.djl.ndarray.NDArray;

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
}
