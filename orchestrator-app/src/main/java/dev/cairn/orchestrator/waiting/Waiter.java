package dev.cairn.orchestrator.waiting;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;

/**
 * One request parked until its execution closes or its wait ends: it holds no thread, only its servlet
 * {@link AsyncContext}. It ends exactly once — answered (woken, at its deadline, or with a value already read) or
 * abandoned (the client went away) — and then leaves the registry; its answer is written by the thread that answers
 * it ({@link AnswerWriter}) and the request completed there. While it waits it {@linkplain #beat beats}: the first
 * beat sends the answer's status and headers, each later one a space, so that a client that went away is noticed by
 * the write that fails (the servlet container notices nothing while the connection is idle).
 *
 * @param <T> the answer
 */
public final class Waiter<T> {

    private final UUID executionId;
    private final AsyncContext async;
    private final HttpServletResponse response;
    private final Callable<T> answer;
    private final AnswerWriter<T> writer;
    private final Consumer<HttpServletResponse> head;
    private final ExecutionWaiters registry;
    private boolean done;
    private boolean committed;
    private boolean responded;
    private volatile ScheduledFuture<?> deadline;
    private volatile ScheduledFuture<?> beats;

    Waiter(UUID executionId, AsyncContext async, Callable<T> answer, AnswerWriter<T> writer,
            Consumer<HttpServletResponse> head, ExecutionWaiters registry) {
        this.executionId = executionId;
        this.async = async;
        this.response = (HttpServletResponse) async.getResponse();
        this.answer = answer;
        this.writer = writer;
        this.head = head;
        this.registry = registry;
    }

    /** Answers with {@code value}, already read (e.g. the execution closed before the waiter was parked). */
    public void answer(T value) {
        if (finish()) {
            respond(value);
        }
    }

    /**
     * Answers with {@code error}: what the request still did after parking failed (reading the execution once more,
     * or the rest of a start).
     */
    public void fail(Exception error) {
        if (finish()) {
            respondWith(error);
        }
    }

    UUID executionId() {
        return executionId;
    }

    void scheduled(ScheduledFuture<?> deadline, ScheduledFuture<?> beats) {
        this.deadline = deadline;
        this.beats = beats;
        if (isDone()) {
            deadline.cancel(false);
            beats.cancel(false);
        }
    }

    /** The execution closed or the wait ended: answers with a fresh read, on an answering thread. */
    void wake() {
        if (finish()) {
            registry.answerLater(this);
        }
    }

    /** The request ended without an answer from here (the client went away, or the request failed). */
    void abandon() {
        finish();
    }

    /**
     * The container reports an error on the request (the client went away mid-write): it ends here, without an
     * answer, rather than through the container's error page.
     */
    void failedInContainer() {
        finish();
        synchronized (this) {
            responded = true;
        }
        complete();
    }

    /** The request's own timeout (a safety net behind the deadline): answers at once, on the calling thread. */
    void timedOut() {
        finish();
        answerNow();
    }

    /**
     * Sends the status and headers the first time, a space after: a write that fails means the client went away, and
     * the request ends without an answer.
     */
    synchronized void beat() {
        if (done) {
            return;
        }
        try {
            if (!committed) {
                head.accept(response);
                committed = true;
            } else {
                response.getOutputStream().write(' ');
            }
            response.flushBuffer();
        } catch (IOException | RuntimeException e) {
            done = true;
            responded = true;
            leave();
            complete();
        }
    }

    /**
     * Reads and answers. A failure (the execution is gone, the database does not answer) is answered as such, unless
     * the status was sent already: then the body stays empty (whitespace), which a client takes for "ask again".
     */
    void answerNow() {
        if (hasResponded()) {
            return;
        }
        T value;
        try {
            value = answer.call();
        } catch (Exception e) {
            respondWith(e);
            return;
        }
        respond(value);
    }

    private void respond(T value) {
        synchronized (this) {
            if (responded) {
                return;
            }
            responded = true;
            try {
                writer.write(value, response);
            } catch (IOException | RuntimeException e) {
                // the client went away: nothing more to do than end the request
            }
        }
        complete();
    }

    private void respondWith(Exception error) {
        synchronized (this) {
            if (responded) {
                return;
            }
            responded = true;
            if (!committed) {
                try {
                    writer.fail(error, response);
                } catch (IOException | RuntimeException e) {
                    // the client went away
                }
            }
        }
        complete();
    }

    private void complete() {
        try {
            async.complete();
        } catch (IllegalStateException e) {
            // the container ended the request already (the client went away, an error)
        }
    }

    private synchronized boolean hasResponded() {
        return responded;
    }

    private synchronized boolean isDone() {
        return done;
    }

    private boolean finish() {
        synchronized (this) {
            if (done) {
                return false;
            }
            done = true;
        }
        leave();
        return true;
    }

    private void leave() {
        registry.leave(this);
        ScheduledFuture<?> d = deadline;
        if (d != null) {
            d.cancel(false);
        }
        ScheduledFuture<?> b = beats;
        if (b != null) {
            b.cancel(false);
        }
    }
}
