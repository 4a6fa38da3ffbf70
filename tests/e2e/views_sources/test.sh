#!/bin/bash
# tests/e2e/views_sources/test.sh - one daemon, several VPCs told apart by
# the client's source address (SPEC 1.6): clients bound to 127.0.0.2,
# 127.0.0.3, ... (dig -b) stand for instances of different VPCs, any other
# source is outside.  Each VPC sees its own private hosted zones and
# endpoints, never another VPC's; the longest `clients` prefix wins;
# outside clients get public answers (forwarded) except for vpce names,
# which answer everywhere (SPEC 1.1).  A VPC without `clients` takes every
# client that matches no other VPC.  UDP and TCP, dig and kdig.
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
require_tool dig kdig

start_upstream public.zone amazonaws.com public-corp.zone corp.internal
start_vpcdns vpcdns.yaml

R53_SOA='^corp\.internal\. 900 IN SOA ns-1536\.awsdns-00\.co\.uk\. awsdns-hostmaster\.amazon\.com\. 1 7200 900 1209600 86400$'
SM=secretsmanager.us-east-1.amazonaws.com
SM_EU=secretsmanager.eu-west-1.amazonaws.com
VPCE=vpce-0a1b2c3d4e5f67890-abcd1234.secretsmanager.us-east-1.vpce.amazonaws.com

