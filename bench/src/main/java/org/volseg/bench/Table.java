package org.volseg.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The side-by-side table every benchmark prints, and the JSON line that holds every figure. */
final class Table {

    /** One row: our figure and the reference's, in the same unit; higher is better. */
    record Row(String what, String unit, double ours, String reference, double theirs, String target) {

        double ratio() {
            return ours / theirs;
        }
    }

    private final String title;
    private final Map<String, Object> settings = new LinkedHashMap<>();
    private final List<Row> rows = new ArrayList<>();

    Table(String title) {
        this.title = title;
    }

    Table setting(String name, Object value) {
        settings.put(name, value);
        return this;
    }

    Table row(String what, String unit, double ours, String reference, double theirs, String target) {
        rows.add(new Row(what, unit, ours, reference, theirs, target));
        return this;
    }

    /** A figure with its unit; unitless ones (Dice, fractions) keep three decimals. */
    private static String figure(double value, String unit) {
        return unit.isEmpty() ? String.format("%.3f", value) : String.format("%.1f %s", value, unit);
    }

    void print() throws Exception {
        System.out.println();
        System.out.println(title);
        settings.forEach((k, v) -> System.out.println("  " + k + ": " + v));
        System.out.println();
        String format = "| %-34s | %12s | %-28s | %12s | %7s | %-8s |%n";
        System.out.printf(format, "what", "VolSeg", "reference", "reference", "ratio", "target");
        System.out.printf(format, "-".repeat(34), "-".repeat(12), "-".repeat(28), "-".repeat(12), "-".repeat(7),
                "-".repeat(8));
        for (Row r : rows) {
            System.out.printf(format, r.what(), figure(r.ours(), r.unit()), r.reference(), figure(r.theirs(), r.unit()),
                    String.format("%.2f×", r.ratio()), r.target());
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", title);
        json.put("settings", settings);
        json.put("rows", rows.stream().map(r -> Map.of("what", r.what(), "unit", r.unit(), "ours", r.ours(),
                "reference", r.reference(), "theirs", r.theirs(), "ratio", r.ratio(), "target", r.target())).toList());
        System.out.println();
        System.out.println(new ObjectMapper().writeValueAsString(json));
    }
}
