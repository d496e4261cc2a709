#!/usr/bin/env python3
"""Expected values for a captured ClientHello, from an independent decoder (tshark).

Wraps NAME.bin as the client->server payload of a synthetic TCP stream
(127.0.0.1:50000 -> 127.0.0.1:443, SYN/SYN-ACK/ACK then 1460-byte segments)
in a classic pcap file, runs tshark on it and writes NAME.json with exactly:
name, tool, command, sni, alpn, ja3, ja3String, ja4, records, length, notes.

sni/alpn/ja3/ja3String/records come from tshark's TLS dissector. length is
the size of the .bin. ja4 is null when tshark has no tls.handshake.ja4 field
(Wireshark < 4.2, e.g. Debian 12's 4.0); see README.md.

Usage: decode.py BIN JSON NAME TOOL COMMAND NOTES
"""
import json
import os
import struct
import subprocess
import sys
import tempfile

CLIENT = (b"\x7f\x00\x00\x01", 50000)
SERVER = (b"\x7f\x00\x00\x01", 443)
MSS = 1460


def checksum(data):
    if len(data) % 2:
        data += b"\x00"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def packet(src, dst, seq, ack, flags, payload=b""):
    tcp = struct.pack("!HHIIBBHHH", src[1], dst[1], seq, ack, 5 << 4, flags, 65535, 0, 0) + payload
    pseudo = src[0] + dst[0] + struct.pack("!BBH", 0, 6, len(tcp))
    tcp = tcp[:16] + struct.pack("!H", checksum(pseudo + tcp)) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 0, 0x4000, 64, 6, 0, src[0], dst[0])
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    eth = b"\x00" * 12 + b"\x08\x00"
    return eth + ip + tcp


def write_pcap(path, payload):
    syn, ack, psh = 0x02, 0x10, 0x08
    cseq, sseq = 1000, 5000
    pkts = [
        packet(CLIENT, SERVER, cseq, 0, syn),
        packet(SERVER, CLIENT, sseq, cseq + 1, syn | ack),
        packet(CLIENT, SERVER, cseq + 1, sseq + 1, ack),
    ]
    off = 0
    while off < len(payload):
        seg = payload[off:off + MSS]
        pkts.append(packet(CLIENT, SERVER, cseq + 1 + off, sseq + 1, psh | ack, seg))
        off += len(seg)
        pkts.append(packet(SERVER, CLIENT, sseq + 1, cseq + 1 + off, ack))
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
        for i, p in enumerate(pkts):
            f.write(struct.pack("<IIII", 1700000000, i * 1000, len(p), len(p)))
            f.write(p)


def tshark_fields(pcap, fields):
    cmd = ["tshark", "-n", "-r", pcap, "-d", "tcp.port==443,tls",
           "-o", "tcp.desegment_tcp_streams:TRUE", "-o", "tls.desegment_ssl_records:TRUE",
           "-o", "tls.desegment_ssl_application_data:TRUE",
           "-Y", "tcp.srcport==50000", "-T", "json"]
    for f in fields:
        cmd += ["-e", f]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    merged = {f: [] for f in fields}
    for frame in json.loads(out or "[]"):
        layer = frame["_source"]["layers"]
        for f in fields:
            merged[f] += layer.get(f, [])
    return merged


def is_grease(v):
    # RFC 8701: 0x0a0a, 0x1a1a, ..., 0xfafa
    return (v & 0x0F0F) == 0x0A0A and (v >> 8) == (v & 0xFF)


