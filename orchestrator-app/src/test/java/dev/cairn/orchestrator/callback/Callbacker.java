package dev.cairn.orchestrator.callback;

import static dev.cairn.orchestrator.support.Updates.callbackStart;

import dev.cairn.orchestrator.support.FakeWorker;
import dev.cairn.orchestrator.support.Http;
import dev.cairn.protocol.InvocationOutcome;
import dev.cairn.protocol.OperationRecord;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import tools.jackson.databind.JsonNode;

/**
 * The callback tests' workflow {@code callbacker}: one CALLBACK (operation {@code 1}, named {@code approval}) with the
 * id, timeout and heartbeat timeout of its input ({@code {"cb", "timeout"?, "heartbeat"?}}, seconds); it ends with
 * the callback's result, fails with its error, and answers {@code "timed out"} when it timed out.
 */
final class Callbacker {

    static final String WORKFLOW = "callbacker";

    private static final SecureRandom random = new SecureRandom();

    private Callbacker() {
    }

    static FakeWorker.Script script() {
        return calls -> {
            JsonNode input = Http.JSON.readTree(calls.invocation().input());
            OperationRecord cb = calls.op("1").orElse(null);
            if (cb == null) {
                calls.checkpoint(callbackStart("1", null, "approval", input.get("cb").asString(),
                        seconds(input, "timeout"), seconds(input, "heartbeat")));
                calls.complete(InvocationOutcome.PENDING, null, null);
                return;
            }
            switch (cb.status()) {
                case SUCCEEDED -> calls.complete(InvocationOutcome.SUCCEEDED, cb.result(), null);
                case FAILED -> calls.complete(InvocationOutcome.FAILED, null, cb.error());
                case TIMED_OUT -> calls.complete(InvocationOutcome.SUCCEEDED, "\"timed out\"", null);
                default -> calls.complete(InvocationOutcome.PENDING, null, null);
            }
        };
    }

    /** A fresh callback id, as random as the ones the worker starter makes. */
    static String callbackId() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static Duration seconds(JsonNode input, String field) {
        return input.hasNonNull(field) ? Duration.ofSeconds(input.get(field).asLong()) : null;
    }
}
