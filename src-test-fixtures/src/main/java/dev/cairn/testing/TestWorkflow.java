package dev.cairn.testing;

import dev.cairn.api.DurableHandler;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a {@link LocalDurableTestRunner} parameter of a test that uses {@link CairnTestExtension}: the workflow class
 * to run (instantiated through its no-argument constructor).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface TestWorkflow {

    @SuppressWarnings("rawtypes")
    Class<? extends DurableHandler> value();
}
