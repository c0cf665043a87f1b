package dev.cairn.protocol.json;

import dev.cairn.api.ErrorInfo;
import dev.cairn.protocol.Invocation;
import dev.cairn.protocol.OperationRecord;
import dev.cairn.protocol.OperationStatus;
import dev.cairn.protocol.OperationType;
import java.time.Instant;
import java.util.List;

/** Invocations for the codec's tests. */
final class Invocations {

    private Invocations() {
    }

    /** An invocation with every kind of operation, text that needs escaping and timestamps at the edges. */
    static Invocation sample() {
        Instant t = Instant.parse("2026-11-27T13:16:46.123456Z");
        return new Invocation("exec-1", "token-1", "orders", "3", "{\"orderId\":\"4\\\"2\"}", List.of(
                new OperationRecord("1", null, OperationType.STEP, "Step", "first \"quoted\" é \u2028",
                        OperationStatus.SUCCEEDED, 1, t, t.plusMillis(3), "{\"a\":[1,2,\"x\\ny\"]}", null, null, null,
                        null, null),
                new OperationRecord("2", null, OperationType.CONTEXT, "Parallel", "fan", OperationStatus.STARTED,
                        null, t.plusSeconds(1), null, null, null, null, null, null, null),
                new OperationRecord("2-1", "2", OperationType.STEP, "Step", "retrying", OperationStatus.PENDING, 2,
                        t.plusSeconds(2), null, null, new ErrorInfo("java.io.IOException", "down", "{\"code\":503}"),
                        null, t.plusSeconds(60), null, null),
                new OperationRecord("2-2", "2", OperationType.STEP, "Step", "failed", OperationStatus.FAILED, 3, t, t,
                        null, new ErrorInfo("x.Boom", null, null), null, null, null, null),
                new OperationRecord("3", null, OperationType.WAIT, "Wait", "nap", OperationStatus.STARTED, null,
                        Instant.ofEpochSecond(-1, 1), null, null, null, Instant.parse("+12026-01-01T00:00:00Z"), null,
                        null, null),
                new OperationRecord("4", null, OperationType.CALLBACK, "Callback", null, OperationStatus.TIMED_OUT,
                        null, t, t, null, null, null, null, "cb-abc", null),
                new OperationRecord("5", null, OperationType.CHAINED_INVOKE, "ChainedInvoke", "child",
                        OperationStatus.SUCCEEDED, null, t, t.plusNanos(7), "\"done\"", null, null, null, null,
                        "7d0e2c4a-9f2b-3c7e-8a51-0f7a9b1c2d3e")),
                t.minusSeconds(5));
    }

    /** An invocation whose every field, and every field of its operation and error, holds a value. */
    static Invocation full() {
        Instant t = Instant.parse("2026-11-27T13:16:46.5Z");
        return new Invocation("e", "t", "w", "1", "{\"in\":1}", List.of(new OperationRecord("1-2", "1",
                OperationType.STEP, "Step", "s", OperationStatus.PENDING, 2, t, t.plusSeconds(1), "\"r\"",
                new ErrorInfo("x.Boom", "m", "{\"d\":1}"), t.plusSeconds(2), t.plusSeconds(3), "cb", "child")),
                t.minusSeconds(1));
    }
}
