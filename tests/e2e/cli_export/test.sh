#!/bin/bash
# tests/e2e/cli_export/test.sh - `vpcdns export -c FILE DIR` (SPEC Part 2):
# on a configuration with S3, ecr.dkr, secretsmanager, an endpoint service
# of another provider with a private DNS name and a private hosted zone, it
# exits 0 and writes DIR/<vpc-id>/<zone>.zone, one file per zone, each
# starting with $ORIGIN and accepted by BIND's named-checkzone; the files
# are exactly the zones `vpcdns check` lists for the VPC (inbound-only zones
# left out: they are not served inside the VPC) plus the vpce zones; the
# hosted zone comes back record for record; and a fresh vpcdns that loads
# the exported files as hosted zones answers every A/AAAA name of them (and
# names they lack) the same as the daemon on the original configuration.
# Errors: a broken configuration (1, nothing written), bad usage (2), a DIR
# that cannot be created (3).
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
require_tool dig named-checkzone named-compilezone

VPC1="vpc-0e2e0e01"
VPC2="vpc-0e2e0e02"

start_upstream amazonaws.com.zone amazonaws.com
start_vpcdns vpcdns.yaml
ORIG_PORT=$VPCDNS_PORT
ORIG_CONF=$VPCDNS_CONF
E2E_ALIVE_ARGS=(db.corp.internal A)

# --- what check lists -----------------------------------------------------------------
run_cmd "$VPCDNS_BIN" check -c "$ORIG_CONF"
check "vpcdns check accepts the configuration" exit 0 \
	output "^vpc $VPC1 " output "^vpc $VPC2 "
# "VPC ZONE" for every zone line of the summary, VPC "*" for the vpce
# zones (served to every client), "VPC! ZONE" for inbound-only zones.
LISTED=$(printf '%s\n' "$E2E_OUT" | awk '
	/^vpc [^ ]+ / { vpc = $2; next }
	/^endpoint-specific names/ { vpc = "*"; next }
	/^  zone [^ ]+ serial / { z = $2; sub(/\.$/, "", z); print vpc, z; next }
	/^  inbound-only zone [^ ]+ serial / { z = $3; sub(/\.$/, "", z); print vpc "!", z }')
# expected_files VPC: the zone files export must write for VPC.
expected_files()
{
	printf '%s\n' "$LISTED" | awk -v v="$1" '$1 == v || $1 == "*" { print $2 ".zone" }' |
		LC_ALL=C sort
}
if [ -n "$(expected_files $VPC1)" ] &&
	printf '%s\n' "$LISTED" | grep -q "^\\* s3\\.us-east-1\\.vpce\\.amazonaws\\.com\$" &&
	printf '%s\n' "$LISTED" | grep -q "^$VPC2! s3\\.us-east-1\\.amazonaws\\.com\$"; then
	pass "check lists the VPCs' zones, the vpce zones and $VPC2's inbound-only zones"
else
	fail "check lists the VPCs' zones, the vpce zones and $VPC2's inbound-only zones" \
		"parsed:" "$LISTED" "summary:" "$E2E_OUT"
fi

# --- export ---------------------------------------------------------------------------
OUT=$E2E_TMP/export
run_cmd "$VPCDNS_BIN" export -c "$ORIG_CONF" "$OUT"
check "export -c FILE DIR exits 0" exit 0 max_ms 5000

for vpc in $VPC1 $VPC2; do
	got=$(find "$OUT/$vpc" -mindepth 1 -maxdepth 1 -printf '%f\n' 2>/dev/null |
		LC_ALL=C sort)
	want=$(expected_files "$vpc")
	if [ -n "$want" ] && [ "$got" = "$want" ]; then
		pass "$vpc: the files are the zones check lists for it plus the vpce zones"
	else
		fail "$vpc: the files are the zones check lists for it plus the vpce zones" \
			"$(diff <(printf '%s\n' "$want") <(printf '%s\n' "$got") |
				sed 's/^</missing:/;s/^>/extra:  /' | grep -E '^(missing|extra)')"
	fi
done
for z in s3 s3-control s3-accesspoint; do
	if [ -e "$OUT/$VPC2/$z.us-east-1.amazonaws.com.zone" ]; then
		fail "$VPC2: inbound-only zone $z.us-east-1.amazonaws.com is not exported" \
			"$(head -5 "$OUT/$VPC2/$z.us-east-1.amazonaws.com.zone")"
	else
		pass "$VPC2: inbound-only zone $z.us-east-1.amazonaws.com is not exported"
	fi
