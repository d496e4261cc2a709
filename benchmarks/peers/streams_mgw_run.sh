#!/usr/bin/env bash
# Lets the independent peer harness (../shared/tools/peer-bench/run.sh, which starts "$MGW gateway --listen A
# --datacenter D --trust-domain T --service N=B [MGW_ARGS]") run meshgw with another copy buffer size: `meshgw gateway`
# has no flag for it, so this writes the same gateway as a `meshgw run` configuration file with
# "limits": { "bufferSize": BYTES } and execs `meshgw run --config` (same process id: the harness measures it).
#
#   MGW="benchmarks/peers/streams_mgw_run.sh /path/to/meshgw 65536" ../shared/tools/peer-bench/run.sh
#
# `meshgw run` has no --no-connection-log: its one line per closed connection goes where the harness sends stdout.
set -euo pipefail
MESHGW=$1; SIZE=$2; shift 2
[ "${1:-}" = gateway ] || { echo "expected: MESHGW SIZE gateway --listen … (as the peer harness calls it)" >&2; exit 2; }
shift
listen="" dc="" td="" service=""
while [ $# -gt 0 ]; do
  case $1 in
    --listen) listen=$2; shift ;;
    --datacenter) dc=$2; shift ;;
    --trust-domain) td=$2; shift ;;
    --service) service=$2; shift ;;
    *) echo "unsupported argument $1" >&2; exit 2 ;;
  esac
  shift
done
config=$(mktemp "${TMPDIR:-/tmp}/meshgw-run-$SIZE.XXXXXX.json")
cat > "$config" <<EOF
{
  "mode": "mesh-gateway",
  "datacenter": "$dc",
  "trustDomain": "$td",
  "listeners": [ "$listen" ],
  "services": [ { "name": "${service%%=*}", "endpoints": [ "${service#*=}" ] } ],
  "limits": { "bufferSize": $SIZE }
}
EOF
exec "$MESHGW" run --config "$config"
