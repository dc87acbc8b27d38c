package org.volseg.ops.learner;

import java.nio.file.Path;
import org.volseg.core.data.Splits;
import org.volseg.core.transforms.Preprocessing;
import org.volseg.core.transforms.TargetSpacing;
import org.volseg.nn.engine.Compute;
import org.volseg.nn.engines.Optimizer;
import org.volseg.nn.networks.Architecture;
import org.volseg.ops.api.InvalidSettingsException;
import org.volseg.ops.api.Setting;

/**
 * @param architecture   which network
 * @param vae            the VAE regulariser branch during training
 * @param widths         channels per level, comma-separated
 * @param blocksPerLevel residual or coupling blocks per level
 * @param patchSize      training patch edge (voxels)
 * @param epochs         epochs
 * @param stepsPerEpoch  steps (patches) per epoch
 * @param optimizer      the optimiser
 * @param learningRate   initial learning rate
 * @param validationShare share of the cases held out for validation
 * @param crossValidation which fold of a k-fold cross-validation to train, or none
 * @param seed           the seed of everything random
 * @param spacing        the spacing to resample to: keep, auto, or mm
 * @param normalization  intensity normalisation per case
 * @param cropToNonzero  crop each case to its non-zero box first
 * @param modelFile      where the bundle goes
 * @param device         where the network trains
 */
