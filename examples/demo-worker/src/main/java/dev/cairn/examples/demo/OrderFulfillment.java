package dev.cairn.examples.demo;

import dev.cairn.api.DurableContext;
import dev.cairn.api.DurableHandler;
import dev.cairn.api.DurableWorkflow;
import dev.cairn.api.RetryStrategies;
import dev.cairn.api.StepConfig;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

/**
 * Three steps, a durable wait, then a child context of two steps. Each step's result is checkpointed before the
 * next one runs; the wait suspends the execution without holding a thread, and the steps before it are not run
 * again when the execution resumes.
 */
@DurableWorkflow(name = "order-fulfillment")
public class OrderFulfillment implements DurableHandler<OrderFulfillment.Order, OrderFulfillment.Summary> {

    /** An order; {@code coolOffSeconds} defaults to 5. */
    public record Order(String orderId, String customer, List<Line> lines, Double coolOffSeconds) {
    }

    public record Line(String sku, int quantity, BigDecimal unitPrice) {
    }

    public record Reservation(String reservationId, int units) {
    }

    public record Payment(String paymentId, BigDecimal amount) {
    }

    public record Shipment(String label, String notification) {
    }

    public record Summary(String orderId, String status, int units, BigDecimal charged, String reservationId,
            String paymentId, Shipment shipment) {
    }

    private final Inventory inventory;

    public OrderFulfillment(Inventory inventory) {
        this.inventory = inventory;
    }

    @Override
    public Summary handle(Order order, DurableContext ctx) {
        ctx.logger().info("Fulfilling order {}", order.orderId());

        Order valid = ctx.step("validate-order", Order.class, step -> validate(order));
        Reservation reservation = ctx.step("reserve-inventory", Reservation.class,
                step -> inventory.reserve(valid.orderId(), valid.lines()),
                StepConfig.defaults().withRetry(RetryStrategies.fixedDelay(3, Duration.ofSeconds(1))));
        Payment payment = ctx.step("charge-payment", Payment.class,
                step -> new Payment("pay-" + valid.orderId(), total(valid)));

        double coolOff = order.coolOffSeconds() == null ? 5.0 : order.coolOffSeconds();
        ctx.wait("cool-off", Duration.ofMillis((long) (coolOff * 1000)));

        Shipment shipment = ctx.runInChildContext("shipping", Shipment.class, child -> {
            String label = child.step("create-label", String.class, step -> "LBL-" + valid.orderId());
            String notice = child.step("notify-customer", String.class,
                    step -> "Sent " + label + " to " + valid.customer());
            return new Shipment(label, notice);
        });

        ctx.logger().info("Order {} fulfilled", order.orderId());
        return new Summary(valid.orderId(), "FULFILLED", reservation.units(), payment.amount(),
                reservation.reservationId(), payment.paymentId(), shipment);
    }

    private static Order validate(Order order) {
        if (order.orderId() == null || order.orderId().isBlank()) {
            throw new IllegalArgumentException("an order needs an orderId");
        }
        List<Line> lines = order.lines() == null ? List.of() : order.lines();
        return new Order(order.orderId(), order.customer() == null ? "customer" : order.customer(), lines,
                order.coolOffSeconds());
    }

    private static BigDecimal total(Order order) {
        return order.lines().stream()
                .map(l -> l.unitPrice().multiply(BigDecimal.valueOf(l.quantity())))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
