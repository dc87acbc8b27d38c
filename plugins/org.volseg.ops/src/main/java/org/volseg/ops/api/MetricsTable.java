package org.volseg.ops.api;

import java.util.List;
import org.volseg.ops.api.TableSpec.CellType;
import org.volseg.ops.api.TableSpec.Column;

/** The MetricsTable port: one row per case and class, then one summary row per class and one overall. */
public final class MetricsTable {

    /** The case id of summary rows. */
    public static final String MEAN = "mean";

    public static final TableSpec SPEC = new TableSpec(PortKind.METRICS_TABLE, List.of(
            new Column("case_id", CellType.STRING, "the case, or \"mean\" for summary rows"),
            new Column("label", CellType.INT, "the class (0 in the overall summary row)"),
            new Column("dice", CellType.DOUBLE, "Dice coefficient"),
            new Column("iou", CellType.DOUBLE, "intersection over union (Jaccard)"),
            new Column("sensitivity", CellType.DOUBLE, "recall"),
            new Column("precision", CellType.DOUBLE, "positive predictive value"),
            new Column("hd95_mm", CellType.DOUBLE, "95th percentile symmetric surface distance, mm"),
            new Column("assd_mm", CellType.DOUBLE, "average symmetric surface distance, mm"),
            new Column("nsd", CellType.DOUBLE, "normalised surface Dice: the share of both surfaces within the "
                    + "Scorer's tolerance of the other"),
            new Column("volume_difference_mm3", CellType.DOUBLE, "predicted minus reference volume, mm³"),
            new Column("relative_volume_difference", CellType.DOUBLE, "(predicted − reference) / reference"),
            new Column("reference_voxels", CellType.LONG, "voxels of the class in the reference"),
            new Column("predicted_voxels", CellType.LONG, "voxels of the class in the prediction")));

    private MetricsTable() {
    }
}
