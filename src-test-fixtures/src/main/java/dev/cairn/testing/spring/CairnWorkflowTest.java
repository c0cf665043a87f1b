package dev.cairn.testing.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/**
 * A Spring Boot test of a worker app's workflows without an orchestrator: the app's context starts with its beans
 * (no web server, the worker switched off), and a {@link WorkflowTestRunners} bean creates a
 * {@link dev.cairn.testing.LocalDurableTestRunner} for any {@code @DurableWorkflow} of the app, with constructor
 * injection from the context and every other workflow of the app registered for chained invokes.
 *
 * <pre>{@code
 * @CairnWorkflowTest
 * class OrderFulfillmentTest {
 *     @Autowired WorkflowTestRunners runners;
 *
 *     @Test
 *     void fulfils() {
 *         var result = runners.runner(OrderFulfillment.class).runUntilComplete(order);
 *         assertThat(result).succeeded();
 *     }
 * }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = "cairn.worker.enabled=false")
@Import(WorkflowTestRunners.class)
public @interface CairnWorkflowTest {
}
