#!/usr/bin/env bash
# What an ACTIVE streaming connection costs a proxy, and what the copy buffer size costs per GB: meshgw (defaults,
# --pump splice, and limits.bufferSize 16/64/256 KiB through `meshgw run --config`) next to HAProxy 2.6 (plain,
# tune.bufsize 16 KiB, and forced splice), the proxy pinned to one core and the load to the other, interleaved rounds.
# See benchmarks/results/streams.md for the method and the results.
#
#   benchmarks/peers/streams.sh [--rounds N] [--variants "mgw mgw-splice ..."] [--scenarios "s4 s1000 ..."]
#                               [--csv FILE] > report.md
#
# Variants (each round starts every one afresh, in an order that rotates from round to round):
#   direct          no proxy: the load's own kernel socket memory (the baseline the proxies' kernel figures add to)
#   mgw             meshgw gateway ... --no-connection-log              (copy pump, 256 KiB buffers, zero-byte reads)
#   mgw-splice      meshgw gateway ... --no-connection-log --pump splice (1 MiB pipes, pooled)
#   mgw-16k|64k|256k  meshgw run --config FILE with "limits": { "bufferSize": N } (the CLI has no buffer flag; run keeps
#                   its connection log on: one line per closed connection, to a file)
#   haproxy         HAProxy 2.6 mode tcp, nbthread 1, SNI-routed (req.ssl_sni map), defaults (tune.bufsize 16384)
#   haproxy-splice  the same + option splice-request/splice-response, tune.pipesize 1048576 (forced splice)
# Scenarios, per variant and round (a streams_load sink is the backend, streams_load drive the client):
#   s4        4 streams sending as fast as the sockets take them (128 KiB writes)
#   s1000     1,000 streams, each sending RATE bytes/s (default 100,000) in 20 ms ticks; the sink reads at once
#   s1000slow the same, but the sink reads each connection at RATE/10: every buffer on the path fills (back-pressure)
#   s100stall 100 streams, each offering 2 MB/s, the sink reading 1 kB/s each: the kernel's socket buffers fill
#             within seconds and the proxy holds what it has read and cannot send (its worst case per connection)
#   bulk1, bulk4  1 or 4 streams as fast as possible for BULK_S seconds: proxy CPU-s per GB (10^9 B) sent
# Memory scenarios: 50 short streams warm the proxy up (once per slot), 1 s later the "before" reading; the streams
# open, and five readings are taken 0.5 s apart from 2 s (s1000slow: SLOW_FILL_S s) after the last stream opened,
# while every stream keeps sending; the median of the five is kept. The "before" reading of each scenario is taken
# afresh on the same proxy, just before its streams open.
# Readings: /proc/PID/smaps_rollup Private_Dirty and /proc/PID/status VmRSS (the proxy process), /proc/PID/fd (all
# descriptors; pipe:[…] ones counted apart), /proc/net/sockstat "TCP: … mem" (pages of TCP socket memory, the whole
# machine: load and sink sockets included, hence the direct row), and ss -tm skmem of the proxy's own sockets (local
# port = the proxy's listen port, or remote port = the sink's port): r + w + f bytes (receive queue, write queue,
# forward allocation: what the kernel charges to TCP memory). Per stream = (during − before) / streams.
#
# Env: MESHGW (a meshgw executable; default: build src/MeshGateway.Cli in Release and use its apphost), PROXY_CPU=1,
# LOAD_CPU=0, RATE=100000, SLOW_FILL_S=8, BULK_S=4, BASE_PORT=19440, QUIET_WAIT_S=60 (before each slot, wait up to this
# long for other processes to use less than 0.25 cores).
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
ROUNDS=3
VARIANTS="direct mgw mgw-splice mgw-16k mgw-64k mgw-256k haproxy haproxy-splice"
SCENARIOS="s4 s1000 s1000slow s100stall bulk1 bulk4"
CSV=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS=$2; shift ;;
    --variants) VARIANTS=$2; shift ;;
    --scenarios) SCENARIOS=$2; shift ;;
    --csv) CSV=$2; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
