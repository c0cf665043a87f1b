package dev.cairn.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.cairn.protocol.Invocation;
import dev.cairn.protocol.OperationRecord;
import dev.cairn.protocol.OperationStatus;
import dev.cairn.protocol.OperationType;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class InvocationCodecTest {

    /** A mapper that binds the records, as a side that does not use the codec would. */
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    /** The same, configured as the worker's protocol mapper: nulls left out, unknown fields skipped. */
    private static final JsonMapper LENIENT = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .changeDefaultPropertyInclusion(inclusion -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
            .build();

    private final InvocationCodec codec = new InvocationCodec(MAPPER.tokenStreamFactory());

    @Test
    void readsBackWhatItWrites() {
        Invocation invocation = Invocations.sample();

        assertThat(codec.read(codec.write(invocation))).isEqualTo(invocation);
        assertThat(codec.read(new ByteArrayInputStream(codec.write(invocation)))).isEqualTo(invocation);
        Invocation empty = new Invocation("e", "t", "w", "1", null, List.of(), null);
        assertThat(codec.read(codec.write(empty))).isEqualTo(empty);
    }

    @Test
    void writesWhatAMapperBindingTheRecordsReadsBackAsTheSameInvocation() {
        Invocation invocation = Invocations.sample();

        assertThat(MAPPER.readValue(codec.write(invocation), Invocation.class)).isEqualTo(invocation);
        assertThat(LENIENT.readValue(codec.write(invocation), Invocation.class)).isEqualTo(invocation);
        Invocation empty = new Invocation("e", "t", "w", "1", null, List.of(), null);
        assertThat(MAPPER.readValue(codec.write(empty), Invocation.class)).isEqualTo(empty);
    }

    @Test
    void readsWhatAMapperBindingTheRecordsWritesWithOrWithoutNullFields() {
        Invocation invocation = Invocations.sample();

        assertThat(codec.read(MAPPER.writeValueAsBytes(invocation))).isEqualTo(invocation);
        assertThat(codec.read(LENIENT.writeValueAsBytes(invocation))).isEqualTo(invocation);
    }

    @Test
    void leavesNullFieldsOutAndWritesTimestampsAsInstantDoes() {
        Instant t = Instant.parse("2026-11-27T13:16:46.120Z");
        Invocation invocation = new Invocation("e", "t", "w", "1", null, List.of(new OperationRecord("1", null,
                OperationType.STEP, "Step", "s", OperationStatus.STARTED, null, t, null, null, null, null, null, null,
                null)), t);

        JsonNode tree = MAPPER.readTree(new String(codec.write(invocation), StandardCharsets.UTF_8));

        assertThat(tree.propertyNames()).containsExactlyInAnyOrder("executionId", "invocationToken", "workflow",
                "version", "executionStartedAt", "operations");
        assertThat(tree.get("operations").get(0).propertyNames()).containsExactlyInAnyOrder("id", "type", "subType",
                "name", "status", "startedAt");
        assertThat(tree.get("executionStartedAt").asString()).isEqualTo("2026-11-27T13:16:46.120Z");
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
    void readsFieldsInAnyOrder() {
        Invocation read = read("""
                {"operations": [{"childExecutionId": "c", "error": {"data": "d", "type": "x.Boom"},
                                 "status": "FAILED", "id": "1", "type": "CHAINED_INVOKE"}],
                 "version": "1", "executionStartedAt": "2026-11-27T13:16:46Z", "executionId": "e"}
                """);

        assertThat(read.executionId()).isEqualTo("e");
        assertThat(read.executionStartedAt()).isEqualTo(Instant.parse("2026-11-27T13:16:46Z"));
        OperationRecord operation = read.operations().get(0);
        assertThat(operation.id()).isEqualTo("1");
        assertThat(operation.type()).isEqualTo(OperationType.CHAINED_INVOKE);
        assertThat(operation.childExecutionId()).isEqualTo("c");
        assertThat(operation.error().type()).isEqualTo("x.Boom");
        assertThat(operation.error().data()).isEqualTo("d");
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

    @Test
    void leavesTheStreamItReadsFromOpen() {
        AtomicBoolean closed = new AtomicBoolean();
        ByteArrayInputStream body = new ByteArrayInputStream(codec.write(Invocations.sample())) {
            @Override
            public void close() {
                closed.set(true);
            }
        };

        assertThat(codec.read(body)).isEqualTo(Invocations.sample());
        assertThat(closed).isFalse();
    }

    private Invocation read(String json) {
        return codec.read(json.getBytes(StandardCharsets.UTF_8));
    }

    private Instant timestamp(String json) {
        return read("{\"executionStartedAt\": " + json + "}").executionStartedAt();
    }
}
