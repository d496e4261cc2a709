#!/usr/bin/env python3
"""Summarises run.sh's CSV: median [min-max] per peer, the proxy's CPU utilisation per cell, then MeshGateway's
ratios to the peers and the targets.

A cell is one scenario of one peer in one round. Its utilisation is the proxy's CPU-seconds over the wall seconds of
the load window (run.sh records it as metric `util`). A churn cell below SATURATED did not keep the proxy's core busy:
its connections/s measure the load generator, so it is flagged, and the churn ratios use saturated cells only (or
say plainly that there were none). CSVs written before run.sh recorded utilisation still summarise; their churn
ratios are marked as unchecked.
"""
import csv, statistics, sys
from collections import defaultdict

SATURATED = 0.9
NOT_SATURATED = "not saturated: ratio measures the load generator"

rows = list(csv.DictReader(open(sys.argv[1])))
data = defaultdict(list)               # (peer, scenario, metric) -> values in round order
by_round = defaultdict(dict)           # (peer, scenario, metric) -> {round: value}
peers = []
for r in rows:
    if r["peer"] not in peers:
        peers.append(r["peer"])
    key = (r["peer"], r["scenario"], r["metric"])
    data[key].append(float(r["value"]))
    by_round[key][r["round"]] = float(r["value"])

COLUMNS = [
    ("bulk1", "cpu_s_per_gb", "bulk 1 stream CPU-s/GB"),
    ("bulk1", "gbps", "bulk 1 Gbps"),
    ("bulk4", "cpu_s_per_gb", "bulk 4 streams CPU-s/GB"),
    ("bulk4", "gbps", "bulk 4 Gbps"),
    ("churn", "conn_per_s", "churn conn/s"),
    ("churn", "cpu_us_per_conn", "churn CPU-µs/conn"),
    ("churn", "util", "churn util"),
    ("churn", "p50_us", "churn first byte p50 µs"),
    ("churn", "p99_us", "churn first byte p99 µs"),
    ("hold", "dirty_kb_per_conn", "idle private dirty KB/conn"),
    ("hold", "kb_per_conn", "idle RSS KB/conn"),
    ("pingpong", "p50_us", "ping-pong p50 µs"),
    ("pingpong", "p99_us", "ping-pong p99 µs"),
]
UTIL_SCENARIOS = [("bulk1", "bulk, 1 stream"), ("bulk4", "bulk, 4 streams"), ("churn", "churn"),
                  ("pingpong", "ping-pong"), ("hold", "idle hold")]

def fmt_for(metric, m):
    return "{:.2f}" if metric in ("util", "load_util") else "{:.3f}" if metric == "cpu_s_per_gb" else "{:.1f}" if m < 1000 else "{:.0f}"

def med(peer, scenario, metric):
    v = data.get((peer, scenario, metric))
    return statistics.median(v) if v else None

def unsaturated_rounds(peer):
    """Rounds whose churn cell ran below SATURATED; None when the CSV has no churn utilisation for the peer."""
    util = by_round.get((peer, "churn", "util"))
    return None if not util else sorted((rnd for rnd, u in util.items() if u < SATURATED), key=int)

def cell(peer, scenario, metric):
    v = data.get((peer, scenario, metric))
    if not v:
        return "–"
    m = statistics.median(v)
    fmt = fmt_for(metric, m)
    text = fmt.format(m) if len(v) == 1 else f"{fmt.format(m)} [{fmt.format(min(v))}–{fmt.format(max(v))}]"
    if (scenario, metric) == ("churn", "util"):
        low = unsaturated_rounds(peer)
        if low:
            text += f" ⚠ {len(low)}/{len(v)}"
    return text

print("Median [min–max] over the rounds. CPU is the proxy's utime+stime+cutime+cstime over its whole process tree;")
print("util is that CPU over the wall seconds of the load window (1.00 = the proxy's core busy all the time).")
print("Lower is better except Gbps, conn/s and util.")
print()
print("| peer | " + " | ".join(c[2] for c in COLUMNS) + " |")
print("|---|" + "---|" * len(COLUMNS))
for p in peers:
    print(f"| {p} | " + " | ".join(cell(p, s, m) for s, m, _ in COLUMNS) + " |")
