package dev.cairn.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.BatchResult;
import dev.cairn.api.Branch;
import dev.cairn.api.DurableContext;
import dev.cairn.api.DurableFuture;
import dev.cairn.api.DurableHandler;
import dev.cairn.api.WaitForConditionConfig;
import dev.cairn.api.WaitStrategies;
import dev.cairn.protocol.OperationSubType;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every subtype the worker sends is an {@link OperationSubType} of the operation's type: a workflow that makes every
 * kind of durable operation the API has, run with the real replay engine, records no other.
 */
class WorkerSubTypesTest {

    static final class EveryOperation implements DurableHandler<Void, Integer> {
        @Override
        public Integer handle(Void in, DurableContext ctx) {
            int step = ctx.step("step", Integer.class, s -> 1);
            DurableFuture<Integer> a = ctx.stepAsync("a", Integer.class, s -> 2);
            DurableFuture<Integer> b = ctx.stepAsync("b", Integer.class, s -> 3);
            DurableFuture.anyOf(a, b).get();
            ctx.wait("wait", Duration.ofMinutes(1));
            ctx.now();
            ctx.randomUUID();
            int polled = ctx.waitForCondition("poll", Integer.class, (n, s) -> n + 1,
                    WaitForConditionConfig.of(0, WaitStrategies.fixedDelay(n -> n >= 2, Duration.ofSeconds(3), 5)));
            BatchResult<Integer> fan = ctx.parallel("fan", Integer.class, List.of(
                    Branch.of("x", c -> c.step("x1", Integer.class, s -> 1))));
            BatchResult<Integer> squares = ctx.map("squares", List.of(1, 2), Integer.class,
                    (c, item, i) -> c.step("square", Integer.class, s -> item * item));
            int child = ctx.runInChildContext("group", Integer.class, c -> c.step("inner", Integer.class, s -> 1));
            String answer = ctx.createCallback("cb", String.class).get();
            String approval = ctx.waitForCallback("approval", String.class, (id, s) -> { });
            int invoked = ctx.invoke("call", "other", 1, Integer.class);
            return step + a.get() + b.get() + polled + fan.results().size() + squares.results().size() + child
                    + answer.length() + approval.length() + invoked;
        }
    }

    @Test
    void everySubtypeTheWorkerRecordsIsKnownWithItsType() {
        try (var runner = LocalDurableTestRunner.create(new EveryOperation(), Void.class, Integer.class)
                .stubInvoke("other", 1)) {
            runner.run(null);
            runner.completeCallback("cb", "ok");
            runner.resume();
            runner.completeCallback("approval", "yes");
            TestResult<Integer> result = runner.resume();

            assertThat(result.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(result.operations()).allSatisfy(op -> assertThat(OperationSubType.find(op.subType()))
                    .as(op.toString()).hasValueSatisfying(s -> assertThat(s.type()).isEqualTo(op.type())));
            assertThat(result.operations()).extracting(TestOperation::subType).containsAll(Arrays
                    .stream(OperationSubType.values()).map(OperationSubType::wireName).toList());
        }
    }
}
