#!/bin/bash
# tests/e2e/cli_quickstart/test.sh - the quick start without a file (SPEC
# Part 2): `vpcdns --endpoint SERVICE=IP,... --upstream ... --listen ...`
# serves one VPC in the endpoints' Region with private DNS on and one AZ
# (a, b, c...) per address, in order: the private DNS names answer the
# addresses (AA, TTL 60), IPv6 addresses give AAAA, a name the managed zone
# does not define is NXDOMAIN, the endpoint's regional and zonal vpce names
# answer (found through the configuration the daemon logs with -d), vpce
# names of other endpoints and every other name go to the upstream (nsd);
# a second endpoint in another Region is a cross-Region one (SPEC 1.5a).
# Bad usage exits 2, a port already taken 3, SIGHUP keeps it serving,
# SIGTERM stops it with 0 (the harness checks that at the end).
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
require_tool dig

R=us-east-1
SM=secretsmanager.$R.amazonaws.com
EP_SM=com.amazonaws.$R.secretsmanager=10.0.1.15,10.0.2.27
EP_DKR=com.amazonaws.$R.ecr.dkr=10.0.1.16
EP_STS=com.amazonaws.$R.sts=10.0.1.30,fd00:10:2::30 # dualstack: a=v4, b=v6
EP_KMS=com.amazonaws.$R.kms=fd00:10:1::40           # IPv6 only
EP_SQS=com.amazonaws.eu-west-1.sqs=10.0.1.60        # cross-Region (SPEC 1.5a)

start_upstream amazonaws.com.zone amazonaws.com
start_vpcdns_args -d --endpoint "$EP_SM" --endpoint "$EP_DKR" \
	--endpoint "$EP_STS" --endpoint "$EP_KMS" --endpoint "$EP_SQS" \
	--upstream @UPSTREAM@ --listen 127.0.0.1:@PORT@
pass "vpcdns --endpoint ... --upstream ... --listen ... starts and answers"
E2E_ALIVE_ARGS=("$SM" A)

# expect_local DESC NAME TYPE ADDR...: NAME/TYPE answers exactly ADDR...
# (TTL 60), authoritatively.
expect_local()
{
	local desc=$1 name=$2 type=$3
	shift 3
	dig_q "$name" "$type"
	check "$desc" status NOERROR flag aa \
		answer_set "$(rrs "$name" "$type" "$@")"
}

# expect_nodata DESC NAME TYPE: NOERROR, no answer, AA, an SOA.
expect_nodata()
{
	dig_q "$2" "$3"
	check "$1" status NOERROR flag aa answer_count 0 authority ' IN SOA '
}

# --- private DNS names (SPEC 1.1, 1.2) -------------------------------------------
expect_local "secretsmanager: both addresses, AA, TTL 60" $SM A \
	10.0.1.15 10.0.2.27
expect_nodata "secretsmanager AAAA (IPv4 addresses only): NODATA" $SM AAAA
expect_local "ecr.dkr: *.dkr.ecr (123456789012.dkr.ecr.$R) answers 10.0.1.16" \
	123456789012.dkr.ecr.$R.amazonaws.com A 10.0.1.16
expect_nodata "ecr.dkr AAAA: NODATA" 123456789012.dkr.ecr.$R.amazonaws.com AAAA
expect_local "IPv4 and IPv6 addresses: sts.$R A" sts.$R.amazonaws.com A \
	10.0.1.30
expect_local "IPv4 and IPv6 addresses: sts.$R AAAA" sts.$R.amazonaws.com \
	AAAA fd00:10:2::30
expect_local "IPv6 address only: kms.$R AAAA" kms.$R.amazonaws.com AAAA \
	fd00:10:1::40
expect_nodata "IPv6 address only: kms.$R A is NODATA" kms.$R.amazonaws.com A
expect_local "a cross-Region endpoint (eu-west-1 sqs): its private name" \
	sqs.eu-west-1.amazonaws.com A 10.0.1.60
dig_q nope.$SM A
check "private DNS is on: a name below $SM is NXDOMAIN, not forwarded" \
	status NXDOMAIN flag aa answer_count 0 authority "^${SM//./\\.}\\. .* IN SOA "
