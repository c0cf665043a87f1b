package dev.cairn.bench.dbos;

import dev.dbos.transact.DBOS;
import dev.dbos.transact.workflow.Workflow;

/** {@link PeerWorkflows} written as a DBOS user writes them: workflow methods whose steps are {@code runStep} calls. */
public final class DbosWorkflows implements PeerWorkflows {

    private final DBOS dbos;

    DbosWorkflows(DBOS dbos) {
        this.dbos = dbos;
    }

    @Override
    @Workflow(name = "bench-steps")
    public int steps(int steps) {
        int sum = 0;
        for (int i = 0; i < steps; i++) {
            int n = i;
            sum += dbos.runStep(() -> n, "s" + i);
        }
        return sum;
    }

    @Override
    @Workflow(name = "bench-sequential")
    public long[] sequential(int steps) {
        long[] micros = new long[steps];
        for (int i = 0; i < steps; i++) {
            int n = i;
            long t0 = System.nanoTime();
            dbos.runStep(() -> n, "s" + i);
            micros[i] = (System.nanoTime() - t0) / 1_000;
        }
        return micros;
    }

    @Override
    @Workflow(name = "bench-first-step")
    public long firstStep() {
        return dbos.runStep(System::nanoTime, "first");
    }
}
