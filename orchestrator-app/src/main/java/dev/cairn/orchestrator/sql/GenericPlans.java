package dev.cairn.orchestrator.sql;

/**
 * Hot-path statements run on their generic plans. PostgreSQL's plan cache keeps planning the checkpoint, completion
 * and claim statements for each call's own values (their array parameters make a generic plan look costlier), and
 * planning them took as long as running them, on serial paths (the group commit's writer, the dispatcher). Their
 * plans do not depend on the values: every part reads the rows it writes by key or by a ready index.
 */
public final class GenericPlans {

    /** The first statement of a transaction whose statements should use generic plans; it ends with it. */
    public static final String FOR_THIS_TRANSACTION = "set local plan_cache_mode = force_generic_plan";

    private GenericPlans() {
    }
}
