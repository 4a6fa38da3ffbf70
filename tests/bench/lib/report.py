#!/usr/bin/env python3
"""Writes the `make bench` section of docs/BENCHMARKS.md (issue 14).

Reads the harness's results.json (one run: ceiling, the installed peers and
vpcdns in both modes), the 20,000-endpoint run's results.json and scale.json,
and replaces everything between the two markers below in the document with a
dated section: the raw table, the ratios that issue 14's targets are stated
in, and for each target whether this run met it.  The rest of the document
is left alone; without the markers the section is appended.
"""
import argparse
import json
import os
import platform

BEGIN = "<!-- make bench: begin (tests/bench/lib/report.py writes this section) -->"
END = "<!-- make bench: end -->"
PEERS_EXCLUDED = ("ceiling", "vpcdns", "vpcdns-endpoints")
MODES = ("vpcdns", "vpcdns-endpoints")


def cells(results, scn):
    return {t: row.get(scn) or {} for t, row in results.items()}


def ok(c):
    return c.get("status") == "OK" and c.get("us_cpu_per_query")


def best_peer(results, scn, key, lowest):
    peers = [(c[key], t) for t, c in cells(results, scn).items()
             if t not in PEERS_EXCLUDED and ok(c) and c.get(key) is not None]
    if not peers:
        return None, None
    return (min if lowest else max)(peers)


def fmt(x, nd=2):
    return "-" if x is None else ("%.*f" % (nd, x))


def machine():
    model = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return "%s, %d CPUs, %s" % (model, os.cpu_count() or 0, platform.release())


def ratio_rows(res, scns):
    """One row per vpcdns mode and scenario: the figures issue 14 targets."""
    rows = []
    for t in MODES:
        if t not in res:
            continue
        for s in scns:
            c = res[t].get(s) or {}
            if not ok(c):
                rows.append((t, s, None, None, None, None, None, c.get("status", "-")))
                continue
            ceil = (res.get("ceiling", {}).get(s) or {}).get("us_cpu_per_query")
            bp_cpu, who = best_peer(res, s, "us_cpu_per_query", True)
            bp_qps, who_q = best_peer(res, s, "qps", False)
            bp_p99, _ = best_peer(res, s, "p99_ms", True)
            rows.append((t, s,
                         c["us_cpu_per_query"] / ceil if ceil else None,
                         c["us_cpu_per_query"] / bp_cpu if bp_cpu else None,
                         c["qps"] / bp_qps if bp_qps else None,
                         (c.get("p99_ms") / bp_p99) if bp_p99 and c.get("p99_ms") else None,
                         "%s / %s" % (who, who_q), "OK"))
    return rows


TARGETS = {  # scenario -> (max CPU/ceiling, max CPU/best peer, min QPS/best peer)
    "S1": (1.2, None, 1.5),
    "S2": (1.2, None, 1.2),
    "S3": (None, 0.35, None),
    "S4": (1.2, None, 1.3),
}


def verdicts(rows):
    out = []
    for t, s, vs_ceil, vs_peer, qps_ratio, _, _, status in rows:
        if status != "OK":
            out.append("- %s %s: %s, no figures" % (t, s, status))
            continue
        want_ceil, want_peer, want_qps = TARGETS[s]
        parts = []
        if want_ceil is not None:
            parts.append("CPU/query %.2fx the ceiling (target <= %.1fx): %s"
                         % (vs_ceil, want_ceil, "met" if vs_ceil <= want_ceil else "NOT met"))
        if want_peer is not None:
            parts.append("CPU/query %.2fx the best peer (target <= %.2fx): %s"
                         % (vs_peer, want_peer, "met" if vs_peer <= want_peer else "NOT met"))
        if want_qps is not None:
            parts.append("QPS %.2fx the best peer (target >= %.1fx): %s"
                         % (qps_ratio, want_qps, "met" if qps_ratio >= want_qps else "NOT met"))
        out.append("- %s %s: %s" % (t, s, "; ".join(parts)))
    return out


def memory_line(res):
    unb = [c.get("rss_kb") for c in (res.get("unbound") or {}).values() if c.get("rss_kb")]
    lines = []
    for t in MODES:
        mine = [c.get("rss_kb") for c in (res.get(t) or {}).values() if c.get("rss_kb")]
        if mine and unb:
            r = max(mine) / max(unb)
            lines.append("- %s peak VmHWM %.1f MiB vs unbound %.1f MiB: %.2fx (target <= 0.5x): %s"
                         % (t, max(mine) / 1024, max(unb) / 1024, r, "met" if r <= 0.5 else "NOT met"))
    return lines


