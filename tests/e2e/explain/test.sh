#!/bin/bash
# tests/e2e/explain/test.sh - `vpcdns explain -c FILE NAME [TYPE]
# [--from ADDR | --inbound VPC-ID] [--verbose]` (DESIGN.md "explain"): one
# decision block names what decided the answer (the view, the firewall rule
# and its action, the resolver rule, the zone of the name asked and the
# zone that ends a local CNAME chain, the endpoint, the upstream address)
# and the answer; --verbose adds the response packet.  A forwarded name is
# asked of the chosen upstream once.  Upstreams: A (default) 192.0.2.x, B
# (the forward rule's target) 172.16.x.
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
require_tool dig

start_upstream a-public.zone example.com a-corp.zone corp.internal \
	a-aws.zone amazonaws.com
A_PORT=$UPSTREAM_PORT
start_upstream b-onprem.zone onprem.example.com
B_PORT=$UPSTREAM_PORT
# The listeners are never bound: explain runs the engine, not the daemon.
CONF=$E2E_TMP/vpcdns.yaml
VPCDNS_PORT=5300
e2e_subst "$E2E_SCENARIO_DIR/vpcdns.yaml" "$CONF" INBOUND=5301 \
	UPSTREAM_A="127.0.0.1:$A_PORT" B_PORT="$B_PORT" ||
	fatal "write the configuration"
VPC=vpc-0e2e6001

