package org.volseg.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.volseg.core.data.synthetic.Phantom;
import org.volseg.core.data.synthetic.PhantomDataset;
import org.volseg.core.data.synthetic.PhantomSpec;
import org.volseg.core.sampling.PatchSize;
import org.volseg.core.transforms.IntensityNormalization;
import org.volseg.core.volume.LabelMap;
import org.volseg.core.volume.Volume;
import org.volseg.nn.distill.DistillationSettings;
import org.volseg.nn.distill.Distiller;
import org.volseg.nn.distill.GraphFlow;
import org.volseg.nn.distill.Teacher;
import org.volseg.nn.engine.DjlContext;
import org.volseg.nn.engine.Monitor;
import org.volseg.nn.engine.ProcessMemory;
import org.volseg.nn.engines.EpochRecord;
import org.volseg.nn.engines.Optimizer;
import org.volseg.nn.engines.Trainer;
import org.volseg.nn.engines.TrainingCase;
import org.volseg.nn.engines.TrainingSettings;
import org.volseg.nn.inferers.SlidingWindow;
import org.volseg.nn.networks.Architecture;
import org.volseg.nn.networks.Network;
import org.volseg.nn.networks.NetworkConfig;

/**
 * {@code volseg bench distill}: a wide UNet3d teacher and a Mobile U-Net student on synthetic BraTS-like phantoms
 * (three foreground classes), the student trained from scratch, with logits KD, with Graph Flow (vertex + edge)
 * and with the full objective; then with a quarter of the cases labeled, the student from scratch on those against
 * the full objective with the rest unlabeled. Test Dice per class, parameters, FLOPs per voxel, inference seconds
 * per case and peak memory, beside the teacher's from the same run.
 */
final class DistillBenchmark {

    private static final int SIZE = Integer.getInteger("volseg.bench.phantomSize", 48);
    private static final int PATCH = Integer.getInteger("volseg.bench.patch", 24);
    /** The inference window: the whole phantom by default, so that the time is the networks' own, not the window's. */
    private static final int WINDOW = Integer.getInteger("volseg.bench.window", SIZE);
    private static final int EPOCHS = Integer.getInteger("volseg.bench.epochs", 10);
    private static final int STEPS = Integer.getInteger("volseg.bench.stepsPerEpoch", 25);
    private static final int TRAIN = Integer.getInteger("volseg.bench.train", 12);
    private static final int TEST = Integer.getInteger("volseg.bench.test", 6);
    private static final boolean SEMI = Boolean.parseBoolean(System.getProperty("volseg.bench.semi", "true"));
    /** Whether the fully labeled comparison runs (false: only the semi-supervised one). */
    private static final boolean FULL = Boolean.parseBoolean(System.getProperty("volseg.bench.full", "true"));
    /**
     * Whether the semi-supervised student also trains for twice the steps: a step with unlabeled cases holds one
     * labeled and one unlabeled patch, so only then does it see as many labeled patches as the labeled-only run.
     */
    private static final boolean EQUAL_LABELED = Boolean.parseBoolean(System.getProperty("volseg.bench.equalLabeled",
            "true"));
    private static final int TEACHER_BLOCKS = Integer.getInteger("volseg.bench.teacherBlocks", 1);
    private static final int PARAPHRASER_STEPS = Integer.getInteger("volseg.bench.paraphraserSteps", 100);
    /** λ3 of the full objective; the node's default when not given. */
    private static final double ADVERSARIAL = Double.parseDouble(System.getProperty("volseg.bench.adversarialWeight",
            String.valueOf(DistillationSettings.defaults().adversarialWeight())));
    private static final List<Integer> TEACHER_WIDTHS = List.of(16, 32, 64, 128);
    private static final List<Integer> STUDENT_WIDTHS = List.of(8, 16, 32, 64);
    private static final int[] LABELS = {0, 1, 2, 3};

    private DistillBenchmark() {
    }

    /** A model's figures on the test cases. */
    record Outcome(Map<Integer, Double> dice, double meanDice, long parameters, double flopsPerVoxel,
            double secondsPerCase, long peakBytes, double trainSeconds, Map<String, Double> lastTerms) {
    }

