# tests/tools/hostile_corpus.py - write the hostile messages of the
# end-to-end robustness scenarios into the fuzz seed corpora, so that the
# fuzzers start from them and `make check` replays them under gcc:
#
#   fuzz_wire_query/h_*, fuzz_answer/h_*   the client queries of
#       tests/e2e/hostile_input/hostile.py (headers, QDCOUNT, compression,
#       names, EDNS; the seeded garbage datagrams 0..39)
#   fuzz_tcp_frame/h_*      its TCP byte streams (short frames, huge
#       prefixes, 100 pipelined queries)
#   fuzz_msg_upstream/h_*   the replies of tests/tools/fake_upstream.py in
#       every mode (spoofs, TC, garbage, bad records)
#
# Usage: python3 tests/tools/hostile_corpus.py [CORPUS-DIR]
# (default: tests/fuzz/corpus beside this file).  Rewrites only h_* files.

import os
import random
import re
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "e2e", "hostile_input"))
sys.path.insert(0, HERE)

import fake_upstream  # noqa: E402
import hostile  # noqa: E402

CORPUS = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..",
                                                             "fuzz", "corpus")
queries = {}
streams = {}


def collect_udp(cases, wait=1.0):
    for case, msg in cases:
        queries[case] = msg
    return 0


def collect_tcp_batch(cases, wait=3.0):
    for case, data in cases:
        streams[case] = data


def collect_tcp(case, data, wait=3.0, qid=0, shut=False):
    streams[case] = data


def no_query(msg, wait=1.0):
    return None


def write(target, name, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9_]", "_", name)
    with open(os.path.join(d, "h_" + safe), "wb") as f:
        f.write(data)


def main():
    hostile.udp_batch = collect_udp
    hostile.udp_query = no_query
    hostile.tcp_batch = collect_tcp_batch
    hostile.tcp_case = collect_tcp
    hostile.say = lambda case, text: None
    for g in (hostile.g_headers, hostile.g_qdcount, hostile.g_compression,
              hostile.g_names, hostile.g_edns):
        g()
    rnd = random.Random(20260401)
    for i in range(40):
        queries["garbage%02d" % i] = hostile.garbage(rnd, i)
    for case, msg in queries.items():
        write("fuzz_wire_query", case, msg)
        write("fuzz_answer", case, msg)
    streams["pipeline100"] = b"".join(hostile.frame(hostile.query(qid=i))
                                      for i in range(100))
    streams["huge_prefix_partial"] = b"\xff\xff" + hostile.query()[:20]
    streams["frame_then_short"] = (hostile.frame(hostile.query()) +
                                   b"\x00\x05" + hostile.query()[:5])
    for case, data in streams.items():
        write("fuzz_tcp_frame", case, data)

    class Args:
        answer = "192.0.2.1"
        spoof_name = "poisoned.fault.test"
        spoof_addr = "203.0.113.66"
        mode = None
        log = None

    fake = fake_upstream.Fake.__new__(fake_upstream.Fake)
    fake.args = Args()
    fake.rnd = random.Random(4242)
    fake.log_lock = fake_upstream.threading.Lock()
    modes = ("normal", "servfail", "refused", "wrongid", "wrongq",
             "truncated", "tcpclose", "garbage", "tcpgarbage", "badrr",
             "ptrloop", "countlie")
    for m in modes:
        q = fake_upstream.Query(hostile.header(qid=0x1234) +
                                hostile.question(m + "-1.fault.test"))
        for tcp in (False, True):
            for n, (_, msg) in enumerate(fake.replies(q, tcp)):
                if isinstance(msg, tuple):
                    msg = msg[1]
                if msg is None:
                    continue
                write("fuzz_msg_upstream", "%s_%s_%d" % (
                    m, "tcp" if tcp else "udp", n), msg)
                if tcp:
                    write("fuzz_tcp_frame", "upstream_%s_%d" % (m, n),
                          struct.pack(">H", len(msg)) + msg)


main()
