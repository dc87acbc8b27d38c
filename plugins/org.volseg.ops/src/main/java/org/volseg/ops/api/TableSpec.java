package org.volseg.ops.api;

import java.util.List;

/**
 * A table's columns, known before execution (what KNIME's configure step shows downstream).
 *
 * @param kind    the port kind this table is
 * @param columns the columns in order
 */
public record TableSpec(PortKind kind, List<Column> columns) implements PortSpec {

    /** Cell types, each mapped to one KNIME cell type. */
    public enum CellType { STRING, INT, LONG, DOUBLE, BOOLEAN, PNG }

    /**
     * @param name        column name
     * @param type        cell type
     * @param description what it holds (node description)
     */
    public record Column(String name, CellType type, String description) {
    }

    public TableSpec {
        columns = List.copyOf(columns);
    }

    /** Every table of a kind has the same columns: this is that spec. */
    public static TableSpec of(PortKind kind) {
        return switch (kind) {
            case VOLUME_TABLE -> VolumeTable.SPEC;
            case IMAGE_TABLE -> ImageTable.SPEC;
            case METRICS_TABLE -> MetricsTable.SPEC;
            case HISTORY_TABLE -> HistoryTable.SPEC;
            case POINT_TABLE -> PointTable.SPEC;
            case MODEL -> throw new IllegalArgumentException("a model port is no table");
        };
    }

    public int index(String column) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(column)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no column '" + column + "' in " + columns.stream().map(Column::name)
                .toList());
    }
}
