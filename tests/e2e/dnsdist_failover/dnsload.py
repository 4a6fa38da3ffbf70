#!/usr/bin/env python3
# tests/e2e/dnsdist_failover/dnsload.py - a bounded, fixed-rate DNS load
# generator that checks every answer, and a one-query client that can put
# a PROXY v2 header in front (haproxy's proxy-protocol.txt, section 2.2).
#
# Copyright (c) 2026 The vpcdns authors.
# SPDX-License-Identifier: MIT
#
#   dnsload.py ask PORT SRC NAME [--proxy CLIENT|--local] [--tcp]
#                  [--mangle version|family|v1]
#       one A query to 127.0.0.1:PORT from SRC; prints the rcode and the
#       addresses ("NOERROR 10.0.0.2"), or "TIMEOUT" / "CLOSED".  --mangle
#       breaks the header: version 1 in the binary form, family 4, or the
#       text form of version 1.
#   dnsload.py load PORT OUT --rate QPS --seconds S SRC=ADDR [SRC=ADDR...]
#       sends A queries for NAME (--name) to 127.0.0.1:PORT at a fixed
#       total rate, round robin over the sources (each bound to its SRC
#       address), and records for every query its send time (wall clock)
#       and whether the answer was ADDR ("ok"), another answer ("wrong"),
#       another rcode, or nothing within --timeout ("lost").  Writes OUT
#       (JSON) and, while running, OUT.progress (seconds since the start).
#   dnsload.py analyse OUT --stop T --start T --bound SECONDS
#       the figures of a run with a replica stopped at --stop and started
#       again at --start (wall clock); exit 1 when an answer was wrong, an
#       rcode other than NOERROR came back, or a query was lost outside
#       [stop, stop + bound].
# Every loop is bounded in count and time; traffic goes to 127.0.0.1 only.
import argparse
import json
import os
import select
import socket
import struct
import sys
import time

import dns.message
import dns.rcode
import dns.rdatatype

SIG = b"\r\n\r\n\x00\r\nQUIT\n"


def proxy_header(client, local=False, stream=False):
    """A PROXY v2 header naming CLIENT (an IPv4 address) as the source."""
    if local:
        return SIG + bytes([0x20, 0x00]) + b"\x00\x00"
    body = (socket.inet_aton(client) + socket.inet_aton("127.0.0.1") +
            struct.pack(">HH", 40000, 53))
    return SIG + bytes([0x21, 0x11 if stream else 0x12]) + \
        struct.pack(">H", len(body)) + body


def summary(msg):
    addrs = sorted(rd.address for rr in msg.answer for rd in rr
                   if rr.rdtype == dns.rdatatype.A)
    return " ".join([dns.rcode.to_text(msg.rcode())] + addrs)


def ask(a):
    q = dns.message.make_query(a.name, "A")
    pre = b""
    if a.local or a.proxy:
        pre = proxy_header(a.proxy, a.local, a.tcp)
    if a.mangle == "version":
        pre = pre[:12] + bytes([0x11]) + pre[13:]
    elif a.mangle == "family":
        pre = pre[:13] + bytes([0x42]) + pre[14:]
    elif a.mangle == "v1":
        pre = ("PROXY TCP4 %s 127.0.0.1 40000 53\r\n" % a.proxy).encode()
    wire = q.to_wire()
    try:
        if a.tcp:
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.settimeout(a.timeout)
            s.bind((a.src, 0))
            s.connect(("127.0.0.1", a.port))
            s.sendall(pre + struct.pack(">H", len(wire)) + wire)
            head = b""
            while len(head) < 2:
                chunk = s.recv(2 - len(head))
                if not chunk:
                    print("CLOSED")
                    return 0
                head += chunk
            n = struct.unpack(">H", head)[0]
            body = b""
            while len(body) < n:
                chunk = s.recv(n - len(body))
                if not chunk:
                    print("CLOSED")
                    return 0
                body += chunk
        else:
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.settimeout(a.timeout)
            s.bind((a.src, 0))
            s.sendto(pre + wire, ("127.0.0.1", a.port))
            body = s.recv(65535)
    except socket.timeout:
        print("TIMEOUT")
        return 0
    except ConnectionError:
        print("CLOSED")
        return 0
    print(summary(dns.message.from_wire(body)))
    return 0


