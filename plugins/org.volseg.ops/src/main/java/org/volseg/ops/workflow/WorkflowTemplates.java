package org.volseg.ops.workflow;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.volseg.nn.networks.Architecture;

/**
 * The workflow templates VolSeg ships in {@code test-workflows/}, defined once here: the templates on disk are
 * written from these definitions (a test checks they are current), and {@code volseg demo} runs the same pipeline
 * at a larger size.
 */
public final class WorkflowTemplates {

    /**
     * A workflow to write.
     *
     * @param name  the folder name
     * @param nodes the nodes, ids 1, 2, ... in order
     * @param links the connections
     */
    public record Template(String name, List<WorkflowWriter.NodeSpec> nodes, List<WorkflowWriter.Link> links) {

        public void write(Path parent) throws IOException {
            WorkflowWriter.write(parent.resolve(name), nodes, links);
        }
    }

    /**
     * How big the phantom segmentation pipeline runs.
     *
     * @param trainCases    phantoms to train (and validate) on
     * @param testCases     other phantoms (another seed) to predict and score
     * @param size          phantom edge (voxels)
     * @param patch         training patch edge
     * @param epochs        epochs per network
     * @param steps         steps per epoch
     * @param widths        widths of UNet3d and Partially-InvRes
     * @param fullyWidths   widths of Fully-InvRes (its first level needs at least 16 to learn: an invertible level
     *                      cannot add channels, and the skip keeps most of them)
     * @param folder        where data, models and predictions go; null for the system's temporary folders
     *
     * <p>All sizes train with Adam at 3e-3: over a few hundred steps it learns what nnU-Net's SGD with momentum
     * 0.99 (the learner's default, made for long runs) has not yet started to (measured on the demo's phantoms:
     * mean validation Dice 0.55 against 0.00 after 160 steps of UNet3d).
     */
    public record Scale(int trainCases, int testCases, int size, int patch, int epochs, int steps, String widths,
            String fullyWidths, Path folder) {

        /** Runs in about a minute on 2 CPU cores: the template as shipped, run by CI. */
        public static final Scale TEMPLATE = new Scale(4, 2, 24, 16, 2, 4, "4,8", "8,16", null);

        /** Runs in a few minutes on 2 CPU cores and learns visibly: {@code volseg demo}. */
        public static Scale demo(Path folder) {
            return new Scale(8, 4, 32, 32, 10, 20, "8,16,32,64", "16,32,64,128", folder);
        }

        /** Brain extraction, one training and one test case: {@code volseg demo --data colin27}. */
        public static Scale brain(Path folder) {
            return new Scale(1, 1, 0, 32, 10, 20, "8,16,32,64", "16,32,64,128", folder);
        }
    }

    /** The name of the phantom segmentation template. */
    public static final String PHANTOM_SEGMENTATION = "Phantom segmentation (InvRes)";

    /** The name of the distillation template. */
    public static final String PHANTOM_DISTILLATION = "Phantom distillation (Graph Flow)";

    /** The name of the OSS-Net template. */
    public static final String PHANTOM_OCCUPANCY = "Phantom occupancy (OSS-Net)";

    /** The name of the brain extraction pipeline ({@code volseg demo --data colin27}). */
    public static final String BRAIN_EXTRACTION = "Brain extraction (InvRes)";

    /** The networks the phantom template compares, in node order. */
    public static final List<Architecture> ARCHITECTURES = List.of(Architecture.UNET3D,
            Architecture.PARTIALLY_INVRES, Architecture.FULLY_INVRES);

    private WorkflowTemplates() {
    }

    /** Every template of {@code test-workflows/}. */
    public static List<Template> all() {
        return List.of(phantomOverlays(), phantomSegmentation(Scale.TEMPLATE), phantomDistillation(Scale.TEMPLATE),
                phantomOccupancy(Scale.TEMPLATE));
    }

    /** Writes every template into {@code folder} (one sub-folder each). */
    public static void writeAll(Path folder) throws IOException {
        for (Template t : all()) {
            t.write(folder);
        }
    }

    /** Phantoms drawn as overlays: the smallest pipeline. */
    static Template phantomOverlays() {
        return new Template("Phantom overlays", List.of(
                new WorkflowWriter.NodeSpec("synthetic-phantoms", Map.of("count", "3")),
                new WorkflowWriter.NodeSpec("segmentation-overlay", Map.of("channel", "3", "panel_size", "128"))),
                List.of(new WorkflowWriter.Link(1, 0, 2, 0)));
    }

    /**
     * Read → learn → predict → score → overlay on phantoms: phantoms to train on and other phantoms (another seed)
     * to test on. See {@link #compare} for the node ids.
     */
    public static Template phantomSegmentation(Scale scale) {
        return compare(PHANTOM_SEGMENTATION, phantoms(scale, scale.trainCases(), 42, "train"),
                phantoms(scale, scale.testCases(), 7, "test"), scale, Map.of(), 3);
    }

