package org.volseg.ops.learner;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.volseg.core.data.Case;
import org.volseg.core.data.CaseVolumes;
import org.volseg.core.data.Splits;
import org.volseg.core.sampling.PatchSize;
import org.volseg.core.transforms.Preprocessing;
import org.volseg.core.volume.Volume;
import org.volseg.nn.bundle.BundleManifest;
import org.volseg.nn.distill.DistillationSettings;
import org.volseg.nn.distill.Distiller;
import org.volseg.nn.distill.DistillingStudent;
import org.volseg.nn.distill.GraphFlow;
import org.volseg.nn.engine.Compute;
import org.volseg.nn.engine.DjlContext;
import org.volseg.nn.engine.OutOfMemoryException;
import org.volseg.nn.engine.ProcessMemory;
import org.volseg.nn.engines.Optimizer;
import org.volseg.nn.engines.TrainingCase;
import org.volseg.nn.engines.TrainingSettings;
import org.volseg.nn.inferers.PredictingModel;
import org.volseg.nn.networks.NetworkBundle;
import org.volseg.nn.networks.NetworkConfig;
import org.volseg.nn.ossnet.OssNetConfig;
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
import org.volseg.ops.api.VolumeTable;

/**
 * The Segmenter Distiller node: Graph Flow distillation of a trained VolSeg teacher into a compact student that
 * predicts like any other model, from labeled and (semi-supervised) unlabeled cases.
 */
public final class SegmenterDistiller implements Operation<SegmenterDistillerSettings> {

    /** The loss terms the history reports, in its column order. */
    static final List<String> TERMS = List.of(DistillingStudent.DICE, DistillingStudent.CROSS_ENTROPY,
            DistillingStudent.VERTEX, DistillingStudent.EDGE, DistillingStudent.ADVERSARIAL, DistillingStudent.LOGITS,
            DistillingStudent.CRITIC);
    /** The reference's Adam weight decay. */
    private static final double WEIGHT_DECAY = 2e-4;

    @Override
    public String id() {
        return "distill";
    }

    @Override
    public String name() {
        return "Segmenter Distiller";
    }

    @Override
    public String summary() {
        return "Distils a trained segmenter into a compact student (Graph Flow), also from unlabeled volumes.";
    }

    @Override
    public String description() {
        return "Trains a small, fast student to segment like a large teacher (a model of the Segmenter Learner; a "
                + "TorchScript import teaches through its logits only; OSS-Net models are refused), by Graph "
                + "Flow knowledge distillation: besides Dice + cross-entropy on the labels, the student learns how "
                + "the teacher's features change from a shallow tap (encoder, ¼ resolution) to a deep one (decoder, "
                + "¼ resolution): per channel a salience patch around its maximum (vertex) and the channels' "
                + "similarities (edges), compared as the change between the taps. The teacher's taps are first "
                + "compressed to the student's channel count by two paraphrasers (auto-encoders trained on the "
                + "frozen teacher). A KL term on the softened logits adds vanilla distillation (its soft labels "
                + "from the teacher on each patch, or cut from the teacher's whole-case prediction, computed once "
                + "through blended windows, so that none comes from a window's border), and, when asked "
                + "for, a critic (3D patch discriminator, hinge loss) trained alongside pushes the student's "
                + "logits towards the teacher's. Deviation from the reference: its critic is a WGAN with gradient "
                + "penalty, which needs a second derivative that leaked native memory at every step through DJL, so "
                + "this critic uses the hinge loss with spectral norm instead (docs/distillation.md). Cases without "
                + "a label map in the one input table are the unlabeled ones (the reference loads them as a set of "
                + "their own): they train the distillation terms only (semi-supervised), half the patches each step. "
                + "The student keeps the teacher's preprocessing, channels and labels, so it predicts with the "
                + "Segmenter Predictor like any model. The history has one row per epoch, each loss term (and the "
                + "critic's own loss) in a column.";
    }

    @Override
    public String nodeType() {
        return "Learner";
    }

    @Override
    public Class<SegmenterDistillerSettings> settingsType() {
        return SegmenterDistillerSettings.class;
    }

    @Override
    public List<Port> inputs() {
        return List.of(new Port(PortKind.MODEL, "Teacher", "A trained model bundle: a VolSeg network, or a "
                + "TorchScript import (logits and adversarial terms only: it has no feature taps)."),
                new Port(PortKind.VOLUME_TABLE, "Volumes", "Labeled cases, and unlabeled ones for the "
                        + "semi-supervised terms."));
    }

