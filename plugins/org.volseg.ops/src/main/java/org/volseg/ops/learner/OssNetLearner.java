package org.volseg.ops.learner;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.volseg.core.data.Case;
import org.volseg.core.data.Splits;
import org.volseg.core.transforms.Preprocessing;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;
import org.volseg.nn.engine.Compute;
import org.volseg.nn.engine.DjlContext;
import org.volseg.nn.engine.OutOfMemoryException;
import org.volseg.nn.engine.ProcessMemory;
import org.volseg.nn.engines.EpochRecord;
import org.volseg.nn.engines.TrainingCase;
import org.volseg.nn.networks.NetworkBundle;
import org.volseg.nn.ossnet.OssNetBundle;
import org.volseg.nn.ossnet.OssNetConfig;
import org.volseg.nn.ossnet.OssNetInference;
import org.volseg.nn.ossnet.OssNetTrainer;
import org.volseg.nn.ossnet.OssNetTraining;
import org.volseg.ops.api.HistoryTable;
import org.volseg.ops.api.InvalidSettingsException;
import org.volseg.ops.api.ModelPort;
import org.volseg.ops.api.Operation;
import org.volseg.ops.api.Port;
import org.volseg.ops.api.PortData;
import org.volseg.ops.api.PortKind;
import org.volseg.ops.api.PortSpec;
import org.volseg.ops.api.Progress;
import org.volseg.ops.api.Table;

/**
 * The OSS-Net Learner node ({@code volseg train-ossnet}): trains an occupancy network on labeled cases, for binary
 * segmentation (every non-zero label is foreground, as the paper's whole tumour) or with a class per label value,
 * and writes it as a model bundle the Segmenter Predictor runs like any other.
 */
public final class OssNetLearner implements Operation<OssNetLearnerSettings> {

    @Override
    public String id() {
        return "train-ossnet";
    }

    @Override
    public String name() {
        return "OSS-Net Learner";
    }

    @Override
    public String summary() {
        return "Trains an OSS-Net occupancy network on labeled volumes: memory set by points, not resolution.";
    }

    @Override
    public String description() {
        return "Trains OSS-Net (Reich et al., BMVC 2021) or its O-Net baseline as the reference code does: each "
                + "case, preprocessed like the Segmenter Learner's and centred in the network's grid, is halved for "
                + "a convolutional encoder whose latent code conditions a residual MLP decoder; the decoder learns "
                + "the occupancy (inside the foreground or not) of points drawn from the full-resolution grid, "
                + "uniformly or partly near label borders, each with its 7³ patch (variants A–D). Training memory "
                + "grows with the points per case, not with the image's resolution. Binary cross-entropy on the "
                + "points (plus 0.1 × that of an auxiliary low-resolution segmentation for C and D), RAdam in "
                + "Lookahead, the learning rate divided by 10 at 40 % and 60 % of the epochs. Held-out cases are "
                + "scored every few epochs on sampled points (the paper's Dice and IoU) and segmented whole (the "
                + "history's Dice); the epoch with the best point IoU is kept. By default all non-zero labels count as "
                + "one foreground (label 1 of the model); with Labels (each) every label value is a class of its "
                + "own, one sigmoid output each. The Segmenter Predictor segments new images with it by "
                + "querying only voxels near the boundary the encoder predicts (C, D) or found on a coarse grid. A "
                + "checkpoint beside the model file, written after every epoch, lets a cancelled or crashed run "
                + "resume from its last finished epoch.";
    }

    @Override
    public String nodeType() {
        return "Learner";
    }

    @Override
    public Class<OssNetLearnerSettings> settingsType() {
        return OssNetLearnerSettings.class;
    }

    @Override
    public List<Port> inputs() {
        return List.of(new Port(PortKind.VOLUME_TABLE, "Volumes", "Labeled cases to train and validate on."));
    }

    @Override
    public List<Port> outputs() {
        return List.of(new Port(PortKind.MODEL, "Model", "The trained OSS-Net bundle."),
                new Port(PortKind.HISTORY_TABLE, "History", "One row per epoch: loss and its terms, whole-image "
                        + "validation Dice, seconds, peak memory."));
    }

    @Override
    public List<PortSpec> configure(OssNetLearnerSettings s, List<PortSpec> inputs) throws InvalidSettingsException {
        blockWidths(s);
        return Arrays.asList(null, HistoryTable.withLossTerms(terms(s.variant())));
    }