# pub NAME ADDR: the answer regex of one forwarded A record (the cache
# counts its TTL down from 300).
pub()
{
	local n=${1//./\\.}
	echo "^$n\\. (300|[12]?[0-9]?[0-9]) IN A ${2//./\\.}\$"
}

# from SRC DIG-ARGS...: dig at the daemon from source address SRC.
from()
{
	local src=$1
	shift
	dig_q -b "$src" "$@"
}

# --- VPC A: 127.0.0.2 -----------------------------------------------------
from 127.0.0.2 db.corp.internal A
check "VPC A (127.0.0.2): its own corp.internal answers" status NOERROR \
	flag aa answer_set "db.corp.internal. 300 IN A 10.0.1.20"
from 127.0.0.2 only-a.corp.internal A
check "VPC A: a name only its zone has" status NOERROR flag aa \
	answer_set "only-a.corp.internal. 300 IN A 10.0.1.21"
from 127.0.0.2 only-b.corp.internal A
check "VPC A: VPC B's name is NXDOMAIN in A's zone (Route 53 SOA)" \
	status NXDOMAIN flag aa answer_count 0 authority "$R53_SOA"
from 127.0.0.2 $SM A
check "VPC A: its Secrets Manager endpoint answers the ENI addresses" \
	status NOERROR flag aa answer_set "$SM. 60 IN A 10.0.1.15
$SM. 60 IN A 10.0.2.27"
from 127.0.0.2 +tcp db.corp.internal A
check "VPC A over TCP: the same view" status NOERROR flag aa \
	answer_set "db.corp.internal. 300 IN A 10.0.1.20"
run_cmd kdig @127.0.0.1 -p "$VPCDNS_PORT" -b 127.0.0.2 +time=2 +retry=0 \
	only-a.corp.internal A
check "VPC A with kdig -b 127.0.0.2" status NOERROR flag aa \
	answer_set "only-a.corp.internal. 300 IN A 10.0.1.21"

# --- VPC B: 127.0.0.3 and 127.0.0.16/28 ----------------------------------------
from 127.0.0.3 db.corp.internal A
check "VPC B (127.0.0.3): the same zone name, B's data" status NOERROR \
	flag aa answer_set "db.corp.internal. 300 IN A 10.1.1.20"
from 127.0.0.3 only-b.corp.internal A
check "VPC B: a name only its zone has" status NOERROR flag aa \
	answer_set "only-b.corp.internal. 300 IN A 10.1.1.22"
from 127.0.0.3 only-a.corp.internal A
check "VPC B: VPC A's name is NXDOMAIN in B's zone (not forwarded)" \
	status NXDOMAIN flag aa answer_count 0 authority "$R53_SOA"
from 127.0.0.3 $SM A
check "VPC B: no Secrets Manager endpoint, the public answer" \
	status NOERROR noflag aa answer_count 1 answer "$(pub $SM 52.94.0.1)"
from 127.0.0.3 $VPCE A
check "VPC B: VPC A's endpoint's vpce name answers (public record)" \
	status NOERROR flag aa answer_set "$VPCE. 60 IN A 10.0.1.15
$VPCE. 60 IN A 10.0.2.27"
from 127.0.0.3 +tcp only-b.corp.internal A
check "VPC B over TCP" status NOERROR flag aa \
	answer_set "only-b.corp.internal. 300 IN A 10.1.1.22"
from 127.0.0.17 db.corp.internal A
check "127.0.0.17 (in VPC B's 127.0.0.16/28) is in VPC B" status NOERROR \
	flag aa answer_set "db.corp.internal. 300 IN A 10.1.1.20"

# --- VPC C (eu-west-1): 127.0.0.4 and 127.0.0.18/32 ----------------------------
from 127.0.0.4 $SM_EU A
check "VPC C (127.0.0.4): its eu-west-1 endpoint answers" status NOERROR \
	flag aa answer_set "$SM_EU. 60 IN A 10.2.1.15"
from 127.0.0.4 db.corp.internal A
check "VPC C: no corp.internal zone, forwarded to the public data" \
	status NOERROR noflag aa answer_count 1 answer "$(pub db.corp.internal 192.0.2.20)"
from 127.0.0.18 $SM_EU A
check "127.0.0.18: the longest prefix (VPC C's /32) beats B's /28" \
	status NOERROR flag aa answer_set "$SM_EU. 60 IN A 10.2.1.15"
from 127.0.0.18 db.corp.internal A
check "127.0.0.18 does not get VPC B's corp.internal" status NOERROR \
	noflag aa answer_count 1 answer "$(pub db.corp.internal 192.0.2.20)"
from 127.0.0.2 $SM_EU A
check "VPC A does not get VPC C's eu-west-1 endpoint" status NOERROR \
	noflag aa answer_count 1 answer "$(pub $SM_EU 52.95.0.1)"

# --- outside: 127.0.0.9, 127.0.0.1 ------------------------------------------
for src in 127.0.0.9 127.0.0.1; do
	from $src db.corp.internal A
	check "outside ($src): corp.internal is forwarded (public answer)" \
		status NOERROR noflag aa flag ra \
		answer_count 1 answer "$(pub db.corp.internal 192.0.2.20)"
	from $src only-b.corp.internal A
	check "outside ($src): no private zone, the upstream's NXDOMAIN" \
		status NXDOMAIN noflag aa \
		authority '^corp\.internal\. [0-9]+ IN SOA ns1\.corp\.internal\. '
	from $src $SM A
	check "outside ($src): a private DNS name is public" status NOERROR \
		noflag aa answer_count 1 answer "$(pub $SM 52.94.0.1)"
	from $src $VPCE A
	check "outside ($src): the vpce name still answers" status NOERROR \
		flag aa answer_set "$VPCE. 60 IN A 10.0.1.15
$VPCE. 60 IN A 10.0.2.27"
done
from 127.0.0.9 +tcp $SM A
check "outside over TCP: the public answer" status NOERROR noflag aa \
	answer_count 1 answer "$(pub $SM 52.94.0.1)"

# The answers interleave: one client's view never leaks into the next's.
from 127.0.0.2 db.corp.internal A
check "VPC A again after the others: still A's data" status NOERROR \
	flag aa answer_set "db.corp.internal. 300 IN A 10.0.1.20"

# --- a VPC without clients takes every other client --------------------------------
start_vpcdns vpcdns-catchall.yaml
from 127.0.0.2 db.corp.internal A
check "catch-all config: 127.0.0.2 is still VPC A" status NOERROR flag aa \
	answer_set "db.corp.internal. 300 IN A 10.0.1.20"
for src in 127.0.0.9 127.0.0.1; do
	from $src db.corp.internal A
	check "catch-all config: $src is in the VPC without clients" \
		status NOERROR flag aa \
		answer_set "db.corp.internal. 300 IN A 10.1.1.20"
done

finish
