package dev.cairn.worker.replay;

import dev.cairn.api.BatchCompletionException;
import dev.cairn.api.CallbackFailedException;
import dev.cairn.api.CallbackTimeoutException;
import dev.cairn.api.ChildContextFailedException;
import dev.cairn.api.DurableExecutionException;
import dev.cairn.api.ErrorInfo;
import dev.cairn.api.InvokeFailedException;
import dev.cairn.api.InvokeStoppedException;
import dev.cairn.api.InvokeTimedOutException;
import dev.cairn.api.NonDeterministicExecutionException;
import dev.cairn.api.PayloadTooLargeException;
import dev.cairn.api.SerializationException;
import dev.cairn.api.StepFailedException;
import dev.cairn.api.WaitForConditionFailedException;
import java.util.Map;

/**
 * Rebuilds, on replay, the exception a context recorded as its error ({@link ExecutionErrors#describe} form: the
 * exception's class as type, its message, the error it carried as data), so that a recorded failure rethrows as
 * the same exception type with the same {@link ErrorInfo}.
 */
final class RecordedErrors {

    /** How the API's exceptions are made. */
    @FunctionalInterface
    interface Factory {
        DurableExecutionException create(String message, String operationId, ErrorInfo errorInfo);
    }

    private static final Map<String, Factory> KNOWN = Map.ofEntries(
            Map.entry(StepFailedException.class.getName(), StepFailedException::new),
            Map.entry(CallbackFailedException.class.getName(), CallbackFailedException::new),
            Map.entry(CallbackTimeoutException.class.getName(), CallbackTimeoutException::new),
            Map.entry(WaitForConditionFailedException.class.getName(), WaitForConditionFailedException::new),
            Map.entry(InvokeFailedException.class.getName(), InvokeFailedException::new),
            Map.entry(InvokeTimedOutException.class.getName(), InvokeTimedOutException::new),
            Map.entry(InvokeStoppedException.class.getName(), InvokeStoppedException::new),
            Map.entry(ChildContextFailedException.class.getName(), ChildContextFailedException::new),
            Map.entry(BatchCompletionException.class.getName(), BatchCompletionException::new),
            Map.entry(NonDeterministicExecutionException.class.getName(), NonDeterministicExecutionException::new),
            Map.entry(PayloadTooLargeException.class.getName(), PayloadTooLargeException::new),
            Map.entry(SerializationException.class.getName(), SerializationException::new));

    private final JsonSerdes json;

    RecordedErrors(JsonSerdes json) {
        this.json = json;
    }

    /** Whether {@code error} is the record of a {@link PayloadTooLargeException}. */
    static boolean isPayloadTooLarge(ErrorInfo error) {
        return error != null && PayloadTooLargeException.class.getName().equals(error.type());
    }

    /**
     * The exception {@code recorded} describes.
     *
     * @param operationId the id the rebuilt exception names
     * @param otherwise makes the exception when {@code recorded} names no exception of the API
     */
    DurableExecutionException rebuild(ErrorInfo recorded, String operationId, Factory otherwise) {
        Factory factory = KNOWN.get(recorded.type());
        if (factory == null) {
            return otherwise.create(recorded.message(), operationId, recorded);
        }
        return factory.create(recorded.message(), operationId, carried(recorded));
    }

    private ErrorInfo carried(ErrorInfo recorded) {
        if (recorded.data() == null) {
            return recorded;
        }
        try {
            Object carried = json.deserialize(recorded.data(), ErrorInfo.class);
            return carried instanceof ErrorInfo info ? info : recorded;
        } catch (RuntimeException e) {
            return recorded;
        }
    }
}
