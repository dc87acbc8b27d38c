package org.volseg.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.volseg.core.data.Colin27;
import org.volseg.core.data.synthetic.Phantom;
import org.volseg.core.data.synthetic.PhantomDataset;
import org.volseg.core.data.synthetic.PhantomSpec;
import org.volseg.core.sampling.PatchSize;
import org.volseg.core.transforms.Box;
import org.volseg.core.transforms.Cropping;
import org.volseg.core.transforms.ImageAndLabels;
import org.volseg.core.transforms.IntensityNormalization;
import org.volseg.core.transforms.Preprocessing;
import org.volseg.core.transforms.Reorientation;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.LabelMap;
import org.volseg.core.volume.Volume;
import org.volseg.nn.distill.DistillationSettings;
import org.volseg.nn.distill.Distiller;
import org.volseg.nn.distill.GraphFlow;
import org.volseg.nn.distill.Teacher;
import org.volseg.nn.engine.ChildJvm;
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
import org.volseg.nn.networks.StepMemory;

/**
 * {@code volseg bench distill}: a wide UNet3d teacher and a Mobile U-Net student, the student trained from scratch,
 * with logits KD, with Graph Flow (vertex + edge) and with the full objective, on two tasks: synthetic BraTS-like
 * phantoms (three foreground classes) and four AAL regions of Colin27 (trained on the left hemisphere, tested on the
 * right); then, on the phantoms, with a quarter of the cases labeled, the student from scratch on those against the
 * full objective with the rest unlabeled. Test Dice per class, parameters, FLOPs per voxel, inference seconds per
 * case and peak memory, beside the teacher's from the same run.
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
     * The lengths the quarter-labeled comparison runs at: "short" (the run's steps) and "long" (twice as many). At
     * either, both students see the same labeled patches: a step with unlabeled cases holds one labeled and one
     * unlabeled patch, a labeled-only step (batch 1) one labeled patch.
     */
    private static final List<String> SEMI_RUNS = List.of(System.getProperty("volseg.bench.semiRuns", "short,long")
            .split(","));
    /** What the long semi-supervised rows' names end with. */
    private static final String LONG = ", twice the steps";
    /**
     * Whether the Graph Flow student also trains on the phantoms with each open choice of the graph changed from its
     * default, one at a time (the defaults' ablation; about ten minutes more per seed).
     */
    private static final boolean ABLATION = Boolean.getBoolean("volseg.bench.ablation");
    /** How many initialisations (and training seeds) each student trains with; its rows give the mean. */
    private static final int SEEDS = Integer.getInteger("volseg.bench.seeds", 1);
    /**
     * Whether the logits KD and full-objective students also train with the soft labels from the other source than
     * the node's default (the teacher on each patch, or its whole-case prediction), rows ending in {@link #OTHER}.
     */
    private static final boolean OTHER_SOFT_LABELS = Boolean.parseBoolean(System.getProperty(
            "volseg.bench.otherSoftLabels", "true"));
    /** Where the distilled students' soft labels come from (the node's default unless given). */
    private static final DistillationSettings.SoftLabels SOFT_LABELS = DistillationSettings.SoftLabels.valueOf(System
            .getProperty("volseg.bench.softLabels", DistillationSettings.defaults().softLabels().name())
            .toUpperCase(Locale.ROOT).replace('-', '_'));
    private static final String OTHER = ", " + label(other(SOFT_LABELS)) + " soft labels";
    /**
     * Whether to time inference only: the teacher and the student freshly initialised (weights do not change the
     * work), on the phantoms' test cases, without training anything; for a speed figure taken alone on the machine.
     */
    private static final boolean SPEED_ONLY = Boolean.getBoolean("volseg.bench.speedOnly");
    private static final int TEACHER_BLOCKS = Integer.getInteger("volseg.bench.teacherBlocks", 1);
    private static final int PARAPHRASER_STEPS = Integer.getInteger("volseg.bench.paraphraserSteps", 100);
    /** The distilled students trained beside the scratch one: any of logits, graph and full (all by default). */
    private static final List<String> OBJECTIVES = List.of(System.getProperty("volseg.bench.objectives",
            "logits,graph,full").split(","));
    /** λ4 of the logits KD and full-objective students; the node's default when not given. */
    private static final double LOGITS_WEIGHT = Double.parseDouble(System.getProperty("volseg.bench.logitsWeight",
            String.valueOf(DistillationSettings.defaults().logitsWeight())));
    /** λ1 and λ2 of the Graph Flow and full-objective students; the node's defaults when not given. */
    private static final double VERTEX_WEIGHT = Double.parseDouble(System.getProperty("volseg.bench.vertexWeight",
            String.valueOf(DistillationSettings.defaults().vertexWeight())));
    private static final double EDGE_WEIGHT = Double.parseDouble(System.getProperty("volseg.bench.edgeWeight",
            String.valueOf(DistillationSettings.defaults().edgeWeight())));
    /** The vertex (salience patch) size of the Graph Flow and full-objective students; the node's default if unset. */
    private static final int VERTEX_PATCH = Integer.getInteger("volseg.bench.vertexPatch",
            GraphFlow.Settings.defaults().patch());
    /** λ3 of the full objective; the node's default when not given. */
    private static final double ADVERSARIAL = Double.parseDouble(System.getProperty("volseg.bench.adversarialWeight",
            String.valueOf(DistillationSettings.defaults().adversarialWeight())));
    private static final List<Integer> TEACHER_WIDTHS = List.of(16, 32, 64, 128);
    /** The student: the Mobile U-Net by default, or {@code unet3d} (a plain compact U-Net). */
    private static final Architecture STUDENT = Architecture.valueOf(System.getProperty("volseg.bench.student",
            "mobile-unet3d").toUpperCase(Locale.ROOT).replace('-', '_'));
    private static final List<Integer> STUDENT_WIDTHS = java.util.Arrays.stream(System.getProperty(
            "volseg.bench.studentWidths", STUDENT == Architecture.MOBILE_UNET3D ? "8,16,32,64" : "4,8,16,32")
            .split(",")).map(String::trim).map(Integer::valueOf).toList();
    private static final int[] PHANTOM_LABELS = {0, 1, 2, 3};
    /** The start of the ablation's row names. */
    private static final String ABLATED = "student + Graph Flow, ";
    /** The tasks the fully labeled comparison runs on: phantoms, aal or both (the default). */
    private static final List<String> TASKS = List.of(System.getProperty("volseg.bench.tasks", "phantoms,aal")
            .split(","));
    /** AAL regions, both hemispheres' indices each: Precentral, Frontal_Mid, Postcentral, Temporal_Mid. */
    private static final int[][] AAL_REGIONS = {{1, 2}, {7, 8}, {57, 58}, {85, 86}};
    private static final String AAL_REGION_NAMES = "1 precentral, 2 middle frontal, 3 postcentral, 4 middle temporal";
    private static final double AAL_SPACING = Double.parseDouble(System.getProperty("volseg.bench.aalSpacing", "3"));
    private static final int AAL_PATCH = Integer.getInteger("volseg.bench.aalPatch", 24);

    private DistillBenchmark() {
    }

    /**
     * What the models learn and are tested on.
     *
     * @param prefix   what the task's rows start with ("" for the phantoms, the first task)
     * @param window   the inference window
     */
    record Task(String prefix, String description, List<TrainingCase> train, List<TrainingCase> test, int channels,
            int[] labels, PatchSize patch, PatchSize window, boolean augment) {
    }

    /** A model's figures on the test cases. */
    record Outcome(Map<Integer, Double> dice, double meanDice, long parameters, double flopsPerVoxel,
            double secondsPerCase, long peakBytes, double trainSeconds, Map<String, Double> lastTerms,
            List<Double> meanDicePerSeed) {
    }

    static void run() throws Exception {
        Task phantoms = phantoms();
        if (SPEED_ONLY) {
            speed(phantoms);
            return;
        }
        List<Task> tasks = new ArrayList<>();
        if (TASKS.contains("phantoms")) {
            tasks.add(phantoms);
        }
        if (TASKS.contains("aal")) {
            tasks.add(aal());
        }
        TrainingSettings settings = TrainingSettings.defaults().withEpochs(EPOCHS).withStepsPerEpoch(STEPS)
                .withOptimizer(Optimizer.Kind.ADAM, 3e-3, 2e-4).withSeed(7).withValidation(EPOCHS, 0.5, 0)
                .withCheckpointEvery(0);
        Objectives objectives = Objectives.of(DistillationSettings.defaults().withSoftLabels(SOFT_LABELS));
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        DjlContext.call(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                Map<String, Network> teachers = FULL ? fullyLabeled(tasks, settings, objectives, m, outcomes)
                        : Map.of();
                if (ABLATION) {
                    ablation(phantoms, teachers.get(phantoms.prefix()), settings, objectives.full(), m, outcomes);
                }
                if (SEMI) {
                    semiSupervised(phantoms, settings, objectives.full(), m, outcomes);
                }
            }
            return null;
        });
        print(tasks, phantoms, objectives.full(), outcomes);
    }

    /** The objectives the distilled students train with: the full one, logits KD alone, Graph Flow alone. */
    private record Objectives(DistillationSettings full, DistillationSettings logitsOnly,
            DistillationSettings graphOnly) {

        static Objectives of(DistillationSettings defaults) {
            GraphFlow.Settings d = defaults.graph();
            GraphFlow.Settings graph = new GraphFlow.Settings(VERTEX_PATCH, d.location(), d.similarity(),
                    d.normalization());
            DistillationSettings full = new DistillationSettings(VERTEX_WEIGHT, EDGE_WEIGHT, LOGITS_WEIGHT,
                    defaults.temperature(), false, graph, PARAPHRASER_STEPS, defaults.paraphraserLearningRate(),
                    ADVERSARIAL, defaults.criticLearningRate(), defaults.criticWidth(), defaults.softLabels());
            DistillationSettings logitsOnly = new DistillationSettings(0, 0, LOGITS_WEIGHT, 1, false,
                    GraphFlow.Settings.defaults(), full.paraphraserSteps(), full.paraphraserLearningRate(), 0,
                    full.criticLearningRate(), full.criticWidth(), full.softLabels());
            DistillationSettings graphOnly = new DistillationSettings(full.vertexWeight(), full.edgeWeight(), 0, 1,
                    false, graph, full.paraphraserSteps(), full.paraphraserLearningRate(), 0,
                    full.criticLearningRate(), full.criticWidth(), full.softLabels());
            return new Objectives(full, logitsOnly, graphOnly);
        }
    }

    /**
     * Every task's teacher and its students (from scratch, logits KD, Graph Flow, full objective, and with the other
     * soft labels when asked), every case labeled; returns the teachers by task prefix.
     */
    private static Map<String, Network> fullyLabeled(List<Task> tasks, TrainingSettings settings,
            Objectives objectives, NDManager m, Map<String, Outcome> outcomes) {
        Map<String, Network> teachers = new LinkedHashMap<>();
        for (Task task : tasks) {
            TrainingSettings s = settings.withPatch(task.patch()).withAugment(task.augment());
            String p = task.prefix();
            Network teacher = Network.withFeatureTaps(config(task, Architecture.UNET3D, TEACHER_WIDTHS,
                    TEACHER_BLOCKS), m, 7);
            outcomes.put(p + "teacher", trained(teacher, task, task.train(), s, null, List.of(), null));
            teachers.put(p, teacher);
            outcomes.put(p + "student from scratch", students(task, m, task.train(), s, null,
                    List.of(), null));
            if (OBJECTIVES.contains("logits")) {
                outcomes.put(p + "student + logits KD", students(task, m, task.train(), s, teacher,
                        List.of(), objectives.logitsOnly()));
            }
            if (OBJECTIVES.contains("graph")) {
                outcomes.put(p + "student + Graph Flow", students(task, m, task.train(), s, teacher,
                        List.of(), objectives.graphOnly()));
            }
            if (OBJECTIVES.contains("full")) {
                outcomes.put(p + "student + full objective", students(task, m, task.train(), s, teacher,
                        List.of(), objectives.full()));
            }
            if (OTHER_SOFT_LABELS && OBJECTIVES.contains("logits")) {
                outcomes.put(p + "student + logits KD" + OTHER, students(task, m, task.train(), s,
                        teacher, List.of(), objectives.logitsOnly().withSoftLabels(other(SOFT_LABELS))));
            }
            if (OTHER_SOFT_LABELS && OBJECTIVES.contains("full")) {
                outcomes.put(p + "student + full objective" + OTHER, students(task, m, task.train(), s,
                        teacher, List.of(), objectives.full().withSoftLabels(other(SOFT_LABELS))));
            }
        }
        return teachers;
    }

    /** The Graph Flow student with each open choice of the graph changed in turn (the defaults' ablation). */
    private static void ablation(Task phantoms, Network trainedTeacher, TrainingSettings settings,
            DistillationSettings full, NDManager m, Map<String, Outcome> outcomes) {
        TrainingSettings s = settings.withPatch(phantoms.patch());
        Network teacher = trainedTeacher;
        if (teacher == null) {
            teacher = Network.withFeatureTaps(config(phantoms, Architecture.UNET3D, TEACHER_WIDTHS,
                    TEACHER_BLOCKS), m, 7);
            outcomes.put("teacher", trained(teacher, phantoms, phantoms.train(), s, null, List.of(),
                    null));
        }
        Network phantomTeacher = teacher;
        GraphFlow.Settings d = GraphFlow.Settings.defaults();
        Map<String, GraphFlow.Settings> variants = new LinkedHashMap<>();
        variants.put("defaults (3³, per-layer, cosine, rms)", d);
        variants.put("raw taps (normalization none)", new GraphFlow.Settings(d.patch(), d.location(),
                d.similarity(), GraphFlow.Normalization.NONE));
        variants.put("deep vertices at the shallow maxima", new GraphFlow.Settings(d.patch(),
                GraphFlow.Location.SHALLOW, d.similarity(), d.normalization()));
        variants.put("correlation edges", new GraphFlow.Settings(d.patch(), d.location(),
                GraphFlow.Similarity.CORRELATION, d.normalization()));
        variants.put("inner-product edges", new GraphFlow.Settings(d.patch(), d.location(),
                GraphFlow.Similarity.INNER_PRODUCT, d.normalization()));
        variants.put("1³ vertices", new GraphFlow.Settings(1, d.location(), d.similarity(),
                d.normalization()));
        variants.put("5³ vertices", new GraphFlow.Settings(5, d.location(), d.similarity(),
                d.normalization()));
        variants.forEach((name, graph) -> {
            // the Graph Flow row is the defaults' run only if it ran with the default graph (volseg.bench.vertexPatch)
            Outcome same = graph.equals(d) && full.graph().equals(d) ? outcomes.get("student + Graph Flow") : null;
            outcomes.put(ABLATED + name, same != null ? same : students(phantoms, m, phantoms.train(), s,
                    phantomTeacher, List.of(), new DistillationSettings(full.vertexWeight(),
                            full.edgeWeight(), 0, 1, false, graph, full.paraphraserSteps(),
                            full.paraphraserLearningRate(), 0, full.criticLearningRate(),
                            full.criticWidth(), full.softLabels())));
        });
    }

    /** A quarter of the phantoms labeled: the student alone, distilled, and distilled with the rest unlabeled. */
    private static void semiSupervised(Task phantoms, TrainingSettings settings, DistillationSettings full,
            NDManager m, Map<String, Outcome> outcomes) {
        TrainingSettings s = settings.withPatch(phantoms.patch());
        List<TrainingCase> train = phantoms.train();
        int labeled = Math.max(1, train.size() / 4);
        List<TrainingCase> few = train.subList(0, labeled);
        List<Volume> rest = train.subList(labeled, train.size()).stream().map(TrainingCase::image)
                .toList();
        Network fewTeacher = Network.withFeatureTaps(config(phantoms, Architecture.UNET3D,
                TEACHER_WIDTHS, TEACHER_BLOCKS), m, 7);
        outcomes.put("teacher, 25% labeled", trained(fewTeacher, phantoms, few, s, null, List.of(),
                null));
        if (SEMI_RUNS.contains("short")) {
            outcomes.put("student from scratch, 25% labeled", students(phantoms, m, few, s, null,
                    List.of(), null));
            outcomes.put("student + full objective, 25% labeled", students(phantoms, m, few, s,
                    fewTeacher, List.of(), full));
            outcomes.put("student + full objective, 25% labeled + 75% unlabeled", students(phantoms, m,
                    few, s, fewTeacher, rest, full));
        }
        if (SEMI_RUNS.contains("long")) {
            TrainingSettings longer = s.withStepsPerEpoch(2 * STEPS);
            outcomes.put("student + full objective, 25% labeled" + LONG, students(phantoms, m, few,
                    longer, fewTeacher, List.of(), full));
            outcomes.put("student + full objective, 25% labeled + 75% unlabeled" + LONG, students(
                    phantoms, m, few, longer, fewTeacher, rest, full));
        }
    }

    /** The table of every outcome: size and speed, Dice, the gaps recovered, the ablation and the semi rows. */
    private static void print(List<Task> tasks, Task phantoms, DistillationSettings full,
            Map<String, Outcome> outcomes) throws Exception {
        String quarter = ", 25% labeled";
        // size and speed from the first task run: the networks are the same but for input channels and classes
        String first = FULL ? tasks.get(0).prefix() : "";
        String firstSuffix = FULL || !SEMI ? "" : quarter;
        Outcome t = outcomes.get(first + "teacher" + firstSuffix);
        // a student for size and speed: the first task's scratch one, else whichever student ran
        Outcome scratch = outcomes.get(first + "student from scratch" + firstSuffix);
        if (scratch == null) {
            scratch = outcomes.entrySet().stream().filter(e -> e.getKey().contains("student")).findFirst()
                    .orElseThrow().getValue();
        }
        Table table = new Table("Graph Flow distillation on synthetic phantoms and Colin27's AAL regions: test Dice, "
                + "size and speed")
                .setting("machine", Machine.describe())
                .setting("teacher", "UNet3d widths " + TEACHER_WIDTHS + ", " + TEACHER_BLOCKS + " block(s) per level")
                .setting("student", STUDENT + " widths " + STUDENT_WIDTHS + ", 1 block per level; each student "
                        + "row the mean of " + SEEDS + " run(s), initialisation seeds 8, 9, … and training seeds 7, "
                        + "8, …")
                .setting("training", EPOCHS + " epochs × " + STEPS + " steps each model, batch 1 (2 with unlabeled "
                        + "cases), Adam lr 3e-3 poly, weight decay 2e-4, augmentation on (phantoms); distillation: "
                        + "λ1 " + VERTEX_WEIGHT + ", λ2 " + EDGE_WEIGHT + ", λ3 " + ADVERSARIAL + ", λ4 "
                        + LOGITS_WEIGHT + ", τ 1, "
                        + "soft labels from the " + label(full.softLabels()) + " (rows without a source named), "
                        + "RMS-normalised " + VERTEX_PATCH + "³ cosine graphs, " + PARAPHRASER_STEPS
                        + " paraphraser steps, critic width 16 at 3e-5");
        List<Task> described = new ArrayList<>(tasks);
        if (SEMI && !described.contains(phantoms)) {
            described.add(0, phantoms);
        }
        for (Task task : described) {
            String name = task.prefix().isEmpty() ? "phantoms" : task.prefix().replace(": ", "");
            table.setting("data, " + name, task.description() + "; patch " + task.patch() + ", inference window "
                    + task.window() + ", overlap 0.5, Gaussian, batch 1");
        }
        table.row("student parameters", "", scratch.parameters(), "teacher", t.parameters(), "≤ 0.10×");
        table.row("student FLOPs per voxel", "", scratch.flopsPerVoxel(), "teacher", t.flopsPerVoxel(), "");
        table.row(first + "student inference speed", "cases/s", 1 / scratch.secondsPerCase(), first + "teacher",
                1 / t.secondsPerCase(), "≥ 5×");
        if (FULL) {
            for (Task task : tasks.subList(1, tasks.size())) {
                Outcome taskScratch = outcomes.get(task.prefix() + "student from scratch");
                Outcome taskTeacher = outcomes.get(task.prefix() + "teacher");
                table.row(task.prefix() + "student inference speed", "cases/s", 1 / taskScratch.secondsPerCase(),
                        task.prefix() + "teacher", 1 / taskTeacher.secondsPerCase(), "≥ 5×");
            }
        }
        table.row("student inference peak RSS (JVM included)", "MB", scratch.peakBytes() / 1048576.0, "teacher",
                t.peakBytes() / 1048576.0, "");
        outcomes.forEach((name, o) -> {
            if (!name.endsWith("teacher") && !name.startsWith(ABLATED)) {
                String teacherName = name.startsWith("AAL: ") ? "AAL: teacher" : "teacher";
                table.row(name + " mean Dice", "", o.meanDice(), teacherName,
                        outcomes.getOrDefault(teacherName, t).meanDice(), "");
            }
        });
        if (FULL) {
            for (Task task : tasks) {
                table.row(task.prefix() + "full objective: share of the teacher–scratch gap recovered", "",
                        recovered(outcomes, task.prefix(), ""), task.prefix() + "logits KD",
                        recovered(outcomes, task.prefix(), "", "student + logits KD"), "≥ 0.5 and > logits KD");
                if (OTHER_SOFT_LABELS) {
                    table.row(task.prefix() + "full objective" + OTHER + ": share of the gap recovered", "",
                            recovered(outcomes, task.prefix(), "", "student + full objective" + OTHER),
                            task.prefix() + "logits KD" + OTHER, recovered(outcomes, task.prefix(), "",
                                    "student + logits KD" + OTHER), "≥ 0.5 and > logits KD");
                }
            }
        }
        if (ABLATION) {
            Outcome graphDefaults = outcomes.get(ABLATED + "defaults (3³, per-layer, cosine, rms)");
            outcomes.forEach((name, o) -> {
                if (name.startsWith(ABLATED) && o != graphDefaults) {
                    table.row("ablation: " + name.substring(ABLATED.length()) + " mean Dice", "", o.meanDice(),
                            "graph defaults", graphDefaults.meanDice(), "≤ 1× (the defaults are best)");
                }
            });
        }
        if (SEMI) {
            if (SEMI_RUNS.contains("short")) {
                table.row("25% labeled, full objective: share of the gap recovered", "", recovered(outcomes, "",
                        quarter), "target", 0.5, "");
            }
            for (String length : SEMI_RUNS.contains("long") ? List.of("", LONG) : List.of("")) {
                Outcome alone = outcomes.get("student + full objective" + quarter + length);
                Outcome withUnlabeled = outcomes.get("student + full objective" + quarter + " + 75% unlabeled"
                        + length);
                if (alone != null && withUnlabeled != null) {
                    table.row("25% labeled + 75% unlabeled" + length + ", mean Dice", "", withUnlabeled.meanDice(),
                            "25% labeled only" + length, alone.meanDice(), "> 1×");
                }
            }
        }
        outcomes.forEach((name, o) -> table.setting("Dice per label, " + name, o.dice()));
        if (SEEDS > 1) {
            outcomes.forEach((name, o) -> table.setting("mean Dice per seed, " + name, o.meanDicePerSeed()));
        }
        outcomes.forEach((name, o) -> table.setting("training seconds, " + name, Math.round(o.trainSeconds())));
        outcomes.forEach((name, o) -> {
            if (!o.lastTerms().isEmpty()) {
                table.setting("last epoch's loss terms, " + name, o.lastTerms());
            }
        });
        table.print();
    }

    /** Synthetic BraTS-like phantoms, z-scored per channel: the first {@code TRAIN} train, the next test. */
    private static Task phantoms() {
        PhantomDataset phantoms = new PhantomDataset(2026, PhantomSpec.cube(SIZE));
        List<TrainingCase> cases = new ArrayList<>();
        for (Phantom p : phantoms.generateAll(TRAIN + TEST)) {
            cases.add(new TrainingCase(p.id(), IntensityNormalization.zScore(p.image()), p.labels()));
        }
        return new Task("", "phantoms " + SIZE + "³ (seed 2026): train " + TRAIN + ", test " + TEST + "; labels 1 "
                + "core, 2 edema, 3 enhancing; z-score per channel", cases.subList(0, TRAIN),
                cases.subList(TRAIN, TRAIN + TEST), 4, PHANTOM_LABELS, PatchSize.cube(PATCH), PatchSize.cube(WINDOW),
                true);
    }

    /**
     * Four large AAL regions (left and right merged) on Colin27's T1, prepared as the brain benchmark prepares it
     * (RAS, {@code AAL_SPACING} mm, z-score): the left hemisphere trains, the right, mirrored left–right, tests, so
     * the networks must learn the regions from anatomy. Without augmentation: flips along y or z and turns in the
     * x–y plane would make neighbours such as the pre- and postcentral gyri one pattern (at 500 steps with them the
     * teacher learned only background).
     */
    private static Task aal() throws java.io.IOException {
        Preprocessing preprocessing = Preprocessing.defaults().withSpacing(AAL_SPACING);
        ImageAndLabels prepared = preprocessing.prepare(Colin27.image(), Colin27.aalRegions(AAL_REGIONS));
        Box[] halves = Colin27.hemispheres(prepared.image().geometry());
        List<TrainingCase> train = new ArrayList<>();
        List<TrainingCase> test = new ArrayList<>();
        for (int h = 0; h < 2; h++) {
            ImageAndLabels half = Cropping.crop(prepared.image().geometry(), halves[h]).apply(prepared);
            if (h == 1) { // the right hemisphere mirrored into the left's orientation
                half = Reorientation.flip(half.image().geometry(), true, false, false).apply(half);
            }
            (h == 0 ? train : test).add(new TrainingCase(h == 0 ? "left" : "right", half.image(), half.labels()));
        }
        int[] labels = new int[AAL_REGIONS.length + 1];
        for (int k = 0; k < labels.length; k++) {
            labels[k] = k;
        }
        return new Task("AAL: ", "Colin27 " + Colin27.t1().getFileName() + " with AAL regions " + AAL_REGION_NAMES
                + " (left and right merged), " + AAL_SPACING + " mm, z-score; train on the left hemisphere "
                + size(train.get(0)) + ", test on the right mirrored " + size(test.get(0)) + ", no augmentation",
                train, test, 1, labels,
                PatchSize.cube(AAL_PATCH), PatchSize.cube(AAL_PATCH), false);
    }

    /** The source of soft labels other than {@code source}. */
    private static DistillationSettings.SoftLabels other(DistillationSettings.SoftLabels source) {
        return source == DistillationSettings.SoftLabels.PATCH
                ? DistillationSettings.SoftLabels.WHOLE_CASE : DistillationSettings.SoftLabels.PATCH;
    }

    private static String label(DistillationSettings.SoftLabels source) {
        return source.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String size(TrainingCase c) {
        var g = c.image().geometry();
        return g.nx() + "×" + g.ny() + "×" + g.nz();
    }

    /**
     * A student trained {@code SEEDS} times (initialisation 8 + i, training seed 7 + i) and measured: Dice per label
     * and the other figures averaged over the runs, each run's mean Dice kept.
     */
    private static Outcome students(Task task, NDManager m, List<TrainingCase> train, TrainingSettings settings,
            Network teacher, List<Volume> unlabeled, DistillationSettings distillation) {
        List<Outcome> runs = new ArrayList<>();
        for (int i = 0; i < SEEDS; i++) {
            Network student = Network.withFeatureTaps(config(task, STUDENT, STUDENT_WIDTHS, 1), m,
                    8 + i);
            runs.add(trained(student, task, train, settings.withSeed(settings.seed() + i), teacher, unlabeled,
                    distillation));
        }
        if (runs.size() == 1) {
            return runs.get(0);
        }
        Map<Integer, Double> dice = new LinkedHashMap<>();
        runs.forEach(r -> r.dice().forEach((label, d) -> dice.merge(label, d / runs.size(), Double::sum)));
        Outcome first = runs.get(0);
        return new Outcome(dice, runs.stream().mapToDouble(Outcome::meanDice).average().orElseThrow(),
                first.parameters(), first.flopsPerVoxel(), runs.stream().mapToDouble(Outcome::secondsPerCase)
                        .average().orElseThrow(), runs.stream().mapToLong(Outcome::peakBytes).max().orElseThrow(),
                runs.stream().mapToDouble(Outcome::trainSeconds).average().orElseThrow(), first.lastTerms(),
                runs.stream().map(Outcome::meanDice).toList());
    }

    /** (full objective − scratch) / (teacher − scratch) of the runs named {@code prefix} … {@code suffix}. */
    private static double recovered(Map<String, Outcome> outcomes, String prefix, String suffix) {
        return recovered(outcomes, prefix, suffix, "student + full objective");
    }

    /** (student − scratch) / (teacher − scratch), the student's run named {@code prefix + student + suffix}. */
    private static double recovered(Map<String, Outcome> outcomes, String prefix, String suffix, String student) {
        Outcome distilled = outcomes.get(prefix + student + suffix);
        double scratch = outcomes.get(prefix + "student from scratch" + suffix).meanDice();
        double gap = outcomes.get(prefix + "teacher" + suffix).meanDice() - scratch;
        return gap == 0 || distilled == null ? Double.NaN : (distilled.meanDice() - scratch) / gap;
    }

    private static NetworkConfig config(Task task, Architecture a, List<Integer> widths, int blocks) {
        return new NetworkConfig(a, task.channels(), task.labels().length, widths, blocks,
                NetworkConfig.Norm.INSTANCE, NetworkConfig.Activation.LEAKY_RELU, false, task.patch());
    }

    /** Trains {@code net} (distilled from {@code teacher} when given), then measures it on the test cases. */
    private static Outcome trained(Network net, Task task, List<TrainingCase> train, TrainingSettings settings,
            Network teacher, List<Volume> unlabeled, DistillationSettings distillation) {
        int[] labels = task.labels();
        List<TrainingCase> test = task.test();
        long t0 = System.nanoTime();
        String name = task.prefix() + net.config().architecture() + (teacher == null ? "" : " distilled");
        Monitor quiet = Monitor.SILENT;
        java.util.function.Consumer<EpochRecord> log = r -> System.err.printf(Locale.ROOT,
                "  %s epoch %d: loss %.3f, terms %s, %.0f s%n", name, r.epoch(), r.trainLoss(), r.lossTerms(),
                r.seconds());
        List<EpochRecord> history;
        try {
            if (teacher == null) {
                history = new Trainer().train(net, train, List.of(), labels, settings, null, quiet, log).history();
            } else {
                TrainingSettings s = unlabeled.isEmpty() ? settings : settings.withBatchSize(2);
                history = Distiller.distill(Teacher.of(teacher), net, train, unlabeled, List.of(), labels, s,
                        distillation, null, quiet, log).training().history();
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        double trainSeconds = (System.nanoTime() - t0) / 1e9;
        SlidingWindow window = new SlidingWindow(new SlidingWindow.Settings(task.window(), 0.5, true, 1));
        long[] tp = new long[labels.length];
        long[] sizes = new long[labels.length];
        double seconds = 0;
        ProcessMemory.resetPeak();
        NDManager manager = net.parameters().get(0).getManager();
        for (TrainingCase c : test) {
            Prediction prediction = predict(net, c, window, labels);
            LabelMap predicted = prediction.labels();
            seconds += prediction.seconds();
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
        for (int k = 1; k < labels.length; k++) {
            dice.put(labels[k], sizes[k] == 0 ? 1.0 : 2.0 * tp[k] / sizes[k]);
        }
        double mean = dice.values().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        long parameters = net.parameters().stream().mapToLong(p -> p.getShape().size()).sum();
        System.err.printf(Locale.ROOT, "%s: mean Dice %.3f %s, %.2f s per case, trained in %.0f s%n", name, mean,
                dice, seconds / test.size(), trainSeconds);
        return new Outcome(dice, mean, parameters, flopsPerVoxel(net), seconds / test.size(), peak, trainSeconds,
                history.get(history.size() - 1).lossTerms(), List.of(mean));
    }

    /** A case's labels and the best of three timed passes (the first warms the JIT and PyTorch's kernels up). */
    private record Prediction(LabelMap labels, double seconds) {
    }

    private static Prediction predict(Network net, TrainingCase c, SlidingWindow window, int[] labels) {
        NDManager manager = net.parameters().get(0).getManager();
        LabelMap predicted = null;
        double best = Double.POSITIVE_INFINITY;
        for (int pass = 0; pass < 3; pass++) {
            long start = System.nanoTime();
            float[][] probabilities;
            try (NDManager scope = manager.newSubManager()) {
                probabilities = window.probabilities(c.image(), net::logits, scope, Monitor.SILENT);
            }
            predicted = SlidingWindow.labels(probabilities, c.image().geometry(), labels);
            best = Math.min(best, (System.nanoTime() - start) / 1e9);
        }
        return new Prediction(predicted, best);
    }

    /** An image of Gaussian noise (seed 3), {@code edge}³ at 1 mm: what the speed and memory parts predict. */
    private static Volume noise(int edge, int channels) {
        Geometry g = Geometry.of(edge, edge, edge, 1, 1, 1);
        java.util.Random random = new java.util.Random(3);
        float[][] data = new float[channels][g.voxels()];
        for (float[] c : data) {
            for (int i = 0; i < c.length; i++) {
                c[i] = (float) random.nextGaussian();
            }
        }
        return new Volume(g, data);
    }

    /** A network the speed part times. */
    private record Timed(String name, Architecture architecture, List<Integer> widths) {
    }

    /**
     * What the speed part times: the teacher, then the students: the Mobile U-Net, a plain compact U-Net and a
     * strided one (MONAI's layout, no full-resolution level), each at most a tenth of the teacher's parameters.
     */
    private static final List<Timed> TIMED = List.of(new Timed("teacher", Architecture.UNET3D, TEACHER_WIDTHS),
            new Timed("Mobile U-Net 8-16-32-64", Architecture.MOBILE_UNET3D, List.of(8, 16, 32, 64)),
            new Timed("plain UNet3d 4-8-16-32", Architecture.UNET3D, List.of(4, 8, 16, 32)),
            new Timed("strided U-Net 8-16-32-56", Architecture.STRIDED_UNET3D, List.of(8, 16, 32, 56)));
    /** The edge of the larger image the speed part also times, in one window. */
    private static final int LARGE = Integer.getInteger("volseg.bench.speedSize", 96);

    /**
     * Inference seconds per case of the teacher and the compact students in {@link #TIMED}, untrained: on
     * {@code task}'s test cases and on one {@code LARGE}³ image of noise, each through one window.
     */
    private static void speed(Task task) throws Exception {
        int n = TIMED.size();
        double[][] seconds = new double[2][n];
        long[] parameters = new long[n];
        double[] flops = new double[n];
        Volume noise = noise(LARGE, task.channels());
        TrainingCase largeCase = new TrainingCase("noise", noise, LabelMap.create(noise.geometry(), 1));
        DjlContext.call(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                SlidingWindow small = new SlidingWindow(new SlidingWindow.Settings(task.window(), 0.5, true, 1));
                SlidingWindow whole = new SlidingWindow(new SlidingWindow.Settings(PatchSize.cube(LARGE), 0.5, true,
                        1));
                for (int i = 0; i < n; i++) {
                    Timed t = TIMED.get(i);
                    Network net = Network.build(config(task, t.architecture(), t.widths(), i == 0 ? TEACHER_BLOCKS
                            : 1), m, i == 0 ? 7 : 8);
                    for (TrainingCase c : task.test()) {
                        seconds[0][i] += predict(net, c, small, task.labels()).seconds() / task.test().size();
                    }
                    seconds[1][i] = predict(net, largeCase, whole, task.labels()).seconds();
                    parameters[i] = net.parameters().stream().mapToLong(p -> p.getShape().size()).sum();
                    flops[i] = flopsPerVoxel(net);
                }
            }
            return null;
        });
        double[][] peakMb = new double[2][n];
        for (int i = 0; i < n; i++) {
            Timed t = TIMED.get(i);
            for (int size = 0; size < 2; size++) {
                int edge = size == 0 ? task.window().x() : LARGE;
                NetworkConfig c = config(task, t.architecture(), t.widths(), i == 0 ? TEACHER_BLOCKS : 1);
                String json = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(c.toMap());
                peakMb[size][i] = ChildJvm.run(InferencePeak.class, List.of("-Xmx2g"), List.of(json,
                        String.valueOf(edge)), "the inference memory probe for " + t.name() + " at " + edge + "³",
                        true).get("peak_growth_bytes").asLong() / 1048576.0;
            }
        }
        StringBuilder networks = new StringBuilder("teacher UNet3d " + TEACHER_WIDTHS + ", " + TEACHER_BLOCKS
                + " block(s) per level, " + parameters[0] + " parameters");
        for (int i = 1; i < n; i++) {
            networks.append("; ").append(TIMED.get(i).name()).append(", 1 block, ").append(parameters[i]);
        }
        Table table = new Table("Distillation: inference speed of the teacher and compact students (untrained), alone")
                .setting("machine", Machine.describe())
                .setting("PyTorch threads", DjlContext.call(ai.djl.pytorch.jni.JniUtils::getNumThreads))
                .setting("networks", networks.toString())
                .setting("data", task.description() + ", one " + task.window() + " window; and one " + LARGE + "³ "
                        + "image of noise in one window; best of 3 passes")
                .setting("peak memory", "growth of the resident peak over the size before predicting one image of "
                        + "noise through one window (the network built and run once on 16³ before), in a JVM of its "
                        + "own where every large array is mapped on its own, so that it is the live tensors' peak and "
                        + "the stitching arrays, not the allocator's cache");
        for (int i = 1; i < n; i++) {
            String name = TIMED.get(i).name();
            table.row(name + " parameters", "", parameters[i], "teacher", parameters[0], "≤ 0.10×");
            table.row(name + " FLOPs per voxel", "", flops[i], "teacher", flops[0], "");
            table.row(name + ", " + task.window().x() + "³ phantoms", "cases/s", 1 / seconds[0][i], "teacher",
                    1 / seconds[0][0], "≥ 5×");
            table.row(name + ", " + LARGE + "³", "cases/s", 1 / seconds[1][i], "teacher", 1 / seconds[1][0], "≥ 5×");
            table.row(name + " inference peak, " + task.window().x() + "³", "MB", peakMb[0][i], "teacher",
                    peakMb[0][0], "");
            table.row(name + " inference peak, " + LARGE + "³", "MB", peakMb[1][i], "teacher", peakMb[1][0], "");
        }
        table.print();
    }

    /**
     * Child JVM of the speed part's memory rows: builds the network of the config (JSON, seed 8), runs it once on
     * 16³, then prints the peak growth of predicting one image of noise of the given edge through one window.
     */
    public static final class InferencePeak {

        private InferencePeak() {
        }

        public static void main(String[] args) throws Exception {
            @SuppressWarnings("unchecked")
            Map<String, Object> map = new com.fasterxml.jackson.databind.ObjectMapper().readValue(args[0], Map.class);
            NetworkConfig config = NetworkConfig.fromMap(map);
            int edge = Integer.parseInt(args[1]);
            Volume image = noise(edge, config.inputChannels());
            Geometry g = image.geometry();
            long growth = DjlContext.call(() -> {
                try (NDManager m = NDManager.newBaseManager()) {
                    Network net = Network.build(config, m, 8);
                    try (NDManager warm = m.newSubManager()) {
                        net.logits(warm.zeros(new ai.djl.ndarray.types.Shape(1, config.inputChannels(), 16, 16,
                                16)));
                    }
                    SlidingWindow window = new SlidingWindow(new SlidingWindow.Settings(PatchSize.cube(edge), 0.5,
                            true, 1));
                    return StepMemory.timed(1, step -> {
                        try (NDManager scope = m.newSubManager()) {
                            SlidingWindow.labels(window.probabilities(image, net::logits, scope, Monitor.SILENT), g,
                                    java.util.stream.IntStream.range(0, config.classes()).toArray());
                        }
                    }, 0).peakGrowthBytes();
                }
            });
            System.out.println("{\"peak_growth_bytes\":" + growth + "}");
        }
    }

    /** Where a parameter sits, from its name: the part, its level, whether it is a strided U-Net's refining unit. */
    private static final java.util.regex.Pattern PARAMETER_PLACE = java.util.regex.Pattern.compile(
            "^(encoder|decoder|down|up|bottom)(\\d*)(\\.refine)?");

    /**
     * Multiply-adds × 2 of every convolution per input voxel: a kernel's size (out · in/groups · k³) at its level's
     * resolution, 1/8 per level down (stem, head and level-0 blocks at 1; down_i and up_i convolve at level i + 1;
     * in the strided U-Net, whose level i runs at 2^−(i+1), the bottom unit at the deepest level and up_i's refining
     * unit at level i).
     */
    static double flopsPerVoxel(Network net) {
        int deepest = net.config().widths().size() - 1;
        double flops = 0;
        for (NDArray p : net.parameters()) {
            String name = p.getName();
            if (!name.endsWith("weight") || p.getShape().dimension() != 5) {
                continue;
            }
            int level = 0;
            java.util.regex.Matcher m = PARAMETER_PLACE.matcher(name);
            if (m.find()) {
                String where = m.group(1);
                level = where.equals("bottom") ? deepest : Integer.parseInt(m.group(2))
                        + ((where.equals("down") || where.equals("up")) && m.group(3) == null ? 1 : 0);
            }
            flops += 2.0 * p.getShape().size() / Math.pow(8, level);
        }
        return flops;
    }
}
