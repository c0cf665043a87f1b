package dev.cairn.protocol;

import java.util.Optional;

/**
 * The subtypes the worker sends today ({@link OperationUpdate#subType()}): which SDK call made an operation. The
 * wire field stays a {@code String}: a newer worker may send a subtype this enum does not know, and it is stored as
 * given ({@link #find} answers empty for it, and the {@link Lifecycle} falls back to the operation type's rows).
 */
public enum OperationSubType {
    /** {@code step}: one attempt per START. */
    STEP(OperationType.STEP, "Step"),
    /** {@code now()}: a replay-safe clock read. */
    NOW(OperationType.STEP, "Now"),
    /** {@code randomUUID()}: a replay-safe random id. */
    RANDOM_UUID(OperationType.STEP, "RandomUUID"),
    /** {@code waitForCondition}: one STEP whose result is the latest state, polled by CONTINUE. */
    WAIT_FOR_CONDITION(OperationType.STEP, "WaitForCondition"),
    /** What an {@code anyOf} chose: a STEP whose result is the index of the chosen future. */
    ANY_OF(OperationType.STEP, "AnyOf"),
    /** {@code wait}: a WAIT until {@code scheduledEndAt}. */
    WAIT(OperationType.WAIT, "Wait"),
    /** {@code createCallback}: a CALLBACK completed from outside. */
    CALLBACK(OperationType.CALLBACK, "Callback"),
    /** {@code waitForCallback}: a CONTEXT holding the CALLBACK and the submitter STEP. */
    WAIT_FOR_CALLBACK(OperationType.CONTEXT, "WaitForCallback"),
    /** {@code runInChildContext}: a CONTEXT of the function's operations. */
    RUN_IN_CHILD_CONTEXT(OperationType.CONTEXT, "RunInChildContext"),
    /** {@code parallel}: a CONTEXT holding one {@link #PARALLEL_BRANCH} per branch. */
    PARALLEL(OperationType.CONTEXT, "Parallel"),
    /** One branch of a {@link #PARALLEL}. */
    PARALLEL_BRANCH(OperationType.CONTEXT, "ParallelBranch"),
    /** {@code map}: a CONTEXT holding one {@link #MAP_ITERATION} per item. */
    MAP(OperationType.CONTEXT, "Map"),
    /** One item of a {@link #MAP}. */
    MAP_ITERATION(OperationType.CONTEXT, "MapIteration"),
    /** {@code invoke}: a CHAINED_INVOKE of another workflow as a child execution. */
    CHAINED_INVOKE(OperationType.CHAINED_INVOKE, "ChainedInvoke");

    private final OperationType type;
    private final String wireName;

    OperationSubType(OperationType type, String wireName) {
        this.type = type;
        this.wireName = wireName;
    }

    /** The operation type every operation of this subtype has. */
    public OperationType type() {
        return type;
    }

    /** The subtype as it travels in {@code subType} ({@code "WaitForCondition"}). */
    public String wireName() {
        return wireName;
    }

    /** Whether {@code subType} (a wire value, may be null) names this subtype. */
    public boolean is(String subType) {
        return wireName.equals(subType);
    }

    /** The subtype a wire value names; empty for null or one this version does not know (kept as sent). */
    public static Optional<OperationSubType> find(String wireName) {
        if (wireName != null) {
            for (OperationSubType s : values()) {
                if (s.wireName.equals(wireName)) {
                    return Optional.of(s);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The subtype a wire value names.
     *
     * @throws IllegalArgumentException when this version does not know it
     */
    public static OperationSubType of(String wireName) {
        return find(wireName).orElseThrow(() -> new IllegalArgumentException("unknown subType " + wireName));
    }

    @Override
    public String toString() {
        return wireName;
    }
}
