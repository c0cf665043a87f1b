package dev.cairn.it;

import static org.assertj.core.api.Assertions.assertThat;

/** What try-it.sh of the first worker prints when its expense approval succeeded. */
final class ExpenseApprovalOutput {

    private ExpenseApprovalOutput() {
    }

    static void assertSucceeded(String output) {
        assertThat(output.lines()).as(output).contains("{}");
        assertThat(output).containsPattern("\"workflow\":\"expense-approval\",\"version\":\"1\",\"status\":\"SUCCEEDED\"")
                .containsPattern("\"result\":\\{\"expenseId\":\"EXP-[0-9a-f]{8}\",\"approved\":true,"
                        + "\"approvedBy\":\"grace\"}");
    }
}
