package dev.cairn.orchestrator.waiting;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * One request parked until its execution closes or its wait ends: it holds no thread, only its
 * {@link DeferredResult}. It ends exactly once — answered (woken, at its deadline, or with a value already read) or
 * abandoned (the client went away) — and then leaves the registry. While it waits it {@linkplain #beat beats}: the
 * first beat sends the answer's status and headers, each later one a space, so that a client that went away is
 * noticed by the write that fails (the servlet container notices nothing while the connection is idle).
 *
 * @param <T> the answer
 */
public final class Waiter<T> {

    private final UUID executionId;
    private final DeferredResult<T> result;
    private final Callable<T> answer;
    private final HttpServletResponse response;
    private final Consumer<HttpServletResponse> head;
    private final ExecutionWaiters registry;
    private boolean done;
    private boolean committed;
    private volatile ScheduledFuture<?> deadline;
    private volatile ScheduledFuture<?> beats;

    Waiter(UUID executionId, DeferredResult<T> result, Callable<T> answer, HttpServletResponse response,
            Consumer<HttpServletResponse> head, ExecutionWaiters registry) {
        this.executionId = executionId;
        this.result = result;
        this.answer = answer;
        this.response = response;
        this.head = head;
        this.registry = registry;
    }

    /** What the handler returns: Spring MVC answers the request when it is set. */
    public DeferredResult<T> result() {
        return result;
    }

    /** Answers with {@code value}, already read (e.g. the execution closed before the waiter was parked). */
    public void answer(T value) {
        if (finish()) {
            result.setResult(value);
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
            leave();
            result.setResult(null);
        }
    }

    /**
     * Reads and answers. A failure (the execution is gone, the database does not answer) is answered as such, unless
     * the status was sent already: then the body stays empty (whitespace), which a client takes for "ask again".
     */
    void answerNow() {
        try {
            result.setResult(answer.call());
        } catch (Exception e) {
            if (isCommitted()) {
                result.setResult(null);
            } else {
                result.setErrorResult(e);
            }
        }
    }

    private synchronized boolean isCommitted() {
        return committed;
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
