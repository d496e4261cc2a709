#!/usr/bin/env bash
# Stall check: one meshgw process (its defaults, --no-connection-log), pinned to CPU 1, fed over and over with the
# peer scripts' mix (churn, then a one-stream and a four-stream bulk transfer), the load on CPU 0. A transfer that does
# not finish within 20 s is a stall: the script prints the sockets of the proxy's port (a stalled direction shows
# bytes queued in the proxy's receive queue and nothing in its upstream's send queue) and exits 1, leaving meshgw
# running for inspection (its pid is printed). Exits 0 after ITERATIONS clean iterations.
#
#   benchmarks/peers/stall-check.sh [ITERATIONS] [meshgw args…]      MESHGW=path (default: the Release build)
#
# Written for a readiness change whose functional tests all passed but which stalled one bulk stream in two
# iterations here (an edge-triggered watch: a bounded first read left bytes whose edge was spent; see
# benchmarks/results/default-path.md): run it after any change to the loop, the copy or the splice pump, in each
# --pump mode.
set -uo pipefail
ITERATIONS=${1:-10}; shift || true
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
MESHGW=${MESHGW:-$ROOT/src/MeshGateway.Cli/bin/Release/net10.0/meshgw}
LOADGEN=$ROOT/benchmarks/MeshGateway.LoadGen/bin/Release/net10.0/meshgw-loadgen
TD=11111111-2222-3333-4444-555555555555.consul
BULK_HELLO=$ROOT/tests/TestData/client-hellos/dotnet-sslstream.bin
CHURN_HELLO=$ROOT/tests/TestData/client-hellos/curl.bin
PORT=${PORT:-19230}
[ -x "$MESHGW" ] || { echo "no meshgw at $MESHGW (dotnet build src/MeshGateway.Cli -c Release, or set MESHGW)" >&2; exit 2; }
[ -x "$LOADGEN" ] || { echo "no load generator at $LOADGEN (dotnet build benchmarks/MeshGateway.LoadGen -c Release)" >&2; exit 2; }

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; }
trap cleanup EXIT
taskset -c 0 "$LOADGEN" sink --listen 127.0.0.1:$((PORT + 3)) >/dev/null 2>&1 & PIDS+=($!)
taskset -c 0 "$LOADGEN" echo --listen 127.0.0.1:$((PORT + 1)) --banner 1 >/dev/null 2>&1 & PIDS+=($!)
sleep 1
taskset -c 1 "$MESHGW" gateway --listen 127.0.0.1:$PORT --datacenter dc2 --trust-domain "$TD" \
  --service "web=127.0.0.1:$((PORT + 1))" --service-sni "v2.cache.default.dc2.internal.$TD=127.0.0.1:$((PORT + 3))" \
  --no-connection-log "$@" >/dev/null 2>&1 &
GW=$!
for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break; sleep 0.1; done

for i in $(seq 1 "$ITERATIONS"); do
  timeout 20 taskset -c 0 "$LOADGEN" churn --target 127.0.0.1:$PORT --hello "$CHURN_HELLO" --seconds 1 --concurrency 8 >/dev/null 2>&1
  for streams in 1 4; do
    out=$(timeout 20 taskset -c 0 "$LOADGEN" blast --target 127.0.0.1:$PORT --hello "$BULK_HELLO" --seconds 3 --streams $streams 2>&1 | tail -1)
    if [ -z "$out" ]; then
      echo "iteration $i, $streams stream(s): STALLED (no result within 20 s); meshgw left running as pid $GW"
      ss -tn | grep -E ":$PORT |:$((PORT + 3)) "
      trap - EXIT
      kill "${PIDS[@]}" 2>/dev/null
      exit 1
    fi
    echo "iteration $i, $streams stream(s): $out"
  done
done
kill "$GW"
echo "no stall in $ITERATIONS iterations"
