#!/usr/bin/env bash
# Starts an expense-approval execution, approves it through its callback and waits until it has succeeded.
# Needs an orchestrator (./run-demo.sh at the root of the Cairn repository) and this worker running.
# docs/first-worker.md shows the parts between the snippet markers; FirstWorkerDocTest keeps them equal.
set -euo pipefail

# snippet:start start
CAIRN=${CAIRN:-http://localhost:8080}
ID=$(curl -s -X POST "$CAIRN/v1/workflows/expense-approval/executions" \
     -H 'Content-Type: application/json' \
     -d '{"input":{"employee":"ada","amount":42.00}}' \
     | sed 's/.*"executionId":"\([^"]*\)".*/\1/')
echo "execution $ID"
# snippet:end start

# snippet:start callback
# After the 5-second cool-off the CALLBACK operation holds the callback id:
until CB=$(curl -s "$CAIRN/v1/executions/$ID/operations" \
           | sed -n 's/.*"callbackId":"\([^"]*\)".*/\1/p') && [ -n "$CB" ]; do sleep 1; done
curl -s -X POST "$CAIRN/v1/callbacks/$CB/succeed" \
     -H 'Content-Type: application/json' -d '{"approved":true,"approvedBy":"grace"}'
echo
# snippet:end callback

# snippet:start result
until curl -s "$CAIRN/v1/executions/$ID" | grep -q '"status":"SUCCEEDED"'; do sleep 1; done
curl -s "$CAIRN/v1/executions/$ID"
echo
# snippet:end result
