-- Cairn V2: callbacks, waitForCondition polls, cancelled batch branches, chained invokes and stop.
--
-- * timers: two new kinds, CALLBACK_TIMEOUT and CALLBACK_HEARTBEAT (a callback may hold both, so a timer now names
--   its operation in operation_id instead of relying on timer_id = operation id; WAIT and RETRY timers keep
--   timer_id = operation id and are back-filled). The index on (execution_id, operation_id) serves the removal of
--   an operation's timers (callback completed, context cancelled).
-- * operations: heartbeat_timeout keeps a callback's heartbeat timeout, so that a heartbeat can move the heartbeat
--   timer to now + heartbeat_timeout; callback ids are unique and looked up by the callback endpoints.
-- * executions: a chained child names its parent execution and the parent's CHAINED_INVOKE operation together or
--   not at all, and a parent operation has at most one child (the child's id is derived from the parent's id and
--   the operation id, and this unique index says so in the schema too).

alter table timers add column operation_id text;

update timers set operation_id = timer_id where kind in ('WAIT', 'RETRY');

alter table timers drop constraint ck_timers_kind;
alter table timers add constraint ck_timers_kind
    check (kind in ('WAIT', 'RETRY', 'EXECUTION_TIMEOUT', 'CALLBACK_TIMEOUT', 'CALLBACK_HEARTBEAT'));
alter table timers add constraint ck_timers_operation_id
    check (kind = 'EXECUTION_TIMEOUT' or operation_id is not null);

create index ix_timers_execution_id_operation_id on timers (execution_id, operation_id)
    where operation_id is not null;

alter table operations add column heartbeat_timeout interval;
alter table operations add constraint ck_operations_heartbeat_timeout
    check (heartbeat_timeout is null or heartbeat_timeout > interval '0');

create unique index uq_operations_callback_id on operations (callback_id) where callback_id is not null;

alter table executions add constraint ck_executions_parent
    check ((parent_execution_id is null) = (parent_operation_id is null));

create unique index uq_executions_parent_operation on executions (parent_execution_id, parent_operation_id)
    where parent_execution_id is not null;
