package dev.cairn.it.apps.counting;

import dev.cairn.api.BatchResult;
import dev.cairn.api.DurableContext;
import dev.cairn.api.DurableHandler;
import dev.cairn.api.DurableWorkflow;
import dev.cairn.api.MapConfig;
import dev.cairn.it.apps.SideEffects;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** A map of {@code input.items} items, at most {@code input.maxConcurrency} at once; each item waits a second. */
@DurableWorkflow(name = "wide-map")
public class WideMap implements DurableHandler<Map<String, Integer>, Integer> {

    private final SideEffects effects;

    public WideMap(SideEffects effects) {
        this.effects = effects;
    }

    @Override
    public Integer handle(Map<String, Integer> input, DurableContext ctx) {
        String id = ctx.executionId();
        List<Integer> items = IntStream.range(0, input.get("items")).boxed().toList();
        BatchResult<Integer> result = ctx.map("items", items, Integer.class, (c, item, index) -> {
            c.step("enter", Integer.class, s -> {
                effects.enter();
                return effects.record(id, "enter-" + item);
            });
            c.wait("pause", Duration.ofSeconds(1));
            return c.step("leave", Integer.class, s -> {
                effects.leave();
                effects.record(id, "leave-" + item);
                return item * 2;
            });
        }, MapConfig.<Integer>defaults().withMaxConcurrency(input.get("maxConcurrency")));
        result.throwIfError();
        return result.results().stream().mapToInt(Integer::intValue).sum();
    }
}
