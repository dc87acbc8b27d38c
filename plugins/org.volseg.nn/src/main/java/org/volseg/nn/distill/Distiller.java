package org.volseg.nn.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import org.volseg.core.sampling.PatchBox;
import org.volseg.core.sampling.PatchSize;
import org.volseg.core.sampling.Patches;
import org.volseg.core.sampling.UniformPatchSampler;
import org.volseg.core.volume.Volume;
import org.volseg.nn.bundle.BundleFormatException;
import org.volseg.nn.bundle.ModelBundle;
import org.volseg.nn.engine.Compute;
import org.volseg.nn.engine.DjlContext;
import org.volseg.nn.engine.GradMode;
import org.volseg.nn.engine.Monitor;
import org.volseg.nn.engines.EpochRecord;
import org.volseg.nn.engines.Optimizer;
import org.volseg.nn.engines.Trainer;
import org.volseg.nn.engines.TrainingCase;
import org.volseg.nn.engines.TrainingResult;
import org.volseg.nn.engines.TrainingSettings;
import org.volseg.nn.inferers.SlidingWindow;
import org.volseg.nn.inferers.TorchScriptModels;
import org.volseg.nn.losses.SegmentationLosses;
import org.volseg.nn.networks.Network;
import org.volseg.nn.networks.NetworkBundle;
import org.volseg.nn.networks.NetworkConfig;
import org.volseg.nn.networks.Parameters;

/**
 * Graph Flow distillation (SEED_METHODS.md §3(c)) of a trained teacher into a compact student: (1) one paraphraser
 * per teacher tap learns to reconstruct the frozen teacher's features (MSE) and is frozen; (2) the student trains
 * with the {@link Trainer} on the teacher's objective plus the distillation terms ({@link DistillingStudent}),
 * labeled and, when given, unlabeled patches alternating. With whole-case soft labels the teacher first
 * segments every training and unlabeled image once, and each patch carries its cut of that prediction.
 */
public final class Distiller {

    /** Share of the progress bar the paraphrasers take. */
    private static final double PARAPHRASER_SHARE = 0.1;
    /** Share of the progress bar the teacher's whole-case predictions take, when asked for. */
    private static final double SOFT_LABEL_SHARE = 0.05;
    /** The smallest probability whose logarithm a soft label keeps (log 0 would poison the KL term). */
    private static final float SMALLEST_PROBABILITY = 1e-6f;
    /** Its logarithm: a soft label's value for a class it rules out. */
    static final float LOG_SMALLEST_PROBABILITY = (float) Math.log(SMALLEST_PROBABILITY);

    private Distiller() {
    }

    /**
     * How a distillation went.
     *
     * @param training                 the student's run
     * @param paraphraserFirstLoss     the paraphrasers' reconstruction MSE (both taps summed) over their first tenth
     *                                 of steps; NaN when the graph is off
     * @param paraphraserLastLoss      the same over their last tenth
     */
    public record Result(TrainingResult training, double paraphraserFirstLoss, double paraphraserLastLoss) {
    }

