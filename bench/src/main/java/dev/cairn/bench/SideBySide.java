package dev.cairn.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One scenario's figures for Cairn and for its peer (DBOS Transact) in one table, from the medians of the same
 * report: a row per figure with both values and Cairn ÷ DBOS. Whether a higher or a lower value is the better one
 * is said per row, so that the ratio reads without guessing: for rates (steps/s) a ratio above 1 is Cairn ahead,
 * for latencies (ms) a ratio below 1 is.
 */
record SideBySide(String title, List<Row> rows) {

    /** One figure: its label, Cairn's value, DBOS's value, and which way is better. */
    record Row(String figure, double cairn, double dbos, boolean higherIsBetter) {

        double ratio() {
            return dbos == 0 ? Double.NaN : cairn / dbos;
        }
    }

    /** A row spec: label, Cairn's figure key and DBOS's figure key in the report, which way is better. */
    record Figure(String label, String cairnKey, String dbosKey, boolean higherIsBetter) {
    }

    static SideBySide of(String title, Report report, List<Figure> figures) {
        Map<String, Object> m = report.median();
        List<Row> rows = new ArrayList<>();
        for (Figure f : figures) {
            rows.add(new Row(f.label(), number(m.get(f.cairnKey())), number(m.get(f.dbosKey())), f.higherIsBetter()));
        }
        return new SideBySide(title, rows);
    }

    private static double number(Object v) {
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    /** A Markdown table: figure | Cairn | DBOS | Cairn ÷ DBOS | better. */
    String markdown() {
        StringBuilder sb = new StringBuilder("| ").append(title).append(" | Cairn | DBOS | Cairn ÷ DBOS | better |\n")
                .append("|---|---:|---:|---:|---|\n");
        for (Row r : rows) {
            sb.append("| ").append(r.figure()).append(" | ").append(Report.format(r.cairn())).append(" | ")
                    .append(Report.format(r.dbos())).append(" | ").append(Double.isNaN(r.ratio()) ? "NaN"
                            : String.format(java.util.Locale.ROOT, "%.2f", r.ratio()))
                    .append(" | ").append(r.higherIsBetter() ? "higher" : "lower").append(" |\n");
        }
        return sb.toString();
    }

    /** The table as JSON-ready values (for the scenario's file). */
    Map<String, Object> asMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("title", title);
        List<Map<String, Object>> list = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("figure", r.figure());
            row.put("cairn", r.cairn());
            row.put("dbos", r.dbos());
            row.put("cairn_over_dbos", Stats.round(r.ratio(), 3));
            row.put("better", r.higherIsBetter() ? "higher" : "lower");
            list.add(row);
        }
        out.put("rows", list);
        return out;
    }
}
