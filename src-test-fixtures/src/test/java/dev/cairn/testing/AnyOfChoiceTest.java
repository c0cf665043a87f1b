package dev.cairn.testing;

import static dev.cairn.testing.CairnAssertions.assertThat;
import static dev.cairn.testing.ExecutionStatus.SUCCEEDED;

import dev.cairn.api.DurableContext;
import dev.cairn.api.DurableFuture;
import dev.cairn.api.DurableHandler;
import dev.cairn.protocol.OperationType;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code anyOf} through the test kit: the live choice is recorded, replay after a wait follows it. */
class AnyOfChoiceTest {

    /**
     * Two async steps, the second finishes first (the first waits for the choice); the code goes on by the winner's
     * name and waits, so that the next invocation replays the race. At the top level, or inside a child context.
     */
    static final class Race implements DurableHandler<Void, String> {

        private final CountDownLatch release = new CountDownLatch(1);
        private final boolean inChildContext;

        Race(boolean inChildContext) {
            this.inChildContext = inChildContext;
        }

        @Override
        public String handle(Void input, DurableContext ctx) {
            return inChildContext ? ctx.runInChildContext("race", String.class, this::race) : race(ctx);
        }

        private String race(DurableContext ctx) {
            DurableFuture<String> slow = ctx.stepAsync("slow", String.class, step -> {
                release.await(10, TimeUnit.SECONDS);
                return "slow";
            });
            DurableFuture<String> fast = ctx.stepAsync("fast", String.class, step -> "fast");
            Object winner = DurableFuture.anyOf(slow, fast).get();
            release.countDown();
            slow.get();
            String after = ctx.step("after-" + winner, String.class, step -> "went on with " + winner);
            ctx.wait("pause", Duration.ofMinutes(5));
            return after;
        }
    }

    @Test
    void theWinnerChosenLiveInAChildContextIsTheWinnerOnReplayAfterAWait() {
        try (LocalDurableTestRunner<Void, String> runner = LocalDurableTestRunner.create(new Race(true), Void.class,
                String.class)) {
            TestResult<String> result = runner.run(null);

            assertThat(result).hasStatus(SUCCEEDED).hasResult("went on with fast").hasInvocations(2);
            org.assertj.core.api.Assertions.assertThat(result.operationById("1-1").endedAt())
                    .as("both steps' recorded ends").isEqualTo(result.operationById("1-2").endedAt());
            assertThat(result).operationById("1-choice-1").succeeded().hasType(OperationType.STEP)
                    .hasSubType("AnyOf").hasResult(1);
        }
    }

    @Test
    void aRecordedChoiceIsNoOperationTheReplayerMisses() {
        try (LocalDurableTestRunner<Void, String> runner = LocalDurableTestRunner.create(new Race(false), Void.class,
                String.class)) {
            TestResult<String> result = runner.run(null);

            assertThat(result).hasStatus(SUCCEEDED).hasResult("went on with fast");
            org.assertj.core.api.Assertions.assertThat(result.operations()).extracting(TestOperation::id)
                    .containsExactlyInAnyOrder("1", "2", "choice-1", "3", "4");
            assertThat(WorkflowReplayer.replay(Recording.of(result), new Race(false))).isDeterministic();
        }
    }
}
