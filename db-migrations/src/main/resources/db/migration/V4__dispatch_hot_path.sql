-- Cairn V4: the dispatch hot path.
--
-- An execution's row is updated at every checkpoint (the fence) and at every claim and completion. Leaving room on
-- each page lets most of those updates stay on the page (HOT): no new index entries, less WAL, no index bloat.
alter table executions set (fillfactor = 70);

-- The dispatcher counts each worker's leased executions before it claims: an index on exactly those rows, so the
-- count reads a few index entries instead of scanning the table.
create index ix_executions_leased_worker on executions (worker_id) where lease_expires_at is not null;
