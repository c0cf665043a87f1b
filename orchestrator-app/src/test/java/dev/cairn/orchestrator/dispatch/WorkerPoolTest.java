package dev.cairn.orchestrator.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.orchestrator.worker.LiveWorker;
import dev.cairn.protocol.WorkflowRef;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {

    private static final WorkflowRef V1 = new WorkflowRef("orders", "1");
    private static final WorkflowRef V2 = new WorkflowRef("orders", "2");

    @Test
    void choosesTheLeastLoadedWorkerServingExactlyTheVersion() {
        WorkerPool pool = new WorkerPool(List.of(
                new LiveWorker("busy", "http://a", 4, 3, List.of(V1)),
                new LiveWorker("idle", "http://b", 4, 0, List.of(V1)),
                new LiveWorker("other", "http://c", 10, 0, List.of(V2))), id -> true);

        assertThat(pool.take("orders", "1")).get().extracting(LiveWorker::workerId).isEqualTo("idle");
        assertThat(pool.take("orders", "2")).get().extracting(LiveWorker::workerId).isEqualTo("other");
        assertThat(pool.take("orders", "3")).isEmpty();
    }

    @Test
    void countsWhatItAssignsAgainstCapacity() {
        WorkerPool pool = new WorkerPool(List.of(new LiveWorker("w", "http://a", 2, 1, List.of(V1))), id -> true);

        assertThat(pool.totalFree()).isEqualTo(1);
        assertThat(pool.take("orders", "1")).isPresent();
        assertThat(pool.take("orders", "1")).isEmpty();
        assertThat(pool.servable()).isEmpty();
    }

    @Test
    void skipsUnavailableWorkers() {
        WorkerPool pool = new WorkerPool(List.of(new LiveWorker("w", "http://a", 2, 0, List.of(V1))), id -> false);

        assertThat(pool.servable()).isEmpty();
        assertThat(pool.totalFree()).isZero();
    }
}