def growth_lines(res2k, res20k):
    out = []
    for t in MODES:
        for s in ("S1", "S4"):
            a = (res2k.get(t, {}).get(s) or {}).get("us_cpu_per_query")
            b = (res20k.get(t, {}).get(s) or {}).get("us_cpu_per_query")
            if a and b:
                out.append("- %s %s: %.2f µs at 2,000 endpoints, %.2f µs at 20,000: %+.0f%% (target within 10%%): %s"
                           % (t, s, a, b, 100.0 * (b - a) / a, "met" if abs(b - a) / a <= 0.10 else "NOT met"))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--results", required=True)
    ap.add_argument("--results-20k")
    ap.add_argument("--scale")
    ap.add_argument("--table", required=True, help="the harness's Markdown table (stdout of run.sh)")
    ap.add_argument("--doc", required=True)
    a = ap.parse_args()
    r = json.load(open(a.results))
    res, meta = r["results"], r["meta"]
    scns = list(r["scenarios"])
    L = [BEGIN, "## %s, `make bench` (both modes, one run)" % meta["date"][:10], ""]
    L.append("Machine: %s.  Harness: tests/bench (a copy of ../shared/bench with a second vpcdns "
             "target for endpoints mode), `--repeat %d --seconds %d`, generator %s, server pinned to "
             "CPU %s, generator and upstream nsd on CPU %s; vpcdns at `workers: 1` (one core).  "
             "Written by `make bench` on %s; single machine shared with other work, so read ratios "
             "within this run only." % (machine(), meta["repeat"], meta["seconds"], meta.get("blast", "dnsperf"),
                                        meta["server_cpus"], meta["loadgen_cpus"], meta["date"]))
    L += ["", open(a.table).read().strip(), ""]
    L.append("Ratios (CPU = µs of server CPU per answered query; p99 at the fixed rate):")
    L.append("")
    L.append("| target | scenario | CPU / ceiling | CPU / best peer | QPS / best peer | p99 / best peer | best peer (CPU / QPS) |")
    L.append("|---|---|---|---|---|---|---|")
    rows = ratio_rows(res, scns)
    for t, s, c1, c2, q, p, who, status in rows:
        L.append("| %s | %s | %s | %s | %s | %s | %s |" % (t, s, fmt(c1), fmt(c2), fmt(q), fmt(p),
                                                           who if status == "OK" else status))
    L += ["", "Issue 14's targets in this run:", ""] + verdicts(rows) + memory_line(res)
    if a.results_20k and os.path.exists(a.results_20k):
        r20 = json.load(open(a.results_20k))
        L += growth_lines(res, r20["results"])
    if a.scale and os.path.exists(a.scale):
        L += ["", "Start-up, reload and memory by data size (tests/bench/lib/scale.py; a fixed %s qps "
              "load runs across the SIGHUP, the longest answer time is the longest the reload held "
              "the query path):" % "5000", ""]
        L.append("| data | load (s) | VmHWM (MiB) | reload (s) | longest answer during reload (ms) | lost |")
        L.append("|---|---|---|---|---|---|")
        for row in json.load(open(a.scale)):
            L.append("| %s | %s | %s | %s | %s | %s/%s |" % (row["data"], fmt(row["load_s"]), fmt(row["hwm_mib"], 1),
                                                         fmt(row["reload_s"], 3), fmt(row["stall_ms"], 1),
                                                         row["lost"], row["sent"]))
    L += ["", END]
    section = "\n".join(L) + "\n"
    doc = open(a.doc).read() if os.path.exists(a.doc) else "# vpcdns benchmarks\n"
    if BEGIN in doc and END in doc:
        head, rest = doc.split(BEGIN, 1)
        tail = rest.split(END, 1)[1].lstrip("\n")
        doc = head + section + ("\n" + tail if tail else "")
    else:
        doc = doc.rstrip("\n") + "\n\n" + section
    with open(a.doc, "w") as f:
        f.write(doc)
    print("\n".join(L[1:-1]))


if __name__ == "__main__":
    main()
