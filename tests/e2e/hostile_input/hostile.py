# tests/e2e/hostile_input/hostile.py - hostile clients against vpcdns on
# 127.0.0.1, one group of cases per run; prints one line per case:
#
#   CASE: rcode=NAME id=match qr=1 opcode=N qd=N an=N ns=N ar=N opt=... len=N qlen=N
#   CASE: no reply           (UDP: nothing within the wait)
#   CASE: closed             (TCP: the server closed the connection)
#   CASE: open               (TCP: neither data nor close within the wait)
#   CASE: <free text>        (the load groups print counts and times)
#
# Usage: hostile.py PORT GROUP.  Standard library only; every loop and
# every wait is bounded; the random data comes from a seeded generator so
# that a failure can be replayed.  Groups: headers qdcount compression
# names edns qr tcp pipeline garbage idle flood.

import errno
import os
import random
import resource
import selectors
import socket
import struct
import sys
import threading
import time

RCODES = {0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN",
          4: "NOTIMP", 5: "REFUSED", 16: "BADVERS"}
QID = 0x6b1d
ADDR = "127.0.0.1"
PORT = 0


def header(qid=QID, flags=0x0100, qd=1, an=0, ns=0, ar=0):
    return struct.pack(">HHHHHH", qid, flags, qd, an, ns, ar)


def name(text):
    out = b""
    for label in text.strip(".").split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\x00"


def labels(*parts):
    """A wire name from raw label byte strings."""
    return b"".join(bytes([len(p)]) + p for p in parts) + b"\x00"


def question(qname="db.corp.internal", qtype=1, qclass=1):
    raw = qname if isinstance(qname, bytes) else name(qname)
    return raw + struct.pack(">HH", qtype, qclass)


def opt(payload=1232, version=0, do=False, owner=b"\x00", rdata=b"",
        rdlen=None):
    ttl = (version << 16) | (0x8000 if do else 0)
    n = len(rdata) if rdlen is None else rdlen
    return owner + struct.pack(">HHIH", 41, payload, ttl, n) + rdata


def rr_a(owner=b"\xc0\x0c", addr=b"\x0a\x00\x00\x01"):
    return owner + struct.pack(">HHIH", 1, 1, 60, 4) + addr


def query(qid=QID, qname="db.corp.internal", qtype=1, edns=False):
    msg = header(qid=qid, ar=1 if edns else 0) + question(qname, qtype)
    return msg + (opt() if edns else b"")


def skip_name(buf, pos):
    """Position after a (possibly compressed) name; raises on garbage."""
    while True:
        lab = buf[pos]
        if lab & 0xC0 == 0xC0:
            return pos + 2
        if lab == 0:
            return pos + 1
        pos += 1 + lab


def find_opt(r):
    """(ext_rcode, version, udp, do) of the response's OPT, or None."""
    try:
        qd, an, ns, ar = struct.unpack(">HHHH", r[4:12])
        pos = 12
        for _ in range(qd):
            pos = skip_name(r, pos) + 4
        for i in range(an + ns + ar):
            pos = skip_name(r, pos)
            rtype, rclass, ttl, rdlen = struct.unpack(">HHIH", r[pos:pos + 10])
            if rtype == 41 and i >= an + ns:
                return (ttl >> 24, (ttl >> 16) & 0xFF, rclass,
                        1 if ttl & 0x8000 else 0)
            pos += 10 + rdlen
    except (IndexError, struct.error):
        return "unparsable"
    return None


