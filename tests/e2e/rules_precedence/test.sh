#!/bin/bash
# tests/e2e/rules_precedence/test.sh - the order of resolution (SPEC 1.5
# step 2, 1.7): among a VPC's private hosted zones and Route 53 Resolver
# rules the most specific name wins; a forward rule of the same name as a
# PHZ wins over it; a system rule overrides a broader forward rule (and
# makes a subtree of a PHZ public); a `.` forward rule never captures the
# VPC's PHZs (custom or endpoint-managed), EC2 names or PTR records; rules
# apply to CNAME targets, to VPC clients only, over UDP and TCP; a forward
# target may be a host name (localhost:PORT).
#
# Three nsd upstreams with recognizable data: A (default forwarder) answers
# 192.0.2.x, B (on-premises) 172.16.x, C 172.31.x; PHZs answer 10.x.
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
require_tool dig

start_upstream a-example.com.zone example.com a-corp.internal.zone \
	corp.internal a-test.zone test a-same.internal.zone same.internal
A_PORT=$UPSTREAM_PORT
start_upstream b-root.zone . b-onprem.example.com.zone onprem.example.com \
	b-same.internal.zone same.internal b-corp.internal.zone corp.internal
B_PORT=$UPSTREAM_PORT
start_upstream c-example.com.zone example.com
C_PORT=$UPSTREAM_PORT
start_vpcdns vpcdns.yaml UPSTREAM_A="127.0.0.1:$A_PORT" B_PORT="$B_PORT" \
	UPSTREAM_C="127.0.0.1:$C_PORT"

R53_SOA='IN SOA ns-1536\.awsdns-00\.co\.uk\. awsdns-hostmaster\.amazon\.com\. 1 7200 900 1209600 86400$'

# from SRC DIG-ARGS...: dig at the daemon from source address SRC.
from()
{
	local src=$1
	shift
	dig_q -b "$src" "$@"
}

