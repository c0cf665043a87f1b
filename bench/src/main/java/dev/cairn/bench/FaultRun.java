package dev.cairn.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * The fault-injection run ({@code java -jar bench-…-exec.jar faults [flags]}): its own PostgreSQL server
 * ({@link PgServer}), two orchestrators behind a round-robin TCP proxy ({@link RoundRobinProxy}), two or more
 * workers ({@link FaultCluster}); executions of every kind started through the API with idempotent retries, their
 * callbacks completed from outside and some of them stopped ({@link FaultLoad}); a process killed with -9 every few
 * seconds and PostgreSQL restarted now and then ({@link FaultInjector}). Then the faults stop, everything drains (for
 * at most {@code --drain}), and {@link FaultAudit} counts what must never happen. Prints the counts and writes
 * {@code <results-dir>/faults.json}; the run fails (exit code 3) when a count that must be 0 is not, or when fewer
 * faults than {@code --min-…} were injected. See RELIABILITY.md.
 */
final class FaultRun {

    /** What the run found, and how many faults it injected. */
    record Outcome(FaultAudit.Findings findings, Map<String, Long> faults, List<String> shortfalls, Path report,
            String summary) {

        boolean passed() {
            return findings.clean() && shortfalls.isEmpty();
        }
    }

    private FaultRun() {
    }

    static Outcome run(String[] args) throws Exception {
        Options o = new Options(args);
        FaultPlan plan = FaultPlan.from(o);
        Files.createDirectories(plan.results());
        System.out.println("[faults] " + plan.describe());
        long t0 = System.nanoTime();
        try (PgServer pg = PgServer.start(plan.pgBin())) {
            System.out.println("[faults] " + pg.describe());
            Db db = new Db(pg.adminUrl(), "postgres", "");
            db.create();
            Map<String, Object> env = Bench.environment(db);
            env.put("postgresql_server", pg.describe());
            try (FaultCluster cluster = new FaultCluster(db, plan.orchestrators(), plan.workers(),
                    plan.orchestratorJvm(), plan.workerJvm(), plan.orchestratorProps(), plan.workerProps(),
                    plan.results().resolve("logs"))) {
                // Ctrl-C or a plain kill of the harness: leave no JVM and no server behind
                Thread cleanup = new Thread(() -> {
                    cluster.close();
                    pg.close();
                }, "faults-cleanup");
                Runtime.getRuntime().addShutdownHook(cleanup);
                try {
                    cluster.start(new HashSet<>(FaultLoad.KINDS), plan.startTimeout());
                    System.out.printf("[faults] %d orchestrators (proxy on port %d) and %d workers ready after"
                            + " %.1f s%n", plan.orchestrators(), cluster.proxy.port(), plan.workers(),
                            (System.nanoTime() - t0) / 1e9);
                    Outcome outcome = drive(plan, db, pg, cluster, env, Bench.rerun("faults", o), o.used());
                    System.out.printf("[faults] done after %.1f s%n", (System.nanoTime() - t0) / 1e9);
                    return outcome;
                } finally {
                    try {
                        Runtime.getRuntime().removeShutdownHook(cleanup);
                    } catch (IllegalStateException shuttingDown) {
                        // the hook runs
                    }
                }
            }
        }
    }

