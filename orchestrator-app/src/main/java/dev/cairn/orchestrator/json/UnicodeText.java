package dev.cairn.orchestrator.json;

import java.util.Iterator;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Finds lone UTF-16 surrogates: a high surrogate not followed by a low one, or a low one not preceded by a high one.
 * Such text is not Unicode: it cannot be encoded as UTF-8, so a JSON document holding it cannot be written back (the
 * answer to the request that stored it would fail), and other clients cannot read it. Requests that would store
 * it are refused before anything is written.
 */
public final class UnicodeText {

    private UnicodeText() {
    }

    /** The index of the first lone surrogate in {@code text}, or -1. */
    public static int loneSurrogateAt(CharSequence text) {
        if (text == null) {
            return -1;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    return i;
                }
            } else if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The index of the first lone surrogate in JSON text, as a character or as a {@code \\uXXXX} escape (escaped
     * backslashes are skipped, so {@code \\\\ud800} is not one), or -1. The text need not be valid JSON.
     */
    public static int loneSurrogateInJsonAt(CharSequence json) {
        int direct = loneSurrogateAt(json);
        if (json == null) {
            return -1;
        }
        int limit = direct < 0 ? json.length() : direct;
        char pendingHigh = 0;
        int pendingAt = -1;
        for (int i = 0; i < limit; i++) {
            if (json.charAt(i) != '\\') {
                if (pendingHigh != 0) {
                    return pendingAt;
                }
                continue;
            }
            if (i + 1 >= json.length()) {
                break;
            }
            if (json.charAt(i + 1) != 'u' || i + 5 >= json.length()) {
                if (pendingHigh != 0) {
                    return pendingAt;
                }
                i++;
                continue;
            }
            int unit = hex(json, i + 2);
            if (unit < 0) {
                i++;
                continue;
            }
            char c = (char) unit;
            if (pendingHigh != 0) {
                if (!Character.isLowSurrogate(c)) {
                    return pendingAt;
                }
                pendingHigh = 0;
            } else if (Character.isHighSurrogate(c)) {
                pendingHigh = c;
                pendingAt = i;
            } else if (Character.isLowSurrogate(c)) {
                return i;
            }
            i += 5;
        }
        if (pendingHigh != 0) {
            return pendingAt;
        }
        return direct;
    }

    /**
     * Where the first lone surrogate in a JSON tree is (in a string or a property name): the path below
     * {@code prefix} ({@code input.items[2].name}), or null when there is none.
     */
    public static String loneSurrogateIn(JsonNode node, String prefix) {
        if (node == null) {
            return null;
        }
        if (node.isString()) {
            return loneSurrogateAt(node.asString()) >= 0 ? prefix : null;
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String found = loneSurrogateIn(node.get(i), prefix + "[" + i + "]");
                if (found != null) {
                    return found;
                }
            }
            return null;
        }
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.properties().iterator();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                String path = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
                if (loneSurrogateAt(field.getKey()) >= 0) {
                    return path;
                }
                String found = loneSurrogateIn(field.getValue(), path);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /** The message for a field that holds a lone surrogate. */
    public static String problem() {
        return "holds a lone UTF-16 surrogate (such as \\ud800 without its pair), which is not Unicode text";
    }

    private static int hex(CharSequence s, int at) {
        int value = 0;
        for (int k = at; k < at + 4; k++) {
            int d = Character.digit(s.charAt(k), 16);
            if (d < 0) {
                return -1;
            }
            value = value * 16 + d;
        }
        return value;
    }
}
