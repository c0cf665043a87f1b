package dev.cairn.api;

import java.util.Objects;

/**
 * One item of a {@link BatchResult}.
 *
 * @param index its position among the branches or items, from 0
 * @param name its child context's name
 * @param status how it ended
 * @param result its result ({@link ItemStatus#SUCCEEDED}), else null
 * @param error its recorded error ({@link ItemStatus#FAILED}), else null
 */
public record BatchItem<T>(int index, String name, ItemStatus status, T result, ErrorInfo error) {

    public BatchItem {
        Objects.requireNonNull(status, "status");
    }
}