if any(unsaturated_rounds(p) for p in peers):
    print()
    print(f"⚠ k/n: churn util below {SATURATED} in k of n rounds, the proxy's core not saturated there "
          f"({NOT_SATURATED}, not the proxy); the ratios below leave those rounds out.")
failed = [(p, v) for (p, s, m), vs in data.items() if m == "failed" for v in vs if v > 0]
if failed:
    print()
    print("Failed churn connections: " + ", ".join(f"{p} {int(v)}" for p, v in failed))

# ---- utilisation of every cell ---------------------------------------------------------------------------------------
if any(m == "util" for (_, _, m) in data):
    rounds = sorted({r["round"] for r in rows}, key=int)
    print()
    print("## Proxy CPU utilisation per cell")
    print()
    print("Proxy CPU-s ÷ wall seconds of the load window: the load generator's own measured window for bulk and "
          "churn (it leaves out its start-up), its process lifetime for ping-pong and the idle hold. "
          "Load core: busy fraction of CPU 0 (load generator and backends) over the same cell. "
          f"A churn cell below {SATURATED} is marked ⚠ ({NOT_SATURATED}); bulk CPU-s/GB is per unit of work and "
          "holds at any utilisation; ping-pong (one connection, one round trip at a time) and the idle hold "
          "never saturate the proxy by design.")
    print()
    print("| peer | cell | " + " | ".join(f"round {r}" for r in rounds) + " | median | load core (median) | note |")
    print("|---|---|" + "---|" * len(rounds) + "---|---|---|")
    for p in peers:
        for scenario, label in UTIL_SCENARIOS:
            util = by_round.get((p, scenario, "util"))
            if not util:
                continue
            flag = lambda u: " ⚠" if scenario == "churn" and u < SATURATED else ""
            per_round = [f"{util[r]:.2f}{flag(util[r])}" if r in util else "–" for r in rounds]
            load = med(p, scenario, "load_util")
            note = ""
            if scenario == "churn":
                low = unsaturated_rounds(p)
                note = f"⚠ {len(low)} of {len(util)} rounds {NOT_SATURATED}" if low else "saturated"
            print(f"| {p} | {label} | " + " | ".join(per_round) + f" | {statistics.median(util.values()):.2f} | "
                  f"{'–' if load is None else f'{load:.2f}'} | {note} |")

# ---- ratios ------------------------------------------------------------------------------------------------------------
def churn_values(peer, metric):
    """(values of saturated churn cells, how many cells there were, whether utilisation was recorded)."""
    vals = by_round.get((peer, "churn", metric), {})
    util = by_round.get((peer, "churn", "util"))
    if not util:
        return list(vals.values()), len(vals), False
    return [v for rnd, v in vals.items() if util.get(rnd, 0) >= SATURATED], len(vals), True

def ratio(ours, theirs, scenario, metric):
    a, b = med(ours, scenario, metric), med(theirs, scenario, metric)
    return None if a is None or b is None or b == 0 else a / b

def verdict(r, limit, higher_is_better):
    ok = r >= limit if higher_is_better else r <= limit
    miss = "" if ok else f" (by {abs(r - limit) / limit * 100:.0f} %)"
    return f"{'met' if ok else 'missed'}{miss}"

print()
print("## Ratios and targets (MeshGateway ÷ peer, medians of the same run)")
print()
print(f"Churn ratios use only cells where the proxy was saturated (util ≥ {SATURATED}); where one side has none, the "
      "ratio over all its cells is shown, flagged, and judged neither met nor missed.")
