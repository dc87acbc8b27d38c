package org.volseg.ops.scorer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.volseg.core.data.Case;
import org.volseg.core.io.NiftiReader;
import org.volseg.core.metrics.ClassMetrics;
import org.volseg.core.metrics.MetricsSummary;
import org.volseg.core.metrics.SegmentationMetrics;
import org.volseg.core.volume.LabelMap;
import org.volseg.ops.api.InvalidSettingsException;
import org.volseg.ops.api.MetricsTable;
import org.volseg.ops.api.Operation;
import org.volseg.ops.api.Port;
import org.volseg.ops.api.PortData;
import org.volseg.ops.api.PortKind;
import org.volseg.ops.api.PortSpec;
import org.volseg.ops.api.Progress;
import org.volseg.ops.api.Table;
import org.volseg.ops.api.VolumeTable;

/** The Segmentation Scorer node: predictions against references, per case and class, in millimetres. */
public final class SegmentationScorer implements Operation<SegmentationScorerSettings> {

    @Override
    public String id() {
        return "segmentation-scorer";
    }

    @Override
    public String name() {
        return "Segmentation Scorer";
    }

    @Override
    public String summary() {
        return "Scores predicted label maps against references: Dice, IoU, HD95, ASSD, surface Dice and volume "
                + "difference per case and class.";
    }

    @Override
    public String description() {
        return "Matches predictions to references by case id and computes, per case and class, Dice, IoU, "
                + "sensitivity, precision, the 95th percentile Hausdorff distance and the average symmetric surface "
                + "distance (both in mm, from exact Euclidean distance transforms with the voxel spacing), the "
                + "normalised surface Dice (the share of both surfaces within a tolerance of the other) and the "
                + "volume difference. Summary rows (case \"mean\") average each class over cases, and all classes. "
                + "A class absent from both maps scores Dice 1 and distance 0; absent from one only, Dice 0 and "
                + "distance infinity. An optional quality gate fails the node when the mean Dice is too low.";
    }

    @Override
    public String nodeType() {
        return "Other";
    }

    @Override
    public Class<SegmentationScorerSettings> settingsType() {
        return SegmentationScorerSettings.class;
    }

    @Override
    public List<Port> inputs() {
        return List.of(new Port(PortKind.VOLUME_TABLE, "Predictions", "Cases whose label column holds predictions."),
                new Port(PortKind.VOLUME_TABLE, "References", "Cases whose label column holds the reference."));
    }

    @Override
    public List<Port> outputs() {
        return List.of(new Port(PortKind.METRICS_TABLE, "Metrics", "One row per case and class, then summaries."));
    }

    @Override
    public List<PortSpec> configure(SegmentationScorerSettings settings, List<PortSpec> inputs)
            throws InvalidSettingsException {
        classes(settings);
        return List.of(MetricsTable.SPEC);
    }

    private static int[] classes(SegmentationScorerSettings settings) throws InvalidSettingsException {
        if (settings.classes().isBlank()) {
            return new int[0];
        }
        try {
            int[] classes = Arrays.stream(settings.classes().split(",")).map(String::trim)
                    .mapToInt(Integer::parseInt).toArray();
            for (int c : classes) {
                if (c <= 0) {
                    throw new NumberFormatException();
                }
            }
            return classes;
        } catch (NumberFormatException e) {
            throw new InvalidSettingsException("Classes (classes) is '" + settings.classes() + "'; allowed: "
                    + "positive labels separated by commas, or blank for all");
        }
    }

    @Override
    public List<PortData> execute(SegmentationScorerSettings settings, List<PortData> inputs, Progress progress)
            throws Exception {
        int[] classes = classes(settings);
        Map<String, Case> references = new LinkedHashMap<>();
        VolumeTable.cases((Table) inputs.get(1)).forEach(c -> references.put(c.id(), c));
        List<Case> predictions = VolumeTable.cases((Table) inputs.get(0));
        Table.Builder out = new Table.Builder(MetricsTable.SPEC);
        Map<Integer, List<ClassMetrics>> byClass = new TreeMap<>();
        List<ClassMetrics> all = new ArrayList<>();
        for (int i = 0; i < predictions.size(); i++) {
            progress.checkCanceled();
            Case prediction = predictions.get(i);
            progress.report((double) i / predictions.size(), "scoring " + prediction.id());
            Case reference = references.get(prediction.id());
            if (reference == null || !reference.labeled() || !prediction.labeled()) {
                progress.warn("case " + prediction.id() + " has no " + (reference == null || !reference.labeled()
                        ? "reference" : "prediction") + " label: not scored");
                continue;
            }
            LabelMap truth = NiftiReader.readLabels(reference.label());
            LabelMap predicted = NiftiReader.readLabels(prediction.label());
            if (settings.mergeLabels()) {
                truth = truth.foreground();
                predicted = predicted.foreground();
            }
            if (!truth.geometry().sameGrid(predicted.geometry(), 1e-3)) {
                throw new InvalidSettingsException("case " + prediction.id() + ": the prediction "
                        + prediction.label().getFileName() + " is " + predicted.geometry() + ", the reference "
                        + reference.label().getFileName() + " " + truth.geometry());
            }
            for (ClassMetrics m : SegmentationMetrics.computeAt(settings.surfaceToleranceMm(), truth, predicted,
                    classes)) {
                row(out, prediction.id(), m);
                byClass.computeIfAbsent(m.label(), l -> new ArrayList<>()).add(m);
                all.add(m);
            }
        }
        byClass.forEach((label, metrics) -> summary(out, label, MetricsSummary.of(metrics), metrics));
        MetricsSummary overall = MetricsSummary.of(all);
        summary(out, 0, overall, all);
        progress.report(1, all.isEmpty() ? "nothing scored" : String.format("mean Dice %.3f", overall.meanDice()));
        if (settings.minimumDice() > 0 && !(overall.meanDice() >= settings.minimumDice())) {
            throw new IllegalStateException(String.format("quality gate: mean Dice %.4f is below %.4f",
                    overall.meanDice(), settings.minimumDice()));
        }
        return List.of(out.build());
    }

    private static void row(Table.Builder out, String caseId, ClassMetrics m) {
        out.add(caseId, m.label(), m.dice(), m.iou(), m.sensitivity(), m.precision(), m.hd95Mm(), m.assdMm(),
                m.nsd(), m.volumeDifferenceMm3(), m.relativeVolumeDifference(), m.referenceVoxels(),
                m.predictedVoxels());
    }

    private static void summary(Table.Builder out, int label, MetricsSummary s, List<ClassMetrics> metrics) {
        out.add(MetricsTable.MEAN, label, s.meanDice(), s.meanIou(), s.meanSensitivity(), s.meanPrecision(),
                s.meanHd95Mm(), s.meanAssdMm(), s.meanNsd(), s.meanVolumeDifferenceMm3(),
                s.meanRelativeVolumeDifference(),
                metrics.stream().mapToLong(ClassMetrics::referenceVoxels).sum(),
                metrics.stream().mapToLong(ClassMetrics::predictedVoxels).sum());
    }
}
