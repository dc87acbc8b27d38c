package org.volseg.ops.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.volseg.nn.engines.EpochRecord;
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

    /**
     * The spec of a history whose loss has named terms (distillation): one column {@code loss_<term>} per term after
     * the standard ones, each the term's unweighted mean over the epoch's steps that had it.
     */
    public static TableSpec withLossTerms(List<String> terms) {
        List<Column> columns = new ArrayList<>(SPEC.columns());
        for (String term : terms) {
            columns.add(new Column("loss_" + term, CellType.DOUBLE, "the unweighted " + term + " term of the loss, "
                    + "mean over the epoch's steps that had it (missing when none did)"));
        }
        return new TableSpec(PortKind.HISTORY_TABLE, columns);
    }

    /** One row per epoch of {@code history}, with the named loss terms' columns of {@link #withLossTerms}. */
    public static Table of(List<EpochRecord> history, List<String> terms) {
        Table.Builder table = new Table.Builder(withLossTerms(terms));
        for (EpochRecord r : history) { // a resumed run's history holds its earlier epochs too
            List<Object> row = new ArrayList<>(List.of(r.epoch(), r.trainLoss()));
            row.add(r.validated() ? r.meanDice() : null);
            row.add(r.validationDice().entrySet().stream().map(e -> e.getKey() + "=" + String.format(Locale.ROOT,
                    "%.4f", e.getValue())).collect(Collectors.joining(";")));
            row.add(r.learningRate());
            row.add(r.seconds());
            row.add(r.peakMemoryBytes() / (1024.0 * 1024.0));
            terms.forEach(term -> row.add(r.lossTerms().get(term)));
            table.add(row.toArray());
        }
        return table.build();
    }
}
