package dev.cairn.helm;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Grafana dashboard shipped with the orchestrator chart, parsed strictly as JSON. */
record Dashboard(JsonNode root) {

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final Pattern CAIRN_METRIC = Pattern.compile("\\bcairn_[a-z_]+");

    static Path file() {
        return HelmChart.ORCHESTRATOR.directory().resolve("dashboards/cairn.json");
    }

    static Dashboard load() {
        try {
            return parse(Files.readString(file()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Dashboard parse(String json) {
        return new Dashboard(JSON.readTree(json));
    }

    String uid() {
        return root.path("uid").asString();
    }

    String title() {
        return root.path("title").asString();
    }

    /** Every panel, rows included, and the panels nested in collapsed rows. */
    List<JsonNode> panels() {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : root.path("panels")) {
            panels.add(panel);
            panel.path("panels").forEach(panels::add);
        }
        return panels;
    }

    List<JsonNode> variables() {
        List<JsonNode> variables = new ArrayList<>();
        root.path("templating").path("list").forEach(variables::add);
        return variables;
    }

    /** The PromQL expressions of every panel target. */
    List<String> expressions() {
        List<String> expressions = new ArrayList<>();
        for (JsonNode panel : panels()) {
            panel.path("targets").forEach(target -> expressions.add(target.path("expr").asString()));
        }
        return expressions;
    }

    /** The Cairn metric families the expressions query, without the _bucket/_sum/_count series suffixes. */
    Set<String> cairnMetrics() {
        Set<String> metrics = new TreeSet<>();
        for (String expression : expressions()) {
            Matcher matcher = CAIRN_METRIC.matcher(expression);
            while (matcher.find()) {
                metrics.add(matcher.group().replaceFirst("_(bucket|sum|count)$", ""));
            }
        }
        return metrics;
    }
}
