package org.volseg.nn.engines;

import org.volseg.core.sampling.ClassBalancedPatchSampler;
import org.volseg.core.sampling.PatchSize;

/**
 * Everything that shapes a patch-based training run, in one value: a checkpoint stores it and is resumed only
 * under the very same settings, since changing any of them (the schedule's length, the seed) would silently make
 * the resumed run a different one. Defaults follow nnU-Net where it has one.
 *
 * @param patch                 training patch (x, y, z voxels); validation windows are the same size
 * @param epochs                epochs to train, at least 1
 * @param stepsPerEpoch         optimizer steps per epoch, at least 1 (nnU-Net: 250)
 * @param batchSize             patches per step, at least 1 (fed one at a time, gradients averaged)
 * @param optimizer             the optimizer
 * @param learningRate          peak learning rate, positive
 * @param weightDecay           weight decay, ≥ 0 (L2 for ADAM and SGD_NESTEROV, decoupled for ADAMW)
 * @param schedule              the learning-rate curve over all steps
 * @param warmupSteps           steps of linear warm-up, 0 to epochs · stepsPerEpoch
 * @param foregroundShare       share of patches centred on a foreground voxel, 0 to 1 (nnU-Net: ⅓)
 * @param augment               whether patches are flipped, turned by 90° in the x–y plane (when the patch is square
 *                              there), and changed in brightness, contrast (gamma) and noise
 * @param validateEvery         validate every this many epochs (and after the last), at least 1
 * @param validationOverlap     sliding-window overlap for validation, in [0, 1)
 * @param earlyStoppingPatience stop after this many validations without a better mean Dice; 0 = never stop early
 * @param checkpointEvery       write the checkpoint every this many epochs; 0 = only at the end and on cancel
 * @param seed                  the seed of every random choice (patches, augmentation, stochastic layers)
 */
