package dev.cairn.orchestrator.console;

import dev.cairn.orchestrator.execution.ExecutionView;
import dev.cairn.orchestrator.execution.HistoryEventView;
import dev.cairn.orchestrator.execution.OperationView;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Gantt chart of an execution, laid out for SVG: a lane of its invocations (the stretches a worker ran it; the
 * gaps between them are where it held no worker, waiting) and one lane per operation in tree order, each a bar from
 * its start to its end. Waits and callbacks are drawn as hollow bars: time the execution spent waiting, not running.
 *
 * @param width the drawing's width in SVG units
 * @param height its height
 * @param plotLeft where the time axis starts (the labels are left of it)
 * @param ticks the time axis
 * @param invocations the bars of the invocation lane
 * @param lanes one per operation (the first {@value #MAX_LANES} at most)
 * @param total the time span shown, e.g. {@code 23.4 s}
 */
public record Timeline(int width, int height, int plotLeft, List<Tick> ticks, List<Bar> invocations,
        List<Lane> lanes, String total) {

    static final int MAX_LANES = 300;
    static final int WIDTH = 1100;
    static final int LABELS = 270;
    static final int ROW = 22;
    static final int AXIS = 30;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final double[] STEPS_MS = {10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 15_000, 30_000,
        60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 21_600_000, 43_200_000,
        86_400_000, 172_800_000, 604_800_000};

    /** A mark on the time axis, {@code label} relative to the start. */
    public record Tick(double x, String label) {
    }

    /**
     * A bar: {@code gap} for time spent waiting (waits, callbacks), drawn hollow.
     *
     * @param title the text a pointer or a screen reader gets
     */
    public record Bar(double x, double y, double width, String status, boolean gap, String title) {
    }

    /** One operation's lane; {@code indent} by its depth in the tree. */
    public record Lane(double y, double textY, double indent, String label, String operationId, Bar bar) {
    }

    /** Whether any lane was left out. */
    public boolean truncated(int operations) {
        return operations > lanes.size();
    }

    static Timeline of(ExecutionView execution, List<OperationNode> tree, List<HistoryEventView> history,
            Instant now) {
        Instant start = execution.startedAt() == null ? now : execution.startedAt();
        Instant end = execution.endedAt() != null ? execution.endedAt() : now;
        List<OperationNode> nodes = tree.stream().flatMap(n -> n.flatten().stream()).limit(MAX_LANES).toList();
        for (OperationNode n : nodes) {
            if (n.op().endedAt() != null && n.op().endedAt().isAfter(end)) {
                end = n.op().endedAt();
            }
        }
        if (!end.isAfter(start)) {
            end = start.plusMillis(1);
        }
        Scale scale = new Scale(start, end);
        List<Bar> invocations = new ArrayList<>();
        double invocationY = AXIS + 5;
        for (HistoryEventView e : history) {
            if ("InvocationCompleted".equals(e.type())) {
                invocation(e, scale, invocationY).ifPresent(invocations::add);
            }
        }
        List<Lane> lanes = new ArrayList<>();
        double y = AXIS + ROW;
        for (OperationNode n : nodes) {
            OperationView op = n.op();
            Bar bar = null;
            if (op.startedAt() != null) {
                Instant to = op.endedAt() != null ? op.endedAt() : now;
                boolean gap = "WAIT".equals(op.type()) || "CALLBACK".equals(op.type());
                bar = scale.bar(op.startedAt(), to, y + 5, op.status(), gap,
                        op.name() + " (" + op.subType() + "): " + op.status() + ", "
                                + ConsoleFormat.humanDuration(Duration.between(op.startedAt(), to))
                                + (op.endedAt() == null ? " so far" : "") + (gap ? ", waiting" : ""));
            }
            lanes.add(new Lane(y, y + 15, 8 + n.depth() * 14.0, ConsoleFormat.abbreviate(op.name(), 32 - 2 * n.depth()),
                    op.id(), bar));
            y += ROW;
        }
        return new Timeline(WIDTH, (int) y + 8, LABELS, scale.ticks(), invocations, lanes,
                ConsoleFormat.humanDuration(Duration.between(start, end)));
    }

    private static java.util.Optional<Bar> invocation(HistoryEventView e, Scale scale, double y) {
        if (e.details() == null) {
            return java.util.Optional.empty();
        }
        try {
            JsonNode d = JSON.readTree(e.details());
            Instant from = d.hasNonNull("startedAt") ? Instant.parse(d.get("startedAt").asString()) : null;
            Instant to = d.hasNonNull("endedAt") ? Instant.parse(d.get("endedAt").asString()) : e.timestamp();
            if (from == null || to == null) {
                return java.util.Optional.empty();
            }
            String outcome = d.hasNonNull("outcome") ? d.get("outcome").asString() : "SUCCEEDED";
            String worker = d.hasNonNull("workerId") ? " on " + d.get("workerId").asString() : "";
            return java.util.Optional.of(scale.bar(from, to, y, outcome, false, "invocation" + worker + ": "
                    + outcome + ", " + ConsoleFormat.humanDuration(Duration.between(from, to))));
        } catch (JacksonException | DateTimeParseException malformed) {
            return java.util.Optional.empty();
        }
    }

    /** Maps instants onto the plot. */
    private record Scale(Instant start, Instant end) {

        double spanMs() {
            return Math.max(1, Duration.between(start, end).toNanos() / 1e6);
        }

        double x(Instant t) {
            double ms = Duration.between(start, t).toNanos() / 1e6;
            double clamped = Math.max(0, Math.min(spanMs(), ms));
            return LABELS + clamped / spanMs() * (WIDTH - LABELS - 10);
        }

        Bar bar(Instant from, Instant to, double y, String status, boolean gap, String title) {
            double x = x(from);
            double w = Math.max(3, x(to) - x);
            return new Bar(round(x), y, round(w), status, gap, title);
        }

        List<Tick> ticks() {
            double span = spanMs();
            double step = STEPS_MS[STEPS_MS.length - 1];
            for (double s : STEPS_MS) {
                if (span / s <= 8) {
                    step = s;
                    break;
                }
            }
            List<Tick> ticks = new ArrayList<>();
            for (double t = 0; t <= span + 1e-6; t += step) {
                ticks.add(new Tick(round(LABELS + t / span * (WIDTH - LABELS - 10)),
                        "+" + ConsoleFormat.humanDuration(Duration.ofNanos((long) (t * 1e6)))));
            }
            return ticks;
        }

        private static double round(double v) {
            return Math.round(v * 10) / 10.0;
        }
    }
}
