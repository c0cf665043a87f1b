package dev.cairn.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * Reads every execution, operation and history event of the fault run's database after the drain and counts what
 * must never happen. Each count that must be 0 comes with up to {@value #EXAMPLES} examples (ids and what was
 * found), and each is also broken down by workflow.
 *
 * <ul>
 *   <li><b>lost</b>: an execution whose start the API acknowledged (an id in a 200/201 answer) that is not in the
 *       database; <b>conflicting_answers</b>: one {@code executionName} answered with two different ids;
 *       <b>refused_starts</b> / <b>unanswered_starts</b>: a start refused for good (a 4xx) or never answered.</li>
 *   <li><b>stuck</b>: an execution (root or chained child) still RUNNING after the drain.</li>
 *   <li><b>step_succeeded_twice</b>: more than one {@code StepSucceeded} for one execution and operation id (a step
 *       that failed attempts and then succeeded has several {@code StepFailed} and one {@code StepSucceeded});
 *       <b>wait_succeeded_twice</b>: more than one {@code WaitSucceeded} (a timer fired twice);
 *       <b>operation_closed_twice</b>: any other closing event of an operation (callback, context, chained
 *       invoke: {@code …Succeeded}, {@code …Failed}, {@code …TimedOut}, {@code …Stopped}, {@code …Cancelled},
 *       except {@code StepFailed}, one per failed attempt) recorded twice;
 *       <b>execution_closed_wrongly</b>: a closed execution without exactly one closing event
 *       ({@code ExecutionSucceeded}, {@code …Failed}, {@code …TimedOut}, {@code …Stopped}), or a running one with
 *       any.</li>
 *   <li><b>overlapping_invocations</b>: two {@code InvocationCompleted} events of one execution whose
 *       {@code [startedAt, endedAt]} intervals (from their details: the worker's own times, or the claim and the
 *       lease expiry for an invocation recorded LOST) overlap. Invocations of an execution are fenced one at a
 *       time, and an invocation is recorded only by the one that holds the current token, so they never
 *       overlap.</li>
 *   <li><b>nondeterministic</b>: an execution FAILED with {@code NonDeterministicExecutionException} (every fault
 *       workflow is deterministic); <b>unexpected_failures</b>: any other FAILED or TIMED_OUT execution, or a
 *       STOPPED one that the harness did not stop (itself or through an ancestor); <b>left_running_by_stop</b>: a
 *       chained child that is not STOPPED although the parent's CHAINED_INVOKE operation that started it is (a
 *       stop must take the whole tree).</li>
 * </ul>
 */
final class FaultAudit {

    static final int EXAMPLES = 20;

    /** The counts that must be 0, in the order they are printed. */
    static final List<String> MUST_BE_ZERO = List.of("lost", "stuck", "step_succeeded_twice", "wait_succeeded_twice",
            "overlapping_invocations", "nondeterministic", "unexpected_failures", "operation_closed_twice",
            "execution_closed_wrongly", "left_running_by_stop", "conflicting_answers", "refused_starts",
            "unanswered_starts");