# expect_explain DESC EXPLAIN-ARGS... -- CHECKS...: runs explain with
# --verbose (the decision block, then the response packet) and checks
# exit 0 and the check assertions after "--" (see check in ../lib.sh): the
# block's lines with `output`, the packet with status/flag/answer.
expect_explain()
{
	local desc=$1 args=()
	shift
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		args+=("$1")
		shift
	done
	[ $# -gt 0 ] && shift
	run_cmd "$VPCDNS_BIN" explain -c "$CONF" "${args[@]}" --verbose
	check "$desc" exit 0 "$@"
}
V="view +$VPC$"
NOFW='firewall +- \(no rule matches\)$'
NORULE='rule +- \(no resolver rule matches\)$'
NOZONE='zone +- \(no local zone holds the name\)$'
NOEP='endpoint +-$'
HERE='upstream +- \(answered here\)$'
UP_A="upstream +127\\.0\\.0\\.1:$A_PORT \\(the default upstreams\\)"

# The default output: one decision block, no packet dump.
run_cmd "$VPCDNS_BIN" explain -c "$CONF" db.corp.internal A --from 127.0.0.2
check "default: one decision block, no packet" exit 0 \
	output '^query +db\.corp\.internal\. A from 127\.0\.0\.2$' \
	output "$V" output "$NOFW" output "$NORULE" \
	output '^zone +corp\.internal\. \(private hosted zone\)$' \
	output "$NOEP" output "$HERE" \
	output '^answer +NOERROR \(authoritative\), 1 record' \
	output '^ +db\.corp\.internal\.[[:space:]]+300[[:space:]]+IN[[:space:]]+A[[:space:]]+10\.0\.1\.20$' \
	no_output 'HEADER' no_output 'WHEN' no_output 'group='
if [ "$(printf '%s\n' "$E2E_OUT" | wc -l)" -le 10 ]; then
	pass "default: at most 10 lines"
else
	fail "default: at most 10 lines" "$E2E_OUT"
fi

expect_explain "PHZ name from a VPC client: view and zone" \
	db.corp.internal A --from 127.0.0.2 -- \
	output "$V" output "$NOFW" output "$NORULE" \
	output '^zone +corp\.internal\. \(private hosted zone\)$' output "$HERE" \
	status NOERROR flag aa answer '^db\.corp\.internal\. 300 IN A 10\.0\.1\.20$' \
	no_output 'WHEN:' no_output 'Query time'
expect_explain "missing PHZ name: the zone, NXDOMAIN" \
	nope.corp.internal A --from 127.0.0.2 -- \
	output '^zone +corp\.internal\. ' output '^answer +NXDOMAIN' \
	status NXDOMAIN flag aa
expect_explain "the type defaults to A" \
	db.corp.internal --from 127.0.0.2 -- \
	output '^query +db\.corp\.internal\. A ' \
	answer '^db\.corp\.internal\. 300 IN A 10\.0\.1\.20$'
expect_explain "AAAA of a PHZ name: NODATA" \
	db.corp.internal AAAA --from 127.0.0.2 -- \
	output '^zone +corp\.internal\. ' status NOERROR answer_count 0

# Firewall rules.
expect_explain "blocked name: the firewall rule and its action" \
	x.bad.example.com A --from 127.0.0.2 -- \
	output "$V" output '^firewall +block-bad \(priority 30\): block, NXDOMAIN$' \
	status NXDOMAIN noflag aa
expect_explain "alert: the rule and its action, then forwarded" \
	alert.example.com A --from 127.0.0.2 -- \
	output '^firewall +alert-alert \(priority 20\): alert$' output "$NOZONE" \
	output "$UP_A, asked for alert\\.example\\.com\\.$" \
	status NOERROR answer '^alert\.example\.com\. [0-9]+ IN A 192\.0\.2\.30$'
expect_explain "allow: the rule and its action" \
	good.example.com A --from 127.0.0.2 -- \
	output '^firewall +allow-good \(priority 10\): allow$' status NOERROR \
	answer '^good\.example\.com\. [0-9]+ IN A 192\.0\.2\.31$'
expect_explain "override: the rule, then the override target's zone" \
	walled.example.com A --from 127.0.0.2 -- \
	output '^firewall +wall \(priority 40\): block, override to walled\.corp\.internal$' \
	output "$NOZONE" \
	output '^then +corp\.internal\. \(private hosted zone\), the zone of the CNAME target$' \
	status NOERROR \
	answer '^walled\.example\.com\. 0 IN CNAME walled\.corp\.internal\.$' \
	answer '^walled\.corp\.internal\. 300 IN A 10\.0\.0\.99$'

# Resolver rules.
expect_explain "forward rule: the rule, the upstream address, B's answer" \
	host.onprem.example.com A --from 127.0.0.2 -- \
	output '^rule +onprem\.example\.com \(forward\)$' output "$NOZONE" \
	output "^upstream +127\\.0\\.0\\.1:$B_PORT \\(the rule's targets\\), asked for host\\.onprem\\.example\\.com\\.$" \
	status NOERROR noflag aa \
	answer '^host\.onprem\.example\.com\. [0-9]+ IN A 172\.16\.0\.10$'
expect_explain "system rule below the PHZ: the rule, the default upstream" \
	public.corp.internal A --from 127.0.0.2 -- \
	output '^rule +public\.corp\.internal \(system: the default upstreams\)$' \
	output '^zone +- \(the rule is at least as specific as the local zone corp\.internal\.\)$' \
	output "$UP_A, asked for public\\.corp\\.internal\\.$" status NOERROR \
	answer '^public\.corp\.internal\. [0-9]+ IN A 192\.0\.2\.44$'
expect_explain "no rule, no zone: the default upstream's address" \
	www.example.com A --from 127.0.0.2 -- \
	output "$NORULE" output "$NOZONE" output "$NOEP" \
	output "$UP_A, asked for www\\.example\\.com\\.$" status NOERROR \
	answer '^www\.example\.com\. [0-9]+ IN A 192\.0\.2\.1$'

# Other zones: endpoint-managed, profile, EC2 names, reverse.
expect_explain "endpoint private DNS name: its managed zone and endpoint" \
	secretsmanager.us-east-1.amazonaws.com A --from 127.0.0.2 -- \
	output '^zone +secretsmanager\.us-east-1\.amazonaws\.com\. \(private DNS of endpoint vpce-0e2e6001000000001\)$' \
	output '^endpoint +vpce-0e2e6001000000001 \(com\.amazonaws\.us-east-1\.secretsmanager\)$' \
	status NOERROR answer ' 60 IN A 10\.0\.1\.15$'
expect_explain "provider name: the zone of the name asked, then the target's" \
	api.saas-partner.io A --from 127.0.0.2 -- \
	output '^zone +api\.saas-partner\.io\. \(private DNS of endpoint vpce-0e2e6001000000004\)$' \
	output '^then +vpce-svc-0e2e6001000000004\.us-east-1\.vpce\.amazonaws\.com\. \(endpoint-specific vpce names\), the zone of the CNAME target$' \
	output '^endpoint +vpce-0e2e6001000000004 ' status NOERROR \
	answer '^api\.saas-partner\.io\. 60 IN CNAME vpce-0e2e6001000000004-' \
	answer ' 60 IN A 10\.0\.1\.17$'
expect_explain "vpce name: the endpoint-specific zone and its endpoint" \
	vpce-0e2e6001000000001-q1w2e3r4.secretsmanager.us-east-1.vpce.amazonaws.com A \
	--from 127.0.0.2 -- \
	output '^zone +secretsmanager\.us-east-1\.vpce\.amazonaws\.com\. \(endpoint-specific vpce names\)$' \
	output '^endpoint +vpce-0e2e6001000000001 ' answer ' 60 IN A 10\.0\.1\.15$'
expect_explain "profile zone: shared.internal" \
	svc.shared.internal A --from 127.0.0.2 -- \
	output '^zone +shared\.internal\. \(hosted zone of profile shared-services\)$' \
	status NOERROR answer '^svc\.shared\.internal\. 300 IN A 10\.50\.0\.1$'
expect_explain "EC2 host name: the ec2.internal zone" \
	ip-10-0-1-15.ec2.internal A --from 127.0.0.2 -- \
	output '^zone +ec2\.internal\. \(EC2 host names of the cidr-blocks\)$' \
	status NOERROR answer 'IN A 10\.0\.1\.15$'
expect_explain "PTR: a reverse zone of the VPC's CIDR" \
	15.1.0.10.in-addr.arpa PTR --from 127.0.0.2 -- \
	output '^zone +[0-9.]*in-addr\.arpa\. \(reverse names of the cidr-blocks\)$' \
	status NOERROR answer 'IN PTR ip-10-0-1-15\.ec2\.internal\.$'

# Views: inbound, outside.
expect_explain "inbound-only S3 from a VPC client: forwarded, the endpoint named" \
	s3.us-east-1.amazonaws.com A --from 127.0.0.2 -- \
	output "$V" output "$NOZONE" \
	output '^endpoint +vpce-0e2e6001000000003 \(com\.amazonaws\.us-east-1\.s3\) serves s3\.us-east-1\.amazonaws\.com\. only through the VPC.s inbound resolver endpoint' \
	output "$UP_A" status NOERROR answer 'IN A 52\.216\.0\.1$'
expect_explain "inbound-only S3 through --inbound: the inbound view, the zone" \
	s3.us-east-1.amazonaws.com A --inbound $VPC -- \
	output "^view +$VPC \\(inbound endpoint\\)$" \
	output '^zone +s3\.us-east-1\.amazonaws\.com\. \(private DNS of endpoint vpce-0e2e6001000000003\)$' \
	output '^endpoint +vpce-0e2e6001000000003 \(com\.amazonaws\.us-east-1\.s3\)$' \
	status NOERROR flag aa answer ' 60 IN A 10\.0\.1\.16$'
expect_explain "--inbound: the firewall applies" \
	x.bad.example.com A --inbound $VPC -- \
	output '^firewall +block-bad ' status NXDOMAIN
expect_explain "--from an outside address: view outside, forwarded" \
	db.corp.internal A --from 127.0.0.9 -- \
	output '^view +outside \(no VPC\)$' output "$NOZONE" \
	output "$UP_A, asked for db\\.corp\\.internal\\.$" status NXDOMAIN noflag aa
expect_explain "outside: no firewall" \
	good.example.com A --from 127.0.0.9 -- \
	output '^view +outside' output "$NOFW" status NOERROR

# Mistakes: each says which part is wrong (exit 2).
run_cmd "$VPCDNS_BIN" explain -c "$CONF" db.corp.internal A --inbound vpc-0e2e9999
check "--inbound with an unknown VPC: an error naming it, exit 2" exit 2 \
	no_output '^view' output 'no VPC vpc-0e2e9999'
run_cmd "$VPCDNS_BIN" explain -c "$CONF" db.corp.internal BOGUS
check "an unknown type: says the type, exit 2" exit 2 \
	output "'BOGUS' is not a DNS type" no_output 'name, type or'
run_cmd "$VPCDNS_BIN" explain -c "$CONF" 'a..b' A
check "a bad name: says the name, exit 2" exit 2 \
	output "'a\\.\\.b' is not a valid DNS name"
run_cmd "$VPCDNS_BIN" explain -c "$CONF" db.corp.internal A --from 10.0.0.300
check "a bad --from: says --from, exit 2" exit 2 \
	output "--from '10\\.0\\.0\\.300' is not an IP address"
run_cmd "$VPCDNS_BIN" explain -c "$CONF"
check "explain without a name: usage, exit 2" exit 2 no_output '^view'

# The daemon at debug level (-d) logs the same line per query.
REAL_BIN=$VPCDNS_BIN
VPCDNS_BIN=$E2E_TMP/vpcdns-debug
printf '#!/bin/sh\nexec "%s" -d "$@"\n' "$REAL_BIN" >"$VPCDNS_BIN"
chmod +x "$VPCDNS_BIN"
INBOUND=$(free_port) || fatal "a free port for the inbound listener"
start_vpcdns vpcdns.yaml INBOUND="$INBOUND" UPSTREAM_A="127.0.0.1:$A_PORT" \
	B_PORT="$B_PORT"
VPCDNS_BIN=$REAL_BIN
dig_q -b 127.0.0.2 x.bad.example.com A
check "daemon -d: the blocked query answered" status NXDOMAIN
if wait_log "view=$VPC firewall=block-bad:block rule=- zone=- " 5; then
	pass "daemon -d logs the explain line of a blocked query"
else
	fail "daemon -d logs the explain line of a blocked query" "$(vpcdns_log | tail -n 20)"
fi
dig_q -b 127.0.0.2 host.onprem.example.com A
check "daemon -d: the forwarded query answered" status NOERROR
if wait_log "view=$VPC firewall=- rule=onprem\.example\.com:forward zone=- forward=host\.onprem\.example\.com" 5; then
	pass "daemon -d logs the explain line of a forwarded query"
else
	fail "daemon -d logs the explain line of a forwarded query" "$(vpcdns_log | tail -n 20)"
fi

finish
