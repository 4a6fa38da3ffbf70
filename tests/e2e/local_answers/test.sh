#!/bin/bash
# tests/e2e/local_answers/test.sh - answers from local private hosted zones
# (SPEC 1.2, 1.5, Part 3): record types, CNAMEs, wildcards (RFC 4592),
# empty non-terminals, NXDOMAIN/NODATA with the RFC 2308 SOA, AA and RA,
# the question echoed byte for byte, Route 53 defaults, minimal ANY
# (RFC 8482), over UDP and TCP, with dig, kdig and drill.
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
require_tool dig kdig drill

start_vpcdns vpcdns.yaml CLOSED="127.0.0.1:$(free_port)"

SOA='corp.internal. 120 IN SOA ns-1536.awsdns-00.co.uk. awsdns-hostmaster.amazon.com. 2026112301 7200 900 1209600 120'
R53_SOA='svc.internal. 900 IN SOA ns-1536.awsdns-00.co.uk. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400'

# Record types.
for tcp in "" +tcp; do
	t=${tcp:+ over TCP}
	t=${t:- over UDP}
	dig_q $tcp db.corp.internal A
	check "A record$t" status NOERROR flag aa flag ra noflag tc \
		answer_set "db.corp.internal. 300 IN A 10.0.1.20" \
		question "db.corp.internal. IN A"
	dig_q $tcp db.corp.internal AAAA
	check "AAAA record$t" status NOERROR flag aa flag ra \
		answer_set "db.corp.internal. 300 IN AAAA fd00:10:1::20"
	dig_q $tcp nope.corp.internal A
	check "NXDOMAIN with the SOA, TTL min(SOA TTL, MINIMUM)$t" \
		status NXDOMAIN flag aa flag ra answer_count 0 \
		authority_set "$SOA"
	dig_q $tcp api.corp.internal A
	check "CNAME inside the zone is followed$t" status NOERROR flag aa \
		answer_set "api.corp.internal. 300 IN CNAME db.corp.internal.
db.corp.internal. 300 IN A 10.0.1.20" \
		answer_line '1:IN CNAME db\.corp\.internal\.$'
	dig_q $tcp corp.internal ANY
	check "ANY gets a minimal answer (RFC 8482)$t" status NOERROR flag aa \
		one_rrset
done

dig_q corp.internal A
check "apex A" status NOERROR flag aa flag ra \
	answer_set "corp.internal. 300 IN A 10.0.0.10"
dig_q corp.internal SOA
check "apex SOA" status NOERROR flag aa \
	answer_set "corp.internal. 900 IN SOA ns-1536.awsdns-00.co.uk. awsdns-hostmaster.amazon.com. 2026112301 7200 900 1209600 120"
dig_q corp.internal NS
check "apex NS from the zone file" status NOERROR flag aa \
	answer_set "corp.internal. 300 IN NS ns-1536.awsdns-00.co.uk.
corp.internal. 300 IN NS ns-0.awsdns-00.com."
dig_q corp.internal MX
check "MX" status NOERROR flag aa \
	answer_set "corp.internal. 300 IN MX 10 mail.corp.internal."
dig_q corp.internal TXT
check "TXT" status NOERROR flag aa \
	answer_set 'corp.internal. 300 IN TXT "v=spf1 ip4:10.0.0.0/16 -all"'
dig_q txt.corp.internal TXT
check "TXT RRset with multi-string records" status NOERROR flag aa \
	answer_set 'txt.corp.internal. 300 IN TXT "first string" "second string"
txt.corp.internal. 300 IN TXT "another record"'
dig_q _ldap._tcp.corp.internal SRV
check "SRV" status NOERROR flag aa \
	answer_set "_ldap._tcp.corp.internal. 300 IN SRV 0 100 389 dc1.corp.internal."
dig_q multi.corp.internal A
check "A RRset of three" status NOERROR flag aa \
	answer_set "multi.corp.internal. 300 IN A 10.0.1.31
multi.corp.internal. 300 IN A 10.0.1.32
multi.corp.internal. 300 IN A 10.0.1.33"

# CNAMEs.
dig_q api2.corp.internal A
check "CNAME chain of two hops, in order" status NOERROR flag aa \
	answer_count 3 \
	answer_line '1:^api2\.corp\.internal\. 60 IN CNAME api\.corp\.internal\.$' \
	answer_line '2:^api\.corp\.internal\. 300 IN CNAME db\.corp\.internal\.$' \
	answer_line '3:^db\.corp\.internal\. 300 IN A 10\.0\.1\.20$'
dig_q api.corp.internal AAAA
check "CNAME followed for AAAA" status NOERROR flag aa \
	answer_set "api.corp.internal. 300 IN CNAME db.corp.internal.
