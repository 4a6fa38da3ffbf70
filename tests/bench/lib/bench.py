#!/usr/bin/env python3
"""vpcdns benchmark harness (called by ../run.sh).

Per (target, scenario) cell: start a FRESH target process (adapter script in
targets/, exec'd in the foreground so our child PID is the daemon), wait until
it answers, run dig correctness checks (FAIL -> no timing), warm up (S2),
run the load generator at full load for --seconds (QPS, lost, rcodes, and the
server's utime+stime -> CPU % and µs CPU per answered query), run it again at a
fixed rate --lat-qps for --lat-seconds (p50/p99/p99.9), read VmHWM/VmRSS from
/proc/PID/status, stop the target by PID.  Generator: blast.c (default, built
with cc -O2 into the work dir) or dnsperf (--generator dnsperf), pinned with
taskset to the CPUs the server does not use.

Traffic goes only to 127.0.0.1 ports 15300-15399; every load is time bounded
(-l).  Only processes started here are ever signalled (by PID, or by the
process group that this harness created for that child).
"""
import argparse
import atexit
import datetime
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
TARGETS = {  # name -> (adapter, port)
    "ceiling": ("ceiling.sh", 15310),
    "unbound": ("unbound.sh", 15311),
    "unbound-auth": ("unbound-auth.sh", 15316),
    "kresd": ("kresd.sh", 15312),
    "dnsmasq": ("dnsmasq.sh", 15313),
    "pdns": ("pdns.sh", 15314),
    "vpcdns": ("vpcdns.sh", 15315),
    "vpcdns-endpoints": ("vpcdns-endpoints.sh", 15317),
}
DEFAULT_TARGETS = "ceiling,unbound,kresd,dnsmasq,pdns,vpcdns"
UPSTREAM_PORT = 15353
SCENARIOS = {
    "S1": "local private-DNS A answers (mixed case)",
    "S2": "cached forwarded answers (100 upstream names repeated)",
    "S3": "uncached forwarded (unique labels under upstream wildcard)",
    "S4": "NODATA/NXDOMAIN in private zones (AAAA on v4-only names, undefined names)",
}
# rcodes expected under load per scenario (anything else >1% flags the cell)
EXPECTED_RCODES = {"S1": {"NOERROR"}, "S2": {"NOERROR"}, "S3": {"NOERROR"}, "S4": {"NOERROR", "NXDOMAIN"}}

STARTED = []  # Popen objects we started


def log(*a):
    print("[bench]", *a, file=sys.stderr, flush=True)


def port_busy(port):
    for typ in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
        s = socket.socket(socket.AF_INET, typ)
        try:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 0)
            s.bind(("127.0.0.1", port))
        except OSError:
            return True
        finally:
            s.close()
    return False


def affinity(cpus):
    def fn():
        if cpus is not None:
            try:
                os.sched_setaffinity(0, cpus)
            except OSError:
                pass
    return fn


def start(adapter, port, datadir, rundir, cpus, env_extra=None):
    """Start an adapter; return (Popen, None) or (None, reason)."""
    if not (15300 <= port <= 15399):
        raise SystemExit("port %d outside 15300-15399" % port)
    if port_busy(port):
        return None, "port %d already in use by a process this harness did not start" % port
    if os.path.isdir(rundir):
        shutil.rmtree(rundir)
    os.makedirs(rundir)
    env = dict(os.environ)
    env.update(env_extra or {})
    out = open(os.path.join(rundir, "stdout.log"), "w")
    p = subprocess.Popen([os.path.join(ROOT, "targets", adapter), str(port), datadir, rundir],
                         stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                         env=env, preexec_fn=affinity(cpus), start_new_session=True)
    STARTED.append(p)
    return p, None


