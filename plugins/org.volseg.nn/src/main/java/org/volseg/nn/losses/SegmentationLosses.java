package org.volseg.nn.losses;

import org.volseg.nn.engine.Scalars;
import ai.djl.ndarray.NDArray;

/**
 * Losses of 3D segmentation on logits N × K × D × H × W and one-hot targets of the same shape. Soft Dice is
 * averaged over classes and samples (nnU-Net's "batch Dice" off), with smoothing so that an absent class scores
 * 1 when predicted absent; cross-entropy is averaged over voxels.
 */
public final class SegmentationLosses {

    /** Added to numerator and denominator of each class's Dice. */
    public static final double DICE_SMOOTHING = 1e-5;

    private SegmentationLosses() {
    }

    /** Per sample and class: (2 Σ p·t + s) / (Σ p + Σ t + s), shape N × K. */
    public static NDArray softDicePerClass(NDArray logits, NDArray oneHot) {
        NDArray probabilities = logits.softmax(1);
        int[] voxels = {2, 3, 4};
        NDArray intersection = probabilities.mul(oneHot).sum(voxels);
        NDArray denominator = probabilities.sum(voxels).add(oneHot.sum(voxels));
        return Scalars.times(intersection, 2).add(DICE_SMOOTHING).div(denominator.add(DICE_SMOOTHING));
    }

    /** 1 − mean soft Dice, over the classes from {@code firstClass} (1 leaves the background out). */
    public static NDArray diceLoss(NDArray logits, NDArray oneHot, int firstClass) {
        NDArray dice = softDicePerClass(logits, oneHot);
        long classes = dice.getShape().get(1);
        NDArray kept = dice.get(":, " + firstClass + ":" + classes);
        return kept.mean().neg().add(1);
    }

    /** Mean over voxels of −Σ_k t_k log softmax(logits)_k. */
    public static NDArray crossEntropy(NDArray logits, NDArray oneHot) {
        return logits.logSoftmax(1).mul(oneHot).sum(new int[] {1}).mean().neg();
    }

    /** Dice (foreground classes) + cross-entropy, nnU-Net's default loss. */
    public static NDArray diceCrossEntropy(NDArray logits, NDArray oneHot) {
        return diceLoss(logits, oneHot, 1).add(crossEntropy(logits, oneHot));
    }

    /** Mean KL divergence of N(mean, exp(logVariance)) from N(0, 1), the VAE branch's regulariser. */
    public static NDArray gaussianKl(NDArray mean, NDArray logVariance) {
        return Scalars.times(mean.square().add(logVariance.exp()).sub(logVariance).sub(1), 0.5).mean();
    }

    /** Mean squared error, the VAE branch's reconstruction term. */
    public static NDArray meanSquaredError(NDArray reconstruction, NDArray input) {
        return reconstruction.sub(input).square().mean();
    }
}
