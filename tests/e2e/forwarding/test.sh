#!/bin/bash
# tests/e2e/forwarding/test.sh - names outside the local zones are
# forwarded to the upstream (an nsd) and cached (SPEC 1.5 step 3, Part 3):
# answers equal the upstream's, NXDOMAIN and NODATA
# pass through with the upstream SOA, a local CNAME leading out of local
# data returns the whole chain, AA is never set on forwarded data, TCP.
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
require_tool dig

start_upstream example.test.zone example.test
NSD_PID=$UPSTREAM_PID
start_vpcdns vpcdns.yaml

# upstream_section NAME TYPE SECTION: that section of nsd's own answer.
upstream_section()
{
	dig_at "$UPSTREAM_PORT" +norec "$1" "$2"
	section "$3"
}

want=$(upstream_section www.example.test A ANSWER)
dig_q www.example.test A
check "forwarded A equals the upstream's answer" status NOERROR \
	flag rd flag ra noflag aa answer_set "$want" \
	answer '^www\.example\.test\. 600 IN A 192\.0\.2\.80$'
dig_q www.example.test A
check "second query (cache): same data, TTL not above the original" \
	status NOERROR flag ra noflag aa answer_count 1 \
	answer '^www\.example\.test\. (600|[1-5]?[0-9]?[0-9]) IN A 192\.0\.2\.80$'

want=$(upstream_section multi.example.test A ANSWER)
dig_q multi.example.test A
check "forwarded RRset of three equals the upstream's" status NOERROR \
	noflag aa answer_count 3 answer_set "$want"

want=$(upstream_section www.example.test AAAA ANSWER)
dig_q +tcp www.example.test AAAA
check "forwarded AAAA over TCP" status NOERROR flag ra noflag aa \
	answer_set "$want"

want=$(upstream_section mx.example.test MX ANSWER)
dig_q mx.example.test MX
check "forwarded MX" status NOERROR noflag aa answer_set "$want"

# The first answer carries the upstream TTL.  (How cached TTLs count
# down and expire is the core's business, checked on a virtual clock in
# tests/replay/forward_cache.rpl.)
dig_q once.example.test A
check "first answer carries the upstream TTL" status NOERROR noflag aa \
	answer_set "once.example.test. 600 IN A 192.0.2.99"

# Negative answers pass through with the upstream's SOA.
want=$(upstream_section nope.example.test A AUTHORITY)
dig_q nope.example.test A
check "upstream NXDOMAIN passes through with its SOA" status NXDOMAIN \
	flag ra noflag aa answer_count 0 authority_set "$want" \
	authority '^example\.test\. [0-9]+ IN SOA ns1\.example\.test\. '
want=$(upstream_section www.example.test MX AUTHORITY)
dig_q www.example.test MX
check "upstream NODATA passes through with its SOA" status NOERROR \
	noflag aa answer_count 0 authority_set "$want"

# The question's case is kept on forwarded answers too.
dig_q WwW.ExAmPlE.TeSt A
check "mixed-case forwarded query: question echoed, answer right" \
	status NOERROR question "WwW.ExAmPlE.TeSt. IN A" answer_count 1 \
	answer_ci '^www\.example\.test\. [0-9]+ IN A 192\.0\.2\.80$'

# Local CNAMEs that lead out of local data.
dig_q docs.corp.internal A
check "local CNAME to an upstream name: CNAME then the upstream A" \
	status NOERROR flag ra answer_count 2 \
	answer_line '1:^docs\.corp\.internal\. 300 IN CNAME www\.example\.test\.$' \
	answer_line '2:^www\.example\.test\. [0-9]+ IN A 192\.0\.2\.80$'
dig_q +tcp docs.corp.internal AAAA
check "local CNAME to an upstream name, AAAA over TCP" status NOERROR \
	answer_count 2 \
	answer_line '1:^docs\.corp\.internal\. 300 IN CNAME www\.example\.test\.$' \
	answer_line '2:^www\.example\.test\. [0-9]+ IN AAAA 2001:db8::80$'
dig_q wiki.corp.internal A
check "two local CNAMEs then the upstream A" status NOERROR answer_count 3 \
	answer_line '1:^wiki\.corp\.internal\. 300 IN CNAME docs\.corp\.internal\.$' \
	answer_line '2:^docs\.corp\.internal\. 300 IN CNAME www\.example\.test\.$' \
	answer_line '3:^www\.example\.test\. [0-9]+ IN A 192\.0\.2\.80$'
