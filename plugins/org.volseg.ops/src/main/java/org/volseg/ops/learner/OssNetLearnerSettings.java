package org.volseg.ops.learner;

import java.nio.file.Path;
import org.volseg.core.data.Splits;
import org.volseg.core.transforms.Preprocessing;
import org.volseg.core.transforms.TargetSpacing;
import org.volseg.nn.engine.Compute;
import org.volseg.nn.ossnet.OssNetConfig;
import org.volseg.ops.api.Setting;

/**
 * @param variant          which network
 * @param widths           the encoder blocks' widths, comma-separated
 * @param labels           foreground (every non-zero label one class) or each (a class per label value)
 * @param points           points per case per step
 * @param borderShare      share of them drawn near label borders
 * @param bandRadius       how far from a border the band reaches (voxels)
 * @param epochs           epochs (passes over the training cases)
 * @param batchSize        cases per step
 * @param learningRate     RAdam's base learning rate
 * @param augment          the reference's augmentation
 * @param validationShare  share of the cases held out
 * @param crossValidation which fold of a k-fold cross-validation to train, or none
 * @param validateEvery    validate every this many epochs
 * @param validationPoints points per validation case for the point-sampled Dice and IoU
 * @param seed             the seed of everything random
 * @param spacing          the spacing to resample to: keep, auto, or mm
 * @param normalization    intensity normalisation per case
 * @param modelFile        where the bundle goes
 * @param device           where the network trains
 */
public record OssNetLearnerSettings(
        @Setting(key = "variant", label = "Variant", defaultValue = "c",
                description = "o-net: the occupancy network baseline (a global latent code only). a: with each "
                        + "point's 7³ patch. b: also a 14³ mid-range patch. c: a skip encoder (a latent per decoder "
                        + "block) with an auxiliary low-resolution segmentation, which also guides fast inference "
                        + "(the paper's best). d: c with the mid-range patch.")
        OssNetConfig.Variant variant,
        @Setting(key = "widths", label = "Encoder widths", defaultValue = "16,32,64,128",
                description = "Channels of the encoder's residual blocks, comma-separated (the reference's BraTS "
                        + "encoder). Each block halves the grid; the network's grid is the smallest multiple of 2 "
                        + "per block, times 2, that holds every case, and each case is centred in it.")
        String widths,
        @Setting(key = "labels", label = "Labels", defaultValue = "foreground", choices = {"foreground", "each"},
                description = "foreground: every non-zero label is one class, the foreground (the paper's binary "
                        + "task, BraTS's whole tumour). each: every label value of the training labels is its own "
                        + "class, with one sigmoid output per class on the shared network (a voxel takes the class "
                        + "of largest probability above 0.5, else background); border points then lie along every "
                        + "class boundary.")
        String labels,
        @Setting(key = "points", label = "Points per case", defaultValue = "16384", min = 16, max = 1048576,
                description = "Query points drawn from each case at each step (the reference: 2^14). Memory and "
                        + "time per step grow with them, not with the image's resolution.", tab = "Training")
        int points,
        @Setting(key = "border_share", label = "Border share", defaultValue = "0.5", min = 0, max = 1,
                description = "Share of the points drawn within Band radius of a label border, the rest uniform "
                        + "(the reference: 0 for BraTS, 0.5 for LiTS); as the OSS-Net Point Sampler node shows them.",
                tab = "Training")
        double borderShare,
        @Setting(key = "band_radius", label = "Band radius (voxels)", defaultValue = "6", min = 0, max = 64,
                description = "How far from a label border the border band reaches.", tab = "Training")
        double bandRadius,
        @Setting(key = "epochs", label = "Epochs", defaultValue = "50", min = 1, max = 100000,
                description = "Passes over the training cases; the learning rate is divided by 10 at 40 % and "
                        + "again at 60 % of them (the reference's 20 and 30 of 50).", tab = "Training")
        int epochs,
        @Setting(key = "batch_size", label = "Batch size", defaultValue = "2", min = 1, max = 64,
                description = "Cases per step (the reference: 8 for BraTS on two GPUs); the last incomplete batch "
                        + "of an epoch is dropped.", tab = "Training")
        int batchSize,
        @Setting(key = "learning_rate", label = "Learning rate", defaultValue = "0.0003", min = 1e-7, max = 1,
                description = "RAdam's learning rate inside Lookahead (k 5, α 0.8); the Padé activations' "
                        + "coefficients learn 33 times faster (1e-2 at the default).", tab = "Training")
        double learningRate,
        @Setting(key = "augment", label = "Augmentation", defaultValue = "true",
                description = "The reference's augmentation, each with probability 0.5: flips along x and/or y, a "
                        + "brightness shift of up to 15 % of the maximum, Gaussian noise of σ 0.15.",
                tab = "Training")
        boolean augment,
        @Setting(key = "validation_share", label = "Validation share", defaultValue = "0.2", min = 0, max = 0.9,
                description = "Share of the cases held out (by seed); 0 trains on all cases without validation and "
                        + "keeps the last epoch.", tab = "Validation")
        double validationShare,
        @Setting(key = "cross_validation_fold", label = "Cross-validation fold", defaultValue = "none",
                tab = "Validation", description = SegmenterLearnerSettings.CROSS_VALIDATION)
        Splits.CrossValidation crossValidation,
        @Setting(key = "validate_every", label = "Validate every (epochs)", defaultValue = "5", min = 1,
                max = 100000, description = "Validation interval (and after the last epoch); the epoch with the "
                        + "best point-sampled IoU is kept, as the reference does.", tab = "Validation")
        int validateEvery,
        @Setting(key = "validation_points", label = "Validation points", defaultValue = "131072", min = 16,
                max = 16777216, description = "Uniform points per validation case for the paper's point-sampled "
                        + "Dice and IoU (the reference: 2^17); the history's Dice is on the whole image.",
                tab = "Validation")
        int validationPoints,
        @Setting(key = "seed", label = "Seed", defaultValue = "42", min = 0, max = 2147483647,
                description = "Seeds the split, the initial weights, points, batches and augmentation.",
                tab = "Training")
        int seed,
        @Setting(key = "spacing", label = "Resample to (mm)", defaultValue = "keep", tab = "Preprocessing",
                description = SegmenterLearnerSettings.SPACING)
        TargetSpacing spacing,
        @Setting(key = "normalization", label = "Intensity normalisation", defaultValue = "zscore",
                description = "zscore: per case and channel over the whole image (the reference's); "
                        + "zscore-nonzero: over the non-zero voxels; none: as they are.", tab = "Preprocessing")
        Preprocessing.Normalization normalization,
        @Setting(key = "model_file", label = "Model file", defaultValue = "", widget = Setting.Widget.FILE,
                description = "Where the trained model bundle (.volseg) is written; blank for a new folder in the "
                        + "system's temporary directory. A checkpoint beside it (<file>.checkpoint) lets a run that "
                        + "was cancelled or crashed resume from its last finished epoch (same settings and data).")
        Path modelFile,
        @Setting(key = "device", label = "Device", defaultValue = "auto", description = SegmenterLearnerSettings.DEVICE)
        Compute device) {
}
