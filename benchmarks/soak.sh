#!/usr/bin/env bash
# Soak test of `meshgw gateway` (not run in CI): N minutes of mixed connection churn, SHA-256-checked bulk
# transfers and misbehaving clients (resets mid-hello and mid-stream, early FINs, plaintext, stalls), with the
# gateway's RSS and open file descriptors sampled every round. Fails on any integrity failure, any failed
# well-behaved connection, or RSS / descriptor growth between the first and last rounds.
#   benchmarks/soak.sh [MINUTES]      (default 5; loopback only; cleans up every process it starts)
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-5}
td=11111111-2222-3333-4444-555555555555.consul
hellos=tests/TestData/client-hellos
gateway_port=18443 bulk_port=19102 churn_port=19101
out=artifacts/soak
mkdir -p "$out"

dotnet build src/MeshGateway.Cli -c Release -v q -nologo >/dev/null
dotnet build benchmarks/MeshGateway.LoadGen -c Release -v q -nologo >/dev/null
meshgw=(dotnet src/MeshGateway.Cli/bin/Release/net10.0/meshgw.dll)
loadgen=(dotnet benchmarks/MeshGateway.LoadGen/bin/Release/net10.0/meshgw-loadgen.dll)

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

"${loadgen[@]}" echo --listen 127.0.0.1:$bulk_port > "$out/echo-bulk.log" 2>&1 & pids+=($!)
"${loadgen[@]}" echo --listen 127.0.0.1:$churn_port --banner 1 > "$out/echo-churn.log" 2>&1 & pids+=($!)
# web.default.dc2.internal.<td> (curl's hello) → the echo backend; api.… (openssl's TLS 1.3 hello) → the banner backend.
"${meshgw[@]}" gateway --listen 127.0.0.1:$gateway_port --datacenter dc2 --trust-domain $td \
  --service web=127.0.0.1:$bulk_port --service api=127.0.0.1:$churn_port > "$out/gateway.log" 2>&1 & gateway=$!
pids+=($gateway)
for _ in $(seq 1 100); do grep -q "listening on" "$out/gateway.log" 2>/dev/null && break; sleep 0.2; done
grep -q "listening on" "$out/gateway.log" || { echo "gateway did not start"; cat "$out/gateway.log"; exit 1; }

rss() { awk '/VmRSS/ {print $2}' "/proc/$gateway/status"; }
fds() { ls "/proc/$gateway/fd" | wc -l; }
target=127.0.0.1:$gateway_port
deadline=$(( $(date +%s) + minutes * 60 ))
round=0 failures=0 first_rss= first_fds=
printf '%-6s %-10s %-8s %-8s %s\n' round rss_kib fds churn_cps bulk
while [ "$(date +%s)" -lt "$deadline" ]; do
  round=$((round + 1))
  set +e
  "${loadgen[@]}" churn --target $target --hello $hellos/openssl-tls13.bin --seconds 20 --concurrency 16 > "$out/churn.txt" 2>&1 & c=$!
  "${loadgen[@]}" faults --target $target --hello $hellos/curl.bin --seconds 20 --concurrency 4 > "$out/faults.txt" 2>&1 & f=$!
  "${loadgen[@]}" bulk --target $target --hello $hellos/curl.bin --megabytes 64 --streams 2 > "$out/bulk.txt" 2>&1; b=$?
  wait $c; cs=$?
  wait $f
  set -e
  [ "$b" -eq 0 ] && [ "$cs" -eq 0 ] || failures=$((failures + 1))
  sleep 2   # let closing connections finish before sampling
  r=$(rss) d=$(fds)
  [ -n "$first_rss" ] || { first_rss=$r; first_fds=$d; }
  printf '%-6s %-10s %-8s %-8s %s\n' "$round" "$r" "$d" \
    "$(grep -oE 'per_second=[0-9.]+' "$out/churn.txt" | cut -d= -f2)" "$(grep -oE 'gbps=[0-9.]+ integrity_failures=[0-9]+' "$out/bulk.txt")"
  cat "$out/faults.txt" >> "$out/faults-all.txt"
done

last_rss=$(rss) last_fds=$(fds)
echo "rounds=$round failed_rounds=$failures rss_kib=$first_rss->$last_rss fds=$first_fds->$last_fds"
status=0
[ "$failures" -eq 0 ] || { echo "FAIL: $failures round(s) had a failed transfer or connection"; status=1; }
[ "$last_fds" -le $((first_fds + 16)) ] || { echo "FAIL: file descriptors grew"; status=1; }
[ "$last_rss" -le $((first_rss * 3 / 2)) ] || { echo "FAIL: RSS grew by more than half"; status=1; }
[ "$status" -eq 0 ] && echo "PASS"
exit $status
