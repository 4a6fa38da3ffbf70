# tests/tools/fake_upstream.py - a scripted, misbehaving DNS upstream for
# the end-to-end tests: UDP and TCP on 127.0.0.1, its behaviour chosen per
# query by the query name's first label (up to a '-', so "timeout-3.x."
# is mode "timeout"):
#
#   normal      the answer: NAME 60 IN A <--answer> (other types: NODATA)
#   timeout     never answers (UDP or TCP)
#   servfail    SERVFAIL            refused   REFUSED
#   wrongid     the answer with another ID (UDP and TCP)
#   wrongq      a spoof attempt: the right ID, but the question and the
#               answer are for another name (--spoof-name, A --spoof-addr)
#   wrongidreal / wrongqreal   the same spoof, then 0.2 s later the real
#               answer: a resolver that ignores the spoof gets the real one
#   wrongport   the answer, sent from another port
#   truncated   UDP: TC=1 and no answer; TCP: the full answer, 40 A records
#   tcpclose    UDP: TC=1; TCP: half the answer, then the connection closes
#   garbage     random bytes (seeded): one datagram with the query's ID,
#               one without; TCP: a garbage message
#   tcpgarbage  UDP: TC=1; TCP: a length-framed garbage message
#   slow        the answer after 1 s
#   badrr       the answer with an RDLENGTH past the end of the message
#   ptrloop     the answer whose owner name is a compression loop
#   countlie    ANCOUNT 100 with one record
#   signed      the answer, an RRSIG over it and an NSEC in the authority
#               section, AD set, whatever the query's DO bit (an upstream
#               that sends DNSSEC data nobody asked for)
#
# Any other first label is "normal"; --mode forces one mode for every
# query.  Every query is logged to --log as "udp|tcp MODE QNAME QTYPE"
# (MODE: the one applied).
# The process writes --ready once both sockets are bound and exits after
# --lifetime seconds.  Standard library only.
#
# Usage: fake_upstream.py --port N --ready FILE [--log FILE]
#        [--answer 192.0.2.1] [--mode MODE] [--lifetime 120]

import argparse
import random
import socket
import struct
import sys
import threading
import time

TCP_ANSWER_RECORDS = 40


class Query:
    def __init__(self, data):
        if len(data) < 12:
            raise ValueError("short")
        self.id, self.flags, qd = struct.unpack(">HHH", data[:6])
        if qd != 1:
            raise ValueError("qdcount")
        pos, labels = 12, []
        while True:
            n = data[pos]
            if n == 0 or n & 0xC0:
                break
            labels.append(data[pos + 1:pos + 1 + n])
            pos += 1 + n
        if data[pos] != 0:
            raise ValueError("compressed question")
        self.qname_wire = data[12:pos + 1]
        self.qtype, self.qclass = struct.unpack(">HH", data[pos + 1:pos + 5])
        self.question = data[12:pos + 5]
        self.name = ".".join(l.decode("ascii", "replace")
                             for l in labels) + "."
        first = labels[0].decode("ascii", "replace").lower() if labels else ""
        self.mode = first.split("-")[0]


def wire_name(text):
    out = b""
    for label in text.strip(".").split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\x00"


def a_rr(owner, addr, ttl=60):
    return owner + struct.pack(">HHIH", 1, 1, ttl, 4) + socket.inet_aton(addr)


def rrsig_rr(owner, covered, signer, ttl=60):
    rdata = struct.pack(">HBBIIIH", covered, 13, 3, ttl, 0x7FFFFFFF, 0,
                        12345) + wire_name(signer) + b"\x5a" * 64
    return owner + struct.pack(">HHIH", 46, 1, ttl, len(rdata)) + rdata


def nsec_rr(owner, nxt, ttl=60):
    rdata = wire_name(nxt) + b"\x00\x06\x40\x00\x00\x00\x00\x03"
    return owner + struct.pack(">HHIH", 47, 1, ttl, len(rdata)) + rdata


