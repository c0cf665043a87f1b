package dev.cairn.worker.client;

import java.io.IOException;

/**
 * What one attempt to deliver a checkpoint or a completion came to: the status the orchestrator answered for it
 * (alone, or as its item of a batch) with the body or problem detail, or the I/O failure that left it unanswered.
 *
 * @param path the endpoint the attempt went to
 * @param status the HTTP status for this message, or 0 when {@code failure} is set
 * @param detail the answer's body or the item's problem title and detail; may be null
 * @param failure the I/O failure, or null when the orchestrator answered
 */
record Answer(String path, int status, String detail, IOException failure) {

    static Answer of(String path, int status, String detail) {
        return new Answer(path, status, detail, null);
    }

    static Answer failed(String path, IOException failure) {
        return new Answer(path, 0, null, failure);
    }

    boolean isSuccess() {
        return failure == null && status >= 200 && status < 300;
    }

    boolean isFenced() {
        return failure == null && status == 409;
    }

    /** Whether sending the message again may succeed: an I/O failure, {@code 408}, {@code 429} or {@code 5xx}. */
    boolean isTransient() {
        return failure != null || status == 408 || status == 429 || status >= 500;
    }

    /** Why the attempt failed, for messages. */
    String reason() {
        return failure != null ? failure.toString() : "status " + status;
    }
}
