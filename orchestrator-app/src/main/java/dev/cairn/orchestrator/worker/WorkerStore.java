package dev.cairn.orchestrator.worker;

import static dev.cairn.orchestrator.sql.SqlTypes.at;

import dev.cairn.orchestrator.ledger.Ledger;
import dev.cairn.orchestrator.ledger.WorkerHeartbeat;
import dev.cairn.orchestrator.sql.SqlTypes;
import dev.cairn.protocol.Heartbeat;
import dev.cairn.protocol.WorkerRegistration;
import dev.cairn.protocol.WorkflowRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Workers, the workflows they serve and every workflow version ever registered. A heartbeat, which also extends
 * the leases of executions, is written by the {@link Ledger}.
 */
@Repository
public class WorkerStore {

    /**
     * The owner of a worker id is the secret it registered with (compared as SHA-256 digests, so the comparison
     * reveals nothing of the stored secret; a worker without a secret is owned by "no secret"). A registration by
     * the owner refreshes the row (keeping {@code registered_at}); one with another secret takes the id only when
     * its last heartbeat is before {@code :expiredBefore}; otherwise nothing is written and no row is returned.
     */
    private static final String REGISTER = """
            with w as (
                insert into workers (worker_id, endpoint, capacity, in_flight, status, registered_at, last_heartbeat_at,
                                     invocation_secret, invocation_batches)
                values (:workerId, :endpoint, :capacity, 0, 'LIVE', :now, :now, :secret, :batches)
                on conflict on constraint pk_workers do update
                   set endpoint = excluded.endpoint, capacity = excluded.capacity, in_flight = 0, status = 'LIVE',
                       invocation_secret = excluded.invocation_secret,
                       invocation_batches = excluded.invocation_batches,
                       registered_at = case when sha256(convert_to(workers.invocation_secret, 'UTF8'))
                                                 is not distinct from sha256(convert_to(excluded.invocation_secret, 'UTF8'))
                                            then workers.registered_at else excluded.registered_at end,
                       last_heartbeat_at = excluded.last_heartbeat_at
                 where sha256(convert_to(workers.invocation_secret, 'UTF8'))
                           is not distinct from sha256(convert_to(excluded.invocation_secret, 'UTF8'))
                    or workers.last_heartbeat_at < :expiredBefore
                returning worker_id
            ), served as (
                select n, v from unnest(cast(:names as text[]), cast(:versions as text[])) as r(n, v)
            ), gone as (
                delete from worker_workflows ww using w
                 where ww.worker_id = w.worker_id and (ww.workflow, ww.version) not in (select n, v from served)
            ), added as (
                insert into worker_workflows (worker_id, workflow, version)
                select w.worker_id, s.n, s.v from w cross join served s
                on conflict on constraint pk_worker_workflows do nothing
            ), known as (
                insert into workflow_versions (workflow, version, first_registered_at)
                select s.n, s.v, :now from served s where exists (select 1 from w)
                on conflict on constraint pk_workflow_versions do nothing
            )
            select worker_id from w
            """;

    private static final String LIVE_WORKERS = """
            select w.worker_id, w.endpoint, w.capacity, coalesce(l.leased, 0) as leased, ww.workflow, ww.version,
                   w.invocation_secret, w.invocation_batches
              from workers w
              join worker_workflows ww on ww.worker_id = w.worker_id
              left join (select worker_id, count(*) as leased from executions
                          where lease_expires_at is not null and worker_id is not null
                          group by worker_id) l on l.worker_id = w.worker_id
             where w.last_heartbeat_at >= :liveSince
             order by w.worker_id, ww.workflow, ww.version
            """;

    private static final String VERSIONS = """
            select v.version,
                   exists (select 1 from worker_workflows ww join workers w on w.worker_id = ww.worker_id
                            where ww.workflow = v.workflow and ww.version = v.version
                              and w.last_heartbeat_at >= :liveSince) as live
              from workflow_versions v
             where v.workflow = :workflow
            """;

