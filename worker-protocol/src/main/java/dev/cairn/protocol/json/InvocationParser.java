package dev.cairn.protocol.json;

import static dev.cairn.protocol.json.TokenValues.expect;
import static dev.cairn.protocol.json.TokenValues.instant;
import static dev.cairn.protocol.json.TokenValues.integer;
import static dev.cairn.protocol.json.TokenValues.skip;
import static dev.cairn.protocol.json.TokenValues.text;

import dev.cairn.api.ErrorInfo;
import dev.cairn.protocol.DispatchBatch;
import dev.cairn.protocol.Invocation;
import dev.cairn.protocol.OperationRecord;
import dev.cairn.protocol.OperationStatus;
import dev.cairn.protocol.OperationType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.StreamReadException;

/**
 * Reads an {@link Invocation} token by token: fields in any order under their record components' names, absent or
 * {@code null} ones as null (an absent {@code operations} as none), unknown ones skipped, values as
 * {@link TokenValues} takes them.
 */
final class InvocationParser {

    private InvocationParser() {
    }

    /** The document in {@code p}: an invocation, or null for the JSON {@code null}; nothing may follow it. */
    static Invocation document(JsonParser p) {
        JsonToken first = p.nextToken();
        if (first == null) {
            throw new StreamReadException(p, "No content: expected an invocation object");
        }
        Invocation invocation = first == JsonToken.VALUE_NULL ? null : invocation(p);
        if (p.nextToken() != null) {
            throw new StreamReadException(p, "Unexpected content after the invocation: " + p.currentToken());
        }
        return invocation;
    }

    /**
     * The document in {@code p}: a {@link DispatchBatch} ({@code {"invocations":[...]}}, unknown fields skipped, an
     * absent or {@code null} list as none); an element that is not an invocation object fails; nothing may follow it.
     */
    static DispatchBatch batchDocument(JsonParser p) {
        JsonToken first = p.nextToken();
        if (first == null) {
            throw new StreamReadException(p, "No content: expected an object with invocations");
        }
        expect(p, JsonToken.START_OBJECT, "an object with invocations");
        List<Invocation> invocations = new ArrayList<>();
        String field;
        while ((field = p.nextName()) != null) {
            if (!field.equals(DispatchBatch.INVOCATIONS)) {
                skip(p);
                continue;
            }
            JsonToken list = p.nextToken();
            if (list == JsonToken.VALUE_NULL) {
                continue;
            }
            expect(p, JsonToken.START_ARRAY, "a list of invocations");
            while (p.nextToken() != JsonToken.END_ARRAY) {
                invocations.add(invocation(p));
            }
        }
        expect(p, JsonToken.END_OBJECT, "the end of an object");
        if (p.nextToken() != null) {
            throw new StreamReadException(p, "Unexpected content after the invocations: " + p.currentToken());
        }
        return new DispatchBatch(invocations);
    }

    private static Invocation invocation(JsonParser p) {
        expect(p, JsonToken.START_OBJECT, "an invocation object");
        String executionId = null;
        String invocationToken = null;
        String workflow = null;
        String version = null;
        String input = null;
        List<OperationRecord> operations = null;
        Instant executionStartedAt = null;
        String field;
        while ((field = p.nextName()) != null) {
            switch (field) {
                case InvocationFields.EXECUTION_ID -> executionId = text(p);
                case InvocationFields.INVOCATION_TOKEN -> invocationToken = text(p);
                case InvocationFields.WORKFLOW -> workflow = text(p);
                case InvocationFields.VERSION -> version = text(p);
                case InvocationFields.INPUT -> input = text(p);
                case InvocationFields.OPERATIONS -> operations = operations(p);
                case InvocationFields.EXECUTION_STARTED_AT -> executionStartedAt = instant(p);
                default -> skip(p);
            }
        }
        expect(p, JsonToken.END_OBJECT, "the end of an object");
        return new Invocation(executionId, invocationToken, workflow, version, input, operations, executionStartedAt);
    }

    private static List<OperationRecord> operations(JsonParser p) {
        JsonToken token = p.nextToken();
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(p, JsonToken.START_ARRAY, "an array of operations");
        List<OperationRecord> operations = new ArrayList<>();
        while ((token = p.nextToken()) != JsonToken.END_ARRAY) {
            if (token == null) {
                throw new StreamReadException(p, "Unexpected end of input in the operations");
            }
            operations.add(operation(p));
        }
        return operations;
    }

    private static OperationRecord operation(JsonParser p) {
        expect(p, JsonToken.START_OBJECT, "an operation object");
        String id = null;
        String parentId = null;
        OperationType type = null;
        String subType = null;
        String name = null;
        OperationStatus status = null;
        Integer attempt = null;
        Instant startedAt = null;
        Instant endedAt = null;
        String result = null;
        ErrorInfo error = null;
        Instant scheduledEndAt = null;
        Instant nextAttemptAt = null;
        String callbackId = null;
        String childExecutionId = null;
        String field;
        while ((field = p.nextName()) != null) {
            switch (field) {
                case OperationFields.ID -> id = text(p);
                case OperationFields.PARENT_ID -> parentId = text(p);
                case OperationFields.TYPE -> type = TokenValues.constant(p, OperationType.class, "operation type");
                case OperationFields.SUB_TYPE -> subType = text(p);
                case OperationFields.NAME -> name = text(p);
                case OperationFields.STATUS -> status = TokenValues.constant(p, OperationStatus.class,
                        "operation status");
                case OperationFields.ATTEMPT -> attempt = integer(p);
                case OperationFields.STARTED_AT -> startedAt = instant(p);
                case OperationFields.ENDED_AT -> endedAt = instant(p);
                case OperationFields.RESULT -> result = text(p);
                case OperationFields.ERROR -> error = error(p);
                case OperationFields.SCHEDULED_END_AT -> scheduledEndAt = instant(p);
                case OperationFields.NEXT_ATTEMPT_AT -> nextAttemptAt = instant(p);
                case OperationFields.CALLBACK_ID -> callbackId = text(p);
                case OperationFields.CHILD_EXECUTION_ID -> childExecutionId = text(p);
                default -> skip(p);
            }
        }
        expect(p, JsonToken.END_OBJECT, "the end of an object");
        return new OperationRecord(id, parentId, type, subType, name, status, attempt, startedAt, endedAt, result,
                error, scheduledEndAt, nextAttemptAt, callbackId, childExecutionId);
    }

    private static ErrorInfo error(JsonParser p) {
        JsonToken token = p.nextToken();
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(p, JsonToken.START_OBJECT, "an error object");
        String type = null;
        String message = null;
        String data = null;
        String field;
        while ((field = p.nextName()) != null) {
            switch (field) {
                case ErrorFields.TYPE -> type = text(p);
                case ErrorFields.MESSAGE -> message = text(p);
                case ErrorFields.DATA -> data = text(p);
                default -> skip(p);
            }
        }
        expect(p, JsonToken.END_OBJECT, "the end of an object");
        try {
            return new ErrorInfo(type, message, data);
        } catch (IllegalArgumentException e) {
            throw new StreamReadException(p, "Invalid error: " + e.getMessage());
        }
    }
}
