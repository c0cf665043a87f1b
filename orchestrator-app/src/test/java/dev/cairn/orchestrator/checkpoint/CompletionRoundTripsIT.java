package dev.cairn.orchestrator.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.orchestrator.ledger.CheckpointPlan;
import dev.cairn.orchestrator.ledger.CheckpointStore;
import dev.cairn.orchestrator.ledger.Completion;
import dev.cairn.orchestrator.support.CountingSocketFactory;
import dev.cairn.orchestrator.support.ExecutionRows;
import dev.cairn.protocol.InvocationOutcome;
import dev.cairn.testing.TestDatabase;
import java.sql.Connection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.jdbc.support.SQLExceptionSubclassTranslator;

/**
 * A completion written alone is one round trip to PostgreSQL, also when some of its values are null (a success has
 * no error, an invocation that leaves the execution running has no end time). Counted as the writes on the
 * connection's socket once the driver runs its named statement: it sends each round trip's messages in one write.
 */
class CompletionRoundTripsIT {

    private static TestDatabase db;
    private static ExecutionRows rows;
    private static Connection connection;
    private static CheckpointStore checkpoints;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.create(CompletionRoundTripsIT.class);
        rows = new ExecutionRows(JdbcClient.create(db.dataSource()));
        connection = CountingSocketFactory.connect(db);
        checkpoints = new CheckpointStore(new SingleConnectionDataSource(connection, true),
                new SQLExceptionSubclassTranslator(), 1, 64);
    }

    @AfterAll
    static void stop() throws Exception {
        if (connection != null) {
            connection.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void aCompletionWithNullValuesIsOneRoundTripEachTime() {
        CheckpointPlan nothing = new CheckpointPlan(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
                false);
        List<Integer> writesPerCompletion = new ArrayList<>();
        // more completions than the driver's prepare threshold (5), so that the last ones run its named statement
        for (int i = 0; i < 8; i++) {
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            ExecutionRows.Invoked execution = rows.invoked("round-trips");
            Completion completion = i % 2 == 0
                    ? Completion.of(InvocationOutcome.SUCCEEDED, "\"done\"", null, null, null, now)
                    : Completion.of(InvocationOutcome.PENDING, null, null, null, null, now);
            int before = CountingSocketFactory.WRITES.get();
            CheckpointStore.Written written = checkpoints.complete(execution.executionId(), execution.token(),
                    nothing, completion, now);
            writesPerCompletion.add(CountingSocketFactory.WRITES.get() - before);
            assertThat(written).as("completion %d was written", i).isNotNull();
            assertThat(rows.status(execution.executionId())).isEqualTo(i % 2 == 0 ? "SUCCEEDED" : "RUNNING");
        }
        // the first five run unnamed statements, each sending the statement's text (larger than the driver's 8 KB
        // buffer, so more than one write); from then on the driver runs its named statement: one write
        assertThat(writesPerCompletion.subList(5, writesPerCompletion.size())).as("socket writes per completion")
                .containsOnly(1);
    }
}
