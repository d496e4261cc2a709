#!/usr/bin/env bash
# Churn duel: two proxies on CPU 1 at the same time, each driven by its own C churn client (churn_load.c, 4
# connections in flight each) on CPU 0 against one C backend, for the same seconds. Each proxy's CPU per connection
# (utime and stime from /proc/PID/stat over the window) is read under the same machine state, so the machine's drift
# (this 2-vCPU VM moves 70-150 µs per connection from one stretch of tens of seconds to the next) cancels in the
# ratio, which separate runs cannot give (run.sh and the independent harness alternate peers round by round). The
# two share the core, so the absolute figures include their context switches and are not comparable to run.sh's;
# the ratio is the result. Rounds swap the two proxies' ports and start order.
#
#   benchmarks/peers/churn-duel.sh [--rounds N] [--seconds S] A B
#
# A and B: haproxy (2.6, nbthread 1, the config of run.sh) or a meshgw executable (run as a user runs it: `meshgw
# gateway` with its defaults and --no-connection-log, no environment variable). Prints a line per proxy per round and,
# at the end, the median of B's CPU per connection over A's, with the per-round ratios. Needs gcc and, for haproxy,
# haproxy on PATH. Nothing else may run on the two CPUs meanwhile.
set -euo pipefail
export LC_ALL=C
ROUNDS=6; SECONDS_PER_ROUND=8
while [ $# -gt 2 ]; do
  case "$1" in
    --rounds) ROUNDS=$2; shift 2 ;;
    --seconds) SECONDS_PER_ROUND=$2; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
