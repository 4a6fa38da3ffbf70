#!/bin/bash
# tests/e2e/dnssec_validation/test.sh - `dnssec-validation: true` as the
# VPC Resolver does it (AWS resolver-dnssec-validation,
# docs/aws-behaviour.md §8): answers of the default upstreams are validated
# from the trust anchor (here the DS of val.test, made by ldns-keygen) and
# bogus ones are SERVFAIL; names of a forward rule are left to its target;
# the client never gets DNSSEC records or AD.  Keys and signatures are
# made here at each run (ldns-keygen, ldns-signzone): val.test (NSEC) holds
# the DS of sub.val.test (NSEC3), expired.val.test (signatures of 2019)
# and fwd.val.test, and an insecure delegation to insecure.val.test (no
# DS, unsigned); one nsd serves them all as the default upstream, a second
# one serves fwd.val.test, whose www record was changed after signing.
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
require_tool dig kdig ldns-keygen ldns-signzone

Z=$E2E_TMP/zones
mkdir -p "$Z"
cp "$E2E_SCENARIO_DIR"/*.zone "$Z/"
# Signatures valid from yesterday (so a clock a second behind does not
# matter) for four weeks; expired.val.test's ended in 2020.
INCEPTION=$(date -u -d yesterday +%Y%m%d%H%M%S)
# sign ZONEFILE ORIGIN [ldns-signzone options]: a KSK and a ZSK (ECDSA
# P-256); prints the KSK's file name.
sign()
{
	local zf=$1 origin=$2 ksk zsk
	shift 2
	ksk=$(ldns-keygen -k -a ECDSAP256SHA256 "$origin") &&
		zsk=$(ldns-keygen -a ECDSAP256SHA256 "$origin") &&
		ldns-signzone "$@" -f "$zf.signed" "$zf" "$ksk" "$zsk" >&2 &&
		echo "$ksk"
}
(
	cd "$Z" || exit 1
	set -e
	k=$(sign sub.val.test.zone sub.val.test -n -i "$INCEPTION")
	cat "$k.ds" >>val.test.zone
	k=$(sign expired.val.test.zone expired.val.test \
		-i 20190101000000 -e 20200101000000)
	cat "$k.ds" >>val.test.zone
	k=$(sign fwd.val.test.zone fwd.val.test -i "$INCEPTION")
	cat "$k.ds" >>val.test.zone
	k=$(sign val.test.zone val.test -i "$INCEPTION")
	cp "$k.ds" "$E2E_TMP/anchor.ds"
	# Bogus data: RDATA changed after signing.
	sed -i 's/192\.0\.2\.66/192.0.2.99/' val.test.zone.signed
	sed -i 's/192\.0\.2\.40/192.0.2.41/' fwd.val.test.zone.signed
) >"$E2E_TMP/sign.log" 2>&1 || fatal "sign the zones" "$(cat "$E2E_TMP/sign.log")"
grep -q '192\.0\.2\.99' "$Z/val.test.zone.signed" ||
	fatal "break a signature" "no changed record"

start_upstream "$Z/fwd.val.test.zone.signed" fwd.val.test
FWD_PORT=$UPSTREAM_PORT
start_upstream "$Z/val.test.zone.signed" val.test \
	"$Z/sub.val.test.zone.signed" sub.val.test \
	"$Z/expired.val.test.zone.signed" expired.val.test \
	"$Z/insecure.val.test.zone" insecure.val.test
start_vpcdns vpcdns.yaml FWD="$FWD_PORT"
QLOG=$E2E_TMP/query.log

# dig_v ARGS...: asked from 127.0.0.1, a client of the validating VPC.
dig_v() { dig_q -b 127.0.0.1 "$@"; }

# --- secure answers: the data, no DNSSEC records, no AD ---------------------
for opts in "" "+dnssec" "+adflag" "+dnssec +cd" "+tcp"; do
	# shellcheck disable=SC2086
	dig_v $opts www.val.test A
	check "secure answer ($opts): the address, no RRSIG, no AD" \
		status NOERROR noflag ad \
		answer '^www\.val\.test\. [0-9]+ IN A 192\.0\.2\.10$' \
		no_answer RRSIG no_authority RRSIG
done
dig_v +dnssec www.sub.val.test A
check "secure child (DS in the parent, NSEC3 zone)" status NOERROR \
	noflag ad answer '^www\.sub\.val\.test\. [0-9]+ IN A 192\.0\.2\.20$' \
	no_answer RRSIG
dig_v x.wild.val.test A
check "wildcard expansion with its NSEC proof" status NOERROR \
	answer '^x\.wild\.val\.test\. [0-9]+ IN A 192\.0\.2\.77$'
dig_v alias.sub.val.test A
check "CNAME from the child to the parent, both validated" status NOERROR \
	answer 'alias\.sub\.val\.test\. [0-9]+ IN CNAME www\.val\.test\.' \
	answer '^www\.val\.test\. [0-9]+ IN A 192\.0\.2\.10$'

# --- bogus answers: SERVFAIL ------------------------------------------------
dig_at "$UPSTREAM_PORT" +norec +dnssec broken.val.test A
check "nsd serves the changed record with its old signature" \
	status NOERROR answer '192\.0\.2\.99'
dig_v broken.val.test A
check "a record whose signature is broken: SERVFAIL" status SERVFAIL \
	answer_count 0
dig_v +cd broken.val.test A
check "CD from the client is ignored (as AWS): still SERVFAIL" \
	status SERVFAIL
kdig_q -b 127.0.0.1 +dnssec broken.val.test A
check "kdig +dnssec: SERVFAIL" output 'status: SERVFAIL'
dig_v www.expired.val.test A
check "expired signatures: SERVFAIL" status SERVFAIL

# --- denial of existence -----------------------------------------------------
dig_v +dnssec nope.val.test A
check "NXDOMAIN proven by NSEC: NXDOMAIN, the SOA, no NSEC" status NXDOMAIN \
	noflag ad authority ' IN SOA ' no_authority NSEC no_authority RRSIG
dig_v www.val.test TXT
check "NODATA proven by NSEC" status NOERROR answer_count 0 \
	authority ' IN SOA '
dig_v nope.sub.val.test A
check "NXDOMAIN proven by NSEC3" status NXDOMAIN
dig_v www.sub.val.test TXT
check "NODATA proven by NSEC3" status NOERROR answer_count 0

# --- insecure delegation, forward rule, validation off -----------------------
dig_v www.insecure.val.test A
check "unsigned zone below an insecure delegation: answered" \
	status NOERROR \
	answer '^www\.insecure\.val\.test\. [0-9]+ IN A 192\.0\.2\.50$'
dig_at "$FWD_PORT" +norec +dnssec www.fwd.val.test A
check "the forward target serves bogus data" status NOERROR \
	answer '192\.0\.2\.41'
dig_v www.fwd.val.test A
check "a forward rule's bogus answer passes (left to its target, as AWS)" \
	status NOERROR \
	answer '^www\.fwd\.val\.test\. [0-9]+ IN A 192\.0\.2\.41$'
dig_q -b 127.0.0.2 broken.val.test A
check "dnssec-validation: false (vpc-2): no validation, the data" \
	status NOERROR answer '^broken\.val\.test\. [0-9]+ IN A 192\.0\.2\.99$'
dig_q -b 127.0.0.2 www.expired.val.test A
check "dnssec-validation: false: expired signatures are not checked" \
	status NOERROR answer '192\.0\.2\.30'
dig_v broken.val.test A
check "the other VPC's cached answer is not served to the validating one" \
	status SERVFAIL

# --- the query log and explain say the verdict -------------------------------
# qlog_has NAME VPC VERDICT: a line of the query log for NAME from VPC
# with "dnssec_validation":"VERDICT" (or no such field for "-").
qlog_has()
{
	local line
	line=$(grep "\"vpc_id\":\"$2\"" "$QLOG" 2>/dev/null |
		grep "\"query_name\":\"$1\"" | tail -1)
	if [ "$3" = - ]; then
		[ -n "$line" ] && [[ $line != *dnssec_validation* ]]
	else
		[[ $line == *"\"dnssec_validation\":\"$3\""* ]]
	fi
}
end=$((SECONDS + 20))
until qlog_has www.fwd.val.test. vpc-0e2e0a01 - || [ $SECONDS -ge $end ]; do
	sleep 0.2
done
for c in "www.val.test. vpc-0e2e0a01 secure" \
	"broken.val.test. vpc-0e2e0a01 bogus" \
	"www.insecure.val.test. vpc-0e2e0a01 insecure" \
	"www.fwd.val.test. vpc-0e2e0a01 -" \
	"broken.val.test. vpc-0e2e0a02 -"; do
	# shellcheck disable=SC2086
	if qlog_has $c; then
		pass "query log: $c"
	else
		fail "query log: $c" "$(cat "$QLOG")"
	fi
done
run_cmd "$VPCDNS_BIN" explain -c "$VPCDNS_CONF" --from 127.0.0.1 \
	broken.val.test A
check "explain: the bogus verdict and why" exit 0 \
	output '^dnssec    bogus \(.*broken\.val\.test\. A.*\): validation failed, SERVFAIL'
run_cmd "$VPCDNS_BIN" explain -c "$VPCDNS_CONF" --from 127.0.0.1 \
	www.sub.val.test A
check "explain: secure, with the DS/DNSKEY queries it took" exit 0 \
	output '^dnssec    secure \(3 DS/DNSKEY queries\)'
run_cmd "$VPCDNS_BIN" explain -c "$VPCDNS_CONF" --from 127.0.0.1 \
	www.fwd.val.test A
check "explain: a forward rule's name is not validated" exit 0 \
	output '^dnssec    not validated: a forward rule'

# --- configuration -----------------------------------------------------------
sed "s|$E2E_TMP/anchor.ds|$E2E_TMP/missing.ds|" "$VPCDNS_CONF" \
	>"$E2E_TMP/missing.yaml"
run_cmd "$VPCDNS_BIN" check -c "$E2E_TMP/missing.yaml"
check "a missing trust anchor file is a configuration error" exit 1 \
	output "dnssec-trust-anchors: cannot read trust anchor file"
printf 'val.test. IN A 192.0.2.1\n' >"$E2E_TMP/bad.ds"
sed "s|$E2E_TMP/anchor.ds|$E2E_TMP/bad.ds|" "$VPCDNS_CONF" >"$E2E_TMP/bad.yaml"
run_cmd "$VPCDNS_BIN" check -c "$E2E_TMP/bad.yaml"
check "a trust anchor that is not DS or DNSKEY: file:line" exit 1 \
	output "bad\.ds:1: trust anchor is neither DS nor DNSKEY"

finish