def _stat(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            f = f.read().rsplit(")", 1)[1].split()
        return int(f[1]), f[19]  # ppid, starttime
    except (OSError, IndexError, ValueError):
        return None


def descendants(root):
    """[(pid, starttime)] of all live descendants of root (our child)."""
    kids = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            st = _stat(int(d))
            if st:
                kids.setdefault(st[0], []).append((int(d), st[1]))
    out, todo = [], [root]
    while todo:
        for c in kids.get(todo.pop(), []):
            out.append(c)
            todo.append(c[0])
    return out


def stop(p, timeout=10):
    """Stop a process we started: SIGTERM its PID; then make sure the
    descendants it had (recorded by PID + start time, so a reused PID is never
    hit) and the process group we created for it are gone (SIGKILL after 3 s)."""
    if p is None:
        return
    kids = descendants(p.pid) if p.poll() is None else []
    if p.poll() is None:
        try:
            os.kill(p.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            p.wait(timeout)
        except subprocess.TimeoutExpired:
            try:  # leader not reaped yet, so this group is certainly the one we created
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            p.wait(5)
    # leftover children (e.g. nsd "server" / xfrd children exit a bit after the main PID)
    t0 = time.time()
    while kids and time.time() - t0 < 3:
        kids = [k for k in kids if (_stat(k[0]) or (0, None))[1] == k[1]]
        time.sleep(0.1)
    for pid, _ in kids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    if p in STARTED:
        STARTED.remove(p)


def stop_all():
    for p in list(STARTED):
        stop(p, timeout=5)


def dig(port, name, qtype, timeout=2):
    """Return (status, [rdata...]) or (None, error)."""
    try:
        r = subprocess.run(["dig", "@127.0.0.1", "-p", str(port), "+tries=1", "+time=%d" % timeout,
                            "+noall", "+comments", "+answer", name, qtype],
                           capture_output=True, text=True, timeout=timeout + 3)
    except subprocess.TimeoutExpired:
        return None, "dig timeout"
    m = re.search(r"status: (\w+)", r.stdout)
    if not m:
        return None, (r.stdout + r.stderr).strip().splitlines()[-1:] or "no answer"
    ans = []
    for line in r.stdout.splitlines():
        if line.startswith(";") or not line.strip():
            continue
        f = line.split()
        if len(f) >= 5 and f[3] == qtype:
            ans.append(f[4])
    return m.group(1), ans


def wait_ready(p, port, name, qtype, secs=60):
    t0 = time.time()
    while time.time() - t0 < secs:
        if p.poll() is not None:
            return "exited with code %s" % p.returncode
        st, _ = dig(port, name, qtype, timeout=1)
        if st is not None:
            return None
        time.sleep(0.3)
    return "no answer within %ds" % secs


def mixcase(rng, s):
    return "".join(c.upper() if c.isalpha() and rng.random() < 0.5 else c for c in s)


def checks_for(scn, m, rng):
    """List of (name, qtype, expected_status, expected_set_or_None)."""
    recs = m["records"]
    out = []
    if scn == "S1":
        for n in rng.sample(m["endpoints"], 4) + rng.sample(m["vpce_names"], 2):
            out.append((mixcase(rng, n), "A", "NOERROR", set(recs[n])))
    elif scn == "S2":
        fx = m["upstream"]["fixed"]
        for n in rng.sample(sorted(fx), 3):
            out.append((n, "A", "NOERROR", {fx[n]}))
        out.append(("www." + m["upstream"]["zone"], "A", "NOERROR", {m["upstream"]["www"]}))
    elif scn == "S3":
        for i in range(3):
            out.append(("chk%d-%08x.%s" % (i, rng.getrandbits(32), m["upstream"]["zone"]), "A", "NOERROR",
                        {m["upstream"]["wildcard_ip"]}))
    elif scn == "S4":
        for n in rng.sample(m["endpoints"], 3):
            out.append((mixcase(rng, n), "AAAA", "NOERROR", set()))
            out.append(("nxchk%d.%s" % (rng.randrange(1000), n), "A", "NXDOMAIN", set()))
        vn = rng.choice(m["vpce_names"])
        out.append((vn, "AAAA", "NOERROR", set()))
        out.append(("nxchk." + vn, "A", "NXDOMAIN", set()))
    return out


def run_checks(port, scn, m, rng):
    fails = []
    cl = checks_for(scn, m, rng)
    for name, qt, est, eset in cl:
        st, ans = dig(port, name, qt)
        if st != est or set(ans) != eset:
            fails.append("%s %s: got %s %s, want %s %s" % (name, qt, st, sorted(ans) if isinstance(ans, list) else ans,
                                                           est, sorted(eset)))
    return len(cl), fails


def pin_prefix(a):
    """taskset prefix that puts the load generator on its own core(s) (recorded in cmd)."""
    if a.loadgen_cpus and shutil.which("taskset"):
        return ["taskset", "-c", ",".join(str(c) for c in sorted(a.loadgen_cpus))]
    return []


def blast(port, qfile, secs, a, rate=None, verbose=False, maxruns=None):
    """Run blast.c (same result keys as dnsperf(); latency percentiles always)."""
    cmd = pin_prefix(a) + [a.blast_bin, "-s", "127.0.0.1", "-p", str(port), "-d", qfile, "-c", str(a.clients),
                           "-q", str(a.outstanding), "-t", str(a.timeout), "-l", str(secs), "-T", str(a.threads)]
    if rate:
        cmd += ["-Q", str(rate)]
    if maxruns:
        cmd += ["-n", str(maxruns)]
    r = subprocess.run(cmd, capture_output=True, text=True, preexec_fn=affinity(a.loadgen_cpus),
                       timeout=secs + a.timeout + 30)
    res = {"cmd": " ".join(cmd), "rc": r.returncode, "qps": None}
    try:
        j = json.loads(r.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        res["error"] = (r.stderr or r.stdout).strip()[-400:] or "no output"
        return res
    lat = j.get("latency_ms", {})
    res.update(sent=j["sent"], completed=j["completed"], lost=j["lost"], qps=j["qps"], rcodes=j["rcodes"],
               unexpected=j.get("unexpected"), avg_latency_ms=lat.get("avg"), max_latency_ms=lat.get("max"),
               p50_ms=lat.get("p50"), p99_ms=lat.get("p99"), p999_ms=lat.get("p999"), samples=j["completed"])
    if not j["completed"]:
        res.update(qps=None, error="no answers (sent %s, lost %s)" % (j["sent"], j["lost"]))
    return res


def load(port, qfile, secs, a, rate=None, verbose=False, maxruns=None):
    fn = blast if a.generator == "blast" else dnsperf
    return fn(port, qfile, secs, a, rate=rate, verbose=verbose, maxruns=maxruns)


def dnsperf(port, qfile, secs, a, rate=None, verbose=False, maxruns=None):
    cmd = pin_prefix(a) + ["dnsperf", "-s", "127.0.0.1", "-p", str(port), "-d", qfile, "-c", str(a.clients),
           "-q", str(a.outstanding), "-t", str(a.timeout), "-l", str(secs)]
    if rate:
        cmd += ["-Q", str(rate)]
    if verbose:
        cmd += ["-v"]
    if maxruns:
        cmd += ["-n", str(maxruns)]
    r = subprocess.run(cmd, capture_output=True, text=True, preexec_fn=affinity(a.loadgen_cpus),
                       timeout=secs + a.timeout + 30)
    o = r.stdout
    res = {"cmd": " ".join(cmd), "rc": r.returncode}

    def g(pat, conv=float):
        mm = re.search(pat, o)
        return conv(mm.group(1)) if mm else None
    res["sent"] = g(r"Queries sent:\s+(\d+)", int)
    res["completed"] = g(r"Queries completed:\s+(\d+)", int)
    res["lost"] = g(r"Queries lost:\s+(\d+)", int)
    res["qps"] = g(r"Queries per second:\s+([\d.]+)")
    res["avg_latency_ms"] = (g(r"Average Latency \(s\):\s+([\d.]+)") or 0) * 1000
    res["max_latency_ms"] = (g(r"Average Latency \(s\):.*max ([\d.]+)") or 0) * 1000
    rc = {}
    mm = re.search(r"Response codes:\s+(.*)", o)
    if mm:
        for code, cnt in re.findall(r"(\w+) (\d+) \(", mm.group(1)):
            rc[code] = int(cnt)
    res["rcodes"] = rc
    if verbose:
        lat = []
        for line in o.splitlines():
            if line.startswith("> "):
                f = line.split()
                try:
                    lat.append(float(f[-1]))
                except ValueError:
                    pass
        lat.sort()
        if lat:
            def pct(p):
                return lat[min(len(lat) - 1, int(p * len(lat)))] * 1000
            res.update(p50_ms=pct(0.50), p99_ms=pct(0.99), p999_ms=pct(0.999), samples=len(lat))
    if res["qps"] is None:
        res["error"] = (r.stderr or o).strip()[-400:]
    return res


def rss(pid):
    out = {}
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith(("VmHWM:", "VmRSS:")):
                    k, v = line.split(":")
                    out[k] = int(v.split()[0])  # kB
    except OSError:
        pass
    return out


def cpu_ticks(pid, children=True):
    """utime+stime in seconds of a process (/proc/PID/stat counts all its threads, live and
    exited) plus, by default, its live descendant processes (none for the current targets)."""
    def one(p):
        try:
            with open("/proc/%d/stat" % p) as f:
                f = f.read().rsplit(")", 1)[1].split()
            return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            return None
    tot = one(pid)
    if tot is not None and children:
        tot += sum(one(k) or 0 for k, _ in descendants(pid))
    return tot


def sched_ns(pid):
    """Sum of sum_exec_runtime (ns, scheduler clock) over the threads of pid: a cross-check of
    the tick-based utime+stime."""
    tot = 0
    try:
        for t in os.listdir("/proc/%d/task" % pid):
            try:
                with open("/proc/%d/task/%s/schedstat" % (pid, t)) as f:
                    tot += int(f.read().split()[0])
            except (OSError, ValueError, IndexError):
                pass
    except OSError:
        return None
    return tot


def s3_variant(path, i):
    """S3 names for repeat i: same file with another unique prefix, so a second
    run against the same (warm) server is still uncached."""
    if i == 0:
        return path
    out = path.replace(".txt", "-r%d.txt" % i)
    if not os.path.exists(out) or os.path.getmtime(out) < os.path.getmtime(path):
        with open(path) as f, open(out + ".tmp", "w") as g:
            for line in f:
                g.write("r%d%s" % (i, line[1:]))
        os.replace(out + ".tmp", out)
    return out


def fmt_qps(q):
    if q is None:
        return "-"
    return "%.1fk" % (q / 1000) if q >= 1000 else "%.0f" % q


PEER_EXCLUDE = ("ceiling", "vpcdns", "vpcdns-endpoints")  # not peers when picking the best peer


def best_peer_ratios(results, scns):
    """cell["cpu_ratio_best_peer"] = its µs CPU/query ÷ the lowest µs CPU/query among the peers
    (every target but ceiling and vpcdns) that passed in that scenario."""
    for s in scns:
        peers = [(c["us_cpu_per_query"], t) for t, row in results.items() if t not in PEER_EXCLUDE
                 for c in [row.get(s) or {}] if c.get("status") == "OK" and c.get("us_cpu_per_query")]
        if not peers:
            continue
        best, who = min(peers)
        for t, row in results.items():
            c = row.get(s) or {}
            if c.get("status") == "OK" and c.get("us_cpu_per_query"):
                c["cpu_ratio_best_peer"] = round(c["us_cpu_per_query"] / best, 3)
                c["best_peer"] = who


def table(results, targets, scns, meta):
    L = []
    L.append("cell: QPS at full load (ratio to ceiling in the same scenario) / p99 latency ms in a "
             "separate run at a fixed %d qps / VmHWM MiB after load / server CPU %% during full load / "
             "µs CPU/query = server utime+stime ÷ answered queries in the full-load run (ratio to the "
             "best peer's µs CPU/query in the same scenario; <1 = cheaper than every peer)"
             % meta["lat_qps"])
    L.append("")
    L.append("| target | " + " | ".join("%s %s" % (s, SCENARIOS[s].split(" (")[0]) for s in scns) + " |")
    L.append("|---|" + "---|" * len(scns))
    ceil = {s: (results.get("ceiling", {}).get(s) or {}).get("qps") for s in scns}
    for t in targets:
        row = []
        for s in scns:
            c = results.get(t, {}).get(s)
            if c is None:
                row.append("-")
                continue
            if c["status"] != "OK":
                reason = re.sub(r"^SKIP:?\s*", "", c.get("reason", ""))
                if c["status"] == "SKIP" and "VPCDNS_BIN" in reason:
                    reason = "VPCDNS_BIN unset" if "not set" in reason else "VPCDNS_BIN not executable"
                row.append(c["status"] + (" (" + reason[:70] + ")" if reason else ""))
                continue
            if c.get("qps") is None:  # --checks-only
                row.append("checks " + c.get("checks", "?"))
                continue
            ratio = ""
            if ceil.get(s) and t != "ceiling":
                ratio = " (%.2f)" % (c["qps"] / ceil[s])
            p99 = c.get("p99_ms")
            flag = " ⚠" + ",".join(c["warnings"]) if c.get("warnings") else ""
            cpu = " / %.0f%%" % c["server_cpu_pct"] if c.get("server_cpu_pct") is not None else " / -"
            upq = c.get("us_cpu_per_query")
            upq = (" / %.2f µs" % upq + (" (%.2f)" % c["cpu_ratio_best_peer"] if c.get("cpu_ratio_best_peer") else "")
                   if upq is not None else " / -")
            row.append("%s%s / %s / %s%s%s%s" % (fmt_qps(c["qps"]), ratio,
                                                 "%.2f" % p99 if p99 is not None else "-",
                                                 "%.0f" % (c["rss_kb"] / 1024) if c.get("rss_kb") else "-", cpu, upq, flag))
        L.append("| %s | %s |" % (t, " | ".join(x.replace("|", "/") for x in row)))
    return "\n".join(L)


def main():
    ap = argparse.ArgumentParser(prog="run.sh", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--targets", default=DEFAULT_TARGETS, help="comma list of: " + ",".join(TARGETS))
    ap.add_argument("--scenarios", default="S1,S2,S3,S4")
    ap.add_argument("--seconds", type=int, default=10, help="full-load dnsperf -l per cell (default 10)")
    ap.add_argument("--repeat", type=int, default=1, help="full-load runs per cell; the median run is reported (default 1)")
    ap.add_argument("--lat-seconds", type=int, default=None, help="fixed-rate latency run -l (default seconds/2, min 2)")
    ap.add_argument("--lat-qps", type=int, default=5000, help="rate of the latency run (default 5000)")
    ap.add_argument("--generator", choices=("blast", "dnsperf"), default="blast",
                    help="load generator: blast (blast.c, default; validated against dnsperf, see NOTES.md) or dnsperf")
    ap.add_argument("--clients", type=int, default=4, help="UDP sockets: blast -c / dnsperf -c (default 4)")
    ap.add_argument("--outstanding", type=int, default=100, help="queries outstanding: -q (default 100)")
    ap.add_argument("--threads", type=int, default=1, help="blast -T (default 1; one core is given to the generator)")
    ap.add_argument("--timeout", type=int, default=2, help="seconds until a query counts as lost: -t (default 2)")
    ap.add_argument("--work", default=os.environ.get("BENCH_WORK", "/tmp/vpcdns-bench"))
    ap.add_argument("--json", default=None, help="results file (default WORK/results.json)")
    ap.add_argument("--regen", action="store_true", help="regenerate the dataset")
    ap.add_argument("--endpoints", type=int, default=2000)
    ap.add_argument("--no-pin", action="store_true", help="do not pin server to CPU1 and dnsperf+nsd to CPU0")
    ap.add_argument("--no-ceiling", action="store_true", help="do not add the ceiling target automatically")
    ap.add_argument("--checks-only", action="store_true", help="only run correctness checks, no load")
    a = ap.parse_args()
    a.lat_seconds = a.lat_seconds or max(2, a.seconds // 2)
    targets = [t.strip() for t in a.targets.split(",") if t.strip()]
    if "ceiling" not in targets and not a.no_ceiling:
        targets.insert(0, "ceiling")  # ratios need it
    scns = [s.strip().upper() for s in a.scenarios.split(",") if s.strip()]
    for t in targets:
        if t not in TARGETS:
            raise SystemExit("unknown target %s (known: %s)" % (t, ",".join(TARGETS)))
    for s in scns:
        if s not in SCENARIOS:
            raise SystemExit("unknown scenario %s" % s)
    for tool in ("dnsperf", "dig", "cc") if a.generator == "dnsperf" else ("dig", "cc"):
        if not shutil.which(tool):
            raise SystemExit("%s not found: run %s/install.sh" % (tool, ROOT))
    ncpu = len(os.sched_getaffinity(0))
    pin = not a.no_pin and ncpu >= 2
    srv_cpus = {max(os.sched_getaffinity(0))} if pin else None
    a.loadgen_cpus = (set(os.sched_getaffinity(0)) - srv_cpus) if pin else None

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    signal.signal(signal.SIGINT, lambda *_: sys.exit(130))
    atexit.register(stop_all)

    os.makedirs(a.work, exist_ok=True)
    datadir = os.path.join(a.work, "data")
    man = os.path.join(datadir, "manifest.json")
    if a.regen or not os.path.exists(man):
        log("generating dataset into", datadir)
        subprocess.run([sys.executable, os.path.join(ROOT, "gen.py"), "--out", datadir,
                        "--endpoints", str(a.endpoints)], check=True)
    m = json.load(open(man))
    ceil_bin = os.path.join(a.work, "ceiling")
    src = os.path.join(ROOT, "ceiling.c")
    if "ceiling" in targets and (not os.path.exists(ceil_bin) or os.path.getmtime(ceil_bin) < os.path.getmtime(src)):
        subprocess.run(["cc", "-O2", "-o", ceil_bin, src], check=True)
    a.blast_bin = os.path.join(a.work, "blast")
    src = os.path.join(ROOT, "blast.c")
    if a.generator == "blast" and (not os.path.exists(a.blast_bin) or os.path.getmtime(a.blast_bin) < os.path.getmtime(src)):
        subprocess.run(["cc", "-O2", "-pthread", "-o", a.blast_bin, src], check=True)
    os.environ["CEILING_BIN"] = ceil_bin
    os.environ["BENCH_WORK"] = a.work
    os.environ["UPSTREAM"] = "127.0.0.1:%d" % UPSTREAM_PORT

    results = {}
    meta = {"date": datetime.datetime.now().isoformat(timespec="seconds"), "host": os.uname().nodename,
            "cpus": ncpu, "pinned": pin, "server_cpus": sorted(srv_cpus) if pin else None,
            "loadgen_cpus": sorted(a.loadgen_cpus) if pin else None, "seconds": a.seconds,
            "lat_seconds": a.lat_seconds, "lat_qps": a.lat_qps, "clients": a.clients,
            "outstanding": a.outstanding, "generator": a.generator, "threads": a.threads,
            "timeout": a.timeout, "repeat": a.repeat, "vpcdns_mode": os.environ.get("VPCDNS_MODE", "zones"),
            "endpoints": len(m["endpoints"]),
            "local_names": len(m["records"]), "zones": len(m["zones"])}
    try:
        dv = subprocess.run(["dnsperf", "-h"], capture_output=True, text=True).stdout
        meta["dnsperf"] = (re.findall(r"Version (\S+)", dv) or ["?"])[0]
    except OSError:
        pass
    if a.generator == "blast":
        meta["blast"] = "blast.c (cc -O2), -T %d -c %d -q %d" % (a.threads, a.clients, a.outstanding)

    # upstream authoritative (shares the load generator's CPU)
    nsd, why = start("nsd.sh", UPSTREAM_PORT, datadir, os.path.join(a.work, "run", "nsd"), a.loadgen_cpus)
    if nsd is None:
        raise SystemExit("upstream: " + why)
    err = wait_ready(nsd, UPSTREAM_PORT, "www." + m["upstream"]["zone"], "A")
    if err:
        raise SystemExit("upstream nsd on %d: %s (see %s/run/nsd)" % (UPSTREAM_PORT, err, a.work))
    log("upstream nsd pid %d on 127.0.0.1:%d" % (nsd.pid, UPSTREAM_PORT))

    rng = random.Random(int(time.time()))
    for t in targets:
        adapter, port = TARGETS[t]
        results[t] = {}
        for s in scns:
            cell = {"status": "OK", "port": port}
            results[t][s] = cell
            rundir = os.path.join(a.work, "run", t)
            p, why = start(adapter, port, datadir, rundir, srv_cpus)
            if p is None:
                cell.update(status="ERROR", reason=why)
                log(t, s, "ERROR", why)
                continue
            probe = m["endpoints"][0] if t != "ceiling" else "probe.invalid."
            err = wait_ready(p, port, probe, "A")
            if err:
                if p.returncode == 3:
                    msg = open(os.path.join(rundir, "stdout.log")).read().strip().splitlines()
                    cell.update(status="SKIP", reason=(msg[-1] if msg else "not available"))
                else:
                    tail = open(os.path.join(rundir, "stdout.log")).read().strip().splitlines()[-3:]
                    cell.update(status="ERROR", reason=err + " | " + " / ".join(tail))
                log(t, s, cell["status"], cell["reason"])
                stop(p)
                if cell["status"] == "SKIP":  # same for every scenario
                    for s2 in scns:
                        results[t][s2] = dict(cell)
                    break
                continue
            cell["pid"] = p.pid
            if t == "ceiling":
                cell["checks"] = "n/a (fixed answer)"
            else:
                n, fails = run_checks(port, s, m, rng)
                cell["checks"] = "%d/%d ok" % (n - len(fails), n)
                if fails:
                    cell.update(status="FAIL", reason=fails[0], check_failures=fails)
                    log(t, s, "FAIL", *fails)
                    stop(p)
                    continue
            if a.checks_only:
                cell["rss_kb"] = rss(p.pid).get("VmHWM")
                log(t, s, "checks", cell["checks"])
                stop(p)
                continue
            if s == "S2":  # warm the cache with every name once
                load(port, m["queries"]["S2"], 5, a, maxruns=1)
            qfile = m["queries"][s]
            log(t, s, "load %ds on port %d ..." % (a.seconds, port))
            runs = []
            for i in range(a.repeat):
                c0, n0, w0 = cpu_ticks(p.pid), sched_ns(p.pid), time.time()
                r = load(port, s3_variant(qfile, i) if s == "S3" else qfile, a.seconds, a)
                c1, n1, w1 = cpu_ticks(p.pid), sched_ns(p.pid), time.time()
                if c0 is not None and c1 is not None:
                    r["server_cpu_pct"] = round(100.0 * (c1 - c0) / (w1 - w0), 1)
                    r["server_cpu_s"] = round(c1 - c0, 3)
                    if r.get("completed"):
                        r["us_cpu_per_query"] = round(1e6 * (c1 - c0) / r["completed"], 3)
                        if n0 is not None and n1 is not None:
                            r["us_sched_per_query"] = round((n1 - n0) / 1e3 / r["completed"], 3)
                runs.append(r)
                if r.get("qps") is None:
                    break
            if a.repeat > 1 and all(x.get("qps") is not None for x in runs):
                cell["qps_runs"] = [round(x["qps"], 1) for x in runs]
                r = sorted(runs, key=lambda x: x["qps"])[len(runs) // 2]  # median run
            for k in ("server_cpu_pct", "server_cpu_s", "us_cpu_per_query", "us_sched_per_query"):
                if k in r:
                    cell[k] = r[k]
            if a.repeat > 1 and all("us_cpu_per_query" in x for x in runs):
                cell["us_cpu_per_query_runs"] = [x["us_cpu_per_query"] for x in runs]
            if r.get("qps") is None:
                cell.update(status="ERROR", reason="dnsperf: " + r.get("error", "?"))
                log(t, s, "ERROR", cell["reason"])
                stop(p)
                continue
            cell.update({k: r[k] for k in ("qps", "sent", "completed", "lost", "avg_latency_ms", "max_latency_ms", "rcodes", "cmd")})
            if r.get("unexpected") is not None:  # blast: answers that matched no outstanding query
                cell["unexpected"] = r["unexpected"]
            warnings = []
            if t != "ceiling" and s == "S3" and max(x.get("sent") or 0 for x in runs) > m.get("s3_count", 0):
                warnings.append("S3 file wrapped (cached repeats)")
            tot = sum(r["rcodes"].values()) or 1
            bad = sum(v for k, v in r["rcodes"].items() if k not in EXPECTED_RCODES[s])
            if t != "ceiling" and bad / tot > 0.01:
                warnings.append("%.1f%% unexpected rcodes" % (100.0 * bad / tot))
            if r["sent"] and (r.get("unexpected") or 0) / r["sent"] > 0.01:
                warnings.append("%.1f%% unmatched answers" % (100.0 * r["unexpected"] / r["sent"]))
            if r["sent"] and r["lost"] and r["lost"] / r["sent"] > 0.01:
                warnings.append("%.1f%% lost" % (100.0 * r["lost"] / r["sent"]))
            lq = m["s3_lat"] if s == "S3" else qfile
            lr = load(port, lq, a.lat_seconds, a, rate=a.lat_qps, verbose=True)
            cell.update({"lat_" + k: lr.get(k) for k in ("qps", "lost", "avg_latency_ms")})
            cell.update({k: lr.get(k) for k in ("p50_ms", "p99_ms", "p999_ms") if k in lr})
            if (lr.get("qps") or 0) < 0.95 * a.lat_qps or (r["qps"] or 0) < a.lat_qps:
                warnings.append("p99 run above capacity")  # p99 then measures queueing, not service
            mem = rss(p.pid)
            cell["rss_kb"], cell["vmrss_kb"] = mem.get("VmHWM"), mem.get("VmRSS")
            if p.poll() is not None:
                warnings.append("server exited during load")
            cell["warnings"] = warnings
            log(t, s, "qps %.0f lost %s p99 %.3fms hwm %s kB %s" % (r["qps"], r["lost"], cell.get("p99_ms") or -1,
                                                                  cell["rss_kb"], " ".join(warnings)))
            stop(p)
    stop(nsd)
    best_peer_ratios(results, scns)

    out = {"meta": meta, "scenarios": {s: SCENARIOS[s] for s in scns}, "results": results}
    jpath = a.json or os.path.join(a.work, "results.json")
    with open(jpath, "w") as f:
        json.dump(out, f, indent=1)
    gen = ("blast -T %d" % a.threads) if a.generator == "blast" else "dnsperf %s" % meta.get("dnsperf")
    print("## vpcdns bench %s (%d cpus, server pinned to %s, generator %s on %s, %ds load x %d, -c %d -q %d)\n"
          % (meta["date"], ncpu, meta["server_cpus"], gen, meta["loadgen_cpus"], a.seconds, a.repeat,
             a.clients, a.outstanding))
    print(table(results, targets, scns, meta))
    print("\nresults: %s" % jpath)


if __name__ == "__main__":
    main()
