package org.volseg.nn.ossnet;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
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
import org.volseg.nn.engine.ProcessMemory;
import org.volseg.nn.engines.EpochRecord;

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
    private record Scores(double pointDice, double pointIou, double[] denseDice) {

        double meanDenseDice() {
            return denseDice == null ? Double.NaN : java.util.Arrays.stream(denseDice).average().orElse(Double.NaN);
        }
    }

    private OssNetTraining() {
    }

    /**
     * Trains {@code net} in place.
     *
     * @param training   prepared cases ({@link OssNetTrainer#prepare}), all on the network's grid
     * @param validation the same for validation; may be empty
     * @param onEpoch    told each epoch's record as it is made (a history shown while training runs)
     * @throws java.util.concurrent.CancellationException when the monitor says so
     */
    public static Result train(OssNet net, List<OssNetTrainer.Case> training, List<OssNetTrainer.Case> validation,
            Settings s, Monitor monitor, Consumer<EpochRecord> onEpoch) {
        if (training.isEmpty()) {
            throw new IllegalArgumentException("no training cases");
        }
        SplittableRandom random = new SplittableRandom(s.seed());
        int batch = Math.min(s.batchSize(), training.size());
        int steps = training.size() / batch;
        List<EpochRecord> history = new ArrayList<>();
        NDManager keep = net.parameters().get(0).getManager().newSubManager();
        NDList best = null;
        int bestEpoch = s.epochs();
        Scores bestScores = new Scores(Double.NaN, Double.NaN, null);
        try (OssNetTrainer trainer = new OssNetTrainer(net, s.points())) {
            for (int epoch = 1; epoch <= s.epochs(); epoch++) {
                long start = System.nanoTime();
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
                    if (best == null || scores.pointIou() > bestScores.pointIou()) {
                        if (best != null) {
                            best.close();
                        }
                        best = net.state(keep);
                        bestEpoch = epoch;
                        bestScores = scores;
                    }
                }
                EpochRecord record = new EpochRecord(epoch, loss / steps, dice, validate ? scores(dice) : Double.NaN,
                        lr, (System.nanoTime() - start) / 1e9, ProcessMemory.peakBytes(), terms);
                history.add(record);
                if (onEpoch != null) {
                    onEpoch.accept(record);
                }
            }
            if (best != null) {
                net.loadState(best);
            }
            monitor.progress(1, "trained");
            return new Result(history, bestEpoch, bestScores.pointIou(), bestScores.pointDice(),
                    bestScores.meanDenseDice());
        } finally {
            keep.close();
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
