# tests/e2e/limits/limits.py - the clients of the limits scenario: bursts
# of queries from one source address, counted by kind of reply.  Prints
# `key=value` lines (and `bad: ...` lines describing unexpected replies,
# at most 5).  Every loop and every wait is bounded.
#
#   limits.py burst SERVER PORT SOURCES NAME TYPE COUNT udp|tcp
#       COUNT queries (EDNS, payload 4096, distinct IDs) from SOURCES (one
#       address, or several separated by commas, taking turns); over UDP
#       all are sent at once, then the replies are collected (3 s at
#       most); over TCP one connection per query.  Prints
#         sent, replies, full (TC clear, NOERROR, answer records),
#         tc (TC set), tc_ok (TC set, NOERROR, no records but the OPT,
#         the question echoed, no larger than the query), other,
#         ancount (the number of answer records of every full reply; 0
#         when there was none, -1 when they differ),
#         qlen, tc_maxlen, full_minlen, span_ms (first send to last reply),
#         full_1, full_2, ... (the full replies to each source in turn).
#
#   limits.py flood PORT SOURCE COUNT SPREAD_MS [OTHER COUNT2]
#       COUNT queries for db.corp.internal A (no EDNS) from SOURCE to
#       127.0.0.1:PORT, spread evenly over SPREAD_MS (0: as fast as
#       possible), then COUNT2 from OTHER at once; replies are collected
#       until all came, 0.7 s passed without one, or 3 s after the last
#       send.  Prints sent, answered, other_sent, other_answered, bad
#       (replies that are not one NOERROR answer), send_ms, span_ms (first
#       send to last reply to SOURCE), rcvbuf_errors (UDP receive buffer
#       errors of this network namespace during the run).
#
# Usage errors exit 2.

import selectors
import socket
import struct
import sys
import time

import dns.flags
import dns.message
import dns.rcode

BAD_MAX = 5
RCVBUF = 16 * 1024 * 1024


def big_rcvbuf(s):
    """As large a receive buffer as we may get (FORCE needs CAP_NET_ADMIN)."""
    for opt in (getattr(socket, "SO_RCVBUFFORCE", 33), socket.SO_RCVBUF):
        try:
            s.setsockopt(socket.SOL_SOCKET, opt, RCVBUF)
            return
        except OSError:
            continue


def udp_errors():
    """RcvbufErrors of /proc/net/snmp's Udp line (this namespace)."""
    try:
        with open("/proc/net/snmp") as f:
            rows = [line.split() for line in f if line.startswith("Udp:")]
        return int(dict(zip(rows[0][1:], rows[1][1:]))["RcvbufErrors"])
    except (OSError, KeyError, IndexError, ValueError):
        return 0


def wire_name(text):
    out = b""
    for label in text.strip(".").split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\x00"


class Tally:
    def __init__(self):
        self.v = {"sent": 0, "replies": 0, "full": 0, "tc": 0, "tc_ok": 0,
                  "other": 0, "qlen": 0, "tc_maxlen": 0, "full_minlen": 0,
                  "span_ms": 0}
        self.ancounts = set()
        self.bad = []

    def note_bad(self, text):
        if len(self.bad) < BAD_MAX:
            self.bad.append(text)

    def reply(self, q, wire):
        v = self.v
        v["replies"] += 1
        try:
            r = dns.message.from_wire(wire)
        except Exception as e:  # a reply dnspython cannot parse
            v["other"] += 1
            self.note_bad(f"unparsable reply of {len(wire)} bytes: {e}")
            return "other"
        rc = dns.rcode.to_text(r.rcode())
        n_an = sum(len(rr) for rr in r.answer)
        n_ns = sum(len(rr) for rr in r.authority)
        n_ar = sum(len(rr) for rr in r.additional)
        if r.id != q.id or r.question != q.question:
            v["other"] += 1
            self.note_bad(f"id {r.id} / question {r.question} do not match")
            return "other"
        if r.flags & dns.flags.TC:
            v["tc"] += 1
            v["tc_maxlen"] = max(v["tc_maxlen"], len(wire))
            if (rc == "NOERROR" and n_an == 0 and n_ns == 0 and n_ar == 0
                    and len(wire) <= len(q.to_wire())):
                v["tc_ok"] += 1
            else:
                self.note_bad(f"TC reply: rcode {rc}, {n_an}/{n_ns}/{n_ar}"
                              f" records, {len(wire)} bytes")
            return "tc"
        if rc == "NOERROR" and n_an > 0:
            v["full"] += 1
            self.ancounts.add(n_an)
            if v["full_minlen"] == 0 or len(wire) < v["full_minlen"]:
                v["full_minlen"] = len(wire)
            return "full"
        v["other"] += 1
        self.note_bad(f"reply: rcode {rc}, {n_an} answers, TC clear")
        return "other"

    def show(self):
        for k, val in self.v.items():
            print(f"{k}={val}")
        one = next(iter(self.ancounts)) if len(self.ancounts) == 1 else (
            -1 if self.ancounts else 0)
        print(f"ancount={one}")
        for b in self.bad:
            print("bad: " + b)


