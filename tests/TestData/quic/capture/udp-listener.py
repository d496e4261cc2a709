#!/usr/bin/env python3
"""A UDP listener on loopback that never answers: it writes each datagram it receives as a 16-bit big-endian
length followed by the datagram (the format `meshgw sniff --quic` reads).

    udp-listener.py PORT OUT_FILE [--max N] [--idle SECONDS]

Only datagrams from the first sender (address and port) are kept: a browser that gets no answer retries with a new
connection (new port, new Destination Connection ID), and one capture is one connection attempt. Stops after N
datagrams from that sender (default 6) or after SECONDS without any datagram (default 8).
"""
import argparse
import socket
import struct
import sys

parser = argparse.ArgumentParser()
parser.add_argument("port", type=int)
parser.add_argument("out")
parser.add_argument("--max", type=int, default=6)
parser.add_argument("--idle", type=float, default=8.0)
args = parser.parse_args()

sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.bind(("127.0.0.1", args.port))
sock.settimeout(args.idle)
first = None
kept = 0
with open(args.out, "wb") as out:
    while kept < args.max:
        try:
            data, sender = sock.recvfrom(65535)
        except socket.timeout:
            break
        if first is None:
            first = sender
        if sender != first:
            continue
        out.write(struct.pack(">H", len(data)) + data)
        out.flush()
        kept += 1
print(f"kept {kept} datagrams from {first}", file=sys.stderr)
