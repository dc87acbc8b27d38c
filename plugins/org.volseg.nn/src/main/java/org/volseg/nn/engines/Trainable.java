package org.volseg.nn.engines;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * What the training engine needs of a network: the {@link Trainer} samples patches, steps the optimizer and
 * validates, and leaves the architecture, its loss and how it back-propagates (plain autograd, a reversible
 * {@link SegmentTape}) to the network.
 */
public interface Trainable {

    /** Trainable parameters, each with a unique name ({@link NDArray#getName()}), in a fixed order. */
    List<NDArray> parameters();

    /**
     * One forward and backward pass on a batch: image N × C × D × H × W float32, target one-hot N × K × D × H × W;
     * adds to the parameters' gradients and returns the loss. {@code stepSeed} makes any randomness inside (a VAE
     * sample, dropout) reproducible.
     */
    double step(NDArray image, NDArray oneHot, long stepSeed);

    /** Logits N × K × D × H × W without recording a graph (inference). */
    NDArray logits(NDArray image);

    /** Number of classes K (background included). */
    int classes();
}
