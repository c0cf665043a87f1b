package dev.cairn.bench.worker;

import dev.cairn.api.BatchResult;
import dev.cairn.api.DurableContext;
import dev.cairn.api.DurableHandler;
import dev.cairn.api.DurableWorkflow;
import dev.cairn.api.MapConfig;
import java.util.ArrayList;
import java.util.List;

/** Scenario 4 (fan-out): a map of {@code items} items, at most {@code maxConcurrency} at once, one step each. */
@DurableWorkflow(name = "bench-fanout")
public class FanoutWorkflow implements DurableHandler<FanoutWorkflow.Input, Integer> {

    public record Input(int items, int maxConcurrency) {
    }

    @Override
    public Integer handle(Input input, DurableContext ctx) {
        List<Integer> items = new ArrayList<>(input.items());
        for (int i = 0; i < input.items(); i++) {
            items.add(i);
        }
        BatchResult<Integer> result = ctx.map("fan", items, Integer.class,
                (c, item, index) -> c.step("work", Integer.class, s -> item),
                MapConfig.<Integer>defaults().withMaxConcurrency(input.maxConcurrency()));
        return result.successCount();
    }
}
