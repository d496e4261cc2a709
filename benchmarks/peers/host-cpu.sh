#!/usr/bin/env bash
# Proxy CPU per churned connection for each way of hosting the engine (benchmarks/results/allocations.md), with the
# C load generator and sink of ../shared/tools/peer-bench (built into /tmp/pb when missing):
#
#   benchmarks/peers/host-cpu.sh [ROUNDS] [SECONDS] > rows.txt
#   PROXIES="meshgw kestrel" benchmarks/peers/host-cpu.sh 3 4     # a subset, in round-1 order
#
# Proxies, all SNI-routing curl.bin's name to the sink with the default options and no connection log:
#   meshgw    meshgw gateway --no-connection-log (src/MeshGateway.Cli, Release build)
#   kestrel   Kestrel + UseMeshGatewayForwarding (benchmarks/peers/stream-allocs serve kestrel, Release build)
#   runtime   ForwarderListener on the runtime's sockets (stream-allocs serve runtime: the non-Linux path)
#   listener  ForwarderListener on the engine's own loops (stream-allocs serve listener: meshgw's engine, as a control)
# Every proxy runs pinned to CPU 1 for the whole script (idle while another is measured); the sink and the load
# (8 parallel clients, as the issue's harness) run on CPU 0. Each proxy is warmed with 2,000 connections (one after
# another, then one TIME_WAIT drain), then the
# rounds measure them in rotating order. Before every churn run the TIME_WAIT table is let drain below 500 entries.
# One line per run: round proxy conns cps cpu_us_per_conn util (proxy CPU-s / wall-s) p50_us p99_us ok.
set -euo pipefail
ROUNDS=${1:-3}; SECS=${2:-4}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PEERBENCH=${PEERBENCH:-$ROOT/../shared/tools/peer-bench}
[ -d "$PEERBENCH" ] || PEERBENCH=/work/shared/tools/peer-bench
TD=11111111-2222-3333-4444-555555555555.consul
HELLO=$ROOT/tests/TestData/client-hellos/curl.bin
MESHGW=$ROOT/src/MeshGateway.Cli/bin/Release/net10.0/meshgw
ALLOCS=$ROOT/benchmarks/peers/stream-allocs/bin/Release/net10.0/MeshGateway.StreamAllocs
SINK_PORT=19240
mkdir -p /tmp/pb
[ -x /tmp/pb/sink ] || gcc -O2 -o /tmp/pb/sink "$PEERBENCH/sink.c"
[ -x /tmp/pb/loadgen ] || gcc -O2 -pthread -o /tmp/pb/loadgen "$PEERBENCH/loadgen.c"
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill $p 2>/dev/null || true; done' EXIT
ulimit -n 20000

wait_port() { for _ in $(seq 300); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 never opened" >&2; return 1; }
drain() { while [ "$(ss -tan state time-wait | wc -l)" -gt 500 ]; do sleep 5; done; }
cpu() { awk '{print $14+$15}' /proc/$1/stat; }
churn() { taskset -c 0 /tmp/pb/loadgen churn -c 127.0.0.1:$1 -H "$HELLO" "${@:2}"; }

taskset -c 0 /tmp/pb/sink -l 127.0.0.1:$SINK_PORT -n -t 7200 >/dev/null 2>&1 & PIDS+=($!)
wait_port $SINK_PORT
declare -A PORT PID
PORT[meshgw]=19241; PORT[kestrel]=19242; PORT[runtime]=19243; PORT[listener]=19244
NAMES=(${PROXIES:-meshgw kestrel runtime listener})
for name in "${NAMES[@]}"; do
  case $name in
    meshgw) taskset -c 1 "$MESHGW" gateway --listen 127.0.0.1:${PORT[$name]} --datacenter dc2 --trust-domain "$TD" \
              --service "web=127.0.0.1:$SINK_PORT" --no-connection-log >/dev/null 2>&1 & ;;
    *) taskset -c 1 "$ALLOCS" serve "$ROOT" 127.0.0.1:$SINK_PORT $name copy listen=127.0.0.1:${PORT[$name]} >/dev/null 2>&1 & ;;
  esac
  PID[$name]=$!; PIDS+=($!)
  wait_port ${PORT[$name]}
done
drain
for name in "${NAMES[@]}"; do churn ${PORT[$name]} -p 4 -m 2000 -t 10 >/dev/null; done

hz=$(getconf CLK_TCK)
for r in $(seq 1 "$ROUNDS"); do
  n=${#NAMES[@]}
  for i in $(seq 0 $((n - 1))); do
    name=${NAMES[$(( (i + r - 1) % n ))]}
    drain
    c0=$(cpu ${PID[$name]}); w0=$(date +%s.%N)
    out=$(churn ${PORT[$name]} -p 8 -t "$SECS")
    c1=$(cpu ${PID[$name]}); w1=$(date +%s.%N)
    kv() { echo "$out" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
    awk -v r=$r -v n=$name -v c=$((c1 - c0)) -v hz=$hz -v w0=$w0 -v w1=$w1 -v conns="$(kv conns)" -v cps="$(kv cps)" \
        -v p50="$(kv ack_p50_us)" -v p99="$(kv ack_p99_us)" -v ok="$(kv ok)" \
      'BEGIN { printf "round=%s proxy=%s conns=%s cps=%s cpu_us_per_conn=%.1f util=%.2f p50_us=%s p99_us=%s ok=%s\n",
               r, n, conns, cps, c / hz * 1e6 / conns, c / hz / (w1 - w0), p50, p99, ok }'
  done
done
