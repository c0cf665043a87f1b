package dev.cairn.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's lifecycle tables are the {@link Lifecycle} rendered. After changing the table, regenerate them with
 * {@code ./mvnw -o -q -pl worker-protocol -am test -Dtest=ReadmeLifecycleTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dlifecycle.write=true}.
 */
class ReadmeLifecycleTest {

    private static final Path README = Path.of("README.md");

    @Test
    void theReadmeTablesAreTheLifecycleRendered() throws IOException {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        if (Boolean.getBoolean("lifecycle.write")) {
            readme = LifecycleMarkdown.render(readme);
            Files.writeString(README, readme, StandardCharsets.UTF_8);
        }
        for (String block : LifecycleMarkdown.BLOCKS) {
            assertThat(LifecycleMarkdown.between(readme, block))
                    .as("README block %s (regenerate with -Dlifecycle.write=true)", block)
                    .isEqualTo(LifecycleMarkdown.block(block));
        }
    }
}
