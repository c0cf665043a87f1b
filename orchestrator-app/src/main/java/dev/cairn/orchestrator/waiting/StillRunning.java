package dev.cairn.orchestrator.waiting;

import dev.cairn.orchestrator.sql.SqlTypes;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Which of some executions are still RUNNING (the others closed, or are gone): one indexed read. */
@Component
class StillRunning {

    private static final String RUNNING = """
            select execution_id from executions
             where execution_id = any(cast(cast(:ids as text[]) as uuid[])) and status = 'RUNNING'""";

    private final JdbcClient jdbc;

    StillRunning(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Set<UUID> among(Collection<UUID> ids) {
        List<String> texts = ids.stream().map(UUID::toString).toList();
        return new HashSet<>(jdbc.sql(RUNNING).param("ids", SqlTypes.textArray(texts)).query(UUID.class).list());
    }
}
