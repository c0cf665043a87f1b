package dev.cairn.orchestrator.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger is the one writer of executions, operations, history and timers: no SQL text outside
 * {@code dev.cairn.orchestrator.ledger} writes them.
 */
class LedgerOwnershipTest {

    private static final Path SOURCES = Path.of("src/main/java");
    private static final String LEDGER = "dev/cairn/orchestrator/ledger";

    @Test
    void noSqlOutsideTheLedgerWritesItsTables() {
        assertThat(Files.isDirectory(SOURCES.resolve(LEDGER))).as("the orchestrator's sources").isTrue();

        assertThat(LedgerWrites.outside(SOURCES, LEDGER, Set.of())).isEmpty();
    }

    @Test
    void findsAWriteOfEachTableAddedOutsideTheLedger(@TempDir Path root) throws IOException {
        write(root, "dev/cairn/orchestrator/ledger/TimerStatements.java", """
                String FIRE = "delete from timers t where t.due_at <= :now";
                """);
        write(root, "dev/cairn/orchestrator/timer/Sneaky.java", """
                class Sneaky {
                    static final String WAKE = \"""
                            UPDATE executions e
                               set ready_at = :now\""";
                    static final String LOG = "Insert Into history_events (execution_id) values (?)";
                    static final String GONE = \"""
                            delete
                              from timers where kind = 'RETRY'\""";
                    static final String OPS = "insert into operations values (1)";
                    static final String READ = "select * from executions where status = 'RUNNING'";
                    static final String WORKERS = "update workers set status = 'LIVE'";
                }
                """);

        assertThat(LedgerWrites.outside(root, LEDGER, Set.of())).containsExactly(
                "dev/cairn/orchestrator/timer/Sneaky.java:3: UPDATE executions",
                "dev/cairn/orchestrator/timer/Sneaky.java:5: Insert Into history_events",
                "dev/cairn/orchestrator/timer/Sneaky.java:7: delete from timers",
                "dev/cairn/orchestrator/timer/Sneaky.java:9: insert into operations");
    }

    private static void write(Path root, String file, String text) throws IOException {
        Path path = root.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, text);
    }
}
