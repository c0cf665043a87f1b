-- Cairn V5: ready executions by workflow version.
--
-- The dispatcher claims, for each workflow version a live worker serves, the executions of that version that have
-- been ready longest. Over one index of all ready executions in ready order, a version with nothing ready walked
-- the whole backlog of the others, on every pass and for every version: with 9,000 ready executions of one
-- workflow and a worker serving six, each claim read ~50,000 buffers. Keyed by version first, a claim reads only
-- the entries it takes.
create index ix_executions_ready_by_version on executions (workflow, version, ready_at)
    where ready_at is not null and status = 'RUNNING';

drop index ix_executions_ready_at;
