package dev.cairn.api;

import java.lang.reflect.Type;

/** Turns values into the text that is checkpointed, and back. JSON by default. */
public interface Serdes {

    String serialize(Object value, Type type);

    Object deserialize(String data, Type type);
}
