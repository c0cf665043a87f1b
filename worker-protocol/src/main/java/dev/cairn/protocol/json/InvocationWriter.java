package dev.cairn.protocol.json;

import dev.cairn.api.ErrorInfo;
import dev.cairn.protocol.DispatchBatch;
import dev.cairn.protocol.Invocation;
import dev.cairn.protocol.OperationRecord;
import java.time.Instant;
import tools.jackson.core.JsonGenerator;

/**
 * Writes an {@link Invocation} token by token: every field under its record component's name, a null one left
 * out, timestamps by {@link IsoInstants#format}.
 */
final class InvocationWriter {

    private InvocationWriter() {
    }

    /** {@code {"invocations":[...]}}, each invocation as {@link #write} writes it. */
    static void batch(DispatchBatch batch, JsonGenerator g) {
        g.writeStartObject();
        g.writeName(DispatchBatch.INVOCATIONS);
        g.writeStartArray();
        for (Invocation invocation : batch.invocations()) {
            write(invocation, g);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    static void write(Invocation invocation, JsonGenerator g) {
        g.writeStartObject();
        string(g, InvocationFields.EXECUTION_ID, invocation.executionId());
        string(g, InvocationFields.INVOCATION_TOKEN, invocation.invocationToken());
        string(g, InvocationFields.WORKFLOW, invocation.workflow());
        string(g, InvocationFields.VERSION, invocation.version());
        string(g, InvocationFields.INPUT, invocation.input());
        instant(g, InvocationFields.EXECUTION_STARTED_AT, invocation.executionStartedAt());
        g.writeName(InvocationFields.OPERATIONS);
        g.writeStartArray();
        for (OperationRecord operation : invocation.operations()) {
            operation(g, operation);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void operation(JsonGenerator g, OperationRecord o) {
        g.writeStartObject();
        string(g, OperationFields.ID, o.id());
        string(g, OperationFields.PARENT_ID, o.parentId());
        if (o.type() != null) {
            g.writeStringProperty(OperationFields.TYPE, o.type().name());
        }
        string(g, OperationFields.SUB_TYPE, o.subType());
        string(g, OperationFields.NAME, o.name());
        if (o.status() != null) {
            g.writeStringProperty(OperationFields.STATUS, o.status().name());
        }
        if (o.attempt() != null) {
            g.writeNumberProperty(OperationFields.ATTEMPT, o.attempt());
        }
        instant(g, OperationFields.STARTED_AT, o.startedAt());
        instant(g, OperationFields.ENDED_AT, o.endedAt());
        string(g, OperationFields.RESULT, o.result());
        ErrorInfo error = o.error();
        if (error != null) {
            g.writeName(OperationFields.ERROR);
            g.writeStartObject();
            string(g, ErrorFields.TYPE, error.type());
            string(g, ErrorFields.MESSAGE, error.message());
            string(g, ErrorFields.DATA, error.data());
            g.writeEndObject();
        }
        instant(g, OperationFields.SCHEDULED_END_AT, o.scheduledEndAt());
        instant(g, OperationFields.NEXT_ATTEMPT_AT, o.nextAttemptAt());
        string(g, OperationFields.CALLBACK_ID, o.callbackId());
        string(g, OperationFields.CHILD_EXECUTION_ID, o.childExecutionId());
        g.writeEndObject();
    }

    private static void string(JsonGenerator g, String name, String value) {
        if (value != null) {
            g.writeStringProperty(name, value);
        }
    }

    private static void instant(JsonGenerator g, String name, Instant value) {
        if (value != null) {
            g.writeStringProperty(name, IsoInstants.format(value));
        }
    }
}