def response(q, rcode=0, answers=(), tc=False, qid=None, question=None,
             ancount=None, authority=(), ad=False):
    flags = 0x8000 | 0x0080 | (q.flags & 0x0100) | rcode
    if tc:
        flags |= 0x0200
    if ad:
        flags |= 0x0020
    body = b"".join(answers) + b"".join(authority)
    return struct.pack(">HHHHHH", q.id if qid is None else qid, flags, 1,
                       len(answers) if ancount is None else ancount,
                       len(authority), 0) + \
        (q.question if question is None else question) + body


class Fake:
    def __init__(self, args):
        self.args = args
        self.rnd = random.Random(args.seed)
        self.log_lock = threading.Lock()
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind((args.address, args.port))
        self.other = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.other.bind((args.address, 0))
        self.tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.tcp.bind((args.address, args.port))
        self.tcp.listen(64)

    def log(self, transport, q):
        if not self.args.log:
            return
        with self.log_lock, open(self.args.log, "a") as f:
            f.write("%s %s %s %d\n" % (transport, self.mode(q), q.name,
                                        q.qtype))

    def mode(self, q):
        return self.args.mode or q.mode

    def answer(self, q):
        if q.qtype != 1:
            return response(q)  # NODATA
        return response(q, answers=[a_rr(b"\xc0\x0c", self.args.answer)])

    def spoof(self, q):
        other = wire_name(self.args.spoof_name)
        return response(q, question=other + struct.pack(">HH", q.qtype,
                                                        q.qclass),
                        answers=[a_rr(b"\xc0\x0c", self.args.spoof_addr)])

    def big_answer(self, q):
        return response(q, answers=[a_rr(b"\xc0\x0c", "198.51.100.%d" % i)
                                    for i in range(1, TCP_ANSWER_RECORDS + 1)])

    def garbage(self, n):
        with self.log_lock:
            return bytes(self.rnd.randrange(256) for _ in range(n))

    def replies(self, q, tcp):
        """(delay seconds, message or None) pairs to send, in order;
        None for a message means: close the TCP connection."""
        m = self.mode(q)
        if m == "timeout":
            return []
        if m == "servfail":
            return [(0, response(q, rcode=2))]
        if m == "refused":
            return [(0, response(q, rcode=5))]
        if m == "wrongid":
            return [(0, response(q, answers=[a_rr(b"\xc0\x0c",
                                                  self.args.spoof_addr)],
                                 qid=q.id ^ 0x5A5A))]
        if m == "wrongq":
            return [(0, self.spoof(q))]
        if m == "wrongidreal":
            return [(0, response(q, answers=[a_rr(b"\xc0\x0c",
                                                  self.args.spoof_addr)],
                                 qid=q.id ^ 0x5A5A)),
                    (0.2, self.answer(q))]
        if m == "wrongqreal":
            return [(0, self.spoof(q)), (0.2, self.answer(q))]
        if m == "truncated":
            return [(0, self.big_answer(q) if tcp else response(q, tc=True))]
        if m == "tcpclose":
            if not tcp:
                return [(0, response(q, tc=True))]
            full = self.big_answer(q)
            return [(0, ("partial", full)), (0, None)]
        if m == "garbage":
            g = [(0, self.garbage(self.rnd.randrange(1, 200)))]
            if not tcp:
                g.append((0, struct.pack(">H", q.id) +
                          self.garbage(self.rnd.randrange(1, 200))))
            return g
        if m == "tcpgarbage":
            if not tcp:
                return [(0, response(q, tc=True))]
            return [(0, self.garbage(self.rnd.randrange(1, 200)))]
        if m == "slow":
            return [(1.0, self.answer(q))]
        if m == "badrr":
            r = response(q, answers=[a_rr(b"\xc0\x0c", self.args.answer)])
            return [(0, r[:-6] + b"\x00\xff" + r[-4:])]
        if m == "ptrloop":
            loop_at = 12 + len(q.question)
            return [(0, response(q, answers=[
                struct.pack(">H", 0xC000 | loop_at) +
                struct.pack(">HHIH", 1, 1, 60, 4) + b"\x0a\x00\x00\x01"]))]
        if m == "countlie":
            return [(0, response(q, answers=[a_rr(b"\xc0\x0c",
                                                  self.args.answer)],
                                 ancount=100))]
        if m == "wrongport":
            return [(0, ("other", self.answer(q)))]
        if m == "signed":
            signer = q.name.split(".", 1)[1] if "." in q.name else "."
            return [(0, response(q, answers=[
                a_rr(b"\xc0\x0c", self.args.answer),
                rrsig_rr(b"\xc0\x0c", 1, signer)],
                authority=[nsec_rr(b"\xc0\x0c", "z." + signer)],
                ad=True))]
        return [(0, self.answer(q))]

    # --- UDP ---

    def udp_send(self, items, peer):
        for delay, msg in items:
            if delay:
                time.sleep(delay)
            try:
                if isinstance(msg, tuple) and msg[0] == "other":
                    self.other.sendto(msg[1], peer)
                else:
                    self.udp.sendto(msg, peer)
            except OSError:
                pass

    def serve_udp(self):
        while True:
            try:
                data, peer = self.udp.recvfrom(65535)
                q = Query(data)
            except (ValueError, IndexError, struct.error):
                continue
            except OSError:
                return
            self.log("udp", q)
            items = self.replies(q, False)
            if any(d for d, _ in items):
                threading.Thread(target=self.udp_send, args=(items, peer),
                                 daemon=True).start()
            else:
                self.udp_send(items, peer)

    # --- TCP ---

    def serve_conn(self, c):
        c.settimeout(self.args.lifetime)
        buf = b""
        try:
            while True:
                while len(buf) < 2 or len(buf) < 2 + struct.unpack(
                        ">H", buf[:2])[0]:
                    chunk = c.recv(65535)
                    if not chunk:
                        return
                    buf += chunk
                n = struct.unpack(">H", buf[:2])[0]
                data, buf = buf[2:2 + n], buf[2 + n:]
                try:
                    q = Query(data)
                except (ValueError, IndexError, struct.error):
                    return
                self.log("tcp", q)
                for delay, msg in self.replies(q, True):
                    if delay:
                        time.sleep(delay)
                    if msg is None:
                        return
                    if isinstance(msg, tuple) and msg[0] == "partial":
                        full = struct.pack(">H", len(msg[1])) + msg[1]
                        c.sendall(full[:len(full) // 2])
                        continue
                    if isinstance(msg, tuple):
                        msg = msg[1]
                    c.sendall(struct.pack(">H", len(msg)) + msg)
        except OSError:
            return
        finally:
            c.close()

    def serve_tcp(self):
        while True:
            try:
                c, _ = self.tcp.accept()
            except OSError:
                return
            threading.Thread(target=self.serve_conn, args=(c,),
                             daemon=True).start()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--address", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--ready", required=True)
    p.add_argument("--log")
    p.add_argument("--answer", default="192.0.2.1")
    p.add_argument("--mode")
    p.add_argument("--spoof-name", default="poisoned.fault.test")
    p.add_argument("--spoof-addr", default="203.0.113.66")
    p.add_argument("--seed", type=int, default=4242)
    p.add_argument("--lifetime", type=float, default=120)
    args = p.parse_args()
    try:
        fake = Fake(args)
    except OSError as e:
        print("fake_upstream: cannot bind port %d: %s" % (args.port, e),
              file=sys.stderr)
        sys.exit(3)
    threading.Thread(target=fake.serve_udp, daemon=True).start()
    threading.Thread(target=fake.serve_tcp, daemon=True).start()
    with open(args.ready, "w") as f:
        f.write("ready\n")
    time.sleep(args.lifetime)


if __name__ == "__main__":
    main()
