#!/bin/bash
# tests/e2e/route53_answers/test.sh - private hosted zones kept as Route 53
# record-set JSON and Terraform state (issue 11), answered with dig:
# an apex alias to a configured endpoint's vpce name, an alias to a
# record of another loaded zone, an alias to an upstream (ELB) name, a
# wildcard record set (Route 53's "\052" escape), weighted (1,000 queries
# within a stated tolerance), multivalue (healthy sets only, shuffled),
# failover with a static health check, latency and geolocation by the
# Region of the client's VPC, and a Terraform state's records and aliases.
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
require_tool dig

start_upstream elb.zone elb.amazonaws.com
start_vpcdns vpcdns.yaml

VPCE=vpce-0123456789abcdef0-q1w2e3r4.dkr.ecr.us-east-1.vpce.amazonaws.com
ELB=dualstack.shop-lb-1234567890.us-east-1.elb.amazonaws.com

# east / west DIG-ARGS...: from a client of the us-east-1 / eu-west-1 VPC.
east() { dig_q -b 127.0.0.2 "$@"; }
west() { dig_q -b 127.0.0.3 "$@"; }

# --- aliases -----------------------------------------------------------------
east shop.internal A
check "apex alias to a vpce name: its A records, its TTL, no CNAME" \
	status NOERROR flag aa \
	answer_set "shop.internal. 60 IN A 10.0.1.31
shop.internal. 60 IN A 10.0.2.31"
east shop.internal AAAA
check "the alias is of type A: AAAA is NODATA with the zone's SOA" \
	status NOERROR flag aa answer_count 0 \
	authority '^shop\.internal\. 900 IN SOA ns-1536\.awsdns-00\.co\.uk\. '
dig_q -b 127.0.0.2 $VPCE A
check "the vpce name itself answers as before" status NOERROR \
	answer "^$VPCE\\. 60 IN A 10\\.0\\.1\\.31\$"
east home.shop.internal A
check "alias to a record of the same zone" status NOERROR flag aa \
	answer_set "home.shop.internal. 300 IN A 10.0.0.10
home.shop.internal. 300 IN A 10.0.0.11"
east mail.links.internal A
check "alias into another loaded zone (a vpcdns extension)" \
	status NOERROR flag aa \
	answer_set "mail.links.internal. 300 IN A 10.0.0.25"
east lb.shop.internal A
check "alias to an upstream ELB name: its addresses under the alias" \
	status NOERROR flag aa \
	answer_set "lb.shop.internal. 45 IN A 192.0.2.80
lb.shop.internal. 45 IN A 192.0.2.81" \
	no_answer 'CNAME'
east any.thing.apps.shop.internal A
check "wildcard record set (\\052 in the JSON)" status NOERROR flag aa \
	answer_set "any.thing.apps.shop.internal. 60 IN A 10.0.5.5"
east docs.shop.internal A
check "a CNAME record set is still a CNAME" status NOERROR flag aa \
	answer_line '1:IN CNAME www\.shop\.internal\.$'
east nope.shop.internal A
check "a missing name is NXDOMAIN" status NXDOMAIN flag aa answer_count 0

# --- weighted: 1,000 queries in one dig run ----------------------------------
# Weights 70/30/0.  With p = 0.7 and n = 1000 the standard deviation of the
# count is 14.5; the tolerance of +-60 (+-6 points, over 4 sigma) keeps
# the test from flaking while still catching a wrong weighting.
batch=$E2E_TMP/weighted.batch
for ((i = 0; i < 1000; i++)); do
	echo "api.shop.internal A"
done >"$batch"
run_cmd timeout 120 dig @"$VPCDNS_ADDR" -p "$VPCDNS_PORT" -b 127.0.0.2 \
	+time=5 +tries=2 +short -f "$batch"
blue=$(grep -c '^10\.0\.1\.1$' <<<"$E2E_OUT")
green=$(grep -c '^10\.0\.1\.2$' <<<"$E2E_OUT")
retired=$(grep -c '^10\.0\.1\.3$' <<<"$E2E_OUT")
echo "# weighted over 1000 queries: blue(70)=$blue green(30)=$green retired(0)=$retired"
if [ $((blue + green)) -eq 1000 ] && [ "$retired" -eq 0 ] &&
	[ "$blue" -ge 640 ] && [ "$blue" -le 760 ]; then
	pass "weighted 70/30/0 over 1000 queries: $blue/$green/$retired"
