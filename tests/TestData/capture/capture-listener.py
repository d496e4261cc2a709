#!/usr/bin/env python3
"""Tiny ClientHello capture listener (loopback only).

Listens on 127.0.0.1:PORT, accepts ONE connection and records every byte the
client sends, record by record (RFC 8446 §5.1: 1-byte type, 2-byte version,
2-byte length), until the handshake message of type 1 (ClientHello, RFC 8446
§4) is complete, however many records it spans. Writes those bytes (record
headers included, from the first byte through the end of the record that
completes the hello) to OUT and closes the connection without answering.

Usage: capture-listener.py PORT OUT [TIMEOUT_SECONDS]
Prints "listening <port>" once the socket is bound (PORT 0 = ephemeral).
Exit codes: 0 captured; 1 not a TLS handshake / EOF / timeout.
"""
import socket
import sys


def read_exact(conn, n, sink):
    buf = b""
    while len(buf) < n:
        chunk = conn.recv(n - len(buf))
        if not chunk:
            raise EOFError(f"EOF after {len(sink) + len(buf)} bytes")
        buf += chunk
    sink += buf
    return buf


def main():
    port = int(sys.argv[1])
    out = sys.argv[2]
    timeout = float(sys.argv[3]) if len(sys.argv) > 3 else 30.0
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", port))
    srv.listen(1)
    srv.settimeout(timeout)
    print(f"listening {srv.getsockname()[1]}", flush=True)
    try:
        conn, _ = srv.accept()
    except socket.timeout:
        print(f"no connection within {timeout} s", file=sys.stderr)
        return 1
    conn.settimeout(timeout)
    raw = bytearray()        # every byte received, record headers included
    handshake = bytearray()  # reassembled handshake-layer bytes
    records = 0
    try:
        while True:
            header = read_exact(conn, 5, raw)
            content_type, major, length = header[0], header[1], (header[3] << 8) | header[4]
            if content_type != 0x16 or major != 3:
                print(f"not a TLS handshake record: {header.hex()}", file=sys.stderr)
                return 1
            handshake += read_exact(conn, length, raw)
            records += 1
            if len(handshake) >= 4:
                if handshake[0] != 1:
                    print(f"handshake type {handshake[0]} is not ClientHello", file=sys.stderr)
                    return 1
                body = (handshake[1] << 16) | (handshake[2] << 8) | handshake[3]
                if len(handshake) >= 4 + body:
                    break
    except (EOFError, socket.timeout) as e:
        print(f"incomplete: {e}", file=sys.stderr)
        return 1
    finally:
        conn.close()
        srv.close()
    with open(out, "wb") as f:
        f.write(raw)
    print(f"captured {len(raw)} bytes in {records} record(s) -> {out}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
