package dev.cairn.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@link DurableHandler} class as a workflow. The worker starter registers it as a bean and with the
 * orchestrator under {@link #name()} and {@link #version()}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface DurableWorkflow {

    /** The workflow's name, {@code [A-Za-z0-9_.-]{1,128}}. */
    String name();

    /** The workflow's version. Executions run to the end on the version they started on. */
    String version() default "1";
}
