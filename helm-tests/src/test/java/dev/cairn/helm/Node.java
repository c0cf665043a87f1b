package dev.cairn.helm;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A value inside a parsed manifest, navigated with paths such as {@code spec.template.spec.containers[0].ports}
 * or {@code env[name=POD_IP].valueFrom} (the list element whose {@code name} is {@code POD_IP}).
 */
record Node(Object value) {

    Node at(String path) {
        return find(path).orElseThrow(() -> new AssertionError("No " + path + " in " + value));
    }

    Optional<Node> find(String path) {
        Object current = value;
        for (String segment : path.split("\\.(?![^\\[]*\\])")) {
            String key = segment.contains("[") ? segment.substring(0, segment.indexOf('[')) : segment;
            if (!key.isEmpty()) {
                if (!(current instanceof Map<?, ?> map) || !map.containsKey(key)) {
                    return Optional.empty();
                }
                current = map.get(key);
            }
            if (segment.contains("[")) {
                String selector = segment.substring(segment.indexOf('[') + 1, segment.length() - 1);
                if (!(current instanceof List<?> list)) {
                    return Optional.empty();
                }
                current = select(list, selector);
                if (current == null) {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(new Node(current));
    }

    boolean has(String path) {
        return find(path).isPresent();
    }

    String string(String path) {
        Object found = at(path).value;
        return found == null ? null : found.toString();
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> map(String path) {
        return (Map<String, Object>) at(path).value;
    }

    List<Node> list(String path) {
        return ((List<?>) at(path).value).stream().map(Node::new).toList();
    }

    String name() {
        return string("metadata.name");
    }

    private static Object select(List<?> list, String selector) {
        int eq = selector.indexOf('=');
        if (eq < 0) {
            int index = Integer.parseInt(selector);
            return index < list.size() ? list.get(index) : null;
        }
        String field = selector.substring(0, eq);
        String expected = selector.substring(eq + 1);
        return list.stream()
                .filter(item -> item instanceof Map<?, ?> m && expected.equals(String.valueOf(m.get(field))))
                .findFirst().orElse(null);
    }
}