def describe(r, qid=QID, qlen=0):
    if len(r) < 12:
        return "short reply %s" % r.hex()
    rid, flags, qd, an, ns, ar = struct.unpack(">HHHHHH", r[:12])
    o = find_opt(r)
    rcode = flags & 0xF
    if isinstance(o, tuple):
        rcode |= o[0] << 4
        ostr = "ext=%d,ver=%d,udp=%d" % o[:3]
    else:
        ostr = "none" if o is None else o
    return ("rcode=%s id=%s qr=%d opcode=%d tc=%d qd=%d an=%d ns=%d ar=%d "
            "opt=%s len=%d qlen=%d" % (
                RCODES.get(rcode, str(rcode)),
                "match" if rid == qid else "%04x" % rid, flags >> 15,
                (flags >> 11) & 0xF, (flags >> 9) & 1, qd, an, ns, ar, ostr,
                len(r), qlen))


def say(case, text):
    print("%s: %s" % (case, text), flush=True)


# --- UDP ----------------------------------------------------------------

def udp_batch(cases, wait=1.0):
    """Sends each (case, message) from its own socket, all at once, then
    collects replies for up to @wait seconds; one line per case."""
    sel = selectors.DefaultSelector()
    socks = []
    for case, msg in cases:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setblocking(False)
        s.sendto(msg, (ADDR, PORT))
        socks.append((case, msg, s))
        sel.register(s, selectors.EVENT_READ, len(socks) - 1)
    got = {}
    end = time.monotonic() + wait
    while len(got) < len(socks) and time.monotonic() < end:
        for key, _ in sel.select(max(0.0, end - time.monotonic())):
            try:
                data = key.fileobj.recv(65535)
            except OSError:
                continue
            got.setdefault(key.data, data)
    # Anything else that arrived counts too (a second reply is a bug).
    extra = 0
    for i, (case, msg, s) in enumerate(socks):
        while True:
            try:
                s.recv(65535)
                extra += 1
            except OSError:
                break
        qid = struct.unpack(">H", msg[:2])[0] if len(msg) >= 2 else -1
        say(case, describe(got[i], qid, len(msg)) if i in got else "no reply")
        sel.unregister(s)
        s.close()
    return extra


def udp_query(msg, wait=1.0):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(wait)
    try:
        s.sendto(msg, (ADDR, PORT))
        return s.recv(65535)
    except socket.timeout:
        return None
    finally:
        s.close()


# --- TCP ----------------------------------------------------------------

def tcp_connect(timeout=3.0, source=None):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(timeout)
    if source is not None:
        s.bind((source, 0))
    s.connect((ADDR, PORT))
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def frame(msg):
    return struct.pack(">H", len(msg)) + msg


def recv_exact(s, n):
    buf = b""
    while len(buf) < n:
        chunk = s.recv(n - len(buf))
        if not chunk:
            return None
        buf += chunk
    return buf


def tcp_read_msg(s):
    head = recv_exact(s, 2)
    if head is None:
        return None
    return recv_exact(s, struct.unpack(">H", head)[0])


def tcp_outcome(s, wait):
    """What the server does next: 'closed', 'open' or the reply."""
    s.settimeout(wait)
    try:
        r = tcp_read_msg(s)
    except (ConnectionResetError, BrokenPipeError):
        return "closed"
    except socket.timeout:
        return "open"
    return "closed" if r is None else r


def tcp_case(case, data, wait=3.0, qid=QID, shut=False):
    s = tcp_connect()
    try:
        s.sendall(data)
        if shut:
            s.shutdown(socket.SHUT_WR)
        out = tcp_outcome(s, wait)
    except (ConnectionResetError, BrokenPipeError):
        out = "closed"
    finally:
        s.close()
    say(case, describe(out, qid, len(data)) if isinstance(out, bytes) else out)


