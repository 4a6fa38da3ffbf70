#!/usr/bin/env python3
"""How vpcdns's start-up, reload and memory grow with its data (issue 14).

For each data set -- 200, 2,000 and 20,000 interface endpoints (gen.py's
data, endpoints mode) and one hosted zone of 1,000,000 records -- starts the
built daemon, measures:
  load_s      spawn until the first local answer (configuration + zones),
  hwm_mib     VmHWM after start-up,
  reload_s    SIGHUP until the daemon logs that the reload finished,
  stall_ms    the longest answer time seen by a fixed-rate load (blast -Q)
              running across that reload: the longest time a query waited,
              i.e. how long the reload held the query path,
  lost        queries of that run that got no answer,
and stops the daemon by PID.  Writes WORK/scale.json and prints a Markdown
table.  Traffic: 127.0.0.1 port 15318 only; every load is bounded by -l.
"""
import argparse
import json
import os
import random
import signal
import socket
import struct
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PORT = 15318


def query(name, timeout=0.2):
    """One A query over UDP; returns the rcode or None on timeout."""
    qid = random.randrange(65536)
    q = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0)
    for label in name.rstrip(".").split("."):
        q += bytes([len(label)]) + label.encode()
    q += b"\0" + struct.pack(">HH", 1, 1)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(timeout)
    try:
        s.sendto(q, ("127.0.0.1", PORT))
        while True:
            r = s.recv(4096)
            if len(r) >= 4 and struct.unpack(">H", r[:2])[0] == qid:
                return r[3] & 0x0F
    except OSError:
        return None
    finally:
        s.close()


def hwm_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return None


def wait_answer(p, name, limit):
    t0 = time.monotonic()
    while time.monotonic() - t0 < limit:
        if p.poll() is not None:
            raise SystemExit("vpcdns exited with %s during start-up" % p.returncode)
        if query(name) is not None:
            return time.monotonic() - t0
        time.sleep(0.005)
    raise SystemExit("vpcdns did not answer %s within %d s" % (name, limit))


def wait_log(path, needle, count, limit):
    t0 = time.monotonic()
    while time.monotonic() - t0 < limit:
        with open(path, errors="replace") as f:
            if f.read().count(needle) >= count:
                return time.monotonic() - t0
        time.sleep(0.002)
    return None


def write_query_file(path, names):
    with open(path, "w") as f:
        for n in names:
            f.write("%s A\n" % n)


