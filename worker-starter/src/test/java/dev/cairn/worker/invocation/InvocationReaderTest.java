package dev.cairn.worker.invocation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.ErrorInfo;
import dev.cairn.protocol.Invocation;
import dev.cairn.protocol.OperationRecord;
import dev.cairn.protocol.OperationStatus;
import dev.cairn.protocol.OperationType;
import dev.cairn.worker.client.ProtocolJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

class InvocationReaderTest {

    private static final JsonMapper PROTOCOL = ProtocolJson.create();
    private final InvocationReader reader = new InvocationReader(PROTOCOL);

    @Test
    void readsWhatTheProtocolMapperReadsWithOrWithoutNullFields() {
        Invocation invocation = sample();

        assertThat(read(PROTOCOL.writeValueAsString(invocation))).isEqualTo(invocation);
        assertThat(read(JsonMapper.builder().build().writeValueAsString(invocation))).isEqualTo(invocation);
        assertThat(PROTOCOL.readValue(PROTOCOL.writeValueAsString(invocation), Invocation.class)).isEqualTo(invocation);
    }

    @Test
    void takesAbsentFieldsAsNullAndSkipsUnknownOnes() {
        Invocation read = read("""
                {"future": {"nested": [1, {"a": null}], "x": "y"}, "executionId": "e", "invocationToken": "t",
                 "workflow": "w", "version": "1", "more": [[], {}],
                 "operations": [{"id": "1", "type": "WAIT", "status": "STARTED", "later": {"k": [true]}}]}
                """);

        assertThat(read).isEqualTo(new Invocation("e", "t", "w", "1", null,
                List.of(new OperationRecord("1", null, OperationType.WAIT, null, null, OperationStatus.STARTED, null,
                        null, null, null, null, null, null, null, null)),
                null));
        assertThat(read("{\"executionId\":\"e\"}").operations()).isEmpty();
        assertThat(read("{\"executionId\":\"e\",\"operations\":null,\"input\":null}").operations()).isEmpty();
        assertThat(read("null")).isNull();
    }

    @Test
    void takesScalarsAsTextAndNumbersGivenAsText() {
        Invocation read = read("""
                {"executionId": 42, "version": 2, "input": true,
                 "operations": [{"id": 7, "attempt": "3", "result": 1.5}]}
                """);

        assertThat(read.executionId()).isEqualTo("42");
        assertThat(read.version()).isEqualTo("2");
        assertThat(read.input()).isEqualTo("true");
        assertThat(read.operations().get(0).id()).isEqualTo("7");
        assertThat(read.operations().get(0).attempt()).isEqualTo(3);
        assertThat(read.operations().get(0).result()).isEqualTo("1.5");
    }

    @Test
    void parsesTimestampsInEveryIsoFormAndAsEpochSeconds() {
        assertThat(timestamp("\"2026-11-27T13:16:46Z\"")).isEqualTo(Instant.parse("2026-11-27T13:16:46Z"));
        assertThat(timestamp("\"2026-11-27T13:16:46.1Z\"")).isEqualTo(Instant.parse("2026-11-27T13:16:46.100Z"));
        assertThat(timestamp("\"2026-11-27T13:16:46.123456Z\"")).isEqualTo(Instant.parse("2026-11-27T13:16:46.123456Z"));
        Instant whole = Instant.parse("2026-11-27T13:16:46Z");
        assertThat(timestamp("\"2026-11-27T13:16:46.123456789Z\"")).isEqualTo(whole.plusNanos(123_456_789));
        assertThat(timestamp("\"2024-02-29T23:59:59.999Z\"")).isEqualTo(Instant.parse("2024-02-29T23:59:59.999Z"));
        assertThat(timestamp("\"1969-12-31T23:59:59.5Z\"")).isEqualTo(Instant.ofEpochSecond(-1, 500_000_000));
        assertThat(timestamp("\"0001-01-01T00:00:00Z\"")).isEqualTo(Instant.parse("0001-01-01T00:00:00Z"));
        assertThat(timestamp("\"2026-11-27T15:16:46.25+02:00\"")).isEqualTo(Instant.parse("2026-11-27T13:16:46.25Z"));
        assertThat(timestamp("\"2026-11-27T13:16:46-00:30\"")).isEqualTo(Instant.parse("2026-11-27T13:46:46Z"));
        assertThat(timestamp("\"+12026-11-27T13:16:46Z\"")).isEqualTo(Instant.parse("+12026-11-27T13:16:46Z"));
        assertThat(timestamp(Long.toString(whole.getEpochSecond()))).isEqualTo(whole);
        assertThat(timestamp(whole.getEpochSecond() + ".000123")).isEqualTo(whole.plusNanos(123_000));
        assertThat(timestamp("-1.5")).isEqualTo(Instant.ofEpochSecond(-2, 500_000_000));
        // as DateTimeFormatter.ISO_INSTANT reads them: the end of a day and a leap second
        assertThat(timestamp("\"2026-11-27T24:00:00Z\"")).isEqualTo(Instant.parse("2026-11-28T00:00:00Z"));
        assertThat(timestamp("\"2016-12-31T23:59:60Z\"")).isEqualTo(Instant.parse("2016-12-31T23:59:59Z"));
        assertThat(timestamp("\"\"")).isNull();
        assertThat(timestamp("null")).isNull();
    }