def tcp_batch(cases, wait=3.0):
    """Like udp_batch for TCP: one connection per case, all at once; waits
    until each is answered or closed (first event) or @wait passes."""
    sel = selectors.DefaultSelector()
    conns = []
    for case, data in cases:
        s = tcp_connect()
        s.sendall(data)
        s.setblocking(False)
        conns.append([case, data, s, b"", None])
        sel.register(s, selectors.EVENT_READ, len(conns) - 1)
    end = time.monotonic() + wait
    left = len(conns)
    while left and time.monotonic() < end:
        for key, _ in sel.select(max(0.0, end - time.monotonic())):
            c = conns[key.data]
            try:
                chunk = key.fileobj.recv(65535)
            except (ConnectionResetError, BrokenPipeError):
                chunk = b""
            except BlockingIOError:
                continue
            if chunk:
                c[3] += chunk
                if len(c[3]) >= 2 and len(c[3]) >= 2 + struct.unpack(
                        ">H", c[3][:2])[0]:
                    c[4] = c[3][2:]
            else:
                c[4] = "closed"
            if c[4] is not None:
                sel.unregister(key.fileobj)
                left -= 1
    for case, data, s, _, out in conns:
        s.close()
        if out is None:
            out = "open"
        say(case, describe(out, QID, len(data))
            if isinstance(out, bytes) else out)


# --- groups ---------------------------------------------------------------

def g_headers():
    """Every header length 0..11 over UDP (dropped) and TCP (closed)."""
    full = query()
    udp_batch([("udp_len%d" % n, full[:n]) for n in range(12)], wait=1.0)
    tcp_batch([("tcp_len%d" % n, struct.pack(">H", n) + full[:n])
               for n in range(12)], wait=3.0)
    # Half a length prefix, then the client goes away.
    tcp_case("tcp_half_prefix", b"\x00", shut=True)


def g_qdcount():
    q = question()
    udp_batch([
        ("qd0", header(qd=0)),
        ("qd0_edns", header(qd=0, ar=1) + opt()),
        ("qd2", header(qd=2) + q + question("mail.corp.internal")),
        ("qd2_one_present", header(qd=2) + q),
        ("qd3", header(qd=3) + q + q + q),
        ("qd65535", header(qd=0xFFFF) + q),
        ("qd65535_empty", header(qd=0xFFFF)),
        ("qd0_an1", header(qd=0, an=1) + rr_a(owner=name("db.corp.internal"))),
        ("qd1_an65535", header(an=0xFFFF) + q),
        ("qd1_ar65535", header(ar=0xFFFF) + q + opt()),
        ("qd1_normal", query()),
    ])


def g_compression():
    tail = struct.pack(">HH", 1, 1)
    # A chain of 200 backward pointers hidden in the RDATA of a private
    # type record; the next record's owner enters it at the far end.
    chain_start = 12 + len(question()) + 1 + 10
    ptrs = b"".join(struct.pack(">H", 0xC000 | (chain_start + 2 * (i - 1)))
                    if i else b"\xc0\x0c" for i in range(200))
    chain = (header(an=2) + question() + b"\x00" +
             struct.pack(">HHIH", 65280, 1, 0, len(ptrs)) + ptrs +
             struct.pack(">H", 0xC000 | (chain_start + 2 * 199)) +
             struct.pack(">HHIH", 1, 1, 60, 4) + b"\x0a\x00\x00\x01")
    udp_batch([
        # RFC 1035 §4.1.4: pointers go back to a prior occurrence.
        ("ptr_self", header() + b"\xc0\x0c" + tail),
        ("ptr_loop2", header() + b"\xc0\x0e\xc0\x0c" + tail),
        ("ptr_loop_labels", header() + b"\x01a\xc0\x0c" + tail),
        ("ptr_past_end", header() + b"\x01a\xc0\xff" + tail),
        ("ptr_max_offset", header() + b"\xff\xff" + tail),
        ("ptr_cut", header() + b"\x01a\xc0"),
        ("ptr_cut_first_byte", header() + b"\xc0"),
        ("label_type_40", header() + b"\x41" + b"a" * 65 + b"\x00" + tail),
        ("label_type_80", header() + b"\x80" + b"a" * 200 + b"\x00" + tail),
        ("ptr_loop_in_answer", header(an=1) + question() +
         b"\xc0\x22" + b"\x00" * 14),
        ("ptr_past_end_in_additional", header(ar=1) + question() +
         b"\xc0\xf0" + struct.pack(">HHIH", 41, 1232, 0, 0)),
        ("ptr_chain200", chain),
        ("ptr_normal", header(an=1) + question() + rr_a()),
    ])


