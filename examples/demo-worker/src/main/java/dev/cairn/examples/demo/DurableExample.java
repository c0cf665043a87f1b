package dev.cairn.examples.demo;

import dev.cairn.api.BatchResult;
import dev.cairn.api.Branch;
import dev.cairn.api.CallbackConfig;
import dev.cairn.api.DurableContext;
import dev.cairn.api.DurableHandler;
import dev.cairn.api.DurableWorkflow;
import dev.cairn.api.TypeRef;
import dev.cairn.api.WaitDecision;
import dev.cairn.api.WaitForConditionConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The example workflow of the AWS Lambda durable functions article, operation for operation: a step, a wait for
 * an external callback, a timed wait, a parallel of three steps, a map over the work items, a wait for a
 * condition, a chained invoke of {@code hello-world}, and a child context of two steps.
 */
@DurableWorkflow(name = "durable-example")
public class DurableExample implements DurableHandler<DurableExample.Input, DurableExample.Summary> {

    /** The event: the raw items to process. */
    public record Input(List<String> inputData) {
    }

    public record WorkItem(String id, String payload, String priority) {
    }

    public record ProcessedItem(String id, String result, int index) {
    }

    /** The readiness poll's state: how many checks ran, and whether the system is ready. */
    public record Readiness(int checks, boolean ready) {
    }

    public record IsolatedResult(String metadata, boolean validation, String executionId) {
    }

    public record Summary(int workItems, Object callbackResult, List<String> parallelResults,
            List<ProcessedItem> processedItems, int readinessChecks, String helloWorld, IsolatedResult isolated) {
    }

    @Override
    public Summary handle(Input input, DurableContext ctx) {
        // Step 1: process the input data
        List<WorkItem> workItems = ctx.step("processInputData", new TypeRef<List<WorkItem>>() {
        }, step -> processData(input == null ? null : input.inputData()));

        // Step 2: wait for an external callback (human in the loop), at most one hour
        Object callbackResult = ctx.waitForCallback("wait-for-external-callback", Object.class,
                (callbackId, step) -> step.logger().info("Callback ID {} submitted to external system", callbackId),
                CallbackConfig.defaults().withTimeout(Duration.ofHours(1)));

        // Step 3: a plain timed wait
        ctx.wait("wait-5-seconds", Duration.ofSeconds(5));

        // Step 4: three independent tasks in parallel
        int count = workItems.size();
        BatchResult<String> parallel = ctx.parallel("parallel-tasks", String.class, List.of(
                Branch.of("parallelTask1", c -> c.step("parallelTask1", String.class,
                        step -> "validated " + count + " items")),
                Branch.of("parallelTask2", c -> c.step("parallelTask2", String.class,
                        step -> "enriched " + count + " items")),
                Branch.of("parallelTask3", c -> c.step("parallelTask3", String.class,
                        step -> "quality check passed"))));

        // Step 5: one checkpointed step per work item
        BatchResult<ProcessedItem> mapped = ctx.map("process-work-items", workItems, ProcessedItem.class,
                (c, item, index) -> c.step("processItem-" + index, ProcessedItem.class,
                        step -> new ProcessedItem(item.id(), item.payload().toUpperCase(), index)));

        // Step 6: poll a readiness check every 3 seconds until the system is ready (on the third check)
        Readiness readiness = ctx.waitForCondition("wait-for-system-ready", Readiness.class,
                (state, step) -> new Readiness(state.checks() + 1, state.checks() + 1 >= 3),
                WaitForConditionConfig.of(new Readiness(0, false), (state, attempt) -> state.ready()
                        ? WaitDecision.stop()
                        : WaitDecision.continueAfter(Duration.ofSeconds(3))));

        // Step 7: invoke another workflow as a chained execution
        HelloWorld.Output hello = ctx.invoke("invoke-hello-world", "hello-world",
                new HelloWorld.Input("durable example (" + count + " items)"), HelloWorld.Output.class);

        // Step 8: a group of operations checkpointed as one unit
        IsolatedResult isolated = ctx.runInChildContext("isolated-operations", IsolatedResult.class, child -> {
            String metadata = child.step("processMetadata", String.class,
                    step -> "metadata for " + child.executionId() + " (" + count + " items)");
            Boolean valid = child.step("validateConfiguration", Boolean.class, step -> Boolean.TRUE);
            return new IsolatedResult(metadata, valid, child.executionId());
        });

        parallel.throwIfError();
        mapped.throwIfError();
        return new Summary(count, callbackResult, parallel.results(), mapped.results(), readiness.checks(),
                hello.greeting(), isolated);
    }

    private static List<WorkItem> processData(List<String> inputData) {
        List<String> raw = inputData == null || inputData.isEmpty() ? List.of("alpha", "beta", "gamma") : inputData;
        List<WorkItem> items = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            items.add(new WorkItem("item-" + i, raw.get(i), i == 0 ? "high" : "normal"));
        }
        return items;
    }
}
