package org.volseg.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.volseg.core.io.AtomicFiles;
import org.volseg.nn.networks.StepMemory;
import org.volseg.ops.api.HistoryTable;
import org.volseg.ops.api.ImageTable;
import org.volseg.ops.api.MetricsTable;
import org.volseg.ops.api.Table;
import org.volseg.ops.api.TableFiles;
import org.volseg.ops.workflow.WorkflowRunner;

/**
 * The demo's report: one self-contained HTML page (pictures inline, charts as SVG, no scripts, nothing fetched)
 * with the Dice table, training curves, the memory of a training step per architecture, overlays and node
 * timings, read from the results a workflow run left behind.
 */
final class DemoReport {

    /** What one architecture's branch of the workflow produced. */
    record Branch(String architecture, Table history, Table metrics, Table overlays, double trainingSeconds) {

        /** Mean Dice of each label over the test cases, and the overall mean under key 0. */
        Map<Integer, Double> meanDice() {
            Map<Integer, Double> out = new TreeMap<>();
            for (int r = 0; r < metrics.rows().size(); r++) {
                if (MetricsTable.MEAN.equals(metrics.cell(r, "case_id"))) {
                    out.put((Integer) metrics.cell(r, "label"), (Double) metrics.cell(r, "dice"));
                }
            }
            return out;
        }

    }

    private static final String[] COLOURS = {"#e76f51", "#2a9d8f", "#264653"};

    private DemoReport() {
    }

    /** Reads a branch's tables from the results folder ("Segmenter Learner (#3)/port_2.csv", ...). */
    static Branch branch(Path results, String architecture, String learner, String scorer, String overlay,
            double trainingSeconds) throws IOException {
        return new Branch(architecture, TableFiles.read(results.resolve(learner).resolve("port_2.csv"),
                HistoryTable.SPEC), TableFiles.read(results.resolve(scorer).resolve("port_1.csv"), MetricsTable.SPEC),
                TableFiles.read(results.resolve(overlay).resolve("port_1.csv"), ImageTable.SPEC), trainingSeconds);
    }

