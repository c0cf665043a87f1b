package dev.cairn.helm;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Kubernetes objects of one rendering, parsed from Helm's multi-document YAML. */
record Manifests(List<Node> objects) {

    static Manifests parse(String yaml) {
        List<Node> objects = new ArrayList<>();
        for (Object document : new Yaml(new LoaderOptions()).loadAll(yaml)) {
            if (document == null) {
                continue;
            }
            if (!(document instanceof Map<?, ?> map) || !map.containsKey("apiVersion") || !map.containsKey("kind")) {
                throw new AssertionError("Rendered a document that is not a Kubernetes object: " + document);
            }
            restoreHookAnnotations(map);
            objects.add(new Node(document));
        }
        return new Manifests(List.copyOf(objects));
    }

    @SuppressWarnings("unchecked")
    private static void restoreHookAnnotations(Map<?, ?> object) {
        if (object.get("metadata") instanceof Map<?, ?> metadata
                && metadata.get("annotations") instanceof Map<?, ?> annotations) {
            Map<String, Object> restored = new LinkedHashMap<>();
            ((Map<String, Object>) annotations).forEach((key, value) -> restored.put(
                    key.startsWith(HelmChart.HIDDEN_HOOK_PREFIX)
                            ? HelmChart.HOOK_PREFIX + key.substring(HelmChart.HIDDEN_HOOK_PREFIX.length())
                            : key,
                    value));
            ((Map<String, Object>) metadata).put("annotations", restored);
        }
    }

    List<Node> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.string("kind"))).toList();
    }

    boolean has(String kind) {
        return !ofKind(kind).isEmpty();
    }

    /** The only object of a kind; fails when there is none or more than one. */
    Node single(String kind) {
        List<Node> found = ofKind(kind);
        if (found.size() != 1) {
            throw new AssertionError("Expected one " + kind + ", found " + found.size() + " in " + kinds());
        }
        return found.get(0);
    }

    List<String> kinds() {
        return objects.stream().map(o -> o.string("kind")).toList();
    }
}
