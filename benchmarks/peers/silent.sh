#!/usr/bin/env bash
# What a connection costs `meshgw gateway` while it holds it, started as a user starts it (no environment variables;
# --no-connection-log, as in run.sh): private dirty memory, RSS and descriptors per connection, for
#   silent  connections accepted that send no byte (read within the sniff timeout, 10 s by default), and
#   idle    connections that sent a ClientHello, were routed, got the backend's answer and are held.
# Each cell runs on a fresh meshgw: 50 warm-up connections (hello, answer, close), a 1 s pause, the "before" reading
# (/proc/PID/smaps_rollup Private_Dirty, /proc/PID/status VmRSS, /proc/PID/fd), then N connections are opened and,
# once meshgw has taken them (its descriptor count stops moving), the "after" reading; then ss counts the connections
# it holds (established sockets on its listen port that meshgw owns; those still in the listen backlog have no owner).
# Per connection = (after − before) / connections held. See docs/benchmarks.md, "Silent and idle connections".
#
#   benchmarks/peers/silent.sh [--counts "2000 10000"] [--idle-counts "2000 10000"] [--rounds N] [--out FILE]
#                              [--meshgw-args "--pump splice"]
#
# Env: MESHGW (a meshgw executable; default: build src/MeshGateway.Cli in Release and use it).
# meshgw counts 2.5 descriptors per connection for its cap, so 10,000 connections need an open-files limit above
# 25,000: the script raises the hard limit to 65,536 when it may, else a cell opens only what meshgw's cap takes.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
COUNTS="2000 10000"; IDLE_COUNTS="2000 10000"; ROUNDS=1; OUT=""; EXTRA=()
while [ $# -gt 0 ]; do
  case "$1" in
    --counts) COUNTS=$2; shift ;;
    --idle-counts) IDLE_COUNTS=$2; shift ;;
    --rounds) ROUNDS=$2; shift ;;
    --out) OUT=$2; shift ;;
    --meshgw-args) read -r -a EXTRA <<< "$2"; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done

# meshgw caps its connections at what its descriptor limit allows (2.5 per connection: client, upstream and half a
# splice pipe), so 10,000 connections need a limit above 25,000. Raise the hard limit when the shell may
# (CAP_SYS_RESOURCE), as an operator would with `ulimit -n` or systemd's LimitNOFILE; otherwise a cell opens only
# what meshgw takes and says so.
WANT_FILES=65536
if [ "$(ulimit -Hn)" != unlimited ] && [ "$(ulimit -Hn)" -lt $WANT_FILES ]; then ulimit -Hn $WANT_FILES 2>/dev/null || true; fi
ulimit -n "$(ulimit -Hn)"
HELPER="$ROOT/benchmarks/peers/silent_conns.py"
PY=$(python3 -c 'import sys; print(sys.executable)')   # the interpreter itself, not a version manager's shim
HELLO="$ROOT/tests/TestData/client-hellos/curl.bin"
TD=11111111-2222-3333-4444-555555555555.consul
PROXY_PORT=19230; BACK_PORT=19231
if [ -z "${MESHGW:-}" ]; then
  echo "building Release" >&2
  dotnet build "$ROOT/src/MeshGateway.Cli" -c Release -v q -nologo >/dev/null
  MESHGW="$ROOT/src/MeshGateway.Cli/bin/Release/net10.0/meshgw"
fi
grep -q "\"sni\": \"web.default.dc2.internal.$TD\"" "${HELLO%.bin}.json" || { echo "SNI of $HELLO changed" >&2; exit 1; }

