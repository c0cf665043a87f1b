package dev.cairn.docs;

import dev.cairn.api.BatchResult;
import dev.cairn.api.Branch;
import dev.cairn.api.CallbackConfig;
import dev.cairn.api.CompletionConfig;
import dev.cairn.api.DurableCallback;
import dev.cairn.api.DurableContext;
import dev.cairn.api.DurableFuture;
import dev.cairn.api.InvokeConfig;
import dev.cairn.api.Jitter;
import dev.cairn.api.MapConfig;
import dev.cairn.api.ParallelConfig;
import dev.cairn.api.RetryDecision;
import dev.cairn.api.RetryStrategies;
import dev.cairn.api.RetryStrategy;
import dev.cairn.api.StepConfig;
import dev.cairn.api.StepFailedException;
import dev.cairn.api.StepSemantics;
import dev.cairn.api.TypeRef;
import dev.cairn.api.WaitForConditionConfig;
import dev.cairn.api.WaitStrategies;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The examples of docs/reference.md: each region between {@code snippet:start} and {@code snippet:end} is shown
 * there (ReferenceDocTest keeps them equal), so every example of the page compiles against the API.
 */
@SuppressWarnings("unused")
final class ReferenceExamples {

    record Order(String id, List<String> parcels) {
    }

    record Label(String parcel, String trackingCode) {
    }

    record Payment(String chargeId) {
    }

    record Job(String id, String status) {
        boolean finished() {
            return "DONE".equals(status);
        }
    }

    interface Payments {
        Payment charge(Order order) throws IOException;

        Payment chargeWithKey(Order order, String idempotencyKey) throws IOException;
    }

    interface Mail {
        void askForApproval(Order order, String callbackId);
    }

    interface Jobs {
        Job fetch(String id);
    }

    private Payments payments;
    private Mail mail;
    private Jobs jobs;

    void step(DurableContext ctx, Order order) {
        // snippet:start step
        Payment payment = ctx.step("charge", Payment.class, step -> payments.charge(order));

        Payment again = ctx.step("charge-with-key", Payment.class,
                step -> payments.chargeWithKey(order, order.id() + "-" + step.attempt()),
                StepConfig.defaults()
                        .withRetry(RetryStrategies.exponentialBackoff(5, Duration.ofSeconds(1),
                                Duration.ofMinutes(1), 2.0, Jitter.FULL))
                        .withSemantics(StepSemantics.AT_MOST_ONCE_PER_RETRY)
                        .withTimeout(Duration.ofSeconds(30)));

        List<Label> labels = ctx.step("labels", new TypeRef<List<Label>>() {}, step -> List.of());
        // snippet:end step
    }

    void retries() {
        // snippet:start retries
        RetryStrategy standard = RetryStrategies.standard();        // 6 attempts, 5 s ×2 up to 60 s, full jitter
        RetryStrategy never = RetryStrategies.noRetry();
        RetryStrategy fixed = RetryStrategies.fixedDelay(3, Duration.ofSeconds(10));
        RetryStrategy linear = RetryStrategies.linear(4, Duration.ofSeconds(1), Duration.ofSeconds(2),
                Duration.ofSeconds(30));
        RetryStrategy onlyIo = RetryStrategies.retryOn(standard, IOException.class, UncheckedIOException.class);
        RetryStrategy custom = (error, attempt) -> error instanceof SocketTimeoutException && attempt < 10
                ? RetryDecision.retryAfter(Duration.ofSeconds(attempt))
                : RetryDecision.fail();
        // snippet:end retries
    }

    void stepFailed(DurableContext ctx, Order order) {
        // snippet:start step-failed
        try {
            ctx.step("charge", Payment.class, step -> payments.charge(order),
                    StepConfig.defaults().withRetry(RetryStrategies.fixedDelay(3, Duration.ofSeconds(2))));
        } catch (StepFailedException e) {
            // e.errorInfo() is the last attempt's error: type (class name), message, data
            ctx.step("notify-failure", String.class, step -> "charge failed: " + e.errorInfo().message());
        }
        // snippet:end step-failed
    }

    void stepAsync(DurableContext ctx, Order order) {
        // snippet:start step-async
        DurableFuture<Payment> charge = ctx.stepAsync("charge", Payment.class, step -> payments.charge(order));
        DurableFuture<String> reserve = ctx.stepAsync("reserve", String.class, step -> "reservation-1");
        DurableFuture.allOf(charge, reserve).get();
        Payment payment = charge.get();
        // snippet:end step-async
    }

