package dev.cairn.protocol.json;

import dev.cairn.api.ErrorInfo;

/**
 * The JSON names of an {@link ErrorInfo}'s fields: its record components' names, in their order
 * ({@code ProtocolFieldsTest} fails when a component is renamed, added or removed without its constant).
 */
public final class ErrorFields {

    public static final String TYPE = "type";
    public static final String MESSAGE = "message";
    public static final String DATA = "data";

    private ErrorFields() {
    }
}