    /** Writes the page (atomically). */
    static void write(Path file, String title, Map<String, String> settings, List<Branch> branches,
            Map<String, StepMemory.Result> memory, String memorySetting, Table references,
            List<WorkflowRunner.NodeReport> nodes) throws IOException {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title))
                .append("</title>\n<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:1100px;color:#222}"
                        + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 10px;"
                        + "text-align:right}th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}"
                        + "figure{display:inline-block;margin:0 1em 1em 0}figcaption{font-size:90%;color:#555}"
                        + ".charts svg{margin-right:2em}</style></head><body>\n");
        h.append("<h1>").append(esc(title)).append("</h1>\n<ul>");
        settings.forEach((k, v) -> h.append("<li><b>").append(esc(k)).append(":</b> ").append(esc(v))
                .append("</li>"));
        h.append("</ul>\n");

        List<Integer> labels = labels(branches);
        h.append("<h2>Dice on the test cases</h2>\n<table><tr><th>architecture</th>");
        labels.forEach(l -> h.append("<th>label ").append(l).append("</th>"));
        h.append("<th>mean</th><th>training time</th></tr>\n");
        for (Branch b : branches) {
            Map<Integer, Double> dice = b.meanDice();
            h.append("<tr><td>").append(esc(b.architecture())).append("</td>");
            labels.forEach(l -> h.append("<td>").append(fmt(dice.getOrDefault(l, Double.NaN), 3)).append("</td>"));
            h.append("<td><b>").append(fmt(dice.getOrDefault(0, Double.NaN), 3)).append("</b></td><td>")
                    .append(fmt(b.trainingSeconds(), 0)).append(" s</td></tr>\n");
        }
        h.append("</table>\n");

        if (!memory.isEmpty()) {
            h.append("<h2>Memory of a training step</h2>\n<p>").append(esc(memorySetting)).append("</p>\n");
            h.append("<table><tr><th>architecture</th><th>peak memory growth</th><th>of UNet3d's</th>"
                    + "<th>seconds per step</th><th>parameters</th></tr>\n");
            double reference = memory.values().iterator().next().peakGrowthBytes();
            memory.forEach((name, r) -> h.append("<tr><td>").append(esc(name)).append("</td><td>")
                    .append(fmt(r.peakGrowthBytes() / 1048576.0, 0)).append(" MB</td><td>")
                    .append(fmt(r.peakGrowthBytes() / reference, 2)).append("×</td><td>")
                    .append(fmt(r.secondsPerStep(), 1)).append("</td><td>").append(r.parameters())
                    .append("</td></tr>\n"));
            h.append("</table>\n");
        }

        h.append("<h2>Training curves</h2>\n<div class=\"charts\">");
        h.append(chart("training loss", branches, "train_loss"));
        h.append(chart("validation mean Dice", branches, "validation_mean_dice"));
        h.append("</div>\n");

        h.append("<h2>Predictions on the test cases</h2>\n<h3>Reference</h3>\n");
        figures(h, references);
        for (Branch b : branches) {
            h.append("<h3>").append(esc(b.architecture())).append("</h3>\n");
            figures(h, b.overlays());
        }

        h.append("<h2>Workflow nodes</h2>\n<table><tr><th>node</th><th>seconds</th><th>status</th></tr>\n");
        for (WorkflowRunner.NodeReport n : nodes) {
            h.append("<tr><td>").append(esc(n.node())).append("</td><td>").append(fmt(n.seconds(), 1))
                    .append("</td><td>").append(esc(n.status())).append("</td></tr>\n");
        }
        h.append("</table>\n</body></html>\n");
        AtomicFiles.write(file, tmp -> Files.writeString(tmp, h, StandardCharsets.UTF_8));
    }

    /** The foreground labels scored in any branch, in order. */
    static List<Integer> labels(List<Branch> branches) {
        return branches.stream().flatMap(b -> b.meanDice().keySet().stream()).filter(l -> l != 0).distinct()
                .sorted().toList();
    }

    private static void figures(StringBuilder h, Table images) {
        for (int r = 0; r < images.rows().size(); r++) {
            byte[] png = (byte[]) images.cell(r, "image");
            h.append("<figure><img alt=\"overlay of ").append(esc((String) images.cell(r, "case_id")))
                    .append("\" src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(png))
                    .append("\"><figcaption>").append(esc((String) images.cell(r, "case_id")))
                    .append("</figcaption></figure>\n");
        }
    }

    /** A line chart (SVG) of one history column per architecture over the epochs. */
    static String chart(String title, List<Branch> branches, String column) {
        int w = 460;
        int ht = 260;
        int left = 50;
        int bottom = 30;
        double maxEpoch = 1;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        List<List<double[]>> series = new ArrayList<>();
        for (Branch b : branches) {
            List<double[]> points = new ArrayList<>();
            for (int r = 0; r < b.history().rows().size(); r++) {
                Object v = b.history().cell(r, column);
                if (v instanceof Double d && Double.isFinite(d)) {
                    double epoch = (Integer) b.history().cell(r, "epoch");
                    points.add(new double[] {epoch, d});
                    maxEpoch = Math.max(maxEpoch, epoch);
                    lo = Math.min(lo, d);
                    hi = Math.max(hi, d);
                }
            }
            series.add(points);
        }
        if (series.stream().allMatch(List::isEmpty)) {
            return "<p>No " + esc(title) + " (nothing was validated: validation share 0).</p>";
        }
        if (!(hi > lo)) {
            lo = lo - 0.5;
            hi = lo + 1;
        }
        double x0 = left;
        double plotW = w - left - 10;
        double plotH = ht - bottom - 25;
        StringBuilder s = new StringBuilder();
        s.append("<svg width=\"").append(w).append("\" height=\"").append(ht)
                .append("\" role=\"img\" aria-label=\"").append(esc(title)).append("\">");
        s.append("<text x=\"").append(left).append("\" y=\"15\" font-size=\"13\">").append(esc(title))
                .append("</text>");
        s.append(String.format(Locale.ROOT, "<rect x=\"%.0f\" y=\"25\" width=\"%.0f\" height=\"%.0f\" fill=\"none\" "
                + "stroke=\"#999\"/>", x0, plotW, plotH));
        for (int k = 0; k <= 4; k++) {
            double v = lo + (hi - lo) * k / 4;
            double y = 25 + plotH - plotH * k / 4;
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\">"
                    + "%s</text>", left - 4, y + 3, fmt(v, 2)));
        }
        s.append(String.format(Locale.ROOT, "<text x=\"%.0f\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">"
                + "epoch (1 to %.0f)</text>", x0 + plotW / 2, ht - 8, maxEpoch));
        for (int b = 0; b < series.size(); b++) {
            StringBuilder points = new StringBuilder();
            for (double[] p : series.get(b)) {
                double x = x0 + (maxEpoch <= 1 ? plotW / 2 : plotW * (p[0] - 1) / (maxEpoch - 1));
                double y = 25 + plotH - plotH * (p[1] - lo) / (hi - lo);
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            String colour = COLOURS[b % COLOURS.length];
            s.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(colour).append("\" points=\"")
                    .append(points.toString().trim()).append("\"/>");
            s.append(String.format(Locale.ROOT, "<text x=\"%.0f\" y=\"15\" font-size=\"11\" fill=\"%s\">%s</text>",
                    x0 + 150 + 95.0 * b, colour, esc(branches.get(b).architecture())));
        }
        return s.append("</svg>").toString();
    }

    static String fmt(double v, int decimals) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + decimals + "f", v) : "–";
    }

    static String esc(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
