package org.volseg.core.metrics;

/**
 * How well one class of a predicted segmentation matches the reference. With R the reference voxels of the class,
 * P the predicted ones, and TP = |R ∩ P|:
 * <ul>
 * <li>{@code dice} = 2·TP / (|R| + |P|)</li>
 * <li>{@code iou} (Jaccard) = TP / |R ∪ P|</li>
 * <li>{@code sensitivity} (recall) = TP / |R|</li>
 * <li>{@code precision} = TP / |P|</li>
 * <li>{@code hd95Mm}: the 95th percentile of the symmetric surface distances, that is of both directed sets pooled
 * into one ({@link SurfaceDistances#symmetricPercentileMm}, linear interpolation as numpy's default), as medpy's
 * {@code hd95} defines it. MONAI's {@code compute_hausdorff_distance(percentile=95)} instead reports the larger of
 * the two directed 95th percentiles, which can differ either way; {@link SurfaceDistances#maxDirectedPercentileMm}
 * gives that figure.</li>
 * <li>{@code assdMm}: the mean of the symmetric surface distances, both directed sets pooled
 * ({@link SurfaceDistances#averageSymmetricMm})</li>
 * <li>{@code nsd}: the normalised surface Dice, the share of both surfaces within a tolerance (mm) of the other
 * ({@link SurfaceDistances#surfaceDice})</li>
 * <li>{@code volumeDifferenceMm3} = (|P| − |R|) · voxel volume</li>
 * <li>{@code relativeVolumeDifference} = (|P| − |R|) / |R|, a signed fraction (0.1 is 10 % too large)</li>
 * </ul>
 *
 * <p><b>Empty classes.</b> Every ratio whose denominator is 0 has a numerator of 0 too, and 0/0 is taken as 1:
 * nothing was there to find, and nothing found was wrong. Hence:
 * <ul>
 * <li>empty in both maps: dice, iou, sensitivity, precision, nsd 1; hd95, assd, both volume differences 0;</li>
 * <li>empty in the reference only: dice, iou, precision, nsd 0; sensitivity 1; hd95 and assd +Infinity; relative
 * volume difference +Infinity;</li>
 * <li>empty in the prediction only: dice, iou, sensitivity, nsd 0; precision 1; hd95 and assd +Infinity;
 * relative volume difference −1.</li>
 * </ul>
 *
 * @param label                    the class label (positive)
 * @param dice                     Dice coefficient, 0 to 1
 * @param iou                      intersection over union (Jaccard index), 0 to 1
 * @param sensitivity              recall, true positive rate, 0 to 1
 * @param precision                positive predictive value, 0 to 1
 * @param hd95Mm                   95th percentile symmetric Hausdorff distance, mm
 * @param assdMm                   average symmetric surface distance, mm
 * @param nsd                      normalised surface Dice at the tolerance the metrics were computed with, 0 to 1
 * @param volumeDifferenceMm3      predicted minus reference volume, mm³
 * @param relativeVolumeDifference predicted minus reference volume over reference volume
 * @param referenceVoxels          voxels of the class in the reference
 * @param predictedVoxels          voxels of the class in the prediction
 */
public record ClassMetrics(int label, double dice, double iou, double sensitivity, double precision, double hd95Mm,
        double assdMm, double nsd, double volumeDifferenceMm3, double relativeVolumeDifference, long referenceVoxels,
        long predictedVoxels) {

    /**
     * The metrics from voxel counts, the voxel volume (mm³), the class's surface distances and the surface Dice's
     * tolerance (mm).
     */
    static ClassMetrics of(int label, long referenceVoxels, long predictedVoxels, long bothVoxels,
            double voxelVolumeMm3, SurfaceDistances distances, double surfaceToleranceMm) {
        long union = referenceVoxels + predictedVoxels - bothVoxels;
        long difference = predictedVoxels - referenceVoxels;
        double relative = referenceVoxels > 0 ? (double) difference / referenceVoxels
                : predictedVoxels > 0 ? Double.POSITIVE_INFINITY : 0;
        return new ClassMetrics(label,
                ratio(2 * bothVoxels, referenceVoxels + predictedVoxels),
                ratio(bothVoxels, union),
                ratio(bothVoxels, referenceVoxels),
                ratio(bothVoxels, predictedVoxels),
                distances.symmetricPercentileMm(SurfaceDistances.HD_PERCENTILE),
                distances.averageSymmetricMm(),
                distances.surfaceDice(surfaceToleranceMm),
                difference * voxelVolumeMm3,
                relative,
                referenceVoxels,
                predictedVoxels);
    }

    /** part / whole, with 0/0 = 1 (part is 0 whenever whole is). */
    private static double ratio(long part, long whole) {
        return whole == 0 ? 1 : (double) part / whole;
    }
}
