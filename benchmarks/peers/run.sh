#!/usr/bin/env bash
# Peer benchmark: MeshGateway (`meshgw gateway`) against HAProxy and nginx, SNI-routed TCP passthrough on loopback (or veth pairs, --topology veth).
# The proxy is pinned to CPU 1, the load client and backends to CPU 0. Rounds are interleaved (every peer once per
# round, started fresh); the summary gives the median [min-max] per cell. Primary metric: the proxy's CPU-seconds per
# GB (utime+stime+cutime+cstime from /proc/PID/stat, summed over the proxy's whole process tree). Every cell also
# records the proxy's CPU utilisation, its CPU-seconds over the wall seconds of the load window: a churn cell below
# 0.9 did not saturate the proxy's core, so its connections/s measure the load generator, not the proxy;
# summarize.py flags such cells and computes the churn ratios from saturated cells only. See docs/benchmarks.md.
#
#   [ROUNDS=N] [MESHGW=path] benchmarks/peers/run.sh [--quick] [--rounds N] [--peers "haproxy nginx meshgw ..."]
#                           [--out NAME] [--topology loopback|veth] [--delay-ms N]
#
# ROUNDS (or --rounds, which wins) sets the number of rounds: 5 by default, 1 with --quick. MESHGW names a meshgw
# executable to measure (e.g. the output of `dotnet publish src/MeshGateway.Cli -c Release -o DIR`: DIR/meshgw);
# without it the script builds src/MeshGateway.Cli in Release.
#
# Topologies: loopback (default: everything on 127.0.0.1, MTU 64 KiB) or veth (the realism check of research §4.5:
# the load client in network namespace mgw-load and the backends in mgw-back, each joined to the proxy's namespace by
# a veth pair at MTU 1500, so both legs carry Ethernet-sized frames; --delay-ms adds that much netem delay on each
# of the proxy's two veth ends, i.e. per leg and direction). The namespaces are made by the run and deleted at exit.
#
# Peers: haproxy, haproxy-splice (forced splice, 1 MiB pipes), nginx, meshgw (the defaults: whatever pump and event
# loop `meshgw gateway` uses out of the box) and meshgw-splice (`--pump splice`, the user's explicit choice).
# meshgw runs exactly as a user runs it: the routes, `--no-connection-log` (HAProxy and nginx log nothing either) and,
# for meshgw-splice, `--pump splice`; no other option and no environment variable. Runtime knobs the caller may have
# exported (DOTNET_*, COMPlus_*, CORECLR_*; DOTNET_ROOT* excepted, it only locates the runtime) are removed from
# meshgw's environment, and the summary names any that were. The splice peers run the bulk scenarios only (splice
# starts after routing; churn, memory and latency are their copy peer's).
# Optional (not in the default set), bulk only: haproxy-bigbuf (tune.bufsize 262144) and nginx-bigbuf
# (proxy_buffer_size 256k), the peers with 256 KiB buffers (meshgw's copy buffer when they were added), for a
# buffer-size-neutral comparison.
set -euo pipefail

export LC_ALL=C   # '.' as the decimal point in $EPOCHREALTIME and awk's output
ARGS="$*"
ENV_ARGS="${ROUNDS:+ROUNDS=$ROUNDS }${MESHGW:+MESHGW=$MESHGW }"   # for the summary's command line
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
QUICK=0; ROUNDS_ARG=""; OUT=peers; TOPOLOGY=loopback; DELAY_MS=0; OUT_SET=0
PEERS="haproxy haproxy-splice nginx meshgw meshgw-splice"
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1; OUT=peers-quick ;;
    --rounds) ROUNDS_ARG=$2; shift ;;
    --peers) PEERS=$2; shift ;;
    --out) OUT=$2; OUT_SET=1; shift ;;
    --topology) TOPOLOGY=$2; shift ;;
    --delay-ms) DELAY_MS=$2; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
