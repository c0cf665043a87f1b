package dev.cairn.orchestrator.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.orchestrator.api.InvalidRequestException;
import dev.cairn.protocol.InvocationBatch;
import dev.cairn.protocol.InvocationBatchResponse;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.mock.web.MockHttpServletRequest;
import tools.jackson.databind.json.JsonMapper;

/**
 * A batch's items are read alike whether the body's length is known (within one item's limit: no item is measured)
 * or not (sent in chunks: each item is measured against the limit), and a bad item is refused alone either way.
 */
class BatchItemsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> JSON_TEXT_FIELDS = Set.of("payload", "result", "data");
    private static final String CHECKPOINT = """
            {"checkpoint":{"executionId":"e1","invocationToken":"t1","updates":[{"id":"1","type":"STEP",
             "subType":"Step","name":"s1","action":"SUCCEED","attempt":1,"payload":"{\\"n\\":1}",
             "startedAt":"2026-12-07T10:00:00.123456Z"}]}}""";
    private static final String COMPLETION = """
            {"completion":{"executionId":"e2","invocationToken":"t2","outcome":"SUCCEEDED","result":"[1,2]",
             "startedAt":"2026-12-07T10:00:00Z","endedAt":"2026-12-07T10:00:01Z"}}""";

    private final BatchItems reader = new BatchItems(JSON, JSON_TEXT_FIELDS, 1024 * 1024, 3);

    @Test
    void validItemsAreReadAlikeInOnePassAndItemByItem() {
        String body = "{\"items\":[" + CHECKPOINT + "," + COMPLETION + "]}";

        BatchItems.Read whole = reader.read(request(body, true));
        BatchItems.Read byItem = reader.read(request(body, false));

        assertThat(whole.items()).hasSize(2).isEqualTo(byItem.items());
        assertThat(whole.items().get(0).checkpoint().updates().get(0).payload()).isEqualTo("{\"n\":1}");
        assertThat(whole.items().get(1).completion().result()).isEqualTo("[1,2]");
        assertThat(whole.refused()).containsOnlyNulls().hasSize(2);
        assertThat(byItem.refused()).containsOnlyNulls().hasSize(2);
    }

    @Test
    void aBadItemIsRefusedAloneWhateverTheWayTheBodyIsRead() {
        String badShape = "{\"checkpoint\":{\"executionId\":\"e3\",\"invocationToken\":\"t3\",\"updates\":7}}";
        String loneSurrogate = "{\"completion\":{\"executionId\":\"e4\",\"invocationToken\":\"t4\","
                + "\"outcome\":\"SUCCEEDED\",\"result\":\"\\\"\\\\ud800\\\"\"}}";
        String body = "{\"items\":[" + CHECKPOINT + "," + badShape + ",null," + "]}";
        String body2 = "{\"items\":[" + loneSurrogate + "," + COMPLETION + "]}";

        for (boolean lengthKnown : new boolean[] {true, false}) {
            BatchItems.Read read = reader.read(request(body.replace(",]", "]"), lengthKnown));
            assertThat(read.items()).hasSize(3);
            assertThat(read.items().get(0).checkpoint().executionId()).isEqualTo("e1");
            assertThat(read.refused().get(0)).isNull();
            assertThat(read.refused().get(1)).extracting(InvocationBatchResponse.Result::status).isEqualTo(400);
            // a null item is read as an empty one, which the service refuses as it refuses any empty item
            assertThat(read.items().get(2)).isEqualTo(new InvocationBatch.Item(null, null));
            assertThat(read.refused().get(2)).isNull();

            BatchItems.Read read2 = reader.read(request(body2, lengthKnown));
            assertThat(read2.refused().get(0)).satisfies(refusal -> {
                assertThat(refusal.status()).isEqualTo(400);
                assertThat(refusal.detail()).startsWith("items[0].completion.result");
            });
            assertThat(read2.refused().get(1)).isNull();
            assertThat(read2.items().get(1).completion().executionId()).isEqualTo("e2");
        }
    }

    @Test
    void tooManyItemsOrABodyThatIsNotABatchAreRefusedWholeEitherWay() {
        String four = "{\"items\":[" + COMPLETION + "," + COMPLETION + "," + COMPLETION + "," + COMPLETION + "]}";
        for (boolean lengthKnown : new boolean[] {true, false}) {
            assertThatThrownBy(() -> reader.read(request(four, lengthKnown)))
                    .isInstanceOf(InvalidRequestException.class).hasMessageContaining("at most 3");
            assertThatThrownBy(() -> reader.read(request("{\"items\":", lengthKnown)))
                    .isInstanceOf(HttpMessageNotReadableException.class);
            assertThatThrownBy(() -> reader.read(request("null", lengthKnown)))
                    .isInstanceOf(HttpMessageNotReadableException.class);
        }
    }

    @Test
    void aBodyInACharsetItsContentTypeNamesIsReadInIt() {
        String body = "{\"items\":[" + CHECKPOINT.replace("\"s1\"", "\"caf\u00e9\"") + "]}";
        MockHttpServletRequest request = request(body, true);
        request.setContentType("application/json; charset=ISO-8859-1");
        // as the application's encoding filter does to every request
        request.setCharacterEncoding("UTF-8");
        request.setContent(body.getBytes(StandardCharsets.ISO_8859_1));

        BatchItems.Read read = reader.read(request);

        assertThat(read.refused()).containsOnlyNulls();
        assertThat(read.items().get(0).checkpoint().updates().get(0).name()).isEqualTo("caf\u00e9");
    }

    /** A request with the body; with its length unknown as for a body sent in chunks. */
    private static MockHttpServletRequest request(String body, boolean lengthKnown) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/v1/invocations/batch") {
            @Override
            public long getContentLengthLong() {
                return lengthKnown ? super.getContentLengthLong() : -1;
            }
        };
        request.setContentType("application/json");
        request.setContent(body.getBytes(StandardCharsets.UTF_8));
        return request;
    }
}
