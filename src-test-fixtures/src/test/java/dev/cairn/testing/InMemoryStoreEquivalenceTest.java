package dev.cairn.testing;

/**
 * The equivalence property of one in-memory store against another: the generated requests are valid enough to
 * run, and the in-memory store answers and records the same given the same requests (nothing depends on hash
 * order or on the ids it makes).
 */
class InMemoryStoreEquivalenceTest extends DurableStoreEquivalence {

    @Override
    protected Subject candidate() {
        VirtualClock clock = new VirtualClock(LocalDurableTestRunner.DEFAULT_START);
        InMemoryDurableStore store = new InMemoryDurableStore(clock);
        store.registerWorkflow(WORKFLOW, "1");
        return new Subject(store, clock);
    }

    private static final String WORKFLOW = dev.cairn.testing.equivalence.EquivalenceRun.WORKFLOW;
}