    private static List<String> terms(OssNetConfig.Variant variant) {
        return variant.skipEncoder() ? List.of("occupancy", "aux") : List.of("occupancy");
    }

    private static List<Integer> blockWidths(OssNetLearnerSettings s) throws InvalidSettingsException {
        List<Integer> widths = SegmenterLearner.widths(s.widths());
        if (widths.isEmpty() || widths.stream().anyMatch(w -> w < 2)) {
            throw new InvalidSettingsException("Encoder widths (widths) is '" + s.widths() + "'; allowed: one or "
                    + "more widths of at least 2 (each block's skip connection halves them), e.g. 16,32,64,128");
        }
        return widths;
    }

    @Override
    public List<PortData> execute(OssNetLearnerSettings s, List<PortData> inputs, Progress progress)
            throws Exception {
        Compute.Resolved device = SegmenterLearnerSettings.resolveForTraining(s.device());
        List<Integer> blockWidths = blockWidths(s);
        Preprocessing preprocessing = new Preprocessing("RAS", LabeledCases.spacing((Table) inputs.get(0),
                s.spacing(), progress), s.normalization(), false);
        LabeledCases data = LabeledCases.load((Table) inputs.get(0), s.validationShare(), s.crossValidation(),
                s.seed(), preprocessing, "OSS-Net learner", progress.slice(0, 0.05));
        Progress loading = progress.slice(0, 0.05);
        Splits.Split split = data.split();
        List<TrainingCase> training = data.training();
        List<TrainingCase> validation = data.validation();
        int channels = data.channels();
        int[] largest = new int[3];
        for (List<TrainingCase> part : List.of(training, validation)) {
            for (TrainingCase c : part) {
                Geometry g = c.image().geometry();
                largest[0] = Math.max(largest[0], g.nx());
                largest[1] = Math.max(largest[1], g.ny());
                largest[2] = Math.max(largest[2], g.nz());
            }
        }
        boolean each = s.labels().equals("each");
        int[] labelValues = each ? SegmenterLearner.labelValues(training) : new int[] {0, 1};
        OssNetConfig config = new OssNetConfig(s.variant(), OssNetConfig.Preset.fitting("fitted", channels,
                blockWidths, largest), labelValues.length - 1);
        loading.report(1, "centring the cases in the " + Arrays.toString(OssNetTrainer.grid(config.preset()))
                + " grid and finding their border bands");
        List<OssNetTrainer.Case> trainingCases = prepare(training, config, each ? labelValues : null, s);
        List<OssNetTrainer.Case> validationCases = prepare(validation, config, each ? labelValues : null, s);

        Path model = s.modelFile() != null ? s.modelFile()
                : Files.createTempDirectory("volseg-model").resolve(config.name() + ModelPort.EXTENSION);
        if (model.getParent() != null) {
            Files.createDirectories(model.getParent());
        }
        Path checkpoint = model.resolveSibling(model.getFileName() + ".checkpoint");
        OssNetTraining.Settings settings = new OssNetTraining.Settings(s.epochs(), s.batchSize(), s.points(),
                s.learningRate(), s.augment(), s.validateEvery(), s.validationPoints(),
                OssNetInference.Procedure.fastest(s.variant()), s.seed());
        List<String> channelNames = SegmenterLearner.channelNames(split.training().get(0), channels);
        Map<Integer, String> labelNames = new java.util.TreeMap<>(Map.of(0, "background"));
        for (int k = 1; k < labelValues.length; k++) {
            labelNames.put(labelValues[k], each ? "label " + labelValues[k] : "foreground");
        }
        Progress train = progress.slice(0.05, 0.98);
        train.reportAndLog(0, "training " + config.name() + " (" + config.preset().latentSize() + " latent values) on "
                + device.note());
        ProcessMemory.resetPeak();
        OssNetTraining.Result result;
        try {
            result = Progress.callNetworks(() -> OssNetBundle.train(config, s.seed(), trainingCases,
                    validationCases, settings, s.device(), train.monitor(), null, checkpoint, model, r -> {
                        Map<String, Object> provenance = new LinkedHashMap<>();
                        provenance.put("trained", Instant.now().toString());
                        provenance.put("seed", s.seed());
                        provenance.put("cross_validation_fold", s.crossValidation().toString());
                        provenance.put("training_cases", split.training().stream().map(Case::id).toList());
                        provenance.put("validation_cases", split.validation().stream().map(Case::id).toList());
                        provenance.put("epochs", s.epochs());
                        provenance.put("points", s.points());
                        provenance.put("device", device.note());
                        Map<String, Double> metrics = new LinkedHashMap<>();
                        if (!Double.isNaN(r.bestPointIou())) {
                            metrics.put("best_validation_point_iou", r.bestPointIou());
                            metrics.put("best_validation_point_dice", r.bestPointDice());
                            metrics.put("best_validation_dice", r.bestDenseDice());
                            metrics.put("best_epoch", (double) r.bestEpoch());
                        }
                        return new NetworkBundle.Description(channelNames, labelNames, preprocessing, provenance,
                                metrics);
                    }));
        } catch (RuntimeException | OutOfMemoryError e) {
            if (!OutOfMemoryException.isOutOfMemory(e)) {
                throw e;
            }
            throw new OutOfMemoryException("training " + config.name() + " ran out of memory on " + device.note()
                    + " (" + (e instanceof OutOfMemoryError ? "Java heap: " + e.getMessage()
                            : DjlContext.engineWords(e)) + ") with " + s.points() + " points per case and batch size "
                    + s.batchSize() + "; lower either (memory grows with points × batch size) or the encoder "
                    + "widths", e);
        }
        Files.deleteIfExists(checkpoint);
        progress.report(1, "model written to " + model + (Double.isNaN(result.bestPointIou()) ? ""
                : String.format(java.util.Locale.ROOT, " (epoch %d: point IoU %.3f, Dice %.3f)", result.bestEpoch(),
                        result.bestPointIou(), result.bestDenseDice())));
        int[] grid = OssNetTrainer.grid(config.preset());
        ModelPort.Spec spec = new ModelPort.Spec(OssNetConfig.ARCHITECTURE, channelNames, labelNames,
                List.of(grid[0], grid[1], grid[2]));
        return List.of(new ModelPort(model, spec), HistoryTable.of(byLabelValue(result.history(), labelValues),
                terms(s.variant())));
    }

