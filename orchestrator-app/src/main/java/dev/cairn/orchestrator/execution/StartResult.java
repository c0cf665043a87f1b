package dev.cairn.orchestrator.execution;

/**
 * What a start did.
 *
 * @param created false when an execution of that name and input already existed
 */
public record StartResult(ExecutionView execution, boolean created) {
}
