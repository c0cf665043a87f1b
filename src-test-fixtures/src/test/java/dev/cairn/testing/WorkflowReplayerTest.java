package dev.cairn.testing;

import static dev.cairn.testing.CairnAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.DurableContext;
import dev.cairn.api.DurableHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkflowReplayerTest {

    static final AtomicInteger BODIES = new AtomicInteger();

    static final class Original implements DurableHandler<String, String> {
        @Override
        public String handle(String in, DurableContext ctx) {
            String a = ctx.step("reserve", String.class, s -> in + "-r");
            ctx.wait("settle", Duration.ofMinutes(5));
            String b = ctx.step("charge", String.class, s -> a + "-c");
            return ctx.step("ship", String.class, s -> b + "-s");
        }
    }

    static final class Renamed implements DurableHandler<String, String> {
        @Override
        public String handle(String in, DurableContext ctx) {
            String a = ctx.step("reserve", String.class, s -> count(in + "-r"));
            ctx.wait("settle", Duration.ofMinutes(5));
            String b = ctx.step("bill", String.class, s -> count(a + "-c"));
            return ctx.step("ship", String.class, s -> count(b + "-s"));
        }
    }

    static final class LastRemoved implements DurableHandler<String, String> {
        @Override
        public String handle(String in, DurableContext ctx) {
            String a = ctx.step("reserve", String.class, s -> count(in + "-r"));
            ctx.wait("settle", Duration.ofMinutes(5));
            return ctx.step("charge", String.class, s -> count(a + "-c"));
        }
    }

    static final class Reordered implements DurableHandler<String, String> {
        @Override
        public String handle(String in, DurableContext ctx) {
            String a = ctx.step("reserve", String.class, s -> count(in + "-r"));
            ctx.wait("settle", Duration.ofMinutes(5));
            String s2 = ctx.step("ship", String.class, s -> count(a + "-s"));
            return ctx.step("charge", String.class, s -> count(s2 + "-c"));
        }
    }

    static final class Added implements DurableHandler<String, String> {
        @Override
        public String handle(String in, DurableContext ctx) {
            String r = new Original().handle(in, ctx);
            return ctx.step("notify", String.class, s -> count(r));
        }
    }

    private static String count(String value) {
        BODIES.incrementAndGet();
        return value;
    }

    private static Recording recorded() {
        try (var runner = LocalDurableTestRunner.create(new Original())) {
            return Recording.of(runner.run("o1"));
        }
    }

    @Test
    void passesAnUnchangedWorkflow() {
        ReplayReport report = WorkflowReplayer.replay(recorded().toJson(), new Original());
        assertThat(report).isDeterministic();
        assertThat(report.replayedOperations()).isEqualTo(4);
    }

    @Test
    void catchesARenamedStep() {
        int before = BODIES.get();
        ReplayReport report = WorkflowReplayer.replay(recorded(), new Renamed());
        assertThat(report).divergesAt("3");
        assertThat(report.divergence().recorded()).isEqualTo("STEP/Step 'charge'");
        assertThat(report.divergence().requested()).isEqualTo("STEP/Step 'bill'");
        assertThat(BODIES.get()).isEqualTo(before);
    }

    @Test
    void catchesARemovedLastStep() {
        ReplayReport report = WorkflowReplayer.replay(recorded(), new LastRemoved());
        assertThat(report).divergesAt("4");
        assertThat(report.divergence().requested()).isEqualTo("nothing");
    }

    @Test
    void catchesAReorderedStep() {
        assertThat(WorkflowReplayer.replay(recorded(), new Reordered())).divergesAt("3");
    }

    @Test
    void catchesAnAddedStepOnlyWhenTheRecordedExecutionHadEnded() {
        int before = BODIES.get();
        assertThat(WorkflowReplayer.replay(recorded(), new Added())).divergesAt("5");
        assertThat(WorkflowReplayer.replay(recorded().withStatus(null), new Added())).isDeterministic();
        assertThat(BODIES.get()).isEqualTo(before);
    }

    @Test
    void readsTheOperationsAnswerOfTheRestApiFromAFile(@TempDir Path dir) throws Exception {
        String json = recorded().toJson();
        String operationsOnly = json.substring(json.indexOf("\"operations\"") + "\"operations\"".length());
        operationsOnly = operationsOnly.substring(operationsOnly.indexOf('{'), operationsOnly.lastIndexOf('}'));
        Path file = Files.writeString(dir.resolve("ops.json"), operationsOnly);
        Recording recording = Recording.read(file);
        assertThat(recording.operations()).hasSize(4);
        assertThat(recording.status()).isNull();
        assertThat(WorkflowReplayer.replay(recording.withInputJson("\"o1\""), new Original())).isDeterministic();
        assertThat(WorkflowReplayer.replay(file, new Renamed())).divergesAt("3");
    }
}
