package dev.cairn.protocol.json;

import dev.cairn.protocol.Invocation;

/**
 * The JSON names of an {@link Invocation}'s fields: its record components' names, in their order
 * ({@code ProtocolFieldsTest} fails when a component is renamed, added or removed without its constant).
 */
public final class InvocationFields {

    public static final String EXECUTION_ID = "executionId";
    public static final String INVOCATION_TOKEN = "invocationToken";
    public static final String WORKFLOW = "workflow";
    public static final String VERSION = "version";
    public static final String INPUT = "input";
    public static final String OPERATIONS = "operations";
    public static final String EXECUTION_STARTED_AT = "executionStartedAt";

    private InvocationFields() {
    }
}
