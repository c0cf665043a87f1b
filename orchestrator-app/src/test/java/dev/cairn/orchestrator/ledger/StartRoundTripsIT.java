package dev.cairn.orchestrator.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.orchestrator.support.CountingSocketFactory;
import dev.cairn.testing.TestDatabase;
import java.sql.Connection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * A start is one round trip to PostgreSQL, also when some of its values are null (no name, no timeout, no worker to
 * claim it for). Counted as the writes on the connection's socket once the driver runs its named statement: it sends
 * each round trip's messages in one write.
 */
class StartRoundTripsIT {

    private static TestDatabase db;
    private static Connection connection;
    private static ExecutionStatements statements;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.create(StartRoundTripsIT.class);
        connection = CountingSocketFactory.connect(db);
        statements = new ExecutionStatements(JdbcClient.create(new SingleConnectionDataSource(connection, true)));
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
    void aStartWithNullValuesIsOneRoundTripEachTime() {
        List<Integer> writesPerStart = new ArrayList<>();
        // more starts than the driver's prepare threshold (5), so that the last ones run its named statement
        for (int i = 0; i < 8; i++) {
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            NewExecution execution = new NewExecution(UUID.randomUUID(), "round-trips", "1", null, null, now, null, 7,
                    "{}");
            int before = CountingSocketFactory.WRITES.get();
            Started started = statements.start(execution, null);
            writesPerStart.add(CountingSocketFactory.WRITES.get() - before);
            assertThat(started.inserted()).as("start %d inserted its execution", i).isTrue();
            assertThat(started.claim()).isNull();
        }
        assertThat(writesPerStart.subList(5, writesPerStart.size())).as("socket writes per start").containsOnly(1);
    }
}