    /**
     * Read → learn a teacher → distil a student → predict → score on phantoms. Node ids: 1 training phantoms, 2
     * test phantoms, 3 the teacher's learner (UNet3d of 4 levels: distillation taps ¼ resolution), 4 the distiller
     * (a Mobile U-Net half the teacher's widths), 5 the student's predictor, 6 its scorer.
     */
    public static Template phantomDistillation(Scale scale) {
        List<WorkflowWriter.NodeSpec> nodes = new ArrayList<>();
        nodes.add(phantoms(scale, scale.trainCases(), 42, "train"));
        nodes.add(phantoms(scale, scale.testCases(), 7, "test"));
        Map<String, String> teacher = learner("unet3d", "8,16,32,64", scale);
        teacher.put("blocks_per_level", "1");
        nodes.add(new WorkflowWriter.NodeSpec("segmenter-learner", teacher));
        Map<String, String> student = new LinkedHashMap<>();
        student.put("architecture", "mobile-unet3d");
        student.put("widths", "4,8,16,32");
        student.put("epochs", String.valueOf(scale.epochs()));
        student.put("steps_per_epoch", String.valueOf(scale.steps()));
        student.put("validation_share", "0.25");
        student.put("paraphraser_steps", String.valueOf(scale.steps()));
        nodes.add(new WorkflowWriter.NodeSpec("distill", student));
        nodes.add(new WorkflowWriter.NodeSpec("segmenter-predictor", Map.of("overwrite", "overwrite")));
        nodes.add(new WorkflowWriter.NodeSpec("segmentation-scorer", Map.of()));
        return new Template(PHANTOM_DISTILLATION, nodes, List.of(new WorkflowWriter.Link(1, 0, 3, 0),
                new WorkflowWriter.Link(3, 0, 4, 0), new WorkflowWriter.Link(1, 0, 4, 1),
                new WorkflowWriter.Link(4, 0, 5, 0), new WorkflowWriter.Link(2, 0, 5, 1),
                new WorkflowWriter.Link(5, 0, 6, 0), new WorkflowWriter.Link(2, 0, 6, 1)));
    }

    /**
     * Read → sample points → learn OSS-Net → predict → score on phantoms, the whole tumour (every non-zero label) as
     * the paper's task. Node ids: 1 training phantoms, 2 test phantoms, 3 the point sampler (what the network learns
     * from, to look at), 4 the OSS-Net C learner, 5 its predictor (encoder-guided inference), 6 its scorer (labels
     * merged).
     */
    public static Template phantomOccupancy(Scale scale) {
        List<WorkflowWriter.NodeSpec> nodes = new ArrayList<>();
        nodes.add(phantoms(scale, scale.trainCases(), 42, "train"));
        nodes.add(phantoms(scale, scale.testCases(), 7, "test"));
        nodes.add(new WorkflowWriter.NodeSpec("sample-points", Map.of("points", "4096")));
        Map<String, String> learner = new LinkedHashMap<>();
        learner.put("variant", "c");
        learner.put("widths", scale.widths());
        learner.put("points", "1024");
        learner.put("epochs", String.valueOf(scale.epochs() * scale.steps()));
        learner.put("learning_rate", "0.003");
        learner.put("validation_share", "0.25");
        learner.put("validate_every", String.valueOf(scale.steps()));
        learner.put("validation_points", "4096");
        nodes.add(new WorkflowWriter.NodeSpec("train-ossnet", learner));
        nodes.add(new WorkflowWriter.NodeSpec("segmenter-predictor", Map.of("overwrite", "overwrite")));
        nodes.add(new WorkflowWriter.NodeSpec("segmentation-scorer", Map.of("merge_labels", "true")));
        return new Template(PHANTOM_OCCUPANCY, nodes, List.of(new WorkflowWriter.Link(1, 0, 3, 0),
                new WorkflowWriter.Link(1, 0, 4, 0), new WorkflowWriter.Link(4, 0, 5, 0),
                new WorkflowWriter.Link(2, 0, 5, 1), new WorkflowWriter.Link(5, 0, 6, 0),
                new WorkflowWriter.Link(2, 0, 6, 1)));
    }

    /**
     * Brain extraction on real MR: cases in nnU-Net's layout ({@code imagesTr/<id>_0000.nii.gz},
     * {@code labelsTr/<id>.nii.gz}) below {@code data}/train and {@code data}/test, resampled to 2 mm for the
     * networks and predicted back at the input's resolution. See {@link #compare} for the node ids.
     */
    public static Template brainExtraction(Scale scale, Path data) {
        return compare(BRAIN_EXTRACTION, reader(data.resolve("train")), reader(data.resolve("test")), scale,
                Map.of("spacing", "2", "validation_share", "0"), 0);
    }

