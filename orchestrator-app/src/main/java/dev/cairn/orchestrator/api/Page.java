package dev.cairn.orchestrator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** A page of a list endpoint: {@code {"items":[…], "nextPageToken":"…"}} (no token on the last page). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Page<T>(List<T> items, String nextPageToken) {
}
