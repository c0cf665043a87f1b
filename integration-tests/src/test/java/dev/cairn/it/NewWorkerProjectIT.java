package dev.cairn.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.it.support.Orchestrators;
import dev.cairn.it.support.WorkerJar;
import dev.cairn.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The first hour of a workflow author, in one test: generate a worker project from the archetype, build it against
 * this build's artifacts (which runs its kit test), start its jar as a process of its own against an orchestrator,
 * and run its try-it.sh, which starts an execution through the API, completes its callback and waits until it has
 * succeeded.
 *
 * <p>Offline: the generated project's builds use the local repository that the archetype module's
 * {@code invoker:install} filled with this build's {@code cairn-bom}, {@code worker-starter},
 * {@code src-test-fixtures} and the archetype itself (the reactor builds that module first), and take everything else
 * from the main build's local repository as their only (mirrored) remote repository.
 */
class NewWorkerProjectIT {

    private static final Path ARCHETYPE_REPOSITORY = Path.of("../cairn-worker-archetype/target/it-repository")
            .toAbsolutePath().normalize();
    private static final String VERSION = System.getProperty("cairn.version");

    @TempDir
    Path work;

    @Test
    void aWorkerGeneratedFromTheArchetypeBuildsRunsAndCompletesAnExecution() throws Exception {
        assertThat(ARCHETYPE_REPOSITORY.resolve("dev/cairn/cairn-worker-archetype/" + VERSION))
                .as("the archetype's test repository: the reactor fills it in cairn-worker-archetype's verify before"
                        + " this module (alone: ./mvnw -pl cairn-worker-archetype -am verify -Dtest=none"
                        + " -Dsurefire.failIfNoSpecifiedTests=false)")
                .isDirectory();
        Path settings = mirrorOfTheMainRepository();

        maven(work, settings, System.getProperty("cairn.archetypePlugin") + ":generate",
                "-DarchetypeGroupId=dev.cairn", "-DarchetypeArtifactId=cairn-worker-archetype",
                "-DarchetypeVersion=" + VERSION, "-DgroupId=org.acme", "-DartifactId=acme-worker",
                "-Dversion=1.0.0-SNAPSHOT", "-Dpackage=org.acme.workers", "-DinteractiveMode=false");
        Path project = work.resolve("acme-worker");
        assertThat(project.resolve("src/main/java/org/acme/workers/ExpenseApproval.java")).exists();

        String build = maven(project, settings, "package");
        assertThat(build).contains("Tests run: 1, Failures: 0, Errors: 0, Skipped: 0");
        assertThat(project.resolve("target/surefire-reports/TEST-org.acme.workers.ExpenseApprovalTest.xml")).exists();

        try (TestDatabase db = TestDatabase.create(NewWorkerProjectIT.class)) {
            ConfigurableApplicationContext orchestrator = Orchestrators.start(db, 0);
            try (orchestrator;
                    WorkerJar worker = WorkerJar.start(project.resolve("target/acme-worker-1.0.0-SNAPSHOT.jar"),
                            Orchestrators.url(orchestrator), "expense-approval")) {
                String output = worker.tryIt(project.resolve("try-it.sh"), Orchestrators.url(orchestrator));

                ExpenseApprovalOutput.assertSucceeded(output);
            }
        }
    }

    /** Settings whose only remote repository is the main build's local repository. */
    private Path mirrorOfTheMainRepository() throws IOException {
        String main = Path.of(System.getProperty("cairn.mainRepository")).toUri().toString();
        return Files.writeString(work.resolve("settings.xml"), """
                <settings>
                  <mirrors>
                    <mirror>
                      <id>main-build-local-repository</id>
                      <mirrorOf>*</mirrorOf>
                      <url>%s</url>
                    </mirror>
                  </mirrors>
                </settings>
                """.formatted(main));
    }

    /** Runs the Maven of this build in {@code dir}; fails unless it succeeds within 5 minutes. */
    private String maven(Path dir, Path settings, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("cairn.mavenHome"), "bin", "mvn").toString(), "-B", "-ntp",
                "-s", settings.toString(), "-Dmaven.repo.local=" + ARCHETYPE_REPOSITORY));
        command.addAll(List.of(arguments));
        Path log = Files.createTempFile(work, "maven-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process mvn = builder.start();
        boolean ended = mvn.waitFor(5, TimeUnit.MINUTES);
        if (!ended) {
            mvn.destroyForcibly();
        }
        String output = Files.readString(log);
        assertThat(ended && mvn.exitValue() == 0).as("%s in %s:%n%s", command, dir, output).isTrue();
        return output;
    }
}