    @Override
    public List<Port> outputs() {
        return List.of(new Port(PortKind.MODEL, "Student", "The distilled student bundle."),
                new Port(PortKind.HISTORY_TABLE, "History", "One row per epoch: loss, each loss term, validation "
                        + "Dice, seconds, peak memory."));
    }

    @Override
    public List<PortSpec> configure(SegmenterDistillerSettings s, List<PortSpec> inputs)
            throws InvalidSettingsException {
        distillation(s);
        List<Integer> widths = SegmenterLearner.widths(s.widths());
        if (widths.size() < 2) {
            throw new InvalidSettingsException("Student widths (widths) has " + widths.size() + " level; the "
                    + "student needs 2 or more (4 or more for taps at ¼ resolution) for feature taps");
        }
        PortSpec teacher = inputs.isEmpty() ? null : inputs.get(0);
        if (teacher instanceof ModelPort.Spec spec) {
            if (OssNetConfig.ARCHITECTURE.equals(spec.architecture())) {
                throw new InvalidSettingsException("the teacher is an OSS-Net model, which answers at sampled points, "
                        + "not in windows of logits a student can learn from: distil from a model of the Segmenter "
                        + "Learner or a TorchScript import");
            }
            if ("TORCHSCRIPT".equals(spec.architecture()) && (s.vertexWeight() > 0 || s.edgeWeight() > 0)) {
                throw new InvalidSettingsException("the teacher is a TorchScript model, whose features VolSeg cannot "
                        + "tap for the graph terms: set Vertex weight (vertex_weight) and Edge weight (edge_weight) "
                        + "to 0 to distil from its logits alone, or distil from a model of the Segmenter Learner");
            }
            student(s, spec.channels().size(), spec.labels().size(), PatchSize.cube(s.patchSize() > 0
                    ? s.patchSize() : spec.patch().get(0)));
        }
        return Arrays.asList(null, HistoryTable.withLossTerms(TERMS));
    }

    private static DistillationSettings distillation(SegmenterDistillerSettings s) throws InvalidSettingsException {
        try {
            return new DistillationSettings(s.vertexWeight(), s.edgeWeight(), s.logitsWeight(), s.temperature(),
                    s.temperatureSquared(), new GraphFlow.Settings(s.saliencePatch(), s.salienceLocation(),
                            s.edgeSimilarity(), s.tapNormalization()), s.paraphraserSteps(), 1e-3,
                    s.adversarialWeight(), s.criticLearningRate(), s.criticWidth(), s.softLabels());
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingsException("the distillation settings do not fit together: " + e.getMessage());
        }
    }

    private static NetworkConfig student(SegmenterDistillerSettings s, int channels, int classes, PatchSize patch)
            throws InvalidSettingsException {
        try {
            return new NetworkConfig(s.architecture(), channels, classes, SegmenterLearner.widths(s.widths()),
                    s.blocksPerLevel(), NetworkConfig.Norm.INSTANCE, NetworkConfig.Activation.LEAKY_RELU, false,
                    patch);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingsException("the student settings do not fit together: " + e.getMessage());
        }
    }

