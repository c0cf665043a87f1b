package dev.cairn.orchestrator.waiting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.cairn.orchestrator.notify.ClosedExecutions;
import dev.cairn.orchestrator.notify.Wakeups;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockAsyncContext;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

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
        Parked first = park(one, LONG, () -> "closed " + reads.incrementAndGet());
        Parked second = park(one, LONG, () -> "closed " + reads.incrementAndGet());
        Parked elsewhere = park(other, LONG, () -> "other");

        closed.announce(List.of(one));

        await().atMost(Duration.ofSeconds(10)).until(() -> first.hasResult() && second.hasResult());
        assertThat(List.of(first.getResult(), second.getResult())).containsExactlyInAnyOrder("closed 1", "closed 2");
        assertThat(elsewhere.hasResult()).isFalse();
        assertThat(waiters.parked()).isEqualTo(1);
        assertThat(meters.get("cairn.executions.waiters").gauge().value()).isEqualTo(1.0);
    }

    @Test
    void theWaitEndsWithTheExecutionAsItIsThen() {
        Parked waiter = park(UUID.randomUUID(), Duration.ofMillis(100), () -> "still running");

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
        Parked stillOpen = park(open, LONG, () -> "open");
        Parked found = park(closedSilently, LONG, () -> "found closed");
        waiters.start();

        await().atMost(Duration.ofSeconds(10)).until(found::hasResult);
        assertThat(found.getResult()).isEqualTo("found closed");
        assertThat(stillOpen.hasResult()).isFalse();
    }

    @Test
    void aWaiterAnsweredWithWhatWasReadLeavesAtOnceAndIsNotAnsweredAgain() {
        UUID id = UUID.randomUUID();
        Parked parked = park(id, LONG, () -> "read again");

        parked.waiter.answer("read before");
        closed.announce(List.of(id));
        parked.waiter.answerNow();

        assertThat(parked.hasResult()).isTrue();
        assertThat(parked.getResult()).isEqualTo("read before");
        assertThat(waiters.parked()).isZero();
    }

    @Test
    void aFailedReadIsAnsweredAsTheFailureAndTheRequestEnds() {
        Parked parked = park(UUID.randomUUID(), Duration.ofMillis(50), () -> {
            throw new IllegalStateException("the database did not answer");
        });

        await().atMost(Duration.ofSeconds(10)).until(parked::hasResult);
        assertThat(parked.response.getStatus()).isEqualTo(503);
        assertThat(parked.getResult()).isEqualTo("failed: the database did not answer");
        assertThat(waiters.parked()).isZero();
    }

    @Test
    void aLongWaitSendsItsStatusAndHeadersThenSpacesAndTheAnswerItsBodyOnly() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        Waiter<String> waiter = waiters.reserve().park(UUID.randomUUID(), LONG, () -> "x", asyncRequest(response),
                WRITER, r -> {
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

        assertThat(response.getContentAsString()).isEqualTo("  done");
        assertThat(response.getStatus()).isEqualTo(201);
    }

    @Test
    void aFailureAfterTheStatusWentOutLeavesTheBodyEmpty() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        Waiter<String> waiter = waiters.reserve().park(UUID.randomUUID(), LONG, () -> "x", asyncRequest(response),
                WRITER, r -> r.setStatus(200));

        waiter.beat();
        waiter.beat();
        waiter.fail(new IllegalStateException("gone"));

        assertThat(response.getContentAsString()).isEqualTo(" ");
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(waiters.parked()).isZero();
    }

    @Test
    void theRequestsOwnTimeoutAfterTheAnswerWritesNothingMore() {
        UUID id = UUID.randomUUID();
        AtomicInteger reads = new AtomicInteger();
        Parked parked = park(id, LONG, () -> "read " + reads.incrementAndGet());
        closed.announce(List.of(id));
        await().atMost(Duration.ofSeconds(10)).until(parked::hasResult);

        parked.waiter.timedOut();

        assertThat(parked.getResult()).isEqualTo("read 1");
        assertThat(reads).hasValue(1);
    }

    @Test
    void anErrorTheContainerReportsEndsTheRequestWithoutAnAnswerAndNothingIsWrittenLater() throws Exception {
        UUID id = UUID.randomUUID();
        Parked parked = park(id, LONG, () -> "too late");
        MockAsyncContext async = (MockAsyncContext) parked.request().getAsyncContext();

        for (AsyncListener listener : List.copyOf(async.getListeners())) {
            listener.onError(new AsyncEvent(async, new IOException("connection reset")));
        }
        closed.announce(List.of(id));
        parked.waiter().answerNow();

        assertThat(parked.hasResult()).as("the request completed").isTrue();
        assertThat(parked.getResult()).isEmpty();
        assertThat(waiters.parked()).isZero();
    }

    @Test
    void theRequestsOwnTimeoutAnswersAWaiterNothingWokeYet() {
        Parked parked = park(UUID.randomUUID(), LONG, () -> "as it is");

        parked.waiter.timedOut();

        assertThat(parked.hasResult()).isTrue();
        assertThat(parked.getResult()).isEqualTo("as it is");
        assertThat(waiters.parked()).isZero();
    }

    @Test
    void anAnswerRacingTheBeatsIsWrittenOnceAfterWhateverBeatsWentOutAndNothingFollowsIt() throws Exception {
        for (int round = 0; round < 2_000; round++) {
            MockHttpServletResponse response = new MockHttpServletResponse();
            MockHttpServletRequest request = asyncRequest(response);
            Waiter<String> waiter = waiters.reserve().park(UUID.randomUUID(), LONG, () -> "read", request, WRITER,
                    r -> r.setStatus(201));
            CountDownLatch go = new CountDownLatch(1);
            Thread beats = new Thread(() -> {
                passWhenOpen(go);
                for (int i = 0; i < 4; i++) {
                    waiter.beat();
                }
            });
            Thread answer = new Thread(() -> {
                passWhenOpen(go);
                waiter.answer("done");
            });
            beats.start();
            answer.start();
            go.countDown();
            beats.join();
            answer.join();

            assertThat(response.getContentAsString()).as("round " + round).matches(" {0,3}done");
            assertThat(request.isAsyncStarted()).as("the request completed").isFalse();
        }
        assertThat(waiters.parked()).isZero();
    }

    private static void passWhenOpen(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes the answer as the body, a failure as 503 "failed: <message>". */
    private static final AnswerWriter<String> WRITER = new AnswerWriter<>() {
        @Override
        public void write(String answer, HttpServletResponse response) throws IOException {
            response.getOutputStream().write(answer.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void fail(Exception error, HttpServletResponse response) throws IOException {
            response.setStatus(503);
            response.getOutputStream().write(("failed: " + error.getMessage()).getBytes(StandardCharsets.UTF_8));
        }
    };

    /** A parked request: answered once its asynchronous mode completed. */
    private record Parked(Waiter<String> waiter, MockHttpServletRequest request, MockHttpServletResponse response) {

        boolean hasResult() {
            return !request.isAsyncStarted();
        }

        String getResult() {
            try {
                return response.getContentAsString();
            } catch (UnsupportedEncodingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private Parked park(UUID id, Duration wait, Callable<String> answer) {
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockHttpServletRequest request = asyncRequest(response);
        Waiter<String> waiter = waiters.reserve().park(id, wait, answer, request, WRITER, r -> { });
        return new Parked(waiter, request, response);
    }

    /** A request whose {@code startAsync()} keeps its response, as a servlet container's does. */
    private static MockHttpServletRequest asyncRequest(MockHttpServletResponse response) {
        MockHttpServletRequest request = new MockHttpServletRequest() {
            @Override
            public AsyncContext startAsync() {
                return startAsync(this, response);
            }
        };
        request.setAsyncSupported(true);
        return request;
    }
}
