#!/usr/bin/env bash
# Makes the real QUIC captures in tests/TestData/quic/: Chromium and Firefox ESR, each forced to speak HTTP/3 to a UDP
# listener on 127.0.0.1 that never answers. Not run in CI (it starts real browsers); the captures are committed.
#   tests/TestData/quic/capture/capture.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$(dirname "$here")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
host=web.default.dc2.internal.11111111-2222-3333-4444-555555555555.consul

capture() { # name tool port command...
  local name=$1 tool=$2 port=$3; shift 3
  python3 "$here/udp-listener.py" "$port" "$out/$name.dgrams" --max 6 --idle 8 &
  local listener=$!
  sleep 0.5
  timeout 20 "$@" >"$work/$name.log" 2>&1 || true
  wait "$listener"
  python3 "$here/to-pcap.py" "$out/$name.dgrams" "$work/$name.pcap" 443
  python3 "$here/expected.py" "$name" "$tool" "${*//$work/\$WORK}" "$work/$name.pcap" >"$out/$name.json"
}

capture chromium "$(chromium --version)" 44433 \
  chromium --headless=new --no-sandbox --disable-gpu --user-data-dir="$work/chromium-profile" --enable-quic \
  --origin-to-force-quic-on="$host:44433" --host-resolver-rules="MAP * 127.0.0.1" "https://$host:44433/"

mkdir -p "$work/firefox-profile"
cat >"$work/firefox-profile/user.js" <<PREFS
user_pref("network.http.http3.enable", true);
user_pref("network.http.http3.alt-svc-mapping-for-testing", "$host;h3=:44434");
user_pref("network.http.http3.force-use-alt-svc-mapping-for-testing", true);
user_pref("network.dns.localDomains", "$host");
user_pref("network.http.http3.disable_when_third_party_roots_found", false);
user_pref("datareporting.policy.dataSubmissionEnabled", false);
user_pref("toolkit.telemetry.reportingpolicy.firstRun", false);
PREFS
capture firefox "$(firefox-esr --version)" 44434 \
  firefox-esr --headless --no-remote --profile "$work/firefox-profile" "https://$host:44434/"
