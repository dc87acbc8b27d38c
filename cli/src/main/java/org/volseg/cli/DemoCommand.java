package org.volseg.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.volseg.core.data.Colin27;
import org.volseg.core.io.NiftiWriter;
import org.volseg.core.transforms.Box;
import org.volseg.core.transforms.Cropping;
import org.volseg.core.transforms.GeometricTransform;
import org.volseg.core.volume.LabelMap;
import org.volseg.core.volume.Volume;
import org.volseg.core.sampling.PatchSize;
import org.volseg.nn.engines.SegmentTape;
import org.volseg.nn.networks.Architecture;
import org.volseg.nn.networks.NetworkConfig;
import org.volseg.nn.networks.StepMemory;
import org.volseg.ops.api.ImageTable;
import org.volseg.ops.api.TableFiles;
import org.volseg.ops.workflow.WorkflowRunner;
import org.volseg.ops.workflow.WorkflowTemplates;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code volseg demo}: the phantom segmentation template run end to end at a size that learns: synthetic phantoms,
 * UNet3d, Partially-InvRes and Fully-InvRes trained and applied to other phantoms, scored and drawn; a Dice table
 * on the terminal and an HTML report.
 */
@Command(name = "demo", description = "Run the InvRes workflow template end to end on synthetic phantoms made on the "
        + "fly: train UNet3d, Partially-InvRes and Fully-InvRes, segment unseen phantoms, score them, draw overlays; "
        + "prints a Dice table and writes NIfTI predictions, the models, the workflow itself (open it in KNIME) and "
        + "an HTML report. About 7 minutes on 2 CPU cores. With --data colin27: brain extraction on real MR.")
final class DemoCommand implements Callable<Integer> {