    static void run() throws Exception {
        PhantomDataset phantoms = new PhantomDataset(2026, PhantomSpec.cube(SIZE));
        List<TrainingCase> cases = new ArrayList<>();
        for (Phantom p : phantoms.generateAll(TRAIN + TEST)) {
            cases.add(new TrainingCase(p.id(), IntensityNormalization.zScore(p.image()), p.labels()));
        }
        List<TrainingCase> train = cases.subList(0, TRAIN);
        List<TrainingCase> test = cases.subList(TRAIN, TRAIN + TEST);
        PatchSize patch = PatchSize.cube(PATCH);
        TrainingSettings settings = TrainingSettings.defaults().withPatch(patch).withEpochs(EPOCHS)
                .withStepsPerEpoch(STEPS).withOptimizer(Optimizer.Kind.ADAM, 3e-3, 2e-4).withSeed(7)
                .withValidation(EPOCHS, 0.5, 0).withCheckpointEvery(0);
        NetworkConfig teacherConfig = config(Architecture.UNET3D, TEACHER_WIDTHS, TEACHER_BLOCKS, patch);
        NetworkConfig studentConfig = config(Architecture.MOBILE_UNET3D, STUDENT_WIDTHS, 1, patch);
        DistillationSettings defaults = DistillationSettings.defaults();
        DistillationSettings full = new DistillationSettings(defaults.vertexWeight(), defaults.edgeWeight(),
                defaults.logitsWeight(), defaults.temperature(), false, defaults.graph(), PARAPHRASER_STEPS,
                defaults.paraphraserLearningRate(), ADVERSARIAL, defaults.criticLearningRate(), defaults.criticWidth());
        DistillationSettings logitsOnly = new DistillationSettings(0, 0, 1, 1, false, GraphFlow.Settings.defaults(),
                full.paraphraserSteps(), full.paraphraserLearningRate(), 0, full.criticLearningRate(),
                full.criticWidth());
        DistillationSettings graphOnly = new DistillationSettings(full.vertexWeight(), full.edgeWeight(), 0, 1, false,
                GraphFlow.Settings.defaults(), full.paraphraserSteps(), full.paraphraserLearningRate(), 0,
                full.criticLearningRate(), full.criticWidth());

        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        DjlContext.call(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                if (FULL) {
                    Network teacher = Network.withFeatureTaps(teacherConfig, m, 7);
                    outcomes.put("teacher", trained(teacher, train, test, settings, null, List.of(), null));
                    outcomes.put("student from scratch", trained(Network.withFeatureTaps(studentConfig, m, 8), train,
                            test, settings, null, List.of(), null));
                    outcomes.put("student + logits KD", trained(Network.withFeatureTaps(studentConfig, m, 8), train,
                            test, settings, teacher, List.of(), logitsOnly));
                    outcomes.put("student + Graph Flow", trained(Network.withFeatureTaps(studentConfig, m, 8), train,
                            test, settings, teacher, List.of(), graphOnly));
                    outcomes.put("student + full objective", trained(Network.withFeatureTaps(studentConfig, m, 8),
                            train, test, settings, teacher, List.of(), full));
                }
                if (SEMI) {
                    int labeled = Math.max(1, TRAIN / 4);
                    List<TrainingCase> few = train.subList(0, labeled);
                    List<Volume> rest = train.subList(labeled, TRAIN).stream().map(TrainingCase::image).toList();
                    Network fewTeacher = Network.withFeatureTaps(teacherConfig, m, 7);
                    outcomes.put("teacher, 25% labeled", trained(fewTeacher, few, test, settings, null, List.of(),
                            null));
                    outcomes.put("student from scratch, 25% labeled", trained(Network.withFeatureTaps(studentConfig,
                            m, 8), few, test, settings, null, List.of(), null));
                    outcomes.put("student + full objective, 25% labeled", trained(Network.withFeatureTaps(
                            studentConfig, m, 8), few, test, settings, fewTeacher, List.of(), full));
                    outcomes.put("student + full objective, 25% labeled + 75% unlabeled", trained(
                            Network.withFeatureTaps(studentConfig, m, 8), few, test, settings, fewTeacher, rest, full));
                    if (EQUAL_LABELED) {
                        outcomes.put("student + full objective, 25% labeled + 75% unlabeled, twice the steps",
                                trained(Network.withFeatureTaps(studentConfig, m, 8), few, test,
                                        settings.withStepsPerEpoch(2 * STEPS), fewTeacher, rest, full));
                    }
                }
            }
            return null;
        });

        String quarter = ", 25% labeled";
        Outcome t = outcomes.getOrDefault("teacher", outcomes.get("teacher" + quarter));
        Outcome scratch = outcomes.getOrDefault("student from scratch", outcomes.get("student from scratch"
                + quarter));
        Table table = new Table("Graph Flow distillation on synthetic phantoms: test Dice, size and speed")
                .setting("machine", Machine.describe())
                .setting("data", "phantoms " + SIZE + "³ (seed 2026): train " + TRAIN + ", test " + TEST
                        + "; labels 1 core, 2 edema, 3 enhancing; z-score per channel")
                .setting("teacher", "UNet3d widths " + TEACHER_WIDTHS + ", " + TEACHER_BLOCKS + " block(s) per level")
                .setting("student", "Mobile U-Net widths " + STUDENT_WIDTHS + ", 1 block per level")
                .setting("training", EPOCHS + " epochs × " + STEPS + " steps each model, patch " + patch
                        + ", batch 1 (2 with unlabeled cases), Adam lr 3e-3 poly, weight decay 2e-4, augmentation "
                        + "on; distillation: λ1 1e-5, λ2 1e-9, λ3 " + ADVERSARIAL + ", λ4 1, τ 1, RMS-normalised 3³ cosine "
                        + "graphs, " + PARAPHRASER_STEPS + " paraphraser steps, critic width 16 at 3e-5")
                .setting("inference", "sliding window " + WINDOW + "³, overlap 0.5, Gaussian, batch 1");
        table.row("student parameters", "", scratch.parameters(), "teacher", t.parameters(), "≤ 0.10×");
        table.row("student FLOPs per voxel", "", scratch.flopsPerVoxel(), "teacher", t.flopsPerVoxel(), "");
        table.row("student inference speed", "cases/s", 1 / scratch.secondsPerCase(), "teacher",
                1 / t.secondsPerCase(), "≥ 5×");
        table.row("student inference peak RSS (JVM included)", "MB", scratch.peakBytes() / 1048576.0, "teacher",
                t.peakBytes() / 1048576.0, "");
        outcomes.forEach((name, o) -> {
            if (!name.equals("teacher")) {
                table.row(name + " mean Dice", "", o.meanDice(), "teacher", t.meanDice(), "");
            }
        });
        if (FULL) {
            table.row("full objective: share of the teacher–scratch gap recovered", "", recovered(outcomes, ""),
                    "target", 0.5, "≥ 0.5 and > logits KD");
        }
        if (SEMI) {
            table.row("25% labeled, full objective: share of the gap recovered", "", recovered(outcomes, quarter),
                    "target", 0.5, "");
            table.row("25% labeled + 75% unlabeled mean Dice", "", outcomes.get("student + full objective" + quarter
                    + " + 75% unlabeled").meanDice(), "25% labeled only", outcomes.get("student + full objective"
                    + quarter).meanDice(), "> 1×");
            if (EQUAL_LABELED) {
                table.row("25% labeled + 75% unlabeled, as many labeled patches, mean Dice", "", outcomes.get(
                        "student + full objective" + quarter + " + 75% unlabeled, twice the steps").meanDice(),
                        "25% labeled only", outcomes.get("student + full objective" + quarter).meanDice(), "> 1×");
            }
        }
        outcomes.forEach((name, o) -> table.setting("Dice per label, " + name, o.dice()));
        outcomes.forEach((name, o) -> table.setting("training seconds, " + name, Math.round(o.trainSeconds())));
        outcomes.forEach((name, o) -> {
            if (!o.lastTerms().isEmpty()) {
                table.setting("last epoch's loss terms, " + name, o.lastTerms());
            }
        });
        table.print();
    }

    /** (full objective − scratch) / (teacher − scratch) of the runs named with {@code suffix}. */
    private static double recovered(Map<String, Outcome> outcomes, String suffix) {
        double scratch = outcomes.get("student from scratch" + suffix).meanDice();
        double gap = outcomes.get("teacher" + suffix).meanDice() - scratch;
        return gap == 0 ? Double.NaN : (outcomes.get("student + full objective" + suffix).meanDice() - scratch) / gap;
    }

    private static NetworkConfig config(Architecture a, List<Integer> widths, int blocks, PatchSize patch) {
        return new NetworkConfig(a, 4, LABELS.length, widths, blocks, NetworkConfig.Norm.INSTANCE,
                NetworkConfig.Activation.LEAKY_RELU, false, patch);
    }

    /** Trains {@code net} (distilled from {@code teacher} when given), then measures it on the test cases. */
    private static Outcome trained(Network net, List<TrainingCase> train, List<TrainingCase> test,
            TrainingSettings settings, Network teacher, List<Volume> unlabeled, DistillationSettings distillation) {
        long t0 = System.nanoTime();
        String name = net.config().architecture() + (teacher == null ? "" : " distilled");
        Monitor quiet = Monitor.SILENT;
        java.util.function.Consumer<EpochRecord> log = r -> System.err.printf(Locale.ROOT,
                "  %s epoch %d: loss %.3f, terms %s, %.0f s%n", name, r.epoch(), r.trainLoss(), r.lossTerms(),
                r.seconds());
        List<EpochRecord> history;
        try {
            if (teacher == null) {
                history = new Trainer().train(net, train, List.of(), LABELS, settings, null, quiet, log).history();
            } else {
                TrainingSettings s = unlabeled.isEmpty() ? settings : settings.withBatchSize(2);
                history = Distiller.distill(Teacher.of(teacher), net, train, unlabeled, List.of(), LABELS, s, distillation, null,
                        quiet, log).training().history();
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        double trainSeconds = (System.nanoTime() - t0) / 1e9;
        SlidingWindow window = new SlidingWindow(new SlidingWindow.Settings(PatchSize.cube(WINDOW), 0.5, true, 1));
        long[] tp = new long[LABELS.length];
        long[] sizes = new long[LABELS.length];
        double seconds = 0;
        ProcessMemory.resetPeak();
        NDManager manager = net.parameters().get(0).getManager();
        for (TrainingCase c : test) {
            // the best of three passes: the first warms the JIT and PyTorch's kernels up
            LabelMap predicted = null;
            double best = Double.POSITIVE_INFINITY;
            for (int pass = 0; pass < 3; pass++) {
                long start = System.nanoTime();
                float[][] probabilities;
                try (NDManager scope = manager.newSubManager()) {
                    probabilities = window.probabilities(c.image(), net::logits, scope, Monitor.SILENT);
                }
                predicted = SlidingWindow.labels(probabilities, c.image().geometry(), LABELS);
                best = Math.min(best, (System.nanoTime() - start) / 1e9);
            }
            seconds += best;
            // pooled over the test cases: 2 Σ|A∩B| / Σ(|A| + |B|)
            for (int i = 0; i < predicted.geometry().voxels(); i++) {
                int reference = c.labels().get(i);
                int guess = predicted.get(i);
                sizes[reference]++;
                sizes[guess]++;
                if (reference == guess) {
                    tp[reference]++;
                }
            }
        }
        long peak = ProcessMemory.peakBytes();
        Map<Integer, Double> dice = new LinkedHashMap<>();
        for (int k = 1; k < LABELS.length; k++) {
            dice.put(LABELS[k], sizes[k] == 0 ? 1.0 : 2.0 * tp[k] / sizes[k]);
        }
        double mean = dice.values().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        long parameters = net.parameters().stream().mapToLong(p -> p.getShape().size()).sum();
        System.err.printf(Locale.ROOT, "%s: mean Dice %.3f %s, %.2f s per case, trained in %.0f s%n", name, mean,
                dice, seconds / test.size(), trainSeconds);
        return new Outcome(dice, mean, parameters, flopsPerVoxel(net), seconds / test.size(), peak, trainSeconds,
                history.get(history.size() - 1).lossTerms());
    }

    /**
     * Multiply-adds × 2 of every convolution per input voxel: a kernel's size (out · in/groups · k³) at its level's
     * resolution, 1/8 per level down (stem, head and level-0 blocks at 1; down_i and up_i convolve at level i + 1).
     */
    static double flopsPerVoxel(Network net) {
        double flops = 0;
        for (NDArray p : net.parameters()) {
            String name = p.getName();
            if (!name.endsWith("weight") || p.getShape().dimension() != 5) {
                continue;
            }
            int level = 0;
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(encoder|decoder|down|up)(\\d+)")
                    .matcher(name);
            if (m.find()) {
                level = Integer.parseInt(m.group(2)) + (m.group(1).equals("down") || m.group(1).equals("up") ? 1
                        : 0);
            }
            flops += 2.0 * p.getShape().size() / Math.pow(8, level);
        }
        return flops;
    }
}