    void waits(DurableContext ctx) {
        // snippet:start wait
        ctx.wait("cool-off", Duration.ofMinutes(10));
        Instant nineTomorrow = ctx.step("nine-tomorrow", Instant.class,
                step -> Instant.parse("2030-01-02T09:00:00Z"));
        ctx.waitUntil("until-nine", nineTomorrow);
        // snippet:end wait
    }

    void createCallback(DurableContext ctx, Order order) {
        // snippet:start create-callback
        DurableCallback<String> approval = ctx.createCallback("approval", String.class,
                CallbackConfig.defaults().withTimeout(Duration.ofDays(2)).withHeartbeatTimeout(Duration.ofHours(1)));
        ctx.step("ask", Void.class, step -> {
            mail.askForApproval(order, approval.callbackId());
            return null;
        });
        String approvedBy = approval.get();        // suspends until POST /v1/callbacks/{id}/succeed
        // snippet:end create-callback
    }

    void waitForCallback(DurableContext ctx, Order order) {
        // snippet:start wait-for-callback
        String approvedBy = ctx.waitForCallback("approval", String.class,
                (callbackId, step) -> mail.askForApproval(order, callbackId),
                CallbackConfig.defaults().withTimeout(Duration.ofDays(2))
                        .withSubmitterRetry(RetryStrategies.fixedDelay(5, Duration.ofSeconds(30))));
        // snippet:end wait-for-callback
    }

    void waitForCondition(DurableContext ctx, String jobId) {
        // snippet:start wait-for-condition
        Job done = ctx.waitForCondition("job-done", Job.class,
                (job, step) -> jobs.fetch(jobId),
                WaitForConditionConfig.of(new Job(jobId, "NEW"),
                        WaitStrategies.fixedDelay(Job::finished, Duration.ofSeconds(30), 120)));
        Job backedOff = ctx.waitForCondition("job-done-backoff", Job.class,
                (job, step) -> jobs.fetch(jobId),
                WaitForConditionConfig.of(null, WaitStrategies.exponentialBackoff(
                        job -> job != null && job.finished(), 20, Duration.ofSeconds(1), Duration.ofMinutes(5),
                        2.0, Jitter.HALF)));
        // snippet:end wait-for-condition
    }

    void parallel(DurableContext ctx, Order order) {
        // snippet:start parallel
        BatchResult<String> checks = ctx.parallel("checks", String.class, List.of(
                        Branch.of("fraud", c -> c.step("fraud-check", String.class, s -> "ok")),
                        Branch.of("stock", c -> c.step("stock-check", String.class, s -> "ok"))),
                ParallelConfig.defaults().withCompletion(CompletionConfig.allSuccessful()));
        checks.throwIfError();
        List<String> results = checks.results();
        // snippet:end parallel
    }

    void map(DurableContext ctx, Order order) {
        // snippet:start map
        BatchResult<Label> labels = ctx.map("labels", order.parcels(), Label.class,
                (child, parcel, index) -> child.step("print", Label.class, s -> new Label(parcel, "T-" + index)),
                MapConfig.<String>defaults()
                        .withMaxConcurrency(10)
                        .withCompletion(CompletionConfig.toleratedFailurePercentage(10))
                        .withItemNamer((parcel, index) -> "label-" + parcel));
        int printed = labels.successCount();
        // snippet:end map
    }

    void invoke(DurableContext ctx, Order order) {
        // snippet:start invoke
        Label shipped = ctx.invoke("ship", "shipping", order, Label.class,
                InvokeConfig.defaults().withVersion("2").withTimeout(Duration.ofHours(1)));
        // snippet:end invoke
    }

    void childContext(DurableContext ctx, Order order) {
        // snippet:start child-context
        Payment paid = ctx.runInChildContext("payment", Payment.class, child -> {
            Payment p = child.step("charge", Payment.class, s -> payments.charge(order));
            child.wait("settle", Duration.ofMinutes(1));
            return p;
        });
        // snippet:end child-context
    }

    void nowAndRandom(DurableContext ctx) {
        // snippet:start now-random
        Instant startedAt = ctx.now();              // never Instant.now() outside a step
        UUID requestId = ctx.randomUUID();          // never UUID.randomUUID() outside a step
        ctx.logger().info("request {} at {}", requestId, startedAt);   // silent while replaying
        String id = ctx.executionId();
        // snippet:end now-random
    }
}
