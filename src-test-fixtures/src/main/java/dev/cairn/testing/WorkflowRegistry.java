package dev.cairn.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The workflow versions workers registered, and which one a start or a chained invoke names. Not thread-safe. */
final class WorkflowRegistry {

    private final Map<String, List<String>> versions = new LinkedHashMap<>();

    void register(String workflow, String version) {
        List<String> known = versions.computeIfAbsent(workflow, w -> new ArrayList<>());
        if (!known.contains(version)) {
            known.add(version);
        }
    }

    /** {@code version} if registered, the highest registered when it is null; null when there is none. */
    String resolve(String workflow, String version) {
        List<String> known = versions.get(workflow);
        if (known == null || known.isEmpty()) {
            return null;
        }
        if (version != null) {
            return known.contains(version) ? version : null;
        }
        return known.stream().max(WorkflowRegistry::compare).orElseThrow();
    }

    /** Why {@link #resolve} found nothing, in the orchestrator's words. */
    String notRegistered(String workflow, String version) {
        return versions.containsKey(workflow) && version != null
                ? "no worker ever registered version '" + version + "' of the workflow '" + workflow + "'"
                : "no worker ever registered the workflow '" + workflow + "'";
    }

    private static int compare(String a, String b) {
        if (a.matches("\\d{1,18}") && b.matches("\\d{1,18}")) {
            return Long.compare(Long.parseLong(a), Long.parseLong(b));
        }
        return a.compareTo(b);
    }
}