done
for z in api.partner.example.com corp.internal s3.us-east-1.amazonaws.com \
	s3-control.us-east-1.amazonaws.com s3-accesspoint.us-east-1.amazonaws.com \
	dkr.ecr.us-east-1.amazonaws.com secretsmanager.us-east-1.amazonaws.com \
	s3.us-east-1.vpce.amazonaws.com dkr.ecr.us-east-1.vpce.amazonaws.com \
	secretsmanager.us-east-1.vpce.amazonaws.com \
	vpce-svc-0e2e0000000000504.us-east-1.vpce.amazonaws.com; do
	if [ -s "$OUT/$VPC1/$z.zone" ]; then
		pass "$VPC1: $z.zone is exported"
	else
		fail "$VPC1: $z.zone is exported" "$(ls -l "$OUT/$VPC1")"
	fi
done

# Every file: $ORIGIN first, named-checkzone accepts it.
for f in "$OUT"/*/*.zone; do
	[ -e "$f" ] || continue
	z=$(basename "$f" .zone)
	rel=${f#"$OUT"/}
	first=$(head -n1 "$f")
	run_cmd named-checkzone "$z" "$f"
	if [ "$first" != "\$ORIGIN $z." ]; then
		E2E_OUT="first line: $first"$'\n'"$E2E_OUT"
		e2e_report "$rel starts with \$ORIGIN $z. and passes named-checkzone" \
			"first line '\$ORIGIN $z.'"
	else
		check "$rel starts with \$ORIGIN $z. and passes named-checkzone" \
			exit 0 output "^OK\$"
	fi
done

# The hosted zone comes back record for record (BIND's canonical form).
canon()
{
	named-compilezone -q -i none -s full -o - "$1" "$2" 2>&1 |
		awk '{ $1 = $1; print }' | LC_ALL=C sort
}
A=$(canon corp.internal "$E2E_SCENARIO_DIR/corp.internal.zone")
B=$(canon corp.internal "$OUT/$VPC1/corp.internal.zone")
if [ -n "$A" ] && [ "$A" = "$B" ]; then
	pass "the exported hosted zone corp.internal has exactly its records"
else
	fail "the exported hosted zone corp.internal has exactly its records" \
		"$(diff <(printf '%s\n' "$A") <(printf '%s\n' "$B"))"
fi
# The managed zones carry the Route 53 SOA (SPEC 1.2).
SOA_RE='IN SOA ns-1536\.awsdns-00\.co\.uk\. awsdns-hostmaster\.amazon\.com\. 1 7200 900 1209600 86400$'
if [ "$(canon secretsmanager.us-east-1.amazonaws.com \
	"$OUT/$VPC1/secretsmanager.us-east-1.amazonaws.com.zone" | grep -cE "$SOA_RE")" = 1 ]; then
	pass "a managed zone's file has the Route 53 SOA"
else
	fail "a managed zone's file has the Route 53 SOA" \
		"$(cat "$OUT/$VPC1/secretsmanager.us-east-1.amazonaws.com.zone")"
fi

# Exporting again into the same DIR: exit 0, the same files.
cp -a "$OUT" "$E2E_TMP/export.first"
run_cmd "$VPCDNS_BIN" export -c "$ORIG_CONF" "$OUT"
check "export into an existing DIR exits 0" exit 0
if diff -r "$E2E_TMP/export.first" "$OUT" >/dev/null 2>&1; then
	pass "a second export writes the same files"
else
	fail "a second export writes the same files" \
		"$(diff -r "$E2E_TMP/export.first" "$OUT" | head -30)"
fi

# A relative DIR is relative to the working directory.
(cd "$E2E_TMP" && timeout 20 "$VPCDNS_BIN" export -c "$ORIG_CONF" relative-dir) \
	>"$E2E_TMP/relative.out" 2>&1
E2E_RC=$?
E2E_CMD="cd $E2E_TMP && $VPCDNS_BIN export -c $ORIG_CONF relative-dir"
E2E_OUT=$(cat "$E2E_TMP/relative.out"; find "$E2E_TMP/relative-dir" 2>&1 | head -20)
if [ -s "$E2E_TMP/relative-dir/$VPC1/corp.internal.zone" ]; then
	check "export into a relative DIR writes under the working directory" exit 0
else
	e2e_report "export into a relative DIR writes under the working directory" \
		"$E2E_TMP/relative-dir/$VPC1/corp.internal.zone written"
fi

# --- the exported files loaded back as hosted zones -------------------------------------
TMPL=$E2E_TMP/reloaded.yaml.in
{
	echo "listen:"
	echo "  - {address: 127.0.0.1, port: @PORT@}"
	echo "upstreams: [\"@UPSTREAM@\"]"
	echo "vpcs:"
	echo "  - id: vpc-0e2e0e99"
	echo "    region: us-east-1"
	echo "    hosted-zones:"
	for f in "$OUT/$VPC1"/*.zone; do
		echo "      - {name: $(basename "$f" .zone), file: \"$f\"}"
	done
} >"$TMPL"
start_vpcdns "$TMPL"
NEW_PORT=$VPCDNS_PORT
pass "a fresh vpcdns starts with $VPC1's exported files as hosted zones"

# answer_of PORT NAME TYPE: "RCODE" then the A/AAAA records' "TYPE RDATA",
# sorted, one a line.
answer_of()
{
	dig_at "$1" "$2" "$3"
	rcode_of_output
	section ANSWER | awk '$4 == "A" || $4 == "AAAA" { print $4, $5 }' |
		LC_ALL=C sort
}

# Every owner name with A/AAAA records in the exported files (a wildcard
# through a label below it), and a few names they lack.
NAMES=$(cat "$OUT/$VPC1"/*.zone | awk '$4 == "A" || $4 == "AAAA" { print $1 }' |
	sed 's/^\*\./e2e-label./; s/\.$//' | LC_ALL=C sort -u)
NAMES+=$'\n'"nope.secretsmanager.us-east-1.amazonaws.com"
NAMES+=$'\n'"nope.corp.internal"
NAMES+=$'\n'"kms.us-east-1.amazonaws.com"
n=0
for name in $NAMES; do
	for type in A AAAA; do
		a=$(answer_of "$ORIG_PORT" "$name" "$type")
		b=$(answer_of "$NEW_PORT" "$name" "$type")
		n=$((n + 1))
		if [ -n "$(printf '%s\n' "$a" | head -n1)" ] && [ "$a" = "$b" ]; then
			pass "loaded back: $name $type answers as before ($(printf '%s' "$a" | tr '\n' ' '))"
		else
			fail "loaded back: $name $type answers as before" \
				"original configuration:" "$a" "exported zones:" "$b"
		fi
	done
done
[ "$n" -ge 20 ] || fail "the round trip compared at least 10 names" "$n queries"
# A few with their exact records (not only as both daemons agree).
dig_at "$NEW_PORT" api.partner.example.com A
check "loaded back: the provider's private DNS name answers its addresses" \
	status NOERROR answer ' IN A 10\.0\.1\.77$' answer ' IN A 10\.0\.2\.77$'
dig_at "$NEW_PORT" 123456789012.dkr.ecr.us-east-1.amazonaws.com AAAA
check "loaded back: the ecr.dkr wildcard answers the IPv6 addresses" \
	status NOERROR flag aa answer_count 2 \
	answer ' 60 IN AAAA fd00:10:1::52$' answer ' 60 IN AAAA fd00:10:2::52$'

# --- errors ---------------------------------------------------------------------------
BROKEN=$E2E_TMP/broken.yaml
sed 's/^upstreams:/colour: blue\nupstreams:/' "$ORIG_CONF" >"$BROKEN"
run_cmd "$VPCDNS_BIN" export -c "$BROKEN" "$E2E_TMP/not-written"
check "export of a broken configuration: exit 1 with file:line: message" \
	exit 1 output "$(printf '%s' "$BROKEN" | sed 's/[.]/\\./g'):[0-9]+: .*colour"
if [ -e "$E2E_TMP/not-written" ]; then
	fail "export of a broken configuration writes nothing" \
		"$(find "$E2E_TMP/not-written" | head)"
else
	pass "export of a broken configuration writes nothing"
fi
run_cmd "$VPCDNS_BIN" export -c "$ORIG_CONF"
check "export without DIR: exit 2 (bad usage)" exit 2
run_cmd "$VPCDNS_BIN" export -c "$ORIG_CONF" "$E2E_TMP/d1" "$E2E_TMP/d2"
check "export with two DIRs: exit 2 (bad usage)" exit 2
: >"$E2E_TMP/a-file"
run_cmd "$VPCDNS_BIN" export -c "$ORIG_CONF" "$E2E_TMP/a-file"
check "export into a DIR that is a regular file: exit 3 (runtime failure), names it" \
	exit 3 output "$(printf '%s' "$E2E_TMP/a-file" | sed 's/[.]/\\./g')"
run_cmd "$VPCDNS_BIN" check -c "$ORIG_CONF" stray-operand
E2E_OUT=$(printf '%s\n' "$E2E_OUT" | head -n 5)
check "check with a stray operand: exit 2 (bad usage)" exit 2

VPCDNS_PORT=$ORIG_PORT
alive_check "the daemon on the original configuration still answers"
finish
