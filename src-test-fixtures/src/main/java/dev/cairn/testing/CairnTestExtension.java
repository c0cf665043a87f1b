package dev.cairn.testing;

import dev.cairn.api.DurableHandler;
import java.lang.reflect.Constructor;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects a fresh {@link LocalDurableTestRunner} into test methods and closes it after the test:
 *
 * <pre>{@code
 * @ExtendWith(CairnTestExtension.class)
 * class OrderProcessingTest {
 *     @Test
 *     void charges(@TestWorkflow(OrderProcessing.class) LocalDurableTestRunner<Order, Receipt> runner) { … }
 * }
 * }</pre>
 */
public final class CairnTestExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(
            CairnTestExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == LocalDurableTestRunner.class
                && parameter.isAnnotated(TestWorkflow.class);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.findAnnotation(TestWorkflow.class).orElseThrow().value();
        DurableHandler<?, ?> handler;
        try {
            Constructor<?> constructor = type.getDeclaredConstructor();
            constructor.setAccessible(true);
            handler = (DurableHandler<?, ?>) constructor.newInstance();
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ParameterResolutionException("could not create workflow " + type.getName()
                    + " through a no-argument constructor", e);
        }
        LocalDurableTestRunner<?, ?> runner = LocalDurableTestRunner.create(handler);
        context.getStore(NAMESPACE).put(parameter.getIndex() + "@" + System.identityHashCode(runner),
                (AutoCloseable) runner::close);
        return runner;
    }
}
