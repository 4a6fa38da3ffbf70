#!/bin/bash
# tests/e2e/firewall_chain/test.sh - DNS Firewall over CNAME chains and
# query types (AWS FirewallRule Qtype, FirewallDomainRedirectionAction):
# with redirection: inspect (the default) a name deep in a chain an
# upstream answered is blocked, the chain up to it returned; local chains
# and chains that leave local data likewise; redirection: trust on the
# first name lets the rest of the chain through; a rule with qtype decides
# only that type (mnemonic in any case, or TYPEnnn); the query log and
# explain name the deciding rule; firewall-fail-open is accepted.
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
require_tool dig

start_upstream e2e.test.zone e2e.test
start_vpcdns vpcdns.yaml

# --- a block deep in an upstream chain ---------------------------------------
dig_q www.e2e.test A
check "block 3 CNAMEs deep in the upstream's chain: NXDOMAIN, chain up to it" \
	status NXDOMAIN noflag aa answer_count 3 \
	answer_line '1:^www\.e2e\.test\. [0-9]+ IN CNAME a\.cdn\.e2e\.test\.$' \
	answer_line '2:^a\.cdn\.e2e\.test\. [0-9]+ IN CNAME b\.cdn\.e2e\.test\.$' \
	answer_line '3:^b\.cdn\.e2e\.test\. [0-9]+ IN CNAME x\.edge\.e2e\.test\.$' \
	no_answer ' IN A '
dig_q www.e2e.test A
check "the same from the cache" status NXDOMAIN answer_count 3 no_answer ' IN A '
dig_q +tcp www.e2e.test AAAA
check "deep block over TCP, another type" status NXDOMAIN answer_count 3
dig_q x.edge.e2e.test A
check "the blocked name asked directly" status NXDOMAIN answer_count 0
dig_q clean.e2e.test A
check "a clean chain is answered" status NOERROR answer_count 2 \
	answer '^c\.cdn\.e2e\.test\. [0-9]+ IN A 192\.0\.2\.12$'

# --- local chains --------------------------------------------------------------
dig_q app.corp.internal A
check "local CNAME leading to the blocked upstream chain" status NXDOMAIN \
	answer_count 4 \
	answer_line '1:^app\.corp\.internal\. 300 IN CNAME www\.e2e\.test\.$' \
	answer_line '4:^b\.cdn\.e2e\.test\. [0-9]+ IN CNAME x\.edge\.e2e\.test\.$'
dig_q svc.corp.internal A
check "local chain whose target is blocked" status NXDOMAIN answer_count 2 \
	answer_line '2:^svc2\.corp\.internal\. 300 IN CNAME z\.edge\.e2e\.test\.$'

# --- redirection: trust ----------------------------------------------------------
dig_q trusted.e2e.test A
check "trust: the first name's ALLOW lets the chain through" status NOERROR \
	answer_count 2 answer '^y\.edge\.e2e\.test\. [0-9]+ IN A 192\.0\.2\.11$'
dig_q y.edge.e2e.test A
check "trust: the target asked directly is still blocked" status NXDOMAIN

# --- override in the chain; alert in the chain -------------------------------------
dig_q ov-src.e2e.test A
check "override deep in the chain: the CNAME to the override domain" \
	status NOERROR answer_count 2 \
	answer_line '1:^ov-src\.e2e\.test\. [0-9]+ IN CNAME ov\.e2e\.test\.$' \
	answer_line '2:^ov\.e2e\.test\. 5 IN CNAME walled\.corp\.internal\.$'
dig_q alert-src.e2e.test A
check "alert in the chain: answered normally" status NOERROR answer_count 2 \
	answer '^alert-target\.e2e\.test\. [0-9]+ IN A 192\.0\.2\.16$'

# --- qtype -------------------------------------------------------------------------
dig_q mx-only.e2e.test MX
check "qtype: mx blocks MX" status NXDOMAIN answer_count 0
dig_q mx-only.e2e.test A
check "qtype: mx lets A through" status NOERROR \
	answer '^mx-only\.e2e\.test\. [0-9]+ IN A 192\.0\.2\.13$'
dig_q txt.e2e.test TXT
check "qtype: TYPE16 blocks TXT (NODATA)" status NOERROR answer_count 0
dig_q txt.e2e.test A
check "qtype: TYPE16 lets A through" status NOERROR answer_count 1
dig_q six.e2e.test AAAA
check "qtype: AAAA rule deep in a chain blocks AAAA" status NXDOMAIN \
	answer_count 1
dig_q six.e2e.test A
check "qtype: the same chain for A is answered" status NOERROR answer_count 2 \
	answer '^six-target\.e2e\.test\. [0-9]+ IN A 192\.0\.2\.17$'

# --- query log and explain -----------------------------------------------------------
dig_q www.e2e.test TXT
for ((i = 0; i < 50; i++)); do
	grep -q '"query_name":"www.e2e.test.","query_type":"TXT"' \
		"$E2E_TMP/query.log" 2>/dev/null && break
	sleep 0.1
done
line=$(grep '"query_name":"www.e2e.test.","query_type":"TXT"' \
	"$E2E_TMP/query.log" | tail -n 1)
if [[ $line == *'"firewall_rule_action":"BLOCK"'* &&
	$line == *'"firewall_domain_list_id":"edge-block"'* &&
	$line == *'"rcode":"NXDOMAIN"'* ]]; then
	pass "query log: the deep block logged with its rule"
else
	fail "query log: the deep block logged with its rule" "line: $line"
fi
run_cmd "$VPCDNS_BIN" explain -c "$VPCDNS_CONF" www.e2e.test A
check "explain names the rule and the chain name it matched" exit 0 \
	output '^firewall +- \(no rule matches\)$' \
	output '^firewall +edge-block \(priority 30\): block, NXDOMAIN$' \
	output '^firewall +matched x\.edge\.e2e\.test\. \(a name of the CNAME chain\)$' \
	output '^answer +NXDOMAIN, 3 record'
run_cmd "$VPCDNS_BIN" explain -c "$VPCDNS_CONF" mx-only.e2e.test MX
check "explain of a qtype rule" exit 0 \
	output '^firewall +mx-block \(priority 10\): block, NXDOMAIN$' \
	output '^firewall +matched mx-only\.e2e\.test\., qtype mx$'
run_cmd "$VPCDNS_BIN" explain -c "$VPCDNS_CONF" trusted.e2e.test A
check "explain of a trusting rule" exit 0 \
	output '^firewall +trust-allow \(priority 20\): allow$' \
	output '^firewall +matched trusted\.e2e\.test\., redirection trust$' \
	output '^answer +NOERROR, 2 record'

finish
