package dev.cairn.orchestrator.ledger;

/**
 * The lock order of the ledger's statements (an execution before its children, see the module README "Lock
 * order"), where one statement must lock a row before another.
 */
final class LockOrder {

    private LockOrder() {
    }

    /**
     * A condition, always true, that makes the rows it filters wait for the CTE {@code cte} to have run: a CTE
     * that locks rows (a parent's, say) is thereby locked before the rows of the {@code UPDATE} it is part of (its
     * child's). PostgreSQL evaluates a CTE's rows when they are first read, so the count is what orders the locks.
     */
    static String after(String cte) {
        return "(select count(*) from " + cte + ") >= 0";
    }
}
