package dev.cairn.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.testing.equivalence.Coverage;
import dev.cairn.testing.equivalence.EquivalenceRun;

/**
 * The equivalence property of one in-memory store against another: the in-memory store answers and records the
 * same given the same requests (nothing depends on hash order or on the ids it makes), and the generated requests
 * reach every kind of answer and every status the property means to compare.
 */
class InMemoryStoreEquivalenceTest extends DurableStoreEquivalence {

    @Override
    protected Subject candidate() {
        VirtualClock clock = new VirtualClock(LocalDurableTestRunner.DEFAULT_START);
        InMemoryDurableStore store = new InMemoryDurableStore(clock);
        store.registerWorkflow(EquivalenceRun.WORKFLOW, "1");
        return new Subject(store, clock);
    }

    @Override
    protected void checkCoverage(Coverage coverage) {
        assertThat(coverage.tries()).containsKeys(
                "answer ok", "answer fenced", "answer unknown callback", "answer closed callback", "answer not ready",
                "answer invocation", "answer stopped: STOPPED", "answer invalid",
                "execution RUNNING", "execution SUCCEEDED", "execution FAILED", "execution STOPPED",
                "operation STEP/Step STARTED", "operation STEP/Step PENDING", "operation STEP/Step READY",
                "operation STEP/Step SUCCEEDED", "operation STEP/Step FAILED", "operation STEP/Step STOPPED",
                "operation STEP/WaitForCondition PENDING", "operation STEP/WaitForCondition READY",
                "operation STEP/WaitForCondition SUCCEEDED",
                "operation WAIT/Wait STARTED", "operation WAIT/Wait SUCCEEDED", "operation WAIT/Wait CANCELLED",
                "operation CALLBACK/Callback STARTED", "operation CALLBACK/Callback SUCCEEDED",
                "operation CALLBACK/Callback FAILED", "operation CALLBACK/Callback TIMED_OUT",
                "operation CALLBACK/Callback CANCELLED",
                "operation CONTEXT/RunInChildContext STARTED", "operation CONTEXT/RunInChildContext SUCCEEDED",
                "operation CONTEXT/RunInChildContext FAILED", "operation CONTEXT/RunInChildContext CANCELLED",
                "operation CHAINED_INVOKE/ChainedInvoke STARTED", "operation CHAINED_INVOKE/ChainedInvoke FAILED");
    }
}
