package dev.cairn.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LifecycleTest {

    private static final Set<OperationType> OPERATION_TYPES = EnumSet.complementOf(EnumSet.of(OperationType.EXECUTION));

    @Test
    void everyActionTheProtocolAllowsHasExactlyOneTransitionForEverySubtype() {
        for (OperationType type : OperationType.values()) {
            for (OperationAction action : OperationAction.values()) {
                boolean allowed = type != OperationType.EXECUTION && switch (action) {
                    case START, SUCCEED, FAIL -> true;
                    case RETRY, CONTINUE -> type == OperationType.STEP;
                    case CANCEL -> type == OperationType.CONTEXT;
                };
                long general = Lifecycle.transitions().stream()
                        .filter(t -> t.type() == type && t.cause() == Cause.of(action) && t.subType() == null)
                        .count();
                assertThat(general).as("%s %s", type, action).isEqualTo(allowed ? 1 : 0);
                assertThat(Lifecycle.allows(type, action)).as("%s %s", type, action).isEqualTo(allowed);
            }
        }
    }

    @Test
    void noTwoTransitionsShareTypeSubtypeAndCause() {
        Set<List<Object>> keys = new HashSet<>();
        for (Transition t : Lifecycle.transitions()) {
            assertThat(keys.add(java.util.Arrays.asList(t.type(), t.subType(), t.cause()))).as(t.toString()).isTrue();
        }
    }

    @Test
    void everyNextStatusIsReachableByTheForwardRule() {
        for (Transition t : Lifecycle.transitions()) {
            boolean reachable;
            if (t.requires() != null) {
                reachable = t.requires().movesTo(t.next(), 1, 1);
            } else {
                reachable = false;
                for (OperationStatus from : OperationStatus.values()) {
                    reachable |= from.movesTo(t.next(), 1, 1) || from.movesTo(t.next(), 1, 2);
                }
            }
            assertThat(reachable).as(t.toString()).isTrue();
        }
    }

    @Test
    void theOrchestratorsOwnCausesNameTheStatusTheyApplyTo() {
        for (Transition t : Lifecycle.transitions()) {
            boolean sweeps = t.cause() == Cause.CONTEXT_CANCELLED || t.cause() == Cause.EXECUTION_STOPPED;
            boolean atOnce = t.cause() == Cause.INVOKE_TARGET_UNKNOWN;
            assertThat(t.requires() == null).as(t.toString())
                    .isEqualTo(t.cause().isWorkerAction() || sweeps || atOnce);
        }
    }

    @Test
    void everyEventIsNamedForItsOperationType() {
        for (Transition t : Lifecycle.transitions()) {
            assertThat(t.events()).as(t.toString()).allMatch(e -> e.startsWith(t.type().event("")));
        }
    }

    @Test
    void everyTimerAndEveryChildCloseHasATransition() {
        for (TimerKind kind : TimerKind.values()) {
            if (kind != TimerKind.EXECUTION_TIMEOUT) {
                assertThat(Lifecycle.transitions()).anyMatch(t -> t.cause() == Cause.timerDue(kind));
            }
        }
        for (ExecutionStatus closed : EnumSet.complementOf(EnumSet.of(ExecutionStatus.RUNNING))) {
            Transition t = Lifecycle.of(OperationType.CHAINED_INVOKE, "ChainedInvoke", Cause.childClosed(closed));
            assertThat(t.next()).isEqualTo(closed.asChainedInvoke());
            assertThat(t.wake()).isEqualTo(Wake.EXECUTION);
        }
    }

    @Test
    void aContextCancelledOrAnExecutionStoppedTakesEveryTypeOfOpenOperation() {
        for (OperationType type : OPERATION_TYPES) {
            assertThat(Lifecycle.of(type, null, Cause.CONTEXT_CANCELLED).next()).isEqualTo(OperationStatus.CANCELLED);
            assertThat(Lifecycle.of(type, null, Cause.EXECUTION_STOPPED).next()).isIn(OperationStatus.CANCELLED,
                    OperationStatus.STOPPED);
        }
    }

    @Test
    void aSubtypeWithoutRowsOfItsOwnFollowsItsType() {
        Transition general = Lifecycle.of(OperationType.STEP, null, Cause.SUCCEED);
        assertThat(Lifecycle.of(OperationType.STEP, "Step", Cause.SUCCEED)).isSameAs(general);
        assertThat(Lifecycle.of(OperationType.STEP, "AnyOf", Cause.SUCCEED)).isSameAs(general);
        assertThat(Lifecycle.of(OperationType.STEP, "FromANewerWorker", Cause.SUCCEED)).isSameAs(general);
        assertThat(Lifecycle.of(OperationType.STEP, "WaitForCondition", Cause.SUCCEED)).isNotSameAs(general);
        assertThatThrownBy(() -> Lifecycle.of(OperationType.WAIT, null, Cause.RETRY))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aConditionPollRecordsItsStartUnlessTheSameRequestStartedIt() {
        Transition poll = Lifecycle.of(OperationType.STEP, "WaitForCondition", Cause.SUCCEED);
        assertThat(poll.events(false)).containsExactly("StepStarted", "StepSucceeded");
        assertThat(poll.events(true)).containsExactly("StepSucceeded");
        Transition step = Lifecycle.of(OperationType.STEP, "Step", Cause.SUCCEED);
        assertThat(step.events(false)).containsExactly("StepSucceeded");
        assertThat(step.events(true)).containsExactly("StepSucceeded");
    }

    @Test
    void theEventsOfAChildsCloseRenderAsTheSqlCaseOfTheOrchestrator() {
        var events = Lifecycle.outcomeEvents(OperationType.CHAINED_INVOKE, List.of(Cause.CHILD_SUCCEEDED,
                Cause.CHILD_FAILED, Cause.CHILD_TIMED_OUT, Cause.CHILD_STOPPED));
        assertThat(Lifecycle.sqlCase("status", events)).isEqualTo("case status"
                + " when 'SUCCEEDED' then 'ChainedInvokeSucceeded' when 'FAILED' then 'ChainedInvokeFailed'"
                + " when 'TIMED_OUT' then 'ChainedInvokeTimedOut' when 'STOPPED' then 'ChainedInvokeStopped' end");
        assertThat(Lifecycle.sqlList(TimerEffect.ARM_CALLBACK.arms()))
                .isEqualTo("('CALLBACK_TIMEOUT', 'CALLBACK_HEARTBEAT')");
    }

    @Test
    void everyExecutionCauseHasOneTransitionAndEveryCloseRemovesAllTimers() {
        for (ExecutionCause cause : ExecutionCause.values()) {
            assertThat(Lifecycle.executionTransitions()).filteredOn(t -> t.cause() == cause).hasSize(1);
            ExecutionTransition t = Lifecycle.execution(cause);
            assertThat(t.timers() == TimerEffect.REMOVE_ALL).as(cause.name()).isEqualTo(t.closes());
        }
        assertThat(Lifecycle.execution(ExecutionCause.INVOCATION_SUCCEEDED).events())
                .containsExactly("InvocationCompleted", "ExecutionSucceeded");
    }

    @Test
    void eachTypeOwnsTheTimersItsTransitionsArm() {
        assertThat(Lifecycle.timerKinds(OperationType.WAIT)).containsExactly(TimerKind.WAIT);
        assertThat(Lifecycle.timerKinds(OperationType.STEP)).containsExactly(TimerKind.RETRY);
        assertThat(Lifecycle.timerKinds(OperationType.CALLBACK))
                .containsExactly(TimerKind.CALLBACK_TIMEOUT, TimerKind.CALLBACK_HEARTBEAT);
        assertThat(Lifecycle.timerKinds(OperationType.CONTEXT)).isEmpty();
    }
}
