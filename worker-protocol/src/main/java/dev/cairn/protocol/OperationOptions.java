package dev.cairn.protocol;

import java.time.Duration;

/**
 * What the START of a CALLBACK or a CHAINED_INVOKE carries beyond the common fields of an {@link OperationUpdate}.
 *
 * @param callbackId CALLBACK: the callback's id, made by the worker from at least 128 random bits (it reveals
 *     nothing about the execution)
 * @param timeout CALLBACK: how long the callback may stay open (null = forever); CHAINED_INVOKE: the child
 *     execution's timeout (null = none)
 * @param heartbeatTimeout CALLBACK: the longest gap between heartbeats (null = no heartbeat needed)
 * @param workflow CHAINED_INVOKE: the workflow to start as a child execution
 * @param version CHAINED_INVOKE: its version (null = the current version)
 */
public record OperationOptions(String callbackId, Duration timeout, Duration heartbeatTimeout, String workflow,
        String version) {

    public static OperationOptions callback(String callbackId, Duration timeout, Duration heartbeatTimeout) {
        return new OperationOptions(callbackId, timeout, heartbeatTimeout, null, null);
    }

    public static OperationOptions invoke(String workflow, String version, Duration timeout) {
        return new OperationOptions(null, timeout, null, workflow, version);
    }
}
