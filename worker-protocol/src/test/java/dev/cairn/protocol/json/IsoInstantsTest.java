package dev.cairn.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IsoInstantsTest {

    @Test
    void formatsInstantsExactlyAsInstantToString() {
        Random random = new Random(11);
        for (int i = 0; i < 50_000; i++) {
            long seconds = random.nextLong() % 400_000_000_000L;
            Instant instant = Instant.ofEpochSecond(seconds, nanos(random, i));
            assertThat(IsoInstants.format(instant)).isEqualTo(instant.toString());
        }
        for (Instant edge : List.of(Instant.EPOCH, Instant.parse("0000-01-01T00:00:00Z"),
                Instant.parse("0000-01-01T00:00:00Z").minusNanos(1), Instant.parse("9999-12-31T23:59:59.999999999Z"),
                Instant.parse("9999-12-31T23:59:59.999999999Z").plusNanos(1), Instant.parse("2024-02-29T12:00:00Z"),
                Instant.parse("2100-03-01T00:00:00.000001Z"), Instant.MIN, Instant.MAX)) {
            assertThat(IsoInstants.format(edge)).isEqualTo(edge.toString());
        }
    }

    @Test
    void parsesTheFormInstantWritesLikeInstantParseDoes() {
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            // 0000-01-01 to 9999-12-31
            long seconds = Math.floorMod(random.nextLong(), 62_167_219_200L + 253_402_300_800L) - 62_167_219_200L;
            Instant instant = Instant.ofEpochSecond(seconds, nanos(random, i));
            assertThat(IsoInstants.parse(instant.toString())).isEqualTo(instant);
        }
        assertThat(IsoInstants.parse("2026-01-31T23:59:59.000000001Z"))
                .isEqualTo(LocalDateTime.of(2026, 1, 31, 23, 59, 59, 1).toInstant(ZoneOffset.UTC));
    }

    private static int nanos(Random random, int i) {
        return switch (i % 4) {
            case 0 -> 0;
            case 1 -> random.nextInt(1_000) * 1_000_000;
            case 2 -> random.nextInt(1_000_000) * 1_000;
            default -> random.nextInt(1_000_000_000);
        };
    }
}
