package dev.cairn.orchestrator.waiting;

import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * One request parked until its execution closes or its wait ends: it holds no thread, only its
 * {@link DeferredResult}. It ends exactly once — answered (woken, at its deadline, or with a value already read) or
 * abandoned (the client went away) — and then leaves the registry.
 *
 * @param <T> the answer
 */
public final class Waiter<T> {

    private final UUID executionId;
    private final DeferredResult<T> result;
    private final Callable<T> answer;
    private final ExecutionWaiters registry;
    private final AtomicBoolean done = new AtomicBoolean();
    private volatile ScheduledFuture<?> deadline;

    Waiter(UUID executionId, DeferredResult<T> result, Callable<T> answer, ExecutionWaiters registry) {
        this.executionId = executionId;
        this.result = result;
        this.answer = answer;
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

    void deadline(ScheduledFuture<?> deadline) {
        this.deadline = deadline;
        if (done.get()) {
            deadline.cancel(false);
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

    /** Reads and answers; a failure (the execution is gone, the database does not answer) is answered as such. */
    void answerNow() {
        try {
            result.setResult(answer.call());
        } catch (Exception e) {
            result.setErrorResult(e);
        }
    }

    private boolean finish() {
        if (!done.compareAndSet(false, true)) {
            return false;
        }
        registry.leave(this);
        ScheduledFuture<?> d = deadline;
        if (d != null) {
            d.cancel(false);
        }
        return true;
    }
}
