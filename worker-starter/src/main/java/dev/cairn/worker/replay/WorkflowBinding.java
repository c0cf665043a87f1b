package dev.cairn.worker.replay;

import dev.cairn.api.DurableHandler;
import java.lang.reflect.Type;
import java.util.Objects;

/**
 * A workflow as the engine runs it: the handler and the types its input and result are (de)serialized as.
 *
 * @param name the workflow's name
 * @param version the workflow's version
 * @param handler the handler
 * @param inputType the handler's input type ({@code Void} for none)
 * @param outputType the handler's result type
 */
public record WorkflowBinding(String name, String version, DurableHandler<?, ?> handler, Type inputType,
        Type outputType) {

    public WorkflowBinding {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(handler, "handler");
        inputType = inputType == null ? Object.class : inputType;
        outputType = outputType == null ? Object.class : outputType;
    }
}
