package dev.cairn.orchestrator.worker;

import dev.cairn.orchestrator.api.Page;
import dev.cairn.orchestrator.api.PageToken;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The client REST API of workflows and workers (read only). */
@RestController
public class CatalogController {

    private final WorkflowCatalog catalog;

    public CatalogController(WorkflowCatalog catalog) {
        this.catalog = catalog;
    }

    @GetMapping("/v1/workflows")
    public Page<WorkflowSummary> workflows(@RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String pageToken) {
        int size = PageToken.limit(limit);
        List<WorkflowSummary> rows = catalog.workflows(PageToken.decode("wf", pageToken), size + 1);
        String next = rows.size() > size ? PageToken.encode("wf", rows.get(size - 1).name()) : null;
        return new Page<>(rows.stream().limit(size).toList(), next);
    }

    @GetMapping("/v1/workers")
    public Page<WorkerSummary> workers(@RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String pageToken) {
        int size = PageToken.limit(limit);
        List<WorkerSummary> rows = catalog.workers(PageToken.decode("wk", pageToken), size + 1);
        String next = rows.size() > size ? PageToken.encode("wk", rows.get(size - 1).workerId()) : null;
        return new Page<>(rows.stream().limit(size).toList(), next);
    }
}
