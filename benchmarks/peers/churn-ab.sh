#!/usr/bin/env bash
# Churn A/B: HAProxy and any number of meshgw builds, alternating round by round, on the independent harness's own
# C load generator and sink (../shared/tools/peer-bench, built here with gcc), with per-connection system-call counts
# from perf's syscall tracepoints. Same load as the harness's churn step: java-sslsocket hello, 8 parallel clients,
# proxy pinned to CPU 1, load and sink to CPU 0, meshgw with its defaults and --no-connection-log.
#
#   benchmarks/peers/churn-ab.sh ROUNDS SECONDS haproxy DIR1 [DIR2 …]      DIRn = a `dotnet publish` of src/MeshGateway.Cli
#
# Before each run it waits for the machine's TIME_WAIT sockets to drain below 2,000 (churn leaves ~30,000, and
# connect(2) then searches the port range: every proxy's cost moves). Prints one line per run:
#   round NAME us/conn=… cps=… conns=… syscalls=… epoll_wait=… epoll_ctl=… shutdown=… ioctl=…
# (us/conn: the proxy's utime+stime over the run, in clock ticks, per connection). Needs root for perf tracepoints.
set -euo pipefail
ROUNDS=$1; SECS=$2; shift 2
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BENCH=${PEER_BENCH:-$ROOT/../shared/tools/peer-bench}
HELLO=$BENCH/hellos/java-sslsocket.bin
TD=11111111-2222-3333-4444-555555555555.consul
W=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$W"' EXIT
gcc -O2 -pthread -o "$W/loadgen" "$BENCH/loadgen.c"
gcc -O2 -o "$W/sink" "$BENCH/sink.c"
printf 'inventory.default.dc1.internal.%s be_sink\n' "$TD" > "$W/sni.map"
cat > "$W/haproxy.cfg" <<CFG
global
    nbthread 1
    maxconn 9000
defaults
    mode tcp
    timeout connect 5s
    timeout client 60s
    timeout server 60s
frontend fe_sni
    bind 127.0.0.1:26101
    tcp-request inspect-delay 5s
    tcp-request content accept if { req.ssl_hello_type 1 }
    use_backend %[req.ssl_sni,lower,map($W/sni.map)]
backend be_sink
    server sink 127.0.0.1:26150
CFG
EVENTS=raw_syscalls:sys_enter,syscalls:sys_enter_epoll_wait,syscalls:sys_enter_epoll_ctl,syscalls:sys_enter_shutdown,syscalls:sys_enter_ioctl
kv() { tr ' ' '\n' <<<"$2" | awk -F= -v k="$1" '$1==k {print $2}'; }

run_one() { # who
  local who=$1 name port proxy sink out c0 c1 conns
  while [ "$(ss -tan state time-wait | wc -l)" -gt 2000 ]; do sleep 5; done
  taskset -c 0 "$W/sink" -l 127.0.0.1:26150 -H "$HELLO" -n >/dev/null 2>&1 & sink=$!
  if [ "$who" = haproxy ]; then
    name=haproxy; port=26101
    taskset -c 1 haproxy -f "$W/haproxy.cfg" >/dev/null 2>&1 & proxy=$!
  else
    name=$(basename "$who"); port=26102
    taskset -c 1 "$who/meshgw" gateway --listen 127.0.0.1:$port --datacenter dc1 --trust-domain "$TD" \
      --service inventory=127.0.0.1:26150 --no-connection-log >/dev/null 2>&1 & proxy=$!
  fi
  sleep 1.5
  for t in /proc/$proxy/task/*; do taskset -p -c 1 "${t##*/}" >/dev/null; done
  taskset -c 0 "$W/loadgen" churn -c 127.0.0.1:$port -H "$HELLO" -p 8 -t 2 >/dev/null   # warm-up (JIT, pools)
  sleep 0.5
  c0=$(awk '{print $14+$15}' /proc/$proxy/stat)
  perf stat -x, -e "$EVENTS" -p $proxy -o "$W/perf" -- sleep "$SECS" >/dev/null 2>&1 & local ps=$!
  out=$(taskset -c 0 "$W/loadgen" churn -c 127.0.0.1:$port -H "$HELLO" -p 8 -t "$SECS")
  wait $ps
  c1=$(awk '{print $14+$15}' /proc/$proxy/stat)
  conns=$(kv conns "$out")
  printf '%s us/conn=%.1f cps=%s conns=%s' "$name" "$(echo "($c1-$c0)*1000000/$(getconf CLK_TCK)/$conns" | bc -l)" "$(kv cps "$out")" "$conns"
  awk -F, -v n="$conns" '$3!="" {sub(/.*sys_enter_?/, "", $3); if ($3=="") $3="syscalls"; printf " %s=%.2f", $3, $1/n}' "$W/perf"
  echo
  kill $proxy $sink; wait $proxy $sink 2>/dev/null || true
}

for r in $(seq "$ROUNDS"); do
  for who in "$@"; do printf '%s ' "$r"; run_one "$who"; done
done
