#!/usr/bin/env python3
"""Writes the expected values of one QUIC capture, read by tshark from a pcap of its datagrams:
expected.py NAME TOOL COMMAND PCAP > NAME.json. tshark decrypts the Initial packets itself."""
import json
import subprocess
import sys

name, tool, command, pcap = sys.argv[1:5]
fields = ["frame.number", "quic.version", "quic.dcid", "tls.handshake.extensions_server_name",
          "tls.handshake.extensions_alpn_str", "tls.handshake.ja3", "tls.handshake.ja3_full"]
args = ["tshark", "-r", pcap, "-d", "udp.port==443,quic", "-T", "fields", "-E", "separator=\t", "-E", "occurrence=a", "-E", "aggregator=,"]
for field in fields:
    args += ["-e", field]
rows = [line.split("\t") for line in subprocess.run(args, capture_output=True, text=True, check=True).stdout.splitlines()]
hello = next(r for r in rows if r[5])
first = rows[0]
version = first[1].split(",")[0]
print(json.dumps({
    "name": name,
    "tool": tool,
    "command": command,
    "sni": hello[3] or None,
    "alpn": hello[4].split(",") if hello[4] else [],
    "ja3": hello[5],
    "ja3String": hello[6],
    "quic_version": "0x%08x" % int(version, 16),
    "dcid": first[2].split(",")[0].replace(":", ""),
    "datagrams": int(hello[0]),
    "ja4": None,
}, indent=2))
