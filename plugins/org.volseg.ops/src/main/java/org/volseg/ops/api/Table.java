package org.volseg.ops.api;

import java.util.ArrayList;
import java.util.List;

/**
 * A table passed between operations: typed columns and rows, as KNIME's data tables hold them. Volumes stay in
 * files; tables hold their paths and geometry, as KNIME users expect for data of hundreds of megabytes a case.
 *
 * @param spec the columns
 * @param rows one list of cell values per row, in column order (null = missing)
 */
public record Table(TableSpec spec, List<List<Object>> rows) implements PortData {

    public Table {
        rows = List.copyOf(rows.stream().map(r -> java.util.Collections.unmodifiableList(new ArrayList<>(r)))
                .toList());
        for (List<Object> row : rows) {
            if (row.size() != spec.columns().size()) {
                throw new IllegalArgumentException("a row of " + row.size() + " cells in a table of "
                        + spec.columns().size() + " columns");
            }
        }
    }

    /** The cell of a row in a named column. */
    public Object cell(int row, String column) {
        return rows.get(row).get(spec.index(column));
    }

    /** Builds a table row by row. */
    public static final class Builder {
        private final TableSpec spec;
        private final List<List<Object>> rows = new ArrayList<>();

        public Builder(TableSpec spec) {
            this.spec = spec;
        }

        public Builder add(Object... cells) {
            rows.add(java.util.Arrays.asList(cells));
            return this;
        }

        public Table build() {
            return new Table(spec, rows);
        }
    }
}