def load(a):
    pairs = [p.split("=", 1) for p in a.pairs]
    socks = []
    for src, _ in pairs:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind((src, 0))
        s.setblocking(False)
        socks.append(s)
    total = int(a.rate * a.seconds)
    sent = {}          # (sock index, id) -> record index
    recs = []          # [t_send, src index, status]
    t0 = time.time()
    end = t0 + a.seconds + a.timeout + 1
    nxt = 0
    last_progress = 0
    while time.time() < end:
        now = time.time()
        # Fixed rate: query i goes at t0 + i / rate, late ones at once.
        while nxt < total and t0 + nxt / a.rate <= now:
            i = nxt % len(socks)
            qid = (nxt // len(socks)) % 65536
            q = dns.message.make_query(a.name, "A")
            q.id = qid
            try:
                socks[i].sendto(q.to_wire(), ("127.0.0.1", a.port))
            except OSError:
                pass   # counted as lost
            sent[(i, qid)] = len(recs)
            recs.append([now, i, "lost", None])
            nxt += 1
        if now - last_progress >= 0.2:
            with open(a.out + ".progress", "w") as f:
                f.write("%.3f\n" % (now - t0))
            last_progress = now
        # Expire queries older than the timeout (their ids may repeat).
        wait = 0.05 if nxt >= total else max(
            0.0, min(0.05, t0 + nxt / a.rate - time.time()))
        r, _, _ = select.select(socks, [], [], wait)
        for s in r:
            i = socks.index(s)
            for _ in range(256):
                try:
                    data = s.recv(65535)
                except BlockingIOError:
                    break
                try:
                    m = dns.message.from_wire(data)
                except Exception:
                    continue
                k = sent.pop((i, m.id), None)
                if k is None:
                    continue
                rec = recs[k]
                if time.time() - rec[0] > a.timeout:
                    continue   # too late: stays lost
                got = summary(m)
                want = "NOERROR " + pairs[i][1]
                rec[2] = "ok" if got == want else (
                    "wrong" if m.rcode() == 0 else
                    dns.rcode.to_text(m.rcode()))
                rec[3] = time.time() - rec[0]
        if nxt >= total and not sent:
            break
    json.dump({"t0": t0, "rate": a.rate, "sources": pairs,
               "records": recs}, open(a.out, "w"))
    print("sent %d answered %d" % (len(recs),
                                   sum(1 for r in recs if r[2] != "lost")))
    return 0


def analyse(a):
    d = json.load(open(a.out))
    recs = d["records"]
    bad = 0
    counts = {}
    for r in recs:
        counts[r[2]] = counts.get(r[2], 0) + 1
    lost = [r[0] for r in recs if r[2] == "lost"]
    late = [t for t in lost if not a.stop <= t <= a.stop + a.bound]
    other = {k: v for k, v in counts.items() if k not in ("ok", "lost")}
    lat = sorted(r[3] for r in recs if r[3] is not None)
    print("queries %d rate %g/s: %s" % (len(recs), d["rate"], " ".join(
        "%s=%d" % kv for kv in sorted(counts.items()))))
    if lat:
        print("latency p50 %.1f ms p99 %.1f ms" % (
            1000 * lat[len(lat) // 2], 1000 * lat[int(len(lat) * 0.99)]))
    if lost:
        print("lost window: %.2f s after the stop to %.2f s after it "
              "(%d queries; bound %.1f s)" % (
                  min(lost) - a.stop, max(lost) - a.stop, len(lost),
                  a.bound))
    else:
        print("lost window: none (bound %.1f s)" % a.bound)
    after = [r for r in recs if r[0] >= a.start]
    print("after the restart: %d queries, %d ok" % (
        len(after), sum(1 for r in after if r[2] == "ok")))
    if other:
        print("FAILED: answers other than the view's: %s" % other)
        bad = 1
    if late:
        print("FAILED: %d queries lost outside the window, first at "
              "%.2f s after the stop" % (len(late), min(late) - a.stop))
        bad = 1
    return bad


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    q = sub.add_parser("ask")
    q.add_argument("port", type=int)
    q.add_argument("src")
    q.add_argument("name")
    q.add_argument("--proxy")
    q.add_argument("--local", action="store_true")
    q.add_argument("--tcp", action="store_true")
    q.add_argument("--mangle", choices=["version", "family", "v1"])
    q.add_argument("--timeout", type=float, default=2.0)
    ld = sub.add_parser("load")
    ld.add_argument("port", type=int)
    ld.add_argument("out")
    ld.add_argument("pairs", nargs="+")
    ld.add_argument("--rate", type=float, required=True)
    ld.add_argument("--seconds", type=float, required=True)
    ld.add_argument("--timeout", type=float, default=2.0)
    ld.add_argument("--name", default="who.svc.internal")
    an = sub.add_parser("analyse")
    an.add_argument("out")
    an.add_argument("--stop", type=float, required=True)
    an.add_argument("--start", type=float, required=True)
    an.add_argument("--bound", type=float, required=True)
    a = p.parse_args()
    if a.cmd == "load" and (a.rate <= 0 or a.rate > 5000 or
                            a.seconds <= 0 or a.seconds > 120):
        p.error("rate 0..5000 and seconds 0..120 only")
    return {"ask": ask, "load": load, "analyse": analyse}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
