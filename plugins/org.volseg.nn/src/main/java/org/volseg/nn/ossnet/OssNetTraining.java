package org.volseg.nn.ossnet;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.volseg.core.metrics.SegmentationMetrics;
import org.volseg.core.sampling.PointSampler;
import org.volseg.core.sampling.PointSet;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;
import org.volseg.nn.engine.Monitor;
import org.volseg.nn.engine.NamedArrays;
import org.volseg.nn.engine.ProcessMemory;
import org.volseg.nn.engines.CheckpointFile;
import org.volseg.nn.engines.EpochRecord;
import org.volseg.nn.engines.Trainer;

/**
 * OSS-Net's training run as the reference's script runs it: epochs over the training cases in shuffled batches
 * (the last incomplete batch dropped), one {@link OssNetTrainer} step per batch, the learning rate divided by 10 at
 * 40 % and 60 % of the epochs (its milestones 20 and 30 of 50); every few epochs and at the end each validation case
 * is scored on uniformly sampled points (Dice and IoU at 0.5, the paper's protocol, averaged over cases) and
 * segmented whole by {@link OssNetInference} (Dice in the unpadded image, what a user gets). The parameters of the
 * epoch with the best point IoU (the reference's choice) are kept.
 */
public final class OssNetTraining {

    /**
     * How to train.
     *
     * @param epochs           epochs
     * @param batchSize        cases per step (the reference: 8 for BraTS, 4 for LiTS)
     * @param points           points per case per step (the reference: 2^14)
     * @param learningRate     RAdam's base learning rate (the Padé coefficients get 1e-2 / 3e-4 times it)
     * @param augment          the reference's flips, brightness and noise
     * @param validateEvery    validate every this many epochs (and after the last)
     * @param validationPoints uniform points per validation case (the reference: 2^17 for BraTS)
     * @param procedure        how validation cases are segmented whole
     * @param seed             the seed of point sampling, batching and augmentation
     */
    public record Settings(int epochs, int batchSize, int points, double learningRate, boolean augment,
            int validateEvery, int validationPoints, OssNetInference.Procedure procedure, long seed) {

        public Settings {
            if (epochs < 1 || batchSize < 1 || points < 1 || validateEvery < 1 || validationPoints < 1) {
                throw new IllegalArgumentException("epochs, batch size, points, validation interval and validation "
                        + "points must be at least 1");
            }
            if (!(learningRate > 0)) {
                throw new IllegalArgumentException("the learning rate must be positive, got " + learningRate);
            }
        }
    }

    /**
     * A finished run.
     *
     * @param history        one record per epoch; validation Dice on the whole images by class index (1 for the
     *                       binary network), loss terms "occupancy" and, for C and D, "aux"
     * @param bestEpoch      the epoch whose parameters the network holds now (the last one without validation)
     * @param bestPointIou   its point-sampled IoU (NaN without validation), averaged over classes
     * @param bestPointDice  its point-sampled Dice, averaged over classes
     * @param bestDenseDice  its Dice on the whole validation images, averaged over classes
     */
    public record Result(List<EpochRecord> history, int bestEpoch, double bestPointIou, double bestPointDice,
            double bestDenseDice) {
    }

    /** Validation scores: point Dice and IoU averaged over classes, whole-image Dice per class (class 1 first). */
    record Scores(double pointDice, double pointIou, double[] denseDice) {

        double meanDenseDice() {
            return denseDice == null ? Double.NaN : java.util.Arrays.stream(denseDice).average().orElse(Double.NaN);
        }
    }

    private OssNetTraining() {
    }

