#!/usr/bin/env python3
"""Python ssl client for capture.sh: connect, send a ClientHello with SNI and ALPN, wait for the peer to close."""
import socket
import ssl
import sys

host, port, sni = sys.argv[1], int(sys.argv[2]), sys.argv[3]
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
ctx.set_alpn_protocols(["h2", "http/1.1"])
print(ssl.OPENSSL_VERSION, file=sys.stderr)
with socket.create_connection((host, port), timeout=30) as raw:
    try:
        with ctx.wrap_socket(raw, server_hostname=sni):
            pass
    except (ssl.SSLError, OSError) as e:
        print(f"handshake ended as expected: {e}", file=sys.stderr)
