package dev.cairn.testing;

import dev.cairn.api.ErrorInfo;
import dev.cairn.protocol.CompletionRequest;
import dev.cairn.protocol.ExecutionStatus;
import dev.cairn.protocol.OperationRecord;
import dev.cairn.protocol.OperationStatus;
import java.util.Objects;
import tools.jackson.databind.json.JsonMapper;

/**
 * Which requests sent again (their answer was lost) are answered as the first one was, writing nothing, although
 * what they would change has already changed: as the orchestrator's {@code CompletedInvocations} and
 * {@code CallbackService} decide it.
 */
final class RepeatedRequests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private RepeatedRequests() {
    }

    /**
     * Whether {@code request} is the completion that closed the execution's last completed invocation: its token,
     * and the status, result and error it left, which nothing has changed since.
     */
    static boolean isLastCompletion(StoredExecution e, CompletionRequest request) {
        if (e == null || e.completedToken == null || !e.completedToken.equals(request.invocationToken())
                || request.outcome() == null) {
            return false;
        }
        ExecutionStatus left = switch (request.outcome()) {
            case SUCCEEDED -> ExecutionStatus.SUCCEEDED;
            case FAILED -> ExecutionStatus.FAILED;
            case PENDING -> ExecutionStatus.RUNNING;
        };
        return e.status == left && Objects.equals(e.result, request.result())
                && Objects.equals(e.error, request.error());
    }

    /**
     * Whether the callback {@code op} was closed by the completion given (the same status, a JSON-equal result or
     * error): it is answered as the first was, whatever happened to the execution since.
     */
    static boolean closedCallbackWith(OperationRecord op, OperationStatus status, String result, ErrorInfo error) {
        return op.status() == status && sameJson(result, op.result()) && sameError(error, op.error());
    }

    private static boolean sameError(ErrorInfo a, ErrorInfo b) {
        return a == null || b == null ? a == b
                : a.type().equals(b.type()) && Objects.equals(a.message(), b.message()) && sameJson(a.data(), b.data());
    }

    private static boolean sameJson(String a, String b) {
        if (a == null || b == null) {
            return a == b;
        }
        try {
            return JSON.readTree(a).equals(JSON.readTree(b));
        } catch (RuntimeException e) {
            return a.equals(b);
        }
    }
}
