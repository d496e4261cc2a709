#!/usr/bin/env python3
"""Pools the churn rounds of several runs of the independent harness (../shared/tools/peer-bench/run.sh, its CSV=…).

Usage: pool-harness.py RUN.csv [RUN.csv ...]

Prints, for MeshGateway (proxy `mgw`) against HAProxy (`haproxy`), the ratio of the medians over every verified
churn round of every file: CPU-µs per connection, connections/s, time to answer p50 and p99. It prints the same over
the cells where the proxy's core was saturated (utilisation >= 0.9) only, since a cell below that measured the load
generator (the issue's rule), and how many cells of each proxy were left out.
"""
import csv, statistics, sys

SATURATED = 0.9
METRICS = [
    ("proxy_cpu_us_per_conn", "CPU-us/conn"),
    ("cps", "conn/s"),
    ("ack_p50_us", "p50 us"),
    ("ack_p99_us", "p99 us"),
]


def load(paths):
    rows = []
    for path in paths:
        with open(path, newline="") as f:
            rows += [r for r in csv.DictReader(f) if r["scenario"] == "churn" and r["ok"] == "1"]
    return rows


def report(title, rows):
    mine = [r for r in rows if r["proxy"] == "mgw"]
    theirs = [r for r in rows if r["proxy"] == "haproxy"]
    print(f"{title}: {len(mine)} meshgw cells, {len(theirs)} HAProxy cells")
    if not mine or not theirs:
        print("  nothing to compare")
        return
    for key, label in METRICS:
        a = statistics.median(float(r[key]) for r in mine)
        b = statistics.median(float(r[key]) for r in theirs)
        print(f"  {label:12} meshgw {a:10.1f}  HAProxy {b:10.1f}  ratio {a / b:.3f}")


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    rows = load(sys.argv[1:])
    report("every churn round", rows)
    saturated = [r for r in rows if float(r["proxy_util"]) >= SATURATED]
    report(f"saturated cells only (util >= {SATURATED})", saturated)


if __name__ == "__main__":
    main()
