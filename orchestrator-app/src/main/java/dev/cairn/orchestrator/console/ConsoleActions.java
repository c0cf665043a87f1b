package dev.cairn.orchestrator.console;

import dev.cairn.api.ErrorInfo;
import dev.cairn.orchestrator.api.ProblemException;
import dev.cairn.orchestrator.callback.CallbackService;
import dev.cairn.orchestrator.execution.ExecutionService;
import dev.cairn.orchestrator.execution.StartRequest;
import dev.cairn.orchestrator.execution.StartResult;
import dev.cairn.orchestrator.json.PayloadJson;
import dev.cairn.orchestrator.metrics.CairnMetrics;
import dev.cairn.orchestrator.security.ConsoleSessions;
import dev.cairn.orchestrator.security.ConsoleUser;
import dev.cairn.protocol.ExecutionStatus;
import jakarta.servlet.http.HttpServletRequest;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the console can do, each through the same service as the REST API and allowed by the same roles (checked
 * by the security filter before this is reached): complete a callback (success or failure), send its heartbeat,
 * stop an execution, start one. Each answers with a redirect to the page it came from and a message saying what
 * it did, or why it did nothing.
 */
@Controller
public class ConsoleActions {

    /** The error type recorded for a stop with a reason but no type (as the REST API records it). */
    static final String STOPPED_TYPE = "dev.cairn.orchestrator.ExecutionStopped";

    private static final Logger log = LoggerFactory.getLogger(ConsoleActions.class);

    private final ExecutionService executions;
    private final CallbackService callbacks;
    private final PayloadJson json;
    private final CairnMetrics metrics;

    public ConsoleActions(ExecutionService executions, CallbackService callbacks, PayloadJson json,
            CairnMetrics metrics) {
        this.executions = executions;
        this.callbacks = callbacks;
        this.json = json;
        this.metrics = metrics;
    }

    @PostMapping("/console/executions/{executionId}/stop")
    String stop(@PathVariable String executionId, @RequestParam(required = false) String reason,
            HttpServletRequest request, RedirectAttributes flash) {
        ErrorInfo error = reason == null || reason.isBlank() ? null : new ErrorInfo(STOPPED_TYPE, reason.strip(), null);
        try {
            ExecutionService.Stopped stopped = executions.stop(executionId, error);
            stopped.workflows().forEach(w -> metrics.executionCompleted(w, ExecutionStatus.STOPPED.name()));
            int others = stopped.workflows().size() - 1;
            log.info("Console: {} stopped execution {}", who(request), executionId);
            flash.addFlashAttribute("notice", "Stopped execution " + executionId
                    + (others > 0 ? " and " + others + " chained execution" + (others == 1 ? "" : "s") : "") + ".");
        } catch (ProblemException e) {
            flash.addFlashAttribute("problem", "Nothing was stopped: " + e.getMessage());
        }
        return backTo(executionId);
    }

    @PostMapping("/console/callbacks/{callbackId}/succeed")
    String succeed(@PathVariable String callbackId, @RequestParam(required = false) String executionId,
            @RequestParam(required = false) String result, HttpServletRequest request, RedirectAttributes flash) {
        JsonNode value;
        try {
            value = result == null || result.isBlank() ? null : json.parse(result);
        } catch (JacksonException e) {
            flash.addFlashAttribute("problem", "Nothing was sent: the result is not valid JSON ("
                    + e.getOriginalMessage() + ").");
            return backTo(executionId);
        }
        try {
            callbacks.succeed(callbackId, value == null || value.isNull() ? null : json.write(value));
            log.info("Console: {} completed callback {} with success", who(request), callbackId);
            flash.addFlashAttribute("notice", "Sent success to callback " + callbackId
                    + (value == null || value.isNull() ? " with no result." : " with the result " + abbreviate(value)));
        } catch (ProblemException e) {
            flash.addFlashAttribute("problem", "The callback was not completed: " + e.getMessage());
        }
        return backTo(executionId);
    }

