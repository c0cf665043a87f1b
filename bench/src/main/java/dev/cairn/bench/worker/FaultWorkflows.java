package dev.cairn.bench.worker;

import dev.cairn.api.BatchResult;
import dev.cairn.api.Branch;
import dev.cairn.api.DurableCallback;
import dev.cairn.api.DurableContext;
import dev.cairn.api.DurableFuture;
import dev.cairn.api.DurableHandler;
import dev.cairn.api.DurableWorkflow;
import dev.cairn.api.MapConfig;
import dev.cairn.api.RetryStrategies;
import dev.cairn.api.RetryStrategy;
import dev.cairn.api.StepConfig;
import dev.cairn.api.StepSemantics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The workflows of the fault run ({@code faults}): one per kind of durable operation, each short (a few seconds of
 * waits) so that thousands run while processes are killed. Every one of them succeeds when nothing goes wrong; the
 * fault run counts any other outcome that it did not cause itself (by a stop). Their retry strategies allow many
 * attempts, so that an attempt interrupted by a killed worker is retried rather than failing the execution.
 */
public final class FaultWorkflows {

    /** Retries of the planned failures and of interrupted attempts: many, quickly. */
    static final RetryStrategy PATIENT = RetryStrategies.fixedDelay(30, Duration.ofMillis(200));

    private FaultWorkflows() {
    }

    /**
     * Steps with retries: a step that throws on its first {@code failFirst} attempts, a step with at-most-once
     * semantics (an attempt interrupted by a kill goes to the retry strategy), and two steps run concurrently.
     */
    @DurableWorkflow(name = "fault-retry")
    public static class Retry implements DurableHandler<Retry.Input, Integer> {

        public record Input(int failFirst) {
        }

        @Override
        public Integer handle(Input input, DurableContext ctx) {
            int a = ctx.step("prepare", Integer.class, s -> 1);
            int flaky = ctx.step("flaky", Integer.class, s -> {
                if (s.attempt() <= input.failFirst()) {
                    throw new IllegalStateException("planned failure of attempt " + s.attempt());
                }
                return s.attempt();
            }, StepConfig.defaults().withRetry(PATIENT));
            int once = ctx.step("at-most-once", Integer.class, s -> 3,
                    StepConfig.defaults().withRetry(PATIENT).withSemantics(StepSemantics.AT_MOST_ONCE_PER_RETRY));
            var left = ctx.stepAsync("left", Integer.class, s -> 4, StepConfig.defaults().withRetry(PATIENT));
            var right = ctx.stepAsync("right", Integer.class, s -> 5, StepConfig.defaults().withRetry(PATIENT));
            return a + flaky + once + left.get() + right.get();
        }
    }

    /** Durable waits between steps. */
    @DurableWorkflow(name = "fault-wait")
    public static class Wait implements DurableHandler<Wait.Input, String> {

        public record Input(long waitMs) {
        }

        @Override
        public String handle(Input input, DurableContext ctx) {
            ctx.step("before", String.class, s -> "a");
            ctx.wait("first", Duration.ofMillis(input.waitMs()));
            ctx.step("between", String.class, s -> "b");
            ctx.wait("second", Duration.ofMillis(input.waitMs() / 2 + 1));
            return ctx.step("after", String.class, s -> "c");
        }
    }

    /**
     * Parallel branches that all wait until about one instant (the same instant for every execution started in the
     * same second, {@code dueAtMs}; branch {@code i} {@code i × spreadMs / branches} later, so that with a small
     * spread the timers of one execution fire one by one while it is already ready), then run a step each.
     */
    @DurableWorkflow(name = "fault-timers")
    public static class Timers implements DurableHandler<Timers.Input, Integer> {

        public record Input(int branches, long dueAtMs, long spreadMs) {
        }

        @Override
        public Integer handle(Input input, DurableContext ctx) {
            long due = ctx.step("due", Long.class, s -> input.dueAtMs());
            List<Branch<Integer>> branches = new ArrayList<>();
            for (int i = 0; i < input.branches(); i++) {
                int n = i;
                long at = due + i * input.spreadMs() / input.branches();
                branches.add(Branch.of("branch-" + i, c -> {
                    c.waitUntil("at", Instant.ofEpochMilli(at));
                    return c.step("after", Integer.class, s -> n, StepConfig.defaults().withRetry(PATIENT));
                }));
            }
            BatchResult<Integer> result = ctx.parallel("together", Integer.class, branches);
            result.throwIfError();
            return ctx.step("sum", Integer.class, s -> result.results().stream().mapToInt(Integer::intValue).sum());
        }
    }

