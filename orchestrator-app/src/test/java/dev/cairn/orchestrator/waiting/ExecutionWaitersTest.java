package dev.cairn.orchestrator.waiting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.cairn.orchestrator.notify.ClosedExecutions;
import dev.cairn.orchestrator.notify.Wakeups;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.context.request.async.DeferredResult;

class ExecutionWaitersTest {

    private static final Duration LONG = Duration.ofMinutes(5);

    private final Set<UUID> running = ConcurrentHashMap.newKeySet();
    private final ClosedExecutions closed = new ClosedExecutions(new Wakeups());
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ExecutionWaiters waiters = new ExecutionWaiters(
            new WaitProperties(Duration.ofSeconds(60), 3, Duration.ofMillis(50), Duration.ofSeconds(2),
                    Duration.ofMinutes(1)),
            closed, new StillRunning(null) {
                @Override
                Set<UUID> among(Collection<UUID> ids) {
                    return Set.copyOf(ids.stream().filter(running::contains).toList());
                }
            }, meters);

    @AfterEach
    void stop() {
        if (waiters.isRunning()) {
            waiters.stop();
        }
    }

    @Test
    void anAnnouncedCloseWakesTheWaitersOfThatExecutionOnly() {
        UUID one = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        AtomicInteger reads = new AtomicInteger();
        DeferredResult<String> first = park(one, LONG, () -> "closed " + reads.incrementAndGet());
        DeferredResult<String> second = park(one, LONG, () -> "closed " + reads.incrementAndGet());
        DeferredResult<String> elsewhere = park(other, LONG, () -> "other");

        closed.announce(List.of(one));

        await().atMost(Duration.ofSeconds(10)).until(() -> first.hasResult() && second.hasResult());
        assertThat(List.of(first.getResult(), second.getResult())).containsExactlyInAnyOrder("closed 1", "closed 2");
        assertThat(elsewhere.hasResult()).isFalse();
        assertThat(waiters.parked()).isEqualTo(1);
        assertThat(meters.get("cairn.executions.waiters").gauge().value()).isEqualTo(1.0);
    }

    @Test
    void theWaitEndsWithTheExecutionAsItIsThen() {
        DeferredResult<String> waiter = park(UUID.randomUUID(), Duration.ofMillis(100), () -> "still running");

        await().atMost(Duration.ofSeconds(10)).until(waiter::hasResult);
        assertThat(waiter.getResult()).isEqualTo("still running");
        assertThat(waiters.parked()).isZero();
    }

    @Test
    void pastTheBoundAPlaceIsRefusedUntilOneIsGivenBack() {
        ExecutionWaiters.Slot unused = waiters.reserve();
        park(UUID.randomUUID(), LONG, () -> "a");
        park(UUID.randomUUID(), LONG, () -> "b");

        assertThatThrownBy(waiters::reserve).isInstanceOf(WaitersFullException.class)
                .satisfies(e -> assertThat(((WaitersFullException) e).headers().getFirst("Retry-After"))
                        .isEqualTo("2"));
        unused.close();
        unused.close();
        assertThat(waiters.parked()).isEqualTo(2);
        waiters.reserve().close();
    }

    @Test
    void theRecheckAnswersWaitersWhoseExecutionClosedUnannounced() {
        UUID open = UUID.randomUUID();
        UUID closedSilently = UUID.randomUUID();
        running.add(open);
        DeferredResult<String> stillOpen = park(open, LONG, () -> "open");
        DeferredResult<String> found = park(closedSilently, LONG, () -> "found closed");
        waiters.start();

        await().atMost(Duration.ofSeconds(10)).until(found::hasResult);
        assertThat(found.getResult()).isEqualTo("found closed");
        assertThat(stillOpen.hasResult()).isFalse();
    }

    @Test
    void aWaiterAnsweredWithWhatWasReadLeavesAtOnceAndIsNotAnsweredAgain() {
        UUID id = UUID.randomUUID();
        Waiter<String> waiter = waiters.reserve().park(id, LONG, () -> "read again", new MockHttpServletResponse(),
                response -> { });

        waiter.answer("read before");
        closed.announce(List.of(id));

        assertThat(waiter.result().getResult()).isEqualTo("read before");
        assertThat(waiters.parked()).isZero();
    }

    @Test
    void aLongWaitSendsItsStatusAndHeadersThenSpaces() {
        MockHttpServletResponse response = new MockHttpServletResponse();
        Waiter<String> waiter = waiters.reserve().park(UUID.randomUUID(), LONG, () -> "x", response, r -> {
            r.setStatus(201);
            r.setHeader("Location", "/v1/executions/x");
        });

        waiter.beat();
        assertThat(response.isCommitted()).isTrue();
        assertThat(response.getStatus()).isEqualTo(201);
        waiter.beat();
        waiter.beat();
        waiter.answer("done");
        waiter.beat();

        assertThat(response.getContentAsByteArray()).isEqualTo("  ".getBytes(StandardCharsets.US_ASCII));
    }

    private DeferredResult<String> park(UUID id, Duration wait, Callable<String> answer) {
        return waiters.reserve().park(id, wait, answer, new MockHttpServletResponse(), response -> { }).result();
    }
}
