package org.volseg.nn.engines;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import org.volseg.core.sampling.ClassBalancedPatchSampler;
import org.volseg.core.sampling.PatchBox;
import org.volseg.core.sampling.PatchSampler;
import org.volseg.core.sampling.PatchSize;
import org.volseg.core.sampling.Patches;
import org.volseg.core.sampling.UniformPatchSampler;
import org.volseg.core.transforms.ImageAndLabels;
import org.volseg.core.transforms.RandomFlip;
import org.volseg.core.transforms.RandomGamma;
import org.volseg.core.transforms.RandomGaussianNoise;
import org.volseg.core.transforms.RandomGeometricTransform;
import org.volseg.core.transforms.RandomIntensityTransform;
import org.volseg.core.transforms.RandomRotate90;
import org.volseg.core.transforms.RandomScaleShift;
import org.volseg.core.volume.LabelMap;
import org.volseg.core.volume.Volume;
import org.volseg.nn.engine.DjlContext;
import org.volseg.nn.engine.GradMode;
import org.volseg.nn.engine.Monitor;
import org.volseg.nn.engine.NamedArrays;
import org.volseg.nn.inferers.SlidingWindow;

/**
 * Patch-based training of a {@link Trainable} (nnU-Net's loop): each step draws a batch of patches with
 * {@link ClassBalancedPatchSampler}, augments them, runs the network's forward and backward pass and updates the
 * parameters along a {@link LearningRateSchedule}; whole validation cases are segmented by {@link SlidingWindow} to
 * follow the Dice and stop early. Every random choice of a step comes from a generator seeded by the run's seed and
 * the global step alone, so a run is reproducible and a resumed run continues exactly as the uninterrupted one would
 * have: the checkpoint needs parameters, optimizer state and history, never a generator's state.
 *
 * <p>A batch is fed to the network one patch at a time (N = 1), the gradients accumulated and averaged: the same
 * gradient as the whole batch at once for networks without batch statistics (instance or group normalisation) whose
 * loss averages over samples, as nnU-Net's does, at the memory of one patch.
 */
public final class Trainer {

    /** nnU-Net's augmentation chances and ranges, for patches already normalised. */
    private static final RandomFlip FLIP = new RandomFlip(0.5);
    private static final RandomRotate90 ROTATE_XY = new RandomRotate90(0.5, 0, 1);
    private static final RandomIntensityTransform SCALE_SHIFT = new RandomScaleShift(0.15, 0.75, 1.25, -0.1, 0.1);
    private static final RandomIntensityTransform GAMMA = new RandomGamma(0.3, 0.7, 1.5);
    private static final RandomIntensityTransform NOISE = new RandomGaussianNoise(0.1, 0.1);

    public Trainer() {
    }

    /**
     * Trains {@code net}, or resumes the run saved in {@code checkpoint}, and leaves the final parameters in the
     * network.
     *
     * @param net         the network; its parameters are updated in place
     * @param training    cases patches are drawn from (uniformly, then a patch by the class-balanced sampler)
     * @param validation  cases segmented whole to compute the Dice; may be empty (no validation)
     * @param labelValues the label value of each class: class k is value {@code labelValues[k]}, class 0 the
     *                    background (value 0); as many as the network has classes
     * @param settings    how to train
     * @param checkpoint  where to keep the run's state, or null for none. When the file exists it is resumed (a
     *                    finished run is just returned); a checkpoint of other settings, label values or network
     *                    is refused. Written every {@code checkpointEvery} epochs, at the end, and on cancel.
     * @param monitor     told the progress after each step; asked before each step (and each validation window)
     *                    whether to stop
     * @param onEpoch     told each epoch's record as it ends; may be null
     * @return the history, best epoch and whether the run stopped early
     * @throws CancellationException when the monitor cancels (after the checkpoint is written)
     * @throws IllegalArgumentException when the cases, label values or checkpoint do not fit the network and the
     *                                  settings; the message says which
     * @throws IOException when the checkpoint cannot be read or written
     */
    public TrainingResult train(Trainable net, List<TrainingCase> training, List<TrainingCase> validation,
            int[] labelValues, TrainingSettings settings, Path checkpoint, Monitor monitor,
            Consumer<EpochRecord> onEpoch) throws IOException {
        return train(net, training, List.of(), validation, labelValues, settings, checkpoint, monitor, onEpoch);
    }

