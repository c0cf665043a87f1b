package dev.cairn.worker.replay;

/** The MDC keys the worker sets while workflow code logs, in one place. */
public final class MdcKeys {

    /** The execution's id. */
    public static final String EXECUTION_ID = "executionId";
    /** The id of the durable operation the log line is about. */
    public static final String OPERATION_ID = "operationId";
    /** The step attempt, from 1. */
    public static final String ATTEMPT = "attempt";

    private MdcKeys() {
    }
}
