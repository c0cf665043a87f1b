package dev.cairn.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.protocol.CompletionRequest;
import dev.cairn.protocol.Invocation;
import dev.cairn.protocol.InvocationOutcome;
import dev.cairn.protocol.OperationAction;
import dev.cairn.protocol.OperationOptions;
import dev.cairn.protocol.OperationRecord;
import dev.cairn.protocol.OperationStatus;
import dev.cairn.protocol.OperationType;
import dev.cairn.protocol.OperationUpdate;
import dev.cairn.protocol.WorkflowRef;
import dev.cairn.testing.DurableStore;
import dev.cairn.testing.ExecutionStatus;
import dev.cairn.testing.HistoryEvent;
import dev.cairn.testing.InMemoryDurableStore;
import dev.cairn.testing.LocalDurableTestRunner;
import dev.cairn.testing.TestDatabase;
import dev.cairn.testing.VirtualClock;
import dev.cairn.testing.postgres.PostgresDurableStore;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * When the timer poller lags (the orchestrator was down, or busy), one pass fires timers that fell due at different
 * times. Each must take effect as if the poller had kept up: in the order they fell due. Found by
 * {@code PostgresStoreEquivalenceIT} when its time jumped past several timers at once; run on both stores.
 */
class LaggingTimerPassIT {

    private static final String WORKFLOW = "contract-workflow";

    private static TestDatabase db;
    private static PostgresDurableStore postgres;

    @BeforeAll
    static void startOrchestrator() {
        db = TestDatabase.create(LaggingTimerPassIT.class);
        postgres = PostgresDurableStore.start(db, new VirtualClock(LocalDurableTestRunner.DEFAULT_START),
                List.of(new WorkflowRef(WORKFLOW, "1")));
    }

    @AfterAll
    static void stopOrchestrator() {
        if (postgres != null) {
            postgres.close();
        }
        if (db != null) {
            db.close();
        }
    }

    /** The in-memory store and the orchestrator (which the class closes, not each test). */
    static Stream<Named<DurableStore>> stores() {
        InMemoryDurableStore memory = new InMemoryDurableStore(new VirtualClock(LocalDurableTestRunner.DEFAULT_START));
        memory.registerWorkflow(WORKFLOW, "1");
        return Stream.of(Named.of("in memory", memory), Named.of("PostgreSQL", postgres));
    }

    /** A chained child's callback times out after 30 minutes; the child's own timeout is an hour. */
    @ParameterizedTest(autoCloseArguments = false)
    @MethodSource("stores")
    void aCallbackThatFellDueBeforeItsExecutionTimedOutTimesOutFirst(DurableStore store) {
        Invocation parent = store.nextInvocation(store.start(WORKFLOW, "{}")).orElseThrow();
        store.complete(pending(parent, new OperationUpdate("1", null, OperationType.CHAINED_INVOKE, "ChainedInvoke",
                "child", OperationAction.START, null, "{}", null, null, null,
                OperationOptions.invoke(WORKFLOW, null, Duration.ofHours(1)))));
        String childId = store.operations(parent.executionId()).get(0).childExecutionId();
        Invocation child = store.nextInvocation(childId).orElseThrow();
        store.complete(pending(child, callback("1", "cb-lag-" + childId, Duration.ofMinutes(30))));

        store.fireDueTimers(store.now().plus(Duration.ofHours(2)));

        assertThat(store.execution(childId).orElseThrow().status()).isEqualTo(ExecutionStatus.TIMED_OUT);
        assertThat(store.operations(childId)).extracting(OperationRecord::status)
                .containsExactly(OperationStatus.TIMED_OUT);
        assertThat(store.history(childId)).extracting(HistoryEvent::type)
                .containsExactly("ExecutionStarted", "CallbackStarted", "InvocationCompleted", "CallbackTimedOut",
                        "ExecutionTimedOut");
    }

    /** A wait due after a minute and a callback timing out after an hour, fired by one pass. */
    @ParameterizedTest(autoCloseArguments = false)
    @MethodSource("stores")
    void theEventsOfOnePassFollowTheOrderTheTimersFellDue(DurableStore store) {
        Invocation inv = store.nextInvocation(store.start(WORKFLOW, "{}")).orElseThrow();
        store.complete(pending(inv,
                callback("1", "cb-lag-" + inv.executionId(), Duration.ofHours(1)),
                new OperationUpdate("2", null, OperationType.WAIT, "Wait", "nap", OperationAction.START, null, null,
                        null, store.now().plus(Duration.ofMinutes(1)), null)));

        store.fireDueTimers(store.now().plus(Duration.ofHours(2)));

        assertThat(store.history(inv.executionId())).extracting(HistoryEvent::type).containsExactly(
                "ExecutionStarted", "CallbackStarted", "WaitStarted", "InvocationCompleted", "WaitSucceeded",
                "CallbackTimedOut");
    }

    private static CompletionRequest pending(Invocation inv, OperationUpdate... updates) {
        return new CompletionRequest(inv.executionId(), inv.invocationToken(), InvocationOutcome.PENDING, null, null,
                List.of(updates), null, null);
    }

    private static OperationUpdate callback(String id, String callbackId, Duration timeout) {
        return new OperationUpdate(id, null, OperationType.CALLBACK, "Callback", "approval", OperationAction.START,
                null, null, null, null, null, OperationOptions.callback(callbackId, timeout, null));
    }
}