    @Override
    public List<PortData> execute(SegmenterDistillerSettings s, List<PortData> inputs, Progress progress)
            throws Exception {
        Compute.Resolved device = SegmenterLearnerSettings.resolveForTraining(s.device());
        ModelPort teacher = (ModelPort) inputs.get(0);
        BundleManifest manifest = NetworkBundle.check(teacher.bundle());
        Preprocessing preprocessing = Preprocessing.fromMap(manifest.preprocessing());
        List<Case> cases = VolumeTable.cases((Table) inputs.get(1));
        List<Case> labeled = cases.stream().filter(Case::labeled).toList();
        List<Case> unlabeledCases = s.useUnlabeled() ? cases.stream().filter(c -> !c.labeled()).toList() : List.of();
        if (labeled.isEmpty()) {
            throw new InvalidSettingsException("none of the " + cases.size() + " cases has a label map; the student "
                    + "needs labeled cases (and may add unlabeled ones)");
        }
        Splits.Split split = LabeledCases.split(labeled, "labeled ", s.validationShare(), s.crossValidation(),
                s.seed());
        Progress loading = progress.slice(0, 0.05);
        List<TrainingCase> training = SegmenterLearner.load(split.training(), preprocessing,
                loading.slice(0, 0.6));
        List<TrainingCase> validation = SegmenterLearner.load(split.validation(), preprocessing,
                loading.slice(0.6, 0.8));
        List<Volume> unlabeled = new ArrayList<>();
        for (Case c : unlabeledCases) {
            progress.checkCanceled();
            unlabeled.add(preprocessing.prepare(CaseVolumes.image(c)).image());
        }
        int[] labelValues = PredictingModel.labelValues(manifest);
        int channels = manifest.channelNames().size();
        List<Volume> images = new ArrayList<>(unlabeled);
        training.forEach(c -> images.add(c.image()));
        for (Volume image : images) {
            if (image.channelCount() != channels) {
                throw new InvalidSettingsException("a case has " + image.channelCount() + " channel(s); the teacher "
                        + "takes " + channels + " (" + String.join(", ", manifest.channelNames()) + ")");
            }
        }
        PatchSize patch = PatchSize.cube(s.patchSize() > 0 ? s.patchSize() : manifest.patchSize().get(0));
        NetworkConfig config = student(s, channels, labelValues.length, patch);
        TrainingSettings settings = TrainingSettings.defaults().withPatch(patch).withEpochs(s.epochs())
                .withStepsPerEpoch(s.stepsPerEpoch()).withOptimizer(Optimizer.Kind.ADAM, s.learningRate(),
                        WEIGHT_DECAY).withBatchSize(unlabeled.isEmpty() ? 1 : 2)
                .withValidation(Math.max(1, s.epochs() / 5), 0.5, 0).withCheckpointEvery(1).withSeed(s.seed());
        DistillationSettings distillation = distillation(s);

        Path model = s.modelFile() != null ? s.modelFile() : Files.createTempDirectory("volseg-model")
                .resolve("student-" + config.architecture().name().toLowerCase(Locale.ROOT) + ModelPort.EXTENSION);
        if (model.getParent() != null) {
            Files.createDirectories(model.getParent());
        }
        Path checkpoint = model.resolveSibling(model.getFileName() + ".checkpoint");
        Progress train = progress.slice(0.05, 0.98);
        train.reportAndLog(0, "distilling " + manifest.architecture().get("name") + " into " + config.architecture()
                + " on " + device.note() + " (" + training.size() + " labeled, " + unlabeled.size() + " unlabeled "
                + "case(s))");
        ProcessMemory.resetPeak();
        Distiller.Result result;
        try {
            result = Progress.callNetworks(() -> Distiller.distillToBundle(teacher.bundle(), config, s.seed(),
                    training, unlabeled, validation, labelValues, settings, distillation, checkpoint,
                    train.monitor(), model, r -> {
                        Map<String, Object> provenance = new LinkedHashMap<>();
                        provenance.put("trained", Instant.now().toString());
                        provenance.put("distilled_from", teacher.bundle().getFileName().toString());
                        provenance.put("teacher_architecture", manifest.architecture());
                        provenance.put("seed", s.seed());
                        provenance.put("cross_validation_fold", s.crossValidation().toString());
                        provenance.put("training_cases", split.training().stream().map(Case::id).toList());
                        provenance.put("unlabeled_cases", unlabeledCases.stream().map(Case::id).toList());
                        provenance.put("validation_cases", split.validation().stream().map(Case::id).toList());
                        provenance.put("distillation", schema().format(s));
                        provenance.put("device", device.note());
                        Map<String, Double> metrics = new LinkedHashMap<>();
                        if (!Double.isNaN(r.training().bestMeanDice())) {
                            metrics.put("best_validation_mean_dice", r.training().bestMeanDice());
                            metrics.put("best_epoch", (double) r.training().bestEpoch());
                        }
                        if (!Double.isNaN(r.paraphraserLastLoss())) {
                            metrics.put("paraphraser_first_loss", r.paraphraserFirstLoss());
                            metrics.put("paraphraser_last_loss", r.paraphraserLastLoss());
                        }
                        return new NetworkBundle.Description(manifest.channelNames(),
                                new TreeMap<>(manifest.labelNames()), preprocessing, provenance, metrics);
                    }, s.device()));
        } catch (RuntimeException | OutOfMemoryError e) {
            if (!OutOfMemoryException.isOutOfMemory(e)) {
                throw e;
            }
            throw new OutOfMemoryException("distillation ran out of memory on " + device.note() + " ("
                    + (e instanceof OutOfMemoryError ? "Java heap: " + e.getMessage() : DjlContext.engineWords(e))
                    + ") with patch " + patch.x() + "³: teacher and student both run on each patch; lower the patch "
                    + "size (memory grows with its cube)", e);
        }
        Files.deleteIfExists(checkpoint);
        progress.report(1, "student written to " + model);
        ModelPort.Spec spec = new ModelPort.Spec(config.architecture().name(), manifest.channelNames(),
                manifest.labelNames(), List.of(patch.x(), patch.y(), patch.z()));
        return List.of(new ModelPort(model, spec), HistoryTable.of(result.training().history(), TERMS));
    }
}
