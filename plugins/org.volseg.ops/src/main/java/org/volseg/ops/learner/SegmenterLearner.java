package org.volseg.ops.learner;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.volseg.core.data.Case;
import org.volseg.core.data.CaseVolumes;
import org.volseg.core.data.Splits;
import org.volseg.core.io.NiftiFiles;
import org.volseg.core.sampling.PatchSize;
import org.volseg.core.transforms.ImageAndLabels;
import org.volseg.core.transforms.Preprocessing;
import org.volseg.nn.engine.Compute;
import org.volseg.nn.engine.DjlContext;
import org.volseg.nn.engine.OutOfMemoryException;
import org.volseg.nn.engine.ProcessMemory;
import org.volseg.nn.engines.TrainingCase;
import org.volseg.nn.engines.TrainingResult;
import org.volseg.nn.engines.TrainingSettings;
import org.volseg.nn.networks.NetworkBundle;
import org.volseg.nn.networks.NetworkConfig;
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
 * The Segmenter Learner node: trains a 3D segmenter (UNet3d, Partially-InvRes or Fully-InvRes) on labeled cases and
 * writes it as a model bundle that records everything prediction needs (preprocessing, channels, labels).
 */
public final class SegmenterLearner implements Operation<SegmenterLearnerSettings> {

    @Override
    public String id() {
        return "segmenter-learner";
    }

    @Override
    public String name() {
        return "Segmenter Learner";
    }

    @Override
    public String summary() {
        return "Trains a memory-efficient 3D segmenter (UNet3d, Partially-InvRes, Fully-InvRes) on labeled volumes.";
    }

    @Override
    public String description() {
        return "Trains a 3D segmentation network on the labeled cases of a volume table, the way nnU-Net does: "
                + "images (optionally cropped to their non-zero box) reoriented to RAS (and resampled if asked), "
                + "normalised per case, class-balanced random "
                + "patches with flips, rotations, intensity and noise augmentation, SGD with Nesterov momentum and a "
                + "polynomial learning-rate decay, Dice + cross-entropy loss; a share of the cases is held out and "
                + "segmented whole by sliding window to report the validation Dice. The invertible architectures "
                + "recompute activations in the backward pass instead of storing them, so a training step needs "
                + "about half (Partially-InvRes) or less (Fully-InvRes) of the U-Net's memory at the same patch "
                + "size. Label values are taken from the training labels (0 is background). The model is saved as "
                + "one bundle file with its preprocessing, channel names and label values; a checkpoint beside it "
                + "makes a cancelled or crashed run resume. The history table has one row per epoch with the loss, "
                + "validation Dice, time and peak memory.";
    }

    @Override
    public String nodeType() {
        return "Learner";
    }

    @Override
    public Class<SegmenterLearnerSettings> settingsType() {
        return SegmenterLearnerSettings.class;
    }

    @Override
    public List<Port> inputs() {
        return List.of(new Port(PortKind.VOLUME_TABLE, "Volumes", "Labeled cases to train and validate on."));
    }

    @Override
    public List<Port> outputs() {
        return List.of(new Port(PortKind.MODEL, "Model", "The trained model bundle."),
                new Port(PortKind.HISTORY_TABLE, "History", "One row per epoch: loss, validation Dice, seconds, "
                        + "peak memory."));
    }

    @Override
    public List<PortSpec> configure(SegmenterLearnerSettings s, List<PortSpec> inputs)
            throws InvalidSettingsException {
        config(s, 1, 2); // refuses bad widths and patch sizes before any data is read
        return Arrays.asList(null, HistoryTable.SPEC); // the model's channels and labels come from the data
    }

    /** The network config these settings describe, or the reason they describe none. */
    static NetworkConfig config(SegmenterLearnerSettings s, int channels, int classes)
            throws InvalidSettingsException {
        List<Integer> widths = widths(s.widths());
        try {
            return new NetworkConfig(s.architecture(), channels, classes, widths, s.blocksPerLevel(),
                    NetworkConfig.Norm.INSTANCE, NetworkConfig.Activation.LEAKY_RELU, s.vae(),
                    PatchSize.cube(s.patchSize()));
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingsException("the network settings do not fit together: " + e.getMessage());
        }
    }

    /** The widths setting's numbers, or why it has none. */
    static List<Integer> widths(String text) throws InvalidSettingsException {
        try {
            return Arrays.stream(text.split(",")).map(String::trim).map(Integer::valueOf).toList();
        } catch (NumberFormatException e) {
            throw new InvalidSettingsException("Widths (widths) is '" + text + "'; allowed: whole numbers "
                    + "separated by commas, e.g. 16,32,64,128");
        }
    }

