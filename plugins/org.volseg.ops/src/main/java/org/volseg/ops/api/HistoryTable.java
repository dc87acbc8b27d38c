package org.volseg.ops.api;

import java.util.List;
import org.volseg.ops.api.TableSpec.CellType;
import org.volseg.ops.api.TableSpec.Column;

/** The training-history port: one row per epoch, for learning curves and for comparing runs. */
public final class HistoryTable {

    public static final TableSpec SPEC = new TableSpec(PortKind.HISTORY_TABLE, List.of(
            new Column("epoch", CellType.INT, "the epoch, from 1"),
            new Column("train_loss", CellType.DOUBLE, "mean training loss over the epoch's steps"),
            new Column("validation_mean_dice", CellType.DOUBLE,
                    "mean foreground Dice on the validation cases (missing when the epoch was not validated)"),
            new Column("validation_dice", CellType.STRING, "Dice per label value, e.g. 1=0.91;2=0.85"),
            new Column("learning_rate", CellType.DOUBLE, "learning rate at the epoch's first step"),
            new Column("seconds", CellType.DOUBLE, "wall-clock time of the epoch, validation included"),
            new Column("peak_memory_mb", CellType.DOUBLE,
                    "peak resident memory of the process since training started (MB)")));

    private HistoryTable() {
    }
}