    /**
     * One pipeline per architecture over the same data: UNet3d, Partially-InvRes and Fully-InvRes each trained on
     * the training cases, applied to the test cases, scored and drawn. Node ids: 1 training data, 2 test data,
     * then per architecture k = 0, 1, 2: learner 3 + k, predictor 6 + k, scorer 9 + k, overlay 12 + k; 15 draws the
     * test cases' reference labels.
     */
    static Template compare(String name, WorkflowWriter.NodeSpec trainData, WorkflowWriter.NodeSpec testData,
            Scale scale, Map<String, String> learnerSettings, int overlayChannel) {
        List<WorkflowWriter.NodeSpec> nodes = new ArrayList<>();
        List<WorkflowWriter.Link> links = new ArrayList<>();
        nodes.add(trainData);
        nodes.add(testData);
        for (Architecture a : ARCHITECTURES) {
            Map<String, String> s = learner(folderName(a), a == Architecture.FULLY_INVRES ? scale.fullyWidths()
                    : scale.widths(), scale);
            s.putAll(learnerSettings);
            if (scale.folder() != null) {
                s.put("model_file", scale.folder().resolve("models").resolve(folderName(a) + ".volseg").toString());
            }
            nodes.add(new WorkflowWriter.NodeSpec("segmenter-learner", s));
        }
        for (Architecture a : ARCHITECTURES) {
            Map<String, String> s = new LinkedHashMap<>();
            s.put("overwrite", "overwrite");
            if (scale.folder() != null) {
                s.put("output_folder", scale.folder().resolve("predictions").resolve(folderName(a)).toString());
            }
            nodes.add(new WorkflowWriter.NodeSpec("segmenter-predictor", s));
        }
        for (int k = 0; k < ARCHITECTURES.size(); k++) {
            nodes.add(new WorkflowWriter.NodeSpec("segmentation-scorer", Map.of()));
        }
        for (int k = 0; k < ARCHITECTURES.size(); k++) {
            nodes.add(new WorkflowWriter.NodeSpec("segmentation-overlay", Map.of("channel",
                    String.valueOf(overlayChannel), "style", "outline", "panel_size", "128")));
        }
        nodes.add(new WorkflowWriter.NodeSpec("segmentation-overlay", Map.of("channel", String.valueOf(overlayChannel),
                "style", "outline", "panel_size", "128")));
        links.add(new WorkflowWriter.Link(2, 0, REFERENCE_OVERLAY, 0));
        for (int k = 0; k < ARCHITECTURES.size(); k++) {
            links.add(new WorkflowWriter.Link(1, 0, learner(k), 0));
            links.add(new WorkflowWriter.Link(learner(k), 0, predictor(k), 0));
            links.add(new WorkflowWriter.Link(2, 0, predictor(k), 1));
            links.add(new WorkflowWriter.Link(predictor(k), 0, scorer(k), 0));
            links.add(new WorkflowWriter.Link(2, 0, scorer(k), 1));
            links.add(new WorkflowWriter.Link(predictor(k), 0, overlay(k), 0));
        }
        return new Template(name, nodes, links);
    }

    /** A learner's settings as every template trains: Adam at 3e-3 (see {@link Scale}), a quarter validated. */
    private static Map<String, String> learner(String architecture, String widths, Scale scale) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("architecture", architecture);
        s.put("widths", widths);
        s.put("patch_size", String.valueOf(scale.patch()));
        s.put("epochs", String.valueOf(scale.epochs()));
        s.put("steps_per_epoch", String.valueOf(scale.steps()));
        s.put("optimizer", "adam");
        s.put("learning_rate", "0.003");
        s.put("validation_share", "0.25");
        return s;
    }

    private static WorkflowWriter.NodeSpec reader(Path folder) {
        return new WorkflowWriter.NodeSpec("volume-reader", Map.of("path", folder.toString()));
    }

    private static WorkflowWriter.NodeSpec phantoms(Scale scale, int count, int seed, String role) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("count", String.valueOf(count));
        s.put("size", String.valueOf(scale.size()));
        s.put("seed", String.valueOf(seed));
        if (scale.folder() != null) {
            s.put("folder", scale.folder().resolve("data").resolve(role).toString());
        }
        return new WorkflowWriter.NodeSpec("synthetic-phantoms", s);
    }

    /** "unet3d", "partially-invres", "fully-invres": how the template names an architecture's files. */
    public static String folderName(Architecture a) {
        return a.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** The node id of the overlay of the test cases' reference labels. */
    public static final int REFERENCE_OVERLAY = 15;

    /** The node id of architecture k's learner (its outputs: model, history). */
    public static int learner(int k) {
        return 3 + k;
    }

    /** The node id of architecture k's predictor. */
    public static int predictor(int k) {
        return 6 + k;
    }

    /** The node id of architecture k's scorer. */
    public static int scorer(int k) {
        return 9 + k;
    }

    /** The node id of architecture k's overlay. */
    public static int overlay(int k) {
        return 12 + k;
    }
}
