#!/usr/bin/env bash
# Soak test of the local stack: ./pisync local under ./pisync simulate at a steady rate, sampling every
# INTERVAL seconds the runner JVM's heap after a full GC (jcmd GC.run + GC.heap_info), the sync-events
# queue's depth (ApproximateNumberOfMessages, in flight, DLQ) and the runner's error lines; at the end the
# simulator's summary and the number of events stored (fleet stats: syncs counted from the history).
#
#   local/runner/soak.sh                       # 10 minutes at 20 events/s, 100 devices
#   MINUTES=30 RATE=50 DEVICES=200 local/runner/soak.sh
#
# Output: target/soak/<timestamp>/{samples.csv,runner.log,simulator.log,summary.txt} under local/runner.
# DRAIN_SECONDS (600) bounds the wait for the queue to empty after the simulator ends.
# Needs what ./pisync needs, plus curl and jcmd (the JDK's). Uses a fresh data folder and a free port.
set -euo pipefail

MINUTES="${MINUTES:-10}"
RATE="${RATE:-20}"
DEVICES="${DEVICES:-100}"
BATCH="${BATCH:-1}"
INTERVAL="${INTERVAL:-30}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$ROOT/local/runner/target/soak/$(date +%Y%m%d-%H%M%S)"
DATA="$OUT/data"
mkdir -p "$OUT"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
export PISYNC_ADMIN_PASSWORD="soak-$(date +%s)-Pw1!"
EVENTS_PER_DEVICE=$(( RATE * MINUTES * 60 / DEVICES ))

echo "soak: ${MINUTES} min at ${RATE} events/s, ${DEVICES} devices × ${EVENTS_PER_DEVICE} events, port ${PORT}, output ${OUT}"
"$ROOT/pisync" build >/dev/null 2>&1 || true   # build outside the measured window (no-op when up to date)
# A private copy of the classes and jars: a `mvn install` elsewhere during the soak must not swap them.
mkdir -p "$OUT/lib"
cp -r "$ROOT/local/runner/target/classes" "$OUT/lib/classes"
CP="$OUT/lib/classes"
while IFS= read -r jar; do
  cp "$jar" "$OUT/lib/"; CP="$CP:$OUT/lib/$(basename "$jar")"
done < <(tr ':' '\n' < "$ROOT/local/runner/target/runtime-classpath.txt" | grep -v '^$')
run_java() { exec java -Dpisync.repo="$ROOT" -Dpisync.testbed.basedir="$ROOT/local/testbed" -cp "$CP" "$@"; }

run_java com.pisync.local.runner.PiSyncLocal --port "$PORT" --data-dir "$DATA" --sweep-every 1m >"$OUT/runner.log" 2>&1 &
RUNNER=$!   # the runner JVM
cleanup() { kill "$RUNNER" 2>/dev/null || true; wait "$RUNNER" 2>/dev/null || true; }
trap cleanup EXIT

for _ in $(seq 1 240); do
  curl -fs "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && break
  kill -0 "$RUNNER" 2>/dev/null || { echo "soak: the runner exited; see $OUT/runner.log" >&2; tail -20 "$OUT/runner.log" >&2; exit 1; }
  sleep 0.5
done
SQS="$(cat "$DATA/sqs/endpoint")"
QUEUE="$SQS/000000000000/pisync-sync-events"
DLQ="$SQS/000000000000/pisync-sync-events-dlq"

attr() { # attr QUEUE_URL NAME -> value (ElasticMQ's query API)
  curl -fs "$1?Action=GetQueueAttributes&AttributeName.1=$2" | tr -d ' \n' | sed -n "s:.*<Name>$2</Name><Value>\([0-9]*\)</Value>.*:\1:p"
}
heap_after_gc_kb() {
  jcmd "$RUNNER" GC.run >/dev/null 2>&1
  jcmd "$RUNNER" GC.heap_info 2>/dev/null | sed -n 's/.*total [0-9]*K, used \([0-9]*\)K.*/\1/p' | head -1
}
# warnings and errors the runner logged (its INFO lines mention "failed" in field names: not counted)
ERRORS='Exception|"level":"(WARN|ERROR)"|processor invocation failed|poller: | failed: '
errors() { sed '/^Stopping PiSync/,$d' "$OUT/runner.log" | grep -Ec "$ERRORS" || true; }

echo "elapsed_s,heap_used_after_gc_kb,queue_visible,queue_in_flight,dlq,runner_error_lines" >"$OUT/samples.csv"
sample() {
  echo "$1,$(heap_after_gc_kb),$(attr "$QUEUE" ApproximateNumberOfMessages),$(attr "$QUEUE" ApproximateNumberOfMessagesNotVisible),$(attr "$DLQ" ApproximateNumberOfMessages),$(errors)" \
    | tee -a "$OUT/samples.csv"
}

START=$(date +%s)
sample 0
run_java com.pisync.local.runner.SimulatorCommand --url "http://127.0.0.1:$PORT" --data-dir "$DATA" --devices "$DEVICES" \
    --events-per-device "$EVENTS_PER_DEVICE" --batch "$BATCH" --rate "$RATE" --streaks --no-progress \
    >"$OUT/simulator.log" 2>&1 &
SIM=$!
while kill -0 "$SIM" 2>/dev/null; do
  sleep "$INTERVAL"
  sample $(( $(date +%s) - START ))
done
SIM_RC=0; wait "$SIM" || SIM_RC=$?
# drain: wait until the queue is empty (at most DRAIN_SECONDS), then one last sample
for _ in $(seq 1 "${DRAIN_SECONDS:-600}"); do
  [[ "$(attr "$QUEUE" ApproximateNumberOfMessages)" == 0 && "$(attr "$QUEUE" ApproximateNumberOfMessagesNotVisible)" == 0 ]] && break
  sleep 1
done
sleep 3   # the stats stream poller runs every second
sample $(( $(date +%s) - START ))

TOKEN="$(curl -fs -X POST "http://127.0.0.1:$PORT/v1/auth/login" -H 'content-type: application/json' \
    -d "{\"username\":\"admin\",\"password\":\"$PISYNC_ADMIN_PASSWORD\"}" | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')"
STATS="$(curl -fs -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/v1/stats/fleet" || echo '{}')"

{
  echo "soak: ${MINUTES} min at ${RATE} events/s, ${DEVICES} devices, batch ${BATCH}, sample every ${INTERVAL} s"
  echo "simulator (exit ${SIM_RC}):"; tail -3 "$OUT/simulator.log" | sed 's/^/  /'
  echo "fleet stats after draining: $STATS"
  awk -F, 'NR>1 && $2!="" { n++; if (n==1) first=$2; last=$2; if ($2>max) max=$2; if ($3>qmax) qmax=$3; if ($5>dmax) dmax=$5 }
    END { printf "heap used after GC: start %d KiB, end %d KiB, max %d KiB over %d samples\nqueue depth (visible) max %d; DLQ max %d\n", first, last, max, n, qmax, dmax }' "$OUT/samples.csv"
  echo "runner warning/error lines before shutdown: $(errors)"
  sed '/^Stopping PiSync/,$d' "$OUT/runner.log" | grep -E "$ERRORS" | cut -c1-200 | sort | uniq -c | sort -rn | head -5 | sed 's/^/  /'
} | tee "$OUT/summary.txt"
