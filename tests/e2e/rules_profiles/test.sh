#!/bin/bash
# tests/e2e/rules_profiles/test.sh - Route 53 Profiles (SPEC 1.5): a
# profile bundling hosted zones, a forward rule and a firewall rule,
# attached to two VPCs, serves both; a VPC's own zone or rule of the same
# name wins over its profile's; a profile's more specific PHZ wins over its
# broader rule; the profile's firewall rule joins the VPC's by priority;
# a VPC without the profile, and outside clients, see none of it.
# Upstreams: A (default) answers 192.0.2.x, B 172.16.x, C 172.31.x;
# profile zones 10.50.x / 10.60.x, VPC 1's own zone 10.0.x.
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
require_tool dig

start_upstream a-public.zone example.com a-internal.zone internal
A_PORT=$UPSTREAM_PORT
start_upstream b-onprem.zone onprem.example.com b-fwd.zone fwd.corp.internal \
	b-shared.zone shared.internal
B_PORT=$UPSTREAM_PORT
start_upstream c-onprem.zone onprem.example.com
C_PORT=$UPSTREAM_PORT
start_vpcdns vpcdns.yaml UPSTREAM_A="127.0.0.1:$A_PORT" B_PORT="$B_PORT" \
	C_PORT="$C_PORT"

R53_SOA='IN SOA ns-1536\.awsdns-00\.co\.uk\. awsdns-hostmaster\.amazon\.com\. 1 7200 900 1209600 86400$'

from()
{
	local src=$1
	shift
	dig_q -b "$src" "$@"
}

# expect_fwd DESC SRC NAME ADDR: NAME/A from SRC is the one forwarded
# record ADDR (TTL 300, maybe counted down), not authoritative.
expect_fwd()
{
	local desc=$1 src=$2 name=$3 addr=$4
	from "$src" "$name" A
	check "$desc" status NOERROR noflag aa answer_count 1 \
		answer "^${name//./\\.}\\. (300|[12]?[0-9]?[0-9]) IN A ${addr//./\\.}\$"
}

# expect_phz DESC SRC NAME ADDR: NAME/A from SRC is a PHZ record.
expect_phz()
{
	local desc=$1 src=$2 name=$3 addr=$4
	from "$src" "$name" A
	check "$desc" status NOERROR flag aa \
		answer_set "$name. 300 IN A $addr"
}

# --- the profile's zones in both VPCs ------------------------------------------
for src in 127.0.0.2 127.0.0.3; do
	expect_phz "profile zone shared.internal answers in the VPC of $src" \
		$src svc.shared.internal 10.50.0.1
	from $src nope.shared.internal A
	check "profile zone ($src): a missing name is NXDOMAIN with the Route 53 SOA" \
		status NXDOMAIN flag aa answer_count 0 \
		authority "^shared\\.internal\\. 900 $R53_SOA"
	expect_phz "profile PHZ lab.onprem.example.com beats the profile's broader rule ($src)" \
		$src vm.lab.onprem.example.com 10.50.5.5
done

# --- the same name: the VPC's own association wins -------------------------------
expect_phz "VPC 1: its own corp.internal wins over the profile's" \
	127.0.0.2 db.corp.internal 10.0.1.20
from 127.0.0.2 only-profile.corp.internal A
check "VPC 1: the profile's corp.internal is not consulted (NXDOMAIN)" \
	status NXDOMAIN flag aa answer_count 0 \
	authority "^corp\\.internal\\. 900 $R53_SOA"
expect_phz "VPC 2 (no own zone): the profile's corp.internal" \
	127.0.0.3 db.corp.internal 10.50.0.20
expect_phz "VPC 2: the profile-only name" \
	127.0.0.3 only-profile.corp.internal 10.50.0.21
expect_fwd "VPC 1: its own onprem.example.com rule (C) wins over the profile's (B)" \
	127.0.0.2 host.onprem.example.com 172.31.0.10
expect_fwd "VPC 2: the profile's onprem.example.com rule (B)" \
	127.0.0.3 host.onprem.example.com 172.16.0.10

# --- across VPC and profile: the most specific name wins ---------------------------
for src in 127.0.0.2 127.0.0.3; do
	expect_fwd "profile rule fwd.corp.internal beats the broader corp.internal PHZ ($src)" \
		$src x.fwd.corp.internal 172.16.3.3
done
expect_fwd "VPC 4: its own rule shared.internal wins over the profile's zone" \
	127.0.0.6 svc.shared.internal 172.16.50.1
expect_phz "VPC 4: the profile's other zones still answer" \
	127.0.0.6 vm.lab.onprem.example.com 10.50.5.5

# --- a second profile -------------------------------------------------------------
expect_phz "VPC 2: its second profile's zone extra.internal" \
	127.0.0.3 app.extra.internal 10.60.0.1
expect_fwd "VPC 1 (without profile second): extra.internal is forwarded" \
	127.0.0.2 app.extra.internal 192.0.2.60

# --- the profile's firewall rule -----------------------------------------------
from 127.0.0.3 bad.example.com A
check "VPC 2: the profile's firewall rule blocks (NXDOMAIN, no SOA, no AA)" \
	status NXDOMAIN noflag aa answer_count 0 authority_count 0
expect_fwd "VPC 1: its own allow rule (priority 50) beats the profile's block (100)" \
	127.0.0.2 bad.example.com 192.0.2.66

# --- without the profile ------------------------------------------------------
for src in 127.0.0.4 127.0.0.9; do
	expect_fwd "no profile ($src): shared.internal is forwarded" \
		$src svc.shared.internal 192.0.2.50
	expect_fwd "no profile ($src): corp.internal is forwarded" \
		$src db.corp.internal 192.0.2.20
	expect_fwd "no profile ($src): no rule, onprem is the default upstream's" \
		$src host.onprem.example.com 192.0.2.10
	expect_fwd "no profile ($src): lab.onprem is the default upstream's" \
		$src vm.lab.onprem.example.com 192.0.2.5
	expect_fwd "no profile ($src): no firewall" \
		$src bad.example.com 192.0.2.66
done

finish
