-- Cairn V7: workers that take several invocations in one request.
--
-- A worker registers whether it serves POST /cairn/invocations/batch; the dispatcher then sends the invocations it
-- claimed for that worker in one pass as one request instead of one each. Workers that predate it register without
-- the field and keep getting one request per invocation. A column with a constant default: adding it rewrites
-- nothing.
alter table workers add column invocation_batches boolean not null default false;
