package dev.cairn.examples.demo;

import static dev.cairn.testing.CairnAssertions.assertThat;

import dev.cairn.testing.TestResult;
import dev.cairn.testing.spring.CairnWorkflowTest;
import dev.cairn.testing.spring.WorkflowTestRunners;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The demo app's workflows with the app's own beans (the {@link Inventory}), and no orchestrator. */
@CairnWorkflowTest
class DemoAppWorkflowsTest {

    @Autowired
    WorkflowTestRunners runners;

    @Test
    void orderFulfillmentUsesTheAppsInventoryBean() {
        TestResult<OrderFulfillment.Summary> result = runners.runner(OrderFulfillment.class)
                .runUntilComplete(new OrderFulfillment.Order("A-1", "ada", List.of(
                        new OrderFulfillment.Line("mug", 2, new BigDecimal("12.50"))), null));

        assertThat(result).succeeded().operation("cool-off").succeeded();
        org.assertj.core.api.Assertions.assertThat(result.result().reservationId()).startsWith("res-A-1-");
        org.assertj.core.api.Assertions.assertThat(result.result().charged()).isEqualByComparingTo("25.00");
    }

    @Test
    void theAppsOtherWorkflowsServeChainedInvokes() {
        var runner = runners.runner(DurableExample.class);
        runner.run(new DurableExample.Input(List.of("x")));
        runner.completeCallback("wait-for-external-callback", "ok");
        assertThat(runner.resume()).succeeded().operation("invoke-hello-world").succeeded();
    }
}
