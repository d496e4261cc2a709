#!/usr/bin/env bash
# Regenerates tests/TestData/client-hellos/<name>.bin + <name>.json from real TLS clients.
# NOT run in CI: it installs Debian packages (root, apt-get) and starts real clients on loopback.
#
#   sudo bash tests/TestData/capture/capture.sh                # install, capture every client, decode
#   sudo bash tests/TestData/capture/capture.sh curl chromium  # only these captures
#   DECODE_ONLY=1 bash tests/TestData/capture/capture.sh       # keep the .bin files, recompute the .json
#   NO_INSTALL=1 ...                                           # skip apt-get
#
# Each capture: capture-listener.py listens on 127.0.0.1:$PORT, the client connects, the listener
# keeps every byte up to the end of the ClientHello (as many records as it takes) in <name>.bin and
# closes; the client is then stopped. decode.py wraps the .bin in a pcap and reads the expected
# SNI/ALPN/JA3 with tshark into <name>.json. Only 127.0.0.1 is ever contacted.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$(cd "$HERE/../client-hellos" && pwd)
PORT=${PORT:-44301}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
. "$HERE/capture-lib.sh"

# Consul-style SNIs (shared/spec/consul.md §2): trust domain <cluster-id>.consul.
TD=11111111-2222-3333-4444-555555555555.consul

install_deps() {
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
    openssl curl gnutls-bin default-jre-headless chromium tshark python3 ca-certificates
  command -v node >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs
  command -v dotnet >/dev/null || echo "warning: dotnet (SDK 10) not found; the dotnet-sslstream capture will fail" >&2
}

record_versions() {
  {
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "os: $(. /etc/os-release && echo "$PRETTY_NAME") $(uname -m)"
    echo "openssl: $(openssl version)"
    echo "curl: $(curl --version | head -n1)"
    echo "gnutls-cli: $(gnutls-cli --version 2>/dev/null | head -n1)"
    echo "node: $(node --version) (openssl $(node -p process.versions.openssl))"
    echo "python: $(python3 --version 2>&1) ($(python3 -c 'import ssl; print(ssl.OPENSSL_VERSION)'))"
    echo "java: $(java -version 2>&1 | head -n1)"
    echo "dotnet: $(dotnet --version 2>/dev/null || echo missing) ($(dotnet --list-runtimes 2>/dev/null | grep NETCore.App | tail -n1))"
    echo "chromium: $(chromium --version 2>/dev/null)"
    echo "tshark: $(tshark --version | head -n1)"
  } > "$HERE/versions.txt"
  cat "$HERE/versions.txt"
}

# capture NAME TOOL NOTES COMMAND
# COMMAND is one shell string, run from $HERE (the capture folder) and recorded verbatim in the .json.
capture() {
  local name=$1 tool=$2 notes=$3 cmd=$4
  if [[ -z ${DECODE_ONLY:-} ]]; then
    echo "== $name: $cmd"
    rm -f "$OUT/$name.bin"
    python3 "$HERE/capture-listener.py" "$PORT" "$OUT/$name.bin" "${LISTEN_TIMEOUT:-120}" > "$WORK/$name.listener.log" 2>&1 &
    local lpid=$!
    for _ in $(seq 50); do grep -q '^listening' "$WORK/$name.listener.log" && break; sleep 0.1; done
    (cd "$HERE" && TMPDIR="$WORK" exec setsid bash -c "$cmd" < /dev/null > "$WORK/$name.client.log" 2>&1) &
    finish_capture "$name" "$lpid" $! || return 1
  fi
  python3 "$HERE/decode.py" "$OUT/$name.bin" "$OUT/$name.json" "$name" "$tool" "$cmd" "$notes"
}

v() { grep "^$1: " "$HERE/versions.txt" | cut -d' ' -f2-; }

