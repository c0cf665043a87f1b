package dev.cairn.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;

/**
 * The fault run's clients, all through the proxy: they start executions of every kind at a steady rate, retrying
 * a start with the same {@code executionName} and input after any failure or timeout until it is answered (and
 * sometimes sending it once more after it was, which must answer the same execution); they complete the
 * callbacks of {@code fault-callback} and {@code fault-anyof} executions from outside, finding each callback's id
 * in the operations list;
 * and they stop a share of the executions at a random moment shortly after their start.
 */
final class FaultLoad implements AutoCloseable {

    /** The workflows started through the API, in the order the starter goes round them. */
    static final List<String> KINDS = List.of("fault-retry", "fault-wait", "fault-timers", "fault-callback",
            "fault-map", "fault-chain", "fault-context", "fault-anyof");

    private static final long RETRY_PAUSE_MS = 250;

    /** One execution the clients started (or tried to). */
    static final class Tracked {
        final String name;
        final String workflow;
        final String inputJson;
        final boolean stopPlanned;
        volatile UUID id;
        volatile String conflict;
        volatile String refusal;
        volatile boolean stopRequested;
        volatile String stopAnswer;
        final AtomicLong attempts = new AtomicLong();

        Tracked(String name, String workflow, String inputJson, boolean stopPlanned) {
            this.name = name;
            this.workflow = workflow;
            this.inputJson = inputJson;
            this.stopPlanned = stopPlanned;
        }
    }

    final Map<String, Tracked> tracked = new ConcurrentHashMap<>();
    final AtomicLong startAttempts = new AtomicLong();
    final AtomicLong startRetries = new AtomicLong();
    final AtomicLong repeatedStarts = new AtomicLong();
    final AtomicLong callbacksCompleted = new AtomicLong();
    final AtomicLong callbacksAlreadyDone = new AtomicLong();
    final AtomicLong callbackRetries = new AtomicLong();
    final AtomicLong stopsAnswered = new AtomicLong();
    final AtomicLong stopsOfClosed = new AtomicLong();
    final AtomicLong stopRetries = new AtomicLong();

    private final Api api;
    private final Random random;
    private final String runId;
    private final double stopShare;
    private final double repeatShare;
    private final ExecutorService starters = Executors.newFixedThreadPool(8, daemon("faults-start"));
    private final ScheduledExecutorService stoppers = Executors.newScheduledThreadPool(2, daemon("faults-stop"));
    private final Set<Tracked> openCallbacks = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> callbackDueNanos = new ConcurrentHashMap<>();
    private final Set<String> callbacksDone = ConcurrentHashMap.newKeySet();
    private final Thread callbacker;
    private final AtomicLong pending = new AtomicLong();
    private volatile long giveUpNanos = Long.MAX_VALUE;
    private volatile boolean running = true;
    private long sequence;

    FaultLoad(Api api, long seed, double stopShare, double repeatShare) {
        this.api = api;
        this.random = new Random(seed);
        this.runId = Long.toString(Math.abs(seed) % 1_000_000, 36)
                + Long.toString(System.currentTimeMillis() % 100_000, 36);
        this.stopShare = stopShare;
        this.repeatShare = repeatShare;
        this.callbacker = new Thread(this::completeCallbacks, "faults-callbacks");
        this.callbacker.setDaemon(true);
        this.callbacker.start();
    }

    /** Starts one more execution (of the next kind in turn); its start is retried on another thread. */
    synchronized void startNext() {
        long n = sequence++;
        String workflow = KINDS.get((int) (n % KINDS.size()));
        String input = input(workflow);
        boolean stop = random.nextDouble() < stopShare;
        Tracked t = new Tracked("f-" + runId + "-" + n, workflow, input, stop);
        tracked.put(t.name, t);
        pending.incrementAndGet();
        starters.execute(() -> {
            try {
                start(t);
            } finally {
                pending.decrementAndGet();
            }
        });
    }

    /** Starts still being retried. */
    long pendingStarts() {
        return pending.get();
    }

    /** From now on, retries that have not succeeded by {@code deadlineNanos} give up. */
    void giveUpAt(long deadlineNanos) {
        giveUpNanos = deadlineNanos;
    }

    /** Callback executions whose callbacks may still need completing. */
    int openCallbackExecutions() {
        return openCallbacks.size();
    }

    Collection<Tracked> all() {
        return tracked.values();
    }

    private String input(String workflow) {
        return switch (workflow) {
            case "fault-retry" -> "{\"failFirst\":" + (1 + random.nextInt(3)) + "}";
            case "fault-wait" -> "{\"waitMs\":" + (500 + random.nextInt(2000)) + "}";
            case "fault-timers" -> {
                // every execution started in the same second waits until the same whole second
                long due = (System.currentTimeMillis() + 2_000) / 1_000 * 1_000 + 1_000;
                long spread = List.of(0, 0, 10, 40, 200).get(random.nextInt(5));
                yield "{\"branches\":4,\"dueAtMs\":" + due + ",\"spreadMs\":" + spread + "}";
            }
            case "fault-callback" -> "null";
            case "fault-map" -> "{\"items\":6,\"waitMs\":" + (300 + random.nextInt(900)) + "}";
            case "fault-chain" -> "{\"depth\":3,\"waitMs\":" + (500 + random.nextInt(1000)) + "}";
            case "fault-context" -> "{\"waitMs\":" + (300 + random.nextInt(1200)) + "}";
            case "fault-anyof" -> "{\"stepMs\":" + (200 + random.nextInt(1800)) + "}";
            default -> throw new IllegalArgumentException(workflow);
        };
    }

