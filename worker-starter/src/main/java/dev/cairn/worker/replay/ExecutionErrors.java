package dev.cairn.worker.replay;

import dev.cairn.api.DurableExecutionException;
import dev.cairn.api.ErrorInfo;
import java.util.Objects;

/** Turns exceptions into the {@link ErrorInfo} that is recorded for an execution or a context. */
final class ExecutionErrors {

    private final JsonSerdes json;

    ExecutionErrors(JsonSerdes json) {
        this.json = json;
    }

    /**
     * The error of an exception that escaped a handler or a child context: its own class as {@code type}, its
     * message, and as {@code data} the recorded cause's {@link ErrorInfo} as JSON when it has one.
     */
    ErrorInfo describe(Throwable error) {
        String type = error.getClass().getName();
        if (error instanceof DurableExecutionException durable) {
            ErrorInfo recorded = durable.errorInfo();
            boolean describesItself = recorded.type().equals(type)
                    && Objects.equals(recorded.message(), error.getMessage());
            return new ErrorInfo(type, error.getMessage(),
                    describesItself ? null : json.serialize(recorded, ErrorInfo.class));
        }
        return new ErrorInfo(type, error.getMessage(), null);
    }
}
