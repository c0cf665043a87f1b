package dev.cairn.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Renders the {@link Lifecycle} as the markdown tables of the module README, between marker comments
 * ({@code <!-- lifecycle:NAME -->} … {@code <!-- /lifecycle:NAME -->}).
 */
final class LifecycleMarkdown {

    static final List<String> BLOCKS = List.of("operations", "executions", "timers");

    private LifecycleMarkdown() {
    }

    /** The README with every block rendered anew. */
    static String render(String readme) {
        String text = readme;
        for (String block : BLOCKS) {
            text = replace(text, block, block(block));
        }
        return text;
    }

    static String block(String name) {
        return switch (name) {
            case "operations" -> operations();
            case "executions" -> executions();
            case "timers" -> timers();
            default -> throw new IllegalArgumentException(name);
        };
    }

    static String begin(String name) {
        return "<!-- lifecycle:" + name + " -->";
    }

    static String end(String name) {
        return "<!-- /lifecycle:" + name + " -->";
    }

    /** The text between the markers of {@code name} (null when the README lacks them). */
    static String between(String readme, String name) {
        int from = readme.indexOf(begin(name));
        int to = readme.indexOf(end(name));
        if (from < 0 || to < from) {
            return null;
        }
        return readme.substring(from + begin(name).length(), to);
    }

    private static String replace(String readme, String name, String body) {
        int from = readme.indexOf(begin(name));
        int to = readme.indexOf(end(name));
        if (from < 0 || to < from) {
            throw new IllegalStateException("the README has no " + begin(name) + " … " + end(name));
        }
        return readme.substring(0, from + begin(name).length()) + body + readme.substring(to);
    }

    private static String operations() {
        StringBuilder md = new StringBuilder("\n| type | subType | cause | applies to | becomes | history events "
                + "| timers | wakes |\n|---|---|---|---|---|---|---|---|\n");
        for (Transition t : Lifecycle.transitions()) {
            md.append("| ").append(t.type())
                    .append(" | ").append(t.subType() == null ? "any" : "`" + t.subType().wireName() + "`")
                    .append(" | ").append(cause(t.cause()))
                    .append(" | ").append(appliesTo(t))
                    .append(" | `").append(t.next()).append('`')
                    .append(" | ").append(events(t))
                    .append(" | ").append(timers(t.timers()))
                    .append(" | ").append(wake(t.wake()))
                    .append(" |\n");
        }
        return md.toString();
    }

    private static String executions() {
        StringBuilder md = new StringBuilder("\n| cause | becomes | history events | timers | wakes |\n"
                + "|---|---|---|---|---|\n");
        for (ExecutionTransition t : Lifecycle.executionTransitions()) {
            md.append("| ").append(t.cause())
                    .append(" | `").append(t.next()).append('`')
                    .append(" | ").append(t.events().stream().map(e -> "`" + e + "`").collect(Collectors.joining(", ")))
                    .append(" | ").append(timers(t.timers()))
                    .append(" | ").append(wake(t.wake()))
                    .append(" |\n");
        }
        return md.toString();
    }

    private static String timers() {
        StringBuilder md = new StringBuilder("\n| timer | armed by | when it fires |\n|---|---|---|\n");
        for (TimerKind kind : TimerKind.values()) {
            java.util.Set<String> armedBy = new java.util.LinkedHashSet<>();
            Lifecycle.transitions().stream().filter(t -> t.timers().arms().contains(kind))
                    .forEach(t -> armedBy.add(t.type() + " " + cause(t.cause())));
            Lifecycle.executionTransitions().stream().filter(t -> t.timers().arms().contains(kind))
                    .forEach(t -> armedBy.add("execution " + t.cause()));
            String fires;
            if (kind == TimerKind.EXECUTION_TIMEOUT) {
                ExecutionTransition t = Lifecycle.execution(ExecutionCause.TIMED_OUT);
                fires = "the execution → `" + t.next() + "` (" + t.cause() + ")";
            } else {
                Transition t = Lifecycle.transitions().stream().filter(x -> x.cause() == Cause.timerDue(kind))
                        .findFirst().orElseThrow();
                fires = t.type() + " `" + t.requires() + "` → `" + t.next() + "` (" + t.cause() + ")";
            }
            md.append("| `").append(kind).append("` | ").append(String.join(", ", armedBy)).append(" | ")
                    .append(fires).append(" |\n");
        }
        return md.toString();
    }

    private static String cause(Cause cause) {
        return cause.isWorkerAction() ? cause.name() : "*" + cause.name() + "*";
    }

    private static String appliesTo(Transition t) {
        if (t.requires() != null) {
            return "`" + t.requires() + "`";
        }
        return t.cause().isWorkerAction() || t.cause() == Cause.INVOKE_TARGET_UNKNOWN ? "forward" : "open";
    }

    private static String events(Transition t) {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < t.events().size(); i++) {
            String e = "`" + t.events().get(i) + "`";
            events.add(i == 0 && t.impliedStart() ? "(" + e + ")" : e);
        }
        return String.join(", ", events);
    }

    private static String timers(TimerEffect effect) {
        return switch (effect) {
            case NONE -> "";
            case ARM_WAIT -> "arm `WAIT` at `scheduledEndAt`";
            case ARM_RETRY -> "arm `RETRY` at `nextAttemptAt`";
            case ARM_CALLBACK -> "arm `CALLBACK_TIMEOUT`, `CALLBACK_HEARTBEAT` (when set)";
            case REMOVE_OWN -> "remove its own";
            case REMOVE_SUBTREE -> "remove its own and those inside it";
            case ARM_EXECUTION_TIMEOUT -> "arm `EXECUTION_TIMEOUT` (when set)";
            case REMOVE_ALL -> "remove all";
        };
    }

    private static String wake(Wake wake) {
        return switch (wake) {
            case NOTHING -> "";
            case EXECUTION -> "the execution";
            case PARENT_EXECUTION -> "the chained parent";
            case CHILD_EXECUTION -> "starts the child";
        };
    }
}
