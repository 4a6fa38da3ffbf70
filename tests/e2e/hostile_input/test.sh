#!/bin/bash
# tests/e2e/hostile_input/test.sh - hostile clients beyond ../malformed
# (SPEC Part 3; RFC 1035 §4.1, RFC 6891 §6.1, RFC 7766 §6.2): every header
# length 0..11 (UDP dropped, TCP closed), QDCOUNT other than 1,
# compression loops and pointers past the end, labels over 63 and names
# over 255 octets, broken EDNS (two OPT, OPT outside the additional
# section, non-root owner, BADVERS with an OPT for versions above 0), QR=1
# dropped, huge TCP length prefixes, pipelining, idle and slowloris TCP
# clients, a flood of slowloris clients above the connection limit, and
# 2000 seeded garbage datagrams.  No reply is larger than the query that
# caused it (no amplification), and after every group the daemon (same
# PID) still answers.  The clients are hostile.py (python3, raw sockets).
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
require_tool dig

start_vpcdns vpcdns.yaml CLOSED="127.0.0.1:$(free_port)"
E2E_ALIVE_ARGS=(db.corp.internal A)
FIRST_PID=$VPCDNS_PID

HOSTILE_OUT=
HOSTILE_CMD=
HOSTILE_RC=0

# hostile GROUP: runs one group of hostile.py, keeps its lines.
hostile()
{
	run_cmd "$E2E_PYTHON" "$E2E_SCENARIO_DIR/hostile.py" "$VPCDNS_PORT" "$1"
	HOSTILE_OUT=$E2E_OUT
	HOSTILE_CMD=$E2E_CMD
	HOSTILE_RC=$E2E_RC
}

# case_line CASE: makes the line of CASE the output the checks look at.
case_line()
{
	E2E_CMD="$HOSTILE_CMD   (case $1)"
	E2E_RC=$HOSTILE_RC
	E2E_OUT=$(printf '%s\n' "$HOSTILE_OUT" | grep -m1 -- "^$1: ")
	[ -n "$E2E_OUT" ] || E2E_OUT="no line for $1; the whole output:
$HOSTILE_OUT"
}

# expect CASE DESC REGEX: the line of CASE matches "^CASE: REGEX".
expect()
{
	case_line "$1"
	check "$2" exit 0 output "^$1: $3"
}

# expect_small CASE DESC REGEX: as expect, and the reply is no larger than
# the message that caused it (no amplification).
expect_small()
{
	local len qlen more=()
	case_line "$1"
	len=$(printf '%s\n' "$E2E_OUT" | sed -nE 's/.* len=([0-9]+) qlen=[0-9]+$/\1/p')
	qlen=$(printf '%s\n' "$E2E_OUT" | sed -nE 's/.* qlen=([0-9]+)$/\1/p')
	if [ -n "$len" ] && [ -n "$qlen" ] && [ "$len" -gt "$qlen" ]; then
		more=(output "a reply of at most qlen=$qlen bytes")
	fi
	check "$2" exit 0 output "^$1: $3" ${more[@]+"${more[@]}"}
}

# still_alive GROUP: the same process still answers.
still_alive()
{
	if [ "$VPCDNS_PID" != "$FIRST_PID" ]; then
		fail "vpcdns kept its PID after $1"
	fi
	alive_check "still answering (pid $VPCDNS_PID) after $1"
}

DROPPED='no reply$'
CLOSED='closed$'
FORMERR='rcode=FORMERR id=match qr=1 opcode=0 tc=0 qd=[01] an=0 ns=0 ar=0 opt=none '
FORMERR_NOQ='rcode=FORMERR id=match qr=1 opcode=0 tc=0 qd=0 an=0 ns=0 ar=0 opt=none '
ANSWER='rcode=NOERROR id=match qr=1 opcode=0 tc=0 qd=1 an=1 ns=0 '
NXDOMAIN='rcode=NXDOMAIN id=match qr=1 opcode=0 tc=0 qd=1 an=0 ns=1 '
BADVERS='rcode=BADVERS id=match qr=1 opcode=0 tc=0 qd=1 an=0 ns=0 ar=1 opt=ext=1,ver=0,udp=1232 '

# --- truncated headers: every length 0..11 -----------------------------------
hostile headers
for n in 0 1 2 3 4 5 6 7 8 9 10 11; do
	expect "udp_len$n" "UDP datagram of $n bytes (no whole header): dropped" \
		"$DROPPED"
done
for n in 0 1 2 3 4 5 6 7 8 9 10 11; do
	expect "tcp_len$n" "TCP message of $n bytes (no whole header): connection closed, no reply" \
		"$CLOSED"
done
expect tcp_half_prefix "TCP: one byte of the length prefix, then EOF: closed" \
	"$CLOSED"
still_alive "truncated headers"

# --- QDCOUNT other than 1 ------------------------------------------------
hostile qdcount
expect_small qd0 "QDCOUNT=0: FORMERR, header only" "$FORMERR_NOQ"
expect_small qd0_edns "QDCOUNT=0 with an OPT: FORMERR" "rcode=FORMERR id=match qr=1 "
expect_small qd2 "QDCOUNT=2, two questions: FORMERR" "$FORMERR_NOQ"
expect_small qd2_one_present "QDCOUNT=2, one question present: FORMERR" \
	"$FORMERR_NOQ"
