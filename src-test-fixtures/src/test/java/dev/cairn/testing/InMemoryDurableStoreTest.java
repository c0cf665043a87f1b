package dev.cairn.testing;

/** The in-memory store passes the store contract. */
class InMemoryDurableStoreTest extends DurableStoreContract {

    @Override
    protected DurableStore store() {
        InMemoryDurableStore store = new InMemoryDurableStore(new VirtualClock(LocalDurableTestRunner.DEFAULT_START));
        store.registerWorkflow(WORKFLOW, "1");
        return store;
    }
}
