package dev.cairn.orchestrator.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.ErrorInfo;
import dev.cairn.protocol.Invocation;
import dev.cairn.protocol.OperationRecord;
import dev.cairn.protocol.OperationStatus;
import dev.cairn.protocol.OperationType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class InvocationJsonTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private final InvocationJson json = new InvocationJson(MAPPER);

    @Test
    void writesWhatTheMapperReadsBackAsTheSameInvocation() {
        Instant t = Instant.parse("2026-11-27T13:16:46.123456Z");
        Invocation invocation = new Invocation("exec-1", "token-1", "orders", "3", "{\"orderId\":\"4\\\"2\"}", List.of(
                new OperationRecord("1", null, OperationType.STEP, "Step", "first \"quoted\" é \u2028",
                        OperationStatus.SUCCEEDED, 1, t, t.plusMillis(3), "{\"a\":[1,2,\"x\\ny\"]}", null, null, null,
                        null, null),
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

        byte[] written = json.write(invocation);

        assertThat(MAPPER.readValue(written, Invocation.class)).isEqualTo(invocation);
        assertThat(MAPPER.readValue(json.write(new Invocation("e", "t", "w", "1", null, List.of(), null)),
                Invocation.class)).isEqualTo(new Invocation("e", "t", "w", "1", null, List.of(), null));
    }

    @Test
    void leavesNullFieldsOutAndWritesTimestampsAsInstantDoes() {
        Instant t = Instant.parse("2026-11-27T13:16:46.120Z");
        Invocation invocation = new Invocation("e", "t", "w", "1", null, List.of(new OperationRecord("1", null,
                OperationType.STEP, "Step", "s", OperationStatus.STARTED, null, t, null, null, null, null, null, null,
                null)), t);

        JsonNode tree = MAPPER.readTree(new String(json.write(invocation), StandardCharsets.UTF_8));

        assertThat(tree.propertyNames()).containsExactlyInAnyOrder("executionId", "invocationToken", "workflow",
                "version", "executionStartedAt", "operations");
        assertThat(tree.get("operations").get(0).propertyNames()).containsExactlyInAnyOrder("id", "type", "subType",
                "name", "status", "startedAt");
        assertThat(tree.get("executionStartedAt").asString()).isEqualTo("2026-11-27T13:16:46.120Z");
    }

    @Test
    void formatsInstantsExactlyAsInstantToString() {
        Random random = new Random(11);
        for (int i = 0; i < 50_000; i++) {
            long seconds = random.nextLong() % 400_000_000_000L;
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1_000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(seconds, nanos);
            assertThat(InvocationJson.iso(instant)).isEqualTo(instant.toString());
        }
        for (Instant edge : List.of(Instant.EPOCH, Instant.parse("0000-01-01T00:00:00Z"),
                Instant.parse("0000-01-01T00:00:00Z").minusNanos(1), Instant.parse("9999-12-31T23:59:59.999999999Z"),
                Instant.parse("9999-12-31T23:59:59.999999999Z").plusNanos(1), Instant.parse("2024-02-29T12:00:00Z"),
                Instant.parse("2100-03-01T00:00:00.000001Z"), Instant.MIN, Instant.MAX)) {
            assertThat(InvocationJson.iso(edge)).isEqualTo(edge.toString());
        }
    }
}
