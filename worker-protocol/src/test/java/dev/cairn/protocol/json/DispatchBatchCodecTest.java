package dev.cairn.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.protocol.DispatchBatch;
import dev.cairn.protocol.Invocation;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** Several invocations in one request body: {@code {"invocations":[...]}}. */
class DispatchBatchCodecTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final InvocationCodec codec = new InvocationCodec(MAPPER.tokenStreamFactory());

    @Test
    void readsBackEveryInvocationInItsOrder() {
        Invocation empty = new Invocation("e2", "t2", "w", "1", null, List.of(), null);
        DispatchBatch batch = new DispatchBatch(List.of(Invocations.full(), empty, Invocations.sample()));

        byte[] written = codec.write(batch);

        assertThat(codec.readBatch(written)).isEqualTo(batch);
        assertThat(codec.readBatch(new ByteArrayInputStream(written))).isEqualTo(batch);
    }

    @Test
    void writesWhatAMapperBindingTheRecordsReadsAsTheSameBatch() {
        DispatchBatch batch = new DispatchBatch(List.of(Invocations.sample(), Invocations.full()));

        assertThat(MAPPER.readValue(codec.write(batch), DispatchBatch.class)).isEqualTo(batch);
        assertThat(codec.readBatch(MAPPER.writeValueAsBytes(batch))).isEqualTo(batch);
    }

    @Test
    void takesAnAbsentOrNullListAsNoInvocationsAndSkipsUnknownFields() {
        assertThat(codec.readBatch(bytes("{}")).invocations()).isEmpty();
        assertThat(codec.readBatch(bytes("{\"invocations\":null}")).invocations()).isEmpty();
        assertThat(codec.readBatch(bytes("{\"invocations\":[]}")).invocations()).isEmpty();
        DispatchBatch read = codec.readBatch(bytes(
                "{\"sentAt\":{\"x\":[1,2]},\"invocations\":[{\"executionId\":\"e\",\"invocationToken\":\"t\","
                        + "\"workflow\":\"w\",\"version\":\"1\"}],\"more\":true}"));
        assertThat(read.invocations()).containsExactly(new Invocation("e", "t", "w", "1", null, List.of(), null));
    }

    @Test
    void refusesWhatIsNotAListOfInvocationObjects() {
        for (String body : List.of("", "null", "[]", "{\"invocations\":{}}", "{\"invocations\":[null]}",
                "{\"invocations\":[1]}", "{\"invocations\":[{}]} {}", "{\"invocations\":[{\"operations\":7}]}",
                "{\"invocations\":[")) {
            assertThatThrownBy(() -> codec.readBatch(bytes(body))).as(body).isInstanceOf(JacksonException.class);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
