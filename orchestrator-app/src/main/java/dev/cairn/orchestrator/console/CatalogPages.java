package dev.cairn.orchestrator.console;

import dev.cairn.orchestrator.worker.WorkerSummary;
import dev.cairn.orchestrator.worker.WorkflowCatalog;
import dev.cairn.orchestrator.worker.WorkflowSummary;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** What is registered: the workflows with their versions, and the workers with their load. */
@Controller
public class CatalogPages {

    /** Rows shown at most on each page. */
    static final int MAX_ROWS = 1_000;

    private final WorkflowCatalog catalog;

    public CatalogPages(WorkflowCatalog catalog) {
        this.catalog = catalog;
    }

    @GetMapping("/console/workflows")
    String workflows(Model model) {
        List<WorkflowSummary> rows = catalog.workflows(null, MAX_ROWS + 1);
        model.addAttribute("workflows", rows.stream().limit(MAX_ROWS).toList());
        model.addAttribute("more", rows.size() > MAX_ROWS);
        return "console/workflows";
    }

    @GetMapping("/console/workers")
    String workers(Model model) {
        List<WorkerSummary> rows = catalog.workers(null, MAX_ROWS + 1);
        model.addAttribute("workers", rows.stream().limit(MAX_ROWS).toList());
        model.addAttribute("more", rows.size() > MAX_ROWS);
        model.addAttribute("live", rows.stream().filter(w -> "LIVE".equals(w.status())).count());
        return "console/workers";
    }
}
