package org.volseg.ops.api;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.volseg.core.io.AtomicFiles;

/**
 * Tables as CSV files, for the command line and headless workflow runs: a header of column names, then one row per
 * line; missing cells are empty; PNG cells are written as PNG files beside the CSV and named in it, so that people
 * can open them.
 */
public final class TableFiles {

    private TableFiles() {
    }

    public static void write(Table table, Path file) throws IOException {
        AtomicFiles.write(file, tmp -> {
            try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                List<String> names = table.spec().columns().stream().map(TableSpec.Column::name).toList();
                out.write(line(new ArrayList<>(names)));
                String stem = file.getFileName().toString().replaceFirst("\\.csv$", "");
                for (int r = 0; r < table.rows().size(); r++) {
                    List<Object> cells = new ArrayList<>();
                    for (Object cell : table.rows().get(r)) {
                        if (cell instanceof byte[] png) {
                            String name = stem + "-" + (r + 1) + "-" + cells.size() + ".png";
                            AtomicFiles.write(file.resolveSibling(name), t -> Files.write(t, png));
                            cells.add(name);
                        } else {
                            cells.add(cell);
                        }
                    }
                    out.write(line(cells));
                }
            }
        });
    }

    /** Reads a table written by {@link #write}, typed by the spec its port expects. */
    public static Table read(Path file, TableSpec spec) throws IOException {
        List<List<String>> rows = org.volseg.core.data.Csv.parse(Files.readString(file, StandardCharsets.UTF_8));
        if (rows.isEmpty()) {
            throw new org.volseg.core.io.VolumeFormatException(file, "header", "the table file is empty");
        }
        List<String> header = rows.get(0);
        int[] columnAt = new int[spec.columns().size()];
        for (int c = 0; c < columnAt.length; c++) {
            columnAt[c] = header.indexOf(spec.columns().get(c).name());
            if (columnAt[c] < 0) {
                throw new org.volseg.core.io.VolumeFormatException(file, "header", "has no column '"
                        + spec.columns().get(c).name() + "'; a " + spec.kind().title() + " table has "
                        + spec.columns().stream().map(TableSpec.Column::name).toList());
            }
        }
        Table.Builder table = new Table.Builder(spec);
        for (int r = 1; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            Object[] cells = new Object[columnAt.length];
            for (int c = 0; c < columnAt.length; c++) {
                String text = columnAt[c] < row.size() ? row.get(columnAt[c]) : "";
                cells[c] = text.isEmpty() ? null : switch (spec.columns().get(c).type()) {
                    case STRING -> text;
                    case INT -> Integer.parseInt(text);
                    case LONG -> Long.parseLong(text);
                    case DOUBLE -> Double.parseDouble(text);
                    case BOOLEAN -> Boolean.parseBoolean(text);
                    case PNG -> Files.readAllBytes(file.resolveSibling(text));
                };
            }
            table.add(cells);
        }
        return table.build();
    }

    private static String line(List<Object> cells) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            Object cell = cells.get(i);
            String text = cell == null ? "" : cell.toString();
            if (text.contains(",") || text.contains("\"") || text.contains("\n")) {
                text = '"' + text.replace("\"", "\"\"") + '"';
            }
            s.append(i == 0 ? "" : ",").append(text);
        }
        return s.append('\n').toString();
    }
}
