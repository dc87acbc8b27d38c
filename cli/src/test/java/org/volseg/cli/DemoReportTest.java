package org.volseg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.nn.networks.StepMemory;
import org.volseg.ops.api.HistoryTable;
import org.volseg.ops.api.ImageTable;
import org.volseg.ops.api.MetricsTable;
import org.volseg.ops.api.Table;
import org.volseg.ops.workflow.WorkflowRunner;

class DemoReportTest {

    private static DemoReport.Branch branch(String name, double dice, double peak) throws Exception {
        Table.Builder history = new Table.Builder(HistoryTable.SPEC);
        for (int e = 1; e <= 3; e++) {
            history.add(e, 1.0 / e, e == 2 ? null : dice * e / 3, "", 0.01, 2.0, peak - 3 + e);
        }
        Table.Builder metrics = new Table.Builder(MetricsTable.SPEC);
        metrics.add("case_a", 1, dice, 0.5, 0.5, 0.5, 1.0, 1.0, 0.9, 0.0, 0.0, 10L, 10L);
        metrics.add(MetricsTable.MEAN, 1, dice, 0.5, 0.5, 0.5, 1.0, 1.0, 0.9, 0.0, 0.0, 10L, 10L);
        metrics.add(MetricsTable.MEAN, 0, dice - 0.1, 0.5, 0.5, 0.5, 1.0, 1.0, 0.9, 0.0, 0.0, 10L, 10L);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(new java.awt.image.BufferedImage(4, 4, java.awt.image.BufferedImage.TYPE_INT_RGB), "png", png);
        Table images = new Table.Builder(ImageTable.SPEC).add("case_a", png.toByteArray(), 1).build();
        return new DemoReport.Branch(name, history.build(), metrics.build(), images, 12.5);
    }

    @Test
    void theReportHoldsTheDiceTableCurvesMemoryAndPicturesInOnePage(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("report.html");
        DemoReport.write(file, "Demo <test>", Map.of("data", "phantoms & more"), List.of(branch("UNet3d", 0.8,
                900), branch("Fully-InvRes", 0.7, 450)), new java.util.LinkedHashMap<>(Map.of("UNet3d",
                        new StepMemory.Result(900L << 20, 2.0, 1000))), "one step at 64³", branch("x", 0, 0).overlays(), List.of(
                        new WorkflowRunner.NodeReport("Segmenter Learner (#3)", "executed", 12.5)));

        String html = Files.readString(file);
        assertThat(html).startsWith("<!DOCTYPE html>").contains("Demo &lt;test&gt;", "phantoms &amp; more")
                .contains("<td><b>0.700</b></td>", "<td><b>0.600</b></td>", "900 MB", "1.00×", "13 s", "one step at 64³")
                .doesNotContain("<script", "http://", "https://");
        assertThat(html.split("<svg ", -1)).hasSize(3);
        assertThat(html.split("<polyline ", -1)).hasSize(5); // two charts, two architectures
        assertThat(html.split("data:image/png;base64,", -1)).hasSize(4); // the reference and two predictions
        assertThat(dir.toFile().list()).containsExactly("report.html");
    }
}
