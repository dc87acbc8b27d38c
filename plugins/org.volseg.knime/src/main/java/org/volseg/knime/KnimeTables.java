package org.volseg.knime;

import java.util.ArrayList;
import java.util.List;
import org.knime.core.data.DataCell;
import org.knime.core.data.DataColumnSpec;
import org.knime.core.data.DataColumnSpecCreator;
import org.knime.core.data.DataRow;
import org.knime.core.data.DataTableSpec;
import org.knime.core.data.DataType;
import org.knime.core.data.DoubleValue;
import org.knime.core.data.IntValue;
import org.knime.core.data.LongValue;
import org.knime.core.data.RowKey;
import org.knime.core.data.StringValue;
import org.knime.core.data.container.CloseableRowIterator;
import org.knime.core.data.def.DefaultRow;
import org.knime.core.data.def.DoubleCell;
import org.knime.core.data.def.IntCell;
import org.knime.core.data.def.LongCell;
import org.knime.core.data.def.StringCell;
import org.knime.core.data.image.png.PNGImageCellFactory;
import org.knime.core.node.BufferedDataContainer;
import org.knime.core.node.BufferedDataTable;
import org.knime.core.node.ExecutionContext;
import org.volseg.ops.api.Table;
import org.volseg.ops.api.TableSpec;

/** Operation tables to KNIME tables and back, cell type by cell type. */
final class KnimeTables {

    private KnimeTables() {
    }

    static DataTableSpec spec(TableSpec spec) {
        return new DataTableSpec(spec.columns().stream().map(c -> new DataColumnSpecCreator(c.name(), type(c.type()))
                .createSpec()).toArray(DataColumnSpec[]::new));
    }

    private static DataType type(TableSpec.CellType type) {
        return switch (type) {
            case STRING, BOOLEAN -> StringCell.TYPE;
            case INT -> IntCell.TYPE;
            case LONG -> LongCell.TYPE;
            case DOUBLE -> DoubleCell.TYPE;
            case PNG -> PNGImageCellFactory.TYPE;
        };
    }

    static BufferedDataTable toKnime(Table table, ExecutionContext exec) {
        BufferedDataContainer container = exec.createDataContainer(spec(table.spec()));
        List<TableSpec.Column> columns = table.spec().columns();
        for (int r = 0; r < table.rows().size(); r++) {
            List<Object> row = table.rows().get(r);
            DataCell[] cells = new DataCell[row.size()];
            for (int c = 0; c < cells.length; c++) {
                cells[c] = cell(row.get(c), columns.get(c).type());
            }
            container.addRowToTable(new DefaultRow(RowKey.createRowKey((long) r), cells));
        }
        container.close();
        return container.getTable();
    }

    private static DataCell cell(Object value, TableSpec.CellType type) {
        if (value == null) {
            return DataType.getMissingCell();
        }
        return switch (type) {
            case STRING, BOOLEAN -> new StringCell(value.toString());
            case INT -> new IntCell(((Number) value).intValue());
            case LONG -> new LongCell(((Number) value).longValue());
            case DOUBLE -> new DoubleCell(((Number) value).doubleValue());
            case PNG -> PNGImageCellFactory.create((byte[]) value);
        };
    }

    /** A KNIME table as an operation's input, by the column names the operation expects. */
    static Table fromKnime(BufferedDataTable table, TableSpec spec) {
        DataTableSpec knime = table.getDataTableSpec();
        int[] at = new int[spec.columns().size()];
        for (int c = 0; c < at.length; c++) {
            at[c] = knime.findColumnIndex(spec.columns().get(c).name());
        }
        Table.Builder out = new Table.Builder(spec);
        try (CloseableRowIterator rows = table.iterator()) {
            while (rows.hasNext()) {
                DataRow row = rows.next();
                List<Object> values = new ArrayList<>();
                for (int c = 0; c < at.length; c++) {
                    values.add(at[c] < 0 ? null : value(row.getCell(at[c]), spec.columns().get(c).type()));
                }
                out.add(values.toArray());
            }
        }
        return out.build();
    }

    private static Object value(DataCell cell, TableSpec.CellType type) {
        if (cell.isMissing()) {
            return null;
        }
        return switch (type) {
            case STRING, BOOLEAN -> ((StringValue) cell).getStringValue();
            case PNG -> throw new IllegalArgumentException("VolSeg nodes take no PNG columns as input");
            case INT -> ((IntValue) cell).getIntValue();
            case LONG -> ((LongValue) cell).getLongValue();
            case DOUBLE -> ((DoubleValue) cell).getDoubleValue();
        };
    }
}