# fwd NAME ADDR: the regex of one forwarded A record of NAME (TTL 300,
# maybe counted down by the cache).
fwd()
{
	local n=${1//./\\.}
	echo "^$n\\. (300|[12]?[0-9]?[0-9]) IN A ${2//./\\.}\$"
}

# expect_fwd DESC SRC NAME ADDR [DIG-ARGS...]: NAME/A from SRC is the one
# forwarded record ADDR, not authoritative.
expect_fwd()
{
	local desc=$1 src=$2 name=$3 addr=$4
	shift 4
	from "$src" "$@" "$name" A
	check "$desc" status NOERROR noflag aa flag ra answer_count 1 \
		answer "$(fwd "$name" "$addr")"
}

# expect_phz DESC SRC NAME ADDR: NAME/A from SRC is the PHZ's record.
expect_phz()
{
	local desc=$1 src=$2 name=$3 addr=$4
	from "$src" "$name" A
	check "$desc" status NOERROR flag aa flag ra \
		answer_set "$name. 300 IN A $addr"
}

# --- VPC 1 ------------------------------------------------------------------
# A forward rule and a PHZ of the same name: the rule wins.
expect_fwd "rule vs PHZ of the same name (same.internal): the rule wins" \
	127.0.0.2 host.same.internal 172.16.1.1
from 127.0.0.2 phz-only.same.internal A
check "rule vs PHZ of the same name: a PHZ-only name is B's NXDOMAIN" \
	status NXDOMAIN noflag aa answer_count 0 \
	authority '^same\.internal\. [0-9]+ IN SOA ns1\.onprem\. '

# A more specific PHZ below a broader forward rule: the PHZ wins.
expect_phz "more specific PHZ (lab.onprem.example.com) vs rule onprem.example.com: PHZ wins" \
	127.0.0.2 vm.lab.onprem.example.com 10.0.5.5
from 127.0.0.2 nope.lab.onprem.example.com A
check "more specific PHZ: a missing name is the PHZ's NXDOMAIN, not forwarded" \
	status NXDOMAIN flag aa answer_count 0 \
	authority "^lab\\.onprem\\.example\\.com\\. 900 $R53_SOA"
expect_fwd "outside the PHZ, the broader rule still applies (host.onprem -> B)" \
	127.0.0.2 host.onprem.example.com 172.16.0.10

# A more specific forward rule below a PHZ: the rule wins (target given
# as the host name localhost).
expect_fwd "more specific rule fwd.corp.internal (target localhost:PORT) vs PHZ corp.internal: rule wins" \
	127.0.0.2 x.fwd.corp.internal 172.16.3.3
expect_phz "the PHZ still answers the rest of corp.internal" \
	127.0.0.2 db.corp.internal 10.0.1.20
from 127.0.0.2 nope.corp.internal A
check "the PHZ's missing name: NXDOMAIN with the Route 53 SOA" \
	status NXDOMAIN flag aa answer_count 0 \
	authority "^corp\\.internal\\. 900 $R53_SOA"

# A system rule below a PHZ: that subtree is public.
expect_fwd "system rule public.corp.internal below the PHZ: default upstream" \
	127.0.0.2 public.corp.internal 192.0.2.44

# A system rule overriding a broader forward rule.
expect_fwd "forward rule example.com -> C" 127.0.0.2 www.example.com 172.31.9.9
expect_fwd "system rule pub.example.com overrides forward rule example.com" \
	127.0.0.2 pub.example.com 192.0.2.80
# The more specific of two forward rules.
expect_fwd "forward onprem.example.com (B) beats forward example.com (C)" \
	127.0.0.2 host.onprem.example.com 172.16.0.10 +tcp
expect_fwd "rules match on label boundaries: xonprem.example.com is C's" \
	127.0.0.2 xonprem.example.com 172.31.0.11
expect_fwd "rule names compare without case" \
	127.0.0.2 HOST.OnPrem.Example.COM 172.16.0.10
from 127.0.0.2 onprem.example.com SOA
check "the rule's own name (apex SOA) goes to B" status NOERROR noflag aa \
	answer '^onprem\.example\.com\. [0-9]+ IN SOA ns1\.onprem\. '

# Endpoint-managed PHZs rank like the others.
expect_fwd "rule vs endpoint-managed PHZ of the same name (secretsmanager): rule wins" \
	127.0.0.2 secretsmanager.us-east-1.amazonaws.com 172.16.6.15
from 127.0.0.2 kms.us-east-1.amazonaws.com A
check "endpoint-managed PHZ kms.us-east-1 vs broader rule us-east-1.amazonaws.com: PHZ wins" \
	status NOERROR flag aa \
	answer_set "kms.us-east-1.amazonaws.com. 60 IN A 10.0.1.16"
expect_fwd "the broader rule takes names without a PHZ (sts.us-east-1)" \
	127.0.0.2 sts.us-east-1.amazonaws.com 172.16.6.17

# Rules apply to CNAME targets of local data.
from 127.0.0.2 tohost.corp.internal A
check "PHZ CNAME to a rule's name: the target resolved by the rule (B)" \
	status NOERROR noflag aa answer_count 2 \
	answer_line '1:^tohost\.corp\.internal\. 300 IN CNAME host\.onprem\.example\.com\.$' \
	answer_line "2:$(fwd host.onprem.example.com 172.16.0.10)"

# --- VPC 2: a `.` forward rule -------------------------------------------------
expect_fwd "'.' forward rule captures other names (B's root data)" \
	127.0.0.3 anything.test 172.16.7.7
expect_fwd "system rule sys.test under the '.' rule: default upstream" \
	127.0.0.3 x.sys.test 192.0.2.8
expect_phz "'.' rule never captures the VPC's PHZ" \
	127.0.0.3 db.corp.internal 10.1.1.20
from 127.0.0.3 nope.corp.internal A
check "'.' rule: a missing PHZ name is the PHZ's NXDOMAIN" \
	status NXDOMAIN flag aa answer_count 0 \
	authority "^corp\\.internal\\. 900 $R53_SOA"
from 127.0.0.3 secretsmanager.us-east-1.amazonaws.com A
check "'.' rule never captures an endpoint's private DNS name" \
	status NOERROR flag aa \
	answer_set "secretsmanager.us-east-1.amazonaws.com. 60 IN A 10.1.1.15"
from 127.0.0.3 ip-10-1-0-5.ec2.internal A
check "'.' rule never captures the VPC's EC2 host names" \
	status NOERROR flag aa answer_count 1 \
	answer '^ip-10-1-0-5\.ec2\.internal\. [0-9]+ IN A 10\.1\.0\.5$'
from 127.0.0.3 -x 10.1.0.5
check "'.' rule never captures PTR records of the VPC's CIDR" \
	status NOERROR flag aa answer_count 1 \
	answer '^5\.0\.1\.10\.in-addr\.arpa\. [0-9]+ IN PTR ip-10-1-0-5\.ec2\.internal\.$'
expect_fwd "'.' rule over TCP" 127.0.0.3 anything.test 172.16.7.7 +tcp

# --- VPC 1 does not see VPC 2's rules, outside sees none -------------------
expect_fwd "VPC 1 has no '.' rule: anything.test from the default upstream" \
	127.0.0.2 anything.test 192.0.2.7
for src in 127.0.0.9 127.0.0.1; do
	expect_fwd "outside ($src): no rules, host.onprem.example.com is A's" \
		$src host.onprem.example.com 192.0.2.66
	expect_fwd "outside ($src): same.internal is A's" \
		$src host.same.internal 192.0.2.11
	expect_fwd "outside ($src): corp.internal is A's" \
		$src db.corp.internal 192.0.2.20
done

finish