case "$TOPOLOGY" in loopback|veth) ;; *) echo "unknown topology $TOPOLOGY" >&2; exit 2 ;; esac
ROUNDS=${ROUNDS_ARG:-${ROUNDS:-$([ "$QUICK" = 1 ] && echo 1 || echo 5)}}
[[ "$ROUNDS" =~ ^[1-9][0-9]{0,2}$ ]] || { echo "rounds must be a whole number from 1 to 999, not '$ROUNDS'" >&2; exit 2; }
for peer in $PEERS; do
  case "$peer" in
    haproxy|haproxy-splice|haproxy-bigbuf|nginx|nginx-bigbuf|meshgw|meshgw-splice) ;;
    meshgw-pool) echo "peer meshgw-pool is gone: meshgw now runs with the runtime's defaults, as meshgw-pool did" >&2; exit 2 ;;
    *) echo "unknown peer '$peer'" >&2; exit 2 ;;
  esac
done
[ "$TOPOLOGY" = veth ] && [ "$OUT_SET" = 0 ] && OUT="$OUT-veth"
if [ "$QUICK" = 1 ]; then BULK_S=3; CHURN_S=3; PINGS=20000; HOLD=2000; else BULK_S=5; CHURN_S=4; PINGS=100000; HOLD=2000; fi

