#!/bin/bash
# tests/e2e/views_inbound_s3/test.sh - inbound resolver endpoints and the
# S3 inbound-only flag (SPEC 1.3, 1.5a, 1.6).  An S3 interface endpoint
# with private-dns-only-for-inbound-resolver-endpoint (the VPC also has an
# S3 gateway endpoint) answers its private DNS names with ENI addresses
# only through the VPC's inbound listener; instances of the VPC (source
# 127.0.0.2) get the public answer.  An inbound listener gives its VPC's
# view whatever the source: an on-premises resolver (127.0.0.9) or even an
# instance of another VPC (127.0.0.3).  The flag defaults to true when the
# VPC has the gateway endpoint, false otherwise; true without a gateway is
# a configuration error.
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
require_tool dig

start_upstream public.zone amazonaws.com public-corp.zone corp.internal
INBOUND_A=$(free_port) || fatal "a free port for inbound listener A"
INBOUND_B=$(free_port) || fatal "a free port for inbound listener B"
start_vpcdns vpcdns.yaml INBOUND_A="$INBOUND_A" INBOUND_B="$INBOUND_B"

S3=s3.us-east-1.amazonaws.com
SM=secretsmanager.us-east-1.amazonaws.com
VPCE_A=vpce-0a0000000000000a2-s3aaaaaa.s3.us-east-1.vpce.amazonaws.com

# from SRC DIG-ARGS...: dig at the main listener from source SRC.
from()
{
	local src=$1
	shift
	dig_q -b "$src" "$@"
}

# inbound PORT SRC DIG-ARGS...: dig at an inbound listener from SRC.
inbound()
{
	local port=$1 src=$2
	shift 2
	run_cmd dig @127.0.0.1 -p "$port" -b "$src" +time=2 +tries=1 "$@"
}

