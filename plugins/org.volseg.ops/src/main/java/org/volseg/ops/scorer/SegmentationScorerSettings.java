package org.volseg.ops.scorer;

import org.volseg.ops.api.Setting;

/**
 * @param classes       the labels scored, comma-separated; blank: every label present in either map
 * @param minimumDice   the quality gate: fail when the mean Dice over cases and classes is lower (0 = no gate)
 * @param mergeLabels   score every non-zero label of both maps as one foreground, label 1
 * @param surfaceToleranceMm the normalised surface Dice's tolerance, mm
 */
public record SegmentationScorerSettings(
        @Setting(key = "classes", label = "Classes", defaultValue = "",
                description = "The labels to score, comma-separated (e.g. 1,2,3); blank scores every label present "
                        + "in the reference or the prediction. Background (0) is never scored.")
        String classes,
        @Setting(key = "fail_below_mean_dice", label = "Fail below mean Dice", defaultValue = "0", min = 0, max = 1,
                description = "A quality gate for batch runs: the node fails when the mean Dice over all cases and "
                        + "classes is below this value. 0 turns the gate off.")
        double minimumDice,
        @Setting(key = "merge_labels", label = "Merge labels", defaultValue = "false",
                description = "Score every non-zero label of the reference and the prediction as one foreground "
                        + "(label 1): BraTS's whole tumour, or a binary model such as OSS-Net against a reference "
                        + "with several labels.")
        boolean mergeLabels,
        @Setting(key = "surface_tolerance_mm", label = "Surface Dice tolerance (mm)", defaultValue = "1", min = 0,
                max = 1000, description = "How far (mm) a surface voxel may lie from the other map's surface and "
                        + "still count for the normalised surface Dice (nsd column): the boundary error the task "
                        + "tolerates, such as 1 mm for brain structures or a few mm for organs in CT.")
        double surfaceToleranceMm) {
}