    private void start(Tracked t) {
        String body = "{\"input\":" + t.inputJson + ",\"executionName\":\"" + t.name + "\"}";
        boolean repeat;
        synchronized (this) {
            repeat = random.nextDouble() < repeatShare;
        }
        int answered = 0;
        while (answered < (repeat ? 2 : 1) && System.nanoTime() < giveUpNanos) {
            startAttempts.incrementAndGet();
            t.attempts.incrementAndGet();
            try {
                Api.Response r = api.post("/v1/workflows/" + t.workflow + "/executions", body);
                if (r.status() == 201 || r.status() == 200) {
                    UUID id = UUID.fromString(Api.JSON.readTree(r.body()).get("executionId").asString());
                    if (t.id != null && !t.id.equals(id)) {
                        t.conflict = "answered " + t.id + ", then " + id;
                    }
                    if (t.id == null) {
                        t.id = id;
                        if (t.workflow.equals("fault-callback") || t.workflow.equals("fault-anyof")) {
                            openCallbacks.add(t);
                        }
                        if (t.stopPlanned) {
                            stoppers.schedule(() -> stop(t), 300 + randomInt(3_700), TimeUnit.MILLISECONDS);
                        }
                    }
                    answered++;
                    if (answered == 2) {
                        repeatedStarts.incrementAndGet();
                    }
                    continue;
                }
                if (r.status() < 500 && r.status() != 408 && r.status() != 429) {
                    t.refusal = r.status() + " " + r.body();
                    return;
                }
            } catch (IOException | RuntimeException e) {
                // a reset, a refused connection, a timeout: the answer is unknown, so ask again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            startRetries.incrementAndGet();
            pause();
        }
    }

    private void stop(Tracked t) {
        t.stopRequested = true;
        while (System.nanoTime() < giveUpNanos) {
            try {
                Api.Response r = api.post("/v1/executions/" + t.id + "/stop", "{}");
                if (r.status() == 200) {
                    stopsAnswered.incrementAndGet();
                    t.stopAnswer = "STOPPED";
                    return;
                }
                if (r.status() == 409) {
                    stopsOfClosed.incrementAndGet();
                    t.stopAnswer = "already closed";
                    return;
                }
            } catch (IOException | RuntimeException e) {
                // unknown: ask again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            stopRetries.incrementAndGet();
            pause();
        }
    }

    /** Goes round the open callback executions, completing each STARTED callback a random moment after it appears. */
    private void completeCallbacks() {
        while (running) {
            for (Tracked t : new ArrayList<>(openCallbacks)) {
                try {
                    completeCallbacksOf(t);
                } catch (IOException | RuntimeException e) {
                    callbackRetries.incrementAndGet();
                } catch (InterruptedException e) {
                    return;
                }
            }
            try {
                Thread.sleep(400);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void completeCallbacksOf(Tracked t) throws IOException, InterruptedException {
        Api.Response ops = api.get("/v1/executions/" + t.id + "/operations?limit=1000");
        if (ops.status() != 200) {
            callbackRetries.incrementAndGet();
            return;
        }
        boolean open = false;
        for (JsonNode op : Api.JSON.readTree(ops.body()).get("items")) {
            if (!"CALLBACK".equals(op.path("type").asString()) || !"STARTED".equals(op.path("status").asString())) {
                continue;
            }
            String callbackId = op.path("callbackId").asString();
            if (callbackId == null || callbackId.isEmpty() || callbacksDone.contains(callbackId)) {
                continue;
            }
            open = true;
            long due = callbackDueNanos.computeIfAbsent(callbackId,
                    k -> System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(randomInt(1_000)));
            if (System.nanoTime() < due) {
                continue;
            }
            Api.Response r = api.post("/v1/callbacks/" + callbackId + "/succeed", "\"done-" + op.path("name")
                    .asString() + "\"");
            if (r.status() == 200) {
                callbacksCompleted.incrementAndGet();
                callbacksDone.add(callbackId);
            } else if (r.status() == 409) {
                callbacksAlreadyDone.incrementAndGet();
                callbacksDone.add(callbackId);
            } else {
                callbackRetries.incrementAndGet();
            }
        }
        if (!open) {
            Api.Response e = api.get("/v1/executions/" + t.id);
            if (e.status() == 200 && !"RUNNING".equals(Api.JSON.readTree(e.body()).path("status").asString())) {
                openCallbacks.remove(t);
            }
        }
    }

    private int randomInt(int bound) {
        synchronized (this) {
            return random.nextInt(bound);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(RETRY_PAUSE_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void close() {
        running = false;
        callbacker.interrupt();
        starters.shutdownNow();
        stoppers.shutdownNow();
    }
}
