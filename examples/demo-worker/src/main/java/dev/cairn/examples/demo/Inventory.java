package dev.cairn.examples.demo;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/** Stands in for an inventory service; a real one would be called over the network from the step. */
@Component
public class Inventory {

    private final AtomicLong reservations = new AtomicLong();

    public OrderFulfillment.Reservation reserve(String orderId, List<OrderFulfillment.Line> lines) {
        int units = lines.stream().mapToInt(OrderFulfillment.Line::quantity).sum();
        return new OrderFulfillment.Reservation("res-" + orderId + "-" + reservations.incrementAndGet(), units);
    }
}
