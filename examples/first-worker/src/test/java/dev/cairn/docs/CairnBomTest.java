package dev.cairn.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** cairn-bom names every artifact a workflow author or operator may depend on, at the reactor's version. */
class CairnBomTest {

    static final Path ROOT = Path.of("../..");

    @Test
    void theBomListsEveryPublishedArtifactAtTheProjectVersion() throws IOException {
        String bom = Files.readString(ROOT.resolve("cairn-bom/pom.xml"));
        String parent = Files.readString(ROOT.resolve("pom.xml"));

        assertThat(all("<artifactId>([^<]+)</artifactId>\\s*<version>\\$\\{project.version}</version>", bom))
                .containsExactlyInAnyOrder("workflow-api", "worker-protocol", "worker-starter", "src-test-fixtures",
                        "src-test-postgres", "db-migrations", "orchestrator-app");
        assertThat(first("<artifactId>cairn-bom</artifactId>\\s*<version>([^<]+)</version>", bom))
                .isEqualTo(first("<artifactId>cairn-parent</artifactId>\\s*<version>([^<]+)</version>", parent));
        assertThat(all("<module>([^<]+)</module>", parent)).contains("cairn-bom", "workflow-api", "worker-protocol",
                "worker-starter", "src-test-fixtures", "src-test-postgres", "db-migrations", "orchestrator-app");
    }

    @Test
    void theFirstWorkerImportsTheBomAtTheProjectVersion() throws IOException {
        String bom = Files.readString(ROOT.resolve("cairn-bom/pom.xml"));
        String example = Files.readString(ROOT.resolve("examples/first-worker/pom.xml"));

        assertThat(first("<cairn.version>([^<]+)</cairn.version>", example))
                .isEqualTo(first("<artifactId>cairn-bom</artifactId>\\s*<version>([^<]+)</version>", bom));
    }

    private static List<String> all(String regex, String text) {
        Matcher m = Pattern.compile(regex).matcher(text);
        List<String> found = new ArrayList<>();
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    private static String first(String regex, String text) {
        List<String> found = all(regex, text);
        assertThat(found).as(regex).isNotEmpty();
        return found.get(0);
    }
}