def sigalgs_of_extension_13(tree):
    """signature_algorithms (0x000d) entries in wire order, from tshark's dissection tree.

    tls.handshake.sig_hash_alg also occurs in signature_algorithms_cert (0x0032), so the
    flat field list cannot be used (research/ja4.md §2.6)."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("tls.handshake.extension.type") == "13":
                algs = node.get("tls.handshake.sig_hash_algs", {}).get("tls.handshake.sig_hash_alg", [])
                found.append(algs if isinstance(algs, list) else [algs])
                return
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(tree)
    return found[0] if found else None


def ja4_from_tshark_fields(pcap):
    """JA4 (FoxIO technical_details/JA4.md) assembled from the fields tshark decoded.

    Not an independent JA4 implementation: only the field decoding is tshark's; the
    formula is written here from the spec. Goes into notes, not into the ja4 key."""
    import hashlib
    v = tshark_fields(pcap, ["tls.handshake.ciphersuite", "tls.handshake.extension.type",
                             "tls.handshake.extensions.supported_version", "tls.handshake.version",
                             "tls.handshake.extensions_alpn_str"])
    tree = json.loads(subprocess.run(
        ["tshark", "-n", "-r", pcap, "-d", "tcp.port==443,tls", "-Y", "tls.handshake.type==1",
         "-T", "json", "--no-duplicate-keys", "-O", "tls"],
        check=True, capture_output=True, text=True).stdout)
    ciphers = [int(c, 16) for c in v["tls.handshake.ciphersuite"] if not is_grease(int(c, 16))]
    exts = [int(e) for e in v["tls.handshake.extension.type"] if not is_grease(int(e))]
    versions = [int(x, 16) for x in v["tls.handshake.extensions.supported_version"] if not is_grease(int(x, 16))]
    version = max(versions) if 0x002B in exts and versions else int(v["tls.handshake.version"][0], 16)
    vcode = {0x0304: "13", 0x0303: "12", 0x0302: "11", 0x0301: "10", 0x0300: "s3"}.get(version, "00")
    alpn = v["tls.handshake.extensions_alpn_str"]
    first = alpn[0] if alpn else ""
    if not first:
        acode = "00"
    elif first[0].isascii() and first[0].isalnum() and first[-1].isascii() and first[-1].isalnum():
        acode = first[0] + first[-1]
    else:
        h = first.encode().hex()
        acode = h[0] + h[-1]
    a = f"t{vcode}{'d' if 0 in exts else 'i'}{min(len(ciphers), 99):02d}{min(len(exts), 99):02d}{acode}"

    def h12(text):
        return hashlib.sha256(text.encode()).hexdigest()[:12]

    b = h12(",".join(f"{c:04x}" for c in sorted(ciphers))) if ciphers else "000000000000"
    c_exts = sorted(e for e in exts if e not in (0x0000, 0x0010))
    c_text = ",".join(f"{e:04x}" for e in c_exts)
    sigalgs = sigalgs_of_extension_13(tree)
    if sigalgs is not None:
        c_text += "_" + ",".join(f"{int(s, 16):04x}" for s in sigalgs if not is_grease(int(s, 16)))
    c = h12(c_text) if c_exts else "000000000000"
    return f"{a}_{b}_{c}"


def framing_note(payload):
    sizes, off = [], 0
    while off < len(payload):
        n = int.from_bytes(payload[off + 3:off + 5], "big")
        sizes.append(n)
        off += 5 + n
    hs_len = int.from_bytes(payload[6:9], "big")
    return (f"record version 0x{payload[1:3].hex()}, record body sizes {sizes}, "
            f"ClientHello handshake length {hs_len} (+4 header)")


TSHARK_VERSION = ""


def main():
    global TSHARK_VERSION
    TSHARK_VERSION = subprocess.run(["tshark", "--version"], check=True, capture_output=True,
                                    text=True).stdout.splitlines()[0].split(" (Git")[0]
    bin_path, json_path, name, tool, command, notes = sys.argv[1:7]
    payload = open(bin_path, "rb").read()
    with tempfile.TemporaryDirectory() as tmp:
        pcap = os.path.join(tmp, name + ".pcap")
        write_pcap(pcap, payload)
        if os.environ.get("KEEP_PCAP"):
            import shutil
            shutil.copy(pcap, os.environ["KEEP_PCAP"])
        fields = ["tls.handshake.type", "tls.handshake.extensions_server_name",
                  "tls.handshake.extensions_alpn_str", "tls.handshake.ja3",
                  "tls.handshake.ja3_full", "tls.record.length"]
        has_ja4 = "tls.handshake.ja4\t" in subprocess.run(
            ["tshark", "-G", "fields"], check=True, capture_output=True, text=True).stdout
        if has_ja4:
            fields.append("tls.handshake.ja4")
        v = tshark_fields(pcap, fields)
        ja4_note = ja4_from_tshark_fields(pcap)
    if v["tls.handshake.type"] != ["1"]:
        sys.exit(f"{bin_path}: tshark saw handshake types {v['tls.handshake.type']}, expected one ClientHello")
    own_records, off = 0, 0
    while off < len(payload):
        off += 5 + int.from_bytes(payload[off + 3:off + 5], "big")
        own_records += 1
    if off != len(payload) or own_records != len(v["tls.record.length"]):
        sys.exit(f"{bin_path}: record framing disagrees: file walk {own_records} records ending at {off}, "
                 f"tshark {len(v['tls.record.length'])} records, file {len(payload)} bytes")
    sni = v["tls.handshake.extensions_server_name"]
    result = {
        "name": name,
        "tool": tool,
        "command": command,
        "sni": sni[0] if sni else None,
        "alpn": v["tls.handshake.extensions_alpn_str"],
        "ja3": (v["tls.handshake.ja3"] or [None])[0],
        "ja3String": (v["tls.handshake.ja3_full"] or [None])[0],
        "ja4": (v.get("tls.handshake.ja4") or [None])[0],
        "records": len(v["tls.record.length"]),
        "length": len(payload),
        "notes": f"{notes} Framing: {framing_note(payload)}. "
                 + ("" if v.get("tls.handshake.ja4") else
                    f"ja4 is null: {TSHARK_VERSION} has no tls.handshake.ja4 and no independent JA4 "
                    f"implementation is installable from Debian/npm/NuGet; JA4 assembled by decode.py "
                    f"from tshark's decoded fields (not independent): {ja4_note}."),
    }
    with open(json_path, "w") as f:
        json.dump(result, f, indent=2)
        f.write("\n")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
