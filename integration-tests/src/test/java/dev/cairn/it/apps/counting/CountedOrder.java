package dev.cairn.it.apps.counting;

import dev.cairn.api.DurableContext;
import dev.cairn.api.DurableHandler;
import dev.cairn.api.DurableWorkflow;
import dev.cairn.it.apps.SideEffects;
import java.time.Duration;
import java.util.Map;

/** Three steps, a wait of {@code input.waitMillis}, a child context of two steps. */
@DurableWorkflow(name = "counted-order")
public class CountedOrder implements DurableHandler<Map<String, Object>, Map<String, Object>> {

    private final SideEffects effects;

    public CountedOrder(SideEffects effects) {
        this.effects = effects;
    }

    @Override
    public Map<String, Object> handle(Map<String, Object> input, DurableContext ctx) {
        String id = ctx.executionId();
        long waitMillis = ((Number) input.getOrDefault("waitMillis", 500)).longValue();
        String a = ctx.step("one", String.class, s -> "one#" + effects.record(id, "one"));
        String b = ctx.step("two", String.class, s -> "two#" + effects.record(id, "two"));
        String c = ctx.step("three", String.class, s -> "three#" + effects.record(id, "three"));
        ctx.wait("pause", Duration.ofMillis(waitMillis));
        String child = ctx.runInChildContext("finish", String.class, cc -> {
            String d = cc.step("four", String.class, s -> "four#" + effects.record(id, "four"));
            String e = cc.step("five", String.class, s -> "five#" + effects.record(id, "five"));
            return d + "," + e;
        });
        return Map.of("steps", a + "," + b + "," + c + "," + child);
    }
}
