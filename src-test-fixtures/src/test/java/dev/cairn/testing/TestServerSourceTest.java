package dev.cairn.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class TestServerSourceTest {

    private static final BooleanSupplier DOCKER_ANSWERS = () -> true;
    private static final BooleanSupplier NO_DOCKER = () -> false;
    private static final BooleanSupplier MUST_NOT_PROBE = () -> {
        throw new AssertionError("Docker probed although CAIRN_TEST_JDBC_URL is set");
    };

    @Test
    void aConfiguredUrlWinsWithoutAskingDocker() {
        Map<String, String> env = Map.of("CAIRN_TEST_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/test");

        assertThat(TestServerSource.choose(env::get, MUST_NOT_PROBE)).isEqualTo(TestServerSource.CONFIGURED);
    }

    @Test
    void withoutAUrlADockerEngineThatAnswersGetsAContainer() {
        assertThat(TestServerSource.choose(Map.<String, String>of()::get, DOCKER_ANSWERS))
                .isEqualTo(TestServerSource.CONTAINER);
    }

    @Test
    void withoutAUrlOrDockerTheServerIsEmbedded() {
        assertThat(TestServerSource.choose(Map.<String, String>of()::get, NO_DOCKER))
                .isEqualTo(TestServerSource.EMBEDDED);
    }

    @Test
    void aBlankUrlCountsAsUnset() {
        Map<String, String> env = Map.of("CAIRN_TEST_JDBC_URL", "  ");

        assertThat(TestServerSource.choose(env::get, NO_DOCKER)).isEqualTo(TestServerSource.EMBEDDED);
    }
}
