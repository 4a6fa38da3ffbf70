#!/bin/bash
# tests/e2e/firewall/test.sh - DNS Firewall (SPEC 1.5 step 1, 1.5a):
# allow, alert (answer normally) and block; block responses NODATA
# (NOERROR, no answer, no SOA, no AA), NXDOMAIN (no SOA, no AA) and
# OVERRIDE (a CNAME to the override domain with its TTL, default 0, then
# the target resolved but not filtered again); `*.` wildcards match below
# the name at any depth but not the name itself; a domains-file with
# blank lines and comments; rules evaluated by priority (lower first,
# whatever the order in the file) and the first match ends the evaluation;
# the firewall comes before the private hosted zones, applies to the VPC's
# clients and its inbound listener, never to outside clients.
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
require_tool dig

start_upstream example.com.zone example.com
INBOUND=$(free_port) || fatal "a free port for the inbound listener"
start_vpcdns vpcdns.yaml INBOUND="$INBOUND"

# vpc DIG-ARGS...: dig from the VPC's client address.
vpc()
{
	dig_q -b 127.0.0.2 "$@"
}

# pub NAME ADDR: the regex of NAME's upstream A record (TTL 300, maybe
# counted down by the cache).
pub()
{
	echo "^${1//./\\.}\\. (300|[12]?[0-9]?[0-9]) IN A ${2//./\\.}\$"
}

# expect_nxdomain DESC DIG-ARGS...: a firewall NXDOMAIN: no answer, no SOA
# (nothing in the authority section), no AA.
expect_nxdomain()
{
	local desc=$1
	shift
	vpc "$@"
	check "$desc" status NXDOMAIN noflag aa answer_count 0 authority_count 0
}

# expect_nodata DESC DIG-ARGS...: a firewall NODATA.
expect_nodata()
{
	local desc=$1
	shift
	vpc "$@"
	check "$desc" status NOERROR noflag aa answer_count 0 authority_count 0
}

# expect_allowed DESC NAME ADDR: the upstream's answer.
expect_allowed()
{
	vpc "$2" A
	check "$1" status NOERROR answer_count 1 answer "$(pub "$2" "$3")"
}

# --- block: NXDOMAIN, and `*.` wildcard semantics ---------------------------
expect_nxdomain "block nxdomain: bad.example.com (listed itself)" \
	bad.example.com A
expect_nxdomain "block nxdomain: a.bad.example.com (*.bad.example.com)" \
	a.bad.example.com A
expect_nxdomain "block nxdomain: a.b.bad.example.com (*. at any depth)" \
	a.b.bad.example.com A
expect_nxdomain "block nxdomain for any type (TXT)" bad.example.com TXT
expect_nxdomain "block nxdomain over TCP" +tcp a.bad.example.com A
vpc BAD.Example.COM A
check "block matches without case, the question echoed in its case" \
	status NXDOMAIN noflag aa answer_count 0 authority_count 0 \
	question "BAD.Example.COM. IN A"
expect_nodata "block nodata: a.wild.example.com (*.wild.example.com)" \
	a.wild.example.com A
expect_nodata "block nodata: a.b.wild.example.com (any depth)" \
	a.b.wild.example.com A
expect_nodata "block nodata over TCP" +tcp a.b.wild.example.com AAAA
expect_allowed "*.wild.example.com does not match wild.example.com itself" \
	wild.example.com 192.0.2.20
expect_allowed "*.wild.example.com does not match xwild.example.com" \
	xwild.example.com 192.0.2.23
expect_nodata "block nodata: nodata.example.com" nodata.example.com A

# --- alert: answered normally ------------------------------------------------
expect_allowed "alert: answered normally" alert.example.com 192.0.2.30
vpc alert.example.com AAAA
check "alert: AAAA answered normally" status NOERROR answer_count 1 \
	answer '^alert\.example\.com\. [0-9]+ IN AAAA 2001:db8::30$'

# --- override: CNAME with the TTL, then the target ----------------------------
vpc override.example.com A
check "block override: CNAME to walled.corp.internal, TTL 30, then its A" \
	status NOERROR answer_count 2 \
	answer_line '1:^override\.example\.com\. 30 IN CNAME walled\.corp\.internal\.$' \
	answer_line '2:^walled\.corp\.internal\. 300 IN A 10\.0\.0\.99$'
