package com.example.worker;

import static dev.cairn.testing.CairnAssertions.assertThat;

import com.example.worker.ExpenseApproval.Approval;
import com.example.worker.ExpenseApproval.Decision;
import com.example.worker.ExpenseApproval.Expense;
import dev.cairn.testing.LocalDurableTestRunner;
import dev.cairn.testing.TestResult;
import dev.cairn.testing.spring.CairnWorkflowTest;
import dev.cairn.testing.spring.WorkflowTestRunners;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The workflow in process, on virtual time: the 5-second wait takes no time, no orchestrator is needed. */
@CairnWorkflowTest
class ExpenseApprovalTest {

    @Autowired
    WorkflowTestRunners runners;

    @Test
    void waitsForTheManagerThenRecordsTheDecision() {
        LocalDurableTestRunner<Expense, Decision> runner = runners.runner(ExpenseApproval.class);

        TestResult<Decision> waiting = runner.run(new Expense("ada", new BigDecimal("42.00")));
        assertThat(waiting).isRunning().operation("cool-off").succeeded();

        runner.completeCallback("manager-approval", new Approval(true, "grace"));
        TestResult<Decision> done = runner.resume();

        assertThat(done).succeeded().operation("register-expense").succeeded().hasAttempts(1);
        org.assertj.core.api.Assertions.assertThat(done.result().approved()).isTrue();
        org.assertj.core.api.Assertions.assertThat(done.result().approvedBy()).isEqualTo("grace");
        org.assertj.core.api.Assertions.assertThat(done.result().expenseId()).startsWith("EXP-");
    }
}
