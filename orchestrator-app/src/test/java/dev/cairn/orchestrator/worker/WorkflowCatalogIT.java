package dev.cairn.orchestrator.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.orchestrator.support.Ledgers;
import dev.cairn.protocol.WorkerRegistration;
import dev.cairn.protocol.WorkflowRef;
import dev.cairn.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The versions a start resolves: read again within the refresh only when this replica registered a worker since, or
 * when what is asked for is not among them; two stores on one database stand for two replicas.
 */
class WorkflowCatalogIT {

    private static final Duration WORKER_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration LONG_REFRESH = Duration.ofHours(1);

    private static TestDatabase db;
    private static WorkerStore thisReplica;
    private static WorkerStore otherReplica;

    @BeforeAll
    static void start() {
        db = TestDatabase.create(WorkflowCatalogIT.class);
        thisReplica = new WorkerStore(JdbcClient.create(db.dataSource()), Ledgers.on(db.dataSource()));
        otherReplica = new WorkerStore(JdbcClient.create(db.dataSource()), Ledgers.on(db.dataSource()));
    }

    @AfterAll
    static void stop() {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void aVersionRegisteredThroughThisReplicaIsCurrentAtOnce() {
        String workflow = unique("here");
        WorkflowCatalog catalog = catalog(LONG_REFRESH);
        register(thisReplica, workflow, "1");
        assertThat(catalog.resolve(workflow, null).version()).isEqualTo("1");

        register(thisReplica, workflow, "2");

        assertThat(catalog.resolve(workflow, null).version()).isEqualTo("2");
    }

    @Test
    void aVersionRegisteredThroughAnotherReplicaIsCurrentOnceTheVersionsAreReadAgain() {
        String workflow = unique("there");
        WorkflowCatalog kept = catalog(LONG_REFRESH);
        WorkflowCatalog fresh = catalog(Duration.ZERO);
        register(thisReplica, workflow, "1");
        assertThat(kept.resolve(workflow, null).version()).isEqualTo("1");
        assertThat(fresh.resolve(workflow, null).version()).isEqualTo("1");

        register(otherReplica, workflow, "2");

        assertThat(kept.resolve(workflow, null).version()).as("within the refresh").isEqualTo("1");
        assertThat(fresh.resolve(workflow, null).version()).as("after it").isEqualTo("2");
    }

    @Test
    void aVersionOrAWorkflowNotAmongThoseReadIsLookedForInTheDatabase() {
        String workflow = unique("asked");
        String other = unique("new");
        WorkflowCatalog catalog = catalog(LONG_REFRESH);
        register(thisReplica, workflow, "1");
        assertThat(catalog.resolve(workflow, null).version()).isEqualTo("1");
        assertThat(catalog.resolve(other, null).workflowKnown()).isFalse();

        register(otherReplica, workflow, "2");
        register(otherReplica, other, "7");

        assertThat(catalog.resolve(workflow, "2").version()).isEqualTo("2");
        assertThat(catalog.resolve(other, null).version()).isEqualTo("7");
        assertThat(catalog.resolve(workflow, "3").found()).isFalse();
        assertThat(catalog.resolve(workflow, "3").workflowKnown()).isTrue();
    }

    private static WorkflowCatalog catalog(Duration refresh) {
        return new WorkflowCatalog(thisReplica, Clock.systemUTC(), WORKER_TIMEOUT, refresh);
    }

    private static void register(WorkerStore store, String workflow, String version) {
        Instant now = Instant.now();
        assertThat(store.register(new WorkerRegistration("w-" + UUID.randomUUID(), "http://127.0.0.1:1", 4,
                List.of(new WorkflowRef(workflow, version))), now, now.minus(WORKER_TIMEOUT))).isTrue();
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }
}
