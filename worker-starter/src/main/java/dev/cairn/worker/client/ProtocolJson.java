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

    /** A mapper that skips null fields and ignores fields it does not know (newer orchestrators may add some). */
    public static JsonMapper create() {
        return JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .changeDefaultPropertyInclusion(inclusion -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
                .build();
    }
}
