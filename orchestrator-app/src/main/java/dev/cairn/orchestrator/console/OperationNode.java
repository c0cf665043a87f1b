package dev.cairn.orchestrator.console;

import dev.cairn.orchestrator.execution.OperationView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An operation with the operations started inside it (parallel branches, map iterations, a child context's steps),
 * in start order: the tree the execution page shows and the diagram is drawn from.
 *
 * @param depth 0 for top-level operations
 */
public record OperationNode(OperationView op, int depth, List<OperationNode> children) {

    /** The forest of {@code ops} (given in start order); an operation whose parent is missing is a root. */
    public static List<OperationNode> forest(List<OperationView> ops) {
        Map<String, List<OperationView>> byParent = new LinkedHashMap<>();
        Map<String, OperationView> byId = new LinkedHashMap<>();
        ops.forEach(o -> byId.put(o.id(), o));
        List<OperationView> roots = new ArrayList<>();
        for (OperationView o : ops) {
            if (o.parentId() == null || !byId.containsKey(o.parentId()) || o.parentId().equals(o.id())) {
                roots.add(o);
            } else {
                byParent.computeIfAbsent(o.parentId(), k -> new ArrayList<>()).add(o);
            }
        }
        return roots.stream().map(r -> build(r, 0, byParent)).toList();
    }

    private static OperationNode build(OperationView op, int depth, Map<String, List<OperationView>> byParent) {
        List<OperationNode> children = byParent.getOrDefault(op.id(), List.of()).stream()
                .map(c -> build(c, depth + 1, byParent))
                .toList();
        return new OperationNode(op, depth, children);
    }

    /** This node and every node below it, depth first. */
    public List<OperationNode> flatten() {
        List<OperationNode> all = new ArrayList<>();
        collect(this, all);
        return all;
    }

    private static void collect(OperationNode node, List<OperationNode> into) {
        into.add(node);
        node.children().forEach(c -> collect(c, into));
    }

    public boolean hasChildren() {
        return !children.isEmpty();
    }

    /** Whether this is a parallel or map context, whose children ran side by side. */
    public boolean isBatch() {
        return "Parallel".equals(op.subType()) || "Map".equals(op.subType());
    }
}