db.corp.internal. 300 IN AAAA fd00:10:1::20"
dig_q api.corp.internal CNAME
check "CNAME query returns the CNAME only" status NOERROR flag aa \
	answer_set "api.corp.internal. 300 IN CNAME db.corp.internal."
dig_q api.corp.internal MX
check "CNAME to a name without the type: CNAME and NODATA SOA" \
	status NOERROR flag aa \
	answer_set "api.corp.internal. 300 IN CNAME db.corp.internal." \
	authority_set "$SOA"

# Wildcards (RFC 4592).
dig_q foo.apps.corp.internal A
check "wildcard synthesizes an A with the query name as owner" \
	status NOERROR flag aa \
	answer_set "foo.apps.corp.internal. 300 IN A 10.0.3.30"
dig_q x.y.apps.corp.internal A
check "wildcard covers names two labels below its parent" \
	status NOERROR flag aa \
	answer_set "x.y.apps.corp.internal. 300 IN A 10.0.3.30"
dig_q foo.apps.corp.internal TXT
check "wildcard TXT" status NOERROR flag aa \
	answer_set 'foo.apps.corp.internal. 300 IN TXT "wildcard"'
dig_q foo.apps.corp.internal AAAA
check "wildcard without the type: NODATA with the SOA" \
	status NOERROR flag aa answer_count 0 authority_set "$SOA"
dig_q sub.apps.corp.internal A
check "an existing name is not replaced by the wildcard" \
	status NOERROR flag aa \
	answer_set "sub.apps.corp.internal. 300 IN A 10.0.3.31"
dig_q x.sub.apps.corp.internal A
check "wildcard does not cover names below an existing name" \
	status NXDOMAIN flag aa answer_count 0 authority_set "$SOA"
dig_q ent.apps.corp.internal A
check "empty non-terminal below the wildcard's parent is NODATA" \
	status NOERROR flag aa answer_count 0 authority_set "$SOA"
dig_q z.ent.apps.corp.internal A
check "wildcard does not cover names below an empty non-terminal" \
	status NXDOMAIN flag aa answer_count 0 authority_set "$SOA"
dig_q apps.corp.internal A
check "the wildcard's parent (empty non-terminal) is NODATA" \
	status NOERROR flag aa answer_count 0 authority_set "$SOA"

# Empty non-terminals.
dig_q b.deep.corp.internal A
check "empty non-terminal b.deep: NOERROR, no answer, SOA" \
	status NOERROR flag aa answer_count 0 authority_set "$SOA"
dig_q deep.corp.internal A
check "empty non-terminal deep: NOERROR, no answer, SOA" \
	status NOERROR flag aa answer_count 0 authority_set "$SOA"
dig_q x.b.deep.corp.internal A
check "below an empty non-terminal: NXDOMAIN" \
	status NXDOMAIN flag aa answer_count 0 authority_set "$SOA"
dig_q a.b.deep.corp.internal A
check "name below empty non-terminals" status NOERROR flag aa \
	answer_set "a.b.deep.corp.internal. 300 IN A 10.0.9.9"

# Negative answers.
dig_q mail.corp.internal AAAA
check "NODATA (AAAA on an A-only name) with the SOA" \
	status NOERROR flag aa flag ra answer_count 0 authority_set "$SOA"
dig_q a.very.deep.nope.corp.internal TXT
check "NXDOMAIN for a deep missing name" status NXDOMAIN flag aa \
	authority_set "$SOA"
dig_q nope.corp.internal ANY
check "ANY on a missing name: NXDOMAIN" status NXDOMAIN flag aa \
	authority_set "$SOA"
dig_q b.deep.corp.internal ANY
check "ANY on an empty non-terminal: NODATA" status NOERROR flag aa \
	answer_count 0 authority_set "$SOA"
dig_q db.corp.internal ANY
check "ANY on a name with A and AAAA: one RRset" status NOERROR flag aa \
	one_rrset answer_all '^db\.corp\.internal\. 300 IN (A 10\.0\.1\.20|AAAA fd00:10:1::20)$'

# The question is echoed byte for byte (0x20), names compare without case.
dig_q dB.CoRp.InTeRnAl A
check "mixed-case query answered, question echoed in its case (dig)" \
	status NOERROR flag aa question "dB.CoRp.InTeRnAl. IN A" \
	answer_count 1 answer_ci '^db\.corp\.internal\. 300 IN A 10\.0\.1\.20$'
# kdig lower-cases names before sending: only the answer is checked.
kdig_q dB.CoRp.InTeRnAl A
check "mixed-case query answered (kdig)" status NOERROR flag aa \
	answer_count 1 answer_ci '^db\.corp\.internal\. 300 IN A 10\.0\.1\.20$'