def g_names():
    tail = struct.pack(">HH", 1, 1)
    zone = [b"corp", b"internal"]
    n255 = labels(b"a" * 63, b"b" * 63, b"c" * 63, b"d" * 47, *zone)
    n256 = labels(b"a" * 63, b"b" * 63, b"c" * 63, b"d" * 48, *zone)
    tiny = labels(*([b"x"] * 120), *zone)   # 255 octets in 122 labels
    tiny1 = labels(*([b"x"] * 121), *zone)  # 257 octets
    odd = labels(b"\x00", b".", b"\xff\xfe", b"A\\B", b"Mixed", *zone)
    assert len(n255) == 255 and len(n256) == 256 and len(tiny) == 255
    udp_batch([
        ("label63", header() + labels(b"q" * 63, *zone) + tail),
        ("label64", header() + labels(b"q" * 64, *zone) + tail),
        ("label127", header() + b"\x7f" + b"q" * 127 + name("corp.internal")
         + tail),
        ("name255", header() + n255 + tail),
        ("name256", header() + n256 + tail),
        ("name255_tiny_labels", header() + tiny + tail),
        ("name257_tiny_labels", header() + tiny1 + tail),
        ("name_unterminated", header() + b"\x03abc" * 20),
        ("name_odd_bytes", header() + odd + tail),
    ])
    # The question is echoed byte for byte (SPEC Part 3, 0x20).
    msg = header(qid=0x0d0d) + odd + tail
    r = udp_query(msg)
    if r is None:
        say("name_odd_bytes_echo", "no reply")
    else:
        echoed = r[12:12 + len(odd) + 4] == odd + tail
        say("name_odd_bytes_echo", "echoed" if echoed else
            "differs: sent %s got %s" % ((odd + tail).hex(),
                                        r[12:12 + len(odd) + 4].hex()))


def g_edns():
    q = question()
    udp_batch([
        ("opt_two", header(ar=2) + q + opt() + opt()),
        ("opt_two_second_v1", header(ar=2) + q + opt() + opt(version=1)),
        ("opt_in_answer", header(an=1) + q + opt()),
        ("opt_in_authority", header(ns=1) + q + opt()),
        ("opt_owner_a", header(ar=1) + q + opt(owner=name("a"))),
        ("opt_owner_ptr", header(ar=1) + q + opt(owner=b"\xc0\x0c")),
        ("opt_rdlen_past_end", header(ar=1) + q + opt(rdlen=40)),
        ("opt_cut", header(ar=1) + q + opt()[:7]),
        ("opt_v1", header(ar=1) + q + opt(version=1)),
        ("opt_v255_do", header(ar=1) + q + opt(version=255, do=True)),
        ("opt_v1_qd0", header(qd=0, ar=1) + opt(version=1)),
        ("opt_payload0", header(ar=1) + q + opt(payload=0)),
        ("opt_payload65535", header(ar=1) + q + opt(payload=65535)),
        ("opt_option_overrun", header(ar=1) + q +
         opt(rdata=struct.pack(">HH", 10, 200) + b"x" * 4)),
        ("opt_normal", header(ar=1) + q + opt()),
    ])
    tcp_case("opt_v1_tcp", frame(header(ar=1) + q + opt(version=1)))