WORK=$(mktemp -d /tmp/meshgw-peers.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  sleep 0.3
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  if [ "$TOPOLOGY" = veth ]; then
    ip netns del mgw-load 2>/dev/null || true; ip netns del mgw-back 2>/dev/null || true
    [ -n "${TW_REUSE_WAS:-}" ] && sysctl -qw net.ipv4.tcp_tw_reuse="$TW_REUSE_WAS" || true
  fi
  [ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT

# ---- peers from Debian, if missing ----------------------------------------------------------------------------
need=()
command -v haproxy >/dev/null || need+=(haproxy)
command -v nginx >/dev/null || need+=(nginx)
[ -e /usr/lib/nginx/modules/ngx_stream_module.so ] || need+=(libnginx-mod-stream)
command -v iperf3 >/dev/null || need+=(iperf3)
command -v socat >/dev/null || need+=(socat)
command -v gcc >/dev/null || need+=(gcc)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
ulimit -n 20000 2>/dev/null || true

# ---- build -------------------------------------------------------------------------------------------------------
echo "building Release"
if [ -z "${MESHGW:-}" ]; then
  dotnet build "$ROOT/src/MeshGateway.Cli" -c Release -v q -nologo >/dev/null
  MESHGW="$ROOT/src/MeshGateway.Cli/bin/Release/net10.0/meshgw"
fi
[ -x "$MESHGW" ] || { echo "MESHGW=$MESHGW is not an executable" >&2; exit 2; }
dotnet build "$ROOT/benchmarks/MeshGateway.LoadGen" -c Release -v q -nologo >/dev/null
LOADGEN="$ROOT/benchmarks/MeshGateway.LoadGen/bin/Release/net10.0/meshgw-loadgen"
# Churn runs on a C client and backend (churn_load.c): the .NET load generator cost more per connection than the
# proxies it drove, so its churn cells never saturated the proxy's core (utilisation 0.63-0.79).
CHURN_LOAD="$WORK/churn_load"
gcc -O2 -Wall -o "$CHURN_LOAD" "$ROOT/benchmarks/peers/churn_load.c"
# From here on this shell and whatever it starts without its own taskset (the measurement's cat and awk, the polling
# loops) run on the load core, so that nothing but the proxy runs on CPU 1.
taskset -p -c 0 $$ >/dev/null

# ---- topology: where the load, the proxies and the backends listen ------------------------------------------------
if [ "$TOPOLOGY" = veth ]; then
  command -v ip >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq iproute2 >/dev/null; }
  ip netns del mgw-load 2>/dev/null || true; ip netns del mgw-back 2>/dev/null || true
  ip netns add mgw-load; ip netns add mgw-back
  ip link add mgwl0 type veth peer name mgwl1 netns mgw-load
  ip link add mgwb0 type veth peer name mgwb1 netns mgw-back
  ip addr add 10.77.1.1/24 dev mgwl0; ip link set mgwl0 mtu 1500 up
  ip addr add 10.77.2.1/24 dev mgwb0; ip link set mgwb0 mtu 1500 up
  ip -n mgw-load addr add 10.77.1.2/24 dev mgwl1; ip -n mgw-load link set mgwl1 mtu 1500 up; ip -n mgw-load link set lo up
  ip -n mgw-back addr add 10.77.2.2/24 dev mgwb1; ip -n mgw-back link set mgwb1 mtu 1500 up; ip -n mgw-back link set lo up
  if [ "$DELAY_MS" != 0 ]; then
    tc qdisc add dev mgwl0 root netem delay "${DELAY_MS}ms"; tc qdisc add dev mgwb0 root netem delay "${DELAY_MS}ms"
  fi
  # Every churned connection leaves a TIME_WAIT on the proxy's side of its upstream connection, all to the same
  # backend address and port. Linux reuses those for new outgoing connections only on loopback by default
  # (tcp_tw_reuse=2), so over veth the peer that churns after another within 60 s would find the ephemeral ports
  # taken and pay for the port search in connect(2) (seen: 10x the CPU per connection for whoever came second).
  # tcp_tw_reuse=1, the usual setting on proxy hosts, for the run's duration; restored at exit.
  TW_REUSE_WAS=$(cat /proc/sys/net/ipv4/tcp_tw_reuse); sysctl -qw net.ipv4.tcp_tw_reuse=1
  PROXY_IP=10.77.1.1; BACK_IP=10.77.2.2
  LOAD_NS=(ip netns exec mgw-load); BACK_NS=(ip netns exec mgw-back)
else
  PROXY_IP=127.0.0.1; BACK_IP=127.0.0.1; LOAD_NS=(); BACK_NS=()
fi
load() { "${LOAD_NS[@]}" taskset -c 0 "$LOADGEN" "$@"; }
churn() { "${LOAD_NS[@]}" taskset -c 0 "$CHURN_LOAD" churn "$@"; }
# Only ever started with `&`: exec, so the PID recorded for cleanup is the load generator's own.
backend() { exec "${BACK_NS[@]}" taskset -c 0 "$LOADGEN" "$@"; }
load_bg() { exec "${LOAD_NS[@]}" taskset -c 0 "$LOADGEN" "$@"; }

# ---- routes: three real captured ClientHellos, three SNIs, three backends ------------------------------------------
TD=11111111-2222-3333-4444-555555555555.consul
HELLOS="$ROOT/tests/TestData/client-hellos"
SNI_WEB="web.default.dc2.internal.$TD";      HELLO_WEB="$HELLOS/curl.bin";            PORT_WEB=19101  # hello, 1-byte answer: churn
SNI_API="api.default.dc2.internal.$TD";      HELLO_API="$HELLOS/openssl-tls13.bin";   PORT_API=19102  # echo: hold, ping-pong
SNI_BULK="v2.cache.default.dc2.internal.$TD"; HELLO_BULK="$HELLOS/dotnet-sslstream.bin"; PORT_BULK=19103 # sink: bulk
for f in "$HELLO_WEB" "$HELLO_API" "$HELLO_BULK"; do grep -q "\"sni\": \"$(case $f in *curl*) echo $SNI_WEB;; *tls13*) echo $SNI_API;; *) echo $SNI_BULK;; esac)\"" "${f%.bin}.json" || { echo "SNI of $f changed" >&2; exit 1; }; done

(exec "${BACK_NS[@]}" taskset -c 0 "$CHURN_LOAD" answer -l $BACK_IP:$PORT_WEB -H "$HELLO_WEB" >/dev/null) & PIDS+=($!)
backend echo --listen $BACK_IP:$PORT_API >/dev/null & PIDS+=($!)
backend sink --listen $BACK_IP:$PORT_BULK >/dev/null & PIDS+=($!)

wait_port() { # $1 = port, $2 = address (default: the proxies')
  for _ in $(seq 100); do (exec 3<>"/dev/tcp/${2:-$PROXY_IP}/$1") 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 never opened" >&2; return 1; }
for p in $PORT_WEB $PORT_API $PORT_BULK; do wait_port $p $BACK_IP; done

# ---- peer configurations -------------------------------------------------------------------------------------------
printf '%s web\n%s api\n%s bulk\n' "$SNI_WEB" "$SNI_API" "$SNI_BULK" > "$WORK/sni.map"
# shellcheck source=haproxy_cfg.sh
. "$ROOT/benchmarks/peers/haproxy_cfg.sh"
HAPROXY_ROUTES=("web $BACK_IP:$PORT_WEB" "api $BACK_IP:$PORT_API" "bulk $BACK_IP:$PORT_BULK")
haproxy_cfg "$PROXY_IP:19010" "$WORK/sni.map" "" "" "${HAPROXY_ROUTES[@]}" > "$WORK/haproxy.cfg"
haproxy_cfg "$PROXY_IP:19010" "$WORK/sni.map" "" "    tune.bufsize 262144" "${HAPROXY_ROUTES[@]}" > "$WORK/haproxy-bigbuf.cfg"
haproxy_cfg "$PROXY_IP:19010" "$WORK/sni.map" "    option splice-request
    option splice-response" "    tune.pipesize 1048576" "${HAPROXY_ROUTES[@]}" > "$WORK/haproxy-splice.cfg"
cat > "$WORK/nginx.conf" <<CFG
load_module /usr/lib/nginx/modules/ngx_stream_module.so;
daemon off;
master_process off;
worker_processes 1;
worker_rlimit_nofile 20000;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log error;
events { worker_connections 10000; }
stream {
    map_hash_bucket_size 128;
    map \$ssl_preread_server_name \$upstream {
        $SNI_WEB $BACK_IP:$PORT_WEB;
        $SNI_API $BACK_IP:$PORT_API;
        $SNI_BULK $BACK_IP:$PORT_BULK;
    }
    server {
        listen $PROXY_IP:19020;
        ssl_preread on;
        proxy_pass \$upstream;
        proxy_connect_timeout 5s;
        proxy_timeout 60s;
    }
}
CFG
MESHGW_ARGS=(gateway --listen $PROXY_IP:19030 --datacenter dc2 --trust-domain "$TD"
  --service "web=$BACK_IP:$PORT_WEB" --service "api=$BACK_IP:$PORT_API" --service-sni "$SNI_BULK=$BACK_IP:$PORT_BULK")
MESHGW_QUIET=(); "$MESHGW" gateway --help 2>/dev/null | grep -q -- --no-connection-log && MESHGW_QUIET=(--no-connection-log)
# meshgw gets the caller's environment minus every runtime knob, so the run measures the defaults a user gets.
MESHGW_UNSET=(); MESHGW_REMOVED=()
for var in $(compgen -e); do
  case "$var" in
    DOTNET_ROOT|DOTNET_ROOT_*) ;;
    DOTNET_*|COMPlus_*|CORECLR_*) MESHGW_UNSET+=(-u "$var"); MESHGW_REMOVED+=("$var") ;;
  esac