    private static Outcome drive(FaultPlan plan, Db db, PgServer pg, FaultCluster cluster, Map<String, Object> env,
            String rerun, Map<String, Object> config) throws Exception {
        FaultInjector faults = new FaultInjector(cluster, pg, plan.seed(), plan.killEvery(), plan.pgRestartEvery(),
                plan.pgRestartMode(), plan.orchestratorShare());
        try (FaultLoad load = new FaultLoad(cluster.api, plan.seed() + 1, plan.stopShare(), plan.repeatShare())) {
            long start = System.nanoTime();
            long end = start + plan.duration().toNanos();
            long latestEnd = start + plan.maxDuration().toNanos();
            load.giveUpAt(latestEnd + plan.drain().toNanos());
            cluster.proxy.resetCounts();
            faults.start();
            long interval = (long) (1e9 / plan.startRate());
            long nextStart = start;
            long nextProgress = start + 15_000_000_000L;
            long running = 0;
            long nextCount = start;
            boolean extended = false;
            while (true) {
                long now = System.nanoTime();
                if (now >= end) {
                    if (now >= latestEnd || faults.reached(plan.minimum())) {
                        break;
                    }
                    if (!extended) {
                        extended = true;
                        System.out.printf("[faults] fewer faults than asked so far (%s); going on until they are in"
                                + " (at most %s in all)%n", faults.counts(), plan.maxDuration());
                    }
                }
                if (now >= nextCount) {
                    running = runningOrSame(db, running);
                    nextCount = now + 1_000_000_000L;
                }
                if (now >= nextStart) {
                    if (running < plan.maxRunning()) {
                        load.startNext();
                        running++;
                    }
                    nextStart += interval;
                }
                if (now >= nextProgress) {
                    progress("faults", start, load, faults, cluster, running);
                    nextProgress += 15_000_000_000L;
                }
                Thread.sleep(Math.max(1, Math.min(100, (nextStart - System.nanoTime()) / 1_000_000)));
            }
            faults.close();
            System.out.printf("[faults] faults stopped after %.1f s: %d worker kills, %d orchestrator kills, %d "
                    + "PostgreSQL restarts; draining (at most %s)%n", (System.nanoTime() - start) / 1e9,
                    faults.workerKills.get(), faults.orchestratorKills.get(), faults.pgRestarts.get(), plan.drain());
            long drainStart = System.nanoTime();
            long drainEnd = drainStart + plan.drain().toNanos();
            long nextDrainProgress = drainStart + 10_000_000_000L;
            while (System.nanoTime() < drainEnd) {
                running = runningOrSame(db, -1);
                if (running == 0 && load.pendingStarts() == 0) {
                    break;
                }
                if (System.nanoTime() >= nextDrainProgress) {
                    progress("drain", start, load, faults, cluster, running);
                    nextDrainProgress += 10_000_000_000L;
                }
                Thread.sleep(500);
            }
            double drained = (System.nanoTime() - drainStart) / 1e9;
            System.out.printf("[faults] drain took %.1f s (%d still running, %d starts still unanswered)%n", drained,
                    runningOrSame(db, -1), load.pendingStarts());

            FaultAudit.Findings findings = FaultAudit.run(db, load.all());
            Map<String, Long> injected = faults.counts();
            List<String> shortfalls = new ArrayList<>();
            plan.minimum().forEach((k, min) -> {
                if (injected.get(k) < min) {
                    shortfalls.add(k + "=" + injected.get(k) + " (at least " + min + " asked: run longer, or lower"
                            + " --kill-every / --pg-restart-every)");
                }
            });
            Report report = report(findings, injected, faults, load, cluster, (drainStart - start) / 1e9, drained);
            Path file = report.write(plan.results(), env, config, rerun);
            String summary = report.summaryLine();
            print(findings, injected, shortfalls, summary, file);
            return new Outcome(findings, injected, shortfalls, file, summary);
        }
    }