def burst(server, port, sources, name, rtype, count, proto):
    t = Tally()
    queries = {}
    for i in range(count):
        q = dns.message.make_query(name, rtype, use_edns=0, payload=4096)
        q.id = 0x1000 + i
        queries[q.id] = q
    t.v["qlen"] = len(next(iter(queries.values())).to_wire())
    srcs = sources.split(",")
    full_by = [0] * len(srcs)
    t0 = time.monotonic()
    last = t0
    if proto == "tcp":
        for i, q in enumerate(queries.values()):
            t.v["sent"] += 1
            try:
                r = tcp_query(server, port, srcs[i % len(srcs)], q.to_wire())
            except OSError as e:
                t.note_bad(f"TCP query {q.id}: {e}")
                continue
            last = time.monotonic()
            if t.reply(q, r) == "full":
                full_by[i % len(srcs)] += 1
    else:
        sel = selectors.DefaultSelector()
        socks = []
        for k, src in enumerate(srcs):
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            big_rcvbuf(s)
            s.bind((src, 0))
            s.connect((server, port))
            s.setblocking(False)
            sel.register(s, selectors.EVENT_READ, k)
            socks.append(s)
        for i, q in enumerate(queries.values()):
            socks[i % len(srcs)].send(q.to_wire())
            t.v["sent"] += 1
        seen = set()
        deadline = time.monotonic() + 3.0
        while len(seen) < count:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            for key, _ in sel.select(left):
                try:
                    wire = key.fileobj.recv(65535)
                except BlockingIOError:
                    continue
                last = time.monotonic()
                rid = (struct.unpack(">H", wire[:2])[0] if len(wire) >= 2
                       else -1)
                if (rid not in queries or rid in seen or
                        (rid - 0x1000) % len(srcs) != key.data):
                    t.note_bad(f"reply with unknown or repeated id {rid}")
                    continue
                seen.add(rid)
                if t.reply(queries[rid], wire) == "full":
                    full_by[key.data] += 1
        for s in socks:
            s.close()
    t.v["span_ms"] = int((last - t0) * 1000)
    t.show()
    for k, n in enumerate(full_by):
        print(f"full_{k + 1}={n}")


def tcp_query(server, port, source, wire):
    with socket.create_connection((server, port), timeout=3,
                                  source_address=(source, 0)) as c:
        c.sendall(struct.pack(">H", len(wire)) + wire)
        buf = b""
        while len(buf) < 2 or len(buf) < 2 + struct.unpack(">H", buf[:2])[0]:
            chunk = c.recv(65535)
            if not chunk:
                raise OSError("connection closed before the reply")
            buf += chunk
        return buf[2:2 + struct.unpack(">H", buf[:2])[0]]


def flood(port, source, count, spread_ms, other, count2):
    question = wire_name("db.corp.internal") + struct.pack(">HH", 1, 1)

    def query(qid):
        return struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0) + question

    socks = {}
    for src in [source] + ([other] if other else []):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        big_rcvbuf(s)
        s.bind((src, 0))
        s.connect(("127.0.0.1", port))
        s.setblocking(False)
        socks[src] = s
    sel = selectors.DefaultSelector()
    for src, s in socks.items():
        sel.register(s, selectors.EVENT_READ, src)
    answered = {src: set() for src in socks}
    sent = {src: 0 for src in socks}
    bad = []
    last_reply = {src: 0.0 for src in socks}

    def drain(timeout):
        got = 0
        for key, _ in sel.select(timeout):
            src = key.data
            for _ in range(4096):
                try:
                    wire = key.fileobj.recv(65535)
                except BlockingIOError:
                    break
                got += 1
                last_reply[src] = time.monotonic()
                if len(wire) < 12:
                    bad.append(f"{src}: short reply")
                    continue
                qid, flags, _, an = struct.unpack(">HHHH", wire[:8])
                if qid >= sent[src] or qid in answered[src]:
                    bad.append(f"{src}: unknown or repeated id {qid}")
                elif flags & 0x820f != 0x8000 or an != 1:
                    bad.append(f"{src}: id {qid} flags {flags:#06x} an {an}")
                answered[src].add(qid)
        return got

    rcv0 = udp_errors()
    t0 = time.monotonic()
    s = socks[source]
    for i in range(count):
        if spread_ms > 0:
            due = t0 + spread_ms / 1000.0 * i / count
            while time.monotonic() < due:
                drain(max(0.0, min(0.01, due - time.monotonic())))
        for _ in range(100):
            try:
                s.send(query(i))
                break
            except BlockingIOError:
                drain(0.001)
        sent[source] += 1
        if i % 128 == 127:
            drain(0)
    t1 = time.monotonic()
    if other:
        for i in range(count2):
            socks[other].send(query(i))
            sent[other] += 1
    t_sent = time.monotonic()
    total = sum(sent.values())
    quiet_since = t_sent
    while sum(len(a) for a in answered.values()) < total:
        now = time.monotonic()
        if now - t_sent > 3.0 or now - quiet_since > 0.7:
            break
        if drain(0.05):
            quiet_since = time.monotonic()
    print(f"sent={sent[source]}")
    print(f"answered={len(answered[source])}")
    print(f"other_sent={sent.get(other, 0) if other else 0}")
    print(f"other_answered={len(answered[other]) if other else 0}")
    print(f"bad={len(bad)}")
    print(f"send_ms={int((t1 - t0) * 1000)}")
    span = last_reply[source] - t0 if last_reply[source] else 0
    print(f"span_ms={int(span * 1000)}")
    print(f"rcvbuf_errors={udp_errors() - rcv0}")
    for b in bad[:BAD_MAX]:
        print("bad: " + b)


def main(argv):
    if len(argv) == 8 and argv[0] == "burst":
        burst(argv[1], int(argv[2]), argv[3], argv[4], argv[5], int(argv[6]),
              argv[7])
    elif len(argv) in (5, 7) and argv[0] == "flood":
        flood(int(argv[1]), argv[2], int(argv[3]), int(argv[4]),
              argv[5] if len(argv) == 7 else None,
              int(argv[6]) if len(argv) == 7 else 0)
    else:
        print("usage: limits.py burst SERVER PORT SOURCE NAME TYPE COUNT"
              " udp|tcp | flood PORT SOURCE COUNT SPREAD_MS [OTHER COUNT2]",
              file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