done

start_peer() { # sets PEER_PID and PEER_PORT
  case "$1" in
    haproxy)        taskset -c 1 haproxy -db -f "$WORK/haproxy.cfg" >/dev/null 2>&1 & PEER_PORT=19010 ;;
    haproxy-splice) taskset -c 1 haproxy -db -f "$WORK/haproxy-splice.cfg" >/dev/null 2>&1 & PEER_PORT=19010 ;;
    nginx)          taskset -c 1 nginx -c "$WORK/nginx.conf" >"$WORK/nginx.out" 2>&1 & PEER_PORT=19020 ;;
    haproxy-bigbuf) taskset -c 1 haproxy -db -f "$WORK/haproxy-bigbuf.cfg" >/dev/null 2>&1 & PEER_PORT=19010 ;;
    nginx-bigbuf)   sed 's/ssl_preread on;/ssl_preread on;\n        proxy_buffer_size 256k;/' "$WORK/nginx.conf" > "$WORK/nginx-bigbuf.conf"
                    taskset -c 1 nginx -c "$WORK/nginx-bigbuf.conf" >"$WORK/nginx.out" 2>&1 & PEER_PORT=19020 ;;
    meshgw)         env "${MESHGW_UNSET[@]}" taskset -c 1 "$MESHGW" "${MESHGW_ARGS[@]}" "${MESHGW_QUIET[@]}" >/dev/null 2>&1 & PEER_PORT=19030 ;;
    meshgw-splice)  env "${MESHGW_UNSET[@]}" taskset -c 1 "$MESHGW" "${MESHGW_ARGS[@]}" "${MESHGW_QUIET[@]}" --pump splice >/dev/null 2>&1 & PEER_PORT=19030 ;;
    *) echo "unknown peer $1" >&2; exit 2 ;;
  esac
  PEER_PID=$!; PIDS+=($PEER_PID)
  wait_port $PEER_PORT || { cat "$WORK"/*.out "$WORK"/*.log 2>/dev/null >&2; exit 1; }
}
stop_peer() { kill "$PEER_PID" 2>/dev/null || true; wait "$PEER_PID" 2>/dev/null || true; }
rss_kb() { awk '/^VmRSS/{print $2}' "/proc/$1/status"; }
# Private_Dirty: pages this process wrote and no other maps (heap, stacks), what the independent harness reads
dirty_kb() { awk '/^Private_Dirty/{print $2}' "/proc/$1/smaps_rollup"; }
kv() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p"; }
HZ=$(getconf CLK_TCK)

CSV="$ROOT/benchmarks/results/$OUT.csv"
echo "round,peer,scenario,metric,value" > "$CSV"
rec() { echo "$1,$2,$3,$4,$5" >> "$CSV"; }

# ---- per-cell measurement window: the proxy's CPU over its process tree, the load core's busy time, wall time -----
proc_tree() { # $1, then every descendant, from the kernel's per-thread lists of children
  local child
  echo "$1"
  for child in $(cat /proc/"$1"/task/*/children 2>/dev/null); do proc_tree "$child"; done
}
tree_ticks() { # utime+stime+cutime+cstime (stat fields 14-17) summed over proc_tree $1; a process that exited in the
  # window is counted through its parent's cutime+cstime once reaped. Fields are counted after comm's ')'.
  local pid stats=()
  for pid in $(proc_tree "$1"); do stats+=("/proc/$pid/stat"); done
  { cat "${stats[@]}" 2>/dev/null || true; } | awk '{ sub(/^.*\) /, ""); t += $12 + $13 + $14 + $15 } END { print t + 0 }'
}
load_core_ticks() { awk '$1 == "cpu0" { print $2 + $3 + $4 + $7 + $8 }' /proc/stat; } # user nice system irq softirq
window_start() { W_T0=$EPOCHREALTIME; W_P0=$(tree_ticks "$PEER_PID"); W_L0=$(load_core_ticks); }
# window_end [seconds]: seconds = the load generator's own measured window (blast and churn print it; it leaves out
# the load generator's .NET start-up, during which the proxy idles). Without it the window is the load generator's
# process lifetime. Sets W_CPU (proxy CPU-s), W_WALL (the window's seconds), W_UTIL = W_CPU / W_WALL, and W_LUTIL
# (busy fraction of the load core over the process lifetime: near 1 with a low W_UTIL means the load was the limit).
window_end() {
  local t1=$EPOCHREALTIME p1 l1
  p1=$(tree_ticks "$PEER_PID"); l1=$(load_core_ticks)
  read -r W_CPU W_WALL W_UTIL W_LUTIL < <(awk -v t0="$W_T0" -v t1="$t1" -v p=$((p1 - W_P0)) -v l=$((l1 - W_L0)) \
    -v hz="$HZ" -v win="${1:-0}" 'BEGIN { life = t1 - t0; w = (win + 0 > 0 ? win : life)
      printf "%.3f %.3f %.3f %.3f\n", p / hz, w, p / hz / w, l / hz / life }')
}
rec_window() { # round peer scenario
  rec "$1" "$2" "$3" util "$W_UTIL"; rec "$1" "$2" "$3" load_util "$W_LUTIL"
  rec "$1" "$2" "$3" proxy_cpu_s "$W_CPU"; rec "$1" "$2" "$3" wall_s "$W_WALL"
}

