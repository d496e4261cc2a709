#!/usr/bin/env bash
# Captures the ClientHello that Chromium and Firefox ESR send for a fully qualified URL with a trailing dot
# (https://web.default.dc1.internal.<td>.consul.:PORT/): issue 14 item 4. NOT run in CI (it starts browsers).
#
#   bash tests/TestData/capture/capture-browser-trailing-dot.sh                  # both browsers
#   bash tests/TestData/capture/capture-browser-trailing-dot.sh firefox-esr-trailing-dot
#
# Needs /usr/bin/chromium, firefox-esr, python3 and tshark (for decode.py). Each capture: capture-listener.py listens
# on 127.0.0.1 (an ephemeral port), the browser is pointed at the trailing-dot URL with every name resolved to
# 127.0.0.1, the listener keeps every byte up to the end of the ClientHello in client-hellos/<name>.bin and closes
# without answering; the browser's process group is then killed. decode.py writes <name>.json (tshark's values).
# Only 127.0.0.1 is ever contacted: Chromium maps every name to it; Firefox's network.dns.forceResolve does the same.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$(cd "$HERE/../client-hellos" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
. "$HERE/capture-lib.sh"

TD=11111111-2222-3333-4444-555555555555.consul
HOST="web.default.dc1.internal.$TD."

# capture NAME TOOL NOTES COMMAND: COMMAND may use $PORT (the listener's port) and $PROFILE (an empty directory).
capture() {
  local name=$1 tool=$2 notes=$3 cmd=$4
  echo "== $name"
  rm -f "$OUT/$name.bin"
  python3 "$HERE/capture-listener.py" 0 "$OUT/$name.bin" "${LISTEN_TIMEOUT:-120}" > "$WORK/$name.listener.log" 2>&1 &
  local lpid=$! port=""
  for _ in $(seq 100); do
    port=$(sed -n 's/^listening //p' "$WORK/$name.listener.log")
    [[ -n $port ]] && break
    sleep 0.1
  done
  [[ -n $port ]] || { echo "!! $name: listener did not start" >&2; return 1; }
  local profile="$WORK/$name.profile"
  mkdir -p "$profile"
  if [[ $name == firefox* ]]; then
    firefox_prefs > "$profile/user.js"
  fi
  (cd "$HERE" && PORT=$port PROFILE=$profile HOME="$WORK" exec setsid bash -c "$cmd" < /dev/null > "$WORK/$name.client.log" 2>&1) &
  finish_capture "$name" "$lpid" $! || return 1
  python3 "$HERE/decode.py" "$OUT/$name.bin" "$OUT/$name.json" "$name" "$tool" "${cmd//\$PORT/$port}" "$notes"
}

# A throw-away profile: every name resolves to 127.0.0.1, no DNS-over-HTTPS, no background services.
firefox_prefs() {
  cat <<'EOF'
user_pref("network.dns.forceResolve", "127.0.0.1");
user_pref("network.trr.mode", 5);
user_pref("network.http.http3.enable", false);
user_pref("network.captive-portal-service.enabled", false);
user_pref("network.connectivity-service.enabled", false);
user_pref("browser.shell.checkDefaultBrowser", false);
user_pref("browser.startup.homepage_override.mstone", "ignore");
user_pref("app.update.enabled", false);
user_pref("datareporting.policy.dataSubmissionEnabled", false);
user_pref("toolkit.telemetry.enabled", false);
user_pref("browser.safebrowsing.malware.enabled", false);
user_pref("browser.safebrowsing.phishing.enabled", false);
user_pref("extensions.update.enabled", false);
user_pref("security.OCSP.enabled", 0);
EOF
}

run_one() {
  case $1 in
  chromium-trailing-dot)
    capture chromium-trailing-dot "chromium --headless" \
      "$(chromium --version 2>/dev/null); URL typed fully qualified (trailing dot): Chromium keeps the dot in the SNI." \
      "chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync --user-data-dir=\$PROFILE --host-resolver-rules='MAP * 127.0.0.1' https://$HOST:\$PORT/" ;;
  firefox-esr-trailing-dot)
    capture firefox-esr-trailing-dot "firefox-esr --headless" \
      "$(firefox-esr --version 2>/dev/null); URL typed fully qualified (trailing dot); profile prefs network.dns.forceResolve=127.0.0.1, network.trr.mode=5, HTTP/3 off." \
      "firefox-esr --headless --no-remote --profile \$PROFILE https://$HOST:\$PORT/" ;;
  *) echo "unknown capture $1" >&2; return 2 ;;
  esac
}

failed=()
for name in "${@:-chromium-trailing-dot firefox-esr-trailing-dot}"; do
  for one in $name; do run_one "$one" || failed+=("$one"); done
done
if ((${#failed[@]})); then
  echo "failed: ${failed[*]}" >&2
  exit 1
fi