    /** Trains {@code net} in place, without a checkpoint. */
    public static Result train(OssNet net, List<OssNetTrainer.Case> training, List<OssNetTrainer.Case> validation,
            Settings s, Monitor monitor, Consumer<EpochRecord> onEpoch) {
        try {
            return train(net, training, validation, s, monitor, onEpoch, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // no file is read or written
        }
    }

    /**
     * Trains {@code net} in place, or resumes the run saved in {@code checkpoint}.
     *
     * @param training   prepared cases ({@link OssNetTrainer#prepare}), all on the network's grid
     * @param validation the same for validation; may be empty
     * @param onEpoch    told each epoch's record as it is made (a history shown while training runs)
     * @param checkpoint where the run's state is written after every epoch, or null for none. When the file exists
     *                   the run continues from it exactly as it would have gone on (points, batches and augmentation
     *                   of an epoch derive from the seed and the epoch alone); one of other settings or of another
     *                   network is refused. A cancelled run keeps the state of its last finished epoch.
     * @throws java.util.concurrent.CancellationException when the monitor says so
     * @throws IOException when the checkpoint cannot be read or written
     */
    public static Result train(OssNet net, List<OssNetTrainer.Case> training, List<OssNetTrainer.Case> validation,
            Settings s, Monitor monitor, Consumer<EpochRecord> onEpoch, Path checkpoint) throws IOException {
        if (training.isEmpty()) {
            throw new IllegalArgumentException("no training cases");
        }
        int batch = Math.min(s.batchSize(), training.size());
        int steps = training.size() / batch;
        Run run = new Run();
        NDManager keep = net.parameters().get(0).getManager().newSubManager();
        try (OssNetTrainer trainer = new OssNetTrainer(net, s.points())) {
            if (checkpoint != null && Files.exists(checkpoint)) {
                run.resume(checkpoint, net, trainer, s, keep);
            }
            for (int epoch = run.history.size() + 1; epoch <= s.epochs(); epoch++) {
                long start = System.nanoTime();
                SplittableRandom random = Trainer.stepRandom(s.seed(), epoch);
                double lr = learningRate(s, epoch);
                List<Integer> order = new ArrayList<>();
                for (int i = 0; i < training.size(); i++) {
                    order.add(i);
                }
                for (int i = order.size() - 1; i > 0; i--) {
                    java.util.Collections.swap(order, i, random.nextInt(i + 1));
                }
                double loss = 0;
                double occupancy = 0;
                double aux = 0;
                for (int step = 0; step < steps; step++) {
                    monitor.checkCanceled();
                    monitor.progress(((epoch - 1) + (double) step / steps) / s.epochs(), "epoch " + epoch + " of "
                            + s.epochs() + ", step " + (step + 1) + " of " + steps);
                    List<OssNetTrainer.Case> cases = new ArrayList<>();
                    for (int b = 0; b < batch; b++) {
                        cases.add(training.get(order.get(step * batch + b)));
                    }
                    OssNetTrainer.Losses l = trainer.step(cases, random, lr, s.augment());
                    loss += l.total();
                    occupancy += l.occupancy();
                    aux += l.aux();
                }
                Map<String, Double> terms = new LinkedHashMap<>();
                terms.put("occupancy", occupancy / steps);
                if (net.config().variant().skipEncoder()) {
                    terms.put("aux", aux / steps);
                }
                Map<Integer, Double> dice = new LinkedHashMap<>();
                boolean validate = !validation.isEmpty() && (epoch % s.validateEvery() == 0 || epoch == s.epochs());
                if (validate) {
                    monitor.progress((double) epoch / s.epochs(), "epoch " + epoch + ": validating");
                    Scores scores = validate(net, validation, s, monitor);
                    for (int k = 0; k < scores.denseDice().length; k++) {
                        dice.put(k + 1, scores.denseDice()[k]);
                    }
                    if (run.best == null || scores.pointIou() > run.bestScores.pointIou()) {
                        if (run.best != null) {
                            run.best.close();
                        }
                        run.best = net.state(keep);
                        run.bestEpoch = epoch;
                        run.bestScores = scores;
                    }
                }
                EpochRecord record = new EpochRecord(epoch, loss / steps, dice, validate ? scores(dice) : Double.NaN,
                        lr, (System.nanoTime() - start) / 1e9, ProcessMemory.peakBytes(), terms);
                run.history.add(record);
                if (onEpoch != null) {
                    onEpoch.accept(record);
                }
                if (checkpoint != null) {
                    run.save(checkpoint, net, trainer, s, keep);
                }
            }
            if (run.best != null) {
                net.loadState(run.best);
            }
            monitor.progress(1, "trained");
            return new Result(run.history, run.best == null ? s.epochs() : run.bestEpoch,
                    run.bestScores.pointIou(), run.bestScores.pointDice(), run.bestScores.meanDenseDice());
        } finally {
            keep.close();
        }
    }

    /**
     * What a run's checkpoint holds besides its arrays (the parameters and running statistics, the optimizer's
     * state and the best epoch's parameters).
     *
     * @param formatVersion the checkpoint format
     * @param settings      the run's settings
     * @param network       the network's name, for the message when another network's checkpoint is given
     * @param history       the finished epochs
     * @param bestEpoch     the epoch whose parameters are kept as the best, 0 if none was validated
     * @param bestScores    its scores
     */
    record State(int formatVersion, Settings settings, String network, List<EpochRecord> history, int bestEpoch,
            Scores bestScores) {
    }

    static final int FORMAT_VERSION = 1;
    private static final String PARAMETERS = "parameters.bin";
    private static final String OPTIMIZER = "optimizer.bin";
    private static final String BEST = "best.bin";

    /** A run's state between epochs. */
    private static final class Run {
        final List<EpochRecord> history = new ArrayList<>();
        NDList best;
        int bestEpoch;
        Scores bestScores = new Scores(Double.NaN, Double.NaN, null);

        void save(Path file, OssNet net, OssNetTrainer trainer, Settings s, NDManager keep) throws IOException {
            try (NDManager scope = keep.newSubManager(); NDList optimizer = trainer.optimizerState()) {
                Map<String, NDList> arrays = new LinkedHashMap<>();
                arrays.put(PARAMETERS, net.state(scope));
                arrays.put(OPTIMIZER, optimizer);
                arrays.put(BEST, best == null ? new NDList() : best);
                CheckpointFile.write(file, new State(FORMAT_VERSION, s, net.config().name(), history, best == null ? 0
                        : bestEpoch, bestScores), arrays);
            }
        }

        void resume(Path file, OssNet net, OssNetTrainer trainer, Settings s, NDManager keep) throws IOException {
            try (NDManager scope = keep.newSubManager(); CheckpointFile.Contents<State> read = CheckpointFile.read(
                    file, State.class, List.of(PARAMETERS, OPTIMIZER, BEST), scope, FORMAT_VERSION,
                    State::formatVersion)) {
                State state = read.state();
                CheckpointFile.requireSameSettings(file, state.settings(), s);
                try {
                    net.loadState(read.arrays().get(PARAMETERS));
                    trainer.loadOptimizerState(read.arrays().get(OPTIMIZER));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("the checkpoint " + file + " was written for "
                            + state.network() + ", not for this " + net.config().name() + " (" + e.getMessage()
                            + "): give another checkpoint file (or delete this one) to start afresh", e);
                }
                history.addAll(state.history());
                if (state.bestEpoch() > 0) {
                    best = NamedArrays.copies(read.arrays().get(BEST), keep);
                    bestEpoch = state.bestEpoch();
                    bestScores = state.bestScores();
                }
            }
        }
    }

    /** The mean of per-class Dice values. */
    private static double scores(Map<Integer, Double> dice) {
        return dice.values().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** The base rate, divided by 10 from 40 % of the epochs on and again from 60 % on. */
    static double learningRate(Settings s, int epoch) {
        double lr = s.learningRate();
        for (double milestone : new double[] {0.4, 0.6}) {
            if (epoch > Math.round(milestone * s.epochs())) {
                lr *= 0.1;
            }
        }
        return lr;
    }

    /**
     * Mean scores over the validation cases and, for more than one class, over the classes: point Dice and IoU per
     * class, and each class's Dice on the whole image.
     */
    private static Scores validate(OssNet net, List<OssNetTrainer.Case> validation, Settings s, Monitor monitor) {
        int classes = net.config().classes();
        double pointDice = 0;
        double pointIou = 0;
        double[] denseDice = new double[classes];
        for (int v = 0; v < validation.size(); v++) {
            OssNetTrainer.Case c = validation.get(v);
            Geometry g = c.image().geometry();
            int count = Math.min(s.validationPoints(), g.voxels());
            PointSet points = PointSampler.uniform(c.labels()).sample(count, s.seed() + v);
            double[] coordinates = points.voxelCoordinates();
            int[] xyz = new int[3 * count];
            int[] n = {g.nx(), g.ny(), g.nz()};
            for (int i = 0; i < xyz.length; i++) {
                xyz[i] = PointSampler.nearest(coordinates[i], n[i % 3]);
            }
            float[][] logits = OssNetInference.logitsAt(net, c.image(), xyz, OssNetInference.DEFAULT_CHUNK, monitor);
            for (int k = 1; k <= classes; k++) {
                long[] pointCounts = new long[3]; // true positives, predicted, actual
                for (int p = 0; p < count; p++) {
                    boolean predicted = OssNetInference.classAt(logits, p) == k;
                    boolean actual = points.label(p) == k;
                    pointCounts[0] += predicted && actual ? 1 : 0;
                    pointCounts[1] += predicted ? 1 : 0;
                    pointCounts[2] += actual ? 1 : 0;
                }
                pointDice += dice(pointCounts) / classes;
                pointIou += iou(pointCounts) / classes;
            }
            int[] segmented = OssNetInference.segment(net, c.image(), s.procedure(), OssNetInference.DEFAULT_CHUNK,
                    monitor).labels();
            LabelMap predicted = LabelMap.create(g, classes);
            int[] box = c.box();
            for (int z = box[2]; z < box[2] + box[5]; z++) { // the padding is not the user's image
                for (int y = box[1]; y < box[1] + box[4]; y++) {
                    for (int x = box[0]; x < box[0] + box[3]; x++) {
                        predicted.set(x, y, z, segmented[g.index(x, y, z)]);
                    }
                }
            }
            var metrics = SegmentationMetrics.compute(c.labels(), predicted, java.util.stream.IntStream.rangeClosed(1,
                    classes).toArray());
            for (int k = 0; k < classes; k++) {
                denseDice[k] += metrics.get(k).dice() / validation.size();
            }
        }
        int n = validation.size();
        return new Scores(pointDice / n, pointIou / n, denseDice);
    }

    /** Of points: 2·TP / (predicted + actual); 1 when both are empty. */
    private static double dice(long[] counts) {
        return counts[1] + counts[2] == 0 ? 1 : 2.0 * counts[0] / (counts[1] + counts[2]);
    }

    private static double iou(long[] counts) {
        long union = counts[1] + counts[2] - counts[0];
        return union == 0 ? 1 : (double) counts[0] / union;
    }
}