    private static final String WORKFLOWS = """
            select v.workflow, v.version,
                   exists (select 1 from worker_workflows ww join workers w on w.worker_id = ww.worker_id
                            where ww.workflow = v.workflow and ww.version = v.version
                              and w.last_heartbeat_at >= :liveSince) as live,
                   (select count(distinct ww.worker_id) from worker_workflows ww
                      join workers w on w.worker_id = ww.worker_id
                     where ww.workflow = v.workflow and w.last_heartbeat_at >= :liveSince) as workers
              from workflow_versions v
             where v.workflow in (select distinct workflow from workflow_versions
                                   where cast(:after as text) is null or workflow > :after
                                   order by workflow limit :limit)
             order by v.workflow, v.version
            """;

    private static final String WORKERS = """
            select w.worker_id, w.endpoint, w.capacity, w.in_flight, w.last_heartbeat_at,
                   w.last_heartbeat_at >= :liveSince as live, ww.workflow, ww.version
              from workers w
              left join worker_workflows ww on ww.worker_id = w.worker_id
             where w.worker_id in (select worker_id from workers
                                    where cast(:after as text) is null or worker_id > :after
                                    order by worker_id limit :limit)
             order by w.worker_id, ww.workflow, ww.version
            """;

    private final JdbcClient jdbc;
    private final Ledger ledger;
    private final AtomicLong registrations = new AtomicLong();

    public WorkerStore(JdbcClient jdbc, Ledger ledger) {
        this.jdbc = jdbc;
        this.ledger = ledger;
    }

    /**
     * Inserts or refreshes a worker and replaces the workflows it serves, when the id is free, was registered with
     * the same secret, or its last heartbeat is before {@code expiredBefore} (dead and expired); otherwise changes
     * nothing.
     *
     * @return whether the registration was written (false: the id belongs to another secret)
     */
    public boolean register(WorkerRegistration registration, Instant now, Instant expiredBefore) {
        Set<WorkflowRef> served = new LinkedHashSet<>(registration.workflows());
        String[] names = served.stream().map(WorkflowRef::name).toArray(String[]::new);
        String[] versions = served.stream().map(WorkflowRef::version).toArray(String[]::new);
        boolean written = jdbc.sql(REGISTER)
                .param("workerId", registration.workerId())
                .param("endpoint", registration.endpoint())
                .param("capacity", registration.capacity())
                .param("secret", registration.invocationSecret())
                .param("batches", registration.invocationBatches())
                .param("now", at(now))
                .param("expiredBefore", at(expiredBefore))
                .param("names", names)
                .param("versions", versions)
                .query(String.class)
                .optional()
                .isPresent();
        if (written) {
            registrations.incrementAndGet();
        }
        return written;
    }

    /** Counts the registrations written through this instance, so that a cached list of workers can be read again. */
    public long changes() {
        return registrations.get();
    }

    /**
     * Records a heartbeat of the worker registered with {@code secret} (null: registered without one) and extends
     * the leases of the listed invocations whose token is still current; a heartbeat with another secret changes
     * nothing.
     */
    public HeartbeatOutcome heartbeat(String workerId, String secret, Heartbeat heartbeat, Instant now,
            Instant leaseUntil) {
        List<WorkerHeartbeat.Lease> leases = new ArrayList<>();
        for (Heartbeat.InvocationRef ref : heartbeat.invocations()) {
            if (ref != null && isUuid(ref.executionId()) && isUuid(ref.invocationToken())) {
                leases.add(new WorkerHeartbeat.Lease(ref.executionId(), ref.invocationToken()));
            }
        }
        WorkerHeartbeat.Recorded recorded = ledger.heartbeat(new WorkerHeartbeat(workerId, secret,
                Math.max(0, heartbeat.inFlight()), leases, now, leaseUntil));
        return !recorded.known() ? HeartbeatOutcome.UNKNOWN
                : !recorded.owned() ? HeartbeatOutcome.NOT_OWNER : HeartbeatOutcome.RECORDED;
    }

    /** What became of a heartbeat. */
    public enum HeartbeatOutcome {
        /** Recorded, and the leases of the listed current invocations extended. */
        RECORDED,
        /** No worker has this id: it must register. */
        UNKNOWN,
        /** The id is registered with another secret: nothing was recorded. */
        NOT_OWNER
    }

