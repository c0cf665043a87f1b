package dev.cairn.orchestrator.checkpoint;

import dev.cairn.protocol.CheckpointRequest;
import dev.cairn.protocol.CompletionRequest;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The worker-facing endpoints for running invocations: checkpoints and completion. */
@RestController
public class InvocationController {

    private final CheckpointService service;

    public InvocationController(CheckpointService service) {
        this.service = service;
    }

    @PostMapping(path = "/v1/invocations/checkpoints", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> checkpoint(@RequestBody CheckpointRequest request) {
        service.checkpoint(request);
        return Map.of();
    }

    @PostMapping(path = "/v1/invocations/complete", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> complete(@RequestBody CompletionRequest request) {
        service.complete(request);
        return Map.of();
    }
}
