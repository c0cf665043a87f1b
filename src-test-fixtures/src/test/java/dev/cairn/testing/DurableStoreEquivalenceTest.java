package dev.cairn.testing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.api.ErrorInfo;
import dev.cairn.protocol.CheckpointRequest;
import dev.cairn.protocol.CompletionRequest;
import dev.cairn.protocol.Invocation;
import dev.cairn.protocol.OperationRecord;
import dev.cairn.testing.equivalence.EquivalenceRun;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The equivalence property finds a store that differs, and names the requests that show it. */
class DurableStoreEquivalenceTest {

    @Test
    void aStoreWhoseTimersNeverFireFailsTheProperty() {
        DurableStoreEquivalence property = new DurableStoreEquivalence() {
            @Override
            protected Subject candidate() {
                VirtualClock clock = new VirtualClock(LocalDurableTestRunner.DEFAULT_START);
                InMemoryDurableStore store = new InMemoryDurableStore(clock);
                store.registerWorkflow(EquivalenceRun.WORKFLOW, "1");
                return new Subject(new TimersNeverFire(store), clock);
            }
        };

        assertThatThrownBy(property::answersAndHoldsWhatTheInMemoryStoreDoesAfterEveryRequest)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("The stores differ")
                .hasMessageContaining("-Dcairn.equivalence.seed=")
                .hasMessageContaining("and fire due timers")
                .hasMessageContaining("first differing line");
    }

    /** A store that records as the in-memory store does, except that its timers never fire. */
    private record TimersNeverFire(InMemoryDurableStore store) implements DurableStore {

        @Override
        public int fireDueTimers(Instant now) {
            return 0;
        }

        @Override
        public Instant now() {
            return store.now();
        }

        @Override
        public String start(String workflow, String input) {
            return store.start(workflow, input);
        }

        @Override
        public Optional<Invocation> nextInvocation(String executionId) {
            return store.nextInvocation(executionId);
        }

        @Override
        public void checkpoint(CheckpointRequest request) {
            store.checkpoint(request);
        }

        @Override
        public void complete(CompletionRequest request) {
            store.complete(request);
        }

        @Override
        public void completeCallback(String callbackId, String result) {
            store.completeCallback(callbackId, result);
        }

        @Override
        public void failCallback(String callbackId, ErrorInfo error) {
            store.failCallback(callbackId, error);
        }

        @Override
        public void heartbeatCallback(String callbackId) {
            store.heartbeatCallback(callbackId);
        }

        @Override
        public ExecutionRecord stop(String executionId) {
            return store.stop(executionId);
        }

        @Override
        public Optional<ExecutionRecord> execution(String executionId) {
            return store.execution(executionId);
        }

        @Override
        public List<OperationRecord> operations(String executionId) {
            return store.operations(executionId);
        }

        @Override
        public List<HistoryEvent> history(String executionId) {
            return store.history(executionId);
        }
    }
}
