package dev.cairn.protocol.json;

import dev.cairn.protocol.OperationRecord;

/**
 * The JSON names of an {@link OperationRecord}'s fields: its record components' names, in their order
 * ({@code ProtocolFieldsTest} fails when a component is renamed, added or removed without its constant).
 */
public final class OperationFields {

    public static final String ID = "id";
    public static final String PARENT_ID = "parentId";
    public static final String TYPE = "type";
    public static final String SUB_TYPE = "subType";
    public static final String NAME = "name";
    public static final String STATUS = "status";
    public static final String ATTEMPT = "attempt";
    public static final String STARTED_AT = "startedAt";
    public static final String ENDED_AT = "endedAt";
    public static final String RESULT = "result";
    public static final String ERROR = "error";
    public static final String SCHEDULED_END_AT = "scheduledEndAt";
    public static final String NEXT_ATTEMPT_AT = "nextAttemptAt";
    public static final String CALLBACK_ID = "callbackId";
    public static final String CHILD_EXECUTION_ID = "childExecutionId";

    private OperationFields() {
    }
}
