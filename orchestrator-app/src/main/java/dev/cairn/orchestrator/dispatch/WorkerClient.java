package dev.cairn.orchestrator.dispatch;

import dev.cairn.orchestrator.OrchestratorProperties;
import dev.cairn.protocol.DispatchBatch;
import dev.cairn.protocol.DispatchBatchResponse;
import dev.cairn.protocol.Invocation;
import dev.cairn.protocol.InvocationBatchResponse;
import dev.cairn.protocol.json.InvocationCodec;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.functions.CheckedSupplier;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Posts invocations to workers over HTTP/1.1 with keep-alive. Each worker has a circuit breaker, so an unreachable
 * worker is skipped for a while instead of being tried for every execution; a connection that could not be opened is
 * tried again (the request never reached the worker, so a retry cannot run the invocation twice): once by the
 * asynchronous client, which also takes over a send from the calling thread that could not connect.
 *
 * <p>Two ways to send: asynchronously ({@link #send}, {@link #sendBatch}: the JDK {@link HttpClient}, for the
 * dispatcher's one thread, which must not wait for any worker), and on the calling thread ({@link #sendFromCaller}:
 * {@link BlockingPost}, for a start that sends its execution's first invocation itself). The second saves the
 * asynchronous client's hand-offs to its executor and selector threads (most of the time between a start's commit
 * and its invocation on the wire, and a fifth of the orchestrator's CPU per step at 32 starts in flight), but holds
 * its caller until the worker answers: at most {@code cairn.orchestrator.worker-direct-send-timeout} (1 s), and at
 * most {@code cairn.orchestrator.worker-direct-sends} callers per worker at once; a caller beyond them sends
 * asynchronously.
 */
@Component
public class WorkerClient implements DisposableBean {

    private static final String SINGLE_PATH = "/cairn/invocations";
    private static final String BATCH_PATH = SINGLE_PATH + "/batch";

    private final HttpClient http;
    private final ExecutorService httpExecutor;
    private final ScheduledExecutorService scheduler;
    private final InvocationCodec json;
    private final CircuitBreakerRegistry breakers;
    private final Retry retry;
    private final Duration requestTimeout;
    private final JsonMapper mapper;
    private final BlockingPost blocking;
    private final int directSends;
    private final Map<String, Semaphore> directPermits = new ConcurrentHashMap<>();

    public WorkerClient(JsonMapper mapper, OrchestratorProperties properties) {
        this.mapper = mapper;
        this.blocking = new BlockingPost(
                shorter(properties.workerConnectTimeout(), properties.workerDirectSendTimeout()),
                shorter(properties.workerRequestTimeout(), properties.workerDirectSendTimeout()));
        this.directSends = properties.workerDirectSends();
        this.json = new InvocationCodec(mapper.tokenStreamFactory());
        this.requestTimeout = properties.workerRequestTimeout();
        this.httpExecutor = Executors.newCachedThreadPool(daemon("cairn-worker-http"));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("cairn-worker-retry"));
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(properties.workerConnectTimeout())
                .executor(httpExecutor)
                .build();
        this.breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(10)
                .minimumNumberOfCalls(3)
                .failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofSeconds(5))
                .permittedNumberOfCallsInHalfOpenState(1)
                .build());
        this.retry = Retry.of("worker-connect", RetryConfig.custom()
                .maxAttempts(2)
                .waitDuration(Duration.ofMillis(100))
                .retryOnException(WorkerClient::notConnected)
                .build());
    }

    /** Whether invocations may be sent to the worker now (its circuit is not open). */
    public boolean isAvailable(String workerId) {
        CircuitBreaker.State state = breakers.circuitBreaker(workerId).getState();
        return state != CircuitBreaker.State.OPEN && state != CircuitBreaker.State.FORCED_OPEN;
    }

    /**
     * Posts the invocation to {@code {endpoint}/cairn/invocations}, with {@code Authorization: Bearer <secret>} when
     * the worker registered an invocation secret; never completes exceptionally.
     */
    CompletionStage<SendOutcome> send(String workerId, String endpoint, String invocationSecret, Invocation invocation) {
        return exchange(workerId, request(trimSlash(endpoint) + SINGLE_PATH, invocationSecret, json.write(invocation)),
                HttpResponse.BodyHandlers.discarding(), response -> outcome(workerId, response.statusCode()),
                SendOutcome.FAILED);
    }

    /**
     * {@link #send}, but on the calling thread while fewer than {@code worker-direct-sends} callers are sending to
     * this worker so: the answer is then complete when this returns (the worker accepted, refused, or did not answer
     * within {@code worker-direct-send-timeout}: failed). Beyond them, or with none configured, as {@link #send}; and
     * when no connection could be opened, it goes on as {@link #send} (which tries once more) after that one attempt.
     */
    CompletionStage<SendOutcome> sendFromCaller(String workerId, String endpoint, String invocationSecret,
            Invocation invocation) {
        Semaphore permits = directSends == 0 ? null
                : directPermits.computeIfAbsent(workerId, id -> new Semaphore(directSends));
        if (permits == null || !permits.tryAcquire()) {
            return send(workerId, endpoint, invocationSecret, invocation);
        }
        try {
            String url = trimSlash(endpoint) + SINGLE_PATH;
            String authorization = invocationSecret == null ? null : "Bearer " + invocationSecret;
            byte[] body = json.write(invocation);
            CheckedSupplier<SendOutcome> post = () -> outcome(workerId, blocking.post(url, authorization, body));
            return CompletableFuture.completedFuture(
                    CircuitBreaker.decorateCheckedSupplier(breakers.circuitBreaker(workerId), post).get());
        } catch (ConnectException e) {
            // nothing reached the worker: the asynchronous client tries again (with its connect retry), so that
            // this caller is held for one attempt only
            return send(workerId, endpoint, invocationSecret, invocation);
        } catch (Error e) {
            throw e;
        } catch (Throwable e) {
            // timed out, circuit open or an unexpected answer, as for send
            return CompletableFuture.completedFuture(SendOutcome.FAILED);
        } finally {
            permits.release();
        }
    }

    /**
     * Posts the invocations to {@code {endpoint}/cairn/invocations/batch} in one request (a worker that registered
     * {@code invocationBatches}); one outcome per invocation, in order, as the worker admitted each. A request the
     * worker did not answer with its results (unreachable, timed out, circuit open, another status) is every
     * invocation's outcome; never completes exceptionally.
     */
    CompletionStage<List<SendOutcome>> sendBatch(String workerId, String endpoint, String invocationSecret,
            List<Invocation> invocations) {
        List<SendOutcome> failed = Collections.nCopies(invocations.size(), SendOutcome.FAILED);
        return exchange(workerId,
                request(trimSlash(endpoint) + BATCH_PATH, invocationSecret, json.write(new DispatchBatch(invocations))),
                HttpResponse.BodyHandlers.ofByteArray(),
                response -> outcomes(workerId, response, invocations.size()), failed);
    }

    private HttpRequest request(String url, String invocationSecret, byte[] body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url))
                .timeout(requestTimeout)
                .header("Content-Type", "application/json");
        if (invocationSecret != null) {
            builder.header("Authorization", "Bearer " + invocationSecret);
        }
        return builder.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    /** Sends through the worker's circuit breaker and the connect retry; {@code failed} on any error. */
    private <B, T> CompletionStage<T> exchange(String workerId, HttpRequest request,
            HttpResponse.BodyHandler<B> body, Function<HttpResponse<B>, T> answer, T failed) {
        CircuitBreaker breaker = breakers.circuitBreaker(workerId);
        Supplier<CompletionStage<T>> post = () -> http.sendAsync(request, body).thenApply(answer);
        Supplier<CompletionStage<T>> guarded = Retry.decorateCompletionStage(retry, scheduler,
                CircuitBreaker.decorateCompletionStage(breaker, post));
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            guarded.get().whenComplete((outcome, error) -> result.complete(error == null ? outcome : failed));
        } catch (RuntimeException e) {
            result.complete(failed);
        }
        return result;
    }

    /**
     * The outcome of each invocation of a batch: its own result when the worker answered {@code 200} with one per
     * invocation, else the whole answer's (busy, not served) for every one; an item answered otherwise (400) failed.
     */
    private List<SendOutcome> outcomes(String workerId, HttpResponse<byte[]> response, int count) {
        if (response.statusCode() != 200) {
            return Collections.nCopies(count, outcome(workerId, response.statusCode()));
        }
        List<InvocationBatchResponse.Result> results;
        try {
            results = mapper.readValue(response.body(), DispatchBatchResponse.class).results();
        } catch (JacksonException e) {
            throw new WorkerAnswerException(workerId, "an unreadable batch answer: " + e.getOriginalMessage());
        }
        if (results.size() != count) {
            throw new WorkerAnswerException(workerId, results.size() + " results for " + count + " invocations");
        }
        List<SendOutcome> outcomes = new ArrayList<>(count);
        for (InvocationBatchResponse.Result r : results) {
            SendOutcome outcome = ofStatus(r.status());
            outcomes.add(outcome == null ? SendOutcome.FAILED : outcome);
        }
        return outcomes;
    }

    @Override
    public void destroy() {
        scheduler.shutdownNow();
        httpExecutor.shutdownNow();
    }

    private static SendOutcome outcome(String workerId, int status) {
        SendOutcome outcome = ofStatus(status);
        if (outcome == null) {
            throw new WorkerAnswerException(workerId, status);
        }
        return outcome;
    }

    /** What a worker's status for one invocation means; null for a status a worker does not answer with. */
    private static SendOutcome ofStatus(int status) {
        return switch (status) {
            case 200, 201, 202, 204 -> SendOutcome.ACCEPTED;
            case 503, 429 -> SendOutcome.BUSY;
            case 404 -> SendOutcome.NOT_SERVED;
            default -> null;
        };
    }

    private static boolean notConnected(Throwable t) {
        Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        return cause instanceof ConnectException || cause instanceof HttpConnectTimeoutException;
    }

    private static Duration shorter(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String trimSlash(String endpoint) {
        return endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** A worker answered an invocation with an unexpected status or body. */
    static final class WorkerAnswerException extends RuntimeException {

        WorkerAnswerException(String workerId, int status) {
            this(workerId, String.valueOf(status));
        }

        WorkerAnswerException(String workerId, String answer) {
            super("worker " + workerId + " answered " + answer);
        }
    }
}
