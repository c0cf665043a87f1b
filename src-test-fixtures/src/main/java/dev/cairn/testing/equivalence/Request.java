package dev.cairn.testing.equivalence;

import dev.cairn.api.ErrorInfo;
import dev.cairn.protocol.InvocationOutcome;
import dev.cairn.protocol.OperationUpdate;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A concrete request, with executions and invocation tokens named by their place in the run ({@code e0}, {@code t2})
 * so that the same request can go to two stores that made different ids.
 */
public sealed interface Request {

    /** A token that no store ever made. */
    int UNKNOWN_TOKEN = -1;

    /** {@code POST /v1/workflows/{name}/executions}. */
    record Start() implements Request {
        @Override
        public String toString() {
            return "start";
        }
    }

    /** The dispatcher claims execution {@code execution}. */
    record Invoke(int execution) implements Request {
        @Override
        public String toString() {
            return "invoke e" + execution;
        }
    }

    /** {@code POST /v1/invocations/checkpoints}. */
    record Checkpoint(int execution, int token, List<OperationUpdate> updates) implements Request {
        @Override
        public String toString() {
            return "checkpoint e" + execution + " " + Request.token(token) + " " + Request.updates(updates);
        }
    }

    /** {@code POST /v1/invocations/complete}. */
    record Complete(int execution, int token, InvocationOutcome outcome, String result, ErrorInfo error,
            List<OperationUpdate> updates) implements Request {
        @Override
        public String toString() {
            return "complete e" + execution + " " + Request.token(token) + " " + outcome + " "
                    + Request.updates(updates);
        }
    }

    /** Time moves on by {@code by}, then the due timers fire. */
    record Advance(Duration by) implements Request {
        @Override
        public String toString() {
            return "advance " + by + " and fire due timers";
        }
    }

    /** {@code POST /v1/callbacks/{id}/succeed}. */
    record SucceedCallback(String callbackId, String result) implements Request {
        @Override
        public String toString() {
            return "succeed callback " + callbackId + " with " + result;
        }
    }

    /** {@code POST /v1/callbacks/{id}/fail}. */
    record FailCallback(String callbackId, ErrorInfo error) implements Request {
        @Override
        public String toString() {
            return "fail callback " + callbackId;
        }
    }

    /** {@code POST /v1/callbacks/{id}/heartbeat}. */
    record HeartbeatCallback(String callbackId) implements Request {
        @Override
        public String toString() {
            return "heartbeat callback " + callbackId;
        }
    }

    /** {@code POST /v1/executions/{id}/stop}. */
    record Stop(int execution) implements Request {
        @Override
        public String toString() {
            return "stop e" + execution;
        }
    }

    static String token(int token) {
        return token == UNKNOWN_TOKEN ? "t?" : "t" + token;
    }

    static String updates(List<OperationUpdate> updates) {
        return updates.stream().map(Request::update).collect(Collectors.joining(", ", "[", "]"));
    }

    /** An update as one short line: {@code RETRY 1-2 STEP/Step "fetch" a2 next=…}. */
    static String update(OperationUpdate u) {
        StringBuilder s = new StringBuilder().append(u.action()).append(' ').append(u.id()).append(' ')
                .append(u.type()).append('/').append(u.subType());
        if (u.parentId() != null) {
            s.append(" in ").append(u.parentId());
        }
        if (u.attempt() != null) {
            s.append(" a").append(u.attempt());
        }
        if (u.payload() != null) {
            s.append(" payload=").append(u.payload());
        }
        if (u.error() != null) {
            s.append(" error=").append(u.error().type());
        }
        if (u.scheduledEndAt() != null) {
            s.append(" end=").append(u.scheduledEndAt());
        }
        if (u.nextAttemptAt() != null) {
            s.append(" next=").append(u.nextAttemptAt());
        }
        if (u.options() != null) {
            if (u.options().callbackId() != null) {
                s.append(" callback=").append(u.options().callbackId());
            }
            if (u.options().workflow() != null) {
                s.append(" workflow=").append(u.options().workflow());
            }
            if (u.options().timeout() != null) {
                s.append(" timeout=").append(u.options().timeout());
            }
            if (u.options().heartbeatTimeout() != null) {
                s.append(" heartbeat=").append(u.options().heartbeatTimeout());
            }
        }
        return s.toString();
    }
}