vpc +tcp override.example.com A
check "block override over TCP" status NOERROR answer_count 2 \
	answer_line '1:^override\.example\.com\. 30 IN CNAME walled\.corp\.internal\.$' \
	answer_line '2:^walled\.corp\.internal\. 300 IN A 10\.0\.0\.99$'
vpc override.example.com AAAA
check "block override, AAAA: the CNAME, and the target's NODATA" \
	status NOERROR answer_count 1 \
	answer_line '1:^override\.example\.com\. 30 IN CNAME walled\.corp\.internal\.$'
vpc override0.example.com A
check "block override without a TTL: CNAME TTL 0, target resolved upstream" \
	status NOERROR answer_count 2 \
	answer_line '1:^override0\.example\.com\. 0 IN CNAME www\.example\.com\.$' \
	answer_line "2:$(pub www.example.com 192.0.2.1)"
vpc ov2.example.com A
check "override target is not filtered again (a later rule blocks it)" \
	status NOERROR answer_count 2 \
	answer_line '1:^ov2\.example\.com\. 0 IN CNAME blocked-target\.example\.com\.$' \
	answer_line "2:$(pub blocked-target.example.com 192.0.2.53)"
expect_nxdomain "the override target asked directly is blocked" \
	blocked-target.example.com A

# --- priority order and first match --------------------------------------------
expect_allowed "allow (priority 10) shields a later block of *.bad (20)" \
	good.bad.example.com 192.0.2.13
expect_allowed "alert (35) ends the evaluation: block (36) never applies" \
	alert2.example.com 192.0.2.31
expect_nxdomain "lower priority number first: block (100) listed after allow (200)" \
	order.example.com A
expect_allowed "lower priority number first: allow (150) listed after block (300)" \
	shield.example.com 192.0.2.61

# --- domains-file ----------------------------------------------------------
expect_nxdomain "domains-file: listed1.example.com" listed1.example.com A
expect_nxdomain "domains-file: *.listed2.example.com matches x.listed2" \
	x.listed2.example.com A
expect_allowed "domains-file: *.listed2 does not match listed2 itself" \
	notlisted.example.com 192.0.2.72
expect_allowed "domains-file: a commented-out domain is not blocked" \
	commented.example.com 192.0.2.73

# --- the firewall before the private hosted zone --------------------------------
expect_nodata "firewall before the PHZ: secret.corp.internal blocked" \
	secret.corp.internal A
vpc db.corp.internal A
check "the PHZ's other names answer" status NOERROR flag aa \
	answer_set "db.corp.internal. 300 IN A 10.0.1.20"
# AWS inspects redirection targets by default
# (INSPECT_REDIRECTION_DOMAIN); DESIGN.md filters every CNAME target.
vpc tobad.corp.internal A
check "a PHZ CNAME to a blocked name: the chain is blocked" \
	status NXDOMAIN no_answer '192\.0\.2\.11'

# An OVERRIDE of a CNAME target moves the chain to the override domain,
# which is then looked up where it lives (here: the VPC's own zone).
vpc tooverride.corp.internal A
check "a PHZ CNAME to an overridden name: CNAME, override CNAME, local A" \
	status NOERROR answer_count 3 \
	answer_line '1:^tooverride\.corp\.internal\. 300 IN CNAME override\.example\.com\.$' \
	answer_line '2:^override\.example\.com\. 30 IN CNAME walled\.corp\.internal\.$' \
	answer_line '3:^walled\.corp\.internal\. 300 IN A 10\.0\.0\.99$'

# --- inbound listener: filtered; outside: not ------------------------------------
run_cmd dig @127.0.0.1 -p "$INBOUND" -b 127.0.0.9 +time=2 +tries=1 \
	bad.example.com A
check "inbound listener: the VPC's firewall applies" status NXDOMAIN \
	noflag aa answer_count 0 authority_count 0
run_cmd dig @127.0.0.1 -p "$INBOUND" -b 127.0.0.9 +time=2 +tries=1 \
	override.example.com A
check "inbound listener: override" status NOERROR answer_count 2 \
	answer_line '1:^override\.example\.com\. 30 IN CNAME walled\.corp\.internal\.$'
for src in 127.0.0.9 127.0.0.1; do
	dig_q -b $src bad.example.com A
	check "outside ($src): no firewall, the upstream's answer" \
		status NOERROR answer_count 1 answer "$(pub bad.example.com 192.0.2.10)"
	dig_q -b $src override.example.com A
	check "outside ($src): no override" status NOERROR answer_count 1 \
		answer "$(pub override.example.com 192.0.2.50)"
done

finish