dig_q chain.corp.internal A
check "local CNAME, upstream CNAME, upstream A" status NOERROR \
	answer_count 3 \
	answer_line '1:^chain\.corp\.internal\. 300 IN CNAME alias\.example\.test\.$' \
	answer_line '2:^alias\.example\.test\. [0-9]+ IN CNAME www\.example\.test\.$' \
	answer_line '3:^www\.example\.test\. [0-9]+ IN A 192\.0\.2\.80$'
dig_q gone.corp.internal A
check "local CNAME to a missing upstream name: NXDOMAIN, CNAME, SOA" \
	status NXDOMAIN answer_count 1 \
	answer_line '1:^gone\.corp\.internal\. 300 IN CNAME nope\.example\.test\.$' \
	authority '^example\.test\. [0-9]+ IN SOA '

# Local data is still authoritative next to forwarding.
dig_q db.corp.internal A
check "local name answers authoritatively" status NOERROR flag aa flag ra \
	answer_set "db.corp.internal. 300 IN A 10.0.1.20"
dig_q nope.corp.internal A
check "missing local name is NXDOMAIN, not forwarded" status NXDOMAIN \
	flag aa authority '^corp\.internal\. [0-9]+ IN SOA ns-1536\.awsdns-00\.co\.uk\. '

# A large upstream answer: UDP to the client when it fits, TCP otherwise.
want=$(upstream_section big.example.test TXT ANSWER)
dig_q +tcp big.example.test TXT
check "large forwarded answer over TCP is complete" status NOERROR \
	noflag tc answer_count 12 answer_set "$want"
# This one comes from the cache, its TTL counted down by however long the
# machine took: compared without TTLs (+nottlid on both sides).
dig_at "$UPSTREAM_PORT" +norec +nottlid big.example.test TXT
want=$(section ANSWER)
dig_q +nottlid +bufsize=4096 +ignore big.example.test TXT
check "large forwarded answer over UDP with a 4096 buffer is complete" \
	status NOERROR noflag tc answer_count 12 answer_set "$want"
dig_q +bufsize=1232 +ignore big.example.test TXT
check "large forwarded answer over UDP with a 1232 buffer sets TC" \
	status NOERROR flag tc
dig_q big.example.test TXT
check "dig retries the truncated answer over TCP and gets all of it" \
	status NOERROR noflag tc answer_count 12 \
	output 'Truncated, retrying in TCP mode'

# Identical queries in flight at once, cache cold, answer over 512 bytes:
# each upstream query needs its own random ID (RFC 5452 §4) and the
# EDNS-sized UDP answer must be taken as is, not refetched over TCP.
run_cmd "$E2E_PYTHON" -c '
import select, socket, sys, time, dns.message
addr, port = sys.argv[1], int(sys.argv[2])
socks = []
for i in range(50):
    q = dns.message.make_query("medium.example.test", "TXT", use_edns=0, payload=4096)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setblocking(False)
    s.sendto(q.to_wire(), (addr, port))
    socks.append(s)
ok, deadline = 0, time.time() + 4
pending = set(socks)
while pending and time.time() < deadline:
    r, _, _ = select.select(list(pending), [], [], 0.2)
    for s in r:
        m = dns.message.from_wire(s.recv(65535))
        ok += m.rcode() == 0 and len(m.answer) == 1 and not (m.flags & 0x200)
        pending.discard(s)
print("answered", ok, "of", len(socks))
' "$VPCDNS_ADDR" "$VPCDNS_PORT"
check "50 identical queries in flight (cold cache, 850-byte answer) all answered" \
	exit 0 output '^answered 50 of 50$' max_ms 6000

# With the upstream gone, cached answers still come (from the cache) and
# uncached names get SERVFAIL.
stop_upstream "$NSD_PID"
dig_q www.example.test A
check "cached answer served with the upstream stopped" status NOERROR \
	noflag aa answer_count 1 \
	answer '^www\.example\.test\. [0-9]+ IN A 192\.0\.2\.80$'
dig_q nope.example.test A
check "cached NXDOMAIN (RFC 2308) served with the upstream stopped" \
	status NXDOMAIN authority '^example\.test\. [0-9]+ IN SOA '
dig_q +time=8 +tries=1 mail.example.test A
check "uncached name with the upstream stopped: SERVFAIL" status SERVFAIL \
	flag ra answer_count 0

finish
