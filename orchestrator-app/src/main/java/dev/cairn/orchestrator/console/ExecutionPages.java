package dev.cairn.orchestrator.console;

import dev.cairn.orchestrator.api.InvalidRequestException;
import dev.cairn.orchestrator.api.Page;
import dev.cairn.orchestrator.execution.ExecutionQueries;
import dev.cairn.orchestrator.execution.ExecutionSummary;
import dev.cairn.orchestrator.worker.WorkflowCatalog;
import dev.cairn.orchestrator.worker.WorkflowSummary;
import dev.cairn.protocol.ExecutionStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;

/** The executions list and the execution page, with the fragments their live refresh fetches. */
@Controller
public class ExecutionPages {

    private final ExecutionQueries queries;
    private final ExecutionSnapshots snapshots;
    private final WorkflowCatalog catalog;

    public ExecutionPages(ExecutionQueries queries, ExecutionSnapshots snapshots, WorkflowCatalog catalog) {
        this.queries = queries;
        this.snapshots = snapshots;
        this.catalog = catalog;
    }

    @GetMapping("/console/executions")
    String list(@ModelAttribute("query") ExecutionListQuery query, Model model) {
        fill(query, model);
        List<String> workflows = new ArrayList<>(catalog.workflows(null, 1000).stream().map(WorkflowSummary::name)
                .toList());
        if (query.workflow() != null && !workflows.contains(query.workflow())) {
            workflows.add(query.workflow());
        }
        model.addAttribute("workflows", workflows);
        model.addAttribute("statuses", Arrays.stream(ExecutionStatus.values()).map(Enum::name).toList());
        model.addAttribute("limits", ExecutionListQuery.LIMITS);
        return "console/executions";
    }

    /** The rows of the list, fetched again every few seconds by the page (live status). */
    @GetMapping("/console/executions/rows")
    String rows(@ModelAttribute("query") ExecutionListQuery query, Model model) {
        fill(query, model);
        return "console/executions :: rows";
    }

    @GetMapping("/console/executions/{executionId}")
    String execution(@PathVariable String executionId, Model model) {
        model.addAttribute("snap", snapshots.read(executionId));
        return "console/execution";
    }

    /** The live part of the execution page when it changed since {@code v} (its fingerprint), else 204. */
    @GetMapping("/console/executions/{executionId}/live")
    Object live(@PathVariable String executionId, @RequestParam(required = false) String v) {
        ExecutionSnapshot snap = snapshots.read(executionId);
        if (snap.fingerprint().equals(v)) {
            return ResponseEntity.status(HttpStatus.NO_CONTENT).build();
        }
        ModelAndView mav = new ModelAndView("console/execution :: live");
        mav.addObject("snap", snap);
        return mav;
    }

    private void fill(ExecutionListQuery query, Model model) {
        ExecutionListQuery.Parsed parsed = query.parse();
        List<String> problems = new ArrayList<>(parsed.problems());
        Page<ExecutionSummary> page;
        try {
            page = queries.list(parsed.filter(), query.limit(), query.pageToken());
        } catch (InvalidRequestException e) {
            problems.add("The page link is no longer valid; showing the first page.");
            page = queries.list(parsed.filter(), query.limit(), null);
        }
        model.addAttribute("page", page);
        model.addAttribute("problems", problems);
    }
}