WORK=$(mktemp -d /tmp/meshgw-silent.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

wait_port() { for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 never opened" >&2; return 1; }
memory() { awk '/^Private_Dirty:/ { d = $2 } END { print d + 0 }' "/proc/$1/smaps_rollup"; }
rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
fds() { ls "/proc/$1/fd" | wc -l; }
held() { ss -tnpH state established "( sport = :$PROXY_PORT )" 2>/dev/null | grep -c "pid=$1," || true; }

"$PY" -I "$HELPER" backend --listen 127.0.0.1:$BACK_PORT & PIDS+=($!)
wait_port $BACK_PORT

ROWS="$WORK/rows"
: > "$ROWS"
measure() { # $1 = silent|idle, $2 = connections, $3 = round
  local mode=$1 n=$2 round=$3 pid client d0 r0 f0 d1 r1 f1 h t0 t1 helloarg=()
  "$MESHGW" gateway --listen 127.0.0.1:$PROXY_PORT --datacenter dc2 --trust-domain "$TD" \
    --service "web=127.0.0.1:$BACK_PORT" --no-connection-log "${EXTRA[@]}" >"$WORK/meshgw.log" 2>&1 &
  pid=$!; PIDS+=($pid)
  wait_port $PROXY_PORT
  # Past its cap meshgw leaves connections in the listen backlog, and those still waiting when the sniff timeout closes
  # the first ones would be read as churn: open no more than it takes (its log says when it lowered the cap).
  local open=$n cap
  cap=$(sed -n 's/.*Connection cap lowered from [0-9]* to \([0-9]*\).*/\1/p' "$WORK/meshgw.log" | head -1)
  if [ -n "$cap" ] && [ "$n" -gt "$cap" ]; then
    echo "meshgw caps itself at $cap connections (open-files limit $(ulimit -n)): opening $cap of $n" >&2
    open=$cap
  fi
  "$PY" -I "$HELPER" open --target 127.0.0.1:$PROXY_PORT --connections 50 --hello "$HELLO" --hold 0 >/dev/null
  sleep 1
  d0=$(memory $pid); r0=$(rss $pid); f0=$(fds $pid)
  [ "$mode" = idle ] && helloarg=(--hello "$HELLO")
  t0=$(date +%s%N)
  "$PY" -I "$HELPER" open --target 127.0.0.1:$PROXY_PORT --connections "$open" "${helloarg[@]}" --watch-pid $pid > "$WORK/open.out" &
  client=$!; PIDS+=($client)
  for _ in $(seq 1200); do grep -q '^READY' "$WORK/open.out" && break; sleep 0.05; done
  # meshgw has taken every connection it will take (all, or up to its cap) once its descriptors stop moving for 0.5 s.
  local last=-1 still=0
  for _ in $(seq 200); do
    f1=$(fds $pid)
    if [ "$f1" = "$last" ]; then still=$((still + 1)); [ $still -ge 5 ] && break; else still=0; last=$f1; fi
    sleep 0.1
  done
  d1=$(memory $pid); r1=$(rss $pid); f1=$(fds $pid); h=$(held $pid)
  t1=$(date +%s%N)
  kill $client 2>/dev/null || true; wait $client 2>/dev/null || true
  kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true
  printf '%s %s %s %s %s %s %s %s %s\n' "$round" "$mode" "$n" "$h" "$((d1 - d0))" "$((r1 - r0))" "$((f1 - f0))" \
    "$(( (t1 - t0) / 1000000 ))" "$(sed -n 's/^READY //p' "$WORK/open.out")" >> "$ROWS"
  awk -v m="$mode" -v n="$n" -v h="$h" -v d="$((d1 - d0))" -v r="$((r1 - r0))" -v f="$((f1 - f0))" -v ms="$(( (t1 - t0) / 1000000 ))" \
    'BEGIN { printf "%-6s %6d asked, %6d held: %6.2f KB private dirty/conn, %6.2f KB RSS/conn, %.2f fds/conn, read %d ms after the first connect\n", m, n, h, h ? d / h : 0, h ? r / h : 0, h ? f / h : 0, ms }' >&2
  sleep 1
}

for round in $(seq "$ROUNDS"); do
  for n in $COUNTS; do measure silent "$n" "$round"; done
  for n in $IDLE_COUNTS; do measure idle "$n" "$round"; done
done

# Median per (mode, count) over the rounds.
report() {
  echo "| connections | asked | held | private dirty KB/conn | RSS KB/conn | descriptors/conn | read after (ms) |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  sort -k2,2r -k3,3n "$ROWS" | awk '
    function med(a, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t } return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
    function flush() { if (k) printf "| %s | %d | %d | %.2f | %.2f | %.2f | %d |\n", mode, n, med(H, k), med(D, k), med(R, k), med(F, k), med(T, k); k = 0 }
    { if ($2 != mode || $3 != n) { flush(); mode = $2; n = $3 }
      k++; H[k] = $4; D[k] = $4 ? $5 / $4 : 0; R[k] = $4 ? $6 / $4 : 0; F[k] = $4 ? $7 / $4 : 0; T[k] = $8 }
    END { flush() }'
}
if [ -n "$OUT" ]; then report > "$OUT"; cat "$OUT"; else report; fi
