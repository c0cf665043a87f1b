package dev.cairn.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The faults: every {@code killEvery} (±50%, at random) a kill -9 of one process, started again at once; every
 * {@code pgRestartEvery} a restart of PostgreSQL. Which role dies is dealt so that orchestrators take
 * {@code orchestratorShare} of the kills; which process of that role, at random among those that are ready and have
 * a ready peer of the same role (a process still starting is not killed, and one orchestrator and one worker are
 * always up: the run keeps making progress; a full outage of a role is another test's business). With no such
 * process in the role dealt, the other role is tried; with none in either, the tick is skipped.
 */
final class FaultInjector implements AutoCloseable {

    final AtomicLong workerKills = new AtomicLong();
    final AtomicLong orchestratorKills = new AtomicLong();
    final AtomicLong pgRestarts = new AtomicLong();
    final AtomicLong skippedTicks = new AtomicLong();
    final List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
    final List<Double> pgRestartSeconds = java.util.Collections.synchronizedList(new ArrayList<>());

    private final FaultCluster cluster;
    private final PgServer pg;
    private final Random random;
    private final Duration killEvery;
    private final Duration pgRestartEvery;
    private final String pgRestartMode;
    private final double orchestratorShare;
    private final Thread thread;
    private final long t0 = System.nanoTime();
    private volatile boolean running = true;

    FaultInjector(FaultCluster cluster, PgServer pg, long seed, Duration killEvery, Duration pgRestartEvery,
            String pgRestartMode, double orchestratorShare) {
        this.cluster = cluster;
        this.pg = pg;
        this.random = new Random(seed);
        this.killEvery = killEvery;
        this.pgRestartEvery = pgRestartEvery;
        this.pgRestartMode = pgRestartMode;
        this.orchestratorShare = orchestratorShare;
        this.thread = new Thread(this::loop, "faults-injector");
        this.thread.setDaemon(true);
    }

    /** Faults injected so far: {@code worker_kills}, {@code orchestrator_kills}, {@code pg_restarts}. */
    Map<String, Long> counts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("worker_kills", workerKills.get());
        counts.put("orchestrator_kills", orchestratorKills.get());
        counts.put("pg_restarts", pgRestarts.get());
        return counts;
    }

    /** Whether at least {@code minimum} faults of each kind were injected. */
    boolean reached(Map<String, Long> minimum) {
        Map<String, Long> counts = counts();
        return minimum.entrySet().stream().allMatch(e -> counts.get(e.getKey()) >= e.getValue());
    }

    void start() {
        thread.start();
    }

    private void loop() {
        long nextKill = killEvery.isZero() ? Long.MAX_VALUE : t0 + jittered();
        long nextPg = pgRestartEvery.isZero() ? Long.MAX_VALUE : t0 + pgRestartEvery.toNanos();
        while (running) {
            long now = System.nanoTime();
            try {
                if (now >= nextPg) {
                    restartPostgres();
                    nextPg += pgRestartEvery.toNanos();
                } else if (now >= nextKill) {
                    killOne();
                    nextKill = System.nanoTime() + jittered();
                } else {
                    Thread.sleep(Math.max(1, Math.min(200, (Math.min(nextPg, nextKill) - now) / 1_000_000)));
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                System.err.println("[faults] fault injection failed: " + e);
            }
        }
    }

    private long jittered() {
        return (long) (killEvery.toNanos() * (0.5 + random.nextDouble()));
    }

    private void killOne() throws Exception {
        long kills = workerKills.get() + orchestratorKills.get();
        boolean orchestrator = orchestratorKills.get() < orchestratorShare * (kills + 1);
        FaultCluster.Slot victim = pick(orchestrator ? cluster.orchestrators : cluster.workers);
        if (victim == null) {
            victim = pick(orchestrator ? cluster.workers : cluster.orchestrators);
        }
        if (victim == null) {
            skippedTicks.incrementAndGet();
            return;
        }
        int generation = victim.generation;
        cluster.killAndRestart(victim);
        (victim.role == FaultCluster.Role.ORCHESTRATOR ? orchestratorKills : workerKills).incrementAndGet();
        note("kill -9 " + victim.name() + " generation " + generation);
    }

    private FaultCluster.Slot pick(List<FaultCluster.Slot> role) {
        List<FaultCluster.Slot> ready = role.stream().filter(s -> s.ready).toList();
        if (ready.size() < 2) {
            return null;
        }
        return ready.get(random.nextInt(ready.size()));
    }

    private void restartPostgres() throws Exception {
        long n = pgRestarts.get();
        String mode = "mixed".equals(pgRestartMode) ? (n % 2 == 0 ? "immediate" : "fast") : pgRestartMode;
        long t = System.nanoTime();
        pg.restart(mode);
        double took = (System.nanoTime() - t) / 1e9;
        pgRestarts.incrementAndGet();
        pgRestartSeconds.add(Stats.round(took, 2));
        note("PostgreSQL restart -m " + mode + " (" + Stats.round(took, 2) + " s)");
    }

    private void note(String what) {
        String line = String.format("%7.1f s  %s", (System.nanoTime() - t0) / 1e9, what);
        log.add(line);
        System.out.println("[faults] " + line);
    }

    @Override
    public void close() throws InterruptedException {
        running = false; // a restart of PostgreSQL under way is let finish
        thread.join(180_000);
        thread.interrupt();
    }
}
