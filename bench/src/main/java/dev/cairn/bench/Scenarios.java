package dev.cairn.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import tools.jackson.databind.JsonNode;

/** The eight scenarios of issue 5 and the retention sweep of issue 4. Each returns its report(s); the figures' sources are in the reports' notes. */
final class Scenarios {

    private static final double MB = 1024.0 * 1024.0;

    private final Options o;
    private final Cluster c;
    private final Db db;
    private final Api api;
    private final int runs;
    private final int pollMs;

    Scenarios(Options o, Cluster c, Db db) {
        this.o = o;
        this.c = c;
        this.db = db;
        this.api = c.api;
        this.runs = o.integer("runs", 3, 1);
        this.pollMs = o.integer("poll-ms", 5, 2);
    }

    // ---------------------------------------------------------------------------------------------- 1. limit

    Report limit() throws Exception {
        List<Integer> clients = o.integers("limit-clients", "1,8,32", "1,8,32");
        long ms = o.longValue("limit-ms", 10_000, 1_000);
        long warm = o.longValue("limit-warmup-ms", 2_000, 200);
        Report r = new Report("limit", clients.stream().map(n -> "tps_" + n).toArray(String[]::new));
        r.notes.add("JDBC clients (one connection and thread each, autocommit off, prepared statements) each commit in"
                + " a loop: INSERT of one ~200-byte row into bench_limit_op (PK execution_id, op_id) + UPDATE of the"
                + " client's own row of bench_limit_exec; tps_N = commits/s with N clients over limit-ms after"
                + " limit-warmup-ms; commit_ms_* = latency of one such transaction.");
        for (int i = 0; i < runs; i++) {
            Map<String, Object> run = r.newRun();
            for (int n : clients) {
                LimitResult lr = limitRun(n, ms, warm);
                run.put("tps_" + n, Stats.round(lr.tps, 1));
                run.put("commit_ms_p50_" + n, Stats.round(lr.p50Ms, 3));
                run.put("commit_ms_p99_" + n, Stats.round(lr.p99Ms, 3));
            }
        }
        return r;
    }

    record LimitResult(double tps, double p50Ms, double p99Ms) {
    }

