#!/usr/bin/env python3
"""Summarises run.sh's CSV: median [min-max] per peer, then MeshGateway's ratios to the peers and the targets."""
import csv, statistics, sys
from collections import defaultdict

rows = list(csv.DictReader(open(sys.argv[1])))
data = defaultdict(list)
peers = []
for r in rows:
    if r["peer"] not in peers:
        peers.append(r["peer"])
    data[(r["peer"], r["scenario"], r["metric"])].append(float(r["value"]))

COLUMNS = [
    ("bulk1", "cpu_s_per_gb", "bulk 1 stream CPU-s/GB"),
    ("bulk1", "gbps", "bulk 1 Gbps"),
    ("bulk4", "cpu_s_per_gb", "bulk 4 streams CPU-s/GB"),
    ("bulk4", "gbps", "bulk 4 Gbps"),
    ("churn", "conn_per_s", "churn conn/s"),
    ("churn", "cpu_us_per_conn", "churn CPU-µs/conn"),
    ("hold", "kb_per_conn", "idle KB/conn"),
    ("pingpong", "p50_us", "p50 µs"),
    ("pingpong", "p99_us", "p99 µs"),
]

def med(peer, scenario, metric):
    v = data.get((peer, scenario, metric))
    return statistics.median(v) if v else None

def cell(peer, scenario, metric):
    v = data.get((peer, scenario, metric))
    if not v:
        return "–"
    m = statistics.median(v)
    fmt = "{:.3f}" if metric == "cpu_s_per_gb" else "{:.1f}" if m < 1000 else "{:.0f}"
    return fmt.format(m) if len(v) == 1 else f"{fmt.format(m)} [{fmt.format(min(v))}–{fmt.format(max(v))}]"

print("Median [min–max] over the rounds. CPU is the proxy's utime+stime; lower is better except Gbps and conn/s.")
print()
print("| peer | " + " | ".join(c[2] for c in COLUMNS) + " |")
print("|---|" + "---|" * len(COLUMNS))
for p in peers:
    print(f"| {p} | " + " | ".join(cell(p, s, m) for s, m, _ in COLUMNS) + " |")
failed = [(p, v) for (p, s, m), vs in data.items() if m == "failed" for v in vs if v > 0]
if failed:
    print()
    print("Failed churn connections: " + ", ".join(f"{p} {int(v)}" for p, v in failed))

def ratio(ours, theirs, scenario, metric):
    a, b = med(ours, scenario, metric), med(theirs, scenario, metric)
    return None if a is None or b is None or b == 0 else a / b

print()
print("## Ratios and targets (MeshGateway ÷ peer, medians of the same run)")
print()
print("| target | ratio | verdict |")
print("|---|---|---|")
def target(label, ours, theirs, scenario, metric, limit, higher_is_better=False):
    r = ratio(ours, theirs, scenario, metric)
    if r is None and "not a target" in label:
        return
    if r is None:
        print(f"| {label} | – | not measured |")
        return
    ok = r >= limit if higher_is_better else r <= limit
    miss = "" if ok else f" (missed by {abs(r - limit) / limit * 100:.0f} %)"
    print(f"| {label} | {r:.2f}× | {'met' if ok else 'missed'}{miss} |")
for s, n in (("bulk1", "1 stream"), ("bulk4", "4 streams")):
    target(f"copy CPU-s/GB ≤ 0.9× HAProxy, {n}", "meshgw", "haproxy", s, "cpu_s_per_gb", 0.9)
    target(f"copy CPU-s/GB ≤ 0.9× nginx, {n}", "meshgw", "nginx", s, "cpu_s_per_gb", 0.9)
    target(f"splice CPU-s/GB ≤ 1.0× HAProxy forced splice, {n}", "meshgw-splice", "haproxy-splice", s, "cpu_s_per_gb", 1.0)
for s, n in (("bulk1", "1 stream"), ("bulk4", "4 streams")):
    target(f"copy, thread-pool completions, CPU-s/GB vs HAProxy, {n} (not a target)", "meshgw-pool", "haproxy", s, "cpu_s_per_gb", 0.9)
    target(f"splice CPU-s/GB vs meshgw copy, {n} (not a target)", "meshgw-splice", "meshgw", s, "cpu_s_per_gb", 1.0)
    target(f"copy CPU-s/GB ≤ 0.9× HAProxy with 256 KiB buffers, {n} (not a target)", "meshgw", "haproxy-bigbuf", s, "cpu_s_per_gb", 0.9)
    target(f"copy CPU-s/GB ≤ 0.9× nginx with 256 KiB buffers, {n} (not a target)", "meshgw", "nginx-bigbuf", s, "cpu_s_per_gb", 0.9)
target("SNI-routed conn/s ≥ 1.0× HAProxy", "meshgw", "haproxy", "churn", "conn_per_s", 1.0, higher_is_better=True)
target("SNI-routed conn/s ≥ 1.0× HAProxy, meshgw-pool (thread-pool completions)", "meshgw-pool", "haproxy", "churn", "conn_per_s", 1.0, higher_is_better=True)
target("SNI-routed conn/s ≥ 1.0× nginx (not a target)", "meshgw", "nginx", "churn", "conn_per_s", 1.0, higher_is_better=True)
target("CPU per connection vs HAProxy (not a target)", "meshgw", "haproxy", "churn", "cpu_us_per_conn", 1.0)
kb = med("meshgw", "hold", "kb_per_conn")
if kb is not None:
    print(f"| idle memory ≤ 4 KB per connection | {kb:.2f} KB | {'met' if kb <= 4 else f'missed (by {(kb - 4) / 4 * 100:.0f} %)'} |")
target("latency p50 vs HAProxy (not a target)", "meshgw", "haproxy", "pingpong", "p50_us", 1.0)
target("latency p99 vs HAProxy (not a target)", "meshgw", "haproxy", "pingpong", "p99_us", 1.0)
