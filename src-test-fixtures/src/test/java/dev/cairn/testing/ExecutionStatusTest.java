package dev.cairn.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExecutionStatusTest {

    @Test
    void everyStatusIsTheProtocolsOfTheSameName() {
        for (dev.cairn.protocol.ExecutionStatus status : dev.cairn.protocol.ExecutionStatus.values()) {
            assertThat(ExecutionStatus.of(status).protocol()).isSameAs(status);
            assertThat(ExecutionStatus.of(status).isTerminal()).isEqualTo(status.isClosed());
        }
        assertThat(ExecutionStatus.values()).hasSameSizeAs(dev.cairn.protocol.ExecutionStatus.values());
    }
}
