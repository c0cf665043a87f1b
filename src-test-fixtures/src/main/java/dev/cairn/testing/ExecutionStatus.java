package dev.cairn.testing;

/**
 * An execution's status, as the orchestrator's REST API names it: the test kit's name for the protocol's
 * {@link dev.cairn.protocol.ExecutionStatus}, one constant for each of its constants (same names), so that workflow
 * tests need not import the protocol.
 */
public enum ExecutionStatus {
    RUNNING, SUCCEEDED, FAILED, TIMED_OUT, STOPPED;

    /** Whether the execution has ended for good. */
    public boolean isTerminal() {
        return protocol().isClosed();
    }

    /** The protocol's status of the same name. */
    public dev.cairn.protocol.ExecutionStatus protocol() {
        return dev.cairn.protocol.ExecutionStatus.valueOf(name());
    }

    /** The test kit's status for the protocol's {@code status}. */
    public static ExecutionStatus of(dev.cairn.protocol.ExecutionStatus status) {
        return valueOf(status.name());
    }
}