expect_small qd3 "QDCOUNT=3: FORMERR" "$FORMERR_NOQ"
expect_small qd65535 "QDCOUNT=65535 with one question: FORMERR" "$FORMERR_NOQ"
expect_small qd65535_empty "QDCOUNT=65535 and nothing after the header: FORMERR" \
	"$FORMERR_NOQ"
expect_small qd0_an1 "QDCOUNT=0 with an answer record: FORMERR" "$FORMERR_NOQ"
expect_small qd1_an65535 "ANCOUNT=65535, no records: FORMERR" "$FORMERR"
expect_small qd1_ar65535 "ARCOUNT=65535, one OPT: FORMERR" "$FORMERR"
expect qd1_normal "QDCOUNT=1 control query: answered" "$ANSWER"
still_alive "QDCOUNT variants"

# --- compression ---------------------------------------------------------
hostile compression
expect_small ptr_self "pointer to itself: FORMERR" "$FORMERR"
expect_small ptr_loop2 "two pointers pointing at each other: FORMERR" "$FORMERR"
expect_small ptr_loop_labels "label then a pointer back to the name's start (loop): FORMERR" \
	"$FORMERR"
expect_small ptr_past_end "pointer past the end of the message: FORMERR" "$FORMERR"
expect_small ptr_max_offset "pointer to offset 16383: FORMERR" "$FORMERR"
expect_small ptr_cut "message ends inside a pointer: FORMERR" "$FORMERR"
expect_small ptr_cut_first_byte "message ends after a pointer's first byte: FORMERR" \
	"$FORMERR"
expect_small label_type_40 "extended label type 0x40: FORMERR" "$FORMERR"
expect_small label_type_80 "reserved label type 0x80: FORMERR" "$FORMERR"
expect_small ptr_loop_in_answer "pointer loop in an answer-section owner: FORMERR" \
	"$FORMERR"
expect_small ptr_past_end_in_additional "pointer past the end in the additional section: FORMERR" \
	"$FORMERR"
expect_small ptr_chain200 "chain of 200 backward pointers: FORMERR or answered, bounded" \
	"rcode=(FORMERR|NOERROR) id=match qr=1 "
expect ptr_normal "well-formed compressed answer-section owner: answered" \
	"$ANSWER"
still_alive "compression attacks"

# --- labels and names ----------------------------------------------------
hostile names
expect label63 "label of 63 octets: valid, NXDOMAIN from the zone" "$NXDOMAIN"
expect_small label64 "label of 64 octets: FORMERR" "$FORMERR_NOQ"
expect_small label127 "label of 127 octets: FORMERR" "$FORMERR_NOQ"
expect name255 "name of 255 octets: valid, NXDOMAIN from the zone" "$NXDOMAIN"
expect_small name256 "name of 256 octets: FORMERR" "$FORMERR_NOQ"
expect name255_tiny_labels "name of 255 octets in 122 labels: valid, NXDOMAIN" \
	"$NXDOMAIN"
expect_small name257_tiny_labels "name of 257 octets in 123 labels: FORMERR" \
	"$FORMERR_NOQ"
expect_small name_unterminated "name without its root label: FORMERR" \
	"$FORMERR_NOQ"
expect name_odd_bytes "labels holding NUL, '.', 0xff and '\\\\': valid, NXDOMAIN" \
	"$NXDOMAIN"
expect name_odd_bytes_echo "labels holding odd bytes: question echoed byte for byte" \
	'echoed$'
still_alive "label and name attacks"

# --- EDNS ----------------------------------------------------------------
hostile edns
expect_small opt_two "two OPT records: FORMERR without OPT" "$FORMERR"
expect_small opt_two_second_v1 "two OPT records, the second version 1: FORMERR" \
	"$FORMERR"
expect_small opt_in_answer "OPT in the answer section: FORMERR" "$FORMERR"
expect_small opt_in_authority "OPT in the authority section: FORMERR" "$FORMERR"
expect_small opt_owner_a "OPT owned by 'a.': FORMERR" "$FORMERR"
expect_small opt_owner_ptr "OPT owned by a pointer to the question name: FORMERR" \
	"$FORMERR"
expect_small opt_rdlen_past_end "OPT RDLENGTH past the end: FORMERR" "$FORMERR"
expect_small opt_cut "message ends inside the OPT: FORMERR" "$FORMERR"
expect_small opt_v1 "EDNS version 1: BADVERS, with an OPT of version 0" "$BADVERS"
expect_small opt_v255_do "EDNS version 255 with DO: BADVERS, with an OPT" "$BADVERS"
expect_small opt_v1_tcp "EDNS version 1 over TCP: BADVERS, with an OPT" "$BADVERS"
expect_small opt_v1_qd0 "EDNS version 1 and QDCOUNT=0: FORMERR or BADVERS" \
	"rcode=(FORMERR|BADVERS) id=match qr=1 "
