#!/usr/bin/env bash
# What a step's rows cost PostgreSQL, apart from everything around them: pgbench runs the row writes of a lean
# checkpoint (the fenced update of the execution, the operation's insert and 0, 1 or 2 history events) for 16
# executions per statement, as group commit writes them at 32 in flight, with synchronous_commit off so that the
# flush does not hide the CPU. It prints steps/s, PostgreSQL's CPU per step (the machine's busy time from
# /proc/stat less pgbench's own, so run it on an otherwise idle machine) and
# WAL bytes per step (pg_stat_wal). The statement is a stand-in written here, not the ledger's own text.
#
#   bench/scripts/step-rows.sh [seconds per run, 15] [rounds, 3]
#
# Needs pgbench and psql, and a server on PGHOST/PGPORT (127.0.0.1:5432, user postgres) that lets the user create
# databases. Each variant gets its own database (cairn_step_rows_<variant>), made from db-migrations and dropped at
# the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_PER_RUN=${1:-15}
ROUNDS=${2:-3}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

step_sql() { # $1 = number of history events per step
  local events=""
  if [ "$1" -gt 0 ]; then
    local types="('StepStarted'), ('StepSucceeded')"
    [ "$1" -eq 1 ] && types="('StepSucceeded')"
    events="), events as (
  insert into history_events (execution_id, type, occurred_at, operation_id, name, details)
  select o.execution_id, h.type, now(), o.operation_id, 'step-x', '{\"attempt\":1}' from ops o
   cross join (values $types) as h(type)"
  fi
  cat <<EOF
\set op random(1, 2000000000)
with fenced as (
  update executions e
     set lease_expires_at = case when e.lease_expires_at < now() then now() + interval '1 hour'
                                 else e.lease_expires_at end
   where e.execution_id in (select ('00000000-0000-0000-0000-' || lpad((:client_id * 16 + g)::text, 12, '0'))::uuid
                              from generate_series(1, 16) g)
     and e.invocation_token = '00000000-0000-0000-0000-000000000001' and e.status = 'RUNNING'
  returning e.execution_id
), ops as (
  insert into operations (execution_id, operation_id, type, sub_type, name, status, attempt, started_at, ended_at,
                          result)
  select f.execution_id, :op::text, 'STEP', 'Step', 'step-x', 'SUCCEEDED', 1, now(), now(), '"some result value"'
    from fenced f
  on conflict on constraint pk_operations do update set status = excluded.status
  returning execution_id, operation_id
$events
)
select 1;
EOF
}

busy_ticks() { # CPU ticks the whole machine spent busy (user, nice, system, irq, softirq, steal)
  awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat
}

VARIANTS="2-events 1-event 0-events"
for v in $VARIANTS; do
  db=cairn_step_rows_${v//-/_}
  psql -q -d postgres -c "set client_min_messages = warning" -c "drop database if exists $db" -c "create database $db" >/dev/null
  for f in db-migrations/src/main/resources/db/migration/V*.sql; do psql -q -d "$db" -f "$f" >/dev/null; done
  psql -q -d "$db" -c "insert into executions (execution_id, workflow, version, status, started_at,
      invocation_token, lease_expires_at, worker_id)
    select ('00000000-0000-0000-0000-' || lpad(g::text, 12, '0'))::uuid, 'w', '1', 'RUNNING', now(),
           '00000000-0000-0000-0000-000000000001', now() + interval '1 hour', 'wk'
      from generate_series(1, 16 * 8) g" >/dev/null
  step_sql "${v%%-*}" > "$WORK/$v.sql"
done

TICK=$(getconf CLK_TCK)
printf '%-9s %6s %12s %18s %14s\n' variant round "steps/s" "pg CPU ms/step" "WAL B/step"
for round in $(seq 1 "$ROUNDS"); do
  for v in $VARIANTS; do
    db=cairn_step_rows_${v//-/_}
    psql -q -d "$db" -c "vacuum analyze" >/dev/null
    wal0=$(psql -qtA -d "$db" -c "select wal_bytes from pg_stat_wal")
    t0=$(busy_ticks)
    TIMEFORMAT='%U %S'
    { time PGOPTIONS="-c synchronous_commit=off" pgbench -n -M prepared -c 4 -j 2 -T "$SECONDS_PER_RUN" \
          -f "$WORK/$v.sql" "$db" > "$WORK/out" 2>/dev/null; } 2> "$WORK/time"
    t1=$(busy_ticks)
    tps=$(awk '/^tps/ {print $3}' "$WORK/out")
    # PostgreSQL's CPU: the machine's busy time less pgbench's own (the machine is otherwise idle)
    client_ms=$(awk '{print ($1 + $2) * 1000}' "$WORK/time")
    wal1=$(psql -qtA -d "$db" -c "select wal_bytes from pg_stat_wal")
    steps=$(awk -v tps="$tps" -v s="$SECONDS_PER_RUN" 'BEGIN {print tps * 16 * s}')
    awk -v v="$v" -v r="$round" -v tps="$tps" -v steps="$steps" -v ticks=$((t1 - t0)) -v hz="$TICK" \
        -v client="$client_ms" \
        -v wal="$(awk -v a="$wal0" -v b="$wal1" 'BEGIN {print b - a}')" \
        'BEGIN {printf "%-9s %6d %12.0f %18.4f %14.0f\n", v, r, tps * 16, (ticks * 1000 / hz - client) / steps, wal / steps}'
  done
done

for v in $VARIANTS; do
  psql -q -d postgres -c "drop database if exists cairn_step_rows_${v//-/_}" >/dev/null
done