    @PostMapping("/console/callbacks/{callbackId}/fail")
    String fail(@PathVariable String callbackId, @RequestParam(required = false) String executionId,
            @RequestParam(required = false) String type, @RequestParam(required = false) String message,
            @RequestParam(required = false) String data, HttpServletRequest request, RedirectAttributes flash) {
        if (type == null || type.isBlank()) {
            flash.addFlashAttribute("problem", "Nothing was sent: the error type is required.");
            return backTo(executionId);
        }
        String dataText = null;
        if (data != null && !data.isBlank()) {
            try {
                dataText = json.write(json.parse(data));
            } catch (JacksonException e) {
                flash.addFlashAttribute("problem", "Nothing was sent: the error data is not valid JSON ("
                        + e.getOriginalMessage() + ").");
                return backTo(executionId);
            }
        }
        try {
            callbacks.fail(callbackId, new ErrorInfo(type.strip(), message == null || message.isBlank() ? null
                    : message.strip(), dataText));
            log.info("Console: {} completed callback {} with failure {}", who(request), callbackId, type.strip());
            flash.addFlashAttribute("notice", "Sent failure " + type.strip() + " to callback " + callbackId + ".");
        } catch (ProblemException e) {
            flash.addFlashAttribute("problem", "The callback was not failed: " + e.getMessage());
        }
        return backTo(executionId);
    }

    @PostMapping("/console/callbacks/{callbackId}/heartbeat")
    String heartbeat(@PathVariable String callbackId, @RequestParam(required = false) String executionId,
            RedirectAttributes flash) {
        try {
            callbacks.heartbeat(callbackId);
            flash.addFlashAttribute("notice", "Sent a heartbeat to callback " + callbackId + ".");
        } catch (ProblemException e) {
            flash.addFlashAttribute("problem", "No heartbeat was sent: " + e.getMessage());
        }
        return backTo(executionId);
    }

    @PostMapping("/console/executions")
    String start(@RequestParam(required = false) String workflow, @RequestParam(required = false) String input,
            @RequestParam(required = false) String executionName, HttpServletRequest request,
            RedirectAttributes flash) {
        if (workflow == null || workflow.isBlank()) {
            flash.addFlashAttribute("problem", "Nothing was started: choose a workflow.");
            return "redirect:/console/workflows";
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        try {
            if (input != null && !input.isBlank()) {
                body.set("input", json.parse(input));
            }
        } catch (JacksonException e) {
            flash.addFlashAttribute("problem", "Nothing was started: the input is not valid JSON ("
                    + e.getOriginalMessage() + ").");
            return "redirect:/console/workflows";
        }
        if (executionName != null && !executionName.isBlank()) {
            body.put("executionName", executionName.strip());
        }
        try {
            StartResult started = executions.start(workflow, StartRequest.of(body));
            UUID id = started.execution().executionId();
            if (started.created()) {
                metrics.executionStarted(workflow);
            }
            log.info("Console: {} started execution {} of {}", who(request), id, workflow);
            flash.addFlashAttribute("notice", (started.created() ? "Started execution " : "An execution of that name "
                    + "and input already exists: ") + id + " of " + workflow + ".");
            return "redirect:/console/executions/" + id;
        } catch (ProblemException e) {
            flash.addFlashAttribute("problem", "Nothing was started: " + e.getMessage());
            return "redirect:/console/workflows";
        }
    }

    private static String backTo(String executionId) {
        try {
            return "redirect:/console/executions/" + UUID.fromString(executionId == null ? "" : executionId);
        } catch (IllegalArgumentException notAnId) {
            return "redirect:/console/executions";
        }
    }

    private String abbreviate(JsonNode value) {
        return ConsoleFormat.abbreviate(json.write(value), 200) + ".";
    }

    private static String who(HttpServletRequest request) {
        return request.getAttribute(ConsoleSessions.USER_ATTRIBUTE) instanceof ConsoleUser u
                ? "token '" + u.tokenName() + "'" : "someone";
    }
}