# Even rounds run the peers in reverse order, as the independent harness alternates them: this machine's speed drifts
# over tens of seconds (the same peer moved 72-135 CPU-us per churned connection between rounds), and a fixed order
# would hand one peer the same neighbour every round.
REVERSED=$(echo $PEERS | tr ' ' '\n' | tac | tr '\n' ' ')
for round in $(seq "$ROUNDS"); do
  if [ $((round % 2)) = 0 ]; then ORDER=$REVERSED; else ORDER=$PEERS; fi
  for peer in $ORDER; do
    if [ "$peer" = meshgw-splice ] && [ "$("$MESHGW" gateway --help 2>&1 | grep -c -- --pump)" = 0 ]; then continue; fi
    start_peer "$peer"
    echo "round $round: $peer (pid $PEER_PID, port $PEER_PORT)"
    plain=1; [ "$peer" != "${peer%-splice}" ] || [ "$peer" != "${peer%-bigbuf}" ] && plain=0
    # (1) idle memory per held connection, first, as the independent harness measures it: after a warm-up of 50 held
    # connections only, so that the heap a churn or bulk run leaves behind does not hide what a connection costs (for
    # meshgw, a heap that grew under churn holds 2,000 connections without a new page: that read 0.0 KB). Not for the
    # splice and bigbuf peers (their held connections are their plain peer's). Private dirty is the primary figure;
    # RSS also counts pages shared with other processes.
    if [ "$plain" = 1 ]; then
      load hold --target $PROXY_IP:$PEER_PORT --hello "$HELLO_API" --connections 50 --seconds 1 >/dev/null || true
      sleep 1
      r0=$(rss_kb $PEER_PID); d0=$(dirty_kb $PEER_PID)
      window_start
      load_bg hold --target $PROXY_IP:$PEER_PORT --hello "$HELLO_API" --connections $HOLD --seconds 2 > "$WORK/hold.out" &
      hold_pid=$!; PIDS+=($hold_pid)
      for _ in $(seq 300); do grep -q 'mode=hold open=' "$WORK/hold.out" && break; sleep 0.1; done
      sleep 1
      r1=$(rss_kb $PEER_PID); d1=$(dirty_kb $PEER_PID)
      wait $hold_pid || true
      window_end
      open=$(kv open < "$WORK/hold.out" | head -1)
      kb=$(awk -v a=$r0 -v b=$r1 -v n=${open:-0} 'BEGIN{printf "%.2f", (n>0 ? (b-a)/n : 0)}')
      dkb=$(awk -v a=$d0 -v b=$d1 -v n=${open:-0} 'BEGIN{printf "%.2f", (n>0 ? (b-a)/n : 0)}')
      rec $round $peer hold dirty_kb_per_conn $dkb; rec $round $peer hold kb_per_conn $kb; rec $round $peer hold open ${open:-0}
      rec_window $round $peer hold
      echo "  hold: $open open, private dirty $dkb KB/conn ($d0 -> $d1 KB), RSS $kb KB/conn ($r0 -> $r1 KB)"
    fi
    # warm-up, the same for every peer: connections through every route (JIT, pools, first dial), then one second of
    # bulk, so that no peer's measured window includes one-off start-up work (for meshgw: tiered JIT of the bulk path,
    # which perf showed at ~4 % of the proxy's CPU in a 5 s bulk window right after a churn-only warm-up)
    churn -c $PROXY_IP:$PEER_PORT -H "$HELLO_WEB" -p 4 -t 1 >/dev/null || true
    load blast --target $PROXY_IP:$PEER_PORT --hello "$HELLO_BULK" --seconds 1 --streams 1 >/dev/null || true
    # (2) bulk, 1 and 4 streams
    for streams in 1 4; do
      window_start
      line=$(load blast --target $PROXY_IP:$PEER_PORT --hello "$HELLO_BULK" --seconds $BULK_S --streams $streams)
      window_end "$(echo "$line" | kv seconds)"
      bytes=$(echo "$line" | kv bytes); gbps=$(echo "$line" | kv gbps)
      cpu_gb=$(awk -v c="$W_CPU" -v b="$bytes" 'BEGIN{printf "%.4f", (b>0 ? c/(b/1e9) : 0)}')
      rec $round $peer bulk$streams gbps $gbps; rec $round $peer bulk$streams cpu_s_per_gb $cpu_gb
      rec_window $round $peer bulk$streams
      echo "  bulk x$streams: $gbps Gbps, $cpu_gb CPU-s/GB, proxy util $W_UTIL (load core $W_LUTIL)"
    done
    # (3) churn with SNI routing (not for the splice and bigbuf peers: splice starts after routing, and buffer size
    # does not matter to a 1-byte exchange, so churn is their plain peer's). Utilisation matters most here: below
    # 0.9 the proxy's core had idle time, and connections/s measure how fast the load generator can churn. 8
    # connections in flight, as the independent harness runs; the latency is the time to the backend's first byte.
    if [ "$plain" = 0 ]; then stop_peer; continue; fi
    window_start
    line=$(churn -c $PROXY_IP:$PEER_PORT -H "$HELLO_WEB" -p 8 -t $CHURN_S 2>"$WORK/churn.err" || true)
    [ -n "$line" ] || { echo "churn gave no result:" >&2; tail -5 "$WORK/churn.err" >&2; line="connections=0 failed=-1 per_second=0"; }
    window_end "$(echo "$line" | kv seconds)"
    conns=$(echo "$line" | kv connections); cps=$(echo "$line" | kv per_second); failed=$(echo "$line" | kv failed)
    us_conn=$(awk -v c="$W_CPU" -v n="$conns" 'BEGIN{printf "%.2f", (n>0 ? c/n*1e6 : 0)}')
    rec $round $peer churn conn_per_s $cps; rec $round $peer churn cpu_us_per_conn $us_conn; rec $round $peer churn failed $failed
    rec $round $peer churn p50_us "$(echo "$line" | kv p50_us)"; rec $round $peer churn p99_us "$(echo "$line" | kv p99_us)"
    rec_window $round $peer churn
    echo "  churn: $cps conn/s, $us_conn CPU-us/conn, $failed failed, first byte p50 $(echo "$line" | kv p50_us) us, proxy util $W_UTIL (load core $W_LUTIL)"
    # (4) latency: one connection, one round trip at a time, so the proxy is never saturated here
    window_start
    line=$(load pingpong --target $PROXY_IP:$PEER_PORT --hello "$HELLO_API" --round-trips $PINGS --size 64)
    window_end
    p50=$(echo "$line" | kv p50_us); p99=$(echo "$line" | kv p99_us)
    rec $round $peer pingpong p50_us $p50; rec $round $peer pingpong p99_us $p99
    rec_window $round $peer pingpong
    echo "  ping-pong: p50 $p50 us, p99 $p99 us, proxy util $W_UTIL"
    stop_peer
  done
