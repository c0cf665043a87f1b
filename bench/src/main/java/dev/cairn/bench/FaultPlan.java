package dev.cairn.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fault run's flags, read once. Each has a default for the long run and one for the short run ({@code --smoke},
 * what {@code FaultRunSmokeIT} runs); RELIABILITY.md lists them.
 *
 * @param duration how long faults are injected and executions started
 * @param maxDuration how long that may go on while fewer faults than {@code minimum} were injected (a loaded
 *     machine restarts processes slowly, and a process is killed only when a peer of its role is ready)
 * @param killEvery mean pause between two kills (each pause is drawn from 50–150% of it)
 * @param pgRestartEvery pause between two PostgreSQL restarts (0: none)
 * @param pgRestartMode {@code immediate}, {@code fast}, or {@code mixed} (alternately, immediate first)
 * @param orchestratorShare share of the kills dealt to orchestrators (the rest go to workers)
 * @param startRate executions started per second
 * @param maxRunning no new start while this many executions are RUNNING
 * @param stopShare share of the started executions stopped shortly after their start
 * @param repeatShare share of the starts sent once more after they were answered
 * @param drain longest wait, after the faults, for every execution to close
 * @param minimum fewest faults of each kind for the run to count ({@code worker_kills}, {@code orchestrator_kills},
 *     {@code pg_restarts})
 */
record FaultPlan(Duration duration, Duration maxDuration, Duration killEvery, Duration pgRestartEvery,
        String pgRestartMode,
        int orchestrators, int workers, double orchestratorShare, double startRate, int maxRunning, double stopShare,
        double repeatShare, Duration drain, long seed, Map<String, Long> minimum, List<String> orchestratorJvm,
        List<String> workerJvm, List<String> orchestratorProps, List<String> workerProps, String pgBin, Path results,
        Duration startTimeout, boolean smoke) {

    static FaultPlan from(Options o) throws java.io.IOException {
        Duration duration = o.duration("duration", "15m", "45s");
        Duration maxDuration = o.duration("max-duration", duration.multipliedBy(2).toSeconds() + "s", "75s");
        if (maxDuration.compareTo(duration) < 0) {
            maxDuration = duration;
        }
        Duration killEvery = o.duration("kill-every", "4s", "5s");
        Duration pgRestartEvery = o.duration("pg-restart-every", "3m", "20s");
        String pgRestartMode = o.string("pg-restart-mode", "mixed");
        if (!Set.of("mixed", "fast", "immediate").contains(pgRestartMode)) {
            throw new IllegalArgumentException("--pg-restart-mode is fast, immediate or mixed, not " + pgRestartMode);
        }
        int orchestrators = o.integer("orchestrators", 2, 2);
        int workers = o.integer("workers", 3, 2);
        if (orchestrators < 2 || workers < 2) {
            throw new IllegalArgumentException("the fault run needs at least 2 orchestrators and 2 workers");
        }
        Map<String, Long> minimum = new LinkedHashMap<>();
        minimum.put("worker_kills", o.longValue("min-worker-kills", 100, 2));
        minimum.put("orchestrator_kills", o.longValue("min-orchestrator-kills", 20, 2));
        minimum.put("pg_restarts", o.longValue("min-pg-restarts", 3, 1));
        // nothing is measured: C1 only and the serial collector start a JVM fastest
        String jvm = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx512m -XX:+ExitOnOutOfMemoryError";
        List<String> orchestratorProps = new ArrayList<>(List.of(
                // a killed worker's invocations are taken back quickly, so that the drain is short
                "cairn.orchestrator.lease-duration=" + o.string("lease-duration", "5s"),
                "cairn.orchestrator.heartbeat-interval=" + o.string("heartbeat-interval", "1s"),
                "cairn.orchestrator.worker-timeout=" + o.string("worker-timeout", "3s")));
        orchestratorProps.addAll(o.all("orchestrator-prop"));
        Path results = Path.of(o.string("results-dir", Files.isDirectory(Path.of("bench")) ? "bench/target/results"
                : "target/results"));
        long defaultSeed = System.nanoTime() % 1_000_000_007L;
        return new FaultPlan(duration, maxDuration, killEvery, pgRestartEvery, pgRestartMode, orchestrators, workers,
                o.decimal("orchestrator-kill-share", 0.25, 0.4),
                o.decimal("start-rate", 2, 2),
                o.integer("max-running", 100, 40),
                o.decimal("stop-share", 0.1, 0.15),
                o.decimal("repeat-share", 0.05, 0.05),
                o.duration("drain", "5m", "60s"),
                o.longValue("seed", defaultSeed, defaultSeed),
                minimum,
                split(o.string("orchestrator-jvm", jvm)),
                split(o.string("worker-jvm", jvm)),
                orchestratorProps,
                o.all("worker-prop"),
                o.string("pg-bin", ""),
                results,
                Duration.ofSeconds(o.integer("start-timeout-s", 240, 240)),
                o.smoke());
    }

    String describe() {
        return String.format("%s for %s (up to %s until the minimum faults are in): a kill -9 every ~%s"
                + " (orchestrators %.0f%%), PostgreSQL restarted every %s (%s), %d orchestrators behind a proxy,"
                + " %d workers, %.1f starts/s (at most %d running), seed %d",
                smoke ? "short run" : "run", duration, maxDuration, killEvery, orchestratorShare * 100, pgRestartEvery,
                pgRestartMode, orchestrators, workers, startRate, maxRunning, seed);
    }

    private static List<String> split(String s) {
        return s.isBlank() ? List.of() : Arrays.asList(s.trim().split("\\s+"));
    }
}