# pub NAME ADDR: the answer regex of one public (forwarded, cached) A.
pub()
{
	local n=${1//./\\.}
	echo "^$n\\. (300|[12]?[0-9]?[0-9]) IN A ${2//./\\.}\$"
}

# rrs NAME TTL TYPE ADDR...: the records, one a line.
rrs()
{
	local name=$1 ttl=$2 type=$3 a
	shift 3
	for a in "$@"; do
		echo "$name. $ttl IN $type $a"
	done
}

# --- VPC A: inside (127.0.0.2) gets the public S3 answers -------------------
from 127.0.0.2 $S3 A
check "VPC A inside: inbound-only S3 name is public (forwarded)" \
	status NOERROR noflag aa answer_count 1 answer "$(pub $S3 52.216.0.1)"
from 127.0.0.2 mybucket.$S3 A
check "VPC A inside: virtual-hosted bucket name is public" \
	status NOERROR noflag aa \
	answer_count 1 answer "$(pub mybucket.$S3 52.216.0.2)"
from 127.0.0.2 s3-control.us-east-1.amazonaws.com A
check "VPC A inside: s3-control is public" status NOERROR noflag aa \
	answer_count 1 answer "$(pub s3-control.us-east-1.amazonaws.com 52.216.0.3)"
from 127.0.0.2 myap-111122223333.s3-accesspoint.us-east-1.amazonaws.com A
check "VPC A inside: an access point name is public" status NOERROR \
	noflag aa answer_count 1 answer "$(pub myap-111122223333.s3-accesspoint.us-east-1.amazonaws.com 52.216.0.4)"
from 127.0.0.2 $SM A
check "VPC A inside: its other endpoint (Secrets Manager) stays private" \
	status NOERROR flag aa answer_set "$(rrs $SM 60 A 10.0.1.15)"
from 127.0.0.2 bucket.$VPCE_A A
check "VPC A inside: the S3 endpoint's vpce name answers the ENIs" \
	status NOERROR flag aa \
	answer_set "$(rrs bucket.$VPCE_A 60 A 10.0.1.16 10.0.2.16)"
from 127.0.0.2 +tcp $S3 A
check "VPC A inside over TCP: public S3 answer" status NOERROR noflag aa \
	answer_count 1 answer "$(pub $S3 52.216.0.1)"

# --- VPC A through its inbound listener -------------------------------------
for src in 127.0.0.9 127.0.0.3 127.0.0.1; do
	inbound "$INBOUND_A" $src $S3 A
	check "inbound A from $src: S3 name answers the ENI addresses" \
		status NOERROR flag aa \
		answer_set "$(rrs $S3 60 A 10.0.1.16 10.0.2.16)"
done
inbound "$INBOUND_A" 127.0.0.9 mybucket.$S3 A
check "inbound A: virtual-hosted bucket answers the ENIs" status NOERROR \
	flag aa answer_set "$(rrs mybucket.$S3 60 A 10.0.1.16 10.0.2.16)"
inbound "$INBOUND_A" 127.0.0.9 s3-control.us-east-1.amazonaws.com A
check "inbound A: s3-control answers the ENIs" status NOERROR flag aa \
	answer_set "$(rrs s3-control.us-east-1.amazonaws.com 60 A 10.0.1.16 10.0.2.16)"
inbound "$INBOUND_A" 127.0.0.9 $SM A
check "inbound A: Secrets Manager answers the ENI" status NOERROR flag aa \
	answer_set "$(rrs $SM 60 A 10.0.1.15)"
inbound "$INBOUND_A" 127.0.0.9 db.corp.internal A
check "inbound A: VPC A's private hosted zone" status NOERROR flag aa \
	answer_set "db.corp.internal. 300 IN A 10.0.1.20"
inbound "$INBOUND_A" 127.0.0.9 +tcp $S3 A
check "inbound A over TCP: S3 ENI addresses" status NOERROR flag aa \
	answer_set "$(rrs $S3 60 A 10.0.1.16 10.0.2.16)"
inbound "$INBOUND_A" 127.0.0.9 $S3 AAAA
check "inbound A: an ipv4 endpoint's AAAA is NODATA" status NOERROR \
	flag aa answer_count 0

# --- VPC B: S3 interface endpoint without a gateway -------------------------
from 127.0.0.3 $S3 A
check "VPC B inside (no gateway): S3 private DNS answers the ENI" \
	status NOERROR flag aa answer_set "$(rrs $S3 60 A 10.1.1.16)"
inbound "$INBOUND_B" 127.0.0.9 $S3 A
check "inbound B: S3 answers B's ENI" status NOERROR flag aa \
	answer_set "$(rrs $S3 60 A 10.1.1.16)"
inbound "$INBOUND_B" 127.0.0.2 db.corp.internal A
check "inbound B from VPC A's address: B's view (no corp.internal)" \
	status NXDOMAIN noflag aa answer_count 0 \
	authority '^corp\.internal\. [0-9]+ IN SOA ns1\.corp\.internal\. '

# --- VPC D: the flag left out, defaults to true -------------------------------
from 127.0.0.5 $S3 A
check "VPC D inside (gateway, flag defaulted): S3 is public" \
	status NOERROR noflag aa answer_count 1 answer "$(pub $S3 52.216.0.1)"

# --- VPC E: the flag false ----------------------------------------------------
from 127.0.0.6 $S3 A
check "VPC E inside (gateway, flag false): S3 answers the ENI" \
	status NOERROR flag aa answer_set "$(rrs $S3 60 A 10.4.1.16)"

# --- outside ---------------------------------------------------------------
from 127.0.0.9 $S3 A
check "outside (127.0.0.9) on the main listener: public S3" \
	status NOERROR noflag aa answer_count 1 answer "$(pub $S3 52.216.0.1)"
from 127.0.0.9 db.corp.internal A
check "outside: no private hosted zone (the upstream's NXDOMAIN)" \
	status NXDOMAIN noflag aa answer_count 0 \
	authority '^corp\.internal\. [0-9]+ IN SOA ns1\.corp\.internal\. '
from 127.0.0.9 bucket.$VPCE_A A
check "outside: the vpce name answers" status NOERROR flag aa \
	answer_set "$(rrs bucket.$VPCE_A 60 A 10.0.1.16 10.0.2.16)"

# --- the flag without a gateway endpoint is refused --------------------------------
run_cmd "$VPCDNS_BIN" check -c "$E2E_SCENARIO_DIR/no-gateway.yaml"
check "inbound-only S3 without a gateway: vpcdns check exits 1" exit 1 \
	output 'no-gateway\.yaml:[0-9]+: .*private-dns-only-for-inbound-resolver-endpoint'

finish
