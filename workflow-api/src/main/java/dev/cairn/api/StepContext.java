package dev.cairn.api;

import org.slf4j.Logger;

/** What a step body knows about its own run. */
public interface StepContext {

    /** The attempt number, starting at 1. */
    int attempt();

    /** The step's operation id. */
    String operationId();

    /** A logger whose MDC carries the execution id, operation id and attempt. */
    Logger logger();
}
