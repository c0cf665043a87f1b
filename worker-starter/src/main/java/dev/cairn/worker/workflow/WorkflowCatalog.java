package dev.cairn.worker.workflow;

import dev.cairn.api.DurableHandler;
import dev.cairn.api.DurableWorkflow;
import dev.cairn.protocol.WorkflowRef;
import dev.cairn.worker.replay.WorkflowBinding;
import java.lang.reflect.Type;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;

/** The workflows this worker serves, by name and version. */
public final class WorkflowCatalog {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

    private final Map<WorkflowRef, WorkflowBinding> workflows = new LinkedHashMap<>();

    /**
     * @throws InvalidWorkflowException if two workflows share a name and version, or a name is not valid
     */
    public WorkflowCatalog(Collection<WorkflowBinding> bindings) {
        for (WorkflowBinding binding : bindings) {
            if (!NAME.matcher(binding.name()).matches()) {
                throw new InvalidWorkflowException("Workflow name '" + binding.name() + "' of "
                        + binding.handler().getClass().getName() + " must match " + NAME.pattern());
            }
            if (binding.version().isBlank()) {
                throw new InvalidWorkflowException("Workflow '" + binding.name() + "' of "
                        + binding.handler().getClass().getName() + " has a blank version");
            }
            WorkflowBinding earlier = workflows.putIfAbsent(new WorkflowRef(binding.name(), binding.version()),
                    binding);
            if (earlier != null) {
                throw new InvalidWorkflowException("Workflow '" + binding.name() + "' version " + binding.version()
                        + " is declared twice: by " + className(earlier.handler()) + " and by "
                        + className(binding.handler()) + ". Give one of them another name or version.");
            }
        }
    }

    /** The catalog of every bean whose class carries {@link DurableWorkflow}. */
    public static WorkflowCatalog of(ListableBeanFactory beans) {
        return new WorkflowCatalog(beans.getBeansWithAnnotation(DurableWorkflow.class).values().stream()
                .map(WorkflowCatalog::bind)
                .toList());
    }

    /** Binds one handler bean, its input and output types taken from its {@link DurableHandler} type arguments. */
    public static WorkflowBinding bind(Object bean) {
        Class<?> type = AopUtils.getTargetClass(bean);
        DurableWorkflow workflow = AnnotatedElementUtils.findMergedAnnotation(type, DurableWorkflow.class);
        if (workflow == null) {
            throw new InvalidWorkflowException(type.getName() + " is not annotated with @DurableWorkflow");
        }
        if (!(bean instanceof DurableHandler<?, ?> handler)) {
            throw new InvalidWorkflowException("@DurableWorkflow class " + type.getName()
                    + " must implement " + DurableHandler.class.getName());
        }
        ResolvableType handlerType = ResolvableType.forClass(type).as(DurableHandler.class);
        return new WorkflowBinding(workflow.name(), workflow.version(), handler,
                typeArgument(handlerType, 0), typeArgument(handlerType, 1));
    }

    /** The workflow served under this name and version. */
    public Optional<WorkflowBinding> find(String name, String version) {
        return Optional.ofNullable(workflows.get(new WorkflowRef(name, version)));
    }

    /** Every name and version served, as registered with the orchestrator. */
    public List<WorkflowRef> refs() {
        return List.copyOf(workflows.keySet());
    }

    private static Type typeArgument(ResolvableType handlerType, int index) {
        ResolvableType argument = handlerType.getGeneric(index);
        return argument.resolve() == null ? Object.class : argument.getType();
    }

    private static String className(Object handler) {
        return AopUtils.getTargetClass(handler).getName();
    }
}
