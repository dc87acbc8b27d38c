package org.volseg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.core.io.NiftiWriter;
import org.volseg.core.volume.Geometry;
import org.volseg.core.volume.Volume;
import org.volseg.ops.workflow.WorkflowRunner;
import org.volseg.ops.workflow.WorkflowWriter;
import picocli.CommandLine;

class RunWorkflowCommandTest {

    @TempDir
    Path dir;

    private int run(StringWriter out, StringWriter err, String... args) {
        CommandLine cli = VolSeg.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void readThenOverlayRunsHeadlessAndReportsEveryNode() throws Exception {
        Geometry g = Geometry.of(8, 8, 8, 1, 1, 1);
        Volume label = Volume.zeros(g, 1);
        label.set(0, 4, 4, 4, 1);
        NiftiWriter.write(dir.resolve("data/imagesTr/a_0000.nii.gz"), Volume.zeros(g, 1), NiftiWriter.Options.defaults());
        NiftiWriter.write(dir.resolve("data/labelsTr/a.nii.gz"), label, NiftiWriter.Options.defaults());
        Path workflow = dir.resolve("Read and overlay");
        WorkflowWriter.write(workflow, List.of(
                new WorkflowWriter.NodeSpec("volume-reader", Map.of("path", dir.resolve("data").toString())),
                new WorkflowWriter.NodeSpec("segmentation-overlay", Map.of("panel_size", "64"))),
                List.of(new WorkflowWriter.Link(1, 0, 2, 0)));

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertThat(run(out, err, "run-workflow", workflow.toString())).as(out + "\n" + err).isZero();

        assertThat(out.toString()).contains("Volume Reader (#1)", "Segmentation Overlay (#2)", "all nodes executed");
        assertThat(workflow.resolve("results/Segmentation Overlay (#2)/port_1-1-1.png")).isRegularFile();
    }

    @Test
    void aWorkflowWithAForeignNodeIsRefusedNamingNodeAndFactory() throws Exception {
        Path workflow = dir.resolve("foreign");
        WorkflowWriter.write(workflow, List.of(new WorkflowWriter.NodeSpec("volume-reader", Map.of())), List.of());
        Path settings = workflow.resolve("Volume Reader (#1)/settings.xml");
        Files.writeString(settings, Files.readString(settings).replace("org.volseg.knime.nodes.VolumeReaderNodeFactory",
                "org.knime.base.node.io.csvreader.CSVReaderNodeFactory"));

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertThat(run(out, err, "run-workflow", workflow.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("settings.xml: factory: node Volume Reader (#1) uses "
                + "org.knime.base.node.io.csvreader.CSVReaderNodeFactory, which is no VolSeg node");
    }

    @Test
    void aFailingNodeStopsOnlyWhatIsDownstreamOfIt() throws Exception {
        Path workflow = dir.resolve("failing");
        WorkflowWriter.write(workflow, List.of(
                new WorkflowWriter.NodeSpec("volume-reader", Map.of("path", dir.resolve("nowhere").toString())),
                new WorkflowWriter.NodeSpec("segmentation-overlay", Map.of())),
                List.of(new WorkflowWriter.Link(1, 0, 2, 0)));
        List<WorkflowRunner.NodeReport> reports = new WorkflowRunner(workflow).run(dir.resolve("results"),
                org.volseg.ops.api.Progress.silent());
        assertThat(reports.get(0).status()).startsWith("failed: nowhere: folder: does not exist");
        assertThat(reports.get(1).status()).isEqualTo("not run: an upstream node failed");
    }

    /** CI runs every workflow template the project ships. */
    @TestFactory
    Stream<DynamicTest> everyTestWorkflowRunsHeadless() throws Exception {
        Path templates = Path.of("..", "test-workflows");
        assertThat(templates.resolve("README.md")).as("the templates folder").isRegularFile();
        List<Path> workflows;
        try (Stream<Path> folders = Files.list(templates)) {
            workflows = folders.filter(WorkflowRunner::isWorkflow).sorted().toList();
        }
        return workflows.stream().map(w -> DynamicTest.dynamicTest(w.getFileName().toString(), () -> {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int exit = run(out, err, "run-workflow", w.toString(), "--results", dir.resolve(
                    w.getFileName().toString()).toString());
            assertThat(exit).as(out + "\n" + err).isZero();
        }));
    }
}
