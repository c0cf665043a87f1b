package dev.cairn.testing;

/** No callback has this id ({@code 404}). */
public class UnknownCallbackException extends RuntimeException {

    private final String callbackId;

    public UnknownCallbackException(String callbackId) {
        super("no callback has id " + callbackId);
        this.callbackId = callbackId;
    }

    public String callbackId() {
        return callbackId;
    }
}
