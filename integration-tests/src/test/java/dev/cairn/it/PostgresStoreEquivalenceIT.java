package dev.cairn.it;

import dev.cairn.protocol.WorkflowRef;
import dev.cairn.testing.DurableStoreEquivalence;
import dev.cairn.testing.LocalDurableTestRunner;
import dev.cairn.testing.TestDatabase;
import dev.cairn.testing.VirtualClock;
import dev.cairn.testing.equivalence.EquivalenceRun;
import dev.cairn.testing.postgres.PostgresDurableStore;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The orchestrator on PostgreSQL answers and records what the test kit's in-memory store does, request by request,
 * for random sequences of requests ({@link DurableStoreEquivalence}). One orchestrator serves every try; each try
 * starts executions of its own and stops what it leaves running.
 */
class PostgresStoreEquivalenceIT extends DurableStoreEquivalence {

    private static TestDatabase db;
    private static PostgresDurableStore store;

    @BeforeAll
    static void startOrchestrator() {
        db = TestDatabase.create(PostgresStoreEquivalenceIT.class);
        store = PostgresDurableStore.start(db, new VirtualClock(LocalDurableTestRunner.DEFAULT_START),
                List.of(new WorkflowRef(EquivalenceRun.WORKFLOW, "1")));
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

    /** 100 sequences: about half a minute on the 2-core CI machine; see src-test-fixtures' README to run more. */
    @Override
    protected int defaultTries() {
        return 100;
    }

    @Override
    protected Subject candidate() {
        return new Subject(store, store.clock());
    }
}