dig_q +tcp SecretsManager.US-EAST-1.AmazonAWS.com A
check "mixed case over TCP: answered, question echoed as sent" \
	status NOERROR flag aa \
	question "SecretsManager.US-EAST-1.AmazonAWS.com. IN A" answer_count 2 \
	answer_ci "^${SM//./\\.}\\. 60 IN A 10\\.0\\.1\\.15\$" \
	answer_ci "^${SM//./\\.}\\. 60 IN A 10\\.0\\.2\\.27\$"

# --- forwarded names --------------------------------------------------------------
expect_public "sts.amazonaws.com (global) is forwarded" sts.amazonaws.com \
	203.0.113.10
expect_public "a service not on the command line (ssm) is forwarded" \
	ssm.$R.amazonaws.com 203.0.113.41
expect_public "a vpce name of an endpoint vpcdns does not know is forwarded" \
	vpce-0123456789abcdef0-zzzz9999.secretsmanager.$R.vpce.amazonaws.com \
	203.0.113.50

# --- the vpce names of the command line's endpoints ----------------------------
# -d logs the configuration built from the command line; `vpcdns check`
# on it names each endpoint's id and DNS suffix.
GEN=$E2E_TMP/cmdline.yaml
sed -n '/configuration from the command line:/,/^$/p' "$VPCDNS_LOGFILE" |
	sed 1d >"$GEN"
run_cmd "$VPCDNS_BIN" check -c "$GEN"
check "the configuration logged with -d is a valid file" exit 0 \
	output "^vpc [^ ]+ region $R: " no_output '^vpc .* region eu-west-1' \
	output " com\\.amazonaws\\.$R\\.secretsmanager suffix [a-z0-9]{8} private-dns on\$" \
	output " com\\.amazonaws\\.$R\\.ecr\\.dkr suffix [a-z0-9]{8} private-dns on\$"
SUMMARY=$E2E_OUT
# endpoint_name SERVICE: "<id>-<suffix>" of SERVICE's endpoint.
endpoint_name()
{
	printf '%s\n' "$SUMMARY" |
		sed -nE "s/^  endpoint (vpce-[0-9a-f]+) interface ${1//./\\.} suffix ([a-z0-9]{8}) .*/\\1-\\2/p" |
		head -n1
}
SM_V=$(endpoint_name com.amazonaws.$R.secretsmanager)
DKR_V=$(endpoint_name com.amazonaws.$R.ecr.dkr)
STS_V=$(endpoint_name com.amazonaws.$R.sts)
SQS_V=$(endpoint_name com.amazonaws.eu-west-1.sqs)
if [ -z "$SM_V" ] || [ -z "$DKR_V" ] || [ -z "$STS_V" ] || [ -z "$SQS_V" ]; then
	fail "the endpoints' ids and suffixes are known" \
		"check -c $GEN printed:" "$SUMMARY" "log:" "$(vpcdns_log | head -40)"
else
	VPCE=secretsmanager.$R.vpce.amazonaws.com
	expect_local "regional vpce name answers both addresses" \
		"$SM_V.$VPCE" A 10.0.1.15 10.0.2.27
	expect_local "zonal name, AZ a (first address)" "$SM_V-${R}a.$VPCE" A \
		10.0.1.15
	expect_local "zonal name, AZ b (second address)" "$SM_V-${R}b.$VPCE" A \
		10.0.2.27
	dig_q "$SM_V-${R}c.$VPCE" A
	check "zonal name of AZ c (no third address): NXDOMAIN" \
		status NXDOMAIN flag aa answer_count 0
	expect_local "ecr.dkr regional vpce name" \
		"$DKR_V.dkr.ecr.$R.vpce.amazonaws.com" A 10.0.1.16
	expect_local "sts zonal name of AZ b (the IPv6 address) AAAA" \
		"$STS_V-${R}b.sts.$R.vpce.amazonaws.com" AAAA fd00:10:2::30
	expect_nodata "sts zonal name of AZ b has no A" \
		"$STS_V-${R}b.sts.$R.vpce.amazonaws.com" A
	expect_local "sts zonal name of AZ a (the IPv4 address) A" \
		"$STS_V-${R}a.sts.$R.vpce.amazonaws.com" A 10.0.1.30
	expect_local "cross-Region endpoint: its regional name, in its Region" \
		"$SQS_V.sqs.eu-west-1.vpce.amazonaws.com" A 10.0.1.60
	dig_q "$SQS_V-${R}a.sqs.eu-west-1.vpce.amazonaws.com" A
	check "cross-Region endpoint: no zonal name (NXDOMAIN)" \
		status NXDOMAIN flag aa answer_count 0
	# Issue 12: its interfaces are in the VPC's subnets, so its AZs are
	# the VPC's (us-east-1a), not the service's Region's.
	if grep -q 'az: eu-west-1' "$GEN"; then
		fail "cross-Region endpoint: the VPC's AZs" \
			"the generated configuration has an eu-west-1 AZ:" \
			"$(cat "$GEN")"
	elif grep -A4 'com.amazonaws.eu-west-1.sqs' "$GEN" |
		grep -q "az: ${R}a, ipv4: \"10.0.1.60\""; then
		pass "cross-Region endpoint: the VPC's AZs (${R}a)"
	else
		fail "cross-Region endpoint: the VPC's AZs" "$(cat "$GEN")"
	fi