run_one() {
  case $1 in
  openssl-tls12)
    capture openssl-tls12 "openssl s_client" "$(v openssl); TLS 1.2 only: no supported_versions extension, JA4 version from legacy_version 0x0303." \
      "openssl s_client -connect 127.0.0.1:$PORT -servername web.default.dc2.internal.$TD -alpn h2,http/1.1 -tls1_2" ;;
  openssl-tls13)
    capture openssl-tls13 "openssl s_client" "$(v openssl); TLS 1.3 only (supported_versions = 0304), X25519 key share." \
      "openssl s_client -connect 127.0.0.1:$PORT -servername api.default.dc2.internal.$TD -alpn h2,http/1.1 -tls1_3" ;;
  openssl-default)
    capture openssl-default "openssl s_client" "$(v openssl); default settings: offers TLS 1.3 and 1.2 (supported_versions 0304, 0303)." \
      "openssl s_client -connect 127.0.0.1:$PORT -servername api.default.part1.dc2.internal-v1.$TD -alpn h2,http/1.1" ;;
  openssl-max-send-frag)
    capture openssl-max-send-frag "openssl s_client" "$(v openssl); multi-record: -max_send_frag 512 makes OpenSSL cut the handshake into records of at most 512 bytes; -groups ffdhe8192 puts a 1024-byte FFDHE key share first so the hello needs 3 records; both cuts fall inside the key_share extension." \
      "openssl s_client -connect 127.0.0.1:$PORT -servername db.default.dc2.internal.$TD -alpn h2,http/1.1 -tls1_3 -groups ffdhe8192:X25519 -max_send_frag 512" ;;
  openssl-split-send-frag)
    capture openssl-split-send-frag "openssl s_client" "$(v openssl); multi-record: -split_send_frag 512 (with -max_pipelines 2) also cuts the handshake into records of at most 512 bytes; a 768-byte ffdhe6144 key share so the hello needs 2 records." \
      "openssl s_client -connect 127.0.0.1:$PORT -servername cache.default.dc2.internal.$TD -alpn http/1.1 -tls1_3 -groups ffdhe6144 -split_send_frag 512 -max_pipelines 2" ;;
  openssl-psk)
    local psk_port=$((PORT + 1))
    capture openssl-psk "openssl s_client" "$(v openssl); TLS 1.3 resumption: a first, complete handshake with a real openssl s_server on 127.0.0.1:$psk_port saves a session ticket (-sess_out), then the captured hello offers it (-sess_in): pre_shared_key (0x0029) is the last extension, after psk_key_exchange_modes." \
      "d=\$(mktemp -d) && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=psk-test -keyout \$d/k.pem -out \$d/c.pem -days 1 && (sleep 4 | openssl s_server -accept 127.0.0.1:$psk_port -cert \$d/c.pem -key \$d/k.pem -naccept 1 -alpn h2 &) && sleep 1 && sleep 1 | openssl s_client -connect 127.0.0.1:$psk_port -servername web.default.dc2.internal.$TD -alpn h2,http/1.1 -sess_out \$d/sess.pem; openssl s_client -connect 127.0.0.1:$PORT -servername web.default.dc2.internal.$TD -alpn h2,http/1.1 -sess_in \$d/sess.pem" ;;
  openssl-no-sni)
    capture openssl-no-sni "openssl s_client" "$(v openssl); -noservername: no server_name extension (JA4 'i'), like a client connecting by IP address." \
      "openssl s_client -connect 127.0.0.1:$PORT -noservername -alpn h2,http/1.1" ;;
  curl)
    capture curl "curl" "$(v curl); curl's default ALPN h2, http/1.1; --resolve pins the name to 127.0.0.1 so the SNI is the URL host." \
      "curl -sk --max-time 20 --resolve web.default.dc2.internal.$TD:$PORT:127.0.0.1 https://web.default.dc2.internal.$TD:$PORT/" ;;
  gnutls-cli)
    capture gnutls-cli "gnutls-cli" "$(v gnutls-cli); GnuTLS default priority string." \
      "gnutls-cli --insecure --sni-hostname=payments.default.dc3.internal.$TD --alpn=h2 --alpn=http/1.1 -p $PORT 127.0.0.1" ;;
  node)
    capture node "node tls.connect" "$(v node); Node's bundled OpenSSL, default cipher list." \
      "node -e \"const tls = require('tls'); const s = tls.connect({ host: '127.0.0.1', port: $PORT, servername: 'api.billing.finance.dc2.internal-v1.$TD', ALPNProtocols: ['h2', 'http/1.1'], rejectUnauthorized: false }); s.on('error', e => console.error(e.message));\"" ;;
  python-ssl)
    capture python-ssl "python3 ssl" "$(v python); ssl.create_default_context() with verification off, set_alpn_protocols(['h2', 'http/1.1'])." \
      "python3 python-client.py 127.0.0.1 $PORT orders.default.dc1.query.$TD" ;;
  java)
    capture java "java SSLSocket" "$(v java); SSLContext TLS, SNIHostName + setApplicationProtocols via SSLParameters; single-file source launcher." \
      "java Hello.java 127.0.0.1 $PORT web.default.default.peer1.external.$TD" ;;
  dotnet-sslstream)
    capture dotnet-sslstream ".NET SslStream" "$(v dotnet); SslStream.AuthenticateAsClientAsync with TargetHost and ApplicationProtocols h2, http/1.1 (system OpenSSL on Linux). The .cs file is copied to a temporary folder first so the repository's Directory.Build.props do not apply to it." \
      "d=\$(mktemp -d) && cp dotnet-client.cs \$d/ && dotnet run \$d/dotnet-client.cs -- 127.0.0.1 $PORT v2.cache.default.dc2.internal.$TD" ;;
  chromium)
    capture chromium "chromium --headless" "$(v chromium); Chrome-like hello: GREASE, permuted extension order (differs per run, the JA3 with it; JA4 sorts and is stable), X25519MLKEM768 key share, GREASE ECH (fe0d), ALPS, compressed certificates." \
      "chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync --user-data-dir=\$(mktemp -d) --host-resolver-rules='MAP web.default.dc2.internal.$TD 127.0.0.1' https://web.default.dc2.internal.$TD:$PORT/" ;;
  *) echo "unknown capture $1" >&2; return 2 ;;
  esac
}

ALL=(openssl-tls12 openssl-tls13 openssl-default openssl-max-send-frag openssl-split-send-frag openssl-psk openssl-no-sni
     curl gnutls-cli node python-ssl java dotnet-sslstream chromium)

[[ -n ${NO_INSTALL:-}${DECODE_ONLY:-} ]] || install_deps
[[ -n ${DECODE_ONLY:-} ]] || record_versions
failed=()
for name in "${@:-${ALL[@]}}"; do
  run_one "$name" || failed+=("$name")
done
if ((${#failed[@]})); then
  echo "failed: ${failed[*]}" >&2
  exit 1
fi