def g_qr():
    """Responses (QR=1) are never answered: 24 variants from one socket."""
    rnd = random.Random(7)
    msgs = []
    for i in range(24):
        flags = 0x8000 | (rnd.randrange(16) << 11 if i % 3 == 0 else 0) | \
            (i % 6) | (0x0400 if i % 2 else 0)
        body = question() if i % 4 else bytes(rnd.randrange(256)
                                              for _ in range(rnd.randrange(40)))
        msgs.append(header(qid=0x5100 + i, flags=flags,
                           qd=1 if i % 4 else rnd.randrange(3),
                           an=i % 2, ar=1 if i % 5 == 0 else 0) + body +
                    (rr_a() if i % 2 else b"") + (opt() if i % 5 == 0 else b""))
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setblocking(False)
    for m in msgs:
        s.sendto(m, (ADDR, PORT))
    time.sleep(1.0)
    n = 0
    while True:
        try:
            s.recv(65535)
            n += 1
        except OSError:
            break
    s.close()
    say("qr_udp", "%d replies to %d responses" % (n, len(msgs)))
    # Over TCP: the response is skipped, the query after it answered.
    c = tcp_connect()
    try:
        c.sendall(frame(msgs[1]) + frame(query(qid=0x5201)))
        out = tcp_outcome(c, 3.0)
        if isinstance(out, bytes):
            rid = struct.unpack(">H", out[:2])[0]
            say("qr_tcp", "first reply id %04x (%s)" % (
                rid, "the query" if rid == 0x5201 else "not the query"))
        else:
            say("qr_tcp", out)
    finally:
        c.close()


def g_tcp():
    """Huge length prefixes, garbage streams and half-closed clients."""
    rnd = random.Random(11)
    # 65535 announced, a few bytes sent, then the client goes away.
    for i in range(20):
        s = tcp_connect()
        s.sendall(b"\xff\xff" + query()[:rnd.randrange(1, 30)])
        s.close()
    say("huge_prefix_then_close", "20 connections done")
    # 65535 announced and sent: a whole message of garbage after a header.
    big = header(qid=0x7001) + bytes(rnd.randrange(256)
                                     for _ in range(65535 - 12))
    tcp_case("huge_message_garbage", frame(big), qid=0x7001, wait=5.0)
    # 65535 bytes: a valid query followed by padding.
    padded = query(qid=0x7002)
    padded += b"\x00" * (65535 - len(padded))
    tcp_case("huge_message_padded_query", frame(padded), qid=0x7002,
             wait=5.0)
    # 64 KiB announced as 65535 but the client shuts down its side early.
    tcp_case("huge_prefix_half_close", b"\xff\xff" + b"\x00" * 100,
             shut=True)
    # Garbage streams, then half close: the server must end every one.
    ended = 0
    for i in range(30):
        data = bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 3000)))
        s = tcp_connect()
        try:
            s.sendall(data)
            s.shutdown(socket.SHUT_WR)
            s.settimeout(3.0)
            while s.recv(65535):
                pass
            ended += 1
        except (ConnectionResetError, BrokenPipeError):
            ended += 1
        except socket.timeout:
            pass
        finally:
            s.close()
    say("garbage_streams", "%d/30 ended by the server" % ended)


def g_pipeline():
    """RFC 7766 §6.2.1.1: pipelined queries are all answered."""
    for n in (64, 100, 300):
        s = tcp_connect()
        s.sendall(b"".join(frame(query(qid=i)) for i in range(n)))
        ids = set()
        t0 = time.monotonic()
        end = t0 + 3.0
        status = ""
        try:
            while len(ids) < n and time.monotonic() < end:
                s.settimeout(max(0.01, end - time.monotonic()))
                r = tcp_read_msg(s)
                if r is None:
                    status = ", then closed"
                    break
                ids.add(struct.unpack(">H", r[:2])[0])
        except socket.timeout:
            status = ", then nothing for %.1f s" % (time.monotonic() - t0)
        except ConnectionResetError:
            status = ", then reset"
        finally:
            s.close()
        say("pipeline%d" % n, "%d/%d answered%s" % (len(ids), n, status))