print()
print("| target | ratio | verdict |")
print("|---|---|---|")
def target(label, ours, theirs, scenario, metric, limit, higher_is_better=False):
    optional = "not a target" in label
    if scenario != "churn":
        r = ratio(ours, theirs, scenario, metric)
        if r is None:
            if not optional:
                print(f"| {label} | – | not measured |")
            return
        print(f"| {label} | {r:.2f}× | {verdict(r, limit, higher_is_better)} |")
        return
    (a, na, ua), (b, nb, ub) = churn_values(ours, metric), churn_values(theirs, metric)
    if na == 0 or nb == 0:
        if not optional:
            print(f"| {label} | – | not measured |")
        return
    if not (ua and ub):
        r = ratio(ours, theirs, scenario, metric)
        print(f"| {label} | {r:.2f}× | {verdict(r, limit, higher_is_better)}; utilisation not recorded, saturation unchecked |")
        return
    if not a or not b:
        r = ratio(ours, theirs, scenario, metric)
        idle = ", ".join(f"{p} util {med(p, 'churn', 'util'):.2f}" for p, v in ((ours, a), (theirs, b)) if not v)
        print(f"| {label} | {r:.2f}× (all cells) | ⚠ {NOT_SATURATED} (no saturated churn cell: {idle}) |")
        return
    r = statistics.median(a) / statistics.median(b)
    used = "" if (len(a), len(b)) == (na, nb) else f"; saturated cells only: {ours} {len(a)}/{na}, {theirs} {len(b)}/{nb}"
    print(f"| {label} | {r:.2f}× | {verdict(r, limit, higher_is_better)}{used} |")

# The targets of issue 16 (default-path performance): churn at HAProxy's cost per connection, its connections/s and
# its time to first byte; bulk copy at half HAProxy's CPU per GB, splice at its forced splice's; ≤ 3 KB per idle held
# connection (private dirty, HAProxy's own figure). The nginx rows are comparisons, not targets.
for s, n in (("bulk1", "1 stream"), ("bulk4", "4 streams")):
    target(f"copy CPU-s/GB ≤ 0.5× HAProxy, {n}", "meshgw", "haproxy", s, "cpu_s_per_gb", 0.5)
    target(f"copy CPU-s/GB vs nginx, {n} (not a target)", "meshgw", "nginx", s, "cpu_s_per_gb", 1.0)
    target(f"splice CPU-s/GB ≤ 1.0× HAProxy forced splice, {n}", "meshgw-splice", "haproxy-splice", s, "cpu_s_per_gb", 1.0)
for s, n in (("bulk1", "1 stream"), ("bulk4", "4 streams")):
    target(f"splice CPU-s/GB vs meshgw defaults, {n} (not a target)", "meshgw-splice", "meshgw", s, "cpu_s_per_gb", 1.0)
    target(f"copy CPU-s/GB vs HAProxy with 256 KiB buffers, {n} (not a target)", "meshgw", "haproxy-bigbuf", s, "cpu_s_per_gb", 1.0)
    target(f"copy CPU-s/GB vs nginx with 256 KiB buffers, {n} (not a target)", "meshgw", "nginx-bigbuf", s, "cpu_s_per_gb", 1.0)
target("churn CPU per connection ≤ 1.0× HAProxy", "meshgw", "haproxy", "churn", "cpu_us_per_conn", 1.0)
target("churn conn/s ≥ 1.0× HAProxy", "meshgw", "haproxy", "churn", "conn_per_s", 1.0, higher_is_better=True)
target("churn time to first byte p50 ≤ 1.0× HAProxy", "meshgw", "haproxy", "churn", "p50_us", 1.0)
target("churn time to first byte p99 ≤ 1.0× HAProxy", "meshgw", "haproxy", "churn", "p99_us", 1.0)
target("churn conn/s vs nginx (not a target)", "meshgw", "nginx", "churn", "conn_per_s", 1.0, higher_is_better=True)
kb = med("meshgw", "hold", "dirty_kb_per_conn")
if kb is not None:
    print(f"| idle private dirty ≤ 3 KB per held connection | {kb:.2f} KB | {'met' if kb <= 3 else f'missed (by {(kb - 3) / 3 * 100:.0f} %)'} |")
target("idle private dirty per connection vs HAProxy (not a target)", "meshgw", "haproxy", "hold", "dirty_kb_per_conn", 1.0)
target("ping-pong latency p50 vs HAProxy (not a target)", "meshgw", "haproxy", "pingpong", "p50_us", 1.0)
target("ping-pong latency p99 vs HAProxy (not a target)", "meshgw", "haproxy", "pingpong", "p99_us", 1.0)
