package dev.cairn.orchestrator.dispatch;

import dev.cairn.orchestrator.OrchestratorProperties;
import dev.cairn.protocol.Invocation;
import dev.cairn.protocol.json.InvocationCodec;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Posts invocations to workers over HTTP/1.1 with keep-alive (JDK {@link HttpClient}, asynchronous). Each worker
 * has a circuit breaker, so an unreachable worker is skipped for a while instead of being tried for every
 * execution; a connection that could not be opened is retried once (the request never reached the worker, so the
 * retry cannot run the invocation twice).
 */
@Component
public class WorkerClient implements DisposableBean {

    private final HttpClient http;
    private final ExecutorService httpExecutor;
    private final ScheduledExecutorService scheduler;
    private final InvocationCodec json;
    private final CircuitBreakerRegistry breakers;
    private final Retry retry;
    private final Duration requestTimeout;

    public WorkerClient(JsonMapper mapper, OrchestratorProperties properties) {
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
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(trimSlash(endpoint) + "/cairn/invocations"))
                .timeout(requestTimeout)
                .header("Content-Type", "application/json");
        if (invocationSecret != null) {
            builder.header("Authorization", "Bearer " + invocationSecret);
        }
        HttpRequest request = builder
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.write(invocation)))
                .build();
        CircuitBreaker breaker = breakers.circuitBreaker(workerId);
        Supplier<CompletionStage<SendOutcome>> post = () -> http
                .sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .thenApply(response -> outcome(workerId, response.statusCode()));
        Supplier<CompletionStage<SendOutcome>> guarded = Retry.decorateCompletionStage(retry, scheduler,
                CircuitBreaker.decorateCompletionStage(breaker, post));
        CompletableFuture<SendOutcome> result = new CompletableFuture<>();
        try {
            guarded.get().whenComplete((outcome, error) -> result.complete(error == null ? outcome : SendOutcome.FAILED));
        } catch (RuntimeException e) {
            result.complete(SendOutcome.FAILED);
        }
        return result;
    }

    @Override
    public void destroy() {
        scheduler.shutdownNow();
        httpExecutor.shutdownNow();
    }

    private static SendOutcome outcome(String workerId, int status) {
        return switch (status) {
            case 200, 201, 202, 204 -> SendOutcome.ACCEPTED;
            case 503, 429 -> SendOutcome.BUSY;
            case 404 -> SendOutcome.NOT_SERVED;
            default -> throw new WorkerAnswerException(workerId, status);
        };
    }

    private static boolean notConnected(Throwable t) {
        Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        return cause instanceof ConnectException || cause instanceof HttpConnectTimeoutException;
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

    /** A worker answered an invocation with an unexpected status. */
    static final class WorkerAnswerException extends RuntimeException {

        WorkerAnswerException(String workerId, int status) {
            super("worker " + workerId + " answered " + status);
        }
    }
}
