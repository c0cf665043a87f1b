package dev.cairn.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.protocol.CheckpointRequest;
import dev.cairn.protocol.CompletionRequest;
import dev.cairn.protocol.Invocation;
import dev.cairn.protocol.InvocationOutcome;
import dev.cairn.protocol.OperationAction;
import dev.cairn.protocol.OperationOptions;
import dev.cairn.protocol.OperationRecord;
import dev.cairn.protocol.OperationStatus;
import dev.cairn.protocol.OperationSubType;
import dev.cairn.protocol.OperationType;
import dev.cairn.protocol.OperationUpdate;
import dev.cairn.protocol.TimerKind;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The in-memory store passes the store contract. */
class InMemoryDurableStoreTest extends DurableStoreContract {

    @Override
    protected DurableStore store() {
        InMemoryDurableStore store = new InMemoryDurableStore(new VirtualClock(LocalDurableTestRunner.DEFAULT_START));
        store.registerWorkflow(WORKFLOW, "1");
        return store;
    }

    @Test
    void callbacksCloseAndContextsCancelInAnExecutionThatHasATimeout() {
        InMemoryDurableStore store = (InMemoryDurableStore) store();
        String id = store.start(WORKFLOW, null, "{}", Duration.ofHours(5));
        Invocation inv = store.nextInvocation(id).orElseThrow();
        store.checkpoint(new CheckpointRequest(id, inv.invocationToken(), List.of(
                callback("1", "cb-answered"), callback("2", "cb-unanswered"),
                new OperationUpdate("3", null, OperationType.CONTEXT, OperationSubType.PARALLEL.wireName(), "fan",
                        OperationAction.START, null, null, null, null, null),
                new OperationUpdate("3-1", "3", OperationType.WAIT, OperationSubType.WAIT.wireName(), "nap",
                        OperationAction.START, null, null, null, store.now().plus(Duration.ofHours(3)), null))));
        store.complete(new CompletionRequest(id, inv.invocationToken(), InvocationOutcome.PENDING, null, null,
                List.of(), null, null));

        store.completeCallback("cb-answered", "1");
        Invocation next = store.nextInvocation(id).orElseThrow();
        store.checkpoint(new CheckpointRequest(id, next.invocationToken(), List.of(new OperationUpdate("3", null,
                OperationType.CONTEXT, OperationSubType.PARALLEL.wireName(), "fan", OperationAction.CANCEL, null,
                null, null, null, null))));
        store.fireDueTimers(store.now().plus(Duration.ofHours(4)));

        assertThat(store.operations(id)).extracting(OperationRecord::id, OperationRecord::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("1", OperationStatus.SUCCEEDED),
                org.assertj.core.groups.Tuple.tuple("2", OperationStatus.TIMED_OUT),
                org.assertj.core.groups.Tuple.tuple("3", OperationStatus.CANCELLED),
                org.assertj.core.groups.Tuple.tuple("3-1", OperationStatus.CANCELLED));
        assertThat(store.execution(id).orElseThrow().status()).isEqualTo(ExecutionStatus.RUNNING);
        assertThat(store.nextTimer().kind()).isEqualTo(TimerKind.EXECUTION_TIMEOUT);
    }

    private static OperationUpdate callback(String id, String callbackId) {
        return new OperationUpdate(id, null, OperationType.CALLBACK, OperationSubType.CALLBACK.wireName(), callbackId,
                OperationAction.START, null, null, null, null, null,
                OperationOptions.callback(callbackId, Duration.ofHours(2), null));
    }
}
