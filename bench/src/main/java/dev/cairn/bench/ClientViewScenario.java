package dev.cairn.bench;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Scenario {@code client}: Cairn seen from a REST client, as a user's service sees it ({@link RestClientLoad}), at
 * 32 executions in flight and one at a time; beside it DBOS Transact seen by its in-process caller, the same loops
 * in the peer's JVM.
 */
final class ClientViewScenario {

    private final Options o;
    private final Cluster c;
    private final Db db;
    private final DbosPeer peer;
    private final int runs;

    ClientViewScenario(Options o, Cluster c, Db db, DbosPeer peer) {
        this.o = o;
        this.c = c;
        this.db = db;
        this.peer = peer;
        this.runs = o.integer("runs", 3, 1);
    }

    Report run() throws Exception {
        List<Integer> levels = o.integers("client-concurrency", "32,1", "4,1");
        int n = o.integer("client-executions", 2_000, 20);
        int nSerial = o.integer("client-serial-executions", 300, 5);
        int steps = o.integer("steps", 10, 10);
        int warmup = o.integer("client-warmup-executions", 1_000, 0);
        int serialWarmup = o.integer("client-serial-warmup-executions", 500, 0);
        long pollMs = o.longValue("client-poll-ms", 5, 5);
        String wait = o.string("client-wait-duration", "30s");
        String modeOption = o.string("client-wait", "auto");
        RestClientLoad.Mode mode = switch (modeOption) {
            case "on" -> RestClientLoad.Mode.WAIT;
            case "off" -> RestClientLoad.Mode.POLL;
            case "auto" -> RestClientLoad.waitSupported(c.api) ? RestClientLoad.Mode.WAIT : RestClientLoad.Mode.POLL;
            default -> throw new IllegalArgumentException("--client-wait must be auto, on or off, was " + modeOption);
        };
        String how = mode == RestClientLoad.Mode.WAIT
                ? "start-and-wait POST ?wait=" + wait + ", then GET ?wait=" + wait + " while RUNNING"
                : "POST, then GET every " + pollMs + " ms until closed";
        System.out.println("[bench] client: the REST client learns that executions ended by " + how
                + (modeOption.equals("auto") ? " (--client-wait auto: the orchestrator "
                        + (mode == RestClientLoad.Mode.WAIT ? "honours" : "ignores") + " ?wait=)" : ""));
        RestClientLoad client = new RestClientLoad(c.api, mode, wait, pollMs);
        List<String> keys = new ArrayList<>();
        for (int level : levels) {
            keys.addAll(List.of("steps_per_s_" + level, "dbos_steps_per_s_" + level, "latency_ms_p50_" + level,
                    "dbos_latency_ms_p50_" + level));
        }
        Report r = new Report("client", keys.toArray(String[]::new));
        r.once.put("client_mode", mode.name().toLowerCase(Locale.ROOT));
        r.once.put("client_how", how);
        r.notes.add("Cairn seen from a REST client, as a user's service sees it: at each client-concurrency level"
                + " (default 32, then 1) that many client threads each start an execution of bench-steps (`steps`"
                + " trivial steps) through POST /v1/workflows/bench-steps/executions and learn that it ended only"
                + " through the public API — " + how + " — then start the next. Latency = the client's time from"
                + " before the start request to the answer showing the execution closed; executions_per_s ="
                + " executions / the loop's wall time; requests_per_execution = HTTP requests sent per execution."
                + " Counts: client-executions at concurrency > 1, client-serial-executions at 1, each level after a"
                + " warm-up at that level (client-warmup-executions, client-serial-warmup-executions at 1). --client-wait"
                + " auto|on|off chooses ?wait= (auto: when the orchestrator honours it).");
        r.notes.add("dbos_*: the same loops in DBOS Transact's JVM, whose application calls it in-process:"
                + " startWorkflow, then getResult (latency = start call → result in that JVM). Run right after"
                + " Cairn's at each level.");
        String input = "{\"steps\":" + steps + "}";
        String expected = Integer.toString(steps * (steps - 1) / 2);
        // each level warms its own path: one at a time, a request runs alone through group commit and the dispatcher,
        // code that a warm-up at 32 in flight leaves to the JIT to compile during the measured loop
        for (int level : levels) {
            int count = level == 1 ? serialWarmup : warmup;
            if (count > 0) {
                client.closedLoop("bench-steps", input, expected, count, level);
                if (peer != null) {
                    peer.closedLoop(count, level, steps);
                }
            }
        }
        for (int i = 0; i < runs; i++) {
            Map<String, Object> run = r.newRun();
            for (int level : levels) {
                int total = level == 1 ? nSerial : n;
                long cpuO = c.orchestrator.cpuNanos();
                long cpuW = c.worker.cpuNanos();
                Map<Long, Long> pg0 = Scenarios.pgTicks(db.name);
                RestClientLoad.Result res = client.closedLoop("bench-steps", input, expected, total, level);
                double pgS = Scenarios.pgCpuSeconds(pg0, Scenarios.pgTicks(db.name));
                double cpuS = (c.orchestrator.cpuNanos() - cpuO + c.worker.cpuNanos() - cpuW) / 1e9;
                double totalSteps = total * (double) steps;
                double eps = res.executionsPerS();
                run.put("executions_" + level, res.latencyMs().length);
                run.put("distinct_executions_" + level, new HashSet<UUID>(res.ids()).size());
                run.put("failed_" + level, res.failed());
                run.put("executions_per_s_" + level, Stats.round(eps, 1));
                run.put("steps_per_s_" + level, Stats.round(eps * steps, 1));
                run.put("latency_ms_p50_" + level, Stats.round(Stats.percentile(res.latencyMs(), 50), 3));
                run.put("latency_ms_p99_" + level, Stats.round(Stats.percentile(res.latencyMs(), 99), 3));
                run.put("requests_per_execution_" + level, Stats.round(res.requests() / (double) total, 2));
                run.put("orchestrator_cpu_pct_" + level,
                        Stats.round((c.orchestrator.cpuNanos() - cpuO) / 1e9 / res.wallS() * 100, 1));
                run.put("worker_cpu_pct_" + level,
                        Stats.round((c.worker.cpuNanos() - cpuW) / 1e9 / res.wallS() * 100, 1));
                run.put("cairn_cpu_ms_per_step_" + level, Stats.round(cpuS * 1000 / totalSteps, 3));
                run.put("postgres_cpu_ms_per_step_" + level, Stats.round(pgS * 1000 / totalSteps, 3));
                if (peer != null) {
                    long cpuD = peer.cpuNanos();
                    Map<Long, Long> dpg0 = Scenarios.pgTicks(peer.db.name);
                    DbosPeer.ClosedLoop l = peer.closedLoop(total, level, steps);
                    double dpgS = Scenarios.pgCpuSeconds(dpg0, Scenarios.pgTicks(peer.db.name));
                    double dcpuS = (peer.cpuNanos() - cpuD) / 1e9;
                    double deps = l.executionsPerS();
                    run.put("dbos_executions_" + level, l.latencyMs().length);
                    run.put("dbos_failed_" + level, l.failed());
                    run.put("dbos_steps_done_" + level, l.stepsDone());
                    run.put("dbos_executions_per_s_" + level, Stats.round(deps, 1));
                    run.put("dbos_steps_per_s_" + level, Stats.round(deps * steps, 1));
                    run.put("dbos_latency_ms_p50_" + level, Stats.round(Stats.percentile(l.latencyMs(), 50), 3));
                    run.put("dbos_latency_ms_p99_" + level, Stats.round(Stats.percentile(l.latencyMs(), 99), 3));
                    run.put("dbos_cpu_pct_" + level, Stats.round(dcpuS / l.wallS() * 100, 1));
                    run.put("dbos_cpu_ms_per_step_" + level, Stats.round(dcpuS * 1000 / totalSteps, 3));
                    run.put("dbos_postgres_cpu_ms_per_step_" + level, Stats.round(dpgS * 1000 / totalSteps, 3));
                    run.put("ratio_steps_per_s_" + level, Stats.round(eps / deps, 3));
                }
            }
        }
        if (peer != null) {
            String cairnHow = mode == RestClientLoad.Mode.WAIT ? "?wait=" : "polling every " + pollMs + " ms";
            for (int level : levels) {
                r.sideBySide.add(SideBySide.of(String.format(Locale.ROOT, "client view: %d-step executions, %s"
                        + " (Cairn: REST client, %s; DBOS: in-process caller)", steps,
                        level == 1 ? "one at a time" : level + " in flight", cairnHow), r,
                        PeerScenarios.closedLoopFigures("_" + level, "dbos_")));
            }
        }
        return r;
    }
}
