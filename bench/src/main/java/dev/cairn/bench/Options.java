package dev.cairn.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Command-line flags: {@code --name value} or {@code --name=value}; repeatable flags keep every value. Every count
 * has two defaults: the full one (the figures) and the smoke one (tiny, for CI). The values a scenario
 * really used are remembered and written to its JSON, so a run can be repeated exactly.
 */
final class Options {

    private final Map<String, List<String>> given = new LinkedHashMap<>();
    private final Map<String, Object> used = new LinkedHashMap<>();
    private final List<String> positional = new ArrayList<>();
    private final boolean smoke;

    Options(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("--")) {
                String name;
                String value;
                int eq = a.indexOf('=');
                if (eq > 0) {
                    name = a.substring(2, eq);
                    value = a.substring(eq + 1);
                } else {
                    name = a.substring(2);
                    boolean hasValue = i + 1 < args.length && !args[i + 1].startsWith("--");
                    value = hasValue ? args[++i] : "true";
                }
                given.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            } else {
                positional.add(a);
            }
        }
        this.smoke = positional.contains("smoke") || flag("smoke");
    }

    List<String> positional() {
        return positional;
    }

    boolean smoke() {
        return smoke;
    }

    /** Whether the command line gave {@code --name} at all. */
    boolean given(String name) {
        return given.containsKey(name);
    }

    boolean flag(String name) {
        List<String> v = given.get(name);
        boolean b = v != null && !v.isEmpty() && !"false".equals(v.get(v.size() - 1));
        used.put(name, b);
        return b;
    }

    String string(String name, String full, String smokeValue) {
        List<String> v = given.get(name);
        String s = v == null ? (smoke ? smokeValue : full) : v.get(v.size() - 1);
        used.put(name, s);
        return s;
    }

    String string(String name, String dflt) {
        return string(name, dflt, dflt);
    }

    int integer(String name, int full, int smokeValue) {
        int n = Integer.parseInt(string(name, Integer.toString(full), Integer.toString(smokeValue)).replace("_", ""));
        used.put(name, n);
        return n;
    }

    long longValue(String name, long full, long smokeValue) {
        long n = Long.parseLong(string(name, Long.toString(full), Long.toString(smokeValue)).replace("_", ""));
        used.put(name, n);
        return n;
    }

    /**
     * A duration written as a number and a unit: {@code 500ms}, {@code 3s}, {@code 10m}, {@code 1h} (a bare number
     * is seconds).
     */
    Duration duration(String name, String full, String smokeValue) {
        String s = string(name, full, smokeValue).trim();
        Duration d;
        if (s.endsWith("ms")) {
            d = Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
        } else if (s.endsWith("s")) {
            d = Duration.ofMillis(Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 1000));
        } else if (s.endsWith("m")) {
            d = Duration.ofMillis(Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 60_000));
        } else if (s.endsWith("h")) {
            d = Duration.ofMillis(Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 3_600_000));
        } else {
            d = Duration.ofMillis(Math.round(Double.parseDouble(s) * 1000));
        }
        if (d.isNegative()) {
            throw new IllegalArgumentException("--" + name + " must not be negative: " + s);
        }
        return d;
    }

    double decimal(String name, double full, double smokeValue) {
        double d = Double.parseDouble(string(name, Double.toString(full), Double.toString(smokeValue)));
        used.put(name, d);
        return d;
    }

    List<Integer> integers(String name, String full, String smokeValue) {
        List<Integer> out = new ArrayList<>();
        for (String s : string(name, full, smokeValue).split(",")) {
            out.add(Integer.parseInt(s.trim()));
        }
        used.put(name, out);
        return out;
    }

    List<String> all(String name) {
        List<String> v = given.getOrDefault(name, List.of());
        used.put(name, v);
        return v;
    }

    /** The flags read so far with the values they had (defaults included). */
    Map<String, Object> used() {
        return new LinkedHashMap<>(used);
    }
}