done

# ---- summary: median [min-max] per peer, ratios to HAProxy and nginx ------------------------------------------------
MD="$ROOT/benchmarks/results/$OUT.md"
{
  echo "# Peer benchmark ($OUT)"
  echo
  echo "\`${ENV_ARGS}benchmarks/peers/run.sh${ARGS:+ $ARGS}\`, $(date -u '+%Y-%m-%d %H:%M UTC'), $ROUNDS round(s), interleaved."
  echo "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc --all) CPUs, Linux $(uname -r), .NET $(dotnet --list-runtimes | awk '/NETCore.App/{v=$2} END{print v}'),"
  echo "$(haproxy -v | head -1 | cut -d' ' -f1-3), nginx $(nginx -v 2>&1 | cut -d/ -f2). Proxy on CPU 1 (\`taskset\`), load and backends on CPU 0, $( [ "$TOPOLOGY" = veth ] && echo "veth pairs at MTU 1500 (load and backends in their own network namespaces)$( [ "$DELAY_MS" != 0 ] && echo ", netem delay ${DELAY_MS} ms per leg and direction")" || echo loopback)."
  echo "meshgw as a user runs it: \`meshgw ${MESHGW_ARGS[*]:0:1} <routes> ${MESHGW_QUIET[*]}\` (meshgw-splice adds \`--pump splice\`), no environment variable set for it$( [ ${#MESHGW_REMOVED[@]} -gt 0 ] && echo "; removed from the caller's environment: ${MESHGW_REMOVED[*]}")."
  echo
  python3 "$ROOT/benchmarks/peers/summarize.py" "$CSV"
} > "$MD"
cat "$MD"
