#!/usr/bin/env bash
# The churn scenario of run.sh alone, for one peer, with optional syscall and TCP-counter breakdowns
# (benchmarks/results/churn.md). Same backend, hello, pinning and load as run.sh's churn step.
#
#   benchmarks/peers/churn-cpu.sh PEER [SECONDS] [strace|perf]      PEER = haproxy | meshgw
#
# meshgw runs as a user runs it (as run.sh's meshgw peer): no environment variable but PERFMAP's perf map.
# Env: ROOT (a checkout with Release builds of src/MeshGateway.Cli and benchmarks/MeshGateway.LoadGen; default this
# one), WARM (warm-up seconds, default 2), SNMP=1 (print TCP counters per connection), PERFMAP=1 (perf map for .NET).
# Prints: PEER conn/s=… cpu_us_per_conn=… and the load client's line. Run it under flock /tmp/meshgw-bench.lock.
set -euo pipefail
PEER=$1; SECS=${2:-4}; WRAP=${3:-none}
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
TD=11111111-2222-3333-4444-555555555555.consul
HELLO=$ROOT/tests/TestData/client-hellos/curl.bin
MESHGW=$ROOT/src/MeshGateway.Cli/bin/Release/net10.0/meshgw
LOADGEN=$ROOT/benchmarks/MeshGateway.LoadGen/bin/Release/net10.0/meshgw-loadgen
OUT=${OUT:-/tmp}
W=$(mktemp -d)
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill $p 2>/dev/null || true; done; sleep 0.3; rm -rf $W' EXIT
ulimit -n 20000
taskset -c 0 "$LOADGEN" echo --listen 127.0.0.1:19101 --banner 1 >/dev/null & PIDS+=($!)
wait_port() { for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.1; done; return 1; }
wait_port 19101
printf '%s web\n' "web.default.dc2.internal.$TD" > $W/sni.map
# shellcheck source=haproxy_cfg.sh
. "$ROOT/benchmarks/peers/haproxy_cfg.sh"
haproxy_cfg 127.0.0.1:19010 "$W/sni.map" "" "" "web 127.0.0.1:19101" > $W/haproxy.cfg
ARGS=(gateway --listen 127.0.0.1:19030 --datacenter dc2 --trust-domain "$TD" --service "web=127.0.0.1:19101" --no-connection-log)
case $PEER in
  haproxy) taskset -c 1 haproxy -db -f $W/haproxy.cfg >/dev/null 2>&1 & PORT=19010;;
  meshgw) DOTNET_PerfMapEnabled=${PERFMAP:-0} taskset -c 1 "$MESHGW" "${ARGS[@]}" >/dev/null 2>&1 & PORT=19030;;
  *) echo "unknown peer $PEER" >&2; exit 2;;
esac
PID=$!; PIDS+=($PID)
wait_port $PORT
taskset -c 0 "$LOADGEN" churn --target 127.0.0.1:$PORT --hello "$HELLO" --seconds ${WARM:-2} --concurrency 4 >/dev/null || true
case $WRAP in
  strace) strace -c -f -p $PID -o $W/strace.txt & SP=$!; sleep 0.5;;
  perf) perf record -e cpu-clock -g -p $PID -o $OUT/perf-$PEER.data >/dev/null 2>&1 & SP=$!; sleep 0.5;;
esac
snap() { awk '/^Tcp:/{if(!h){split($0,k);h=1}else{for(i=2;i<=NF;i++)print k[i],$i}}' /proc/net/snmp; awk '/^TcpExt:/{if(!h){split($0,k);h=1}else{for(i=2;i<=NF;i++)print k[i],$i}}' /proc/net/netstat; }
cpu() { awk '{print $14+$15}' /proc/$PID/stat; }
snap > $W/s0; t0=$(cpu)
line=$(taskset -c 0 "$LOADGEN" churn --target 127.0.0.1:$PORT --hello "$HELLO" --seconds $SECS --concurrency 32)
t1=$(cpu); snap > $W/s1
conns=$(echo "$line" | sed -n 's/.*connections=\([0-9]*\).*/\1/p'); cps=$(echo "$line" | sed -n 's/.*per_second=\([0-9.]*\).*/\1/p')
us=$(awk -v t=$((t1-t0)) -v hz=$(getconf CLK_TCK) -v c=$conns 'BEGIN{printf "%.1f", (t/hz)/c*1e6}')
echo "$PEER conn/s=$cps cpu_us_per_conn=$us $line"
if [ -n "${SNMP:-}" ]; then join <(sort $W/s0) <(sort $W/s1) | awk -v n=$conns '{d=$3-$2; if (d>n/50 && $1 !~ /Curr/) printf "  %s %.2f/conn\n", $1, d/n}'; fi
if [ $WRAP != none ]; then kill -INT $SP; wait $SP || true; fi
if [ $WRAP = strace ]; then awk -v n=$conns '$NF ~ /^[a-z_0-9]+$/ && $4 ~ /^[0-9]+$/ {printf "  %-14s %6.2f calls/conn\n", $NF, $4/n}' $W/strace.txt; fi
