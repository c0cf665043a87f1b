package dev.cairn.helm;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Helpers over fabric8 kubernetes-model objects. */
final class KubernetesModel {

    private static final String MODEL_PACKAGE = "io.fabric8.kubernetes.api.model";

    private KubernetesModel() {
    }

    /**
     * The fields of a typed object that its kubernetes-model class does not know (fabric8 keeps them in
     * {@code additionalProperties} instead of failing), as paths such as
     * {@code Deployment.spec.template.spec.containers[0].livenesProbe}: a misspelt or misplaced key shows up
     * here. Empty for a {@link GenericKubernetesResource}, whose every field is "additional".
     */
    static List<String> unknownFields(HasMetadata object) {
        List<String> found = new ArrayList<>();
        if (!(object instanceof GenericKubernetesResource)) {
            walk(object, object.getKind(), found, Collections.newSetFromMap(new IdentityHashMap<>()));
        }
        return found;
    }

    private static void walk(Object value, String path, List<String> found, Set<Object> seen) {
        if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                walk(list.get(i), path + "[" + i + "]", found, seen);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> walk(item, path + "." + key, found, seen));
            return;
        }
        if (value == null || !value.getClass().getName().startsWith(MODEL_PACKAGE) || !seen.add(value)) {
            return;
        }
        for (Class<?> type = value.getClass(); type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                Object fieldValue = read(field, value);
                if (field.getName().equals("additionalProperties")) {
                    if (fieldValue instanceof Map<?, ?> additional) {
                        additional.keySet().forEach(key -> found.add(path + "." + key));
                    }
                } else {
                    walk(fieldValue, path + "." + field.getName(), found, seen);
                }
            }
        }
    }

    private static Object read(Field field, Object owner) {
        try {
            field.setAccessible(true);
            return field.get(owner);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("Cannot read " + field, e);
        }
    }

    static Container container(PodSpec pod, String name) {
        return pod.getContainers().stream().filter(c -> name.equals(c.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("No container " + name + " in " + pod.getContainers()));
    }

    static EnvVar env(Container container, String name) {
        return container.getEnv().stream().filter(e -> name.equals(e.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("No env " + name + " in container " + container.getName()));
    }

    static boolean hasEnv(Container container, String name) {
        return container.getEnv() != null && container.getEnv().stream().anyMatch(e -> name.equals(e.getName()));
    }

    static ContainerPort port(Container container, String name) {
        return container.getPorts().stream().filter(p -> name.equals(p.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("No port " + name + " on container " + container.getName()));
    }

    static List<String> portNames(Container container) {
        return container.getPorts().stream().map(ContainerPort::getName).toList();
    }
}
