package dev.cairn.worker.replay;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.cairn.api.DurableContext;
import dev.cairn.api.DurableHandler;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ReplayAwareLoggerTest {

    private final EngineHarness harness = new EngineHarness();
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger workflowLogger = (Logger) LoggerFactory.getLogger(LoggingWorkflow.class);

    /** Logs around a step and a wait. */
    static final class LoggingWorkflow implements DurableHandler<Void, String> {
        @Override
        public String handle(Void input, DurableContext ctx) {
            ctx.logger().info("before {}", "step");
            ctx.step("charge", String.class, step -> {
                step.logger().info("charging, attempt {}", step.attempt());
                return "ok";
            });
            ctx.logger().info("between");
            ctx.wait("cool-off", Duration.ofMinutes(1));
            ctx.logger().info("after");
            return "done";
        }
    }

    @BeforeEach
    void attach() {
        appender.start();
        workflowLogger.addAppender(appender);
    }

    @AfterEach
    void detach() throws InterruptedException {
        workflowLogger.detachAppender(appender);
        harness.close();
    }

    @Test
    void isSilentWhileReplayingAndLogsWhatRunsForTheFirstTime() {
        harness.invoke(new LoggingWorkflow());
        harness.orchestrator.fireTimers();
        harness.invoke(new LoggingWorkflow());

        assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly("before step", "charging, attempt 1", "between", "after");
    }

    @Test
    void setsTheExecutionOperationAndAttemptInTheMdc() {
        harness.invoke(new LoggingWorkflow());

        Map<String, String> stepMdc = appender.list.get(1).getMDCPropertyMap();
        assertThat(stepMdc).containsEntry(MdcKeys.EXECUTION_ID, "exec-1")
                .containsEntry(MdcKeys.OPERATION_ID, "1")
                .containsEntry(MdcKeys.ATTEMPT, "1");
        Map<String, String> betweenMdc = appender.list.get(2).getMDCPropertyMap();
        assertThat(betweenMdc).containsEntry(MdcKeys.EXECUTION_ID, "exec-1")
                .containsEntry(MdcKeys.OPERATION_ID, "1")
                .doesNotContainKey(MdcKeys.ATTEMPT);
        assertThat(org.slf4j.MDC.get(MdcKeys.EXECUTION_ID)).isNull();
    }
}