PROXY_CPU=${PROXY_CPU:-1}; LOAD_CPU=${LOAD_CPU:-0}
RATE=${RATE:-100000}; SLOW_FILL_S=${SLOW_FILL_S:-8}; BULK_S=${BULK_S:-4}; BASE_PORT=${BASE_PORT:-19440}; QUIET_WAIT_S=${QUIET_WAIT_S:-60}
PROXY_PORT=$BASE_PORT; SINK_PORT=$((BASE_PORT + 1))
HELLO="$ROOT/tests/TestData/client-hellos/curl.bin"   # SNI web.default.dc2.internal.<TD>, one record
TD=11111111-2222-3333-4444-555555555555.consul
SNI="web.default.dc2.internal.$TD"
grep -q "\"sni\": \"$SNI\"" "${HELLO%.bin}.json" || { echo "SNI of $HELLO changed" >&2; exit 1; }
CLK_TCK=$(getconf CLK_TCK)
T_START=$(date +%s)
log() { printf '[%4ss] %s\n' "$(( $(date +%s) - T_START ))" "$*" >&2; }

ulimit -n "$(ulimit -Hn)"
taskset -p -c "$LOAD_CPU" $$ >/dev/null || { echo "taskset failed" >&2; exit 1; }
WORK=$(mktemp -d /tmp/meshgw-streams.XXXXXX)
[ -n "$CSV" ] || CSV="$WORK/streams.csv"
PIDS=()
cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'log interrupted; exit 130' INT TERM

if [ -z "${MESHGW:-}" ]; then
  log "building Release"
  dotnet build "$ROOT/src/MeshGateway.Cli" -c Release -v q -nologo >/dev/null || exit 1
  MESHGW="$ROOT/src/MeshGateway.Cli/bin/Release/net10.0/meshgw"
fi
gcc -O2 -Wall -o "$WORK/streams_load" "$ROOT/benchmarks/peers/streams_load.c" || exit 1
LOAD=(taskset -c "$LOAD_CPU" "$WORK/streams_load")

port_listening() { [ -n "$(ss -Htln "sport = :$1" 2>/dev/null)" ]; }
wait_listen() { for _ in $(seq 200); do port_listening "$1" && return 0; sleep 0.05; done; return 1; }
for p in $PROXY_PORT $SINK_PORT; do port_listening $p && { echo "port $p in use (set BASE_PORT)" >&2; exit 1; }; done

# ---------- proxy configurations ----------
for v in haproxy haproxy-splice; do
  {
    echo "global"
    echo "    nbthread 1"
    echo "    maxconn 4000"
    [ $v = haproxy-splice ] && echo "    tune.pipesize 1048576"
    echo "defaults"
    echo "    mode tcp"
    echo "    timeout connect 5s"
    echo "    timeout client 60s"
    echo "    timeout server 60s"
    [ $v = haproxy-splice ] && printf '    option splice-request\n    option splice-response\n'
    echo "frontend fe_sni"
    echo "    bind 127.0.0.1:$PROXY_PORT"
    echo "    tcp-request inspect-delay 5s"
    echo "    tcp-request content accept if { req.ssl_hello_type 1 }"
    echo "    use_backend %[req.ssl_sni,lower,map($WORK/sni.map)]"
    echo "backend be_sink"
    echo "    server sink 127.0.0.1:$SINK_PORT"
  } > "$WORK/$v.cfg"
done
echo "$SNI be_sink" > "$WORK/sni.map"
for size in 16 64 256; do
  cat > "$WORK/mgw-${size}k.json" <<EOF
{
  "mode": "mesh-gateway",
  "datacenter": "dc2",
  "trustDomain": "$TD",
  "listeners": [ "127.0.0.1:$PROXY_PORT" ],
  "services": [ { "name": "web", "endpoints": [ "127.0.0.1:$SINK_PORT" ] } ],
  "limits": { "bufferSize": $((size * 1024)) }
}
EOF
done

