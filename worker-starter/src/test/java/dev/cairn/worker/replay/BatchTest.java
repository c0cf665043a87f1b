package dev.cairn.worker.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.cairn.api.BatchCompletionException;
import dev.cairn.api.BatchItem;
import dev.cairn.api.BatchResult;
import dev.cairn.api.Branch;
import dev.cairn.api.CompletionConfig;
import dev.cairn.api.CompletionReason;
import dev.cairn.api.DurableHandler;
import dev.cairn.api.ItemStatus;
import dev.cairn.api.MapConfig;
import dev.cairn.api.ParallelConfig;
import dev.cairn.api.RetryStrategies;
import dev.cairn.api.StepConfig;
import dev.cairn.api.StepFailedException;
import dev.cairn.protocol.OperationStatus;
import dev.cairn.protocol.OperationType;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatchTest {

    private static final StepConfig NO_RETRY = StepConfig.defaults().withRetry(RetryStrategies.noRetry());

    private final EngineHarness harness = new EngineHarness();
    private final AtomicReference<BatchResult<?>> returned = new AtomicReference<>();

    @AfterEach
    void close() throws InterruptedException {
        harness.close();
    }

    @Test
    void parallelRunsBranchesConcurrentlyInChildContextsAndReturnsResultsInIndexOrder() {
        CountDownLatch allRunning = new CountDownLatch(3);
        DurableHandler<Void, List<String>> handler = (input, ctx) -> {
            BatchResult<String> result = ctx.parallel("fan-out", String.class, List.of(
                    Branch.of("a", c -> c.step("s", String.class, s -> meet(allRunning, "A"))),
                    Branch.of("b", c -> c.step("s", String.class, s -> meet(allRunning, "B"))),
                    Branch.of("c", c -> c.step("s", String.class, s -> meet(allRunning, "C")))));
            return result.results();
        };

        RunResult result = harness.invoke(handler);

        assertThat(result.result()).isEqualTo("[\"A\",\"B\",\"C\"]");
        assertThat(harness.orchestrator.operations())
                .extracting(op -> op.id(), op -> op.parentId(), op -> op.type(), op -> op.subType(), op -> op.name(),
                        op -> op.status())
                .containsExactlyInAnyOrder(
                        tuple("1", null, OperationType.CONTEXT, "Parallel", "fan-out", OperationStatus.SUCCEEDED),
                        tuple("1-1", "1", OperationType.CONTEXT, "ParallelBranch", "a", OperationStatus.SUCCEEDED),
                        tuple("1-2", "1", OperationType.CONTEXT, "ParallelBranch", "b", OperationStatus.SUCCEEDED),
                        tuple("1-3", "1", OperationType.CONTEXT, "ParallelBranch", "c", OperationStatus.SUCCEEDED),
                        tuple("1-1-1", "1-1", OperationType.STEP, "Step", "s", OperationStatus.SUCCEEDED),
                        tuple("1-2-1", "1-2", OperationType.STEP, "Step", "s", OperationStatus.SUCCEEDED),
                        tuple("1-3-1", "1-3", OperationType.STEP, "Step", "s", OperationStatus.SUCCEEDED));
        assertThat(harness.orchestrator.operation("1").result()).startsWith("{\"completionReason\":\"ALL_COMPLETED\"")
                .contains("\"result\":\"A\"");
    }

    @Test
    void mapNamesItemsByDefaultOrWithTheNamerAndKeepsItemOrder() {
        CountDownLatch lastFirst = new CountDownLatch(1);
        DurableHandler<Void, List<Integer>> handler = (input, ctx) -> {
            BatchResult<Integer> squares = ctx.map("square", List.of(1, 2, 3), Integer.class, (c, item, index) -> {
                if (index == 0) {
                    lastFirst.await(10, TimeUnit.SECONDS);
                }
                if (index == 2) {
                    lastFirst.countDown();
                }
                return item * item;
            });
            ctx.map("named", List.of("x", "y"), String.class, (c, item, index) -> item,
                    MapConfig.<String>defaults().withItemNamer((item, index) -> "item-" + item));
            return squares.results();
        };

        assertThat(harness.invoke(handler).result()).isEqualTo("[1,4,9]");
        assertThat(harness.orchestrator.operations()).filteredOn(op -> "MapIteration".equals(op.subType()))
                .extracting(op -> op.id(), op -> op.name())
                .containsExactlyInAnyOrder(tuple("1-1", "square-0"), tuple("1-2", "square-1"),
                        tuple("1-3", "square-2"), tuple("2-1", "item-x"), tuple("2-2", "item-y"));
        assertThat(harness.orchestrator.operation("1").subType()).isEqualTo("Map");
    }

    @Test
    void allCompletedRunsEveryItemAndReturnsFailuresInTheResult() {
        DurableHandler<Void, String> handler = (input, ctx) -> {
            BatchResult<Integer> result = ctx.map("check", List.of(1, 2, 3, 4), Integer.class, (c, item, index) ->
                    c.step("validate", Integer.class, s -> {
                        if (item % 2 == 0) {
                            throw new IllegalArgumentException("even " + item);
                        }
                        return item;
                    }, NO_RETRY));
            returned.set(result);
            result.throwIfError();
            return "no error";
        };

        RunResult run = harness.invoke(handler);

        assertThat(run.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(run.error().type()).isEqualTo(BatchCompletionException.class.getName());
        BatchResult<?> result = returned.get();
        assertThat(result.completionReason()).isEqualTo(CompletionReason.ALL_COMPLETED);
        assertThat(result.all()).extracting(BatchItem::status).containsExactly(ItemStatus.SUCCEEDED,
                ItemStatus.FAILED, ItemStatus.SUCCEEDED, ItemStatus.FAILED);
        assertThat(List.copyOf(result.results())).isEqualTo(List.of(1, 3));
        assertThat(result.failed().get(0).error().type()).isEqualTo(StepFailedException.class.getName());
        assertThat(result.failed().get(0).error().data()).contains("even 2");
        assertThat(harness.orchestrator.operation("1-2").status()).isEqualTo(OperationStatus.FAILED);
        assertThat(harness.orchestrator.operation("1").status()).isEqualTo(OperationStatus.SUCCEEDED);
    }

    @Test
    void aCompletedBatchReplaysItsResultWithoutRunningItsItems() {
        AtomicInteger bodies = new AtomicInteger();
        List<BatchResult<String>> results = new java.util.concurrent.CopyOnWriteArrayList<>();
        DurableHandler<Void, String> handler = (input, ctx) -> {
            BatchResult<String> result = ctx.parallel("work", String.class, List.of(
                    Branch.of("ok", c -> "fine-" + bodies.incrementAndGet()),
                    Branch.of("bad", c -> {
                        bodies.incrementAndGet();
                        throw new IllegalStateException("broken");
                    })));
            results.add(result);
            ctx.wait("pause", Duration.ofSeconds(1));
            return "done";
        };

        harness.invoke(handler);
        harness.orchestrator.fireTimers();
        assertThat(harness.invoke(handler).outcome()).isEqualTo(RunOutcome.SUCCEEDED);

        assertThat(bodies).hasValue(2);
        assertThat(results).hasSize(2);
        assertThat(results.get(1)).isEqualTo(results.get(0));
        assertThat(results.get(1).failed().get(0).error().message()).isEqualTo("broken");
        assertThat(results.get(1).operationId()).isEqualTo("1");
    }

    @Test
    void branchesThatWaitResumeWhereTheyWereOnTheNextInvocation() {
        AtomicInteger before = new AtomicInteger();
        AtomicInteger after = new AtomicInteger();
        DurableHandler<Void, List<Integer>> handler = (input, ctx) -> ctx.map("slow", List.of(10, 20), Integer.class,
                (c, item, index) -> {
                    c.step("before", Integer.class, s -> before.incrementAndGet());
                    c.wait("pause", Duration.ofSeconds(item));
                    return c.step("after", Integer.class, s -> after.incrementAndGet() * 0 + item);
                }).results();

        assertThat(harness.invoke(handler).outcome()).isEqualTo(RunOutcome.PENDING);
        assertThat(harness.orchestrator.operation("1").status()).isEqualTo(OperationStatus.STARTED);
        assertThat(harness.invoke(handler).outcome()).isEqualTo(RunOutcome.PENDING);
        harness.orchestrator.fireTimers();
        RunResult last = harness.invoke(handler);

        assertThat(last.result()).isEqualTo("[10,20]");
        assertThat(before).hasValue(2);
        assertThat(after).hasValue(2);
    }

    @Test
    void allSuccessfulStopsAtTheFirstFailureCancellingBegunItemsAndSkippingTheRest() {
        DurableHandler<Void, String> handler = (input, ctx) -> {
            BatchResult<String> result = ctx.map("all", List.of(0, 1, 2, 3), String.class, (c, item, index) -> {
                if (index == 0) {
                    throw new IllegalStateException("first fails");
                }
                c.wait("hold", Duration.ofMinutes(1));
                return "late";
            }, MapConfig.<Integer>defaults().withMaxConcurrency(2).withCompletion(CompletionConfig.allSuccessful()));
            returned.set(result);
            return result.completionReason().name();
        };

        RunResult run = harness.invoke(handler);

        assertThat(run.result()).isEqualTo("\"FAILURE_TOLERANCE_EXCEEDED\"");
        assertThat(returned.get().all()).extracting(BatchItem::status)
                .containsExactly(ItemStatus.FAILED, ItemStatus.STARTED, ItemStatus.SKIPPED, ItemStatus.SKIPPED);
        assertThat(harness.orchestrator.operation("1").status()).isEqualTo(OperationStatus.SUCCEEDED);
        assertThat(harness.orchestrator.operation("1-2").status()).isEqualTo(OperationStatus.CANCELLED);
        assertThat(harness.orchestrator.operation("1-3")).isNull();
        assertThat(harness.orchestrator.refused()).isEmpty();
    }

    @Test
    void firstSuccessfulCompletesWithTheFirstSuccessAndCancelsTheOthers() {
        DurableHandler<Void, String> handler = (input, ctx) -> {
            BatchResult<String> result = ctx.parallel("race", String.class, List.of(
                    Branch.of("slow-1", c -> {
                        c.wait("w", Duration.ofMinutes(5));
                        return "slow-1";
                    }),
                    Branch.of("fast", c -> c.step("s", String.class, s -> "fast")),
                    Branch.of("slow-2", c -> {
                        c.wait("w", Duration.ofMinutes(5));
                        return "slow-2";
                    })), ParallelConfig.defaults().withCompletion(CompletionConfig.firstSuccessful()));
            returned.set(result);
            return result.results().get(0);
        };

        RunResult run = harness.invoke(handler);

        assertThat(run.result()).isEqualTo("\"fast\"");
        assertThat(returned.get().completionReason()).isEqualTo(CompletionReason.MIN_SUCCESSFUL_REACHED);
        assertThat(returned.get().all()).extracting(BatchItem::status)
                .containsExactly(ItemStatus.STARTED, ItemStatus.SUCCEEDED, ItemStatus.STARTED);
        assertThat(harness.orchestrator.operation("1-1").status()).isEqualTo(OperationStatus.CANCELLED);
        assertThat(harness.orchestrator.operation("1-3").status()).isEqualTo(OperationStatus.CANCELLED);
        assertThat(harness.orchestrator.operations()).filteredOn(op -> op.type() == OperationType.WAIT)
                .allSatisfy(op -> assertThat(op.status()).isEqualTo(OperationStatus.CANCELLED));
        assertThat(harness.orchestrator.refused()).isEmpty();
    }

    @Test
    void minSuccessfulIsReachedAcrossASuspension() {
        DurableHandler<Void, String> handler = (input, ctx) -> {
            BatchResult<Integer> result = ctx.map("quorum", List.of(1, 2, 3), Integer.class, (c, item, index) -> {
                c.wait("w", Duration.ofSeconds(item));
                return item;
            }, MapConfig.<Integer>defaults().withCompletion(CompletionConfig.minSuccessful(2)));
            returned.set(result);
            return result.completionReason().name();
        };

        assertThat(harness.invoke(handler).outcome()).isEqualTo(RunOutcome.PENDING);
        harness.orchestrator.fireTimers();
        RunResult run = harness.invoke(handler);

        assertThat(run.result()).isEqualTo("\"MIN_SUCCESSFUL_REACHED\"");
        assertThat(returned.get().successCount()).isEqualTo(2);
        assertThat(returned.get().all()).extracting(BatchItem::status).containsOnly(ItemStatus.SUCCEEDED,
                ItemStatus.STARTED);
        assertThat(harness.orchestrator.refused()).isEmpty();
    }

    @Test
    void toleratedFailureCountCompletesOnceMoreFailed() {
        DurableHandler<Void, String> handler = (input, ctx) -> {
            BatchResult<Integer> result = ctx.map("tolerant", List.of(0, 1, 2, 3, 4), Integer.class,
                    (c, item, index) -> {
                        if (item < 3) {
                            throw new IllegalStateException("bad " + item);
                        }
                        return item;
                    }, MapConfig.<Integer>defaults().withMaxConcurrency(1)
                            .withCompletion(CompletionConfig.toleratedFailureCount(1)));
            returned.set(result);
            return result.completionReason().name();
        };

        assertThat(harness.invoke(handler).result()).isEqualTo("\"FAILURE_TOLERANCE_EXCEEDED\"");
        assertThat(returned.get().all()).extracting(BatchItem::status).containsExactly(ItemStatus.FAILED,
                ItemStatus.FAILED, ItemStatus.SKIPPED, ItemStatus.SKIPPED, ItemStatus.SKIPPED);
    }

    @Test
    void toleratedFailurePercentageCountsFailuresAgainstAllItems() {
        DurableHandler<Void, String> handler = (input, ctx) -> {
            BatchResult<Integer> result = ctx.map("share", IntStream.range(0, 10).boxed().toList(), Integer.class,
                    (c, item, index) -> {
                        if (item < 4) {
                            throw new IllegalStateException("bad " + item);
                        }
                        return item;
                    }, MapConfig.<Integer>defaults().withMaxConcurrency(1)
                            .withCompletion(CompletionConfig.toleratedFailurePercentage(30)));
            returned.set(result);
            return result.completionReason().name();
        };

        assertThat(harness.invoke(handler).result()).isEqualTo("\"FAILURE_TOLERANCE_EXCEEDED\"");
        assertThat(returned.get().failureCount()).isEqualTo(4);
        assertThat(returned.get().all()).filteredOn(i -> i.status() == ItemStatus.SKIPPED).hasSize(6);
    }

    @Test
    void anEmptyMapCompletesAtOnce() {
        DurableHandler<Void, Integer> handler = (input, ctx) ->
                ctx.map("none", List.<String>of(), String.class, (c, item, index) -> item).totalCount();

        assertThat(harness.invoke(handler).result()).isEqualTo("0");
        assertThat(harness.orchestrator.operation("1").status()).isEqualTo(OperationStatus.SUCCEEDED);
    }

    @Test
    void maxConcurrencyIsNeverExceeded() {
        int limit = 4;
        AtomicInteger active = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        java.util.concurrent.CyclicBarrier wave = new java.util.concurrent.CyclicBarrier(limit);
        DurableHandler<Void, Integer> handler = (input, ctx) -> ctx.map("waves",
                IntStream.range(0, 5 * limit).boxed().toList(), Integer.class, (c, item, index) -> {
                    most.accumulateAndGet(active.incrementAndGet(), Math::max);
                    wave.await(10, TimeUnit.SECONDS);
                    active.decrementAndGet();
                    return item;
                }, MapConfig.<Integer>defaults().withMaxConcurrency(limit)).successCount();

        assertThat(harness.invoke(handler).result()).isEqualTo("20");
        assertThat(most).hasValue(limit);
    }

    @Test
    void anAbandonedBranchCannotCheckpointAndUnwinds() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch slowDone = new CountDownLatch(1);
        AtomicInteger afterSlowStep = new AtomicInteger();
        DurableHandler<Void, String> handler = (input, ctx) -> {
            BatchResult<String> result = ctx.parallel("race", String.class, List.of(
                    Branch.of("fast", c -> "fast"),
                    Branch.of("slow", c -> {
                        try {
                            c.step("late", String.class, s -> {
                                release.await(10, TimeUnit.SECONDS);
                                return "late";
                            });
                            afterSlowStep.incrementAndGet();
                            return c.step("later", String.class, s -> "later");
                        } finally {
                            slowDone.countDown();
                        }
                    })), ParallelConfig.defaults().withCompletion(CompletionConfig.firstSuccessful()));
            release.countDown();
            assertThat(slowDone.await(10, TimeUnit.SECONDS)).isTrue();
            return result.results().get(0);
        };

        RunResult run = harness.invoke(handler);

        assertThat(run.result()).isEqualTo("\"fast\"");
        assertThat(afterSlowStep).hasValue(0);
        assertThat(harness.orchestrator.operation("1-2").status()).isEqualTo(OperationStatus.CANCELLED);
        assertThat(harness.orchestrator.operation("1-2-1")).isNull();
        assertThat(harness.orchestrator.updates()).noneMatch(u -> u.id().startsWith("1-2-"));
        assertThat(harness.orchestrator.refused()).isEmpty();
    }

    @Test
    void fiveHundredItemsTwentyAtATimeEachWaitingCompleteOverSeveralInvocations() {
        int items = 500;
        int limit = 20;
        AtomicInteger bodies = new AtomicInteger();
        AtomicInteger begun = new AtomicInteger();
        AtomicInteger finished = new AtomicInteger();
        AtomicInteger mostInFlight = new AtomicInteger();
        int[] bodyRuns = new int[items];
        DurableHandler<Void, Integer> handler = (input, ctx) -> ctx.map("bulk",
                IntStream.range(0, items).boxed().toList(), Integer.class, (c, item, index) -> {
                    int value = c.step("work", Integer.class, s -> {
                        bodies.incrementAndGet();
                        synchronized (bodyRuns) {
                            bodyRuns[index]++;
                        }
                        mostInFlight.accumulateAndGet(begun.incrementAndGet() - finished.get(), Math::max);
                        return item * 2;
                    });
                    c.wait("settle", Duration.ofSeconds(30));
                    finished.incrementAndGet();
                    return value;
                }, MapConfig.<Integer>defaults().withMaxConcurrency(limit)).successCount();

        RunResult run = harness.invoke(handler);
        int invocations = 1;
        while (run.outcome() == RunOutcome.PENDING && invocations < 100) {
            harness.orchestrator.fireTimers();
            run = harness.invoke(handler);
            invocations++;
        }

        assertThat(run.result()).isEqualTo("500");
        assertThat(bodies).hasValue(items);
        assertThat(bodyRuns).containsOnly(1);
        assertThat(mostInFlight.get()).isLessThanOrEqualTo(limit);
        assertThat(invocations).isEqualTo(items / limit + 1);
        assertThat(harness.orchestrator.operation("1").status()).isEqualTo(OperationStatus.SUCCEEDED);
        assertThat(harness.orchestrator.refused()).isEmpty();
    }

    @Test
    void branchesMayUseStepAsyncAndNestedBatches() {
        DurableHandler<Void, String> handler = (input, ctx) -> {
            BatchResult<String> outer = ctx.parallel("outer", String.class, List.of(
                    Branch.of("async", c -> {
                        var a = c.stepAsync("a", String.class, s -> "a");
                        var b = c.stepAsync("b", String.class, s -> "b");
                        return a.get() + b.get();
                    }),
                    Branch.of("nested", c -> String.join("", c.map("inner", List.of("x", "y"), String.class,
                            (cc, item, index) -> cc.step("up", String.class, s -> item.toUpperCase())).results()))));
            return String.join(",", outer.results());
        };

        assertThat(harness.invoke(handler).result()).isEqualTo("\"ab,XY\"");
        assertThat(harness.orchestrator.operation("1-2-1").subType()).isEqualTo("Map");
        assertThat(harness.orchestrator.operation("1-2-1-2-1").name()).isEqualTo("up");
    }

    @Test
    void throwIfErrorNamesTheFirstFailure() {
        DurableHandler<Void, String> handler = (input, ctx) -> {
            ctx.parallel("p", String.class, List.of(Branch.of("ok", c -> "ok"),
                    Branch.of("broken", c -> {
                        throw new IllegalStateException("boom");
                    }))).throwIfError();
            return "unreachable";
        };

        RunResult run = harness.invoke(handler);

        assertThat(run.error().type()).isEqualTo(BatchCompletionException.class.getName());
        assertThat(run.error().message()).contains("1 of 2", "'broken'", "boom");
        assertThatThrownBy(() -> {
            throw new BatchCompletionException("x", "1", null);
        }).isInstanceOf(BatchCompletionException.class);
    }

    private static String meet(CountDownLatch latch, String value) throws InterruptedException {
        latch.countDown();
        assertThat(latch.await(10, TimeUnit.SECONDS)).as("all branches run at once").isTrue();
        return value;
    }
}
