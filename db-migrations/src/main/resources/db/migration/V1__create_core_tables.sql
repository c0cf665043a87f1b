-- Cairn core schema: executions, their operations, history and timers, and the workers that run them.
-- Every table that belongs to an execution is keyed by execution_id first, so that it can be hash-partitioned
-- (or sharded by a distributed PostgreSQL) on execution_id when one primary is no longer enough.

create table workflow_versions (
    workflow            text        not null,
    version             text        not null,
    first_registered_at timestamptz not null,
    constraint pk_workflow_versions primary key (workflow, version)
);

create table workers (
    worker_id         text        not null,
    endpoint          text        not null,
    capacity          integer     not null,
    in_flight         integer     not null default 0,
    status            text        not null default 'LIVE',
    registered_at     timestamptz not null,
    last_heartbeat_at timestamptz not null,
    constraint pk_workers primary key (worker_id),
    constraint ck_workers_status check (status in ('LIVE', 'DEAD')),
    constraint ck_workers_capacity check (capacity > 0)
);

create table worker_workflows (
    worker_id text not null,
    workflow  text not null,
    version   text not null,
    constraint pk_worker_workflows primary key (worker_id, workflow, version),
    constraint fk_worker_workflows_worker foreign key (worker_id) references workers (worker_id) on delete cascade
);

create index ix_worker_workflows_workflow_version on worker_workflows (workflow, version);

create table executions (
    execution_id          uuid        not null,
    workflow              text        not null,
    version               text        not null,
    execution_name        text,
    status                text        not null,
    input                 text,
    result                text,
    error                 text,
    started_at            timestamptz not null,
    ended_at              timestamptz,
    timeout_at            timestamptz,
    retention_days        integer     not null default 14,
    parent_execution_id   uuid,
    parent_operation_id   text,
    -- dispatch state: ready_at set = wants an invocation; a lease and a token while one runs
    ready_at              timestamptz,
    invocation_token      uuid,
    lease_expires_at      timestamptz,
    invocation_started_at timestamptz,
    worker_id             text,
    constraint pk_executions primary key (execution_id),
    constraint ck_executions_status check (status in ('RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'STOPPED')),
    constraint ck_executions_retention_days check (retention_days between 1 and 90),
    constraint uq_executions_workflow_execution_name unique (workflow, execution_name)
);

create index ix_executions_ready_at on executions (ready_at)
    where ready_at is not null and status = 'RUNNING';
create index ix_executions_lease_expires_at on executions (lease_expires_at)
    where lease_expires_at is not null;
create index ix_executions_started_at on executions (started_at, execution_id);
create index ix_executions_workflow_started_at on executions (workflow, started_at, execution_id);
create index ix_executions_parent_execution_id on executions (parent_execution_id)
    where parent_execution_id is not null;

create sequence operation_start_seq;

create table operations (
    execution_id       uuid        not null,
    operation_id       text        not null,
    parent_id          text,
    type               text        not null,
    sub_type           text,
    name               text,
    status             text        not null,
    attempt            integer,
    start_seq          bigint      not null default nextval('operation_start_seq'),
    started_at         timestamptz not null,
    ended_at           timestamptz,
    result             text,
    error              text,
    scheduled_end_at   timestamptz,
    next_attempt_at    timestamptz,
    callback_id        text,
    child_execution_id uuid,
    constraint pk_operations primary key (execution_id, operation_id),
    constraint fk_operations_execution foreign key (execution_id) references executions (execution_id) on delete cascade,
    constraint ck_operations_type check (type in ('EXECUTION', 'CONTEXT', 'STEP', 'WAIT', 'CALLBACK', 'CHAINED_INVOKE')),
    constraint ck_operations_status check (status in
        ('STARTED', 'PENDING', 'READY', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT', 'STOPPED'))
);

create index ix_operations_execution_id_start_seq on operations (execution_id, start_seq);

create table history_events (
    event_id     bigint generated always as identity,
    execution_id uuid        not null,
    type         text        not null,
    occurred_at  timestamptz not null,
    operation_id text,
    name         text,
    details      text,
    constraint pk_history_events primary key (event_id),
    constraint fk_history_events_execution foreign key (execution_id) references executions (execution_id) on delete cascade
);

create index ix_history_events_execution_id_event_id on history_events (execution_id, event_id);

create table timers (
    execution_id uuid        not null,
    timer_id     text        not null,
    kind         text        not null,
    due_at       timestamptz not null,
    constraint pk_timers primary key (execution_id, timer_id),
    constraint fk_timers_execution foreign key (execution_id) references executions (execution_id) on delete cascade,
    constraint ck_timers_kind check (kind in ('WAIT', 'RETRY', 'EXECUTION_TIMEOUT'))
);

create index ix_timers_due_at on timers (due_at);
