#!/usr/bin/env python3
"""Wraps length-prefixed datagrams (16-bit big-endian length + datagram) in IPv4/UDP and writes a pcap
(LINKTYPE_RAW), so that tshark can decode the QUIC Initial packets: to-pcap.py IN_FILE OUT_PCAP [UDP_PORT]."""
import struct
import sys


def records(data):
    i = 0
    while i < len(data):
        (n,) = struct.unpack(">H", data[i:i + 2])
        yield data[i + 2:i + 2 + n]
        i += 2 + n


def checksum(header):
    total = sum(struct.unpack("!%dH" % (len(header) // 2), header))
    total = (total >> 16) + (total & 0xFFFF)
    total += total >> 16
    return ~total & 0xFFFF


data = open(sys.argv[1], "rb").read()
port = int(sys.argv[3]) if len(sys.argv) > 3 else 443
with open(sys.argv[2], "wb") as out:
    out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 101))
    for number, datagram in enumerate(records(data)):
        udp = struct.pack("!HHHH", 50000, port, 8 + len(datagram), 0) + datagram
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), number, 0, 64, 17, 0, bytes([127, 0, 0, 1]), bytes([127, 0, 0, 1]))
        ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
        packet = ip + udp
        out.write(struct.pack("<IIII", number, 0, len(packet), len(packet)) + packet)