public record SegmenterLearnerSettings(
        @Setting(key = "architecture", label = "Architecture", defaultValue = "fully-invres",
                description = "unet3d: the residual 3D U-Net baseline. partially-invres: its blocks made invertible "
                        + "(additive coupling), about half the activation memory. fully-invres: down- and upsampling "
                        + "invertible too, memory that no longer grows with depth (needs a first width of at least "
                        + "16: an invertible level cannot add channels). strided-unet3d: MONAI's UNet layout (strided "
                        + "residual units down, transposed convolutions up, no full-resolution level), for comparisons "
                        + "with MONAI and where speed matters more than fine detail.")
        Architecture architecture,
        @Setting(key = "vae", label = "VAE branch", defaultValue = "false",
                description = "Train with a variational auto-encoder branch from the bottleneck that reconstructs the "
                        + "input (regularises small datasets; loss weights 0.1 L2 + 0.1 KL). Dropped from the "
                        + "saved model.")
        boolean vae,
        @Setting(key = "widths", label = "Widths", defaultValue = "16,32,64,128",
                description = "Channels per resolution level, comma-separated, coarsest last (one level per "
                        + "halving of the patch).")
        String widths,
        @Setting(key = "blocks_per_level", label = "Blocks per level", defaultValue = "2", min = 1, max = 16,
                description = "Residual (UNet3d) or coupling (InvRes) blocks at each level of encoder and decoder.")
        int blocksPerLevel,
        @Setting(key = "patch_size", label = "Patch size (voxels)", defaultValue = "64", min = 8, max = 512,
                description = "Edge of the cubic training patches; divisible by 2 per level below the first. "
                        + "Prediction slides a window of the same size.")
        int patchSize,
        @Setting(key = "epochs", label = "Epochs", defaultValue = "50", min = 1, max = 100000,
                description = "Training epochs; the model is validated every fifth of them and at the end.",
                tab = "Training")
        int epochs,
        @Setting(key = "steps_per_epoch", label = "Steps per epoch", defaultValue = "50", min = 1, max = 100000,
                description = "Patches (steps of batch 1) per epoch.", tab = "Training")
        int stepsPerEpoch,
        @Setting(key = "optimizer", label = "Optimizer", defaultValue = "sgd-nesterov",
                description = "sgd-nesterov (momentum 0.99, nnU-Net's), adam or adamw; weight decay 3e-5.",
                tab = "Training")
        Optimizer.Kind optimizer,
        @Setting(key = "learning_rate", label = "Learning rate", defaultValue = "0.01", min = 1e-7, max = 10,
                description = "Initial learning rate, decayed polynomially to 0 over the run.", tab = "Training")
        double learningRate,
        @Setting(key = "validation_share", label = "Validation share", defaultValue = "0.2", min = 0, max = 0.9,
                description = "Share of the cases held out (by seed) and segmented whole to measure the Dice; 0 "
                        + "trains on all cases without validation.", tab = "Training")
        double validationShare,
        @Setting(key = "cross_validation_fold", label = "Cross-validation fold", defaultValue = "none",
                tab = "Training", description = SegmenterLearnerSettings.CROSS_VALIDATION)
        Splits.CrossValidation crossValidation,
        @Setting(key = "seed", label = "Seed", defaultValue = "42", min = 0, max = 2147483647,
                description = "Seeds the split, the network's initial weights, patch sampling and augmentation: the "
                        + "same seed on the same data gives the same model on a CPU.", tab = "Training")
        int seed,
        @Setting(key = "spacing", label = "Resample to (mm)", defaultValue = "keep", tab = "Preprocessing",
                description = SegmenterLearnerSettings.SPACING)
        TargetSpacing spacing,
        @Setting(key = "normalization", label = "Intensity normalisation", defaultValue = "zscore",
                description = "zscore: per case and channel over the whole image (nnU-Net's for MR); "
                        + "zscore-nonzero: over the non-zero voxels (skull-stripped images); none: as they are.",
                tab = "Preprocessing")
        Preprocessing.Normalization normalization,
        @Setting(key = "crop_to_nonzero", label = "Crop to non-zero", defaultValue = "false", tab = "Preprocessing",
                description = "Crop each case to the box of its voxels that are non-zero in any channel before "
                        + "everything else, as nnU-Net does: less to train on and to predict for skull-stripped "
                        + "brains or CT with air set to 0; outside the box the prediction is background. Images "
                        + "with noise in their background have no zero voxels, and nothing is cropped.")
        boolean cropToNonzero,
        @Setting(key = "model_file", label = "Model file", defaultValue = "", widget = Setting.Widget.FILE,
                description = "Where the trained model bundle (.volseg) is written; blank for a new folder in the "
                        + "system's temporary directory. A checkpoint beside it (<file>.checkpoint) lets a run "
                        + "that was cancelled or crashed resume where it stopped (same settings and data).")
        Path modelFile,
        @Setting(key = "device", label = "Device", defaultValue = "auto", description = DEVICE)
        Compute device) {

    /** The device setting's description, shared by every node that runs a network. */
    /** What the learners' spacing setting does. */
    public static final String SPACING = "keep: each image's own spacing; auto: planned from the labeled cases as "
            + "nnU-Net does (the median spacing per axis, and the 10th percentile on an axis of thick slices), "
            + "reported when training starts; or a size in mm for isotropic voxels (1.5), or three for x, y, z "
            + "(0.8,0.8,3). Prediction resamples the same way and takes the labels back to each image's own grid.";

    /** What the learners' cross_validation_fold setting does. */
    public static final String CROSS_VALIDATION = "none: hold out Validation share of the cases; i/k (such as 0/5): "
            + "cut the cases into k folds by their ids alone and validate on fold i, training on the others "
            + "(Validation share is then unused). k learners with folds 0/k to (k-1)/k validate on every case once "
            + "whatever their seeds, and the Predictor can average their models (Ensemble with), as nnU-Net does with "
            + "its five folds.";

    public static final String DEVICE = "auto: the first GPU PyTorch can use, else the CPU (the progress, the node's "
            + "log and the output say which, and why not a GPU; in prediction, a case that runs the GPU out of "
            + "memory even with half the batch runs on the CPU, and its device column says so); cpu; gpu: the first "
            + "GPU, gpu:N the GPU numbered N (from 0), or stop with the reason there is none; gpu:N,M (prediction "
            + "only): each window batch spread over those GPUs. GPU use needs a CUDA build of libtorch (README, GPU).";

    /** The device(s) chosen, resolved on this machine, or the reason they cannot be (prediction). */
    public static Compute.Resolved resolve(Compute device) throws InvalidSettingsException {
        try {
            return device.resolve();
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingsException("Device (device): " + e.getMessage());
        }
    }

    /** The one device chosen for training, resolved on this machine, or the reason it cannot be. */
    public static Compute.Resolved resolveForTraining(Compute device) throws InvalidSettingsException {
        try {
            return device.resolveOne();
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingsException("Device (device): " + e.getMessage());
        }
    }
}