    @Override
    public List<PortData> execute(SegmenterLearnerSettings s, List<PortData> inputs, Progress progress)
            throws Exception {
        Compute.Resolved device = SegmenterLearnerSettings.resolveForTraining(s.device()); // before any data is read
        Preprocessing preprocessing = new Preprocessing("RAS", LabeledCases.spacing((Table) inputs.get(0),
                s.spacing(), progress), s.normalization(), s.cropToNonzero());
        LabeledCases data = LabeledCases.load((Table) inputs.get(0), s.validationShare(), s.crossValidation(),
                s.seed(), preprocessing, "learner", progress.slice(0, 0.05));
        Splits.Split split = data.split();
        List<TrainingCase> training = data.training();
        List<TrainingCase> validation = data.validation();
        int[] labelValues = labelValues(training);
        int channels = data.channels();
        NetworkConfig config = config(s, channels, labelValues.length);
        TrainingSettings settings = TrainingSettings.defaults().withPatch(config.patch()).withEpochs(s.epochs())
                .withStepsPerEpoch(s.stepsPerEpoch())
                .withOptimizer(s.optimizer(), s.learningRate(), TrainingSettings.defaults().weightDecay())
                .withValidation(Math.max(1, s.epochs() / 5), 0.5, 0).withCheckpointEvery(1).withSeed(s.seed());

        Path model = s.modelFile() != null ? s.modelFile() : Files.createTempDirectory("volseg-model")
                .resolve(config.architecture().name().toLowerCase(java.util.Locale.ROOT) + ModelPort.EXTENSION);
        if (model.getParent() != null) {
            Files.createDirectories(model.getParent());
        }
        Path checkpoint = model.resolveSibling(model.getFileName() + ".checkpoint");
        Progress train = progress.slice(0.05, 0.98);
        Map<Integer, String> labelNames = new TreeMap<>();
        for (int v : labelValues) {
            labelNames.put(v, v == 0 ? "background" : "label " + v);
        }
        List<String> channelNames = channelNames(split.training().get(0), channels);
        train.reportAndLog(0, "training " + config.architecture() + " on " + device.note());
        ProcessMemory.resetPeak(); // the history's peak memory is then this run's
        TrainingResult trained;
        try {
            trained = Progress.callNetworks(() -> NetworkBundle.train(config, s.seed(), training,
                    validation, labelValues, settings, checkpoint, train.monitor(), model, result -> {
                        Map<String, Object> provenance = new LinkedHashMap<>();
                        provenance.put("trained", Instant.now().toString());
                        provenance.put("seed", s.seed());
                        provenance.put("cross_validation_fold", s.crossValidation().toString());
                        provenance.put("training_cases", split.training().stream().map(Case::id).toList());
                        provenance.put("validation_cases", split.validation().stream().map(Case::id).toList());
                        provenance.put("epochs", s.epochs());
                        provenance.put("steps_per_epoch", s.stepsPerEpoch());
                        provenance.put("device", device.note());
                        Map<String, Double> metrics = new LinkedHashMap<>();
                        if (!Double.isNaN(result.bestMeanDice())) {
                            metrics.put("best_validation_mean_dice", result.bestMeanDice());
                            metrics.put("best_epoch", (double) result.bestEpoch());
                        }
                        return new NetworkBundle.Description(channelNames, labelNames, preprocessing, provenance,
                                metrics);
                    }, s.device()));
        } catch (RuntimeException | OutOfMemoryError e) {
            if (!OutOfMemoryException.isOutOfMemory(e)) {
                throw e;
            }
            throw new OutOfMemoryException("training ran out of memory on " + device.note() + " ("
                    + (e instanceof OutOfMemoryError ? "Java heap: " + e.getMessage()
                            : DjlContext.engineWords(e)) + ") with " + config.architecture() + " widths "
                    + s.widths() + ", " + s.blocksPerLevel() + " block(s) per level, patch " + s.patchSize() + "³; "
                    + "lower the patch size (memory grows with its cube) or the widths, or choose fully-invres, "
                    + "whose steps need about half a U-Net's memory (bench/README.md); the checkpoint keeps the "
                    + "epochs done so far only for the same settings", e);
        }
        Files.deleteIfExists(checkpoint);
        progress.report(1, "model written to " + model);
        // the spec from what was just written: reading the bundle back would rebuild the whole network again
        ModelPort.Spec spec = new ModelPort.Spec(config.architecture().name(), channelNames, labelNames,
                List.of(config.patch().x(), config.patch().y(), config.patch().z()));
        return List.of(new ModelPort(model, spec), HistoryTable.of(trained.history(), List.of()));
    }

    /** Reads and preprocesses labeled cases as training cases, reporting each. */
    static List<TrainingCase> load(List<Case> cases, Preprocessing preprocessing, Progress progress)
            throws Exception {
        List<TrainingCase> out = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            progress.checkCanceled();
            Case c = cases.get(i);
            progress.report((double) i / cases.size(), "reading " + c.id());
            ImageAndLabels prepared = preprocessing.prepare(CaseVolumes.image(c), CaseVolumes.labels(c));
            out.add(new TrainingCase(c.id(), prepared.image(), prepared.labels()));
        }
        return out;
    }

    /** Every label value of the training labels, 0 first (a model always has a background class). */
    static int[] labelValues(List<TrainingCase> training) throws InvalidSettingsException {
        TreeSet<Integer> values = new TreeSet<>(List.of(0));
        for (TrainingCase c : training) {
            Arrays.stream(c.labels().labels()).forEach(values::add);
        }
        if (values.size() < 2) {
            throw new InvalidSettingsException("the training labels hold only background (0); a segmenter needs at "
                    + "least one foreground label");
        }
        return values.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Channel names from the first case's file names with its id taken off ("phantom_000_t1.nii.gz" → "t1"), or
     * "channel 1", ... when files hold several channels or names say nothing.
     */
    static List<String> channelNames(Case c, int channels) {
        if (c.images().size() != channels) {
            return java.util.stream.IntStream.rangeClosed(1, channels).mapToObj(k -> "channel " + k).toList();
        }
        List<String> names = new ArrayList<>();
        for (Path file : c.images()) {
            String stem = NiftiFiles.stem(file);
            String name = stem.startsWith(c.id()) ? stem.substring(c.id().length()).replaceFirst("^[_\\-.]+", "")
                    : stem;
            names.add(name.isEmpty() ? stem : name);
        }
        return names;
    }
}
