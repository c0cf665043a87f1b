package dev.cairn.it.apps.counting;

import dev.cairn.api.DurableCallback;
import dev.cairn.api.DurableContext;
import dev.cairn.api.DurableFuture;
import dev.cairn.api.DurableHandler;
import dev.cairn.api.DurableWorkflow;
import dev.cairn.it.apps.SideEffects;
import java.time.Duration;

/**
 * A callback and a step race in {@code anyOf}; the step runs until the test releases it. The code goes on by the
 * winner's name, then waits, so that the next invocation replays the race.
 */
@DurableWorkflow(name = "callback-or-step")
public class CallbackOrStep implements DurableHandler<Void, String> {

    private final SideEffects effects;

    public CallbackOrStep(SideEffects effects) {
        this.effects = effects;
    }

    @Override
    public String handle(Void input, DurableContext ctx) {
        String id = ctx.executionId();
        DurableCallback<String> approval = ctx.createCallback("approval", String.class);
        DurableFuture<String> work = ctx.stepAsync("work", String.class, s -> {
            effects.record(id, "work-entered");
            effects.awaitRelease(id);
            return "work";
        });
        Object winner = DurableFuture.anyOf(approval, work).get();
        String after = ctx.step("after-" + winner, String.class, s -> "went on with " + winner);
        ctx.wait("pause", Duration.ofMillis(300));
        return after;
    }
}
