package dev.cairn.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * The scenarios of issue 16 ("As fast as a library, seen from the client"): Cairn beside its peer, DBOS Transact,
 * on the same PostgreSQL server in the same run. {@link #throughput} and {@link #sequential} add the peer's figures
 * to the reports of the scenarios of the same names; {@link #firstStep} is start → first step running on an idle
 * system; {@link ClientViewScenario} is Cairn seen by a REST client. Without a peer ({@code --peer none}) the Cairn
 * figures are measured alone.
 */
final class PeerScenarios {

    private static final double MB = 1024.0 * 1024.0;

    private final Options o;
    private final Cluster c;
    private final Db db;
    private final DbosPeer peer;
    private final int runs;

    PeerScenarios(Options o, Cluster c, Db db, DbosPeer peer) {
        this.o = o;
        this.c = c;
        this.db = db;
        this.peer = peer;
        this.runs = o.integer("runs", 3, 1);
    }

    // ------------------------------------------------------------------------------------- throughput, memory

    /** Runs the peer's closed loop after Cairn's throughput runs and adds its figures beside Cairn's. */
    List<Report> throughput(List<Report> reports) throws Exception {
        if (peer == null) {
            return reports;
        }
        Report r = reports.get(0);
        Report m = reports.get(1);
        int n = o.integer("executions", 5_000, 20);
        int conc = o.integer("concurrency", 32, 4);
        int steps = o.integer("steps", 10, 10);
        r.notes.add("dbos_*: the same closed loop (executions, concurrency, steps) run by DBOS Transact in its own JVM"
                + " right after Cairn's runs: concurrency threads each call startWorkflow and wait for getResult (the"
                + " caller's view: latency = start call → result; executions_per_s = executions / the loop's wall"
                + " time). Warmed up like Cairn (warmup-executions, then rounds until its JIT settles).");
        m.notes.add("dbos_*: the DBOS JVM's heap and RSS at the end of each of its throughput runs (highest heap/RSS"
                + " sampled every memory-sample-ms during it); cairn_* = orchestrator + worker.");
        warmUp(n, conc, steps);
        long sampleMs = o.longValue("memory-sample-ms", 250, 100);
        for (int i = 0; i < r.runs.size(); i++) {
            Map<String, Object> run = r.runs.get(i);
            PeerSampler sampler = new PeerSampler(sampleMs);
            long cpu0 = peer.cpuNanos();
            Map<Long, Long> pg0 = Scenarios.pgTicks(peer.db.name);
            DbosPeer.ClosedLoop l = peer.closedLoop(n, conc, steps);
            double pgS = Scenarios.pgCpuSeconds(pg0, Scenarios.pgTicks(peer.db.name));
            double cpuS = (peer.cpuNanos() - cpu0) / 1e9;
            sampler.stop();
            double eps = l.executionsPerS();
            run.put("dbos_executions", l.latencyMs().length);
            run.put("dbos_failed", l.failed());
            run.put("dbos_steps_done", l.stepsDone());
            run.put("dbos_executions_per_s", Stats.round(eps, 1));
            run.put("dbos_steps_per_s", Stats.round(eps * steps, 1));
            run.put("dbos_latency_ms_p50", Stats.round(Stats.percentile(l.latencyMs(), 50), 3));
            run.put("dbos_latency_ms_p99", Stats.round(Stats.percentile(l.latencyMs(), 99), 3));
            run.put("dbos_cpu_pct", Stats.round(cpuS / l.wallS() * 100, 1));
            run.put("dbos_cpu_ms_per_step", Stats.round(cpuS * 1000 / (n * (double) steps), 3));
            run.put("dbos_postgres_cpu_ms_per_step", Stats.round(pgS * 1000 / (n * (double) steps), 3));
            run.put("cairn_cpu_ms_per_step", sum(run, "orchestrator_cpu_ms_per_step", "worker_cpu_ms_per_step", 3));
            if (run.get("steps_per_s") instanceof Number cairn) {
                run.put("ratio_steps_per_s", Stats.round(cairn.doubleValue() / (eps * steps), 3));
            }
            Map<String, Object> mem = m.runs.get(i);
            JsonNode p = peer.probe(false);
            mem.put("dbos_heap_max_mb", Stats.round(Math.max(sampler.maxHeap, p.get("heapUsed").asLong()) / MB, 1));
            mem.put("dbos_rss_mb", Stats.round(p.get("rss").asLong() / MB, 1));
            mem.put("dbos_rss_max_mb", Stats.round(Math.max(sampler.maxRss, p.get("rss").asLong()) / MB, 1));
            mem.put("dbos_threads", p.get("threads").asLong());
            mem.put("dbos_heap_live_mb", Stats.round(peer.probe(true).get("heapUsed").asLong() / MB, 1));
            mem.put("cairn_rss_mb", sum(mem, "orchestrator_rss_mb", "worker_rss_mb"));
            mem.put("cairn_heap_max_mb", sum(mem, "orchestrator_heap_max_mb", "worker_heap_max_mb"));
            mem.put("cairn_heap_live_mb", sum(mem, "orchestrator_heap_live_mb", "worker_heap_live_mb"));
        }
        r.summarize("dbos_executions_per_s", "dbos_steps_per_s", "dbos_latency_ms_p50", "dbos_latency_ms_p99",
                "ratio_steps_per_s");
        m.summarize("dbos_heap_max_mb", "dbos_heap_live_mb", "dbos_rss_mb");
        r.sideBySide.add(SideBySide.of(String.format(Locale.ROOT,
                "throughput: %d-step executions, %d in flight (Cairn watched in PostgreSQL)", steps, conc), r,
                closedLoopFigures("", "dbos_")));
        m.sideBySide.add(SideBySide.of("memory after the throughput runs (Cairn = orchestrator + worker JVMs)", m,
                List.of(new SideBySide.Figure("RSS (MB)", "cairn_rss_mb", "dbos_rss_mb", false),
                        new SideBySide.Figure("heap, highest (MB)", "cairn_heap_max_mb", "dbos_heap_max_mb", false),
                        new SideBySide.Figure("heap, live after GC (MB)", "cairn_heap_live_mb", "dbos_heap_live_mb",
                                false))));
        return reports;
    }

    private static double sum(Map<String, Object> run, String a, String b) {
        return sum(run, a, b, 1);
    }

    private static double sum(Map<String, Object> run, String a, String b, int decimals) {
        return run.get(a) instanceof Number x && run.get(b) instanceof Number y
                ? Stats.round(x.doubleValue() + y.doubleValue(), decimals) : Double.NaN;
    }

    /** Rows of a closed loop's table; the CPU rows read {@code cairn_cpu_ms_per_step…}, {@code postgres_cpu…}. */
    static List<SideBySide.Figure> closedLoopFigures(String suffix, String dbosPrefix) {
        return List.of(new SideBySide.Figure("steps/s", "steps_per_s" + suffix, dbosPrefix + "steps_per_s" + suffix,
                        true),
                new SideBySide.Figure("executions/s", "executions_per_s" + suffix,
                        dbosPrefix + "executions_per_s" + suffix, true),
                new SideBySide.Figure("p50 per execution (ms)", "latency_ms_p50" + suffix,
                        dbosPrefix + "latency_ms_p50" + suffix, false),
                new SideBySide.Figure("p99 per execution (ms)", "latency_ms_p99" + suffix,
                        dbosPrefix + "latency_ms_p99" + suffix, false),
                new SideBySide.Figure("JVM CPU per step (ms; Cairn: orchestrator + worker)",
                        "cairn_cpu_ms_per_step" + suffix, dbosPrefix + "cpu_ms_per_step" + suffix, false),
                new SideBySide.Figure("PostgreSQL CPU per step (ms)", "postgres_cpu_ms_per_step" + suffix,
                        dbosPrefix + "postgres_cpu_ms_per_step" + suffix, false));
    }

    /** The peer's warm-up: as many executions as Cairn's, then rounds until its JIT settles (as Cairn's). */
    private void warmUp(int n, int conc, int steps) {
        int warmup = o.integer("warmup-executions", 1_000, 0);
        if (warmup <= 0) {
            return;
        }
        double settlePct = o.integer("jit-settle-pct", 5, 0);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.longValue("jit-settle-max-s", 300, 0));
        peer.closedLoop(warmup, conc, steps);
        while (settlePct > 0 && System.nanoTime() < deadline) {
            long jit = peer.compileMs();
            DbosPeer.ClosedLoop l = peer.closedLoop(warmup, conc, steps);
            double pct = (peer.compileMs() - jit) / (l.wallS() * 1000) * 100;
            System.out.printf(Locale.ROOT, "[bench] DBOS warm-up: JIT %.1f %% of the last round%n", pct);
            if (pct < settlePct) {
                break;
            }
        }
    }

    /** Samples the peer's heap and RSS in the background and keeps the highest values. */
    private final class PeerSampler {
        volatile long maxHeap;
        volatile long maxRss;
        private volatile boolean running = true;
        private final Thread thread;

        PeerSampler(long everyMs) {
            thread = new Thread(() -> {
                while (running) {
                    try {
                        JsonNode p = peer.probe(false);
                        maxHeap = Math.max(maxHeap, p.get("heapUsed").asLong());
                        maxRss = Math.max(maxRss, p.get("rss").asLong());
                        Thread.sleep(everyMs);
                    } catch (InterruptedException e) {
                        return;
                    } catch (RuntimeException e) {
                        // a probe that does not answer once is skipped; the control port runs one request at a time
                    }
                }
            }, "bench-peer-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.interrupt();
            thread.join(5_000);
        }
    }

    // ---------------------------------------------------------------------------------------------- sequential

    /** Runs the peer's sequential execution after Cairn's runs and adds its per-step figures beside Cairn's. */
    Report sequential(Report r) throws Exception {
        if (peer == null) {
            return r;
        }
        int steps = o.integer("seq-steps", 2_000, 20);
        int warmup = o.integer("seq-warmup-steps", 200, 0);
        r.notes.add("dbos_*: one DBOS Transact workflow of seq-steps trivial steps per run (after Cairn's runs), each"
                + " step's runStep call timed in the workflow (System.nanoTime, as in Cairn's worker).");
        if (warmup > 0) {
            peer.sequential(warmup);
        }
        for (Map<String, Object> run : r.runs) {
            double[] ms = peer.sequential(steps);
            run.put("dbos_steps", ms.length);
            run.put("dbos_step_ms_p50", Stats.round(Stats.percentile(ms, 50), 3));
            run.put("dbos_step_ms_p90", Stats.round(Stats.percentile(ms, 90), 3));
            run.put("dbos_step_ms_p99", Stats.round(Stats.percentile(ms, 99), 3));
            run.put("dbos_step_ms_mean", Stats.round(Stats.mean(ms), 3));
        }
        r.summarize("dbos_step_ms_p50", "dbos_step_ms_p99");
        r.sideBySide.add(SideBySide.of("sequential: one execution of " + steps + " steps, per step", r, List.of(
                new SideBySide.Figure("p50 per step (ms)", "step_ms_p50", "dbos_step_ms_p50", false),
                new SideBySide.Figure("p99 per step (ms)", "step_ms_p99", "dbos_step_ms_p99", false),
                new SideBySide.Figure("mean per step (ms)", "step_ms_mean", "dbos_step_ms_mean", false))));
        return r;
    }

    // ---------------------------------------------------------------------------------------------- first-step

    Report firstStep() throws Exception {
        int samples = o.integer("first-step-samples", 200, 5);
        int warmup = o.integer("first-step-warmup", 50, 2);
        long gapMs = o.longValue("first-step-gap-ms", 50, 10);
        Report r = new Report("first-step", "first_step_ms_p50", "dbos_first_step_ms_p50", "first_step_ms_p99",
                "dbos_first_step_ms_p99");
        r.notes.add("Start → first step running, on an idle system: first-step-samples executions of"
                + " bench-first-step one at a time, each first-step-gap-ms after the last one closed. Cairn: from"
                + " before the start request (POST /v1/workflows/bench-first-step/executions) in the harness until"
                + " the body of the execution's first step ran in the worker (both System.nanoTime(): on Linux one"
                + " monotonic clock for every process of the machine). dbos_*: the same in DBOS's JVM, from before"
                + " startWorkflow. The first first-step-warmup samples are not counted.");
        for (int i = 0; i < runs; i++) {
            Map<String, Object> run = r.newRun();
            double[] ms = new double[samples];
            double[] startMs = new double[samples];
            try (Connection conn = db.connect()) {
                for (int k = -warmup; k < samples; k++) {
                    Thread.sleep(gapMs);
                    long t0 = System.nanoTime();
                    Api.Response s = c.api.startTimed("bench-first-step", "null");
                    String result = awaitResult(conn, UUID.fromString(s.body()), 60_000);
                    if (k >= 0) {
                        ms[k] = (Long.parseLong(result.trim()) - t0) / 1e6;
                        startMs[k] = s.nanos() / 1e6;
                    }
                }
            }
            run.put("samples", samples);
            run.put("first_step_ms_p50", Stats.round(Stats.percentile(ms, 50), 3));
            run.put("first_step_ms_p99", Stats.round(Stats.percentile(ms, 99), 3));
            run.put("start_request_ms_p50", Stats.round(Stats.percentile(startMs, 50), 3));
            if (peer != null) {
                peer.firstStep(warmup, gapMs);
                double[] d = peer.firstStep(samples, gapMs);
                run.put("dbos_samples", d.length);
                run.put("dbos_first_step_ms_p50", Stats.round(Stats.percentile(d, 50), 3));
                run.put("dbos_first_step_ms_p99", Stats.round(Stats.percentile(d, 99), 3));
            }
        }
        if (peer != null) {
            r.sideBySide.add(SideBySide.of("start → first step running, idle system", r, List.of(
                    new SideBySide.Figure("p50 (ms)", "first_step_ms_p50", "dbos_first_step_ms_p50", false),
                    new SideBySide.Figure("p99 (ms)", "first_step_ms_p99", "dbos_first_step_ms_p99", false))));
        }
        return r;
    }

    /**
     * Reads the execution from PostgreSQL (one held connection, a primary-key lookup every 5 ms) until it is closed:
     * the harness's reads, not the API's, so that the orchestrator does nothing but run it.
     */
    private String awaitResult(Connection conn, UUID id, long timeoutMs) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMs;
        try (PreparedStatement ps = conn.prepareStatement(
                "select status, result from executions where execution_id = ?")) {
            ps.setObject(1, id);
            while (true) {
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && !"RUNNING".equals(rs.getString(1))) {
                        if (!"SUCCEEDED".equals(rs.getString(1))) {
                            throw new IllegalStateException("bench-first-step " + id + " ended " + rs.getString(1)
                                    + ": " + rs.getString(2));
                        }
                        return rs.getString(2);
                    }
                }
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("execution " + id + " not closed after " + timeoutMs + " ms");
                }
                Thread.sleep(5);
            }
        }
    }
}