def measure(a, label, conf, probe, names, workdir):
    log = os.path.join(workdir, "vpcdns.log")
    out = open(log, "w")
    t0 = time.monotonic()
    p = subprocess.Popen([a.vpcdns, "-c", conf], stdout=out, stderr=subprocess.STDOUT,
                         stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_answer(p, probe, 600)
        load_s = time.monotonic() - t0
        hwm = hwm_kib(p.pid)
        qfile = os.path.join(workdir, "queries.txt")
        write_query_file(qfile, names)
        secs = a.reload_seconds
        b = subprocess.Popen([a.blast, "-s", "127.0.0.1", "-p", str(PORT), "-d", qfile,
                              "-l", str(secs), "-q", "200", "-c", "2", "-T", "1",
                              "-Q", str(a.rate), "-t", "5"],
                             stdout=subprocess.PIPE, text=True)
        time.sleep(secs / 2.0)
        t1 = time.monotonic()
        os.kill(p.pid, signal.SIGHUP)
        reload_s = wait_log(log, "reloaded", 1, 600)
        if reload_s is not None:
            reload_s = round(reload_s, 3)
        res = json.loads(b.communicate(timeout=secs + 60)[0].strip().splitlines()[-1])
        lat = res.get("latency_ms", {})
        row = {"data": label, "load_s": round(load_s, 3), "hwm_mib": round(hwm / 1024.0, 1),
               "reload_s": reload_s, "stall_ms": lat.get("max"), "p99_ms": lat.get("p99"),
               "lost": res.get("lost"), "sent": res.get("sent"), "rate": a.rate,
               "sighup_at_s": round(t1 - t0, 3)}
        print("scale: %s" % json.dumps(row), file=sys.stderr)
        return row
    finally:
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
        out.close()


def endpoints_case(a, n):
    work = os.path.join(a.work, "scale-%d" % n)
    data = os.path.join(work, "data")
    if not os.path.exists(os.path.join(data, "manifest.json")):
        subprocess.run([sys.executable, os.path.join(ROOT, "gen.py"), "--out", data,
                        "--endpoints", str(n), "--s3-count", "1000", "--lines", "20000"],
                       check=True, stdout=subprocess.DEVNULL)
    m = json.load(open(os.path.join(data, "manifest.json")))
    conf = os.path.join(work, "vpcdns.yaml")
    subprocess.run([sys.executable, os.path.join(HERE, "confgen.py"), "vpcdns-yaml",
                    os.path.join(data, "manifest.json"), conf, "127.0.0.1:9", str(PORT), "endpoints"],
                   check=True)
    names = [r[0] if isinstance(r, list) else r for r in m["endpoints"]]
    return measure(a, "%d endpoints" % n, conf, m["endpoints"][0], names, work)


def big_zone_case(a, records):
    work = os.path.join(a.work, "scale-zone-%d" % records)
    os.makedirs(work, exist_ok=True)
    zone = os.path.join(work, "big.internal.zone")
    if not os.path.exists(zone):
        with open(zone, "w") as f:
            f.write("$ORIGIN big.internal.\n$TTL 300\n")
            f.write("@ IN SOA ns-1536.awsdns-00.co.uk. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400\n")
            f.write("@ IN NS ns-1536.awsdns-00.co.uk.\n")
            for i in range(records):
                f.write("h%d IN A 10.%d.%d.%d\n" % (i, (i >> 16) & 255, (i >> 8) & 255, i & 255))
    conf = os.path.join(work, "vpcdns.yaml")
    with open(conf, "w") as f:
        f.write("listen:\n  - {address: 127.0.0.1, port: %d}\n" % PORT)
        f.write("upstreams: [127.0.0.1:9]\n")
        f.write("vpcs:\n  - id: vpc-0bench\n    region: us-east-1\n    hosted-zones:\n")
        f.write("      - {name: big.internal, file: %s}\n" % zone)
    rng = random.Random(7)
    names = ["h%d.big.internal" % rng.randrange(records) for _ in range(20000)]
    return measure(a, "1 zone, %d records" % records, conf, "h0.big.internal", names, work)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--vpcdns", default=os.environ.get("VPCDNS_BIN"))
    ap.add_argument("--blast", required=True)
    ap.add_argument("--work", default=os.environ.get("BENCH_WORK", "/tmp/vpcdns-bench"))
    ap.add_argument("--endpoints", default="200,2000,20000")
    ap.add_argument("--zone-records", type=int, default=1000000)
    ap.add_argument("--rate", type=int, default=5000, help="fixed query rate across the reload")
    ap.add_argument("--reload-seconds", type=int, default=6)
    a = ap.parse_args()
    if not a.vpcdns or not os.access(a.vpcdns, os.X_OK):
        raise SystemExit("scale: set VPCDNS_BIN or --vpcdns to the built daemon")
    rows = [endpoints_case(a, int(n)) for n in a.endpoints.split(",") if n]
    if a.zone_records:
        rows.append(big_zone_case(a, a.zone_records))
    with open(os.path.join(a.work, "scale.json"), "w") as f:
        json.dump(rows, f, indent=1)
    print("| data | load (s) | VmHWM (MiB) | reload (s) | longest answer during reload (ms) | lost |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print("| %s | %.2f | %.1f | %s | %s | %s/%s |" % (r["data"], r["load_s"], r["hwm_mib"],
              r["reload_s"], r["stall_ms"], r["lost"], r["sent"]))


if __name__ == "__main__":
    main()