PROXY_PID=""
start_proxy() { # variant
  local v=$1 gw=("$MESHGW" gateway --listen "127.0.0.1:$PROXY_PORT" --datacenter dc2 --trust-domain "$TD"
    --service "web=127.0.0.1:$SINK_PORT" --no-connection-log)
  PROXY_PID=""
  case $v in
    direct) return 0 ;;
    mgw) taskset -c "$PROXY_CPU" "${gw[@]}" > "$WORK/proxy.log" 2>&1 & ;;
    mgw-splice) taskset -c "$PROXY_CPU" "${gw[@]}" --pump splice > "$WORK/proxy.log" 2>&1 & ;;
    mgw-*k) taskset -c "$PROXY_CPU" "$MESHGW" run --config "$WORK/$v.json" > "$WORK/proxy.log" 2>&1 & ;;
    haproxy|haproxy-splice) taskset -c "$PROXY_CPU" haproxy -db -f "$WORK/$v.cfg" > "$WORK/proxy.log" 2>&1 & ;;
    *) log "unknown variant $v"; return 1 ;;
  esac
  PROXY_PID=$!; PIDS+=("$PROXY_PID")
  wait_listen $PROXY_PORT || { log "$v did not start:"; tail -5 "$WORK/proxy.log" >&2; stop_proxy; return 1; }
  taskset -a -p -c "$PROXY_CPU" "$PROXY_PID" >/dev/null 2>&1
}
stop_proxy() {
  [ -n "$PROXY_PID" ] || return 0
  kill -TERM "$PROXY_PID" 2>/dev/null
  for _ in $(seq 100); do kill -0 "$PROXY_PID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$PROXY_PID" 2>/dev/null; wait "$PROXY_PID" 2>/dev/null; PROXY_PID=""
  for _ in $(seq 100); do port_listening $PROXY_PORT || break; sleep 0.1; done
}
SINK_PID=""
start_sink() { # [read rate per connection]
  "${LOAD[@]}" sink -l "127.0.0.1:$SINK_PORT" -H "$HELLO" -r "${1:-0}" > "$WORK/sink.out" 2>&1 &
  SINK_PID=$!; PIDS+=("$SINK_PID")
  wait_listen $SINK_PORT || { log "sink did not start"; exit 1; }
}
stop_sink() { kill -TERM "$SINK_PID" 2>/dev/null; wait "$SINK_PID" 2>/dev/null; SINK_PID=""; }

