-- Cairn V3: authentication of the orchestrator to workers, retention, and cheap gauges.
--
-- * workers.invocation_secret: the random secret a worker made at start and sent with its registration; the
--   orchestrator sends it as "Authorization: Bearer <secret>" with every invocation it posts to that worker, so a
--   worker runs work only for its orchestrator. Null for workers that send none.
-- * executions.expires_at: when a closed execution (and everything it owns: operations, history, timers, through
--   their ON DELETE CASCADE foreign keys) is deleted by the retention sweeper: ended_at + retention_days days. It is
--   stored, not computed, because timestamptz + interval is not immutable, so neither a generated column nor an
--   expression index can hold it; the trigger below sets it on every statement that closes an execution (whatever
--   statement that is, now or later), and fires only for UPDATEs that assign status, so checkpoints and claims,
--   which never do, pay nothing. The partial index holds closed executions only, ordered by expiry, so the sweeper
--   finds the expired ones with an index range scan however many executions are kept.
-- * ix_executions_running_workflow: counts running executions per workflow for the cairn_executions_running gauge
--   without reading closed ones.

alter table workers add column invocation_secret text;

alter table executions add column expires_at timestamptz;

update executions set expires_at = ended_at + retention_days * interval '1 day'
 where status <> 'RUNNING' and ended_at is not null;

create function executions_set_expires_at() returns trigger language plpgsql as $$
begin
    if new.status <> 'RUNNING' then
        new.expires_at := coalesce(new.ended_at, now()) + new.retention_days * interval '1 day';
    else
        new.expires_at := null;
    end if;
    return new;
end;
$$;

create trigger tg_executions_expires_at
    before update of status, ended_at, retention_days on executions
    for each row execute function executions_set_expires_at();

create index ix_executions_expires_at on executions (expires_at) where expires_at is not null;

create index ix_executions_running_workflow on executions (workflow) where status = 'RUNNING';
