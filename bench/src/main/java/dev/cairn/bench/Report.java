package dev.cairn.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What one scenario measured: one map of figures per repeated run, figures measured once, the medians over the
 * runs, notes saying where each figure comes from. Printed as ONE summary line ({@code BENCH <scenario> k=v …}, the
 * medians) and written as {@code <results>/<scenario>.json}.
 */
final class Report {

    final String scenario;
    final List<Map<String, Object>> runs = new ArrayList<>();
    final Map<String, Object> once = new LinkedHashMap<>();
    final List<String> notes = new ArrayList<>();
    /** Cairn and its peer side by side, when the peer ran this scenario too. */
    final List<SideBySide> sideBySide = new ArrayList<>();
    private final List<String> summaryKeys;

    Report(String scenario, String... summaryKeys) {
        this.scenario = scenario;
        this.summaryKeys = new ArrayList<>(List.of(summaryKeys));
    }

    /** Adds figures to the summary line (the peer's, beside Cairn's). */
    void summarize(String... keys) {
        summaryKeys.addAll(List.of(keys));
    }

    Map<String, Object> newRun() {
        Map<String, Object> run = new LinkedHashMap<>();
        runs.add(run);
        return run;
    }

    /** Median over the runs of every numeric figure (figures measured once are merged in as they are). */
    Map<String, Object> median() {
        Map<String, Object> out = new LinkedHashMap<>();
        Set<String> keys = new LinkedHashSet<>();
        runs.forEach(r -> keys.addAll(r.keySet()));
        for (String k : keys) {
            List<Double> values = new ArrayList<>();
            for (Map<String, Object> r : runs) {
                if (r.get(k) instanceof Number n) {
                    values.add(n.doubleValue());
                }
            }
            if (!values.isEmpty()) {
                out.put(k, Stats.round(Stats.median(values.stream().mapToDouble(Double::doubleValue).toArray()), 3));
            }
        }
        once.forEach(out::putIfAbsent);
        return out;
    }

    String summaryLine() {
        Map<String, Object> m = median();
        StringBuilder sb = new StringBuilder("BENCH ").append(scenario).append(" runs=").append(runs.size());
        for (String k : summaryKeys) {
            sb.append(' ').append(k).append('=').append(format(m.get(k)));
        }
        return sb.toString();
    }

    static String format(Object v) {
        if (v instanceof Double d) {
            if (Double.isNaN(d)) {
                return "NaN";
            }
            if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                return Long.toString(d.longValue());
            }
            return String.format(Locale.ROOT, Math.abs(d) >= 100 ? "%.1f" : "%.3f", d);
        }
        return String.valueOf(v);
    }

    Path write(Path dir, Map<String, Object> environment, Map<String, Object> config, String rerun)
            throws IOException {
        Files.createDirectories(dir);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("scenario", scenario);
        json.put("summary", summaryLine());
        json.put("median", median());
        json.put("runs", runs);
        json.put("once", once);
        json.put("notes", notes);
        if (!sideBySide.isEmpty()) {
            json.put("side_by_side", sideBySide.stream().map(SideBySide::asMap).toList());
        }
        json.put("rerun", rerun);
        json.put("config", config);
        json.put("environment", environment);
        Path file = dir.resolve(scenario + ".json");
        Files.writeString(file, Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(sanitize(json)));
        return file;
    }

    /** JSON has no NaN: such figures are written as null. */
    @SuppressWarnings("unchecked")
    private static Object sanitize(Object v) {
        if (v instanceof Double d && (d.isNaN() || d.isInfinite())) {
            return null;
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            ((Map<String, Object>) m).forEach((k, x) -> out.put(k, sanitize(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(x -> out.add(sanitize(x)));
            return out;
        }
        return v;
    }
}
