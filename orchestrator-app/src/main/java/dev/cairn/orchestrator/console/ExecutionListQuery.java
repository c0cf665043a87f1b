package dev.cairn.orchestrator.console;

import dev.cairn.orchestrator.execution.ExecutionFilter;
import dev.cairn.protocol.ExecutionStatus;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The filters of the executions page as the form sends them: times are {@code datetime-local} values read as UTC
 * (an ISO instant works too); what cannot be read is reported in {@code problems} and left out of the filter.
 */
public record ExecutionListQuery(String workflow, List<String> status, String name, String startedAfter,
        String startedBefore, Integer limit, String pageToken) {

    static final List<Integer> LIMITS = List.of(20, 50, 100, 200);

    public ExecutionListQuery {
        status = status == null ? List.of() : status.stream().filter(s -> s != null && !s.isBlank()).toList();
        workflow = blankToNull(workflow);
        name = blankToNull(name);
        startedAfter = blankToNull(startedAfter);
        startedBefore = blankToNull(startedBefore);
        pageToken = blankToNull(pageToken);
        limit = limit == null || !LIMITS.contains(limit) ? 20 : limit;
    }

    /** The filter, and what could not be read. */
    record Parsed(ExecutionFilter filter, List<String> problems) {
    }

    Parsed parse() {
        List<String> problems = new ArrayList<>();
        List<ExecutionStatus> statuses = new ArrayList<>();
        for (String s : status) {
            try {
                statuses.add(ExecutionStatus.valueOf(s));
            } catch (IllegalArgumentException e) {
                problems.add("Unknown status '" + s + "'.");
            }
        }
        Instant after = instant("Started after", startedAfter, problems);
        Instant before = instant("Started before", startedBefore, problems);
        return new Parsed(new ExecutionFilter(workflow, statuses, name, after, before, false), problems);
    }

    /** Whether {@code s} is among the chosen statuses (for the checkboxes). */
    public boolean has(String s) {
        return status.contains(s);
    }

    /** Whether any filter is set. */
    public boolean filtered() {
        return workflow != null || !status.isEmpty() || name != null || startedAfter != null || startedBefore != null;
    }

    /** The query string of these filters ({@code ?workflow=…&status=…}), with or without the page token. */
    public String query(boolean withPage) {
        UriComponentsBuilder b = UriComponentsBuilder.newInstance();
        if (workflow != null) {
            b.queryParam("workflow", workflow);
        }
        status.forEach(s -> b.queryParam("status", s));
        if (name != null) {
            b.queryParam("name", name);
        }
        if (startedAfter != null) {
            b.queryParam("startedAfter", startedAfter);
        }
        if (startedBefore != null) {
            b.queryParam("startedBefore", startedBefore);
        }
        b.queryParam("limit", limit);
        if (withPage && pageToken != null) {
            b.queryParam("pageToken", pageToken);
        }
        return b.encode().build().toUriString();
    }

    /** The query string of the page after this one. */
    public String nextQuery(String nextPageToken) {
        return new ExecutionListQuery(workflow, status, name, startedAfter, startedBefore, limit, nextPageToken)
                .query(true);
    }

    private static Instant instant(String label, String value, List<String> problems) {
        if (value == null) {
            return null;
        }
        try {
            return value.endsWith("Z") ? Instant.parse(value) : LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            problems.add(label + " must be a date and time such as 2025-01-31T12:00 (UTC).");
            return null;
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
