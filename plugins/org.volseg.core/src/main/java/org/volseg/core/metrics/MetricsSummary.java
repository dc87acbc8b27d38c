package org.volseg.core.metrics;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The unweighted mean of each metric over classes (every class counts once, whatever its size). Means follow IEEE
 * arithmetic: one class at +Infinity (a class missed entirely, or predicted where the reference has none) makes the
 * mean HD95 and ASSD +Infinity, which is the honest summary. With no classes every mean is NaN.
 *
 * @param classes                      how many classes were averaged
 * @param meanDice                     mean {@link ClassMetrics#dice()}
 * @param meanIou                      mean {@link ClassMetrics#iou()}
 * @param meanSensitivity              mean {@link ClassMetrics#sensitivity()}
 * @param meanPrecision                mean {@link ClassMetrics#precision()}
 * @param meanHd95Mm                   mean {@link ClassMetrics#hd95Mm()}
 * @param meanAssdMm                   mean {@link ClassMetrics#assdMm()}
 * @param meanNsd                      mean {@link ClassMetrics#nsd()}
 * @param meanVolumeDifferenceMm3      mean {@link ClassMetrics#volumeDifferenceMm3()}
 * @param meanRelativeVolumeDifference mean {@link ClassMetrics#relativeVolumeDifference()}
 */
public record MetricsSummary(int classes, double meanDice, double meanIou, double meanSensitivity,
        double meanPrecision, double meanHd95Mm, double meanAssdMm, double meanNsd, double meanVolumeDifferenceMm3,
        double meanRelativeVolumeDifference) {

    /** The means over the given classes. */
    public static MetricsSummary of(List<ClassMetrics> metrics) {
        return new MetricsSummary(metrics.size(),
                mean(metrics, ClassMetrics::dice),
                mean(metrics, ClassMetrics::iou),
                mean(metrics, ClassMetrics::sensitivity),
                mean(metrics, ClassMetrics::precision),
                mean(metrics, ClassMetrics::hd95Mm),
                mean(metrics, ClassMetrics::assdMm),
                mean(metrics, ClassMetrics::nsd),
                mean(metrics, ClassMetrics::volumeDifferenceMm3),
                mean(metrics, ClassMetrics::relativeVolumeDifference));
    }

    private static double mean(List<ClassMetrics> metrics, ToDoubleFunction<ClassMetrics> metric) {
        if (metrics.isEmpty()) {
            return Double.NaN;
        }
        double sum = 0;
        for (ClassMetrics m : metrics) {
            sum += metric.applyAsDouble(m);
        }
        return sum / metrics.size();
    }
}
