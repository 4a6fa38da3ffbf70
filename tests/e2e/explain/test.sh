#!/bin/bash
# tests/e2e/explain/test.sh - `vpcdns explain -c FILE NAME [TYPE]
# [--from ADDR | --inbound VPC-ID]` (DESIGN.md "explain"): its first line
# `view=... firewall=... rule=... zone=... forward=...` names what decided
# the answer (the view, the firewall rule and its action, the resolver
# rule and its type, the zone), and the response follows; a forwarded name
# is asked of the chosen upstream once.  Upstreams: A (default) 192.0.2.x,
# B (the forward rule's target) 172.16.x.
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

# expect_explain DESC FIRST-LINE-REGEX EXPLAIN-ARGS... [-- CHECKS...]: runs
# explain; its first line must match the regex, and the rest of the
# output the check assertions after "--" (see check in ../lib.sh).
expect_explain()
{
	local desc=$1 re=$2 args=() first
	shift 2
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		args+=("$1")
		shift
	done
	[ $# -gt 0 ] && shift
	run_cmd "$VPCDNS_BIN" explain -c "$CONF" "${args[@]}"
	first=${E2E_OUT%%$'\n'*}
	if [[ $first =~ $re ]]; then
		check "$desc" exit 0 "$@"
	else
		e2e_report "$desc" "first line matching '$re' (got: '$first')"
	fi
}

expect_explain "PHZ name from a VPC client: view and zone" \
	"^view=$VPC firewall=- rule=- zone=corp\\.internal\\.? forward=-" \
	db.corp.internal A --from 127.0.0.2 -- \
	status NOERROR flag aa answer '^db\.corp\.internal\. 300 IN A 10\.0\.1\.20$'
expect_explain "missing PHZ name: the zone, NXDOMAIN" \
	"^view=$VPC firewall=- rule=- zone=corp\\.internal\\.? forward=-" \
	nope.corp.internal A --from 127.0.0.2 -- status NXDOMAIN flag aa
expect_explain "the type defaults to A" \
	"^view=$VPC firewall=- rule=- zone=corp\\.internal\\.? " \
	db.corp.internal --from 127.0.0.2 -- \
	answer '^db\.corp\.internal\. 300 IN A 10\.0\.1\.20$'
expect_explain "AAAA of a PHZ name: NODATA" \
	"^view=$VPC firewall=- rule=- zone=corp\\.internal\\.? " \
	db.corp.internal AAAA --from 127.0.0.2 -- status NOERROR answer_count 0

# Firewall rules.
expect_explain "blocked name: the firewall rule and its action" \
	"^view=$VPC firewall=block-bad:block rule=- zone=- " \
	x.bad.example.com A --from 127.0.0.2 -- status NXDOMAIN noflag aa
expect_explain "alert: the rule and its action, then forwarded" \
	"^view=$VPC firewall=alert-alert:alert rule=- zone=- forward=alert\\.example\\.com\\.? " \
	alert.example.com A --from 127.0.0.2 -- \
	status NOERROR answer '^alert\.example\.com\. [0-9]+ IN A 192\.0\.2\.30$'
expect_explain "allow: the rule and its action" \
	"^view=$VPC firewall=allow-good:allow " \
	good.example.com A --from 127.0.0.2 -- status NOERROR \
	answer '^good\.example\.com\. [0-9]+ IN A 192\.0\.2\.31$'
expect_explain "override: the rule, then the override target's zone" \
	"^view=$VPC firewall=wall:block rule=- zone=corp\\.internal\\.? " \
	walled.example.com A --from 127.0.0.2 -- status NOERROR \
	answer '^walled\.example\.com\. 0 IN CNAME walled\.corp\.internal\.$' \
	answer '^walled\.corp\.internal\. 300 IN A 10\.0\.0\.99$'

# Resolver rules.
expect_explain "forward rule: the rule, the name forwarded, B's answer" \
	"^view=$VPC firewall=- rule=onprem\\.example\\.com:forward zone=- forward=host\\.onprem\\.example\\.com\\.? " \
	host.onprem.example.com A --from 127.0.0.2 -- status NOERROR noflag aa \
	answer '^host\.onprem\.example\.com\. [0-9]+ IN A 172\.16\.0\.10$'
expect_explain "system rule below the PHZ: the rule, the default upstream" \
	"^view=$VPC firewall=- rule=public\\.corp\\.internal:system zone=- forward=public\\.corp\\.internal\\.? " \
	public.corp.internal A --from 127.0.0.2 -- status NOERROR \
	answer '^public\.corp\.internal\. [0-9]+ IN A 192\.0\.2\.44$'
expect_explain "no rule, no zone: the default forwarders" \
	"^view=$VPC firewall=- rule=- zone=- forward=www\\.example\\.com\\.? " \
	www.example.com A --from 127.0.0.2 -- status NOERROR \
	answer '^www\.example\.com\. [0-9]+ IN A 192\.0\.2\.1$'

# Other zones: endpoint-managed, profile, EC2 names, reverse.
expect_explain "endpoint private DNS name: its managed zone" \
	"^view=$VPC firewall=- rule=- zone=secretsmanager\\.us-east-1\\.amazonaws\\.com\\.? " \
	secretsmanager.us-east-1.amazonaws.com A --from 127.0.0.2 -- \
	status NOERROR answer ' 60 IN A 10\.0\.1\.15$'
expect_explain "profile zone: shared.internal" \
	"^view=$VPC firewall=- rule=- zone=shared\\.internal\\.? " \
	svc.shared.internal A --from 127.0.0.2 -- status NOERROR \
	answer '^svc\.shared\.internal\. 300 IN A 10\.50\.0\.1$'
expect_explain "EC2 host name: the ec2.internal zone" \
	"^view=$VPC firewall=- rule=- zone=ec2\\.internal\\.? " \
	ip-10-0-1-15.ec2.internal A --from 127.0.0.2 -- status NOERROR \
	answer 'IN A 10\.0\.1\.15$'
expect_explain "PTR: a reverse zone of the VPC's CIDR" \
	"^view=$VPC firewall=- rule=- zone=[0-9.]*in-addr\\.arpa\\.? " \
	15.1.0.10.in-addr.arpa PTR --from 127.0.0.2 -- status NOERROR \
	answer 'IN PTR ip-10-0-1-15\.ec2\.internal\.$'

# Views: inbound, outside.
expect_explain "inbound-only S3 from a VPC client: forwarded (public)" \
	"^view=$VPC firewall=- rule=- zone=- forward=s3\\.us-east-1\\.amazonaws\\.com\\.? " \
	s3.us-east-1.amazonaws.com A --from 127.0.0.2 -- status NOERROR \
	answer 'IN A 52\.216\.0\.1$'
expect_explain "inbound-only S3 through --inbound: the inbound view, the zone" \
	"^view=$VPC\\(inbound\\) firewall=- rule=- zone=s3\\.us-east-1\\.amazonaws\\.com\\.? " \
	s3.us-east-1.amazonaws.com A --inbound $VPC -- status NOERROR flag aa \
	answer ' 60 IN A 10\.0\.1\.16$'
expect_explain "--inbound: the firewall applies" \
	"^view=$VPC\\(inbound\\) firewall=block-bad:block " \
	x.bad.example.com A --inbound $VPC -- status NXDOMAIN
expect_explain "--from an outside address: view=outside, forwarded" \
	"^view=outside firewall=- rule=- zone=- forward=db\\.corp\\.internal\\.? " \
	db.corp.internal A --from 127.0.0.9 -- status NXDOMAIN noflag aa
expect_explain "outside: no firewall" \
	"^view=outside firewall=- rule=- zone=- forward=good\\.example\\.com\\.? " \
	good.example.com A --from 127.0.0.9 -- status NOERROR

# Mistakes.
run_cmd "$VPCDNS_BIN" explain -c "$CONF" db.corp.internal A --inbound vpc-0e2e9999
check "--inbound with an unknown VPC: an error naming it" \
	no_output '^view=' output 'vpc-0e2e9999'
if [ "$E2E_RC" != 0 ]; then
	pass "--inbound with an unknown VPC: exit status not 0"
else
	fail "--inbound with an unknown VPC: exit status not 0" "got $E2E_RC"
fi
run_cmd "$VPCDNS_BIN" explain -c "$CONF"
check "explain without a name: usage, exit 2" exit 2 no_output '^view='

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