def garbage(rnd, i):
    """Datagram i of the garbage run: a third pure noise, a third a
    plausible header over noise, a third a mutated well-formed query."""
    kind = i % 3
    if kind == 0:
        data = bytearray(rnd.randrange(256)
                         for _ in range(rnd.choice((rnd.randrange(0, 16),
                                                    rnd.randrange(0, 600),
                                                    rnd.randrange(0, 4096)))))
    elif kind == 1:
        data = bytearray(header(flags=rnd.choice((0, 0x0100, 0x0120)),
                                qd=1, an=rnd.randrange(3), ns=rnd.randrange(3),
                                ar=rnd.randrange(3)))
        data += bytes(rnd.randrange(256) for _ in range(rnd.randrange(0, 300)))
    else:
        names = ("db.corp.internal", "corp.internal", "x.y.example.test",
                 "mail.corp.internal")
        data = bytearray(header(ar=1) + question(rnd.choice(names),
                                                 rnd.choice((1, 28, 2, 6, 255,
                                                             16, 15))) +
                         opt(payload=rnd.choice((512, 1232, 4096)),
                             do=rnd.random() < 0.5))
        for _ in range(rnd.randrange(1, 5)):
            pos = rnd.randrange(len(data))
            data[pos] = rnd.randrange(256)
        data[2] &= 0x7F  # keep it a query so that it reaches the parser
    if len(data) >= 2:
        data[0:2] = struct.pack(">H", i)
    return bytes(data)


def g_garbage():
    """2000 seeded garbage datagrams: no reply to what has no header or is
    a response, every reply echoes an ID, no amplification."""
    seed = int(os.environ.get("HOSTILE_SEED", "20260401"))
    rnd = random.Random(seed)
    dgrams = [garbage(rnd, i) for i in range(2000)]
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    s.setblocking(False)
    replies = []

    def drain():
        while True:
            try:
                replies.append(s.recv(65535))
            except OSError:
                return

    for i, d in enumerate(dgrams):
        s.sendto(d, (ADDR, PORT))
        if i % 50 == 49:
            time.sleep(0.01)
            drain()
    end = time.monotonic() + 3.0
    last = len(replies)
    quiet_since = time.monotonic()
    while time.monotonic() < end:
        time.sleep(0.05)
        drain()
        if len(replies) != last:
            last = len(replies)
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since > 1.0:
            break
    s.close()
    sent_bytes = sum(len(d) for d in dgrams)
    got_bytes = sum(len(r) for r in replies)
    by_id = {}
    bad = []
    for r in replies:
        if len(r) < 12 or not r[2] & 0x80:
            bad.append("not a response: %s" % r[:16].hex())
            continue
        rid = struct.unpack(">H", r[:2])[0]
        if rid >= len(dgrams) or len(dgrams[rid]) < 12:
            bad.append("reply id %04x matches no datagram of 12+ bytes" % rid)
            continue
        if rid in by_id:
            bad.append("two replies for datagram %d" % rid)
        by_id[rid] = r
        if dgrams[rid][2] & 0x80:
            bad.append("datagram %d had QR=1 and got a reply" % rid)
        if len(r) > 3 * len(dgrams[rid]) + 100:
            bad.append("datagram %d: %d bytes answered with %d" %
                       (rid, len(dgrams[rid]), len(r)))
    rcodes = {}
    for r in by_id.values():
        rc = RCODES.get(r[3] & 0xF, str(r[3] & 0xF))
        rcodes[rc] = rcodes.get(rc, 0) + 1
    say("garbage", "seed %d sent %d datagrams (%d bytes), %d replies "
        "(%d bytes), %s" % (seed, len(dgrams), sent_bytes, len(replies),
                            got_bytes, " ".join("%s=%d" % kv for kv in
                                                sorted(rcodes.items()))))
    say("garbage_amplification", "reply/request bytes %.3f" %
        (got_bytes / max(1, sent_bytes)))
    say("garbage_violations", "%d%s" % (len(bad), (" " + "; ".join(bad[:5]))
                                        if bad else ""))