    /**
     * The cases centred in the network's grid, their labels as class indices: with {@code labelValues} (0 first)
     * value {@code labelValues[k]} is class k, else every non-zero label is class 1.
     */
    private static List<OssNetTrainer.Case> prepare(List<TrainingCase> cases, OssNetConfig config, int[] labelValues,
            OssNetLearnerSettings s) throws InvalidSettingsException {
        List<OssNetTrainer.Case> out = new ArrayList<>();
        for (TrainingCase c : cases) {
            LabelMap classes = labelValues == null ? c.labels().foreground() : classIndices(c, labelValues);
            out.add(OssNetTrainer.prepare(c.image(), classes, config.preset(), s.borderShare(), s.bandRadius()));
        }
        return out;
    }

    private static LabelMap classIndices(TrainingCase c, int[] labelValues) throws InvalidSettingsException {
        LabelMap labels = c.labels();
        LabelMap out = LabelMap.create(labels.geometry(), labelValues.length - 1);
        for (int i = 0; i < labels.geometry().voxels(); i++) {
            int k = Arrays.binarySearch(labelValues, labels.get(i));
            if (k < 0) {
                throw new InvalidSettingsException("case " + c.id() + " has label value " + labels.get(i) + ", which "
                        + "no training case has (the model's labels: " + Arrays.toString(labelValues) + ")");
            }
            out.set(i, k);
        }
        return out;
    }

    /** The history with its Dice keyed by label value, as every VolSeg history is, instead of class index. */
    private static List<EpochRecord> byLabelValue(List<EpochRecord> history, int[] labelValues) {
        List<EpochRecord> out = new ArrayList<>();
        for (EpochRecord r : history) {
            Map<Integer, Double> dice = new LinkedHashMap<>();
            r.validationDice().forEach((k, d) -> dice.put(labelValues[k], d));
            out.add(new EpochRecord(r.epoch(), r.trainLoss(), dice, r.meanDice(), r.learningRate(),
                    r.seconds(), r.peakMemoryBytes(), r.lossTerms()));
        }
        return out;
    }
}