    LimitResult limitRun(int clients, long ms, long warmMs) throws Exception {
        db.execute("create table if not exists bench_limit_exec (id integer primary key, steps bigint not null,"
                + " updated_at timestamptz)");
        db.execute("create table if not exists bench_limit_op (execution_id integer not null, op_id bigint not null,"
                + " payload text not null, created_at timestamptz not null default now(),"
                + " constraint pk_bench_limit_op primary key (execution_id, op_id))");
        db.execute("truncate bench_limit_op");
        db.execute("insert into bench_limit_exec (id, steps) select g, 0 from generate_series(1, ?) g"
                + " on conflict do nothing", clients);
        String payload = ("{\"type\":\"STEP\",\"subType\":\"Step\",\"name\":\"charge-card\",\"status\":\"SUCCEEDED\","
                + "\"attempt\":1,\"result\":\"" + "x".repeat(200)).substring(0, 198) + "\"}";
        CountDownLatch ready = new CountDownLatch(clients);
        long[] window = new long[2];
        AtomicLong commits = new AtomicLong();
        List<long[]> latencies = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> futures = new ArrayList<>();
        Object go = new Object();
        for (int t = 0; t < clients; t++) {
            int id = t + 1;
            futures.add(pool.submit(() -> {
                try (Connection conn = db.connect()) {
                    conn.setAutoCommit(false);
                    PreparedStatement ins = conn.prepareStatement(
                            "insert into bench_limit_op (execution_id, op_id, payload) values (?, ?, ?)");
                    PreparedStatement upd = conn.prepareStatement(
                            "update bench_limit_exec set steps = steps + 1, updated_at = now() where id = ?");
                    long[] lat = new long[1 << 16];
                    int nLat = 0;
                    long op = 0;
                    ready.countDown();
                    synchronized (go) {
                        while (window[1] == 0) {
                            go.wait();
                        }
                    }
                    long count = 0;
                    while (true) {
                        long t0 = System.nanoTime();
                        if (t0 >= window[1]) {
                            break;
                        }
                        ins.setInt(1, id);
                        ins.setLong(2, ++op);
                        ins.setString(3, payload);
                        ins.executeUpdate();
                        upd.setInt(1, id);
                        upd.executeUpdate();
                        conn.commit();
                        long t1 = System.nanoTime();
                        if (t0 >= window[0] && t1 <= window[1]) {
                            count++;
                            if (nLat == lat.length) {
                                lat = java.util.Arrays.copyOf(lat, lat.length * 2);
                            }
                            lat[nLat++] = t1 - t0;
                        }
                    }
                    commits.addAndGet(count);
                    latencies.add(java.util.Arrays.copyOf(lat, nLat));
                }
                return null;
            }));
        }
        ready.await();
        synchronized (go) {
            long now = System.nanoTime();
            window[0] = now + TimeUnit.MILLISECONDS.toNanos(warmMs);
            window[1] = window[0] + TimeUnit.MILLISECONDS.toNanos(ms);
            go.notifyAll();
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        double[] all = latencies.stream().flatMapToLong(java.util.Arrays::stream).mapToDouble(n -> n / 1e6).toArray();
        return new LimitResult(commits.get() / (ms / 1000.0), Stats.percentile(all, 50), Stats.percentile(all, 99));
    }

    // ------------------------------------------------------------------------------ 2. throughput, 8. memory

    List<Report> throughput() throws Exception {
        int n = o.integer("executions", 5_000, 20);
        int conc = o.integer("concurrency", 32, 4);
        int steps = o.integer("steps", 10, 10);
        int warmup = o.integer("warmup-executions", 1_000, 0);
        long limitMs = o.longValue("throughput-limit-ms", 5_000, 500);
        long sampleMs = o.longValue("memory-sample-ms", 250, 100);
        Report r = new Report("throughput", "executions_per_s", "steps_per_s", "limit_tps", "fraction_of_limit",
                "latency_ms_p50", "latency_ms_p99", "failed");
        Report m = new Report("memory", "orchestrator_heap_max_mb", "orchestrator_heap_end_mb",
                "orchestrator_heap_live_mb", "orchestrator_rss_mb", "worker_heap_max_mb", "worker_heap_end_mb",
                "worker_heap_live_mb", "worker_rss_mb");
        r.notes.add("Closed loop: `concurrency` client threads each start an execution of bench-steps (`steps` trivial"
                + " steps) over REST and start the next one when it is closed; the harness learns of closes by"
                + " polling PostgreSQL every poll-ms for the in-flight ids (PK lookups). executions_per_s ="
                + " executions / (last ended_at - first started_at), timestamps the orchestrator stored; latency ="
                + " ended_at - started_at per execution. limit_tps = the limit scenario's transaction at"
                + " `concurrency` clients, measured in the same run just before (throughput-limit-ms).");
        m.notes.add("At the end of each throughput run, from each child JVM's probe: heap used (MemoryMXBean) now, the"
                + " highest heap used sampled every memory-sample-ms during the run, heap used after a full GC"
                + " (live set), and RSS (/proc/<pid>/status VmRSS).");
        double settlePct = o.integer("jit-settle-pct", 5, 0);
        long settleMaxS = o.longValue("jit-settle-max-s", 300, 0);
        r.notes.add("Warm-up before the runs: warmup-executions executions, then more rounds of as many until, over a"
                + " round, each JVM's JIT compilers took less than jit-settle-pct % of the round's wall time (or"
                + " jit-settle-max-s passed): the figures are those of JIT-compiled JVMs, as a service that has run"
                + " for a while. warmup_* say how long it took; *_jit_pct = each JVM's compile time during the"
                + " measured run in % of its wall time.");
        long warmStart = System.nanoTime();
        int warmed = 0;
        if (warmup > 0) {
            String warmInput = "{\"steps\":" + steps + "}";
            closedLoop("bench-steps", warmInput, warmup, conc);
            warmed += warmup;
            long deadline = warmStart + TimeUnit.SECONDS.toNanos(settleMaxS);
            while (settlePct > 0 && System.nanoTime() < deadline) {
                long jitO = c.orchestrator.compileMs();
                long jitW = c.worker.compileMs();
                long t = System.nanoTime();
                closedLoop("bench-steps", warmInput, warmup, conc);
                warmed += warmup;
                double ms = (System.nanoTime() - t) / 1e6;
                double pctO = (c.orchestrator.compileMs() - jitO) / ms * 100;
                double pctW = (c.worker.compileMs() - jitW) / ms * 100;
                System.out.printf(Locale.ROOT, "[bench] warm-up: %d executions, JIT %.1f %% (orchestrator) %.1f %%"
                        + " (worker) of the last round%n", warmed, pctO, pctW);
                if (pctO < settlePct && pctW < settlePct) {
                    break;
                }
            }
        }
        double warmS = (System.nanoTime() - warmStart) / 1e9;
        for (int i = 0; i < runs; i++) {
            Map<String, Object> run = r.newRun();
            run.put("warmup_executions", warmed);
            run.put("warmup_s", Stats.round(warmS, 1));
            double limit = limitRun(conc, limitMs, Math.min(1_000, limitMs / 5)).tps;
            Sampler sampler = new Sampler(sampleMs);
            sampler.start();
            long cpuO = c.orchestrator.cpuNanos();
            long cpuW = c.worker.cpuNanos();
            long jitO = c.orchestrator.compileMs();
            long jitW = c.worker.compileMs();
            Map<Long, Long> pg0 = pgTicks(db.name);
            long t0 = System.nanoTime();
            List<UUID> ids = closedLoop("bench-steps", "{\"steps\":" + steps + "}", n, conc);
            double wallS = (System.nanoTime() - t0) / 1e9;
            double pgS = pgCpuSeconds(pg0, pgTicks(db.name));
            sampler.stop();
            double cpuOPct = (c.orchestrator.cpuNanos() - cpuO) / 1e9 / wallS * 100;
            double cpuWPct = (c.worker.cpuNanos() - cpuW) / 1e9 / wallS * 100;
            run.put("orchestrator_jit_pct", Stats.round((c.orchestrator.compileMs() - jitO) / 10.0 / wallS, 1));
            run.put("worker_jit_pct", Stats.round((c.worker.compileMs() - jitW) / 10.0 / wallS, 1));
            List<Db.Stored> stored = db.executions(ids);
            long failed = stored.stream().filter(s -> !"SUCCEEDED".equals(s.status())).count();
            long first = stored.stream().mapToLong(Db.Stored::startedMs).min().orElse(0);
            long last = stored.stream().mapToLong(Db.Stored::endedMs).max().orElse(0);
            double spanS = Math.max(1, last - first) / 1000.0;
            double[] lat = stored.stream().filter(s -> s.endedMs() > 0)
                    .mapToDouble(s -> s.endedMs() - s.startedMs()).toArray();
            double eps = stored.size() / spanS;
            run.put("executions", stored.size());
            run.put("failed", failed);
            run.put("executions_per_s", Stats.round(eps, 1));
            run.put("steps_per_s", Stats.round(eps * steps, 1));
            run.put("limit_tps", Stats.round(limit, 1));
            run.put("fraction_of_limit", Stats.round(eps * steps / limit, 3));
            run.put("latency_ms_p50", Stats.percentile(lat, 50));
            run.put("latency_ms_p99", Stats.percentile(lat, 99));
            run.put("latency_ms_max", Stats.max(lat));
            run.put("client_wall_s", Stats.round(wallS, 3));
            run.put("orchestrator_cpu_pct", Stats.round(cpuOPct, 1));
            run.put("worker_cpu_pct", Stats.round(cpuWPct, 1));
            // CPU time each JVM spent per step: what bounds steps/s once the CPUs are the limit
            run.put("orchestrator_cpu_ms_per_step", Stats.round(cpuOPct / 100 * wallS * 1000 / (n * (double) steps), 3));
            run.put("worker_cpu_ms_per_step", Stats.round(cpuWPct / 100 * wallS * 1000 / (n * (double) steps), 3));
            run.put("postgres_cpu_ms_per_step", Stats.round(pgS * 1000 / (n * (double) steps), 3));
            Map<String, Object> mem = m.newRun();
            JsonNode po = c.orchestrator.probe(false);
            JsonNode pw = c.worker.probe(false);
            mem.put("orchestrator_heap_max_mb", Stats.round(Math.max(sampler.maxHeapO, po.get("heapUsed").asLong()) / MB, 1));
            mem.put("orchestrator_heap_end_mb", Stats.round(po.get("heapUsed").asLong() / MB, 1));
            mem.put("orchestrator_rss_mb", Stats.round(po.get("rss").asLong() / MB, 1));
            mem.put("orchestrator_rss_max_mb", Stats.round(Math.max(sampler.maxRssO, po.get("rss").asLong()) / MB, 1));
            mem.put("orchestrator_heap_committed_mb", Stats.round(po.get("heapCommitted").asLong() / MB, 1));
            mem.put("orchestrator_heap_xmx_mb", Stats.round(po.get("heapMax").asLong() / MB, 1));
            mem.put("orchestrator_threads", po.get("threads").asLong());
            mem.put("worker_heap_max_mb", Stats.round(Math.max(sampler.maxHeapW, pw.get("heapUsed").asLong()) / MB, 1));
            mem.put("worker_heap_end_mb", Stats.round(pw.get("heapUsed").asLong() / MB, 1));
            mem.put("worker_rss_mb", Stats.round(pw.get("rss").asLong() / MB, 1));
            mem.put("worker_rss_max_mb", Stats.round(Math.max(sampler.maxRssW, pw.get("rss").asLong()) / MB, 1));
            mem.put("worker_heap_committed_mb", Stats.round(pw.get("heapCommitted").asLong() / MB, 1));
            mem.put("worker_heap_xmx_mb", Stats.round(pw.get("heapMax").asLong() / MB, 1));
            mem.put("worker_threads", pw.get("threads").asLong());
            mem.put("orchestrator_heap_live_mb", Stats.round(c.orchestrator.probe(true).get("heapUsed").asLong() / MB, 1));
            mem.put("worker_heap_live_mb", Stats.round(c.worker.probe(true).get("heapUsed").asLong() / MB, 1));
            mem.put("orchestrator_gc_ms_total", po.get("gcMs").asLong());
            mem.put("worker_gc_ms_total", pw.get("gcMs").asLong());
        }
        return List.of(r, m);
    }

    /** Samples both JVMs' heap and RSS in the background and keeps the highest values. */
    private final class Sampler {
        private final long everyMs;
        private volatile boolean running = true;
        volatile long maxHeapO;
        volatile long maxHeapW;
        volatile long maxRssO;
        volatile long maxRssW;
        private Thread thread;

        Sampler(long everyMs) {
            this.everyMs = everyMs;
        }

        void start() {
            thread = new Thread(() -> {
                while (running) {
                    try {
                        JsonNode po = c.orchestrator.probe(false);
                        JsonNode pw = c.worker.probe(false);
                        maxHeapO = Math.max(maxHeapO, po.get("heapUsed").asLong());
                        maxRssO = Math.max(maxRssO, po.get("rss").asLong());
                        maxHeapW = Math.max(maxHeapW, pw.get("heapUsed").asLong());
                        maxRssW = Math.max(maxRssW, pw.get("rss").asLong());
                        Thread.sleep(everyMs);
                    } catch (InterruptedException e) {
                        return;
                    } catch (RuntimeException e) {
                        // a probe that does not answer once is skipped
                    }
                }
            }, "bench-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.interrupt();
            thread.join(5_000);
        }
    }

    /**
     * Runs {@code total} executions of {@code workflow}, {@code conc} at a time: each of {@code conc} threads starts
     * one over REST and waits until the harness sees it closed, then starts the next.
     */
    List<UUID> closedLoop(String workflow, String input, int total, int conc) throws Exception {
        List<UUID> ids = Collections.synchronizedList(new ArrayList<>(total));
        AtomicInteger next = new AtomicInteger();
        long timeoutMs = o.longValue("execution-timeout-ms", 120_000, 60_000);
        try (CloseWatcher watcher = new CloseWatcher()) {
            ExecutorService pool = Executors.newFixedThreadPool(conc);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < conc; t++) {
                futures.add(pool.submit(() -> {
                    while (next.getAndIncrement() < total) {
                        UUID id = api.start(workflow, input);
                        ids.add(id);
                        watcher.await(id).get(timeoutMs, TimeUnit.MILLISECONDS);
                    }
                    return null;
                }));
            }
            try {
                for (Future<?> f : futures) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
        }
        return new ArrayList<>(ids);
    }

    /** Polls PostgreSQL every poll-ms for which of the awaited executions are closed (PK lookups only). */
    private final class CloseWatcher implements AutoCloseable {
        private final Map<UUID, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();
        private final Thread thread;
        private volatile boolean running = true;
        private volatile Exception failure;

        CloseWatcher() {
            thread = new Thread(this::loop, "bench-close-watcher");
            thread.setDaemon(true);
            thread.start();
        }

        CompletableFuture<Void> await(UUID id) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            if (failure != null) {
                f.completeExceptionally(failure);
                return f;
            }
            waiting.put(id, f);
            return f;
        }

        private void loop() {
            try (Connection conn = db.connect(); PreparedStatement ps = conn.prepareStatement(
                    "select execution_id from executions where execution_id = any(?) and status <> 'RUNNING'")) {
                while (running) {
                    if (!waiting.isEmpty()) {
                        ps.setArray(1, conn.createArrayOf("uuid", waiting.keySet().toArray()));
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                CompletableFuture<Void> f = waiting.remove((UUID) rs.getObject(1));
                                if (f != null) {
                                    f.complete(null);
                                }
                            }
                        }
                    }
                    Thread.sleep(pollMs);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                failure = e;
                waiting.values().forEach(f -> f.completeExceptionally(e));
            }
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.interrupt();
            thread.join(5_000);
        }
    }

