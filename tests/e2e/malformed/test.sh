#!/bin/bash
# tests/e2e/malformed/test.sh - malformed and unusual queries (SPEC Part 3,
# RFC 1035 §4.1, RFC 6891 §6.1.1, RFC 7766): FORMERR when a header can be
# read, dropped otherwise, responses dropped, NOTIMP for unknown opcodes,
# TCP framing (bad length, split writes, pipelining), REFUSED for class CH
# and zone transfers.  After each, the daemon still answers.
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
require_tool dig

start_vpcdns vpcdns.yaml CLOSED="127.0.0.1:$(free_port)"
E2E_ALIVE_ARGS=(db.corp.internal A)

# probe CASE: runs probe.py for CASE against the daemon.
probe()
{
	run_cmd "$E2E_PYTHON" "$E2E_SCENARIO_DIR/probe.py" "$VPCDNS_PORT" "$1"
}

# expect_probe CASE DESC REGEX: one check on the probe's line, then one
# that the daemon still answers.
expect_probe()
{
	probe "$1"
	check "$2" exit 0 output "$3"
	alive_check "still answering after: $2"
}

FORMERR='^rcode=FORMERR id=match qr=1 '
expect_probe short5 "5-byte datagram: dropped (no answer within 1 s)" \
	'^no reply$'
expect_probe qdcount2 "QDCOUNT=2: FORMERR" "$FORMERR"
expect_probe qdcount0 "QDCOUNT=0: FORMERR" "$FORMERR"
expect_probe ptrloop "compression pointer loop in the question: FORMERR" \
	"$FORMERR"
expect_probe ptrforward "forward compression pointer: FORMERR" "$FORMERR"
expect_probe label64 "label of 64 octets: FORMERR" "$FORMERR"
expect_probe name320 "name of 320 octets: FORMERR" "$FORMERR"
expect_probe cutname "question cut inside the name: FORMERR" "$FORMERR"
expect_probe cutclass "question cut before QCLASS: FORMERR" "$FORMERR"
expect_probe qr1 "QR=1 (a response): dropped" '^no reply$'
expect_probe opcode2 "opcode 2 (STATUS): NOTIMP, opcode echoed" \
	'^rcode=NOTIMP id=match qr=1 opcode=2 '
expect_probe opcode5 "opcode 5 (UPDATE): NOTIMP" \
	'^rcode=NOTIMP id=match qr=1 opcode=5 '
expect_probe twoopt "two OPT records: FORMERR" "$FORMERR"
expect_probe optowner "OPT owned by a name other than the root: FORMERR" \
	"$FORMERR"
expect_probe optanswer "OPT in the answer section: FORMERR" "$FORMERR"
expect_probe cutopt "ARCOUNT=1 with nothing after the question: FORMERR" \
	"$FORMERR"
expect_probe normal "raw well-formed query: NOERROR with one answer" \
	'^rcode=NOERROR id=match qr=1 opcode=0 qd=1 an=1$'

expect_probe tcp_len5 "TCP message of 5 bytes: connection closed" '^closed$'
expect_probe tcp_split "TCP message split over two writes: answered" \
	'^rcode=NOERROR id=match qr=1 opcode=0 qd=1 an=1$'
expect_probe tcp_split_len "TCP length prefix split over two writes: answered" \
	'^rcode=NOERROR id=match qr=1 opcode=0 qd=1 an=1$'
expect_probe tcp_pipeline "two pipelined TCP queries: both answered, ids matched" \
	'^pipelined 1111=NOERROR 2222=NXDOMAIN$'
expect_probe axfr "AXFR: REFUSED" '^rcode=REFUSED id=match qr=1 '
expect_probe ixfr "IXFR: REFUSED" '^rcode=REFUSED id=match qr=1 '

dig_q -c CH version.bind TXT
check "class CH: REFUSED" status REFUSED answer_count 0
alive_check "still answering after a class CH query"
dig_q -c HS db.corp.internal A
check "class HS: REFUSED" status REFUSED answer_count 0
dig_q +tcp -c CH version.bind TXT
check "class CH over TCP: REFUSED" status REFUSED answer_count 0
dig_q +tcp corp.internal AXFR
check "AXFR with dig: transfer refused, no records" \
	no_output 'IN[[:space:]]+SOA' output 'Transfer failed'
alive_check "still answering at the end"

finish
