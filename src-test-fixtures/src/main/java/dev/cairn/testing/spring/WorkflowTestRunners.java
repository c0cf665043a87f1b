package dev.cairn.testing.spring;

import dev.cairn.api.DurableHandler;
import dev.cairn.api.DurableWorkflow;
import dev.cairn.testing.LocalDurableTestRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.config.AutowireCapableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.ResolvableType;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;

/**
 * Creates local test runners for the {@code @DurableWorkflow} classes of a Spring Boot app (those in the app's
 * packages, as the worker starter finds them). Each workflow is created once per context by the context's bean
 * factory, so its constructor gets the app's beans.
 */
public class WorkflowTestRunners {

    private final ApplicationContext context;
    private final Map<Class<?>, DurableHandler<?, ?>> workflows = new ConcurrentHashMap<>();
    private volatile List<Class<?>> workflowClasses;

    public WorkflowTestRunners(ApplicationContext context) {
        this.context = context;
    }

    /**
     * A fresh runner for {@code workflowClass}, with every other workflow of the app registered under its
     * {@code @DurableWorkflow} name for chained invokes.
     */
    @SuppressWarnings("unchecked")
    public <I, O> LocalDurableTestRunner<I, O> runner(Class<? extends DurableHandler<I, O>> workflowClass) {
        DurableHandler<I, O> handler = (DurableHandler<I, O>) workflow(workflowClass);
        ResolvableType types = ResolvableType.forClass(workflowClass).as(DurableHandler.class);
        LocalDurableTestRunner<I, O> runner = LocalDurableTestRunner.create(handler,
                types.getGeneric(0).getType(), types.getGeneric(1).getType());
        for (Class<?> other : workflowClasses()) {
            if (!other.equals(workflowClass)) {
                runner.registerWorkflow(other.getAnnotation(DurableWorkflow.class).name(), workflow(other));
            }
        }
        return runner;
    }

    /** The app's workflow of this class, created (and autowired) by the context on first use. */
    public DurableHandler<?, ?> workflow(Class<?> workflowClass) {
        if (!DurableHandler.class.isAssignableFrom(workflowClass)) {
            throw new IllegalArgumentException(workflowClass.getName() + " is not a DurableHandler");
        }
        return workflows.computeIfAbsent(workflowClass, type -> {
            Map<String, ?> beans = context.getBeansOfType(type);
            if (beans.size() == 1) {
                return (DurableHandler<?, ?>) beans.values().iterator().next();
            }
            AutowireCapableBeanFactory factory = context.getAutowireCapableBeanFactory();
            return (DurableHandler<?, ?>) factory.createBean(type);
        });
    }

    /** The {@code @DurableWorkflow} classes in the app's packages. */
    public List<Class<?>> workflowClasses() {
        List<Class<?>> classes = workflowClasses;
        if (classes == null) {
            classes = scan();
            workflowClasses = classes;
        }
        return classes;
    }

    private List<Class<?>> scan() {
        List<Class<?>> found = new ArrayList<>();
        if (!AutoConfigurationPackages.has(context.getAutowireCapableBeanFactory())) {
            return found;
        }
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(DurableWorkflow.class));
        for (String pkg : AutoConfigurationPackages.get(context.getAutowireCapableBeanFactory())) {
            scanner.findCandidateComponents(pkg).forEach(candidate -> found.add(
                    ClassUtils.resolveClassName(candidate.getBeanClassName(), context.getClassLoader())));
        }
        return List.copyOf(found);
    }
}