public record TrainingSettings(PatchSize patch, int epochs, int stepsPerEpoch, int batchSize,
        Optimizer.Kind optimizer, double learningRate, double weightDecay, LearningRateSchedule.Kind schedule,
        int warmupSteps, double foregroundShare, boolean augment, int validateEvery, double validationOverlap,
        int earlyStoppingPatience, int checkpointEvery, long seed) {

    public TrainingSettings {
        if (patch == null) {
            throw new IllegalArgumentException("patch is required (x, y, z voxels, each at least 1)");
        }
        atLeast("epochs", epochs, 1);
        atLeast("stepsPerEpoch", stepsPerEpoch, 1);
        atLeast("batchSize", batchSize, 1);
        if (optimizer == null) {
            throw new IllegalArgumentException("optimizer is required (ADAM, ADAMW or SGD_NESTEROV)");
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be positive and finite, got " + learningRate);
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("weightDecay must be finite and ≥ 0, got " + weightDecay);
        }
        if (schedule == null) {
            throw new IllegalArgumentException("schedule is required (POLY, COSINE or CONSTANT)");
        }
        long total = (long) epochs * stepsPerEpoch;
        if (warmupSteps < 0 || warmupSteps > total) {
            throw new IllegalArgumentException("warmupSteps must be in 0.." + total
                    + " (epochs × stepsPerEpoch), got " + warmupSteps);
        }
        if (!(foregroundShare >= 0 && foregroundShare <= 1)) {
            throw new IllegalArgumentException("foregroundShare must be in 0..1, got " + foregroundShare);
        }
        atLeast("validateEvery", validateEvery, 1);
        if (!(validationOverlap >= 0 && validationOverlap < 1)) {
            throw new IllegalArgumentException("validationOverlap must be in [0, 1), got " + validationOverlap);
        }
        atLeast("earlyStoppingPatience", earlyStoppingPatience, 0);
        atLeast("checkpointEvery", checkpointEvery, 0);
    }

    private static void atLeast(String name, int value, int minimum) {
        if (value < minimum) {
            throw new IllegalArgumentException(name + " must be at least " + minimum + ", got " + value);
        }
    }

    /**
     * nnU-Net's recipe where it has one (SGD with Nesterov momentum 0.99, learning rate 0.01 decaying by poly,
     * weight decay 3e-5, ⅓ foreground patches, 250 steps an epoch, overlap 0.5, augmentation on), sized for a CPU:
     * 64³ patches, 100 epochs, batch 1, validation and checkpoint every 5 epochs, no early stopping, seed 42.
     */
    public static TrainingSettings defaults() {
        return new TrainingSettings(PatchSize.cube(64), 100, 250, 1, Optimizer.Kind.SGD_NESTEROV, 0.01, 3e-5,
                LearningRateSchedule.Kind.POLY, 0, ClassBalancedPatchSampler.DEFAULT_FOREGROUND_SHARE, true, 5,
                0.5, 0, 5, 42);
    }

    /** All optimizer steps of the run. */
    public long totalSteps() {
        return (long) epochs * stepsPerEpoch;
    }

    /** The learning-rate schedule these settings describe. */
    public LearningRateSchedule learningRateSchedule() {
        return new LearningRateSchedule(schedule, learningRate, totalSteps(), warmupSteps);
    }

    public TrainingSettings withPatch(PatchSize value) {
        return new TrainingSettings(value, epochs, stepsPerEpoch, batchSize, optimizer, learningRate, weightDecay,
                schedule, warmupSteps, foregroundShare, augment, validateEvery, validationOverlap,
                earlyStoppingPatience, checkpointEvery, seed);
    }

    public TrainingSettings withEpochs(int value) {
        return new TrainingSettings(patch, value, stepsPerEpoch, batchSize, optimizer, learningRate, weightDecay,
                schedule, warmupSteps, foregroundShare, augment, validateEvery, validationOverlap,
                earlyStoppingPatience, checkpointEvery, seed);
    }

    public TrainingSettings withStepsPerEpoch(int value) {
        return new TrainingSettings(patch, epochs, value, batchSize, optimizer, learningRate, weightDecay,
                schedule, warmupSteps, foregroundShare, augment, validateEvery, validationOverlap,
                earlyStoppingPatience, checkpointEvery, seed);
    }

    public TrainingSettings withBatchSize(int value) {
        return new TrainingSettings(patch, epochs, stepsPerEpoch, value, optimizer, learningRate, weightDecay,
                schedule, warmupSteps, foregroundShare, augment, validateEvery, validationOverlap,
                earlyStoppingPatience, checkpointEvery, seed);
    }

    public TrainingSettings withOptimizer(Optimizer.Kind value, double learningRateValue, double weightDecayValue) {
        return new TrainingSettings(patch, epochs, stepsPerEpoch, batchSize, value, learningRateValue,
                weightDecayValue, schedule, warmupSteps, foregroundShare, augment, validateEvery, validationOverlap,
                earlyStoppingPatience, checkpointEvery, seed);
    }

    public TrainingSettings withSchedule(LearningRateSchedule.Kind value, int warmupStepsValue) {
        return new TrainingSettings(patch, epochs, stepsPerEpoch, batchSize, optimizer, learningRate, weightDecay,
                value, warmupStepsValue, foregroundShare, augment, validateEvery, validationOverlap,
                earlyStoppingPatience, checkpointEvery, seed);
    }

    public TrainingSettings withForegroundShare(double value) {
        return new TrainingSettings(patch, epochs, stepsPerEpoch, batchSize, optimizer, learningRate, weightDecay,
                schedule, warmupSteps, value, augment, validateEvery, validationOverlap, earlyStoppingPatience,
                checkpointEvery, seed);
    }

    public TrainingSettings withAugment(boolean value) {
        return new TrainingSettings(patch, epochs, stepsPerEpoch, batchSize, optimizer, learningRate, weightDecay,
                schedule, warmupSteps, foregroundShare, value, validateEvery, validationOverlap,
                earlyStoppingPatience, checkpointEvery, seed);
    }

    public TrainingSettings withValidation(int everyEpochs, double overlap, int patience) {
        return new TrainingSettings(patch, epochs, stepsPerEpoch, batchSize, optimizer, learningRate, weightDecay,
                schedule, warmupSteps, foregroundShare, augment, everyEpochs, overlap, patience, checkpointEvery,
                seed);
    }

    public TrainingSettings withCheckpointEvery(int value) {
        return new TrainingSettings(patch, epochs, stepsPerEpoch, batchSize, optimizer, learningRate, weightDecay,
                schedule, warmupSteps, foregroundShare, augment, validateEvery, validationOverlap,
                earlyStoppingPatience, value, seed);
    }

    public TrainingSettings withSeed(long value) {
        return new TrainingSettings(patch, epochs, stepsPerEpoch, batchSize, optimizer, learningRate, weightDecay,
                schedule, warmupSteps, foregroundShare, augment, validateEvery, validationOverlap,
                earlyStoppingPatience, checkpointEvery, value);
    }
}