def raise_nofile(want):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < want:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE,
                               (min(want, hard), hard))
        except (ValueError, OSError):
            pass
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


class Prober:
    """Background UDP and fresh-TCP queries every @period seconds until
    stopped; keeps latencies and failures."""

    def __init__(self, tcp, period, source=None):
        self.tcp, self.period, self.source = tcp, period, source
        self.sent = self.ok = 0
        self.lat = []
        self.fails = []
        self.first_ok_after = None
        self.t0 = time.monotonic()
        self.stop = threading.Event()
        self.th = threading.Thread(target=self.run, daemon=True)

    def one(self, qid):
        t = time.monotonic()
        try:
            if self.tcp:
                s = tcp_connect(timeout=2.0, source=self.source)
                try:
                    s.sendall(frame(query(qid=qid)))
                    r = tcp_read_msg(s)
                finally:
                    s.close()
            else:
                r = udp_query(query(qid=qid), wait=2.0)
        except OSError as e:
            return "error %s" % (errno.errorcode.get(e.errno, e) if
                                 e.errno else type(e).__name__)
        if r is None:
            return "no reply" if not self.tcp else "closed"
        if struct.unpack(">H", r[:2])[0] != qid or r[3] & 0xF != 0:
            return "bad reply " + describe(r, qid)
        self.lat.append(time.monotonic() - t)
        return None

    def run(self):
        qid = 0x8000
        while not self.stop.is_set():
            qid += 1
            self.sent += 1
            err = self.one(qid)
            if err is None:
                self.ok += 1
                if self.first_ok_after is None:
                    self.first_ok_after = time.monotonic() - self.t0
            else:
                self.fails.append("%.1fs %s" % (time.monotonic() - self.t0,
                                                err))
            self.stop.wait(self.period)

    def line(self):
        mx = max(self.lat) * 1000 if self.lat else 0
        return "%d/%d answered, max %.0f ms%s" % (
            self.ok, self.sent, mx,
            (", failures: " + "; ".join(self.fails[:4])) if self.fails else "")


def g_idle():
    """200 idle connections, one with a huge length prefix and no more
    bytes, 5 slowloris clients (1 byte every 0.5 s): the idle ones are
    closed by the server within 15 s; UDP and fresh TCP clients are
    answered promptly meanwhile."""
    raise_nofile(1024)
    window = float(os.environ.get("HOSTILE_IDLE_WINDOW", "15"))
    udp = Prober(False, 0.25)
    tcp = Prober(True, 1.0)
    sel = selectors.DefaultSelector()
    t0 = time.monotonic()
    idle = []
    for i in range(200):
        s = tcp_connect()
        s.setblocking(False)
        idle.append([s, time.monotonic(), None])
        sel.register(s, selectors.EVENT_READ, ("idle", i))
    huge = tcp_connect()
    huge.sendall(b"\xff\xff" + query()[:10])
    huge.setblocking(False)
    huge_t = [time.monotonic(), None]
    sel.register(huge, selectors.EVENT_READ, ("huge", 0))
    slow = []
    for i in range(5):
        s = tcp_connect()
        s.setblocking(False)
        slow.append([s, time.monotonic(), None])
        sel.register(s, selectors.EVENT_READ, ("slow", i))
    udp.th.start()
    tcp.th.start()
    # Bytes of a message that never completes: 65535 announced.
    drip = b"\xff\xff" + bytes(range(256)) * 4
    n_drip = 0
    next_drip = time.monotonic()
    deadline = t0 + window
    while time.monotonic() < deadline:
        now = time.monotonic()
        if now >= next_drip:
            for c in slow:
                if c[2] is None:
                    try:
                        c[0].send(drip[n_drip:n_drip + 1])
                    except OSError:
                        c[2] = now - c[1]
                        sel.unregister(c[0])
            n_drip += 1
            next_drip += 0.5
        left = sum(1 for c in idle if c[2] is None) + (huge_t[1] is None)
        if left == 0 and time.monotonic() >= t0 + 10.5 + 0.1:
            break
        for key, _ in sel.select(min(0.1, max(0.0, next_drip - now))):
            kind, i = key.data
            try:
                data = key.fileobj.recv(4096)
            except BlockingIOError:
                continue
            except OSError:
                data = b""
            if data:
                continue  # nothing is expected; ignore
            sel.unregister(key.fileobj)
            when = time.monotonic()
            if kind == "idle":
                idle[i][2] = when - idle[i][1]
            elif kind == "huge":
                huge_t[1] = when - huge_t[0]
            else:
                slow[i][2] = when - slow[i][1]
    udp.stop.set()
    tcp.stop.set()
    udp.th.join(5)
    tcp.th.join(5)
    closed = [c[2] for c in idle if c[2] is not None]
    say("idle", "%d/200 closed by the server within %.0f s%s" % (
        len(closed), window, " (first %.1f s, last %.1f s)" % (
            min(closed), max(closed)) if closed else ""))
    say("idle_huge_prefix", "closed after %.1f s" % huge_t[1]
        if huge_t[1] is not None else "still open after %.0f s" % window)
    sclosed = [c[2] for c in slow if c[2] is not None]
    say("slowloris", "%d/5 closed by the server within %.0f s%s" % (
        len(sclosed), window, " (last %.1f s)" % max(sclosed)
        if sclosed else ""))
    say("udp_during", udp.line())
    say("tcp_during", tcp.line())
    for c in idle + slow:
        c[0].close()
    huge.close()


