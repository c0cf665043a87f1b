package dev.cairn.bench.worker;

import dev.cairn.api.DurableContext;
import dev.cairn.api.DurableHandler;
import dev.cairn.api.DurableWorkflow;
import java.time.Instant;

/**
 * Scenario 6 (replay): {@code ops} trivial steps, then {@code resumes} times: a durable wait of {@code waitMs} and a
 * "mark" step. Each resume replays every operation before it; the mark step records when its body ran (epoch ms),
 * the wait's due time, and how long the handler took from its top to reach the mark in this invocation
 * (microseconds: the worker-side replay of everything recorded).
 */
@DurableWorkflow(name = "bench-replay")
public class ReplayWorkflow implements DurableHandler<ReplayWorkflow.Input, ReplayWorkflow.Mark[]> {

    public record Input(int ops, long waitMs, int resumes) {
    }

    public record Mark(long dueMs, long ranMs, long replayMicros) {
    }

    @Override
    public Mark[] handle(Input input, DurableContext ctx) {
        long top = System.nanoTime();
        for (int i = 0; i < input.ops(); i++) {
            int n = i;
            ctx.step("op" + i, Integer.class, s -> n);
        }
        Mark[] marks = new Mark[input.resumes()];
        for (int r = 0; r < input.resumes(); r++) {
            long due = ctx.step("due" + r, Long.class, s -> System.currentTimeMillis() + input.waitMs());
            ctx.waitUntil("wait" + r, Instant.ofEpochMilli(due));
            long reached = System.nanoTime();
            marks[r] = ctx.step("mark" + r, Mark.class,
                    s -> new Mark(due, System.currentTimeMillis(), (reached - top) / 1_000));
        }
        return marks;
    }
}