    /**
     * Distills {@code teacher} into {@code student}, leaving the student's final parameters in it.
     *
     * @param teacher    the trained teacher; not changed
     * @param student    the student, with feature taps, freshly initialised (or resumed from {@code checkpoint})
     * @param training   labeled cases, preprocessed as the teacher's were
     * @param unlabeled  images without labels (may be empty), preprocessed alike
     * @param validation labeled cases segmented whole by the student to follow its Dice; may be empty
     * @see Trainer#train for the other arguments, the checkpoint and what is thrown
     */
    public static Result distill(Teacher teacher, Network student, List<TrainingCase> training,
            List<Volume> unlabeled, List<TrainingCase> validation, int[] labelValues, TrainingSettings settings,
            DistillationSettings distillation, Path checkpoint, Monitor monitor, Consumer<EpochRecord> onEpoch)
            throws IOException {
        NetworkConfig s = student.config();
        if (distillation.usesGraph() && !teacher.hasTaps()) {
            throw new IllegalArgumentException("a TorchScript teacher has no feature taps for the graph terms; set "
                    + "the vertex and edge weights to 0 to distil from its logits alone");
        }
        NetworkConfig t = teacher.hasTaps() ? teacher.network() : null;
        if (t != null && t.featureLevel() != s.featureLevel()) {
            throw new IllegalArgumentException("the teacher's feature taps lie at 1/" + (1 << t.featureLevel())
                    + " resolution (" + t.levels() + " levels), the student's at 1/" + (1 << s.featureLevel()) + " ("
                    + s.levels() + " levels); give both 4 or more levels, or the same number");
        }
        if (t != null && t.inputChannels() != s.inputChannels()) {
            throw new IllegalArgumentException("the teacher takes " + t.inputChannels() + " channel(s), the student "
                    + s.inputChannels() + "; they see the same images");
        }
        NDManager manager = student.parameters().get(0).getManager();
        List<Volume> images = new ArrayList<>(); // the labeled cases' first, then the unlabeled
        training.forEach(c -> images.add(c.image()));
        images.addAll(unlabeled);
        Paraphraser shallow = null;
        Paraphraser deep = null;
        double first = Double.NaN;
        double last = Double.NaN;
        if (distillation.usesGraph()) {
            Parameters p = new Parameters(manager, settings.seed() ^ 0x5EED_0F_F1A5L, DataType.FLOAT32);
            shallow = Paraphraser.create(p, "paraphraser.shallow", t.tapChannels(), s.tapChannels());
            deep = Paraphraser.create(p, "paraphraser.deep", t.tapChannels(), s.tapChannels());
            double[] curve = trainParaphrasers(teacher, shallow, deep, images, settings.patch(), distillation,
                    settings.seed(), monitor.slice(0, PARAPHRASER_SHARE));
            int tenth = Math.max(1, curve.length / 10);
            first = mean(curve, 0, tenth);
            last = mean(curve, curve.length - tenth, curve.length);
        }
        double start = distillation.usesGraph() ? PARAPHRASER_SHARE : 0;
        if (distillation.usesWholeCaseSoftLabels()) {
            Monitor predicting = monitor.slice(start, start + SOFT_LABEL_SHARE);
            List<Volume> guided = new ArrayList<>();
            for (Volume image : images) {
                int done = guided.size();
                guided.add(withSoftLabels(teacher, image, settings.patch(), manager,
                        predicting.slice((double) done / images.size(), (done + 1.0) / images.size())));
            }
            List<TrainingCase> labeled = new ArrayList<>();
            for (int i = 0; i < training.size(); i++) {
                TrainingCase c = training.get(i);
                labeled.add(new TrainingCase(c.id(), guided.get(i), c.labels()));
            }
            training = labeled;
            unlabeled = guided.subList(training.size(), guided.size());
            start += SOFT_LABEL_SHARE;
        }
        Discriminator critic = null;
        if (distillation.usesCritic()) {
            PatchSize patch = settings.patch();
            critic = Discriminator.create(new Parameters(manager, settings.seed() ^ 0xC1_71C5L, DataType.FLOAT32),
                    s.classes(),
                    Math.min(patch.x(), Math.min(patch.y(), patch.z())), distillation.criticWidth());
        }
        try (DistillingStudent trainable = new DistillingStudent(teacher, shallow, deep, student, critic,
                distillation)) {
            TrainingResult result = new Trainer().train(trainable, training, unlabeled, validation, labelValues,
                    settings, checkpoint, monitor.slice(start, 1), onEpoch);
            return new Result(result, first, last);
        }
    }

    /**
     * The image with the teacher's log probabilities appended as one channel per class: its prediction of the whole
     * image through half-overlapping, Gaussian-blended windows of the training patch's size.
     */
    static Volume withSoftLabels(Teacher teacher, Volume image, PatchSize patch, NDManager manager,
            Monitor monitor) {
        float[][] probabilities;
        try (NDManager scope = manager.newSubManager()) {
            probabilities = GradMode.with(false, () -> new SlidingWindow(new SlidingWindow.Settings(patch, 0.5,
                    true, 1)).probabilities(image, x -> teacher.features(x).logits(), scope, monitor));
        }
        float[][] channels = new float[image.channelCount() + probabilities.length][];
        for (int c = 0; c < image.channelCount(); c++) {
            channels[c] = image.channel(c);
        }
        for (int k = 0; k < probabilities.length; k++) {
            float[] p = probabilities[k];
            for (int i = 0; i < p.length; i++) {
                p[i] = (float) Math.log(Math.max(p[i], SMALLEST_PROBABILITY));
            }
            channels[image.channelCount() + k] = p;
        }
        return new Volume(image.geometry(), channels);
    }

