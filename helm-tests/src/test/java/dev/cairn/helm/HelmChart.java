package dev.cairn.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import org.junit.jupiter.params.provider.Arguments;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A chart under {@code helm/}, rendered and linted in process with helm-java (Helm's Go code through JNI): no helm
 * binary, no cluster, no network.
 *
 * <p>Helm's template action, as helm-java exposes it, prints the release manifest without its hooks, so the
 * migrations Job (a {@code pre-install,pre-upgrade} hook) would never show up. Renderings therefore use a copy of
 * the chart under {@code target/} whose templates spell the annotation keys {@code helm.sh/hook*} as
 * {@value #HIDDEN_HOOK_PREFIX}{@code *}; {@link Manifests#parse} turns them back, so the parsed objects carry the
 * annotations exactly as the real chart renders them. Linting uses the chart itself.
 */
record HelmChart(Path directory, String releaseName, String namespace) {

    static final String HOOK_PREFIX = "helm.sh/hook";
    static final String HIDDEN_HOOK_PREFIX = "rendered-as-manifest.cairn.test/hook";

    static final HelmChart ORCHESTRATOR = of("cairn", "prod");
    static final HelmChart WORKER = of("cairn-worker", "demo");

    /** {@link #ORCHESTRATOR} for {@code "cairn"}, {@link #WORKER} for {@code "cairn-worker"}. */
    static HelmChart named(String chart) {
        return switch (chart) {
            case "cairn" -> ORCHESTRATOR;
            case "cairn-worker" -> WORKER;
            default -> throw new IllegalArgumentException("No chart " + chart);
        };
    }

    /** (chart, variant) for every {@code ci/*-values.yaml} of both charts, for parameterized tests. */
    static Stream<Arguments> chartsAndCiVariants() {
        return Stream.of(ORCHESTRATOR, WORKER).flatMap(chart -> chart.ciVariants().stream()
                .map(variant -> Arguments.of(chart.directory().getFileName().toString(), variant)));
    }

    private static HelmChart of(String chart, String release) {
        Path directory = Path.of(System.getProperty("user.dir")).resolve("../helm").resolve(chart).normalize();
        if (!Files.isRegularFile(directory.resolve("Chart.yaml"))) {
            throw new IllegalStateException("No chart at " + directory + " (run the tests from helm-tests/)");
        }
        return new HelmChart(directory, release, "cairn");
    }

    /** Renders the chart with its default values plus {@code --set} style assignments ({@code "a.b=c"}). */
    Manifests render(String... assignments) {
        return Manifests.parse(renderText(null, assignments));
    }

    /** Renders the chart with a values file (on top of the defaults) and assignments. */
    Manifests renderWith(Path valuesFile, String... assignments) {
        return Manifests.parse(renderText(valuesFile, assignments));
    }

    /**
     * Renders the chart with values given as YAML text (helm-java escapes every special character of
     * {@code set} values, so lists and hashes such as {@code "{sha256}…"} travel best in a values file).
     */
    Manifests renderYaml(String values) {
        Path file = Path.of(System.getProperty("user.dir"), "target", "helm-test-values",
                Integer.toHexString(values.hashCode()) + ".yaml");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, values);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return renderWith(file);
    }

    /** The rendered text; a {@code fail} in a template or a schema violation throws with Helm's message. */
    String renderText(Path valuesFile, String... assignments) {
        TemplateCommand template = new Helm(copyWithHooksAsManifests()).template()
                .withName(releaseName)
                .withNamespace(namespace);
        if (valuesFile != null) {
            template = template.withValuesFile(valuesFile);
        }
        for (String assignment : assignments) {
            int eq = assignment.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("Expected key=value, got " + assignment);
            }
            template = template.set(assignment.substring(0, eq), assignment.substring(eq + 1));
        }
        return template.call();
    }

    /** The NOTES.txt an install prints (a client-only dry run), for the given assignments. */
    String installNotes(String... assignments) {
        InstallCommand install = new Helm(directory).install()
                .withName(releaseName)
                .withNamespace(namespace)
                .dryRun()
                .clientOnly();
        for (String assignment : assignments) {
            int eq = assignment.indexOf('=');
            install = install.set(assignment.substring(0, eq), assignment.substring(eq + 1));
        }
        String output = install.call().getOutput();
        int notes = output.indexOf("NOTES:");
        return notes < 0 ? "" : output.substring(notes);
    }

    /** {@code helm lint --strict} with the chart's own values. */
    LintResult lintStrict() {
        return new Helm(directory).lint().strict().call();
    }

    /**
     * {@code helm lint --strict} with a values file. helm-java's lint takes no values, so this lints a copy of
     * the chart whose values.yaml is the defaults deep-merged with the file (maps merged, everything else
     * replaced, as Helm merges values).
     */
    LintResult lintStrictWith(Path valuesFile, Path workDirectory) {
        Path copy = workDirectory.resolve(directory.getFileName());
        copyTree(directory, copy);
        Map<String, Object> merged = deepMerge(readYaml(directory.resolve("values.yaml")), readYaml(valuesFile));
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        writeString(copy.resolve("values.yaml"), new Yaml(options).dump(merged));
        return new Helm(copy).lint().strict().call();
    }

    private Path copyWithHooksAsManifests() {
        Path copy = Path.of(System.getProperty("user.dir"), "target", "charts-with-hooks-as-manifests")
                .resolve(directory.getFileName());
        synchronized (HelmChart.class) {
            deleteTree(copy);
            copyTree(directory, copy);
            try (Stream<Path> templates = Files.walk(copy.resolve("templates"))) {
                for (Path template : templates.filter(Files::isRegularFile).toList()) {
                    String text = Files.readString(template);
                    Files.writeString(template, text.replace(HOOK_PREFIX, HIDDEN_HOOK_PREFIX));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return copy;
    }

    /** The chart's {@code ci/<variant>-values.yaml} (the values variants chart-testing lints and installs). */
    Path ciValues(String variant) {
        Path path = directory.resolve("ci").resolve(variant + "-values.yaml");
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("No values variant " + path);
        }
        return path;
    }

    /** The names of the chart's {@code ci/*-values.yaml} variants, sorted ({@code full}, {@code lean}). */
    List<String> ciVariants() {
        try (Stream<Path> files = Files.list(directory.resolve("ci"))) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith("-values.yaml"))
                    .map(name -> name.substring(0, name.length() - "-values.yaml".length()))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The values a rendering with a {@code ci/} variant sees: values.yaml deep-merged with the variant. */
    Node values(String variant) {
        Map<String, Object> defaults = readYaml(directory.resolve("values.yaml"));
        return new Node(variant == null ? defaults : deepMerge(defaults, readYaml(ciValues(variant))));
    }

    /** Renders the chart with a {@code ci/} variant, or with its default values when the variant is null. */
    Manifests renderVariant(String variant) {
        return variant == null ? render() : renderWith(ciValues(variant));
    }

    static Map<String, Object> readYaml(Path file) {
        try {
            Map<String, Object> map = new Yaml(new LoaderOptions()).load(Files.readString(file));
            return map == null ? new LinkedHashMap<>() : map;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> deepMerge(Map<String, Object> base, Map<String, Object> overlay) {
        Map<String, Object> result = new LinkedHashMap<>(base);
        overlay.forEach((key, value) -> {
            Object current = result.get(key);
            if (current instanceof Map<?, ?> currentMap && value instanceof Map<?, ?> valueMap) {
                result.put(key, deepMerge((Map<String, Object>) currentMap, (Map<String, Object>) valueMap));
            } else {
                result.put(key, value);
            }
        });
        return result;
    }

    private static void copyTree(Path from, Path to) {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : paths.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeString(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