expect opt_payload0 "OPT payload 0 (counts as 512): answered" "$ANSWER"
expect opt_payload65535 "OPT payload 65535: answered, our OPT says 1232" \
	"${ANSWER}ar=1 opt=ext=0,ver=0,udp=1232 "
expect opt_option_overrun "OPT option longer than the RDATA: FORMERR or answered" \
	"rcode=(FORMERR|NOERROR) id=match qr=1 "
dig_q +edns=1 +noednsnegotiation db.corp.internal A
check "dig +edns=1: BADVERS with an OPT of version 0" status BADVERS \
	answer_count 0 opt 'version: 0'
still_alive "EDNS attacks"

# --- responses are never answered ------------------------------------------
hostile qr
expect qr_udp "24 QR=1 datagrams (responses, any opcode/rcode): no reply" \
	'0 replies to 24 responses$'
expect qr_tcp "QR=1 over TCP skipped, the query after it answered" \
	'first reply id 5201 \(the query\)$'
still_alive "QR=1 messages"

# --- TCP: huge length prefixes, garbage streams ------------------------------
hostile tcp
expect huge_prefix_then_close "20 clients announce 65535 bytes, send a few, close" \
	'20 connections done$'
expect_small huge_message_garbage "65535-byte message of garbage after a header: FORMERR" \
	"$FORMERR"
expect huge_message_padded_query "65535-byte message, a query then zeros: answered or FORMERR" \
	"rcode=(NOERROR|FORMERR) id=match qr=1 "
expect huge_prefix_half_close "65535 announced, 100 bytes, then EOF: closed" \
	"$CLOSED"
expect garbage_streams "30 TCP streams of seeded garbage then EOF: all ended by the server" \
	'30/30 ended by the server$'
still_alive "huge TCP length prefixes and garbage streams"

# --- pipelining (RFC 7766 §6.2.1.1) -------------------------------------------
hostile pipeline
expect pipeline64 "64 pipelined TCP queries in one write: all answered" \
	'64/64 answered$'
expect pipeline100 "100 pipelined TCP queries in one write: all answered" \
	'100/100 answered$'
expect pipeline300 "300 pipelined TCP queries in one write: all answered" \
	'300/300 answered$'
still_alive "pipelined queries"

# --- 2000 seeded garbage datagrams --------------------------------------------
hostile garbage
printf '# %s\n' "$(printf '%s\n' "$HOSTILE_OUT" | grep -m1 '^garbage: ')"
expect garbage "2000 garbage datagrams: the run completes, replies counted" \
	'seed [0-9]+ sent 2000 datagrams'
expect garbage_violations "garbage: no reply to short or QR=1 datagrams, one reply each, IDs echoed, none oversized" \
	'0$'
expect garbage_amplification "garbage: reply bytes at most the request bytes" \
	'reply/request bytes (0\.[0-9]+|1\.000)$'
if e2e_alive "$VPCDNS_PID"; then
	pass "process $VPCDNS_PID alive after 2000 garbage datagrams"
else
	fail "process $VPCDNS_PID alive after 2000 garbage datagrams" \
		"$(tail -n 40 "$VPCDNS_LOGFILE")"
fi
still_alive "2000 garbage datagrams"

# --- idle and slowloris TCP clients (idle timeout 10 s, daemon.c) -----------
hostile idle
expect idle "200 idle TCP connections: all closed by the server within 15 s" \
	'200/200 closed by the server within 15 s'
expect idle_huge_prefix "65535 announced, 12 bytes sent, then idle: closed within 15 s" \
	'closed after ([0-9]|1[0-5])\.[0-9] s$'
expect udp_during "UDP answered within 500 ms while 200 idle + 5 slowloris TCP clients hold on" \
	'([0-9]+)/\1 answered, max ([0-9]|[1-9][0-9]|[1-4][0-9][0-9]) ms$'
expect tcp_during "fresh TCP clients answered within 500 ms meanwhile" \
	'([0-9]+)/\1 answered, max ([0-9]|[1-9][0-9]|[1-4][0-9][0-9]) ms$'
printf '# %s\n' "$(printf '%s\n' "$HOSTILE_OUT" | grep -m1 '^slowloris: ')"
still_alive "idle and slowloris TCP clients"

# --- a slowloris flood above the connection limit (1024) -------------------
hostile flood
printf '# %s\n' "$(printf '%s\n' "$HOSTILE_OUT" | grep -m1 '^flood: ')"
case_line flood_tcp
if printf '%s\n' "$E2E_OUT" | grep -q 'skipped'; then
	echo "# flood skipped: RLIMIT_NOFILE too low here"
else
	expect flood_tcp "1100 slowloris clients (1 byte / 0.5 s): a fresh TCP client from 127.0.0.2 is answered within 13 s" \
		'fresh TCP client answered after'
	expect flood_udp "UDP answered within 500 ms during the slowloris flood" \
		'([0-9]+)/\1 answered, max ([0-9]|[1-9][0-9]|[1-4][0-9][0-9]) ms$'
fi
still_alive "a slowloris flood"

finish