    /** Waits until none of {@code ids} is RUNNING; fails after {@code timeoutMs}. */
    void awaitClosed(List<UUID> ids, long timeoutMs, long everyMs) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMs;
        try (Connection conn = db.connect(); PreparedStatement ps = conn.prepareStatement(
                "select count(*) from executions where execution_id = any(?) and status = 'RUNNING'")) {
            ps.setArray(1, conn.createArrayOf("uuid", ids.toArray()));
            while (true) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) == 0) {
                        return;
                    }
                }
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException(ids.size() + " executions not closed after " + timeoutMs + " ms");
                }
                Thread.sleep(everyMs);
            }
        }
    }

    private Db.Stored runOne(String workflow, String input, long timeoutMs) throws Exception {
        UUID id = api.start(workflow, input);
        awaitClosed(List.of(id), timeoutMs, 20);
        Db.Stored s = db.executions(List.of(id)).get(0);
        if (!"SUCCEEDED".equals(s.status())) {
            throw new IllegalStateException(workflow + " execution " + id + " ended " + s.status() + ": " + s.result());
        }
        return s;
    }

    // ------------------------------------------------------------------------------------ 3. sequential

    Report sequential() throws Exception {
        int steps = o.integer("seq-steps", 2_000, 20);
        int warmup = o.integer("seq-warmup-steps", 200, 0);
        Report r = new Report("sequential", "step_ms_p50", "step_ms_p99", "step_ms_mean", "wall_ms", "invocations");
        r.notes.add("One execution of bench-sequential (seq-steps trivial steps one after another) per run; per-step"
                + " time = the worker's System.nanoTime() around each ctx.step call (body + START/SUCCEED checkpoint"
                + " request + the orchestrator's commit + answer), returned as the execution's result. invocations ="
                + " InvocationCompleted events (1 = no replay distorted the timings). wall_ms = ended_at - started_at.");
        if (warmup > 0) {
            runOne("bench-sequential", "{\"steps\":" + warmup + "}", 120_000);
        }
        for (int i = 0; i < runs; i++) {
            Db.Stored s = runOne("bench-sequential", "{\"steps\":" + steps + "}", 60_000L + steps * 200L);
            double[] ms = java.util.Arrays.stream(Api.JSON.readValue(s.result(), long[].class))
                    .mapToDouble(us -> us / 1000.0).toArray();
            Map<String, Object> run = r.newRun();
            run.put("step_ms_p50", Stats.round(Stats.percentile(ms, 50), 3));
            run.put("step_ms_p90", Stats.round(Stats.percentile(ms, 90), 3));
            run.put("step_ms_p99", Stats.round(Stats.percentile(ms, 99), 3));
            run.put("step_ms_max", Stats.round(Stats.max(ms), 3));
            run.put("step_ms_mean", Stats.round(Stats.mean(ms), 3));
            run.put("wall_ms", s.endedMs() - s.startedMs());
            run.put("invocations", db.invocations(s.id()));
        }
        return r;
    }

    // ---------------------------------------------------------------------------------------- 4. fan-out

    Report fanout() throws Exception {
        int items = o.integer("fanout-items", 1_000, 20);
        int mc = o.integer("fanout-concurrency", 50, 5);
        Report r = new Report("fanout", "wall_ms", "items_per_s", "invocations");
        r.notes.add("One execution of bench-fanout per run: ctx.map over fanout-items items with maxConcurrency"
                + " fanout-concurrency, one step per item (operations: 1 Map + N MapIteration + N steps). wall_ms ="
                + " ended_at - started_at as the orchestrator stored them (start request to completion).");
        for (int i = 0; i < runs; i++) {
            Db.Stored s = runOne("bench-fanout", "{\"items\":" + items + ",\"maxConcurrency\":" + mc + "}",
                    60_000L + items * 200L);
            long wall = s.endedMs() - s.startedMs();
            Map<String, Object> run = r.newRun();
            run.put("wall_ms", wall);
            run.put("items_per_s", Stats.round(items * 1000.0 / Math.max(1, wall), 1));
            run.put("invocations", db.invocations(s.id()));
            run.put("succeeded_items", Long.parseLong(s.result()));
        }
        return r;
    }

    // ----------------------------------------------------------------------------------------- 5. timers

    Report timers() throws Exception {
        int n = o.integer("timers", 100_000, 20);
        long min = o.longValue("timer-min-ms", 1_000, 1_000);
        long max = o.longValue("timer-max-ms", 60_000, 2_000);
        int threads = o.integer("start-threads", 8, 4);
        double rate = Double.parseDouble(o.string("timer-start-rate", "0", "0"));
        String due = o.string("timer-due", "each", "each");
        long margin = o.longValue("timer-margin-ms", 5_000, 500);
        long seed = o.longValue("seed", 42, 42);
        long idleMs = o.longValue("idle-cpu-ms", 5_000, 500);
        boolean afterStarts = switch (due) {
            case "each" -> false;
            case "after-starts" -> true;
            default -> throw new IllegalArgumentException("--timer-due must be each or after-starts, was " + due);
        };
        if (afterStarts && rate <= 0) {
            throw new IllegalArgumentException("--timer-due after-starts needs --timer-start-rate > 0");
        }
        Report r = afterStarts
                ? new Report("timers", "lag_ms_p50", "lag_ms_p99", "lag_ms_max", "timers_pending_max",
                        "resumes_per_s", "orchestrator_cpu_pct_pending", "orchestrator_cpu_pct_waiting",
                        "orchestrator_cpu_pct_idle", "starts_per_s", "late_starts")
                : new Report("timers", "lag_ms_p50", "lag_ms_p99", "lag_ms_max", "quiet_lag_ms_p99",
                        "timers_pending_max", "orchestrator_cpu_pct_waiting", "orchestrator_cpu_pct_idle",
                        "starts_per_s");
        r.notes.add("First timer-warmup executions of bench-timer waiting 200 ms (not measured: they warm the JVMs up)."
                + " Then `timers` executions of bench-timer, started over REST by start-threads threads, paced at"
                + " timer-start-rate starts/s (0 = as fast as they go). Each fixes its due time in a step and waits"
                + " durably until then, then runs a step that records when its body ran. lag = ran - due (worker"
                + " clock, same machine). timer-due=each: due = the execution's own first step + U[timer-min-ms,"
                + " timer-max-ms] (seeded by `seed`), so timers come due while later executions start;"
                + " timer-due=after-starts: due = t0 + timers/timer-start-rate + timer-margin-ms + U[min, max], i.e."
                + " every execution is started and waiting before the first timer comes due (all timers pending at"
                + " once, then due over the next max-min ms); late_starts = executions whose first step ran after"
                + " their due time (they are left out of the lags). quiet_lag_* = only the timers due after the last"
                + " start returned (no start load). timers_pending_max = WAIT timers in the table when the first"
                + " timer came due (after-starts) or after the start phase (each). orchestrator_cpu_pct_pending ="
                + " orchestrator process CPU / wall time from the end of the start phase until the first timer is"
                + " due (after-starts only: everything started, all timers pending, nothing to do);"
                + " orchestrator_cpu_pct_waiting = the same from the end of the start phase until the last execution"
                + " closed (includes firing the timers and running the steps after them); orchestrator_cpu_pct_idle ="
                + " the same with no work at all over idle-cpu-ms before the run. In % of one core. resumes_per_s ="
                + " the timers that came due on time / (the last 'after' step's time - the first due time): what the"
                + " resume path kept up with.");
        int warmup = o.integer("timer-warmup", 2_000, 20);
        if (warmup > 0) {
            // fresh JVMs compile for their first tens of seconds, which on two cores delays everything else
            List<UUID> warm = new ArrayList<>(warmup);
            for (int k = 0; k < warmup; k++) {
                warm.add(api.start("bench-timer", "{\"waitMs\":200,\"dueAtMs\":0}"));
            }
            awaitClosed(warm, 120_000L + warmup * 50L, 100);
        }
        for (int i = 0; i < runs; i++) {
            Map<String, Object> run = r.newRun();
            long cpu0 = c.orchestrator.cpuNanos();
            Thread.sleep(idleMs);
            run.put("orchestrator_cpu_pct_idle",
                    Stats.round((c.orchestrator.cpuNanos() - cpu0) / 1e6 / idleMs * 100, 2));
            Random rnd = new Random(seed + i);
            long[] waits = new long[n];
            for (int k = 0; k < n; k++) {
                waits[k] = min + (max > min ? (long) (rnd.nextDouble() * (max - min)) : 0);
            }
            List<UUID> ids = Collections.synchronizedList(new ArrayList<>(n));
            AtomicInteger next = new AtomicInteger();
            long t0 = System.nanoTime();
            long t0Ms = System.currentTimeMillis();
            long base = afterStarts ? t0Ms + (long) (n * 1000.0 / rate) + margin : 0;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    int k;
                    while ((k = next.getAndIncrement()) < n) {
                        if (rate > 0) {
                            long at = t0 + (long) (k * 1e9 / rate);
                            long sleep = at - System.nanoTime();
                            if (sleep > 0) {
                                LockSupport.parkNanos(sleep);
                            }
                        }
                        String input = afterStarts ? "{\"waitMs\":0,\"dueAtMs\":" + (base + waits[k]) + "}"
                                : "{\"waitMs\":" + waits[k] + ",\"dueAtMs\":0}";
                        ids.add(api.start("bench-timer", input));
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            pool.shutdown();
            long startPhaseEnd = System.currentTimeMillis();
            double startS = (System.nanoTime() - t0) / 1e9;
            long cpuO = c.orchestrator.cpuNanos();
            long cpuW = c.worker.cpuNanos();
            long tw = System.nanoTime();
            run.put("start_phase_s", Stats.round(startS, 2));
            run.put("starts_per_s", Stats.round(n / startS, 1));
            if (afterStarts) {
                // everything is started; wait (idle) until the first timer is due, counting what is pending then
                long firstDue = base + min;
                long sleep = firstDue - 200 - System.currentTimeMillis();
                if (sleep > 0) {
                    Thread.sleep(sleep);
                }
                double pendingS = (System.nanoTime() - tw) / 1e9;
                run.put("pending_s", Stats.round(pendingS, 2));
                run.put("timers_pending_max", db.queryLong("select count(*) from timers where kind = 'WAIT'"));
                // below a second the figure means nothing: the start phase overran timer-start-rate
                run.put("orchestrator_cpu_pct_pending", pendingS < 1 ? Double.NaN
                        : Stats.round((c.orchestrator.cpuNanos() - cpuO) / 1e9 / pendingS * 100, 2));
            } else {
                run.put("timers_pending_max", db.queryLong("select count(*) from timers where kind = 'WAIT'"));
            }
            awaitRunningZero("bench-timer", max + 300_000 + n * 20L + (afterStarts ? base - t0Ms : 0));
            double waitS = (System.nanoTime() - tw) / 1e9;
            run.put("waiting_s", Stats.round(waitS, 2));
            run.put("orchestrator_cpu_pct_waiting", Stats.round((c.orchestrator.cpuNanos() - cpuO) / 1e9 / waitS * 100, 1));
            run.put("orchestrator_cpu_ms_per_timer", Stats.round((c.orchestrator.cpuNanos() - cpuO) / 1e6 / n, 3));
            run.put("worker_cpu_pct_waiting", Stats.round((c.worker.cpuNanos() - cpuW) / 1e9 / waitS * 100, 1));
            List<Double> lags = new ArrayList<>();
            List<Double> quiet = new ArrayList<>();
            long failed = 0;
            long late = 0;
            long firstDue = Long.MAX_VALUE;
            long lastRan = Long.MIN_VALUE;
            for (Db.Stored s : db.executions(new ArrayList<>(ids))) {
                if (!"SUCCEEDED".equals(s.status())) {
                    failed++;
                    continue;
                }
                JsonNode lag = Api.JSON.readTree(s.result());
                long dueMs = lag.get("dueMs").asLong();
                if (afterStarts && s.startedMs() >= dueMs) {
                    late++;
                    continue;
                }
                long ranMs = lag.get("ranMs").asLong();
                double l = ranMs - dueMs;
                lags.add(l);
                firstDue = Math.min(firstDue, dueMs);
                lastRan = Math.max(lastRan, ranMs);
                if (dueMs > startPhaseEnd) {
                    quiet.add(l);
                }
            }
            run.put("failed", failed);
            run.put("late_starts", late);
            run.put("lag_ms_p50", Stats.percentile(lags, 50));
            run.put("lag_ms_p99", Stats.percentile(lags, 99));
            run.put("lag_ms_max", Stats.percentile(lags, 100));
            // how fast the resume path went: the timers that came due on time, over the time from the first due
            // to the last resumed step
            run.put("resumes_per_s", lags.isEmpty() || lastRan <= firstDue ? Double.NaN
                    : Stats.round(lags.size() * 1000.0 / (lastRan - firstDue), 1));
            run.put("quiet_count", quiet.size());
            run.put("quiet_lag_ms_p50", Stats.percentile(quiet, 50));
            run.put("quiet_lag_ms_p99", Stats.percentile(quiet, 99));
            run.put("quiet_lag_ms_max", Stats.percentile(quiet, 100));
        }
        return r;
    }

    /** Waits until no execution of {@code workflow} is RUNNING (the partial index on running executions). */
    private void awaitRunningZero(String workflow, long timeoutMs) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (db.queryLong("select count(*) from executions where workflow = ? and status = 'RUNNING'", workflow) > 0) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException(workflow + " executions still running after " + timeoutMs + " ms");
            }
            Thread.sleep(200);
        }
    }

    // ----------------------------------------------------------------------------------------- 6. replay

    Report replay() throws Exception {
        int ops = o.integer("replay-ops", 10_000, 20);
        long waitMs = o.longValue("replay-wait-ms", 2_000, 500);
        Report r = new Report("replay", "resume_ms", "replay_ms", "operations", "build_ms_per_op");
        r.notes.add("One execution of bench-replay: replay-ops trivial steps, then per run a durable wait of"
                + " replay-wait-ms and a 'mark' step. resume_ms = the mark step's body running - the wait's due time"
                + " (timer firing, dispatch with the whole operation log, the worker replaying every recorded"
                + " operation); replay_ms = the worker's own part: from the handler's top in the resuming invocation"
                + " to reaching the mark. Runs = resumes of the same execution (run k replays ops + 3k operations).");
        UUID id = api.start("bench-replay", "{\"ops\":" + ops + ",\"waitMs\":" + waitMs + ",\"resumes\":" + runs + "}");
        awaitClosed(List.of(id), 120_000L + ops * 200L + runs * (waitMs + 60_000L), 100);
        Db.Stored s = db.executions(List.of(id)).get(0);
        if (!"SUCCEEDED".equals(s.status())) {
            throw new IllegalStateException("bench-replay " + id + " ended " + s.status() + ": " + s.result());
        }
        JsonNode marks = Api.JSON.readTree(s.result());
        for (JsonNode mark : marks) {
            Map<String, Object> run = r.newRun();
            run.put("resume_ms", mark.get("ranMs").asLong() - mark.get("dueMs").asLong());
            run.put("replay_ms", Stats.round(mark.get("replayMicros").asLong() / 1000.0, 2));
        }
        long built = marks.get(0).get("dueMs").asLong() - waitMs;
        r.once.put("operations", ops);
        r.once.put("build_ms", built - s.startedMs());
        r.once.put("build_ms_per_op", Stats.round((built - s.startedMs()) / (double) ops, 3));
        r.once.put("invocations", db.invocations(id));
        r.once.put("operation_log_bytes", db.queryLong("select coalesce(sum(length(operation_id) + length(coalesce(name, ''))"
                + " + length(coalesce(result, ''))), 0) + count(*) * 200 from operations where execution_id = ?", id));
        return r;
    }

    // ------------------------------------------------------------------------------------------ 7. scale

    Report scale() throws Exception {
        long rows = o.longValue("scale-rows", 1_000_000, 1_000);
        int reqs = o.integer("scale-requests", 500, 20);
        String listQuery = o.string("scale-list-query", "workflow=bench-scale-3&status=FAILED&limit=100");
        Report r = new Report("scale", "rows", "start_ms_p99", "get_ms_p99", "list_ms_p99", "insert_s");
        r.notes.add("scale-rows closed executions inserted with one INSERT … SELECT FROM generate_series (10 workflows"
                + " bench-scale-0..9, every 7th FAILED, started 2 s apart going back, no operations or history),"
                + " retention 90 days so that none has expired (with 14 days, the 40% started more than 14 days ago"
                + " would be deleted by the retention sweeper while this measures; the retention scenario measures"
                + " that), then VACUUM ANALYZE. Then per run scale-requests of each, sequentially from one client"
                + " thread over REST: start (POST bench-noop, answer 201), get (GET /v1/executions/{random stored id}) and list"
                + " (GET /v1/executions?" + listQuery + "); client-side latency. empty_* = the same before the insert.");
        Map<String, Double> empty = scaleRequests(reqs, listQuery, null);
        empty.forEach((k, v) -> r.once.put("empty_" + k, v));
        long t0 = System.nanoTime();
        db.execute("insert into executions (execution_id, workflow, version, status, input, result, error, started_at,"
                + " ended_at, retention_days, expires_at)"
                + " select gen_random_uuid(), 'bench-scale-' || (g % 10), '1',"
                + " case when g % 7 = 0 then 'FAILED' else 'SUCCEEDED' end, '{\"n\":' || g || '}',"
                + " case when g % 7 = 0 then null else '\"ok\"' end,"
                + " case when g % 7 = 0 then '{\"type\":\"bench.Boom\",\"message\":\"boom\"}' end,"
                + " now() - g * interval '2 seconds', now() - g * interval '2 seconds' + interval '1 second', 90,"
                + " now() - g * interval '2 seconds' + interval '90 days'"
                + " from generate_series(1, ?) g", rows);
        r.once.put("insert_s", Stats.round((System.nanoTime() - t0) / 1e9, 2));
        long t1 = System.nanoTime();
        try (Connection conn = db.connect(); Statement st = conn.createStatement()) {
            st.execute("vacuum analyze executions");
        }
        r.once.put("vacuum_analyze_s", Stats.round((System.nanoTime() - t1) / 1e9, 2));
        r.once.put("rows", db.queryLong("select count(*) from executions"));
        List<UUID> sample = new ArrayList<>();
        try (Connection conn = db.connect(); PreparedStatement ps = conn.prepareStatement(
                "select execution_id from executions where workflow like 'bench-scale-%' order by random() limit ?")) {
            ps.setInt(1, Math.max(1, reqs));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sample.add((UUID) rs.getObject(1));
                }
            }
        }
        for (int i = 0; i < runs; i++) {
            Map<String, Object> run = r.newRun();
            run.putAll(scaleRequests(reqs, listQuery, sample));
        }
        return r;
    }

    private Map<String, Double> scaleRequests(int reqs, String listQuery, List<UUID> sample) throws Exception {
        int warm = Math.max(1, reqs / 5);
        double[] start = new double[reqs];
        double[] get = new double[reqs];
        double[] list = new double[reqs];
        long listItems = 0;
        for (int k = -warm; k < reqs; k++) {
            Api.Response s = api.startTimed("bench-noop", "null");
            UUID sid = UUID.fromString(s.body());
            UUID target = sample == null || sample.isEmpty() ? sid : sample.get(Math.floorMod(k, sample.size()));
            Api.Response g = api.get("/v1/executions/" + target);
            Api.Response l = api.get("/v1/executions?" + listQuery);
            if (g.status() != 200 || l.status() != 200) {
                throw new IllegalStateException("get answered " + g.status() + ", list " + l.status() + ": " + l.body());
            }
            if (k >= 0) {
                start[k] = s.nanos() / 1e6;
                get[k] = g.nanos() / 1e6;
                list[k] = l.nanos() / 1e6;
                if (k == 0) {
                    listItems = Api.JSON.readTree(l.body()).get("items").size();
                }
            }
        }
        awaitRunningZero("bench-noop", 120_000);
        Map<String, Double> out = new java.util.LinkedHashMap<>();
        out.put("start_ms_p50", Stats.round(Stats.percentile(start, 50), 3));
        out.put("start_ms_p99", Stats.round(Stats.percentile(start, 99), 3));
        out.put("get_ms_p50", Stats.round(Stats.percentile(get, 50), 3));
        out.put("get_ms_p99", Stats.round(Stats.percentile(get, 99), 3));
        out.put("list_ms_p50", Stats.round(Stats.percentile(list, 50), 3));
        out.put("list_ms_p99", Stats.round(Stats.percentile(list, 99), 3));
        out.put("list_items", (double) listItems);
        return out;
    }

    // -------------------------------------------------------------------------------------- 9. retention

    private static final String RETENTION_WORKFLOW = "bench-retention";
    private static final String RETENTION_KEPT = "bench-retention-kept";

    Report retention() throws Exception {
        long n = o.longValue("retention-rows", 1_000_000, 2_500);
        int every = o.integer("retention-detail-every", 10, 10);
        int ops = o.integer("retention-ops", 5, 5);
        int events = o.integer("retention-events", 10, 10);
        long kept = o.longValue("retention-kept", 10_000, 100);
        int reqs = o.integer("retention-requests", 300, 20);
        double rate = Double.parseDouble(o.string("retention-request-rate", "20", "50"));
        String listQuery = o.string("retention-list-query", "workflow=" + RETENTION_KEPT + "&status=FAILED&limit=100");
        long timeoutS = o.longValue("retention-timeout-s", 1_800, 120);
        long sampleMs = o.longValue("retention-sample-ms", 500, 50);
        int retentionRuns = o.integer("retention-runs", 1, 1);
        String interval = orchestratorSetting("cairn.orchestrator.retention-interval", "1m (orchestrator default)");
        String batch = orchestratorSetting("cairn.orchestrator.retention-batch-size", "1000 (orchestrator default)");
        long detailed = n / every;
        Report r = new Report("retention", "deleted", "sweep_s", "deleted_per_s", "orchestrator_cpu_pct",
                "postgres_cpu_pct", "get_ms_p99", "list_ms_p99", "remaining_expired");
        r.notes.add("Per run, in ONE transaction (so the sweeper sees all or nothing): retention-rows closed executions"
                + " of workflow " + RETENTION_WORKFLOW + " (every 7th FAILED) that ended 15 days + up to 3 h ago with"
                + " retention_days 14, expires_at = ended_at + 14 days (what trigger tg_executions_expires_at stores;"
                + " it fires on UPDATE only, so a direct INSERT sets it itself), i.e. all expired 1 day ago or more;"
                + " every retention-detail-every-th of them also gets retention-ops STEP operations (~100-byte result)"
                + " and retention-events history events (~100-byte details), so the ON DELETE CASCADE of operations and"
                + " history_events is exercised; then ANALYZE of the three tables and COMMIT. The orchestrator runs with"
                + " retention-interval " + interval + " and retention-batch-size " + batch + ".");
        r.notes.add("sweep_s = COMMIT returned → the orchestrator's counter cairn_retention_deleted_total (read from its"
                + " Prometheus endpoint every retention-sample-ms) has grown by retention-rows; deleted_per_s ="
                + " retention-rows / sweep_s; rows_deleted_per_s counts the cascaded operations and events too;"
                + " first_delete_s = COMMIT → first sample showing a deletion (≤ retention-interval + one batch);"
                + " decile_rates = executions/s over each tenth of the sweep (the first from COMMIT, so it includes the"
                + " wait for the sweeper's next pass; a falling rate would show the sweeper"
                + " slowing as dead index entries pile up). remaining_* = rows of the run still in the database after the"
                + " sweep (must be 0); kept_deleted = executions of " + RETENTION_KEPT + " (retention 90 days, not"
                + " expired) that the sweeper deleted (must be 0).");
        r.notes.add("orchestrator_cpu_pct = orchestrator process CPU / sweep wall time, in % of one core; postgres_cpu_pct"
                + " = CPU of this database's PostgreSQL backend processes (and autovacuum workers), from"
                + " /proc/<pid>/stat of the processes whose command line names the database, same window; both include"
                + " serving the requests below. idle_* = the same figures and requests over retention-requests pairs"
                + " before the insert, with no sweep. wal_mb = WAL written by the whole server during the sweep"
                + " (pg_current_wal_lsn; other databases on the server count too).");
        r.notes.add("API while it sweeps: one client thread sends a pair GET /v1/executions/{random " + RETENTION_KEPT
                + " id} + GET /v1/executions?" + listQuery + " retention-request-rate times a second (paced, not"
                + " closed-loop) from COMMIT until the sweep ends (at least 5 pairs); client-side latency.");

        // executions that must survive, and the API's figures with no sweep
        long t0 = System.nanoTime();
        db.execute("insert into executions (execution_id, workflow, version, status, input, result, error, started_at,"
                + " ended_at, retention_days, expires_at)"
                + " select gen_random_uuid(), '" + RETENTION_KEPT + "', '1',"
                + " case when g % 7 = 0 then 'FAILED' else 'SUCCEEDED' end, '{\"n\":' || g || '}',"
                + " case when g % 7 = 0 then null else '\"ok\"' end,"
                + " case when g % 7 = 0 then '{\"type\":\"bench.Boom\",\"message\":\"boom\"}' end,"
                + " now() - g * interval '1 second' - interval '1 second', now() - g * interval '1 second', 90,"
                + " now() - g * interval '1 second' + interval '90 days'"
                + " from generate_series(1, ?) g", kept);
        db.execute("analyze executions");
        r.once.put("kept_insert_s", Stats.round((System.nanoTime() - t0) / 1e9, 2));
        List<UUID> sample = new ArrayList<>();
        try (Connection conn = db.connect(); PreparedStatement ps = conn.prepareStatement(
                "select execution_id from executions where workflow = ? order by random() limit 200")) {
            ps.setString(1, RETENTION_KEPT);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sample.add((UUID) rs.getObject(1));
                }
            }
        }
        Pacer warm = new Pacer(sample, listQuery, 1_000, Math.max(5, reqs / 5));
        warm.run();
        long cpuIdle = c.orchestrator.cpuNanos();
        Map<Long, Long> pgIdle = pgTicks(db.name);
        long ti = System.nanoTime();
        Pacer idle = new Pacer(sample, listQuery, rate, reqs);
        idle.run();
        if (idle.failure != null) {
            throw idle.failure;
        }
        double idleS = (System.nanoTime() - ti) / 1e9;
        r.once.put("idle_requests", idle.get.size());
        r.once.put("idle_get_ms_p50", Stats.round(Stats.percentile(idle.get, 50), 3));
        r.once.put("idle_get_ms_p99", Stats.round(Stats.percentile(idle.get, 99), 3));
        r.once.put("idle_list_ms_p50", Stats.round(Stats.percentile(idle.list, 50), 3));
        r.once.put("idle_list_ms_p99", Stats.round(Stats.percentile(idle.list, 99), 3));
        r.once.put("idle_orchestrator_cpu_pct", Stats.round((c.orchestrator.cpuNanos() - cpuIdle) / 1e9 / idleS * 100, 1));
        r.once.put("idle_postgres_cpu_pct", Stats.round(pgCpuSeconds(pgIdle, pgTicks(db.name)) / idleS * 100, 1));
        r.once.put("retention_interval", interval);
        r.once.put("retention_batch_size", batch);

        for (int i = 0; i < retentionRuns; i++) {
            Map<String, Object> run = r.newRun();
            String key = "bench-retention-" + db.name + "-" + i + "-";
            long ti0 = System.nanoTime();
            long c0;
            String lsn0;
            try (Connection conn = db.connect()) {
                conn.setAutoCommit(false);
                try (PreparedStatement ps = conn.prepareStatement("insert into executions (execution_id, workflow,"
                        + " version, status, input, result, error, started_at, ended_at, retention_days, expires_at)"
                        + " select md5(?::text || g::text)::uuid, '" + RETENTION_WORKFLOW + "', '1',"
                        + " case when g % 7 = 0 then 'FAILED' else 'SUCCEEDED' end, '{\"n\":' || g || '}',"
                        + " case when g % 7 = 0 then null else '\"ok\"' end,"
                        + " case when g % 7 = 0 then '{\"type\":\"bench.Boom\",\"message\":\"boom\"}' end,"
                        + " t.ended - interval '1 second', t.ended, 14, t.ended + interval '14 days'"
                        + " from generate_series(1::bigint, ?::bigint) g, lateral (select now() - interval '15 days'"
                        + "   - (?::bigint - g) * interval '10 milliseconds' as ended) t")) {
                    ps.setString(1, key);
                    ps.setLong(2, n);
                    ps.setLong(3, n);
                    ps.executeUpdate();
                }
                if (detailed > 0 && ops > 0) {
                    try (PreparedStatement ps = conn.prepareStatement("insert into operations (execution_id,"
                            + " operation_id, type, sub_type, name, status, attempt, started_at, ended_at, result)"
                            + " select md5(?::text || g::text)::uuid, 'op-' || k, 'STEP', 'Step', '" + RETENTION_WORKFLOW
                            + "', 'SUCCEEDED', 1, now() - interval '16 days', now() - interval '16 days',"
                            + " '\"' || repeat('x', 100) || '\"'"
                            + " from generate_series(?::bigint, ?::bigint, ?::bigint) g, generate_series(1, ?) k")) {
                        ps.setString(1, key);
                        ps.setLong(2, every);
                        ps.setLong(3, n);
                        ps.setLong(4, every);
                        ps.setInt(5, ops);
                        ps.executeUpdate();
                    }
                }
                if (detailed > 0 && events > 0) {
                    try (PreparedStatement ps = conn.prepareStatement("insert into history_events (execution_id,"
                            + " type, occurred_at, operation_id, name, details)"
                            + " select md5(?::text || g::text)::uuid, case when k = 1 then 'ExecutionStarted'"
                            + " when k = ? then 'ExecutionSucceeded' else 'StepSucceeded' end,"
                            + " now() - interval '16 days', case when k > 1 and k < ? then 'op-' || k end, '"
                            + RETENTION_WORKFLOW + "', '{\"result\":\"' || repeat('x', 80) || '\"}'"
                            + " from generate_series(?::bigint, ?::bigint, ?::bigint) g, generate_series(1, ?) k")) {
                        ps.setString(1, key);
                        ps.setInt(2, events);
                        ps.setInt(3, events);
                        ps.setLong(4, every);
                        ps.setLong(5, n);
                        ps.setLong(6, every);
                        ps.setInt(7, events);
                        ps.executeUpdate();
                    }
                }
                try (Statement st = conn.createStatement()) {
                    st.execute("analyze executions, operations, history_events");
                }
                c0 = Math.round(c.orchestrator.metric("cairn_retention_deleted_total"));
                lsn0 = walLsn();
                conn.commit();
            }
            long tCommit = System.nanoTime();
            run.put("insert_s", Stats.round((tCommit - ti0) / 1e9, 2));
            long cpuO = c.orchestrator.cpuNanos();
            Map<Long, Long> pg0 = pgTicks(db.name);
            Pacer during = new Pacer(sample, listQuery, rate, Integer.MAX_VALUE);
            during.minimum = 5;
            Thread pacer = new Thread(during, "bench-retention-requests");
            pacer.setDaemon(true);
            pacer.start();

            List<double[]> timeline = new ArrayList<>();
            long deadline = tCommit + TimeUnit.SECONDS.toNanos(timeoutS);
            long firstNs = -1;
            long doneNs = -1;
            long deleted = 0;
            while (true) {
                deleted = Math.round(c.orchestrator.metric("cairn_retention_deleted_total")) - c0;
                long now = System.nanoTime();
                timeline.add(new double[] {(now - tCommit) / 1e9, deleted});
                if (deleted > 0 && firstNs < 0) {
                    firstNs = now;
                }
                if (deleted >= n) {
                    doneNs = now;
                    break;
                }
                if (now > deadline) {
                    break;
                }
                Thread.sleep(sampleMs);
            }
            long endNs = doneNs > 0 ? doneNs : System.nanoTime();
            double sweepS = (endNs - tCommit) / 1e9;
            double cpuOS = (c.orchestrator.cpuNanos() - cpuO) / 1e9;
            double pgS = pgCpuSeconds(pg0, pgTicks(db.name));
            String lsn1 = walLsn();
            during.stop = true;
            pacer.join(60_000);
            if (during.failure != null) {
                run.put("request_failure", String.valueOf(during.failure));
            }

            run.put("completed", doneNs > 0);
            run.put("deleted", deleted);
            run.put("sweep_s", Stats.round(sweepS, 2));
            run.put("first_delete_s", firstNs < 0 ? Double.NaN : Stats.round((firstNs - tCommit) / 1e9, 2));
            run.put("deleted_per_s", Stats.round(deleted / sweepS, 1));
            long cascaded = detailed * ((long) ops + events);
            run.put("rows_deleted_per_s", Stats.round((deleted + (doneNs > 0 ? cascaded : 0)) / sweepS, 1));
            run.put("operations_inserted", detailed * ops);
            run.put("events_inserted", detailed * events);
            run.put("orchestrator_cpu_pct", Stats.round(cpuOS / sweepS * 100, 1));
            run.put("orchestrator_cpu_ms_per_1000", Stats.round(cpuOS * 1000 / Math.max(1, deleted) * 1000, 2));
            run.put("postgres_cpu_pct", Stats.round(pgS / sweepS * 100, 1));
            run.put("postgres_cpu_ms_per_1000", Stats.round(pgS * 1000 / Math.max(1, deleted) * 1000, 2));
            run.put("wal_mb", Stats.round(walDiff(lsn1, lsn0) / MB, 1));
            run.put("requests", during.get.size());
            run.put("request_errors", during.errors);
            run.put("get_ms_p50", Stats.round(Stats.percentile(during.get, 50), 3));
            run.put("get_ms_p99", Stats.round(Stats.percentile(during.get, 99), 3));
            run.put("get_ms_max", Stats.round(Stats.percentile(during.get, 100), 3));
            run.put("list_ms_p50", Stats.round(Stats.percentile(during.list, 50), 3));
            run.put("list_ms_p99", Stats.round(Stats.percentile(during.list, 99), 3));
            run.put("list_ms_max", Stats.round(Stats.percentile(during.list, 100), 3));
            // executions/s over each tenth of the sweep; the time a tenth was reached is interpolated between samples
            List<Double> deciles = new ArrayList<>();
            double prevT = 0;
            for (int k = 1; k <= 10; k++) {
                double target = n * k / 10.0;
                for (int j = 1; j < timeline.size(); j++) {
                    double[] a = timeline.get(j - 1);
                    double[] b = timeline.get(j);
                    if (b[1] >= target && a[1] < target) {
                        double t = a[0] + (target - a[1]) / (b[1] - a[1]) * (b[0] - a[0]);
                        deciles.add(Stats.round(n / 10.0 / Math.max(1e-3, t - prevT), 1));
                        prevT = t;
                        break;
                    }
                }
            }
            run.put("decile_rates", deciles);
            List<List<Double>> coarse = new ArrayList<>();
            double lastT = -1;
            for (double[] p : timeline) {
                if (p[0] - lastT >= Math.max(1.0, sweepS / 50) || p == timeline.get(timeline.size() - 1)) {
                    coarse.add(List.of(Stats.round(p[0], 2), p[1]));
                    lastT = p[0];
                }
            }
            run.put("timeline_s_deleted", coarse);
            run.put("remaining_expired", db.queryLong("select count(*) from executions where workflow = ?",
                    RETENTION_WORKFLOW));
            run.put("remaining_operations", db.queryLong("select count(*) from operations where name = ?",
                    RETENTION_WORKFLOW));
            run.put("remaining_events", db.queryLong("select count(*) from history_events where name = ?",
                    RETENTION_WORKFLOW));
            run.put("remaining_expired_any", db.queryLong("select count(*) from executions where expires_at <= now()"));
            run.put("kept_deleted", kept - db.queryLong("select count(*) from executions where workflow = ?",
                    RETENTION_KEPT));
            Map<String, Object> tables = new java.util.LinkedHashMap<>();
            try (Connection conn = db.connect(); Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(
                    "select relname, n_live_tup, n_dead_tup, autovacuum_count, autoanalyze_count from pg_stat_user_tables"
                            + " where relname in ('executions', 'operations', 'history_events') order by relname")) {
                while (rs.next()) {
                    tables.put(rs.getString(1), Map.of("n_live_tup", rs.getLong(2), "n_dead_tup", rs.getLong(3),
                            "autovacuum_count", rs.getLong(4), "autoanalyze_count", rs.getLong(5)));
                }
            }
            run.put("table_stats_after", tables);
            if (doneNs < 0) {
                System.out.printf("[bench] retention: the sweeper deleted %d of %d in %d s; stopping%n", deleted, n,
                        timeoutS);
                break;
            }
        }
        return r;
    }

    /** The value the orchestrator was started with for a Spring property, else {@code dflt}. */
    private String orchestratorSetting(String property, String dflt) {
        for (String a : c.orchestrator.command) {
            if (a.startsWith("--" + property + "=")) {
                return a.substring(property.length() + 3);
            }
        }
        return dflt;
    }

    private String walLsn() throws SQLException {
        try (Connection conn = db.connect(); Statement st = conn.createStatement();
                ResultSet rs = st.executeQuery("select pg_current_wal_lsn()::text")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private long walDiff(String to, String from) throws SQLException {
        try (Connection conn = db.connect(); PreparedStatement ps = conn.prepareStatement(
                "select pg_wal_lsn_diff(?::pg_lsn, ?::pg_lsn)::bigint")) {
            ps.setString(1, to);
            ps.setString(2, from);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * CPU time (clock ticks, utime + stime) of every PostgreSQL process whose command line names {@code database}
     * (its backends and autovacuum workers), by pid; empty where /proc is not readable (PostgreSQL elsewhere).
     */
    static Map<Long, Long> pgTicks(String database) {
        Map<Long, Long> out = new java.util.HashMap<>();
        java.io.File[] procs = new java.io.File("/proc").listFiles((d, name) -> name.chars().allMatch(Character::isDigit));
        if (procs == null) {
            return out;
        }
        for (java.io.File p : procs) {
            try {
                String cmd = new String(java.nio.file.Files.readAllBytes(p.toPath().resolve("cmdline")),
                        java.nio.charset.StandardCharsets.UTF_8);
                if (!cmd.startsWith("postgres") || !cmd.contains(" " + database + " ")) {
                    continue;
                }
                String stat = java.nio.file.Files.readString(p.toPath().resolve("stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                // after "pid (comm) ": state is field 3, utime field 14, stime field 15
                out.put(Long.parseLong(p.getName()), Long.parseLong(f[11]) + Long.parseLong(f[12]));
            } catch (java.io.IOException | RuntimeException e) {
                // the process ended meanwhile
            }
        }
        return out;
    }

    /** CPU seconds the processes of {@code after} used since {@code before} (new processes: all of theirs). */
    static double pgCpuSeconds(Map<Long, Long> before, Map<Long, Long> after) {
        long ticks = 0;
        for (Map.Entry<Long, Long> e : after.entrySet()) {
            ticks += e.getValue() - before.getOrDefault(e.getKey(), 0L);
        }
        return ticks / 100.0; // USER_HZ, 100 on Linux
    }

    /**
     * One client thread sending pairs of GET /v1/executions/{id} and a list page, {@code rate} pairs a second (a
     * slow pair delays the next one, it is not made up for), until {@code max} pairs or {@link #stop} (after at least
     * {@link #minimum} pairs).
     */
    private final class Pacer implements Runnable {
        final List<Double> get = new ArrayList<>();
        final List<Double> list = new ArrayList<>();
        private final List<UUID> sample;
        private final String listQuery;
        private final double rate;
        private final int max;
        volatile boolean stop;
        int minimum;
        int errors;
        volatile Exception failure;

        Pacer(List<UUID> sample, String listQuery, double rate, int max) {
            this.sample = sample;
            this.listQuery = listQuery;
            this.rate = rate;
            this.max = max;
        }

        @Override
        public void run() {
            long period = (long) (1e9 / rate);
            long next = System.nanoTime();
            try {
                for (int k = 0; k < max && !(stop && k >= minimum); k++) {
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    next = Math.max(next + period, System.nanoTime());
                    Api.Response g = api.get("/v1/executions/" + sample.get(k % sample.size()));
                    Api.Response l = api.get("/v1/executions?" + listQuery);
                    if (g.status() != 200 || l.status() != 200) {
                        errors++;
                    }
                    synchronized (this) {
                        get.add(g.nanos() / 1e6);
                        list.add(l.nanos() / 1e6);
                    }
                }
            } catch (Exception e) {
                failure = e;
            }
        }
    }
}
