package dev.cairn.docs;

import static dev.cairn.testing.CairnAssertions.assertThat;

import com.example.worker.ExpenseApproval;
import com.example.worker.ExpenseApproval.Decision;
import com.example.worker.ExpenseApproval.Expense;
import dev.cairn.api.CallbackTimeoutException;
import dev.cairn.api.DurableWorkflow;
import dev.cairn.testing.LocalDurableTestRunner;
import dev.cairn.testing.Recording;
import dev.cairn.testing.TestResult;
import dev.cairn.testing.WorkflowReplayer;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** The test kit's examples of docs/reference.md, run (ReferenceDocTest keeps the page equal to them). */
class KitExamplesTest {

    @Test
    void anUnansweredApprovalTimesOut() {
        // snippet:start kit-runner
        try (var runner = LocalDurableTestRunner.create(new ExpenseApproval())) {
            runner.run(new Expense("ada", new BigDecimal("12.00")));     // stops at the open callback
            runner.timeoutCallback("manager-approval");                  // as if nobody answered for 7 days
            TestResult<Decision> result = runner.resume();

            assertThat(result).failed().hasErrorType(CallbackTimeoutException.class);
        }
        // snippet:end kit-runner
    }

    @Test
    void aRecordingReplaysDeterministically() {
        try (var runner = LocalDurableTestRunner.create(new ExpenseApproval())) {
            runner.run(new Expense("ada", new BigDecimal("12.00")));
            runner.completeCallback("manager-approval", new ExpenseApproval.Approval(true, "grace"));
            TestResult<Decision> result = runner.resume();
            // snippet:start kit-replayer
            Recording recording = Recording.of(result);     // or Recording.read(path), Recording.fetch(url, id, token)
            WorkflowReplayer.replay(recording, new ExpenseApproval()).assertDeterministic();
            // snippet:end kit-replayer
        }
    }

    @Test
    void theReplayerNamesTheFirstOperationTheNewCodeDoesDifferently() {
        try (var runner = LocalDurableTestRunner.create(new ExpenseApproval())) {
            runner.run(new Expense("ada", new BigDecimal("12.00")));
            runner.completeCallback("manager-approval", new ExpenseApproval.Approval(true, "grace"));
            Recording recording = Recording.of(runner.resume());

            assertThat(WorkflowReplayer.replay(recording, new WithoutCoolOff())).divergesAt("2");
        }
    }

    /** The workflow with its wait removed: replaying a recording of the original must fail at operation 2. */
    @DurableWorkflow(name = "expense-approval")
    static class WithoutCoolOff extends ExpenseApproval {
        @Override
        public Decision handle(Expense expense, dev.cairn.api.DurableContext ctx) {
            String id = ctx.step("register-expense", String.class, step -> "EXP-1");
            Approval approval = ctx.waitForCallback("manager-approval", Approval.class, (callbackId, step) -> { });
            return new Decision(id, approval.approved(), approval.approvedBy());
        }
    }
}