    /** The workers whose last heartbeat is at or after {@code liveSince}, with what they serve. */
    public List<LiveWorker> liveWorkers(Instant liveSince) {
        Map<String, LiveWorker> byId = new LinkedHashMap<>();
        Map<String, List<WorkflowRef>> served = new LinkedHashMap<>();
        jdbc.sql(LIVE_WORKERS).param("liveSince", at(liveSince)).query(rs -> {
            String id = rs.getString("worker_id");
            byId.putIfAbsent(id, new LiveWorker(id, rs.getString("endpoint"), rs.getInt("capacity"),
                    rs.getInt("leased"), List.of(), rs.getString("invocation_secret"),
                    rs.getBoolean("invocation_batches")));
            served.computeIfAbsent(id, k -> new ArrayList<>())
                    .add(new WorkflowRef(rs.getString("workflow"), rs.getString("version")));
        });
        List<LiveWorker> workers = new ArrayList<>();
        byId.forEach((id, w) -> workers.add(new LiveWorker(id, w.endpoint(), w.capacity(), w.leased(), served.get(id),
                w.invocationSecret(), w.invocationBatches())));
        return workers;
    }

    /** Every registered version of a workflow (empty when it was never registered). */
    public List<RegisteredVersion> versions(String workflow, Instant liveSince) {
        return jdbc.sql(VERSIONS)
                .param("workflow", workflow)
                .param("liveSince", at(liveSince))
                .query((rs, n) -> new RegisteredVersion(rs.getString("version"), rs.getBoolean("live")))
                .list();
    }

    /** A page of registered workflows by name, each with every version ever registered. */
    public List<RegisteredWorkflow> workflows(String afterName, int limit, Instant liveSince) {
        Map<String, List<RegisteredVersion>> versions = new LinkedHashMap<>();
        Map<String, Integer> workers = new LinkedHashMap<>();
        jdbc.sql(WORKFLOWS).param("after", afterName).param("limit", limit).param("liveSince", at(liveSince))
                .query(rs -> {
                    String name = rs.getString("workflow");
                    versions.computeIfAbsent(name, k -> new ArrayList<>())
                            .add(new RegisteredVersion(rs.getString("version"), rs.getBoolean("live")));
                    workers.put(name, rs.getInt("workers"));
                });
        List<RegisteredWorkflow> result = new ArrayList<>();
        versions.forEach((name, v) -> result.add(new RegisteredWorkflow(name, v, workers.get(name))));
        return result;
    }

    /** A page of registered workers by id, live or not. */
    public List<WorkerSummary> workers(String afterId, int limit, Instant liveSince) {
        Map<String, WorkerSummary> byId = new LinkedHashMap<>();
        Map<String, List<WorkflowRef>> served = new LinkedHashMap<>();
        jdbc.sql(WORKERS).param("after", afterId).param("limit", limit).param("liveSince", at(liveSince))
                .query(rs -> {
                    String id = rs.getString("worker_id");
                    if (!byId.containsKey(id)) {
                        byId.put(id, new WorkerSummary(id, rs.getString("endpoint"), List.of(), rs.getInt("capacity"),
                                rs.getInt("in_flight"), SqlTypes.instant(rs, "last_heartbeat_at"),
                                rs.getBoolean("live") ? "LIVE" : "DEAD"));
                    }
                    List<WorkflowRef> refs = served.computeIfAbsent(id, k -> new ArrayList<>());
                    if (rs.getString("workflow") != null) {
                        refs.add(new WorkflowRef(rs.getString("workflow"), rs.getString("version")));
                    }
                });
        List<WorkerSummary> result = new ArrayList<>();
        byId.forEach((id, w) -> result.add(new WorkerSummary(id, w.endpoint(), served.get(id), w.capacity(),
                w.inFlight(), w.lastHeartbeatAt(), w.status())));
        return result;
    }

    /** A workflow with its registered versions and the number of live workers serving it. */
    public record RegisteredWorkflow(String name, List<RegisteredVersion> versions, int liveWorkers) {
    }

    private static boolean isUuid(String s) {
        return SqlTypes.uuidOrNull(s) != null;
    }
}