[ $# -eq 2 ] || { echo "usage: $0 [--rounds N] [--seconds S] A B   (A, B: haproxy or a meshgw executable)" >&2; exit 2; }
[[ "$ROUNDS" =~ ^[1-9][0-9]?$ && "$SECONDS_PER_ROUND" =~ ^[1-9][0-9]?$ ]] || { echo "rounds and seconds: whole numbers 1-99" >&2; exit 2; }
A=$1; B=$2
for p in "$A" "$B"; do
  [ "$p" = haproxy ] && { command -v haproxy >/dev/null || { echo "haproxy is not on PATH" >&2; exit 2; }; continue; }
  [ -x "$p" ] || { echo "$p: not haproxy and not an executable meshgw" >&2; exit 2; }
done
command -v gcc >/dev/null || { echo "gcc is not on PATH (the churn client is C)" >&2; exit 2; }

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
ulimit -n 20000
gcc -O2 -Wall -o "$WORK/churn_load" "$ROOT/benchmarks/peers/churn_load.c"
TD=11111111-2222-3333-4444-555555555555.consul
SNI="web.default.dc2.internal.$TD"
HELLO="$ROOT/tests/TestData/client-hellos/curl.bin"
BACKEND=127.0.0.1:19161
taskset -c 0 "$WORK/churn_load" answer -l $BACKEND -H "$HELLO" >/dev/null 2>&1 & PIDS+=($!)
printf '%s web\n' "$SNI" > "$WORK/sni.map"
# shellcheck source=haproxy_cfg.sh
. "$ROOT/benchmarks/peers/haproxy_cfg.sh"

wait_port() { for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 never opened" >&2; return 1; }

# start SPEC PORT: prints the proxy's pid
start() {
  if [ "$1" = haproxy ]; then
    haproxy_cfg "127.0.0.1:$2" "$WORK/sni.map" "" "" "web $BACKEND" > "$WORK/haproxy-$2.cfg"
    taskset -c 1 haproxy -db -f "$WORK/haproxy-$2.cfg" >/dev/null 2>&1 &
  else
    # runtime knobs the caller may have exported are not the user's defaults (DOTNET_ROOT* only locates the runtime)
    env $(env | awk -F= '/^(DOTNET_|COMPlus_|CORECLR_)/ && $1 !~ /^DOTNET_ROOT/ {printf "-u %s ", $1}') \
      taskset -c 1 "$1" gateway --listen 127.0.0.1:"$2" --datacenter dc2 --trust-domain "$TD" \
      --service "web=$BACKEND" --no-connection-log >/dev/null 2>&1 &
  fi
  echo $!
}

cpu_ticks() { awk '{print $14, $15}' "/proc/$1/stat"; }
name() { [ "$1" = haproxy ] && echo haproxy || echo "meshgw:$(basename "$(dirname "$1")")"; }

HZ=$(getconf CLK_TCK)
per_conn() { # $1 ticks before, $2 after, $3 load output, $4 proxy: prints "cpu user sys connections" (µs per connection)
  local n; n=$(sed -n 's/.*connections=\([0-9]*\).*/\1/p' "$3")
  [ "${n:-0}" -gt 0 ] || { echo "no connections through $4" >&2; exit 1; }
  awk -v a="$1" -v b="$2" -v n="$n" -v hz="$HZ" 'BEGIN{split(a,x," "); split(b,y," ");
    printf "%.2f %.2f %.2f %d", (y[1]+y[2]-x[1]-x[2])*1e6/hz/n, (y[1]-x[1])*1e6/hz/n, (y[2]-x[2])*1e6/hz/n, n}'
}

RATIOS=()
for round in $(seq "$ROUNDS"); do
  if [ $((round % 2)) = 1 ]; then FIRST=$A; SECOND=$B; else FIRST=$B; SECOND=$A; fi
  P1=$(start "$FIRST" 19171); P2=$(start "$SECOND" 19172); PIDS+=("$P1" "$P2")
  wait_port 19171; wait_port 19172
  # warm-up: JIT, pools, the backend's accept queue
  taskset -c 0 "$WORK/churn_load" churn -c 127.0.0.1:19171 -H "$HELLO" -p 4 -t 2 >/dev/null & W1=$!
  taskset -c 0 "$WORK/churn_load" churn -c 127.0.0.1:19172 -H "$HELLO" -p 4 -t 2 >/dev/null
  wait $W1
  t1=$(cpu_ticks "$P1"); t2=$(cpu_ticks "$P2")
  taskset -c 0 "$WORK/churn_load" churn -c 127.0.0.1:19171 -H "$HELLO" -p 4 -t "$SECONDS_PER_ROUND" > "$WORK/load1" & L1=$!
  taskset -c 0 "$WORK/churn_load" churn -c 127.0.0.1:19172 -H "$HELLO" -p 4 -t "$SECONDS_PER_ROUND" > "$WORK/load2" & L2=$!
  wait $L1 $L2
  u1=$(cpu_ticks "$P1"); u2=$(cpu_ticks "$P2")
  kill "$P1" "$P2"; wait "$P1" "$P2" 2>/dev/null || true
  r1=$(per_conn "$t1" "$u1" "$WORK/load1" "$FIRST"); r2=$(per_conn "$t2" "$u2" "$WORK/load2" "$SECOND")
  for pair in "$FIRST|$r1|$WORK/load1" "$SECOND|$r2|$WORK/load2"; do
    IFS='|' read -r who figures load <<<"$pair"; read -r cpu user sys conns <<<"$figures"
    echo "round=$round proxy=$(name "$who") connections=$conns cpu_us_per_conn=$cpu user_us=$user sys_us=$sys $(grep -o 'p50_us=[0-9]* p99_us=[0-9]*' "$load")"
  done
  cpu_first=${r1%% *}; cpu_second=${r2%% *}
  if [ "$FIRST" = "$A" ]; then RATIOS+=("$(awk -v a="$cpu_first" -v b="$cpu_second" 'BEGIN{printf "%.3f", b/a}')");
  else RATIOS+=("$(awk -v a="$cpu_second" -v b="$cpu_first" 'BEGIN{printf "%.3f", b/a}')"); fi
done
printf '%s\n' "${RATIOS[@]}" | sort -n | awk -v a="$(name "$A")" -v b="$(name "$B")" -v all="${RATIOS[*]}" \
  '{v[NR]=$1} END{m=(NR%2)?v[(NR+1)/2]:(v[NR/2]+v[NR/2+1])/2; printf "CPU per connection, %s / %s: median %.3f (rounds: %s)\n", b, a, m, all}'