fi

# --- signals ---------------------------------------------------------------------------
kill -HUP "$VPCDNS_PID"
wait_log 'reload' 5 || sleep 0.5 # bounded; the log wording is not the contract
alive_check "after SIGHUP (nothing to reload) it still answers"
expect_local "after SIGHUP: the same endpoint addresses" $SM A \
	10.0.1.15 10.0.2.27

# --- bad usage and runtime failures (exit 2 / 3) ---------------------------------------
P=$(free_port)
# usage DESC STATUS ARG...: vpcdns ARG... exits STATUS at once (bounded:
# a daemon that started would be stopped after 5 s and give 124).
usage()
{
	local desc=$1 st=$2
	shift 2
	run_cmd timeout 5 "$VPCDNS_BIN" "$@"
	check "$desc" exit "$st" max_ms 4000
}
usage "--endpoint nonsense: exit 2 (bad usage)" 2 \
	--endpoint nonsense --listen "127.0.0.1:$P"
check "--endpoint nonsense: the message names the argument" output nonsense
# Without --endpoint, --listen and --upstream replace the file's values
# (tests/e2e/sidecar_config); a file that cannot be read is exit 1.
usage "--listen with a file that does not exist: exit 1" 1 \
	-c "$E2E_TMP/none.yaml" --listen "127.0.0.1:$P"
usage "--upstream with a file that does not exist: exit 1" 1 \
	-c "$E2E_TMP/none.yaml" --upstream "127.0.0.1:$UPSTREAM_PORT"
usage "--endpoint without its value: exit 2" 2 --endpoint
usage "--endpoint SERVICE= (no address): exit 2" 2 \
	--endpoint "com.amazonaws.$R.sts=" --listen "127.0.0.1:$P"
usage "--endpoint without SERVICE=: exit 2" 2 --endpoint 10.0.0.5 \
	--listen "127.0.0.1:$P"
usage "--listen that is not ADDR:PORT: exit 2" 2 \
	--endpoint "$EP_SM" --listen not-an-address
usage "a stray operand after --endpoint: exit 2" 2 \
	--endpoint "$EP_SM" --listen "127.0.0.1:$P" stray
usage "an unknown option: exit 2" 2 --endpoint "$EP_SM" --bogus \
	--listen "127.0.0.1:$P"

run_cmd timeout 5 "$VPCDNS_BIN" --endpoint "com.amazonaws.$R.sts=10.0.0.300" \
	--listen "127.0.0.1:$P" --upstream "127.0.0.1:$UPSTREAM_PORT"
case $E2E_RC in
1 | 2)
	check "--endpoint with a bad address: refused (exit 1 or 2), names it" \
		output '10\.0\.0\.300'
	;;
*)
	fail "--endpoint with a bad address: refused (exit 1 or 2), names it" \
		"exit status $E2E_RC of: $E2E_CMD" "$E2E_OUT"
	;;
esac

start_blackhole ""
run_cmd timeout 5 "$VPCDNS_BIN" --endpoint "$EP_SM" \
	--listen "127.0.0.1:$BLACKHOLE_PORT" --upstream "127.0.0.1:$UPSTREAM_PORT"
check "--listen on a port another program holds: exit 3 (runtime failure)" \
	exit 3 max_ms 4000

run_cmd "$VPCDNS_BIN" --help
check "--help lists the quick start, import and export" exit 0 \
	output '--endpoint' output 'import' output 'export'

alive_check "the daemon still answers at the end"
finish
