package org.volseg.nn.engines;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Map;

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

    /**
     * One forward and backward pass on a batch without labels (semi-supervised training: only the loss terms that
     * need none); adds to the gradients and returns the loss.
     *
     * @throws UnsupportedOperationException for networks that learn from labeled batches only (the default)
     */
    default double stepUnlabeled(NDArray image, long stepSeed) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " learns from labeled images only");
    }

    /**
     * How many of the training images' channels, at the end, are guidance rather than image: targets computed once
     * per case (a teacher's whole-case soft labels) that must follow each patch's flips and turns but not its
     * brightness, contrast and noise. The network sees them in {@link #step} and {@link #stepUnlabeled}, after the
     * image channels; validation images come without them. 0 by default.
     */
    default int guidanceChannels() {
        return 0;
    }

    /**
     * Each guidance channel's value where a patch reaches outside its case (the image there is padded with 0 and the
     * labels with the background); {@link #guidanceChannels} values, all 0 by default.
     */
    default float[] guidanceOutside() {
        return new float[guidanceChannels()];
    }

    /** The named terms of the last step's loss, for a loss made of several (distillation); empty by default. */
    default Map<String, Double> lastTerms() {
        return Map.of();
    }

    /** Logits N × K × D × H × W without recording a graph (inference). */
    NDArray logits(NDArray image);

    /** Number of classes K (background included). */
    int classes();
}