    /** The memory table's step: big enough that activations, not PyTorch itself, dominate; quick on a CPU. */
    private static final int MEMORY_EDGE = 64;
    private static final List<Integer> MEMORY_WIDTHS = List.of(16, 32, 64, 128);

    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "volseg-demo",
            description = "where everything goes. Default: ${DEFAULT-VALUE}")
    Path out;

    /** The demo's data. */
    enum Data { phantoms, colin27 }

    @Option(names = "--data", paramLabel = "DATA", defaultValue = "phantoms",
            description = "phantoms: synthetic BraTS-like phantoms made on the fly (default); colin27: brain "
                    + "extraction on the Colin27 T1 from Debian's mricron-data, trained on the left hemisphere and "
                    + "tested on the right")
    Data data;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        Path root = out.toAbsolutePath().normalize();
        Files.createDirectories(root);
        WorkflowTemplates.Scale scale;
        WorkflowTemplates.Template template;
        Map<String, String> settings = new LinkedHashMap<>();
        if (data == Data.colin27) {
            scale = WorkflowTemplates.Scale.brain(root);
            template = WorkflowTemplates.brainExtraction(scale, writeColin27(root.resolve("data")));
            settings.put("data", "Colin27 T1 (" + Colin27.t1() + ", 1 mm) with the brain mask ch2bet > 0; the left "
                    + "hemisphere trains, the right is predicted at 1 mm and scored");
            settings.put("training", scale.epochs() + " epochs × " + scale.steps() + " steps of " + scale.patch()
                    + "³ patches at 2 mm; widths " + scale.widths() + " (Fully-InvRes " + scale.fullyWidths() + ")");
        } else {
            scale = WorkflowTemplates.Scale.demo(root);
            template = WorkflowTemplates.phantomSegmentation(scale);
            settings.put("data", scale.trainCases() + " synthetic BraTS-like phantoms (" + scale.size() + "³, 4 "
                    + "channels; labels 1 core, 2 edema, 3 enhancing) to train and validate on, "
                    + scale.testCases() + " others (another seed) to test on");
            settings.put("training", scale.epochs() + " epochs × " + scale.steps() + " steps of " + scale.patch()
                    + "³ patches; widths " + scale.widths() + " (Fully-InvRes " + scale.fullyWidths() + ")");
        }
        template.write(root.resolve("workflow"));
        Path workflow = root.resolve("workflow").resolve(template.name());
        Path results = root.resolve("results");
        o.println("volseg demo: running the workflow " + workflow + " (" + template.nodes().size() + " nodes)");
        o.flush();
        List<WorkflowRunner.NodeReport> nodes = new WorkflowRunner(workflow).run(results,
                new TerminalProgress(spec.commandLine().getErr()));
        if (!nodes.stream().allMatch(WorkflowRunner.NodeReport::executed)) {
            nodes.forEach(n -> o.printf("%-32s %s%n", n.node(), n.status()));
            return 1;
        }
        List<DemoReport.Branch> branches = new ArrayList<>();
        for (int k = 0; k < WorkflowTemplates.ARCHITECTURES.size(); k++) {
            String learner = "Segmenter Learner (#" + WorkflowTemplates.learner(k) + ")";
            double seconds = nodes.stream().filter(n -> n.node().equals(learner)).mapToDouble(
                    WorkflowRunner.NodeReport::seconds).sum();
            branches.add(DemoReport.branch(results, name(WorkflowTemplates.ARCHITECTURES.get(k)), learner,
                    "Segmentation Scorer (#" + WorkflowTemplates.scorer(k) + ")",
                    "Segmentation Overlay (#" + WorkflowTemplates.overlay(k) + ")", seconds));
        }
        settings.put("workflow", workflow.toString());
        o.println("measuring the memory of one training step per architecture at " + MEMORY_EDGE + "³ ...");
        o.flush();
        Map<String, StepMemory.Result> memory = new LinkedHashMap<>();
        for (Architecture a : WorkflowTemplates.ARCHITECTURES) {
            memory.put(name(a), StepMemory.inChildProcess(NetworkConfig.of(a, 4, 4, MEMORY_WIDTHS, 2,
                    PatchSize.cube(MEMORY_EDGE)), 1, SegmentTape.Backprop.REVERSIBLE));
        }
        String memorySetting = "One training step (batch 1, 4 channels, 4 classes, " + MEMORY_EDGE + "³ patch, widths "
                + MEMORY_WIDTHS + ", 2 blocks per level), each architecture in a fresh JVM: growth of the "
                + "process's peak resident memory over its size before the step. ./volseg bench memory measures "
                + "larger patches and depths.";
        Path report = root.resolve("report.html");
        DemoReport.write(report, "VolSeg demo: " + (data == Data.colin27 ? "brain extraction on Colin27"
                : "memory-efficient 3D segmentation of phantoms"), settings, branches, memory, memorySetting,
                TableFiles.read(results.resolve("Segmentation Overlay (#" + WorkflowTemplates.REFERENCE_OVERLAY + ")")
                        .resolve("port_1.csv"), ImageTable.SPEC), nodes);

        List<Integer> labels = DemoReport.labels(branches);
        StringBuilder header = new StringBuilder(String.format("%n%-18s", "architecture"));
        labels.forEach(l -> header.append(String.format(" %8s", "label " + l)));
        o.println(header.append(String.format(" %8s %10s %16s", "mean", "train s", "step memory MB")));
        for (DemoReport.Branch b : branches) {
            Map<Integer, Double> d = b.meanDice();
            StringBuilder row = new StringBuilder(String.format("%-18s", b.architecture()));
            labels.forEach(l -> row.append(String.format(" %8s", DemoReport.fmt(d.getOrDefault(l, Double.NaN), 3))));
            o.println(row.append(String.format(" %8s %10.0f %16.0f", DemoReport.fmt(d.getOrDefault(0, Double.NaN),
                    3), b.trainingSeconds(), memory.get(b.architecture()).peakGrowthBytes() / 1048576.0)));
        }
        o.println("\n(Dice: mean over the " + (data == Data.colin27 ? "right hemisphere" : scale.testCases()
                + " test phantoms") + "; step memory: one training step at " + MEMORY_EDGE + "³, widths "
                + MEMORY_WIDTHS + ")");
        o.println("predictions (NIfTI): " + root.resolve("predictions"));
        o.println("models:              " + root.resolve("models"));
        o.println("node outputs:        " + results);
        o.println("report:              " + report.toUri());
        return 0;
    }

    /**
     * Colin27's hemispheres as two cases in nnU-Net's layout: train/ holds the left (imagesTr/colin27_left_0000,
     * labelsTr/colin27_left), test/ the right, both at 1 mm in MNI space.
     */
    static Path writeColin27(Path folder) throws java.io.IOException {
        Volume image = Colin27.image();
        LabelMap mask = Colin27.brainMask();
        Box[] halves = Colin27.hemispheres(image.geometry());
        String[] roles = {"train", "test"};
        String[] ids = {"colin27_left", "colin27_right"};
        for (int h = 0; h < 2; h++) {
            GeometricTransform crop = Cropping.crop(image.geometry(), halves[h]);
            Path root = folder.resolve(roles[h]);
            Files.createDirectories(root.resolve("imagesTr"));
            Files.createDirectories(root.resolve("labelsTr"));
            NiftiWriter.write(root.resolve("imagesTr").resolve(ids[h] + "_0000.nii.gz"), crop.apply(image),
                    NiftiWriter.Options.defaults());
            NiftiWriter.writeLabels(root.resolve("labelsTr").resolve(ids[h] + ".nii.gz"), crop.apply(mask),
                    NiftiWriter.Options.defaults());
        }
        return folder;
    }

    private static String name(Architecture a) {
        return switch (a) {
            case UNET3D -> "UNet3d";
            case PARTIALLY_INVRES -> "Partially-InvRes";
            case FULLY_INVRES -> "Fully-InvRes";
            case MOBILE_UNET3D -> "Mobile U-Net";
            case STRIDED_UNET3D -> "strided U-Net (MONAI's layout)";
        };
    }
}
