package dev.cairn.protocol;

/** Operation types, as AWS Lambda durable functions name them. */
public enum OperationType {
    EXECUTION("Execution"),
    CONTEXT("Context"),
    STEP("Step"),
    WAIT("Wait"),
    CALLBACK("Callback"),
    CHAINED_INVOKE("ChainedInvoke");

    private final String eventPrefix;

    OperationType(String eventPrefix) {
        this.eventPrefix = eventPrefix;
    }

    /** The history event type for this operation type and a verb: {@code STEP.event("Succeeded")} is {@code StepSucceeded}. */
    public String event(String verb) {
        return eventPrefix + verb;
    }
}