    @Test
    void parsesTheFormInstantWritesLikeInstantParseDoes() {
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            // 0000-01-01 to 9999-12-31
            long seconds = Math.floorMod(random.nextLong(), 62_167_219_200L + 253_402_300_800L) - 62_167_219_200L;
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1_000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(seconds, nanos);
            assertThat(InvocationReader.parseInstant(instant.toString())).isEqualTo(instant);
        }
        assertThat(InvocationReader.parseInstant("2026-01-31T23:59:59.000000001Z"))
                .isEqualTo(LocalDateTime.of(2026, 1, 31, 23, 59, 59, 1).toInstant(ZoneOffset.UTC));
    }

    @Test
    void refusesWhatIsNotAnInvocation() {
        List<String> accepted = new ArrayList<>();
        for (String body : List.of("", "[]", "\"x\"", "{", "{\"executionId\": }", "{\"executionId\": {\"a\": 1}}",
                "{\"executionId\": [\"a\"]}", "{} {}", "{\"operations\": {}}", "{\"operations\": [null]}",
                "{\"operations\": [1]}", "{\"operations\": [{\"type\": \"JOB\"}]}",
                "{\"operations\": [{\"status\": \"DONE\"}]}", "{\"operations\": [{\"attempt\": \"x\"}]}",
                "{\"operations\": [{\"attempt\": 1.5}]}", "{\"operations\": [{\"error\": {\"message\": \"m\"}}]}",
                "{\"operations\": [{\"error\": \"boom\"}]}", "{\"executionStartedAt\": \"yesterday\"}",
                "{\"executionStartedAt\": \"2026-02-30T00:00:00Z\"}",
                "{\"executionStartedAt\": true}", "{\"operations\": [{\"id\": \"1\"}")) {
            try {
                read(body);
                accepted.add(body);
            } catch (JacksonException expected) {
                // refused as it should be
            }
        }
        assertThat(accepted).isEmpty();
    }

    private Invocation read(String json) {
        return reader.read(json.getBytes(StandardCharsets.UTF_8));
    }

    private Instant timestamp(String json) {
        return read("{\"executionStartedAt\": " + json + "}").executionStartedAt();
    }

    private static Invocation sample() {
        Instant t = Instant.parse("2026-11-27T13:16:46.123456Z");
        List<OperationRecord> operations = new ArrayList<>();
        operations.add(new OperationRecord("1", null, OperationType.STEP, "Step", "first \"quoted\" é",
                OperationStatus.SUCCEEDED, 1, t, t.plusMillis(3), "{\"a\":[1,2,\"x\\ny\"]}", null, null, null, null,
                null));
        operations.add(new OperationRecord("2", null, OperationType.CONTEXT, "Parallel", "fan", OperationStatus.STARTED,
                null, t.plusSeconds(1), null, null, null, null, null, null, null));
        operations.add(new OperationRecord("2-1", "2", OperationType.STEP, "Step", "retrying", OperationStatus.PENDING,
                2, t.plusSeconds(2), null, null, new ErrorInfo("java.io.IOException", "down", "{\"code\":503}"), null,
                t.plusSeconds(60), null, null));
        operations.add(new OperationRecord("2-2", "2", OperationType.STEP, "Step", "failed", OperationStatus.FAILED, 3,
                t, t, null, new ErrorInfo("x.Boom", null, null), null, null, null, null));
        operations.add(new OperationRecord("3", null, OperationType.WAIT, "Wait", "nap", OperationStatus.STARTED, null,
                Instant.EPOCH, null, null, null, Instant.parse("2026-11-28T00:00:00Z"), null, null, null));
        operations.add(new OperationRecord("4", null, OperationType.CALLBACK, "Callback", "approval",
                OperationStatus.STARTED, null, Instant.ofEpochSecond(-1, 1), null, null, null, null, null, "cb-abc",
                null));
        operations.add(new OperationRecord("5", null, OperationType.CHAINED_INVOKE, "ChainedInvoke", "child",
                OperationStatus.SUCCEEDED, null, t, t.plusNanos(7), "\"done\"", null, null, null, null,
                "7d0e2c4a-9f2b-3c7e-8a51-0f7a9b1c2d3e"));
        return new Invocation("exec-1", "token-1", "orders", "3", "{\"orderId\":42}", operations, t.minusSeconds(5));
    }
}