# ---------- readings ----------
target_port() { [ -n "$PROXY_PID" ] && echo $PROXY_PORT || echo $SINK_PORT; }
# "private_dirty_kb rss_kb fds pipe_fds sockstat_pages skmem_bytes" now
reading() {
  local pd=0 rss=0 fds=0 pipes=0 pages skmem=0
  if [ -n "$PROXY_PID" ]; then
    pd=$(awk '/^Private_Dirty:/ { print $2 }' "/proc/$PROXY_PID/smaps_rollup")
    rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$PROXY_PID/status")
    fds=$(ls "/proc/$PROXY_PID/fd" | wc -l)
    pipes=$(find "/proc/$PROXY_PID/fd" -mindepth 1 -lname 'pipe:*' 2>/dev/null | wc -l)
    skmem=$(ss -tmnH state established "( sport = :$PROXY_PORT or dport = :$SINK_PORT )" |
      grep -o 'skmem:([^)]*)' | awk -F'[(,)]' '{ for (i = 2; i <= NF; i++) { k = substr($i, 1, 1); if ($i ~ /^(r|w|f)[0-9]/) s += substr($i, 2) + 0 } } END { print s + 0 }')
  fi
  pages=$(awk '$1 == "TCP:" { for (i = 2; i < NF; i++) if ($i == "mem") print $(i + 1) }' /proc/net/sockstat)
  echo "$pd $rss $fds $pipes $pages $skmem"
}
proxy_ticks() { [ -n "$PROXY_PID" ] && awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$PROXY_PID/stat" || echo 0; }
core_busy() { awk -v c="cpu$PROXY_CPU" '$1 == c { print $2 + $3 + $4 + $7 + $8 }' /proc/stat; }
kv() { printf '%s\n' "$2" | tr ' ' '\n' | awk -F= -v k="$1" '$1 == k { print $2; exit }'; }
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "round,variant,scenario,streams,rate,ok,opened,bytes,seconds,mbps,min_conn_bytes,pd_kb_per_stream,rss_kb_per_stream,fds_per_stream,pipes_per_stream,sockstat_kb_per_stream,skmem_kb_per_stream,pd_before_kb,pd_during_kb,proxy_cpu_s,cpu_s_per_gb,proxy_util,core_other,note" > "$CSV"

drive() { # streams rate seconds: starts the client in the background (DRIVE_PID); the caller awaits READY and the exit
  rm -f "$WORK/drive.out"
  "${LOAD[@]}" drive -c "127.0.0.1:$(target_port)" -H "$HELLO" -n "$1" -r "$2" -t "$3" > "$WORK/drive.out" 2>&1 &
  DRIVE_PID=$!; PIDS+=("$DRIVE_PID")
}
wait_ready() { for _ in $(seq 600); do grep -qs '^READY' "$WORK/drive.out" && return 0; kill -0 "$DRIVE_PID" 2>/dev/null || return 1; sleep 0.05; done; return 1; }

warm_up() {
  start_sink
  drive 50 100000 1; wait "$DRIVE_PID"
  stop_sink
  sleep 1
}

scenario_memory() { # round variant scenario streams rate sink_rate seconds_before_the_readings
  local r=$1 v=$2 sc=$3 n=$4 rate=$5 srate=$6 settle=$7 b a i samples=() out k
  start_sink "$srate"
  sleep 0.5
  read -r -a b < <(reading)
  drive "$n" "$rate" "$((settle + 3))"
  wait_ready || log "  $sc: the streams did not open"
  sleep "$settle"
  for i in 1 2 3 4 5; do samples+=("$(reading)"); [ $i -lt 5 ] && sleep 0.5; done
  wait "$DRIVE_PID"; out=$(grep -s '^mode=drive' "$WORK/drive.out")
  stop_sink
  for k in 0 1 2 3 4 5; do a[k]=$(median $(for s in "${samples[@]}"; do read -r -a x <<< "$s"; echo "${x[k]}"; done)); done
  local opened pd rss fd pp sk skm
  opened=$(kv opened "$out"); [ -n "$opened" ] && [ "$opened" -gt 0 ] || opened=$n
  per() { awk -v a="$1" -v b="$2" -v n="$opened" -v m="$3" 'BEGIN { printf "%.2f", (b - a) * m / n }'; }
  pd=$(per "${b[0]}" "${a[0]}" 1); rss=$(per "${b[1]}" "${a[1]}" 1); fd=$(per "${b[2]}" "${a[2]}" 1)
  pp=$(per "${b[3]}" "${a[3]}" 0.5); sk=$(per "${b[4]}" "${a[4]}" 4); skm=$(per "${b[5]}" "${a[5]}" 0.0009765625)
  if [ "$v" = direct ]; then pd=""; rss=""; fd=""; pp=""; skm=""; fi
  echo "$r,$v,$sc,$n,$rate,$(kv ok "$out"),$opened,$(kv bytes "$out"),$(kv seconds "$out"),$(kv mbps "$out"),$(kv min_conn_bytes "$out"),$pd,$rss,$fd,$pp,$sk,$skm,${b[0]},${a[0]},,,,,sink_rate=$srate" >> "$CSV"
  log "  $sc: private dirty +$pd KB/stream, fds +$fd, pipes +$pp, sockstat +$sk KB, proxy skmem +$skm KB per stream; $(kv mbps "$out") Mb/s, min per stream $(kv min_conn_bytes "$out") B, ok=$(kv ok "$out")"
  sleep 0.5
}

scenario_bulk() { # round variant streams
  local r=$1 v=$2 n=$3 t0 c0 b0 t1 c1 b1 out bytes wall cpu
  [ "$v" = direct ] && return 0
  start_sink
  t0=$(date +%s%N); c0=$(proxy_ticks); b0=$(core_busy)
  drive "$n" 0 "$BULK_S"; wait_ready; wait "$DRIVE_PID"
  t1=$(date +%s%N); c1=$(proxy_ticks); b1=$(core_busy)
  out=$(grep -s '^mode=drive' "$WORK/drive.out")
  stop_sink
  bytes=$(kv bytes "$out")
  wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
  cpu=$(awk -v a="$c0" -v b="$c1" -v h="$CLK_TCK" 'BEGIN { printf "%.3f", (b - a) / h }')
  local pergb util other
  pergb=$(awk -v c="$cpu" -v b="$bytes" 'BEGIN { if (b > 0) printf "%.4f", c / (b / 1e9) }')
  util=$(awk -v c="$cpu" -v w="$wall" 'BEGIN { printf "%.2f", c / w }')
  other=$(awk -v a="$b0" -v b="$b1" -v c="$cpu" -v h="$CLK_TCK" -v w="$wall" 'BEGIN { o = ((b - a) / h - c) / w; if (o < 0) o = 0; printf "%.2f", o }')
  echo "$r,$v,bulk$n,$n,0,$(kv ok "$out"),$(kv opened "$out"),$bytes,$(kv seconds "$out"),$(kv mbps "$out"),$(kv min_conn_bytes "$out"),,,,,,,,,$cpu,$pergb,$util,$other," >> "$CSV"
  log "  bulk$n: $(kv mbps "$out") Mb/s, proxy $cpu CPU-s, $pergb CPU-s/GB, util $util, other load on the proxy core $other"
}

# other processes' load (cores) over 1 s while nothing of ours runs; wait up to QUIET_WAIT_S for it to drop below 0.25
busy_all() { awk '/^cpu[0-9]/ { s += $2 + $3 + $4 + $7 + $8 } END { print s }' /proc/stat; }
quiet_wait() {
  local t0 b0 f waited=0
  while :; do
    b0=$(busy_all); sleep 1
    f=$(awk -v a="$b0" -v b="$(busy_all)" -v h="$CLK_TCK" 'BEGIN { printf "%.2f", (b - a) / h }')
    awk -v f="$f" 'BEGIN { exit !(f < 0.25) }' && return 0
    [ "$waited" -ge "$QUIET_WAIT_S" ] && { log "other load $f cores: going on anyway"; return 0; }
    [ "$waited" = 0 ] && log "other load $f cores: waiting up to $QUIET_WAIT_S s"
    sleep 4; waited=$((waited + 5))
  done
}

log "work $WORK; csv $CSV; meshgw $MESHGW"
read -r -a VLIST <<< "$VARIANTS"
for ((r = 1; r <= ROUNDS; r++)); do
  n=${#VLIST[@]}
  for ((k = 0; k < n; k++)); do
    v=${VLIST[$(((k + r - 1) % n))]}
    quiet_wait
    log "round $r: $v"
    start_proxy "$v" || { echo "$r,$v,start,0,,,,,,,,,,,,,,,,,,,,did-not-start" >> "$CSV"; continue; }
    warm_up
    for sc in $SCENARIOS; do
      case $sc in
        s4) scenario_memory "$r" "$v" s4 4 0 0 2 ;;
        s1000) scenario_memory "$r" "$v" s1000 1000 "$RATE" 0 2 ;;
        s1000slow) scenario_memory "$r" "$v" s1000slow 1000 "$RATE" $((RATE / 10)) "$SLOW_FILL_S" ;;
        s100stall) scenario_memory "$r" "$v" s100stall 100 2000000 1000 6 ;;
        bulk1) scenario_bulk "$r" "$v" 1 ;;
        bulk4) scenario_bulk "$r" "$v" 4 ;;
        *) log "unknown scenario $sc" ;;
      esac
    done
    if [ "$v" = haproxy-splice ]; then log "  (haproxy splice: pipes are counted from /proc/PID/fd)"; fi
    stop_proxy
  done
done
log "done in $(( $(date +%s) - T_START )) s"
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ); $(uname -sr); $(nproc --all) CPUs; $(haproxy -v 2>/dev/null | head -1 | awk '{ print "HAProxy", $3 }'); meshgw $MESHGW"
  echo "ROUNDS=$ROUNDS RATE=$RATE SLOW_FILL_S=$SLOW_FILL_S BULK_S=$BULK_S PROXY_CPU=$PROXY_CPU LOAD_CPU=$LOAD_CPU"
  echo "tcp_rmem=$(cat /proc/sys/net/ipv4/tcp_rmem | tr '\t' ' ') tcp_wmem=$(cat /proc/sys/net/ipv4/tcp_wmem | tr '\t' ' ') pipe-max-size=$(cat /proc/sys/fs/pipe-max-size)"
} > "$WORK/params.txt"
python3 "$ROOT/benchmarks/peers/streams_report.py" "$CSV" "$WORK/params.txt"