# The raw bytes: the response's question is the query's, byte for byte.
run_cmd "$E2E_PYTHON" -c '
import socket, struct, sys
q = (struct.pack(">HHHHHH", 0x2b2b, 0x0100, 1, 0, 0, 0) +
     b"\x02dB\x04CoRp\x08InTeRnAl\x00" + struct.pack(">HH", 1, 1))
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(2)
s.sendto(q, ("127.0.0.1", int(sys.argv[1])))
r = s.recv(4096)
print("response", r.hex())
ok = r[:2] == q[:2] and r[12:len(q)] == q[12:] and r[3] & 0xF == 0
print("question echoed byte for byte" if ok else "question differs")
' "$VPCDNS_PORT"
check "question echoed byte for byte (raw UDP)" exit 0 \
	output '^question echoed byte for byte$'
dig_q NoPe.CORP.internal A
check "mixed-case NXDOMAIN keeps the question's case" status NXDOMAIN \
	flag aa question "NoPe.CORP.internal. IN A" authority_set "$SOA"
dig_q FOO.Apps.Corp.Internal A
check "mixed-case wildcard match" status NOERROR flag aa \
	question "FOO.Apps.Corp.Internal. IN A" answer_count 1 \
	answer_ci '^foo\.apps\.corp\.internal\. 300 IN A 10\.0\.3\.30$'

# Route 53 defaults for a zone without SOA and NS (SPEC 1.2).
dig_q svc.internal SOA
check "zone without SOA gets the Route 53 SOA (TTL 900)" status NOERROR \
	flag aa answer_set "$R53_SOA"
dig_q svc.internal NS
check "zone without NS gets the four Route 53 NS (TTL 172800)" \
	status NOERROR flag aa answer_count 4 \
	answer_all '^svc\.internal\. 172800 IN NS ns-[0-9]+\.awsdns-00\.(com|net|org|co\.uk)\.$'
dig_q svc.internal A
check "zone without SOA answers its apex A set" status NOERROR flag aa \
	answer_set "svc.internal. 60 IN A 10.1.0.1
svc.internal. 60 IN A 10.1.0.2"
dig_q nope.svc.internal A
check "NXDOMAIN in a default-SOA zone: SOA TTL min(900, 86400)" \
	status NXDOMAIN flag aa answer_count 0 authority_set "$R53_SOA"
dig_q api.svc.internal AAAA
check "NODATA in a default-SOA zone" status NOERROR flag aa \
	answer_count 0 authority_set "$R53_SOA"

# Other clients.
kdig_q +tcp db.corp.internal A
check "kdig over TCP" status NOERROR flag aa flag ra \
	answer_set "db.corp.internal. 300 IN A 10.0.1.20"
kdig_q foo.apps.corp.internal A
check "kdig wildcard" status NOERROR flag aa \
	answer_set "foo.apps.corp.internal. 300 IN A 10.0.3.30"
drill_q db.corp.internal A
check "drill A" status NOERROR flag aa flag ra \
	answer_set "db.corp.internal. 300 IN A 10.0.1.20"
drill_q nope.corp.internal A
check "drill NXDOMAIN" status NXDOMAIN flag aa authority_set "$SOA"
drill_q corp.internal MX -t
check "drill MX over TCP" status NOERROR flag aa \
	answer_set "corp.internal. 300 IN MX 10 mail.corp.internal."

# Without RD the answer is the same (local data needs no recursion).
dig_q +norec db.corp.internal A
check "query without RD: answered, RD clear in the response" \
	status NOERROR flag aa noflag rd \
	answer_set "db.corp.internal. 300 IN A 10.0.1.20"
expect_dig "dc1 A (expect_dig)" NOERROR \
	'^dc1\.corp\.internal\. 300 IN A 10\.0\.1\.5$' dc1.corp.internal A
expect_dig "missing AAAA (expect_dig): empty answer" NOERROR '' \
	dc1.corp.internal AAAA

# A listener on ::1, when the host has it.
if have_ipv6; then
	VPCDNS_ADDR=::1
	start_vpcdns vpcdns-ipv6.yaml CLOSED="127.0.0.1:$(free_port)"
	dig_q db.corp.internal AAAA
	check "over IPv6 (::1) UDP" status NOERROR flag aa \
		answer_set "db.corp.internal. 300 IN AAAA fd00:10:1::20"
	dig_q +tcp nope.corp.internal A
	check "over IPv6 (::1) TCP: NXDOMAIN with the SOA" status NXDOMAIN \
		flag aa authority_set "$SOA"
	kdig_q foo.apps.corp.internal A
	check "over IPv6 (::1) with kdig" status NOERROR flag aa \
		answer_set "foo.apps.corp.internal. 300 IN A 10.0.3.30"
	VPCDNS_ADDR=127.0.0.1
	dig_q db.corp.internal A
	check "the same daemon on 127.0.0.1 too" status NOERROR flag aa \
		answer_set "db.corp.internal. 300 IN A 10.0.1.20"
else
	echo "# $SCENARIO: ::1 is not available, IPv6 checks skipped"
fi

finish
