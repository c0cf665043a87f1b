package dev.cairn.orchestrator.ledger;

/** The lease an invocation holds on its execution, as the ledger's statements write it. */
final class LeaseSql {

    /**
     * The {@code SET} list that ends an execution's invocation: its token stops working (the worker's next call is
     * fenced), the lease and the worker are cleared.
     */
    static final String RELEASE = """
            invocation_token = null, lease_expires_at = null, worker_id = null, invocation_started_at = null""";

    private LeaseSql() {
    }
}
