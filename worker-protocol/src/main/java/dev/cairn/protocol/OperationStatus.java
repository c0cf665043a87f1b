package dev.cairn.protocol;

/** Operation statuses, as AWS Lambda durable functions name them. */
public enum OperationStatus {
    STARTED, PENDING, READY, SUCCEEDED, FAILED, CANCELLED, TIMED_OUT, STOPPED;

    /** Whether the operation has finished for good. */
    public boolean isClosed() {
        return switch (this) {
            case SUCCEEDED, FAILED, CANCELLED, TIMED_OUT, STOPPED -> true;
            case STARTED, PENDING, READY -> false;
        };
    }
}
