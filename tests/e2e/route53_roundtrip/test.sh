#!/bin/bash
# tests/e2e/route53_roundtrip/test.sh - the round trip of issue 11:
# `vpcdns import --route53` prints a configuration that serves the
# record-set JSON; the daemon serves it; `vpcdns export --format
# route53-json` writes it back as a change batch; a daemon serving the
# exported file gives the same answers, record for record.
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
require_tool dig

SAMPLE=$TOP_SRCDIR/conf/examples/route53-record-sets.json
run_cmd "$VPCDNS_BIN" import --route53 "$SAMPLE"
check "import --route53 prints a hosted zone entry for the file" exit 0 \
	output "- \\{name: shop\\.internal, file: \"[^\"]*route53-record-sets\\.json\", format: route53-json\\}" \
	output '  - \{id: hc-db-primary, status: up\}'
printf 'listen: [{address: 127.0.0.1, port: 5300}]\n%s\n' "$E2E_OUT" \
	>"$E2E_TMP/imported.yaml"
run_cmd "$VPCDNS_BIN" check -c "$E2E_TMP/imported.yaml"
check "the imported configuration checks" exit 0

# Names whose answers do not depend on a random draw.
NAMES="shop.internal/A shop.internal/TXT shop.internal/MX shop.internal/SOA
shop.internal/NS www.shop.internal/A www.shop.internal/AAAA
home.shop.internal/A x.apps.shop.internal/A docs.shop.internal/A
mail.shop.internal/A db.shop.internal/A pool.shop.internal/A
app.shop.internal/A cdn.shop.internal/A nope.shop.internal/A"

# answers: every name's status and sorted answer section, one block each.
answers()
{
	local q
	for q in $NAMES; do
		dig_q "${q%/*}" "${q#*/}"
		echo "$q $(rcode_of_output) $(section ANSWER | sort | tr '\n' '|')"
	done
}

CLOSED=$(free_port)
start_vpcdns vpcdns.yaml ZONEFILE="$SAMPLE" CLOSED="$CLOSED"
before=$(answers)
run_cmd "$VPCDNS_BIN" export -c "$VPCDNS_CONF" --format route53-json \
	"$E2E_TMP/export"
check "export --format route53-json" exit 0
EXPORTED=$E2E_TMP/export/vpc-0a1b2c3d/shop.internal.json
run_cmd cat "$EXPORTED"
check "the export is a change batch with aliases and policies" \
	output '"Changes": \[' \
	output '"Name": "shop\.internal\.", "Type": "A", "AliasTarget": \{"HostedZoneId": "Z7HUB22UULQXV", "DNSName": "vpce-0123456789abcdef0-q1w2e3r4\.dkr\.ecr\.us-east-1\.vpce\.amazonaws\.com\."' \
	output '"Name": "\\\\052\.apps\.shop\.internal\."' \
	output '"SetIdentifier": "blue", "Weight": 70' \
	output '"Failover": "PRIMARY", "HealthCheckId": "hc-db-primary"'
run_cmd cat "$E2E_TMP/export/vpc-0a1b2c3d/dkr.ecr.us-east-1.amazonaws.com.json"
check "the endpoint-managed zone exports as an alias to the vpce name" \
	output '"Name": "\\\\052\.dkr\.ecr\.us-east-1\.amazonaws\.com\.", "Type": "A", "AliasTarget"'

start_vpcdns vpcdns.yaml ZONEFILE="$EXPORTED" CLOSED="$CLOSED"
after=$(answers)
echo "# answers before the round trip:"; sed 's/^/#   /' <<<"$before"
if [ "$before" = "$after" ]; then
	pass "the exported zone answers exactly as the original"
else
	fail "the exported zone answers exactly as the original" \
		"$(diff <(echo "$before") <(echo "$after"))"
fi
finish
