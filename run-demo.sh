#!/usr/bin/env bash
# Runs Cairn locally: the orchestrator on an embedded PostgreSQL (data kept in ./.cairn-data) and the demo
# worker app. Needs only a JDK: the Maven wrapper fetches Maven, everything else comes from Maven Central.
# Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")"

DATA_DIR="${CAIRN_DATA_DIR:-$PWD/.cairn-data}"
LOG_DIR="$DATA_DIR/logs"
mkdir -p "$LOG_DIR"

echo "Building Cairn (tests skipped)…"
./mvnw -q -ntp -Dmaven.test.skip=true package -pl orchestrator-app,examples/demo-worker -am

ORCH_JAR=$(ls orchestrator-app/target/orchestrator-app-*-exec.jar)
WORKER_JAR=$(ls examples/demo-worker/target/demo-worker-*-exec.jar)

# PostgreSQL refuses to run as root: when started as root, run the orchestrator (and its embedded
# PostgreSQL) as the unprivileged user 'nobody', which then owns the data folder.
AS_USER=()
if [ "$(id -u)" = "0" ]; then
  chown -R nobody "$DATA_DIR"
  AS_USER=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
  echo "Running as root: the orchestrator and its embedded PostgreSQL run as 'nobody'."
fi

pids=()
stopping=false
cleanup() {
  # INT/TERM and then EXIT both land here: stop once.
  if $stopping; then return; fi
  stopping=true
  echo; echo "Stopping Cairn…"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM

"${AS_USER[@]}" env HOME="$DATA_DIR" java -jar "$ORCH_JAR" \
  --cairn.embedded-postgres.data-dir="$DATA_DIR/postgres" --cairn.security.open=true "$@" >"$LOG_DIR/orchestrator.log" 2>&1 &
pids+=($!)
echo "Orchestrator starting (log: $LOG_DIR/orchestrator.log)…"
for _ in $(seq 1 120); do
  if curl -fsS localhost:9090/actuator/health/readiness >/dev/null 2>&1; then break; fi
  if ! kill -0 "${pids[0]}" 2>/dev/null; then echo "The orchestrator stopped; see $LOG_DIR/orchestrator.log"; tail -30 "$LOG_DIR/orchestrator.log"; exit 1; fi
  sleep 1
done

java -jar "$WORKER_JAR" >"$LOG_DIR/demo-worker.log" 2>&1 &
pids+=($!)
echo "Demo worker starting (log: $LOG_DIR/demo-worker.log)…"
for _ in $(seq 1 60); do
  if curl -fsS localhost:9091/actuator/health >/dev/null 2>&1; then break; fi
  sleep 1
done

cat <<MSG

Cairn is running.
  Orchestrator API   http://localhost:8080/v1   (actuator: http://localhost:9090/actuator/health)
  Console            http://localhost:8080/console
  API reference      http://localhost:8080/swagger-ui.html
  Demo worker        http://localhost:8081      (actuator: http://localhost:9091/actuator/prometheus)
  PostgreSQL data    $DATA_DIR/postgres (embedded, port 5433)
  Logs               $LOG_DIR

The API is OPEN (cairn.security.open=true): no tokens, anyone who reaches port 8080 may call it.
This is for trying Cairn on your machine only; see orchestrator-app/README.md for tokens.

Try:
  curl -s -X POST localhost:8080/v1/workflows/order-fulfillment/executions \\
       -H 'Content-Type: application/json' \\
       -d '{"input":{"orderId":"A-100","customer":"ada@example.com","lines":[{"sku":"mug","quantity":2,"unitPrice":12.5}]}}'

Press Ctrl-C to stop.
MSG
wait -n "${pids[@]}"