def g_flood():
    """1100 slowloris clients from 127.0.0.1 (more than the connection
    limit, 1024): a fresh TCP client from 127.0.0.2 is answered within
    the window; UDP never stops."""
    window = float(os.environ.get("HOSTILE_FLOOD_WINDOW", "13"))
    want = 1100
    if raise_nofile(want + 100) < want + 100:
        say("flood", "skipped: RLIMIT_NOFILE too low")
        return
    conns = []
    refused = 0
    for i in range(want):
        try:
            s = tcp_connect(timeout=2.0)
            s.setblocking(False)
            conns.append(s)
        except OSError:
            refused += 1
    t0 = time.monotonic()
    udp = Prober(False, 0.25)
    tcp = Prober(True, 0.5, source="127.0.0.2")
    udp.th.start()
    tcp.th.start()
    n = 0
    alive = list(conns)
    drip = b"\xff\xff" + bytes(range(256)) * 4
    while time.monotonic() < t0 + window:
        if tcp.first_ok_after is not None:
            break
        still = []
        for s in alive:
            try:
                s.send(drip[n:n + 1])
                still.append(s)
            except OSError:
                pass
        alive = still
        n += 1
        time.sleep(0.5)
    udp.stop.set()
    tcp.stop.set()
    udp.th.join(5)
    tcp.th.join(5)
    say("flood", "%d slowloris connected (%d refused), %d still open "
        "after %.1f s" % (len(conns), refused, len(alive),
                          time.monotonic() - t0))
    say("flood_tcp", "fresh TCP client answered after %.1f s" %
        tcp.first_ok_after if tcp.first_ok_after is not None else
        "fresh TCP client not answered within %.0f s (%d tries; %s)" % (
            window, tcp.sent, "; ".join(tcp.fails[-2:])))
    say("flood_udp", udp.line())
    for s in conns:
        s.close()


GROUPS = {
    "headers": g_headers, "qdcount": g_qdcount, "compression": g_compression,
    "names": g_names, "edns": g_edns, "qr": g_qr, "tcp": g_tcp,
    "pipeline": g_pipeline, "garbage": g_garbage, "idle": g_idle,
    "flood": g_flood,
}


def main():
    global PORT
    PORT = int(sys.argv[1])
    for g in sys.argv[2:]:
        GROUPS[g]()


if __name__ == "__main__":
    main()