    /**
     * Trains both paraphrasers on uniformly drawn patches of {@code images} through the frozen teacher, with Adam
     * at a constant learning rate; returns the summed reconstruction MSE of every step.
     */
    static double[] trainParaphrasers(Teacher teacher, Paraphraser shallow, Paraphraser deep, List<Volume> images,
            PatchSize patch, DistillationSettings settings, long seed, Monitor monitor) {
        List<NDArray> parameters = new ArrayList<>(shallow.parameters());
        parameters.addAll(deep.parameters());
        NDManager manager = parameters.get(0).getManager();
        List<UniformPatchSampler> samplers = images.stream()
                .map(image -> new UniformPatchSampler(image.geometry(), patch)).toList();
        SplittableRandom random = new SplittableRandom(seed);
        int steps = settings.paraphraserSteps();
        double[] losses = new double[steps];
        try (Optimizer optimizer = Optimizer.create(Optimizer.Kind.ADAM, parameters, 0)) {
            optimizer.zeroGradients();
            for (int step = 0; step < steps; step++) {
                monitor.checkCanceled();
                int i = random.nextInt(images.size());
                PatchBox box = samplers.get(i).next(random).box();
                Volume image = Patches.extract(images.get(i), box, 0f);
                try (NDManager scope = manager.newSubManager()) {
                    NDArray x = tensor(image, scope);
                    Network.Features t = teacher.features(x);
                    NDArray loss = GradMode.with(true, () -> SegmentationLosses.meanSquaredError(
                            shallow.reconstruct(t.shallow()), t.shallow()).add(SegmentationLosses.meanSquaredError(
                                    deep.reconstruct(t.deep()), t.deep())));
                    GradMode.backward(loss);
                    losses[step] = loss.getFloat();
                }
                if (!Double.isFinite(losses[step])) {
                    throw new IllegalStateException("the paraphrasers' reconstruction loss is " + losses[step]
                            + " at step " + (step + 1) + "; lower the paraphraser learning rate");
                }
                optimizer.step(settings.paraphraserLearningRate());
                optimizer.zeroGradients();
                monitor.progress((step + 1.0) / steps, String.format(Locale.ROOT,
                        "paraphrasers: step %d/%d, reconstruction loss %.4g", step + 1, steps, losses[step]));
            }
        }
        return losses;
    }

    /** One patch as a 1 × C × D × H × W float32 tensor. */
    private static NDArray tensor(Volume image, NDManager manager) {
        int voxels = image.geometry().voxels();
        float[] values = new float[image.channelCount() * voxels];
        for (int c = 0; c < image.channelCount(); c++) {
            System.arraycopy(image.channel(c), 0, values, c * voxels, voxels);
        }
        var g = image.geometry();
        return manager.create(FloatBuffer.wrap(values), new Shape(1, image.channelCount(), g.nz(), g.ny(), g.nx()),
                DataType.FLOAT32);
    }

    private static double mean(double[] values, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += values[i];
        }
        return sum / (to - from);
    }

    /**
     * Reads the teacher bundle, distills it into a student built from {@code studentConfig} (weights from
     * {@code seed}) on the {@code compute} device, and writes the student as a bundle, all in a manager of its own:
     * for callers that keep DJL at arm's length (the operations layer).
     *
     * @throws BundleFormatException when the teacher bundle is unreadable
     */
    public static Result distillToBundle(Path teacherFile, NetworkConfig studentConfig, long seed,
            List<TrainingCase> training, List<Volume> unlabeled, List<TrainingCase> validation, int[] labelValues,
            TrainingSettings settings, DistillationSettings distillation, Path checkpoint, Monitor monitor,
            Path studentFile, Function<Result, NetworkBundle.Description> description, Compute compute)
            throws IOException {
        return DjlContext.callIo(() -> {
            try (NDManager m = compute.newManager()) {
                ModelBundle.Contents contents = ModelBundle.read(teacherFile, m);
                Teacher teacher = contents.isTorchScript()
                        ? Teacher.logitsOnly(TorchScriptModels.load(teacherFile, contents, m).predictor())
                        : Teacher.of(NetworkBundle.readWithFeatureTaps(teacherFile, contents, m).network());
                Network student = Network.withFeatureTaps(studentConfig, m, seed);
                Result result = distill(teacher, student, training, unlabeled, validation, labelValues, settings,
                        distillation, checkpoint, monitor, null);
                NetworkBundle.write(studentFile, student, description.apply(result));
                return result;
            }
        });
    }
}