    private static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "TIMED_OUT", "STOPPED");

    /** What the audit found: counts, examples per count, and figures for information. */
    record Findings(Map<String, Long> counts, Map<String, List<String>> examples,
            Map<String, Map<String, Long>> byWorkflow, Map<String, Object> figures) {

        boolean clean() {
            return MUST_BE_ZERO.stream().allMatch(k -> counts.getOrDefault(k, 0L) == 0);
        }
    }

    private record Execution(UUID id, String workflow, String name, String status, String error, UUID parent,
            String parentOperation) {
    }

    private final Map<String, Long> counts = new LinkedHashMap<>();
    private final Map<String, List<String>> examples = new LinkedHashMap<>();
    private final Map<String, Map<String, Long>> byWorkflow = new LinkedHashMap<>();
    private final Map<String, Object> figures = new LinkedHashMap<>();
    private final Map<UUID, Execution> executions = new HashMap<>();

    private FaultAudit() {
        MUST_BE_ZERO.forEach(k -> counts.put(k, 0L));
    }

    static Findings run(Db db, Collection<FaultLoad.Tracked> started) throws SQLException {
        FaultAudit audit = new FaultAudit();
        try (Connection c = db.connect()) {
            audit.readExecutions(c);
            audit.starts(started);
            Map<String, String> parentOperationStatus = audit.operations(c);
            audit.outcomes(c, started, parentOperationStatus);
            audit.duplicates(c);
            audit.invocations(c);
            audit.stuckDetails(c);
        }
        return new Findings(audit.counts, audit.examples, audit.byWorkflow, audit.figures);
    }

    private void readExecutions(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                select execution_id, workflow, execution_name, status, error, parent_execution_id, parent_operation_id
                  from executions""")) {
            while (rs.next()) {
                Execution e = new Execution((UUID) rs.getObject(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), (UUID) rs.getObject(6), rs.getString(7));
                executions.put(e.id(), e);
            }
        }
        Map<String, Long> byStatus = new TreeMap<>();
        for (Execution e : executions.values()) {
            byStatus.merge(e.workflow() + " " + e.status(), 1L, Long::sum);
        }
        figures.put("executions", executions.size());
        figures.put("chained_children", executions.values().stream().filter(e -> e.parent() != null).count());
        figures.put("executions_by_workflow_and_status", byStatus);
    }

    private void starts(Collection<FaultLoad.Tracked> started) {
        long acknowledged = 0;
        for (FaultLoad.Tracked t : started) {
            if (t.id != null) {
                acknowledged++;
                if (!executions.containsKey(t.id)) {
                    found("lost", t.workflow, t.name + " → " + t.id + " (acknowledged, not in the database)");
                }
            } else if (t.refusal != null) {
                found("refused_starts", t.workflow, t.name + ": " + t.refusal);
            } else {
                found("unanswered_starts", t.workflow, t.name + " after " + t.attempts.get() + " attempts");
            }
            if (t.conflict != null) {
                found("conflicting_answers", t.workflow, t.name + ": " + t.conflict);
            }
        }
        figures.put("starts", started.size());
        figures.put("starts_acknowledged", acknowledged);
    }

    /** Reads every operation; answers the status of each by {@code executionId/operationId}. */
    private Map<String, String> operations(Connection c) throws SQLException {
        Map<String, String> status = new HashMap<>();
        long open = 0;
        long total = 0;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                select o.execution_id, o.operation_id, o.status, e.status
                  from operations o join executions e on e.execution_id = o.execution_id""")) {
            while (rs.next()) {
                total++;
                status.put(rs.getObject(1) + "/" + rs.getString(2), rs.getString(3));
                if (TERMINAL.contains(rs.getString(4)) && !TERMINAL.contains(rs.getString(3))
                        && !"CANCELLED".equals(rs.getString(3))) {
                    open++;
                }
            }
        }
        figures.put("operations", total);
        figures.put("open_operations_in_closed_executions", open);
        return status;
    }

    private void outcomes(Connection c, Collection<FaultLoad.Tracked> started, Map<String, String> opStatus) {
        Set<UUID> stopRequested = new HashSet<>();
        for (FaultLoad.Tracked t : started) {
            if (t.stopRequested && t.id != null) {
                stopRequested.add(t.id);
            }
        }
        List<String> stuckIds = new ArrayList<>();
        for (Execution e : executions.values()) {
            if ("RUNNING".equals(e.status()) && stuckIds.size() < 1_000) {
                stuckIds.add(e.id().toString());
            }
            switch (e.status()) {
                case "RUNNING" -> found("stuck", e.workflow(), e.id() + " " + e.name());
                case "FAILED" -> {
                    String type = errorType(e.error());
                    if (type.endsWith("NonDeterministicExecutionException")) {
                        found("nondeterministic", e.workflow(), e.id() + ": " + e.error());
                    } else {
                        found("unexpected_failures", e.workflow(), e.id() + " FAILED: " + e.error());
                    }
                }
                case "TIMED_OUT" -> found("unexpected_failures", e.workflow(), e.id() + " TIMED_OUT");
                case "STOPPED" -> {
                    if (!stoppedByHarness(e, stopRequested)) {
                        found("unexpected_failures", e.workflow(), e.id() + " STOPPED, but no stop was sent for it"
                                + " or an ancestor");
                    }
                }
                default -> {
                    // SUCCEEDED
                }
            }
            if (e.parent() != null && "STOPPED".equals(opStatus.get(e.parent() + "/" + e.parentOperation()))
                    && !"STOPPED".equals(e.status())) {
                found("left_running_by_stop", e.workflow(), e.id() + " is " + e.status() + " under operation "
                        + e.parentOperation() + " of " + e.parent() + ", which is STOPPED");
            }
        }
        figures.put("stops_sent", stopRequested.size());
        figures.put("stuck_ids", stuckIds);
    }

    private boolean stoppedByHarness(Execution e, Set<UUID> stopRequested) {
        Execution at = e;
        for (int depth = 0; at != null && depth < 100; depth++) {
            if (stopRequested.contains(at.id())) {
                return true;
            }
            at = at.parent() == null ? null : executions.get(at.parent());
        }
        return false;
    }

    private void duplicates(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                select h.execution_id, h.operation_id, h.type, count(*), e.workflow,
                       string_agg(to_char(h.occurred_at at time zone 'UTC', 'HH24:MI:SS.MS'), ', ' order by h.event_id)
                  from history_events h join executions e on e.execution_id = h.execution_id
                 where h.operation_id is not null
                   and h.type not like '%Started' and h.type <> 'StepFailed'
                 group by h.execution_id, h.operation_id, h.type, e.workflow
                having count(*) > 1""")) {
            while (rs.next()) {
                String type = rs.getString(3);
                String what = rs.getObject(1) + " operation " + rs.getString(2) + ": " + rs.getLong(4) + " × " + type
                        + " at " + rs.getString(6);
                String count = switch (type) {
                    case "StepSucceeded" -> "step_succeeded_twice";
                    case "WaitSucceeded" -> "wait_succeeded_twice";
                    default -> "operation_closed_twice";
                };
                found(count, rs.getString(5), what);
            }
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                select e.execution_id, e.workflow, e.status, count(h.event_id)
                  from executions e
                  left join history_events h on h.execution_id = e.execution_id
                   and h.type in ('ExecutionSucceeded', 'ExecutionFailed', 'ExecutionTimedOut', 'ExecutionStopped')
                 group by e.execution_id, e.workflow, e.status
                having count(h.event_id) <> case when e.status = 'RUNNING' then 0 else 1 end""")) {
            while (rs.next()) {
                found("execution_closed_wrongly", rs.getString(2), rs.getObject(1) + " is " + rs.getString(3)
                        + " with " + rs.getLong(4) + " closing events");
            }
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                select type, count(*) from history_events group by type order by type""")) {
            Map<String, Long> events = new LinkedHashMap<>();
            while (rs.next()) {
                events.put(rs.getString(1), rs.getLong(2));
            }
            figures.put("history_events_by_type", events);
        }
    }

    /** Per execution, its invocations in order of start: each must start at or after the end of the one before. */
    private void invocations(Connection c) throws SQLException {
        record Interval(Instant start, Instant end, String outcome, String worker, long eventId) {
        }
        Map<UUID, List<Interval>> byExecution = new HashMap<>();
        long withoutTimes = 0;
        Map<String, Long> outcomes = new TreeMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                select execution_id, event_id, details from history_events
                 where type = 'InvocationCompleted' order by execution_id, event_id""")) {
            while (rs.next()) {
                UUID id = (UUID) rs.getObject(1);
                JsonNode d = rs.getString(3) == null ? null : Api.JSON.readTree(rs.getString(3));
                String outcome = d == null ? "?" : d.path("outcome").asString("?");
                outcomes.merge(outcome, 1L, Long::sum);
                Instant start = instant(d, "startedAt");
                Instant end = instant(d, "endedAt");
                if (start == null || end == null) {
                    withoutTimes++;
                    continue;
                }
                byExecution.computeIfAbsent(id, k -> new ArrayList<>())
                        .add(new Interval(start, end, outcome, d.path("workerId").asString("?"), rs.getLong(2)));
            }
        }
        for (Map.Entry<UUID, List<Interval>> e : byExecution.entrySet()) {
            List<Interval> list = e.getValue();
            list.sort((a, b) -> a.start().compareTo(b.start()));
            Interval latest = null;
            for (Interval i : list) {
                if (latest != null && i.start().isBefore(latest.end())) {
                    Execution x = executions.get(e.getKey());
                    found("overlapping_invocations", x == null ? "?" : x.workflow(), e.getKey() + ": "
                            + describe(latest) + " and " + describe(i));
                }
                if (latest == null || i.end().isAfter(latest.end())) {
                    latest = i;
                }
            }
        }
        figures.put("invocations_by_outcome", outcomes);
        figures.put("invocations_without_times", withoutTimes);
    }

    private static String describe(Object interval) {
        return interval.toString().replaceFirst("^Interval", "");
    }

    /** For each stuck execution: its last history events and its open operations. */
    private void stuckDetails(Connection c) throws SQLException {
        List<String> stuck = examples.getOrDefault("stuck", List.of());
        List<String> detailed = new ArrayList<>();
        try (PreparedStatement events = c.prepareStatement("""
                select type, operation_id, name, to_char(occurred_at at time zone 'UTC', 'HH24:MI:SS.MS'), details
                  from history_events where execution_id = ? order by event_id desc limit 4""");
                PreparedStatement ops = c.prepareStatement("""
                select operation_id, type, sub_type, name, status from operations
                 where execution_id = ? and status not in ('SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT', 'STOPPED')
                 order by start_seq""");
                PreparedStatement row = c.prepareStatement("""
                select ready_at, lease_expires_at, worker_id,
                       (select string_agg(timer_id || ' ' || kind || ' due ' || due_at, '; ') from timers t
                         where t.execution_id = e.execution_id)
                  from executions e where execution_id = ?""")) {
            for (String line : stuck) {
                UUID id = UUID.fromString(line.substring(0, 36));
                StringBuilder sb = new StringBuilder(line);
                Execution x = executions.get(id);
                sb.append(" [").append(x.workflow()).append(x.parent() == null ? "" : ", child of " + x.parent())
                        .append("]");
                row.setObject(1, id);
                try (ResultSet rs = row.executeQuery()) {
                    if (rs.next()) {
                        sb.append(" ready_at=").append(rs.getString(1)).append(" lease=").append(rs.getString(2))
                                .append(" worker=").append(rs.getString(3)).append(" timers=").append(rs.getString(4));
                    }
                }
                ops.setObject(1, id);
                sb.append("; open operations:");
                try (ResultSet rs = ops.executeQuery()) {
                    while (rs.next()) {
                        sb.append(' ').append(rs.getString(1)).append(' ').append(rs.getString(2)).append('/')
                                .append(rs.getString(3)).append(" '").append(rs.getString(4)).append("' ")
                                .append(rs.getString(5)).append(',');
                    }
                }
                events.setObject(1, id);
                sb.append(" last events (newest first):");
                try (ResultSet rs = events.executeQuery()) {
                    while (rs.next()) {
                        sb.append(' ').append(rs.getString(4)).append(' ').append(rs.getString(1))
                                .append(rs.getString(2) == null ? "" : " " + rs.getString(2))
                                .append(rs.getString(5) == null || !"InvocationCompleted".equals(rs.getString(1))
                                        ? "" : " " + rs.getString(5))
                                .append(';');
                    }
                }
                detailed.add(sb.toString());
            }
        }
        if (!detailed.isEmpty()) {
            examples.put("stuck", detailed);
        }
    }

    private void found(String count, String workflow, String example) {
        counts.merge(count, 1L, Long::sum);
        byWorkflow.computeIfAbsent(count, k -> new TreeMap<>()).merge(workflow, 1L, Long::sum);
        List<String> list = examples.computeIfAbsent(count, k -> new ArrayList<>());
        if (list.size() < EXAMPLES) {
            list.add(example);
        }
    }

    private static String errorType(String error) {
        if (error == null) {
            return "";
        }
        try {
            return Api.JSON.readTree(error).path("type").asString("");
        } catch (RuntimeException e) {
            return error;
        }
    }

    private static Instant instant(JsonNode details, String field) {
        if (details == null || !details.hasNonNull(field)) {
            return null;
        }
        try {
            return Instant.parse(details.get(field).asString());
        } catch (RuntimeException e) {
            return null;
        }
    }
}
