package dev.cairn.testing;

/** The callback is no longer open, or its execution has closed ({@code 409}). */
public class CallbackClosedException extends RuntimeException {

    private final String callbackId;

    public CallbackClosedException(String callbackId, String message) {
        super(message);
        this.callbackId = callbackId;
    }

    public String callbackId() {
        return callbackId;
    }
}
