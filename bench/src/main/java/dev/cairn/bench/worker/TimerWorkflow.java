package dev.cairn.bench.worker;

import dev.cairn.api.DurableContext;
import dev.cairn.api.DurableHandler;
import dev.cairn.api.DurableWorkflow;
import java.time.Instant;

/**
 * Scenario 5 (timers): a step fixes the due time ({@code dueAtMs} when given, else now + {@code waitMs}), a durable
 * wait until then, and a step that records when it ran. Result: both instants in epoch milliseconds (worker clock =
 * orchestrator clock: one machine).
 */
@DurableWorkflow(name = "bench-timer")
public class TimerWorkflow implements DurableHandler<TimerWorkflow.Input, TimerWorkflow.Lag> {

    public record Input(long waitMs, long dueAtMs) {
    }

    public record Lag(long dueMs, long ranMs) {
    }

    @Override
    public Lag handle(Input input, DurableContext ctx) {
        long due = ctx.step("due", Long.class, s -> input.dueAtMs() > 0 ? input.dueAtMs() : System.currentTimeMillis() + input.waitMs());
        ctx.waitUntil("sleep", Instant.ofEpochMilli(due));
        long ran = ctx.step("after", Long.class, s -> System.currentTimeMillis());
        return new Lag(due, ran);
    }
}
