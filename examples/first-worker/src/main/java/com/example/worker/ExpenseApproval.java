package com.example.worker;

import dev.cairn.api.CallbackConfig;
import dev.cairn.api.DurableContext;
import dev.cairn.api.DurableHandler;
import dev.cairn.api.DurableWorkflow;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.UUID;

/** Registers an expense, waits a little, then waits for a manager's answer delivered as a callback. */
@DurableWorkflow(name = "expense-approval")
public class ExpenseApproval implements DurableHandler<ExpenseApproval.Expense, ExpenseApproval.Decision> {

    public record Expense(String employee, BigDecimal amount) {
    }

    /** What the manager posts to {@code /v1/callbacks/{callbackId}/succeed}. */
    public record Approval(boolean approved, String approvedBy) {
    }

    public record Decision(String expenseId, boolean approved, String approvedBy) {
    }

    @Override
    public Decision handle(Expense expense, DurableContext ctx) {
        // A step: runs once, its result is recorded; a replay returns the recorded id instead of making another.
        String expenseId = ctx.step("register-expense", String.class,
                step -> "EXP-" + UUID.randomUUID().toString().substring(0, 8));

        // A durable wait: the invocation suspends and no thread is held for these 5 seconds.
        ctx.wait("cool-off", Duration.ofSeconds(5));

        // A callback: the submitter hands out its id; the workflow resumes when someone completes it.
        Approval approval = ctx.waitForCallback("manager-approval", Approval.class,
                (callbackId, step) -> step.logger().info("Expense {} of {} for {} awaits approval: callback {}",
                        expenseId, expense.amount(), expense.employee(), callbackId),
                CallbackConfig.defaults().withTimeout(Duration.ofDays(7)));

        return new Decision(expenseId, approval.approved(), approval.approvedBy());
    }
}
