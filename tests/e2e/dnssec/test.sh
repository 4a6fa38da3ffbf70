#!/bin/bash
# tests/e2e/dnssec/test.sh - DNSSEC as the VPC Resolver does it (AWS
# resolver-dnssec-validation; docs/aws-behaviour.md): DO and CD are
# ignored, no DNSSEC record (RRSIG, NSEC, NSEC3, DS, DNSKEY unless asked
# for) reaches the client and AD is never set, whether the upstream is a
# signed zone on nsd (asked without DO) or an upstream that sends
# signatures and AD to everyone.  `dnssec-validation: true` is tested by
# tests/e2e/dnssec_validation.
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
require_tool dig kdig ldns-keygen ldns-signzone

# --- a zone signed here: a KSK and a ZSK, ECDSA P-256 ----------------------
Z=$E2E_TMP/zone
mkdir -p "$Z"
cp "$E2E_SCENARIO_DIR/signed.test.zone" "$Z/signed.test.zone"
(
	cd "$Z" || exit 1
	ksk=$(ldns-keygen -k -a ECDSAP256SHA256 signed.test) &&
		zsk=$(ldns-keygen -a ECDSAP256SHA256 signed.test) &&
		ldns-signzone -n signed.test.zone "$ksk" "$zsk"
) >"$E2E_TMP/sign.log" 2>&1 || fatal "sign the zone" "$(cat "$E2E_TMP/sign.log")"
[ -s "$Z/signed.test.zone.signed" ] || fatal "sign the zone" "no signed file"
start_upstream "$Z/signed.test.zone.signed" signed.test

# --- an upstream that signs whatever it is asked ------------------------------
FAKE=$TOP_SRCDIR/tests/tools/fake_upstream.py
FAKE_LOG=$E2E_TMP/fake.queries
for attempt in 1 2 3; do
	FAKE_PORT=$(free_port) || fatal "start fake" "no free port"
	rm -f "$E2E_TMP/fake.ready"
	${E2E_LAUNCH[@]+"${E2E_LAUNCH[@]}"} "$E2E_PYTHON" "$FAKE" \
		--port "$FAKE_PORT" --ready "$E2E_TMP/fake.ready" \
		--log "$FAKE_LOG" --mode signed --answer 192.0.2.7 \
		--lifetime 120 2>>"$E2E_TMP/fake.stderr" &
	FAKE_PID=$!
	e2e_track "$FAKE_PID"
	for ((i = 0; i < 100; i++)); do
		[ -s "$E2E_TMP/fake.ready" ] && break
		e2e_alive "$FAKE_PID" || break
		sleep 0.05
	done
	[ -s "$E2E_TMP/fake.ready" ] && break
	e2e_stop "$FAKE_PID" TERM 2
done
[ -s "$E2E_TMP/fake.ready" ] || fatal "start fake upstream" \
	"$(cat "$E2E_TMP/fake.stderr")"

start_vpcdns vpcdns.yaml FAKE="$FAKE_PORT"

# --- the zone is signed: nsd itself answers RRSIG and NSEC to +dnssec --------
dig_at "$UPSTREAM_PORT" +norec +dnssec www.signed.test A
check "nsd serves the signed zone (RRSIG with +dnssec)" status NOERROR \
	answer '^www\.signed\.test\. 300 IN RRSIG A 13 3 300 '
dig_at "$UPSTREAM_PORT" +norec +dnssec nope.signed.test A
check "nsd proves the NXDOMAIN with NSEC3 (signed with -n)" status NXDOMAIN \
	authority ' IN NSEC3 '

# --- through vpcdns: no DNSSEC records, no AD ---------------------------------
for opts in "+dnssec" "+dnssec +cd" "+adflag" "+nodnssec" "+dnssec +tcp"; do
	# shellcheck disable=SC2086
	dig_q $opts www.signed.test A
	check "A with $opts: the address only, no RRSIG, no AD" status NOERROR \
		noflag ad answer_count 1 \
		answer '^www\.signed\.test\. [0-9]+ IN A 192\.0\.2\.80$' \
		no_answer 'RRSIG'
done
dig_q +dnssec alias.signed.test A
check "CNAME chain with +dnssec: CNAME and A, no RRSIG" status NOERROR \
	noflag ad answer_count 2 no_answer 'RRSIG'
dig_q +dnssec nope.signed.test A
check "NXDOMAIN with +dnssec: the SOA, no NSEC, no RRSIG" status NXDOMAIN \
	noflag ad authority_count 1 authority ' IN SOA ' \
	no_authority 'NSEC' no_authority 'RRSIG'
dig_q +dnssec www.signed.test TXT
check "NODATA with +dnssec: no NSEC" status NOERROR noflag ad \
	answer_count 0 no_authority 'NSEC'
dig_q +dnssec signed.test DNSKEY
check "DNSKEY asked for explicitly: the keys, not their RRSIGs" \
	status NOERROR noflag ad answer_count 2 \
	answer_all ' IN DNSKEY ' no_answer 'RRSIG'
dig_q +dnssec www.signed.test A
check "DO is still echoed in the OPT (RFC 3225)" status NOERROR \
	opt 'flags: do;'

# --- an upstream that sends DNSSEC data and AD unasked ------------------------
dig_q +dnssec www.fake.test A
check "signatures from the upstream are stripped, AD cleared" \
	status NOERROR noflag ad answer_count 1 authority_count 0 \
	answer '^www\.fake\.test\. 60 IN A 192\.0\.2\.7$' no_answer RRSIG
kdig_q +dnssec w2.fake.test A
check "kdig +dnssec: no RRSIG, no AD" output 'status: NOERROR' \
	no_output 'RRSIG' no_output 'flags:.* ad'
if grep -q ' www\.fake\.test\. 1$' "$FAKE_LOG"; then
	pass "the signing upstream was asked (the answer came from it)"
else
	fail "the signing upstream was asked" "$(cat "$FAKE_LOG")"
fi

# --- dnssec-validation: true (tests/e2e/dnssec_validation) --------------------
# Without dnssec-trust-anchors the root key of dns-root-data is the anchor.
sed 's/dnssec-validation: false/dnssec-validation: true/' \
	"$VPCDNS_CONF" >"$E2E_TMP/validate.yaml"
run_cmd "$VPCDNS_BIN" check -c "$E2E_TMP/validate.yaml"
check "dnssec-validation: true is accepted, the root key read" exit 0 \
	output 'validate\.yaml: ok'

finish