    /**
     * Two callbacks completed from outside: one through {@code waitForCallback} (its submitter does nothing: the
     * fault run finds the id in the operations list) and one through {@code createCallback}.
     */
    @DurableWorkflow(name = "fault-callback")
    public static class Callback implements DurableHandler<Void, String> {

        @Override
        public String handle(Void input, DurableContext ctx) {
            ctx.step("before", String.class, s -> "a");
            String first = ctx.waitForCallback("approval", String.class, (callbackId, s) -> {
            });
            DurableCallback<String> second = ctx.createCallback("confirmation", String.class);
            String confirmed = second.get();
            return ctx.step("after", String.class, s -> first + "+" + confirmed);
        }
    }

    /**
     * Races whose outcome the workflow branches on: a step that sleeps {@code stepMs} against a callback completed
     * from outside at a random moment, and two steps that finish at once. The winner names the next step, so a
     * replay that chose differently from the live run would fail as non-deterministic. Both racers are joined
     * before the end.
     */
    @DurableWorkflow(name = "fault-anyof")
    public static class AnyOf implements DurableHandler<AnyOf.Input, String> {

        public record Input(long stepMs) {
        }

        @Override
        public String handle(Input input, DurableContext ctx) {
            DurableFuture<String> slow = ctx.stepAsync("slow", String.class, s -> {
                Thread.sleep(input.stepMs());
                return "step";
            }, StepConfig.defaults().withRetry(PATIENT));
            DurableCallback<String> signal = ctx.createCallback("signal", String.class);
            String first = "step".equals(DurableFuture.anyOf(slow, signal).get()) ? "step" : "callback";
            ctx.step("after-" + first, String.class, s -> first);
            StepConfig patient = StepConfig.defaults().withRetry(PATIENT);
            DurableFuture<String> a = ctx.stepAsync("a", String.class, s -> "a", patient);
            DurableFuture<String> b = ctx.stepAsync("b", String.class, s -> "b", patient);
            String quick = (String) DurableFuture.anyOf(a, b).get();
            ctx.step("after-" + quick, String.class, s -> quick);
            DurableFuture.allOf(slow, signal, a, b).get();
            return first + "," + quick;
        }
    }

    /** A map: one child context per item, a step each, every other item also waiting, at most three at once. */
    @DurableWorkflow(name = "fault-map")
    public static class MapItems implements DurableHandler<MapItems.Input, Integer> {

        public record Input(int items, long waitMs) {
        }

        @Override
        public Integer handle(Input input, DurableContext ctx) {
            List<Integer> items = new ArrayList<>();
            for (int i = 0; i < input.items(); i++) {
                items.add(i);
            }
            BatchResult<Integer> result = ctx.map("items", items, Integer.class, (c, item, index) -> {
                int v = c.step("work", Integer.class, s -> item * 2, StepConfig.defaults().withRetry(PATIENT));
                if (index % 2 == 0) {
                    c.wait("pause", Duration.ofMillis(input.waitMs()));
                }
                return c.step("done", Integer.class, s -> v + 1, StepConfig.defaults().withRetry(PATIENT));
            }, MapConfig.<Integer>defaults().withMaxConcurrency(3));
            result.throwIfError();
            return result.successCount();
        }
    }

    /**
     * Chained invokes: a step, a wait, then (while {@code depth} > 1) {@code ctx.invoke} of this same workflow one
     * level shallower, then a step. Started with depth 3 it makes a child and a grandchild.
     */
    @DurableWorkflow(name = "fault-chain")
    public static class Chain implements DurableHandler<Chain.Input, Integer> {

        public record Input(int depth, long waitMs) {
        }

        @Override
        public Integer handle(Input input, DurableContext ctx) {
            ctx.step("before", Integer.class, s -> input.depth());
            ctx.wait("pause", Duration.ofMillis(input.waitMs()));
            int below = input.depth() > 1
                    ? ctx.invoke("deeper", "fault-chain", new Input(input.depth() - 1, input.waitMs()), Integer.class)
                    : 0;
            return ctx.step("after", Integer.class, s -> below + 1);
        }
    }

    /** Nested child contexts with steps and a wait inside. */
    @DurableWorkflow(name = "fault-context")
    public static class Context implements DurableHandler<Context.Input, String> {

        public record Input(long waitMs) {
        }

        @Override
        public String handle(Input input, DurableContext ctx) {
            String outer = ctx.runInChildContext("outer", String.class, c -> {
                String a = c.step("a", String.class, s -> "a");
                String inner = c.runInChildContext("inner", String.class, c2 -> {
                    String b = c2.step("b", String.class, s -> "b");
                    c2.wait("pause", Duration.ofMillis(input.waitMs()));
                    return b + c2.step("c", String.class, s -> "c");
                });
                return a + inner;
            });
            return ctx.step("after", String.class, s -> outer + "d");
        }
    }
}
