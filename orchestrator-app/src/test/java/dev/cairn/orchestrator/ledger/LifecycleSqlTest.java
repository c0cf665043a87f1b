package dev.cairn.orchestrator.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.protocol.Cause;
import dev.cairn.protocol.OperationType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ledger's statements carry the lifecycle table's statuses, events and timer kinds, rendered at class load. */
class LifecycleSqlTest {

    private static final List<String> STATEMENTS = List.of(ExecutionStatements.START, ClaimStatements.CLAIM,
            ClaimStatements.CLAIM_FOR_WORKERS, ClaimStatements.RELEASE, TimerStatements.FIRE,
            CallbackStatements.COMPLETE, CallbackStatements.HEARTBEAT, StopStatements.LOCK,
            StopStatements.LOCK_CHILDREN, StopStatements.STOP, LeaseStatements.REAP, LeaseStatements.WORKER_HEARTBEAT,
            RetentionStatements.DELETE_EXPIRED, CheckpointStatements.CHECKPOINT, CheckpointStatements.LEAN_CHECKPOINT,
            CheckpointStatements.LEAN_CHECKPOINTS, CompletionStatements.COMPLETE, CompletionStatements.LEAN_COMPLETIONS);

    @Test
    void everyStatementIsRenderedWhole() {
        assertThat(STATEMENTS).allSatisfy(sql -> assertThat(sql).doesNotContain("${", "<SKIP_PARENTS>",
                "<READY_PARENTS>"));
    }

    @Test
    void aTimerFiringWritesWhatTheTableSays() {
        assertThat(TimerStatements.FIRE)
                .contains("update operations o set status = 'SUCCEEDED'", "o.status = 'STARTED'", "'WaitSucceeded'")
                .contains("update operations o set status = 'READY'", "o.status = 'PENDING'")
                .contains("'CallbackTimedOut'", "when 'CALLBACK_HEARTBEAT' then 'HEARTBEAT_TIMEOUT'")
                .contains("set status = 'TIMED_OUT'", "'ExecutionTimedOut'", "where kind = 'EXECUTION_TIMEOUT'");
    }

    @Test
    void aStopCancelsWaitsAndCallbacksAndStopsTheRest() {
        assertThat(LifecycleSql.nextByType("o.type", Cause.EXECUTION_STOPPED)).isEqualTo("case o.type"
                + " when 'STEP' then 'STOPPED' when 'WAIT' then 'CANCELLED' when 'CALLBACK' then 'CANCELLED'"
                + " when 'CONTEXT' then 'STOPPED' when 'CHAINED_INVOKE' then 'STOPPED' end");
        assertThat(LifecycleSql.typesWithEvent(Cause.EXECUTION_STOPPED)).isEqualTo("('WAIT', 'CHAINED_INVOKE')");
        assertThat(StopStatements.STOP).contains("'ExecutionStopped'", "o.status in ('STARTED', 'PENDING', 'READY')");
    }

    @Test
    void aChildsCloseGivesItsParentsOperationItsStatusAndEvent() {
        assertThat(LifecycleSql.childClosed("c.status", true)).isEqualTo("case c.status"
                + " when 'SUCCEEDED' then 'ChainedInvokeSucceeded' when 'FAILED' then 'ChainedInvokeFailed'"
                + " when 'TIMED_OUT' then 'ChainedInvokeTimedOut' when 'STOPPED' then 'ChainedInvokeStopped' end");
        assertThat(LifecycleSql.childClosed("c.status", false)).isEqualTo("case c.status"
                + " when 'SUCCEEDED' then 'SUCCEEDED' when 'FAILED' then 'FAILED' when 'TIMED_OUT' then 'TIMED_OUT'"
                + " when 'STOPPED' then 'STOPPED' end");
    }

    @Test
    void aCancelledContextCancelsWhatItHolds() {
        assertThat(LifecycleSql.uniformNext(Cause.CONTEXT_CANCELLED)).isEqualTo("'CANCELLED'");
        assertThatThrownBy(() -> LifecycleSql.uniformNext(Cause.EXECUTION_STOPPED))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aCallbackRequestActsOnAStartedCallback() {
        assertThat(LifecycleSql.requires(OperationType.CALLBACK, Cause.CALLBACK_SUCCEEDED)).isEqualTo("'STARTED'");
        assertThat(CallbackStatements.COMPLETE).contains("x.kind in ('CALLBACK_TIMEOUT', 'CALLBACK_HEARTBEAT')");
    }

    @Test
    void fillRefusesAPlaceholderWithoutValueAndAValueWithoutPlaceholder() {
        assertThat(LifecycleSql.fill("a = ${A}", Map.of("A", "'x'"))).isEqualTo("a = 'x'");
        assertThatThrownBy(() -> LifecycleSql.fill("a = ${A} and ${B}", Map.of("A", "1")))
                .hasMessageContaining("${B}");
        assertThatThrownBy(() -> LifecycleSql.fill("a = 1", Map.of("A", "1"))).hasMessageContaining("${A}");
    }
}
