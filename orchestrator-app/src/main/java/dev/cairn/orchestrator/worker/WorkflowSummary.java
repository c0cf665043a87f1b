package dev.cairn.orchestrator.worker;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A workflow as {@code GET /v1/workflows} shows it.
 *
 * @param versions every version ever registered, lowest first
 * @param currentVersion the version a start without {@code version} runs on
 * @param workers live workers serving some version of it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WorkflowSummary(String name, List<String> versions, String currentVersion, int workers) {
}
