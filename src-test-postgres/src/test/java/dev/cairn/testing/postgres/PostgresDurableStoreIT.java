package dev.cairn.testing.postgres;

import dev.cairn.protocol.WorkflowRef;
import dev.cairn.testing.DurableStore;
import dev.cairn.testing.DurableStoreContract;
import dev.cairn.testing.LocalDurableTestRunner;
import dev.cairn.testing.TestDatabase;
import dev.cairn.testing.VirtualClock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The orchestrator on PostgreSQL passes the same store contract as the in-memory store of the local test runner.
 * One orchestrator serves the class; each test starts from an empty execution store (the registered workflow
 * stays), and the virtual clock only moves forward.
 */
class PostgresDurableStoreIT extends DurableStoreContract {

    private static TestDatabase db;
    private static PostgresDurableStore store;

    @BeforeAll
    static void startOrchestrator() {
        db = TestDatabase.create(PostgresDurableStoreIT.class);
        store = PostgresDurableStore.start(db, new VirtualClock(LocalDurableTestRunner.DEFAULT_START),
                List.of(new WorkflowRef(WORKFLOW, "1")));
    }

    @AfterAll
    static void stopOrchestrator() {
        if (store != null) {
            store.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Override
    protected DurableStore store() {
        store.reset();
        return store;
    }
}
