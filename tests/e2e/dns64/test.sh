#!/bin/bash
# tests/e2e/dns64/test.sh - DNS64 per subnet (AWS nat-gateway-nat64-dns64,
# RFC 6147): for a client in the VPC's `dns64:` ranges a name with only A
# records answers AAAA in 64:ff9b::/96 (upstream names through a second
# query, local zones and EC2 host names directly), a name with AAAA
# answers as it is, NXDOMAIN and names without A stay empty; a client
# outside the ranges gets the plain answers; the PTR of a 64:ff9b::/96
# address is a CNAME to the IPv4 reverse name and its PTR.  A firewall
# rule with qtype AAAA does not apply to synthesized AAAA (AWS
# resolver-dns-firewall-rule-settings), only to real ones.
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
require_tool dig kdig

start_upstream example.test.zone example.test
start_vpcdns vpcdns.yaml

in64()
{
	dig_q -b 127.0.0.2 "$@"
}

in64 v4only.example.test AAAA
check "A-only upstream name: AAAA synthesized in 64:ff9b::/96" \
	status NOERROR noflag aa answer_count 2 \
	answer '^v4only\.example\.test\. [0-9]+ IN AAAA 64:ff9b::c000:20a$' \
	answer '^v4only\.example\.test\. [0-9]+ IN AAAA 64:ff9b::c000:20b$'
in64 v4only.example.test AAAA
check "the same from the cache" status NOERROR answer_count 2 \
	answer ' IN AAAA 64:ff9b::c000:20a$'
in64 +tcp alias.example.test AAAA
check "through a CNAME (TCP): the chain and the synthesized AAAA" \
	status NOERROR answer_count 3 \
	answer '^alias\.example\.test\. [0-9]+ IN CNAME v4only\.example\.test\.$' \
	answer ' IN AAAA 64:ff9b::c000:20b$'
in64 dual.example.test AAAA
check "a name with AAAA: returned as it is" status NOERROR answer_count 1 \
	answer '^dual\.example\.test\. [0-9]+ IN AAAA 2001:db8::12$'
in64 nope.example.test AAAA
check "NXDOMAIN stays NXDOMAIN" status NXDOMAIN answer_count 0
in64 txtonly.example.test AAAA
check "no A either: NODATA" status NOERROR answer_count 0
in64 v4only.example.test A
check "A queries are untouched" status NOERROR \
	answer ' IN A 192\.0\.2\.10$'
in64 db.corp.internal AAAA
check "a private hosted zone's A-only name: synthesized, AA" \
	status NOERROR flag aa answer_count 1 \
	answer '^db\.corp\.internal\. [0-9]+ IN AAAA 64:ff9b::a00:114$'
in64 ip-10-0-1-15.ec2.internal AAAA
check "an EC2 host name: synthesized" status NOERROR flag aa \
	answer '^ip-10-0-1-15\.ec2\.internal\. 60 IN AAAA 64:ff9b::a00:10f$'
run_cmd kdig @127.0.0.1 -p "$VPCDNS_PORT" -b 127.0.0.2 +time=2 +retry=0 \
	v4only.example.test AAAA
check "kdig: the synthesized AAAA" output 'status: NOERROR' \
	output 'AAAA\s+64:ff9b::c000:20a'

# --- PTR of 64:ff9b::/96 --------------------------------------------------------
in64 -x 64:ff9b::a00:10f
check "PTR of 64:ff9b::10.0.1.15: CNAME to the IPv4 name, then its PTR" \
	status NOERROR answer_count 2 \
	answer ' IN CNAME 15\.1\.0\.10\.in-addr\.arpa\.$' \
	answer '^15\.1\.0\.10\.in-addr\.arpa\. [0-9]+ IN PTR ip-10-0-1-15\.ec2\.internal\.$'

# --- a client without DNS64 -----------------------------------------------------
dig_q -b 127.0.0.3 v4only.example.test AAAA
check "outside the dns64 ranges: NODATA" status NOERROR answer_count 0
dig_q -b 127.0.0.3 db.corp.internal AAAA
check "outside the dns64 ranges, local: NODATA" status NOERROR flag aa \
	answer_count 0

# --- a firewall rule with qtype AAAA -----------------------------------------------
in64 v4.nov6.example.test AAAA
check "qtype AAAA block rule: a synthesized AAAA is not blocked" \
	status NOERROR answer_count 1 \
	answer '^v4\.nov6\.example\.test\. [0-9]+ IN AAAA 64:ff9b::c000:21e$'
in64 dual.nov6.example.test AAAA
check "qtype AAAA block rule: a real AAAA is blocked (NXDOMAIN)" \
	status NXDOMAIN answer_count 0
dig_q -b 127.0.0.3 v4.nov6.example.test AAAA
check "qtype AAAA block rule: a client without DNS64 is blocked" \
	status NXDOMAIN answer_count 0
run_cmd "$VPCDNS_BIN" explain -c "$VPCDNS_CONF" --from 127.0.0.2 \
	v4.nov6.example.test AAAA
check "explain: the qtype AAAA rule is passed over for DNS64" exit 0 \
	output '^firewall +no-ipv6 \(priority 100, qtype AAAA\) passed over: the AAAA is synthesized by DNS64$' \
	output '^dns64 +AAAA synthesized'

run_cmd "$VPCDNS_BIN" explain -c "$VPCDNS_CONF" --from 127.0.0.2 \
	v4only.example.test AAAA
check "explain says DNS64 synthesized the answer" exit 0 \
	output '^dns64 +AAAA synthesized in 64:ff9b::/96' \
	output '64:ff9b::c000:20a'

finish
