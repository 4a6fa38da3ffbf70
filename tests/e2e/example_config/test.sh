#!/bin/bash
# tests/e2e/example_config/test.sh - the shipped conf/vpcdns.yaml works:
# it passes `vpcdns check`, and run with only its listen port changed (and
# its relative zone paths made absolute) every RRset of its zone files
# answers, with the Route 53 defaults where a zone has no SOA/NS.  Only
# local names are asked: the example forwards to /etc/resolv.conf.
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
require_tool dig
require_dnspython

SHIPPED=$TOP_SRCDIR/conf/vpcdns.yaml
[ -r "$SHIPPED" ] || fatal "conf/vpcdns.yaml exists" "cannot read $SHIPPED"
CONF_DIR=$(cd "$(dirname "$SHIPPED")" && pwd)
TEMPLATE=$E2E_TMP/example-template.yaml
sed -E -e 's/(port:[[:space:]]*)[0-9]+/\1@PORT@/' \
	-e "s#(file:[[:space:]]*)([^/ ,}][^ ,}]*)#\1$CONF_DIR/\2#" \
	"$SHIPPED" >"$TEMPLATE"
E2E_CMD="diff $SHIPPED $TEMPLATE"
E2E_OUT=$(diff "$SHIPPED" "$TEMPLATE")
E2E_RC=$?
check "the copy changes only the listen port and the zone paths" \
	output '^> .*port: @PORT@' no_output '^> .*port: [0-9]' \
	no_output '^> .*file: [^/]'

VPCDNS_PORT=$(free_port)
e2e_subst "$TEMPLATE" "$E2E_TMP/check.yaml"
run_cmd "$VPCDNS_BIN" check -c "$E2E_TMP/check.yaml"
check "vpcdns check accepts the example" exit 0 output 'vpc-0a1b2c3d'

start_vpcdns "$TEMPLATE"

# The hosted zones of the example: "NAME FILE" lines.
zones=$(sed -nE 's/.*\{name: *([^,]+), *file: *([^ }]+) *\}.*/\1 \2/p' "$TEMPLATE")
[ -n "$zones" ] || fatal "the example has hosted zones" "$(cat "$TEMPLATE")"
while read -r zname zfile; do
	run_cmd "$E2E_PYTHON" "$E2E_SCENARIO_DIR/zone_records.py" "$zname" "$zfile"
	[ "$E2E_RC" = 0 ] || { check "dnspython reads $zfile" exit 0; continue; }
	list=$E2E_OUT
	while IFS=$'\t' read -r qname qtype rrs; do
		dig_q "$qname" "$qtype"
		check "$(basename "$zfile"): $qname $qtype" status NOERROR \
			flag aa answer_set "${rrs//|/$'\n'}"
	done <<<"$list"
	dig_q "e2e-no-such-name.$zname" A
	check "$(basename "$zfile"): a missing name is NXDOMAIN with the SOA" \
		status NXDOMAIN flag aa answer_count 0 \
		authority "^${zname//./\\.}\. [0-9]+ IN SOA "
done <<<"$zones"

# Things the example zones show off.
dig_q api.corp.internal A
check "corp.internal: api CNAME is followed to db" status NOERROR flag aa \
	answer_set "api.corp.internal. 300 IN CNAME db.corp.internal.
db.corp.internal. 300 IN A 10.0.1.20"
dig_q foo.apps.corp.internal A
check "corp.internal: wildcard *.apps" status NOERROR flag aa \
	answer_set "foo.apps.corp.internal. 300 IN A 10.0.3.30"
dig_q b.deep.corp.internal A
check "corp.internal: empty non-terminal b.deep is NODATA" status NOERROR \
	flag aa answer_count 0 authority '^corp\.internal\. 900 IN SOA '
dig_q mail.corp.internal AAAA
check "corp.internal: NODATA with the SOA, TTL min(900, 86400)" \
	status NOERROR flag aa answer_count 0 \
	authority_set "corp.internal. 900 IN SOA ns-1536.awsdns-00.co.uk. awsdns-hostmaster.amazon.com. 2026112301 7200 900 1209600 86400"
SM=secretsmanager.us-east-1.amazonaws.com
dig_q $SM SOA
check "secretsmanager zone: the Route 53 SOA" status NOERROR flag aa \
	answer_set "$SM. 900 IN SOA ns-1536.awsdns-00.co.uk. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400"
dig_q $SM NS
check "secretsmanager zone: the four Route 53 NS" status NOERROR flag aa \
	answer_count 4 \
	answer_all '^secretsmanager\.us-east-1\.amazonaws\.com\. 172800 IN NS ns-[0-9]+\.awsdns-00\.(com|net|org|co\.uk)\.$'
dig_q $SM AAAA
check "secretsmanager zone: AAAA is NODATA (IPv4 endpoint)" status NOERROR \
	flag aa answer_count 0 authority "^${SM//./\\.}\. 900 IN SOA "
dig_q SecretsManager.US-East-1.AmazonAWS.com A
check "secretsmanager zone: mixed case, question echoed" status NOERROR \
	flag aa question "SecretsManager.US-East-1.AmazonAWS.com. IN A" \
	answer_count 2
dig_q +tcp $SM A
check "secretsmanager zone over TCP" status NOERROR flag aa \
	answer_set "$SM. 60 IN A 10.0.1.15
$SM. 60 IN A 10.0.2.27"

finish
