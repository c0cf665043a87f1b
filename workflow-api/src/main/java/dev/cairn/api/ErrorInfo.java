package dev.cairn.api;

/**
 * A recorded error.
 *
 * @param type the exception's fully qualified class name
 * @param message its message (may be null)
 * @param data extra detail as JSON text (may be null), e.g. the recorded cause's {@code ErrorInfo}
 */
public record ErrorInfo(String type, String message, String data) {

    public ErrorInfo {
        if (type == null || type.isBlank()) {
            throw new IllegalArgumentException("ErrorInfo needs a type");
        }
    }

    /** Describes a throwable with nothing recorded behind it. */
    public static ErrorInfo of(Throwable t) {
        return new ErrorInfo(t.getClass().getName(), t.getMessage(), null);
    }
}
