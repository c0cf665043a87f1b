package dev.cairn.api;

/**
 * Base of every exception the durable operations raise. Carries the operation id (null where none) and the
 * recorded error, so that a failure rethrown on replay is the same exception type with the same {@link ErrorInfo}.
 */
public abstract class DurableExecutionException extends RuntimeException {

    private final String operationId;
    private final ErrorInfo errorInfo;

    protected DurableExecutionException(String message, String operationId, ErrorInfo errorInfo) {
        super(message);
        this.operationId = operationId;
        this.errorInfo = errorInfo != null ? errorInfo : new ErrorInfo(getClass().getName(), message, null);
    }

    protected DurableExecutionException(String message, String operationId, ErrorInfo errorInfo, Throwable cause) {
        this(message, operationId, errorInfo);
        if (cause != null) {
            initCause(cause);
        }
    }

    /** The id of the operation this is about, or null. */
    public String operationId() {
        return operationId;
    }

    /** The recorded error; for an exception with nothing recorded behind it, a description of itself. */
    public ErrorInfo errorInfo() {
        return errorInfo;
    }
}
