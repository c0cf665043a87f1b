package dev.cairn.api;

/** A value that could not be serialized or deserialized. */
public class SerializationException extends DurableExecutionException {

    public SerializationException(String message, String operationId, ErrorInfo errorInfo) {
        super(message, operationId, errorInfo);
    }

    public SerializationException(String message, String operationId, ErrorInfo errorInfo, Throwable cause) {
        super(message, operationId, errorInfo, cause);
    }
}