else
	fail "weighted 70/30/0 over 1000 queries within +-60" \
		"blue=$blue green=$green retired=$retired"
fi

# --- multivalue --------------------------------------------------------------
orders=
for ((i = 0; i < 40; i++)); do
	dig_q -b 127.0.0.2 +short pool.shop.internal A
	orders+="$(tr '\n' ' ' <<<"$E2E_OUT")"$'\n'
done
n_orders=$(sort -u <<<"$orders" | grep -c .)
east pool.shop.internal A
check "multivalue: the healthy record sets only (pool-3 is down)" \
	status NOERROR flag aa answer_count 2 \
	answer '^pool\.shop\.internal\. 60 IN A 10\.0\.6\.1$' \
	answer '^pool\.shop\.internal\. 60 IN A 10\.0\.6\.2$' \
	no_answer '10\.0\.6\.3'
if [ "$n_orders" -ge 2 ]; then
	pass "multivalue answers are shuffled ($n_orders orders in 40)"
else
	fail "multivalue answers are shuffled" "one order in 40: $orders"
fi

# --- failover, latency, geolocation ------------------------------------------
east db.shop.internal A
check "failover: the primary while its health check is up" \
	status NOERROR answer_set "db.shop.internal. 30 IN A 10.0.2.1"
east app.shop.internal A
check "latency: a us-east-1 VPC gets the us-east-1 record set" \
	status NOERROR answer_set "app.shop.internal. 60 IN A 10.0.3.1"
west app.shop.internal A
check "latency: an eu-west-1 VPC gets the eu-west-1 record set" \
	status NOERROR answer_set "app.shop.internal. 60 IN A 10.1.3.1"
east cdn.shop.internal A
check "geolocation: us-east-1 is in Virginia (US-VA)" \
	status NOERROR answer_set "cdn.shop.internal. 60 IN A 10.0.4.1"
west cdn.shop.internal A
check "geolocation: eu-west-1 is in Europe (EU)" \
	status NOERROR answer_set "cdn.shop.internal. 60 IN A 10.1.4.1"

# --- Terraform state ---------------------------------------------------------
east www.corp.internal A
check "terraform: a record" status NOERROR flag aa \
	answer_set "www.corp.internal. 300 IN A 10.0.0.10"
east corp.internal A
check "terraform: the apex alias to the vpce name" status NOERROR flag aa \
	answer_set "corp.internal. 60 IN A 10.0.1.31
corp.internal. 60 IN A 10.0.2.31"
east home.corp.internal A
check "terraform: an alias to a record of the zone" status NOERROR \
	answer_set "home.corp.internal. 300 IN A 10.0.0.10"
east corp.internal TXT
check "terraform: an unquoted TXT value" status NOERROR \
	answer_set 'corp.internal. 300 IN TXT "v=spf1 -all"'
east short.corp.internal A
check "terraform: a relative record name" status NOERROR \
	answer_set "short.corp.internal. 60 IN A 10.0.0.20"
east db.corp.internal A
check "terraform: failover primary" status NOERROR \
	answer_set "db.corp.internal. 30 IN A 10.0.2.1"
east www.other.internal A
check "terraform: the state's other zone is not served (not listed)" \
	no_answer '10\.0\.9\.9'
west www.corp.internal A
check "the eu-west-1 VPC does not have corp.internal" no_answer '10\.0\.0\.10'

# --- explain -----------------------------------------------------------------
run_cmd "$VPCDNS_BIN" explain -c "$VPCDNS_CONF" --from 127.0.0.2 \
	db.shop.internal A
check "explain names the record set that won and why" exit 0 \
	output 'record-set db-primary: failover: primary healthy \(.*route53-record-sets\.json:[0-9]+: ResourceRecordSets\[14\] \(db\.shop\.internal A\)\)'
run_cmd "$VPCDNS_BIN" explain -c "$VPCDNS_CONF" --from 127.0.0.2 shop.internal A
check "explain shows the apex alias" exit 0 \
	output 'record-set -: alias to its target.s records \(.*ResourceRecordSets\[2\] \(shop\.internal A\)\)' \
	output 'shop\.internal\. 60 IN A 10\.0\.1\.31'
finish
