#!/bin/bash
# tests/e2e/edns_truncation/test.sh - EDNS0 and truncation (RFC 6891, SPEC
# Part 3): 512 bytes without EDNS, the client's payload size with it (at
# least 512), TC and no answer when it does not fit, the full answer over
# TCP, our OPT with udp 1232, BADVERS for EDNS version 1, DO echoed.
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
require_tool dig kdig

start_vpcdns vpcdns.yaml CLOSED="127.0.0.1:$(free_port)"

OPT_1232='^; EDNS: version: 0, flags:[^;]*; udp: 1232$'

# Without EDNS: 512 bytes.
dig_q +noedns +ignore big.corp.internal TXT
check "no EDNS, 3000-byte answer over UDP: TC, no answer, no OPT" \
	status NOERROR flag tc flag aa answer_count 0 no_opt
dig_q +noedns +ignore medium.corp.internal TXT
check "no EDNS, 1000-byte answer over UDP: TC" status NOERROR flag tc \
	answer_count 0 no_opt
dig_q +noedns db.corp.internal A
check "no EDNS, small answer: no TC, no OPT" status NOERROR noflag tc \
	answer_count 1 no_opt

# With EDNS: the client's size, at least 512, at most what we send.
dig_q +bufsize=4096 +ignore big.corp.internal TXT
check "bufsize 4096: the full 3000-byte answer over UDP, no TC" \
	status NOERROR noflag tc flag aa answer_count 12 opt "$OPT_1232"
# (dig 9.18 sends 1232 for +bufsize=32768 and above.)
dig_q +bufsize=8192 +ignore big.corp.internal TXT
check "bufsize 8192: the full answer over UDP, no TC" status NOERROR \
	noflag tc answer_count 12
dig_q +bufsize=1232 +ignore big.corp.internal TXT
check "bufsize 1232, 3000-byte answer: TC, no answer, OPT kept" \
	status NOERROR flag tc answer_count 0 opt "$OPT_1232"
dig_q +bufsize=2000 +ignore big.corp.internal TXT
check "bufsize 2000, 3000-byte answer: TC" status NOERROR flag tc \
	answer_count 0
dig_q +bufsize=1232 +ignore medium.corp.internal TXT
check "bufsize 1232, 1000-byte answer: complete, no TC" status NOERROR \
	noflag tc answer_count 4
dig_q +bufsize=100 +ignore db.corp.internal A
check "bufsize 100 counts as 512: small answer complete" status NOERROR \
	noflag tc answer_count 1 opt "$OPT_1232"
dig_q +bufsize=100 +ignore medium.corp.internal TXT
check "bufsize 100 counts as 512: 1000-byte answer gets TC" \
	status NOERROR flag tc answer_count 0

# TCP: always the full answer.
dig_q +tcp big.corp.internal TXT
check "TCP with EDNS: full answer" status NOERROR noflag tc flag aa \
	answer_count 12 opt "$OPT_1232"
dig_q +tcp +noedns big.corp.internal TXT
check "TCP without EDNS: full answer" status NOERROR noflag tc \
	answer_count 12 no_opt
dig_q +tcp +bufsize=512 big.corp.internal TXT
check "TCP with bufsize 512: full answer (the size is for UDP)" \
	status NOERROR noflag tc answer_count 12
dig_q big.corp.internal TXT
check "dig falls back to TCP after TC and gets the full answer" \
	status NOERROR noflag tc answer_count 12 \
	output 'Truncated, retrying in TCP mode'
kdig_q +notcp +noedns +ignore big.corp.internal TXT
check "kdig without EDNS: TC, no answer" status NOERROR flag tc \
	answer_count 0
kdig_q +bufsize=4096 big.corp.internal TXT
check "kdig bufsize 4096: full answer" status NOERROR noflag tc \
	answer_count 12

# The OPT record we send (RFC 6891 §6.1.1, §6.2.5).
dig_q db.corp.internal A
check "OPT echoed with udp 1232 (dig's default bufsize)" status NOERROR \
	opt "$OPT_1232" answer_count 1
dig_q +bufsize=4096 db.corp.internal A
check "OPT says udp 1232 whatever the client offers" status NOERROR \
	opt "$OPT_1232"
dig_q +bufsize=512 db.corp.internal A
check "OPT says udp 1232 to a 512-byte client" status NOERROR \
	opt "$OPT_1232"
dig_q nope.corp.internal A
check "OPT on an NXDOMAIN" status NXDOMAIN opt "$OPT_1232"
dig_q +edns=1 +noednsnegotiation db.corp.internal A
check "EDNS version 1: BADVERS with an OPT of version 0" status BADVERS \
	answer_count 0 opt '^; EDNS: version: 0,'
dig_q +edns=1 +noednsnegotiation +tcp db.corp.internal A
check "EDNS version 1 over TCP: BADVERS" status BADVERS answer_count 0
dig_q +dnssec db.corp.internal A
check "DO bit echoed in the OPT (RFC 3225)" status NOERROR answer_count 1 \
	opt '^; EDNS: version: 0, flags: do; udp: 1232$'
dig_q +nodnssec db.corp.internal A
check "DO bit not set when not asked" status NOERROR \
	opt "$OPT_1232" no_opt_field 'flags: do'

finish