    /**
     * Semi-supervised training: as {@link #train(Trainable, List, List, int[], TrainingSettings, Path, Monitor,
     * Consumer)}, and when {@code unlabeled} images are given every other patch of the run (half of each even
     * batch) is drawn uniformly from them and fed to {@link Trainable#stepUnlabeled}.
     */
    public TrainingResult train(Trainable net, List<TrainingCase> training, List<Volume> unlabeled,
            List<TrainingCase> validation, int[] labelValues, TrainingSettings settings, Path checkpoint,
            Monitor monitor, Consumer<EpochRecord> onEpoch) throws IOException {
        Objects.requireNonNull(net, "net");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(monitor, "monitor");
        Objects.requireNonNull(labelValues, "labelValues");
        Run run = new Run(net, List.copyOf(training), List.copyOf(unlabeled), List.copyOf(validation),
                labelValues.clone(), settings, checkpoint, monitor, onEpoch == null ? record -> { } : onEpoch);
        try {
            return DjlContext.call(() -> {
                try {
                    return run.train();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** One training run: its inputs and where it stands. */
    private static final class Run {

        private final Trainable net;
        private final List<TrainingCase> training;
        private final List<Volume> unlabeled;
        private final List<TrainingCase> validation;
        private final int[] labelValues;
        private final int[] classOfLabel;
        private final TrainingSettings settings;
        private final LearningRateSchedule schedule;
        private final Path checkpoint;
        private final Monitor monitor;
        private final Consumer<EpochRecord> onEpoch;
        private final List<NDArray> parameters;
        private final NDManager manager;
        private final int channels;
        /** The trailing channels of the training images that are guidance ({@link Trainable#guidanceChannels}). */
        private final int guidance;
        /** What each channel of a patch holds outside its case: 0 for the image, the network's for guidance. */
        private final float[] padValues;

        private final List<EpochRecord> history = new ArrayList<>();
        private int stepsInEpoch;
        private double epochLossSum;
        private final Map<String, Double> epochTermSums = new LinkedHashMap<>();
        private final Map<String, Integer> epochTermSteps = new LinkedHashMap<>();
        private double epochSeconds;
        private double epochLearningRate;
        private int bestEpoch;
        private double bestMeanDice = Double.NaN;
        private int validationsWithoutImprovement;
        private boolean stoppedEarly;
        /** When the work on the current epoch last (re)started in this session. */
        private long epochClock;

        Run(Trainable net, List<TrainingCase> training, List<Volume> unlabeled, List<TrainingCase> validation,
                int[] labelValues, TrainingSettings settings, Path checkpoint, Monitor monitor,
                Consumer<EpochRecord> onEpoch) {
            this.net = net;
            this.training = training;
            this.unlabeled = unlabeled;
            this.validation = validation;
            this.labelValues = labelValues;
            this.settings = settings;
            this.schedule = settings.learningRateSchedule();
            this.checkpoint = checkpoint;
            this.monitor = monitor;
            this.onEpoch = onEpoch;
            this.parameters = List.copyOf(net.parameters());
            if (parameters.isEmpty()) {
                throw new IllegalArgumentException("the network has no parameters to train");
            }
            Set<String> names = new HashSet<>();
            for (NDArray p : parameters) {
                if (p.getName() == null || p.getName().isEmpty() || !names.add(p.getName())) {
                    throw new IllegalArgumentException("every parameter needs a unique name (checkpoints store them "
                            + "by name); found " + (p.getName() == null ? "an unnamed one" : "'" + p.getName()
                            + "' twice"));
                }
            }
            this.manager = parameters.get(0).getManager();
            this.classOfLabel = classLookup(labelValues, net.classes());
            if (training.isEmpty()) {
                throw new IllegalArgumentException("no training cases");
            }
            this.channels = training.get(0).image().channelCount();
            this.guidance = net.guidanceChannels();
            if (guidance < 0 || guidance >= channels) {
                throw new IllegalArgumentException("case '" + training.get(0).id() + "' has " + channels
                        + " channel(s), " + guidance + " of them meant as guidance; the image needs at least one");
            }
            this.padValues = new float[channels];
            float[] outside = net.guidanceOutside();
            if (outside.length != guidance) {
                throw new IllegalStateException(outside.length + " outside values for " + guidance
                        + " guidance channel(s)");
            }
            System.arraycopy(outside, 0, padValues, channels - guidance, guidance);
            List<TrainingCase> all = new ArrayList<>(training);
            all.addAll(validation);
            for (int i = 0; i < all.size(); i++) {
                TrainingCase c = all.get(i);
                // validation images are segmented as the network will see images: without the guidance channels
                int expected = i < training.size() ? channels : channels - guidance;
                if (c.image().channelCount() != expected) {
                    throw new IllegalArgumentException("case '" + c.id() + "' has " + c.image().channelCount()
                            + " channel(s), case '" + training.get(0).id() + "' " + channels
                            + (guidance == 0 ? "" : " (" + guidance + " of them guidance, which validation cases "
                                    + "come without)") + "; every case needs the same channels");
                }
                long[] histogram = c.labels().histogram();
                for (int value = 0; value < histogram.length; value++) {
                    if (histogram[value] > 0 && (value >= classOfLabel.length || classOfLabel[value] < 0)) {
                        throw new IllegalArgumentException("case '" + c.id() + "' has label " + value
                                + ", which is not among the label values " + Arrays.toString(labelValues));
                    }
                }
            }
            for (int u = 0; u < unlabeled.size(); u++) {
                if (unlabeled.get(u).channelCount() != channels) {
                    throw new IllegalArgumentException("unlabeled image " + (u + 1) + " has "
                            + unlabeled.get(u).channelCount() + " channel(s), the training cases " + channels
                            + "; every image needs the same channels");
                }
            }
        }

        /** Class index of each label value, −1 for values that are no class. */
        private static int[] classLookup(int[] labelValues, int classes) {
            if (labelValues.length != classes) {
                throw new IllegalArgumentException(labelValues.length + " label values for a network of " + classes
                        + " classes; give one label value per class");
            }
            if (classes < 2 || labelValues[0] != 0) {
                throw new IllegalArgumentException("label values start with the background, 0, and name at least one"
                        + " foreground class; got " + Arrays.toString(labelValues));
            }
            int max = Arrays.stream(labelValues).max().getAsInt();
            if (Arrays.stream(labelValues).anyMatch(v -> v < 0)) {
                throw new IllegalArgumentException("label values are non-negative; got "
                        + Arrays.toString(labelValues));
            }
            int[] lookup = new int[max + 1];
            Arrays.fill(lookup, -1);
            for (int k = 0; k < labelValues.length; k++) {
                if (lookup[labelValues[k]] >= 0) {
                    throw new IllegalArgumentException("label value " + labelValues[k] + " is given twice in "
                            + Arrays.toString(labelValues));
                }
                lookup[labelValues[k]] = k;
            }
            return lookup;
        }

        TrainingResult train() throws IOException {
            try (Optimizer optimizer = Optimizer.create(settings.optimizer(), parameters, settings.weightDecay())) {
                if (checkpoint != null && Files.exists(checkpoint)) {
                    resume(optimizer);
                }
                if (finished()) {
                    return result();
                }
                List<PatchSampler> samplers = new ArrayList<>(training.size());
                int[] foreground = Arrays.copyOfRange(labelValues, 1, labelValues.length);
                for (TrainingCase c : training) {
                    samplers.add(new ClassBalancedPatchSampler(c.labels(), settings.patch(),
                            settings.foregroundShare(), foreground));
                }
                for (Volume image : unlabeled) {
                    samplers.add(new UniformPatchSampler(image.geometry(), settings.patch()));
                }
                try {
                    optimizer.zeroGradients();
                    long lastWritten = -1;
                    while (!finished()) {
                        epoch(optimizer, samplers);
                        int epoch = history.size();
                        if (settings.checkpointEvery() > 0 && epoch % settings.checkpointEvery() == 0) {
                            save(optimizer);
                            lastWritten = epoch;
                        }
                    }
                    if (lastWritten != history.size()) {
                        save(optimizer);
                    }
                } catch (CancellationException e) {
                    try {
                        save(optimizer);
                    } catch (IOException | RuntimeException failure) {
                        e.addSuppressed(failure);
                    }
                    throw e;
                }
                return result();
            }
        }

        private boolean finished() {
            return stoppedEarly || history.size() >= settings.epochs();
        }

        private TrainingResult result() {
            return new TrainingResult(history, bestEpoch, bestMeanDice, stoppedEarly);
        }

        /** Trains the rest of the current epoch, validates when due, and records it. */
        private void epoch(Optimizer optimizer, List<PatchSampler> samplers) {
            int epoch = history.size() + 1;
            int steps = settings.stepsPerEpoch();
            epochClock = System.nanoTime();
            while (stepsInEpoch < steps) {
                monitor.checkCanceled();
                long global = (long) (epoch - 1) * steps + stepsInEpoch;
                double lr = schedule.at(global);
                if (stepsInEpoch == 0) {
                    epochLearningRate = lr;
                }
                double loss = step(global, samplers);
                if (!Double.isFinite(loss)) {
                    throw new IllegalStateException("the training loss is " + loss + " at epoch " + epoch
                            + ", step " + (stepsInEpoch + 1) + " (learning rate " + lr + "): training diverged; "
                            + "lower the learning rate or check the images' normalisation");
                }
                optimizer.step(lr);
                optimizer.zeroGradients();
                epochLossSum += loss;
                stepsInEpoch++;
                monitor.progress((double) (global + 1) / settings.totalSteps(), String.format(Locale.ROOT,
                        "epoch %d/%d, step %d/%d, loss %.4f", epoch, settings.epochs(), stepsInEpoch, steps,
                        epochLossSum / stepsInEpoch));
            }
            Map<Integer, Double> dice = Map.of();
            double meanDice = Double.NaN;
            if (!validation.isEmpty() && (epoch % settings.validateEvery() == 0 || epoch == settings.epochs())) {
                dice = validate(epoch);
                meanDice = dice.values().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            }
            Map<String, Double> terms = new LinkedHashMap<>();
            epochTermSums.forEach((name, sum) -> terms.put(name, sum / epochTermSteps.get(name)));
            EpochRecord record = new EpochRecord(epoch, epochLossSum / steps, dice, meanDice, epochLearningRate,
                    secondsSoFar(), org.volseg.nn.engine.ProcessMemory.peakBytes(), terms);
            history.add(record);
            stepsInEpoch = 0;
            epochLossSum = 0;
            epochTermSums.clear();
            epochTermSteps.clear();
            epochSeconds = 0;
            epochClock = System.nanoTime();
            if (record.validated()) {
                if (bestEpoch == 0 || meanDice > bestMeanDice) {
                    bestEpoch = epoch;
                    bestMeanDice = meanDice;
                    validationsWithoutImprovement = 0;
                } else {
                    validationsWithoutImprovement++;
                    int patience = settings.earlyStoppingPatience();
                    stoppedEarly = patience > 0 && validationsWithoutImprovement >= patience
                            && epoch < settings.epochs();
                }
            }
            onEpoch.accept(record);
        }

        private double secondsSoFar() {
            return epochSeconds + (System.nanoTime() - epochClock) / 1e9;
        }

        /**
         * One optimizer step's forward and backward passes on a freshly drawn batch, patch by patch; leaves the
         * batch's mean gradient and returns its mean loss. With unlabeled images, patch b of global step s is
         * unlabeled when s · batch + b is odd.
         */
        private double step(long global, List<PatchSampler> samplers) {
            SplittableRandom random = stepRandom(settings.seed(), global);
            PatchSize patch = settings.patch();
            int batch = settings.batchSize();
            int voxels = patch.voxels();
            int classes = labelValues.length;
            float[][] images = new float[batch][Math.multiplyExact(channels, voxels)];
            float[][] targets = new float[batch][Math.multiplyExact(classes, voxels)];
            boolean[] withoutLabels = new boolean[batch];
            for (int b = 0; b < batch; b++) {
                withoutLabels[b] = !unlabeled.isEmpty() && (global * batch + b) % 2 == 1;
                // samplers hold the training cases' first, then the unlabeled images'
                int source = withoutLabels[b] ? training.size() + random.nextInt(unlabeled.size())
                        : random.nextInt(training.size());
                PatchBox box = samplers.get(source).next(random).box();
                Volume image = Patches.extract(withoutLabels[b] ? unlabeled.get(source - training.size())
                        : training.get(source).image(), box, padValues);
                // an unlabeled patch is augmented alike, an empty label map beside it
                LabelMap labels = withoutLabels[b] ? LabelMap.create(image.geometry(), 1)
                        : Patches.extract(training.get(source).labels(), box, 0);
                if (settings.augment()) {
                    ImageAndLabels augmented = augment(new ImageAndLabels(image, labels), random);
                    image = augmented.image();
                    labels = augmented.labels();
                }
                for (int ch = 0; ch < channels; ch++) {
                    System.arraycopy(image.channel(ch), 0, images[b], ch * voxels, voxels);
                }
                if (!withoutLabels[b]) {
                    for (int i = 0; i < voxels; i++) {
                        targets[b][classOfLabel[labels.get(i)] * voxels + i] = 1f;
                    }
                }
            }
            Shape imageShape = new Shape(1, channels, patch.z(), patch.y(), patch.x());
            Shape targetShape = new Shape(1, classes, patch.z(), patch.y(), patch.x());
            double lossSum = 0;
            Map<String, double[]> terms = new LinkedHashMap<>(); // name → {sum, samples}
            for (int b = 0; b < batch; b++) {
                long sampleSeed = random.nextLong();
                try (NDManager scope = manager.newSubManager()) {
                    NDArray x = scope.create(FloatBuffer.wrap(images[b]), imageShape, DataType.FLOAT32);
                    if (withoutLabels[b]) {
                        lossSum += net.stepUnlabeled(x, sampleSeed);
                    } else {
                        NDArray y = scope.create(FloatBuffer.wrap(targets[b]), targetShape, DataType.FLOAT32);
                        lossSum += net.step(x, y, sampleSeed);
                    }
                }
                net.lastTerms().forEach((name, value) -> {
                    double[] sumAndCount = terms.computeIfAbsent(name, n -> new double[2]);
                    sumAndCount[0] += value;
                    sumAndCount[1]++;
                });
            }
            terms.forEach((name, sumAndCount) -> {
                epochTermSums.merge(name, sumAndCount[0] / sumAndCount[1], Double::sum);
                epochTermSteps.merge(name, 1, Integer::sum);
            });
            if (batch > 1) {
                scaleGradients(parameters, 1.0 / batch);
            }
            return lossSum / batch;
        }

        /**
         * Flips along each axis, a turn by 90° in the x–y plane where the patch is square there (so its size is
         * kept), then brightness, contrast and noise (image channels only, not guidance), all drawn from the step's
         * generator.
         */
        private ImageAndLabels augment(ImageAndLabels pair, SplittableRandom random) {
            PatchSize patch = settings.patch();
            RandomGeometricTransform geometric = patch.x() == patch.y()
                    ? RandomGeometricTransform.sequence(FLIP, ROTATE_XY) : FLIP;
            ImageAndLabels moved = geometric.apply(pair, random);
            int imageChannels = channels - guidance;
            float[][] all = new float[channels][];
            for (int c = 0; c < channels; c++) {
                all[c] = moved.image().channel(c);
            }
            Volume image = new Volume(moved.image().geometry(), Arrays.copyOf(all, imageChannels));
            for (RandomIntensityTransform t : List.of(SCALE_SHIFT, GAMMA, NOISE)) {
                image = t.apply(image, random);
            }
            for (int c = 0; c < imageChannels; c++) {
                all[c] = image.channel(c);
            }
            return new ImageAndLabels(new Volume(image.geometry(), all), moved.labels());
        }

        /** Dice per foreground label value on the validation cases, pooled over them (0/0 counts as 1). */
        private Map<Integer, Double> validate(int epoch) {
            int classes = labelValues.length;
            long[] reference = new long[classes];
            long[] predicted = new long[classes];
            long[] both = new long[classes];
            SlidingWindow window = new SlidingWindow(new SlidingWindow.Settings(settings.patch(),
                    settings.validationOverlap(), true, settings.batchSize()));
            double fraction = (double) epoch * settings.stepsPerEpoch() / settings.totalSteps();
            for (int v = 0; v < validation.size(); v++) {
                TrainingCase c = validation.get(v);
                String message = "epoch " + epoch + "/" + settings.epochs() + ", validating case " + (v + 1) + "/"
                        + validation.size();
                Monitor quiet = new Monitor() {
                    @Override
                    public void progress(double ignored, String detail) {
                        monitor.progress(fraction, message);
                    }

                    @Override
                    public void checkCanceled() {
                        monitor.checkCanceled();
                    }
                };
                float[][] probabilities;
                try (NDManager scope = manager.newSubManager()) {
                    probabilities = window.probabilities(c.image(), net::logits, scope, quiet);
                }
                int[] best = SlidingWindow.argmax(probabilities);
                LabelMap labels = c.labels();
                for (int i = 0; i < best.length; i++) {
                    int r = classOfLabel[labels.get(i)];
                    int p = best[i];
                    reference[r]++;
                    predicted[p]++;
                    if (r == p) {
                        both[r]++;
                    }
                }
            }
            Map<Integer, Double> dice = new LinkedHashMap<>();
            for (int k = 1; k < classes; k++) {
                long total = reference[k] + predicted[k];
                dice.put(labelValues[k], total == 0 ? 1.0 : 2.0 * both[k] / total);
            }
            return dice;
        }

        private void save(Optimizer optimizer) throws IOException {
            if (checkpoint == null) {
                return;
            }
            TrainingCheckpoint.State state = new TrainingCheckpoint.State(TrainingCheckpoint.FORMAT_VERSION,
                    settings, labelValues, history, stepsInEpoch, epochLossSum, secondsSoFar(), epochLearningRate,
                    bestEpoch, bestMeanDice, validationsWithoutImprovement, stoppedEarly, epochTermSums,
                    epochTermSteps);
            TrainingCheckpoint.write(checkpoint, state, parameters, optimizer);
        }

        private void resume(Optimizer optimizer) throws IOException {
            try (NDManager scope = manager.newSubManager();
                    TrainingCheckpoint.Contents contents = TrainingCheckpoint.read(checkpoint, scope)) {
                TrainingCheckpoint.requireMatch(checkpoint, contents, settings, labelValues, parameters);
                TrainingCheckpoint.State state = contents.state();
                if (state.stepsInEpoch() < 0 || state.stepsInEpoch() > settings.stepsPerEpoch()
                        || state.history().size() > settings.epochs()) {
                    throw new IllegalArgumentException("the checkpoint " + checkpoint + " is at epoch "
                            + (state.history().size() + 1) + ", step " + state.stepsInEpoch()
                            + ", beyond a run of these settings");
                }
                optimizer.load(contents.optimizer());
                for (NDArray p : parameters) {
                    NamedArrays.copyInto(p, contents.parameters().get(p.getName()));
                }
                history.addAll(state.history());
                stepsInEpoch = state.stepsInEpoch();
                epochLossSum = state.epochLossSum();
                epochSeconds = state.epochSeconds();
                epochLearningRate = state.epochLearningRate();
                bestEpoch = state.bestEpoch();
                bestMeanDice = state.bestMeanDice();
                validationsWithoutImprovement = state.validationsWithoutImprovement();
                stoppedEarly = state.stoppedEarly();
                epochTermSums.putAll(state.epochTermSums());
                epochTermSteps.putAll(state.epochTermSteps());
            }
        }
    }

    /** Multiplies every parameter's accumulated gradient by {@code factor}, in place. */
    static void scaleGradients(List<NDArray> parameters, double factor) {
        for (NDArray p : parameters) {
            NDArray gradient = GradMode.gradientOrNull(p);
            if (gradient != null) {
                try (NDManager scope = p.getManager().newSubManager()) {
                    gradient.attach(scope);
                    GradMode.with(false, () -> gradient.muli(factor));
                }
            }
        }
    }

    /**
     * The generator of global step {@code step} (OSS-Net's training: of an epoch), seeded by a hash of the run's
     * seed and the step, so that a resumed run draws what it would have drawn, and so that the
     * streams of neighbouring steps are unrelated (seeds differing by a constant would give shifted copies of one
     * stream in {@link SplittableRandom}).
     */
    public static SplittableRandom stepRandom(long seed, long step) {
        return new SplittableRandom(mix64(seed ^ mix64(step + 0x9E3779B97F4A7C15L)));
    }

    /** Stafford's variant 13 of the MurmurHash3 finaliser, as {@link SplittableRandom} uses it. */
    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
