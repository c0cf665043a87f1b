package dev.cairn.helm;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Kubernetes objects of one rendering, parsed from Helm's multi-document YAML twice: as plain YAML trees
 * ({@link #objects()}, navigated with {@link Node} paths) and as fabric8 kubernetes-model objects
 * ({@link #typed()}: a {@code Deployment}, a {@code Service}, ..., or a {@link GenericKubernetesResource} for a kind
 * the model does not know, such as a ServiceMonitor). Both lists are in the order of the rendering.
 */
record Manifests(List<Node> objects, List<HasMetadata> typed) {

    private static final KubernetesSerialization KUBERNETES = new KubernetesSerialization();

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
        List<HasMetadata> typed = parseTyped(yaml);
        if (typed.size() != objects.size()) {
            throw new AssertionError("kubernetes-model read " + typed.size() + " objects, YAML " + objects.size());
        }
        for (int i = 0; i < typed.size(); i++) {
            HasMetadata object = typed.get(i);
            restoreHookAnnotations(object);
            if (!object.getKind().equals(objects.get(i).string("kind"))
                    || !object.getMetadata().getName().equals(objects.get(i).name())) {
                throw new AssertionError("kubernetes-model read " + object.getKind() + " "
                        + object.getMetadata().getName() + " where YAML has " + objects.get(i).string("kind"));
            }
        }
        return new Manifests(List.copyOf(objects), List.copyOf(typed));
    }

    /** Helm's output as kubernetes-model objects ({@code KubernetesDeserializer} picks the class by apiVersion/kind). */
    private static List<HasMetadata> parseTyped(String yaml) {
        Object parsed = KUBERNETES.unmarshal(yaml);
        List<?> documents = parsed instanceof List<?> list ? list : parsed == null ? List.of() : List.of(parsed);
        List<HasMetadata> typed = new ArrayList<>();
        for (Object document : documents) {
            if (document == null) {
                continue;
            }
            if (!(document instanceof HasMetadata object)) {
                throw new AssertionError("Rendered a document that is not a Kubernetes object: " + document);
            }
            typed.add(object);
        }
        return typed;
    }

    @SuppressWarnings("unchecked")
    private static void restoreHookAnnotations(Map<?, ?> object) {
        if (object.get("metadata") instanceof Map<?, ?> metadata
                && metadata.get("annotations") instanceof Map<?, ?> annotations) {
            ((Map<String, Object>) metadata).put("annotations", restored((Map<String, Object>) annotations));
        }
    }

    private static void restoreHookAnnotations(HasMetadata object) {
        Map<String, String> annotations = object.getMetadata().getAnnotations();
        if (annotations != null) {
            object.getMetadata().setAnnotations(restored(annotations));
        }
    }

    private static <V> Map<String, V> restored(Map<String, V> annotations) {
        Map<String, V> restored = new LinkedHashMap<>();
        annotations.forEach((key, value) -> restored.put(
                key.startsWith(HelmChart.HIDDEN_HOOK_PREFIX)
                        ? HelmChart.HOOK_PREFIX + key.substring(HelmChart.HIDDEN_HOOK_PREFIX.length())
                        : key,
                value));
        return restored;
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

    /** The typed objects of a kubernetes-model class. */
    <T extends HasMetadata> List<T> ofType(Class<T> type) {
        return typed.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The only typed object of a kubernetes-model class; fails when there is none or more than one. */
    <T extends HasMetadata> T single(Class<T> type) {
        List<T> found = ofType(type);
        if (found.size() != 1) {
            throw new AssertionError("Expected one " + type.getSimpleName() + ", found " + found.size() + " in "
                    + kinds());
        }
        return found.get(0);
    }

    List<String> kinds() {
        return objects.stream().map(o -> o.string("kind")).toList();
    }
}