    private static Report report(FaultAudit.Findings findings, Map<String, Long> injected, FaultInjector faults,
            FaultLoad load, FaultCluster cluster, double faultPhase, double drained) {
        List<String> keys = new ArrayList<>(FaultAudit.MUST_BE_ZERO.subList(0, 7));
        keys.addAll(List.of("worker_kills", "orchestrator_kills", "pg_restarts", "executions"));
        Report r = new Report("faults", keys.toArray(String[]::new));
        Map<String, Object> run = r.newRun();
        run.putAll(findings.counts());
        run.putAll(injected);
        findings.figures().forEach((k, v) -> {
            if (v instanceof Number) {
                run.put(k, v);
            }
        });
        run.put("fault_phase_s", Stats.round(faultPhase, 1));
        run.put("drain_s", Stats.round(drained, 1));
        run.put("skipped_kill_ticks", faults.skippedTicks.get());
        run.put("exited_on_their_own", cluster.exitedOnTheirOwn.get());
        run.put("start_attempts", load.startAttempts.get());
        run.put("start_retries", load.startRetries.get());
        run.put("repeated_starts", load.repeatedStarts.get());
        run.put("callbacks_completed", load.callbacksCompleted.get());
        run.put("callbacks_already_completed", load.callbacksAlreadyDone.get());
        run.put("callback_retries", load.callbackRetries.get());
        run.put("stops_answered_stopped", load.stopsAnswered.get());
        run.put("stops_answered_already_closed", load.stopsOfClosed.get());
        run.put("stop_retries", load.stopRetries.get());
        run.put("proxy_connections", cluster.proxy.connections());
        run.put("proxy_refused_backends", cluster.proxy.refused());
        run.put("proxy_unroutable", cluster.proxy.unroutable());
        run.put("process_ready_s_median", Stats.round(Stats.percentile(cluster.readySeconds(), 50), 1));
        run.put("process_ready_s_max", Stats.round(Stats.percentile(cluster.readySeconds(), 100), 1));
        findings.figures().forEach((k, v) -> {
            if (!(v instanceof Number)) {
                r.once.put(k, v);
            }
        });
        r.once.put("examples", findings.examples());
        r.once.put("by_workflow", findings.byWorkflow());
        r.once.put("pg_restart_s", faults.pgRestartSeconds);
        r.once.put("fault_log", faults.log);
        r.notes.add("Counts that must be 0: " + FaultAudit.MUST_BE_ZERO + "; what each means: RELIABILITY.md and the"
                + " javadoc of dev.cairn.bench.FaultAudit. 'examples' lists up to " + FaultAudit.EXAMPLES
                + " cases per count (for stuck: the execution's dispatch state, open operations and last history"
                + " events), 'by_workflow' the counts per workflow.");
        r.notes.add("worker_kills / orchestrator_kills: kill -9 of a ready process (restarted at once);"
                + " pg_restarts: pg_ctl restart of the run's own server (alternately -m immediate and -m fast"
                + " unless --pg-restart-mode); fault_log lists each with its time from the start of the fault phase.");
        r.notes.add("process_ready_s: from a process start to ready (orchestrator answering, worker registered LIVE)."
                + " proxy_*: from the start of the fault phase: client connections made, attempts refused by a"
                + " backend (killed, or still starting; the next one is tried), connections no backend took.");
        return r;
    }

    private static void print(FaultAudit.Findings f, Map<String, Long> injected, List<String> shortfalls,
            String summary, Path file) {
        System.out.println("[faults] ---- audit ----");
        System.out.println("[faults] injected: " + injected);
        System.out.println("[faults] figures: " + f.figures().entrySet().stream()
                .filter(e -> !"stuck_ids".equals(e.getKey())).toList());
        for (String k : FaultAudit.MUST_BE_ZERO) {
            long n = f.counts().getOrDefault(k, 0L);
            System.out.printf("[faults] %-26s %d%s%n", k, n, n == 0 ? "" : "   " + f.byWorkflow().get(k));
            if (n > 0) {
                for (String example : f.examples().getOrDefault(k, List.of())) {
                    System.out.println("[faults]     " + example);
                }
            }
        }
        if (!shortfalls.isEmpty()) {
            System.out.println("[faults] too few faults injected: " + shortfalls);
        }
        System.out.println(summary);
        System.out.println("[faults]   → " + file);
        System.out.println(f.clean() && shortfalls.isEmpty() ? "[faults] PASSED" : "[faults] FAILED");
    }

    private static void progress(String phase, long start, FaultLoad load, FaultInjector faults, FaultCluster cluster,
            long running) {
        long acked = load.all().stream().filter(t -> t.id != null).count();
        StringBuilder ready = new StringBuilder();
        for (FaultCluster.Slot s : cluster.all()) {
            ready.append(s.name()).append(s.ready ? "+" : "-").append(' ');
        }
        System.out.printf("[faults] %s %5.0f s: started %d, acknowledged %d, running %d, start retries %d, kills w=%d"
                        + " o=%d, pg restarts %d, processes %s%n", phase, (System.nanoTime() - start) / 1e9,
                load.all().size(), acked, running, load.startRetries.get(), faults.workerKills.get(),
                faults.orchestratorKills.get(), faults.pgRestarts.get(), ready.toString().trim());
    }

    /** Executions RUNNING now, or {@code fallback} while the database cannot answer (it may be restarting). */
    private static long runningOrSame(Db db, long fallback) {
        try {
            return db.queryLong("select count(*) from executions where status = 'RUNNING'");
        } catch (SQLException e) {
            return fallback;
        }
    }
}
