package dev.cairn.orchestrator.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SqlTypesTest {

    @Test
    void theTextOfAnInstantIsWhatInstantToStringWritesWhichPostgresqlReadsAsTheSameTimestamp() {
        for (Instant instant : List.of(Instant.EPOCH, Instant.parse("2026-12-07T17:30:00Z"),
                Instant.parse("2026-12-07T17:30:00.123Z"), Instant.parse("2026-12-07T17:30:00.123456Z"),
                Instant.parse("2024-02-29T23:59:59.999999999Z"), Instant.parse("+12026-01-01T00:00:00Z"),
                Instant.parse("1969-12-31T23:59:59.5Z"))) {
            assertThat(SqlTypes.text(instant)).isEqualTo(instant.toString());
        }
        assertThat(SqlTypes.text(null)).isNull();
    }
}
