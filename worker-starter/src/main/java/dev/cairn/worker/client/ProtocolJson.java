package dev.cairn.worker.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON mapper for protocol messages. Deliberately not the application's mapper: customizations an
 * application makes for its own payloads (naming strategies, inclusion rules) must not change the wire format.
 */
public final class ProtocolJson {

    private ProtocolJson() {
    }

    /**
     * A mapper that skips null fields, ignores fields it does not know (newer orchestrators may add some) and
     * reads a missing number as 0 (older orchestrators lack some, such as {@code payloadLimit}).
     */
    public static JsonMapper create() {
        return JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .changeDefaultPropertyInclusion(inclusion -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
                .build();
    }
}
