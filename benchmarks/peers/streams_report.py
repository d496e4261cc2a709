"""Markdown tables from benchmarks/peers/streams.sh's CSV: medians over rounds, [min–max] beside them.

usage: python3 streams_report.py streams.csv [params.txt]
"""
import csv
import statistics
import sys

ORDER = ["direct", "mgw", "mgw-splice", "mgw-16k", "mgw-64k", "mgw-256k", "haproxy", "haproxy-splice"]
LABEL = {
    "direct": "direct (no proxy)",
    "mgw": "meshgw defaults (copy, 256 KiB)",
    "mgw-splice": "meshgw --pump splice",
    "mgw-16k": "meshgw run, bufferSize 16 KiB",
    "mgw-64k": "meshgw run, bufferSize 64 KiB",
    "mgw-256k": "meshgw run, bufferSize 256 KiB",
    "haproxy": "HAProxy 2.6 (bufsize 16 KiB)",
    "haproxy-splice": "HAProxy 2.6 forced splice",
}


def cell(values, digits=1):
    vals = [float(v) for v in values if v not in ("", None)]
    if not vals:
        return "–"
    med = statistics.median(vals)
    fmt = f"{{:.{digits}f}}"
    if len(vals) == 1:
        return fmt.format(med)
    return f"{fmt.format(med)} [{fmt.format(min(vals))}–{fmt.format(max(vals))}]"


def main():
    rows = list(csv.DictReader(open(sys.argv[1])))
    if len(sys.argv) > 2:
        print("```")
        print(open(sys.argv[2]).read().rstrip())
        print("```\n")
    variants = [v for v in ORDER if any(r["variant"] == v for r in rows)]
    variants += sorted({r["variant"] for r in rows} - set(variants))

    def pick(v, sc):
        return [r for r in rows if r["variant"] == v and r["scenario"] == sc]

    for sc, title in (("s4", "4 streams, each as fast as it goes"),
                      ("s1000", "1,000 streams, each at RATE B/s, the sink reading at once"),
                      ("s1000slow", "1,000 streams, each at RATE B/s, the sink reading RATE/10 (back-pressure)"),
                      ("s100stall", "100 streams offering 2 MB/s each, the sink reading 1 kB/s each (stalled)")):
        if not any(r["scenario"] == sc for r in rows):
            continue
        print(f"### {sc}: {title}\n")
        print("| variant | rounds ok | private dirty KB/stream | RSS KB/stream | fds/stream | pipes/stream "
              "| proxy sockets' skmem KB/stream | sockstat TCP mem KB/stream (machine) | Mb/s moved | least bytes one stream sent |")
        print("|---|---|---|---|---|---|---|---|---|---|")
        for v in variants:
            rs = pick(v, sc)
            if not rs:
                continue
            ok = sum(1 for r in rs if r["ok"] == "1")
            print(f"| {LABEL.get(v, v)} | {ok}/{len(rs)} | {cell([r['pd_kb_per_stream'] for r in rs])} "
                  f"| {cell([r['rss_kb_per_stream'] for r in rs])} | {cell([r['fds_per_stream'] for r in rs], 2)} "
                  f"| {cell([r['pipes_per_stream'] for r in rs], 2)} | {cell([r['skmem_kb_per_stream'] for r in rs])} "
                  f"| {cell([r['sockstat_kb_per_stream'] for r in rs])} | {cell([r['mbps'] for r in rs], 0)} "
                  f"| {cell([r['min_conn_bytes'] for r in rs], 0)} |")
        print()

    if any(r["scenario"].startswith("bulk") for r in rows):
        print("### bulk: proxy CPU-s per GB (10^9 B sent)\n")
        print("| variant | bulk1 CPU-s/GB | bulk1 util | bulk1 Mb/s | bulk4 CPU-s/GB | bulk4 util | bulk4 Mb/s | other load on the proxy core (bulk4) |")
        print("|---|---|---|---|---|---|---|---|")
        for v in variants:
            b1, b4 = pick(v, "bulk1"), pick(v, "bulk4")
            if not b1 and not b4:
                continue
            print(f"| {LABEL.get(v, v)} | {cell([r['cpu_s_per_gb'] for r in b1], 3)} | {cell([r['proxy_util'] for r in b1], 2)} "
                  f"| {cell([r['mbps'] for r in b1], 0)} | {cell([r['cpu_s_per_gb'] for r in b4], 3)} "
                  f"| {cell([r['proxy_util'] for r in b4], 2)} | {cell([r['mbps'] for r in b4], 0)} "
                  f"| {cell([r['core_other'] for r in b4], 2)} |")
        print()
    bad = [r for r in rows if r["ok"] != "1"]
    if bad:
        print("Cells not ok (a stream failed, died or sent nothing): " +
              ", ".join(f"round {r['round']} {r['variant']} {r['scenario']}" for r in bad) + "\n")


if __name__ == "__main__":
    main()
