package dev.cairn.it.apps.changed;

import dev.cairn.api.DurableContext;
import dev.cairn.api.DurableHandler;
import dev.cairn.api.DurableWorkflow;
import java.time.Duration;
import java.util.Map;

/** Same name and version as the counting app's {@code step-wait-step}, but the first step was renamed. */
@DurableWorkflow(name = "step-wait-step")
public class ChangedStepWaitStep implements DurableHandler<Map<String, Object>, String> {

    @Override
    public String handle(Map<String, Object> input, DurableContext ctx) {
        ctx.step("before-renamed", Integer.class, s -> 1);
        ctx.wait("pause", Duration.ofMillis(1000));
        ctx.step("after", Integer.class, s -> 2);
        return "done";
    }
}
