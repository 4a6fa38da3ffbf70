# tests/e2e/malformed/probe.py - send one hand-made (mostly malformed)
# message to vpcdns on 127.0.0.1 and print what came back, one line:
#
#   rcode=NAME id=match|ID qr=1 opcode=N qd=N an=N     a response
#   no reply                                           nothing in time
#   closed                                             TCP: the server closed
#   open                                               TCP: neither data nor close
#
# Usage: probe.py PORT CASE.  Standard library only.

import socket
import struct
import sys
import time

RCODES = {0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN",
          4: "NOTIMP", 5: "REFUSED"}
QID = 0x4d2e


def header(qid=QID, flags=0x0100, qd=1, an=0, ns=0, ar=0):
    return struct.pack(">HHHHHH", qid, flags, qd, an, ns, ar)


def name(text):
    out = b""
    for label in text.strip(".").split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\x00"


def question(qname="db.corp.internal", qtype=1, qclass=1):
    return name(qname) + struct.pack(">HH", qtype, qclass)


def opt(payload=1232, owner=b"\x00"):
    return owner + struct.pack(">HHIH", 41, payload, 0, 0)


def query(qid=QID, qname="db.corp.internal", qtype=1):
    return header(qid=qid) + question(qname, qtype)


def describe(r, qid=QID):
    if len(r) < 12:
        return "short reply %s" % r.hex()
    rid, flags, qd, an, ns, ar = struct.unpack(">HHHHHH", r[:12])
    rcode = flags & 0xF
    return "rcode=%s id=%s qr=%d opcode=%d qd=%d an=%d" % (
        RCODES.get(rcode, str(rcode)),
        "match" if rid == qid else "%04x" % rid,
        flags >> 15, (flags >> 11) & 0xF, qd, an)


def udp(port, msg, wait=1.0):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(wait)
    s.sendto(msg, ("127.0.0.1", port))
    try:
        return describe(s.recv(65535))
    except socket.timeout:
        return "no reply"
    finally:
        s.close()


def tcp_connect(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=3)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


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


def frame(msg):
    return struct.pack(">H", len(msg)) + msg


def case_udp(port, what):
    msgs = {
        # Too short for a header: dropped.
        "short5": b"\x4d\x2e\x01\x00\x00",
        # RFC 1035 §4.1.1 with SPEC Part 3: exactly one question.
        "qdcount2": header(qd=2) + question() + question("mail.corp.internal"),
        "qdcount0": header(qd=0),
        # A compression pointer to itself (RFC 1035 §4.1.4).
        "ptrloop": header() + b"\xc0\x0c" + struct.pack(">HH", 1, 1),
        # A forward pointer, past the name.
        "ptrforward": header() + b"\xc0\x20" + struct.pack(">HH", 1, 1) +
        b"\x00" * 20,
        # A length octet of 64: more than 63 (RFC 1035 §2.3.4).
        "label64": header() + b"\x40" + b"a" * 64 + b"\x00" +
        struct.pack(">HH", 1, 1),
        # A name of 320 octets: more than 255.
        "name320": header() + (b"\x3f" + b"a" * 63) * 5 + b"\x00" +
        struct.pack(">HH", 1, 1),
        # The question ends inside the name.
        "cutname": header() + b"\x02db\x04corp",
        # The question ends before QCLASS.
        "cutclass": header() + name("db.corp.internal") + b"\x00\x01",
        # A response: never answered.
        "qr1": header(flags=0x8100) + question(),
        # Opcode 2 (STATUS): NOTIMP.
        "opcode2": header(flags=(2 << 11) | 0x0100) + question(),
        # Opcode 5 (UPDATE): NOTIMP.
        "opcode5": header(flags=(5 << 11)) + question(),
        # RFC 6891 §6.1.1: two OPT RRs, an OPT owned by another name, and
        # an OPT outside the additional section are FORMERR.
        "twoopt": header(ar=2) + question() + opt() + opt(),
        "optowner": header(ar=1) + question() + opt(owner=name("a")),
        "optanswer": header(an=1) + question() + opt(),
        # ARCOUNT says 1, nothing follows.
        "cutopt": header(ar=1) + question(),
        # A well-formed query.
        "normal": query(),
    }
    return udp(port, msgs[what])


def case_tcp(port, what):
    s = tcp_connect(port)
    try:
        if what == "tcp_len5":
            s.sendall(b"\x00\x05" + b"\x4d\x2e\x01\x00\x00")
            s.settimeout(3)
            try:
                data = s.recv(65535)
            except ConnectionResetError:
                return "closed"
            except socket.timeout:
                return "open"
            return "closed" if not data else "data %s" % data.hex()
        if what == "tcp_split":
            msg = frame(query())
            s.sendall(msg[:7])
            time.sleep(0.3)
            s.sendall(msg[7:])
            r = tcp_read_msg(s)
            return "closed" if r is None else describe(r)
        if what == "tcp_split_len":
            msg = frame(query())
            s.sendall(msg[:1])
            time.sleep(0.3)
            s.sendall(msg[1:])
            r = tcp_read_msg(s)
            return "closed" if r is None else describe(r)
        if what == "tcp_pipeline":
            s.sendall(frame(query(0x1111, "db.corp.internal")) +
                      frame(query(0x2222, "nope.corp.internal")))
            out = []
            for _ in range(2):
                r = tcp_read_msg(s)
                if r is None:
                    out.append("closed")
                    break
                rid, flags = struct.unpack(">HH", r[:4])
                out.append("%04x=%s" % (rid, RCODES.get(flags & 0xF)))
            return "pipelined " + " ".join(sorted(out))
        if what == "axfr":
            s.sendall(frame(query(qname="corp.internal", qtype=252)))
            r = tcp_read_msg(s)
            return "closed" if r is None else describe(r)
        if what == "ixfr":
            s.sendall(frame(query(qname="corp.internal", qtype=251)))
            r = tcp_read_msg(s)
            return "closed" if r is None else describe(r)
    except socket.timeout:
        return "no reply"
    finally:
        s.close()
    raise SystemExit("unknown case " + what)


def main():
    port, what = int(sys.argv[1]), sys.argv[2]
    if what.startswith("tcp_") or what in ("axfr", "ixfr"):
        print(case_tcp(port, what))
    else:
        print(case_udp(port, what))


main()
