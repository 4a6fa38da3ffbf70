#!/bin/bash
# tests/e2e/cli_import/test.sh - `vpcdns import describe-vpc-endpoints.json
# describe-network-interfaces.json` (SPEC Part 2) on the AWS CLI samples of
# conf/examples/: it exits 0 with a configuration on stdout that `vpcdns
# check` accepts once a listener and an upstream are added; the daemon run
# on it answers EVERY DnsEntries name of the sample (wildcards through a
# label below them) with the addresses of the endpoint's interfaces from the
# interfaces file (a zonal name: its AZ's address only; AAAA for the
# dualstack endpoint; a CNAME to the regional name for the provider's
# name), computed independently by expect.py from the JSON; the S3 names
# with PrivateDnsOnlyForInboundResolverEndpoint answer so only through the
# inbound listener and are forwarded from inside (SPEC 1.3); names compare
# without case.  Either file may be a pipe (<(...), /dev/stdin) and "-" is
# standard input.  Errors: JSON that does not parse, an unknown
# VpcEndpointType, a missing file: exit 1 naming the file (and the entry),
# nothing on stdout.
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
require_tool dig

EX=$TOP_SRCDIR/conf/examples
EPS=$EX/describe-vpc-endpoints.json
IFS_JSON=$EX/describe-network-interfaces.json
VPC=vpc-0a1b2c3d4e5f60718
if [ ! -r "$EPS" ] || [ ! -r "$IFS_JSON" ]; then
	fatal "the AWS CLI samples exist" "$EPS or $IFS_JSON is missing"
fi

# run_import OUT ARG...: `vpcdns import ARG...` with stdout to OUT; the
# check output (E2E_OUT) is its stderr.
run_import()
{
	local out=$1 t0=${EPOCHREALTIME/./}
	shift
	E2E_CMD="$VPCDNS_BIN import $* >$out"
	timeout 20 "$VPCDNS_BIN" import "$@" >"$out" 2>"$out.err"
	E2E_RC=$?
	E2E_OUT=$(cat "$out.err")
	E2E_MS=$(((${EPOCHREALTIME/./} - t0) / 1000))
}

# re_quote TEXT: TEXT as an extended regex matching itself.
re_quote()
{
	printf '%s' "$1" | sed 's/[][\.*^$+?(){}|]/\\&/g'
}

# --- the import itself --------------------------------------------------------------
OUT=$E2E_TMP/out.yaml
run_import "$OUT" "$EPS" "$IFS_JSON"
check "import of the samples exits 0" exit 0
E2E_OUT=$(cat "$OUT")
check "the output is one VPC with every endpoint of the sample" \
	output "^vpcs:" output "^  - id: $VPC\$" \
	output "id: vpce-0f1e2d3c4b5a69788\$" output "id: vpce-0123abcd4567ef890\$" \
	output "id: vpce-0c0ffee1234567890\$" output "id: vpce-0d4c3b2a190817263\$" \
	output "id: vpce-0e5f6a7b8c9d0e1f2\$" no_output '^ *clients:'
check "the instance's interface (InterfaceType interface) is ignored" \
	no_output '10\.0\.1\.100'
run_import "$E2E_TMP/again.yaml" "$EPS" "$IFS_JSON"
if cmp -s "$OUT" "$E2E_TMP/again.yaml"; then
	pass "a second import gives the same output"
else
	fail "a second import gives the same output" \
		"$(diff "$OUT" "$E2E_TMP/again.yaml" | head -40)"
fi
# Pipes: process substitution, /dev/stdin, and "-" for standard input.
# The same YAML as from the files but for the header comment naming them.
body()
{
	grep -v '^#' "$1"
}
run_import "$E2E_TMP/subst.yaml" <(cat "$EPS") <(cat "$IFS_JSON")
check "import <(cat eps.json) <(cat ifs.json): exit 0" exit 0
if [ "$(body "$E2E_TMP/subst.yaml")" = "$(body "$OUT")" ]; then
	pass "import from process substitution: the same configuration"
else
	fail "import from process substitution: the same configuration" \
		"$(diff <(body "$OUT") <(body "$E2E_TMP/subst.yaml") | head -20)"
fi
E2E_CMD="cat eps.json | vpcdns import /dev/stdin ifs.json"
cat "$EPS" | timeout 20 "$VPCDNS_BIN" import /dev/stdin "$IFS_JSON" \
	>"$E2E_TMP/stdin.yaml" 2>"$E2E_TMP/stdin.err"
E2E_RC=$? E2E_OUT=$(cat "$E2E_TMP/stdin.err")
check "cat eps.json | import /dev/stdin ifs.json: exit 0" exit 0
E2E_CMD="cat eps.json | vpcdns import - ifs.json"
cat "$EPS" | timeout 20 "$VPCDNS_BIN" import - "$IFS_JSON" \
	>"$E2E_TMP/dash.yaml" 2>"$E2E_TMP/dash.err"
E2E_RC=$? E2E_OUT=$(cat "$E2E_TMP/dash.err")
check "cat eps.json | import - ifs.json: exit 0" exit 0
if [ "$(body "$E2E_TMP/stdin.yaml")" = "$(body "$OUT")" ] &&
	[ "$(body "$E2E_TMP/dash.yaml")" = "$(body "$OUT")" ]; then
	pass "import from standard input: the same configuration"
else
	fail "import from standard input: the same configuration" \
		"$(diff <(body "$OUT") <(body "$E2E_TMP/dash.yaml") | head -20)"
fi
E2E_CMD="echo '{' | vpcdns import -"
echo '{' | timeout 20 "$VPCDNS_BIN" import - >"$E2E_TMP/bad.yaml" 2>"$E2E_TMP/bad.err"
E2E_RC=$? E2E_OUT=$(cat "$E2E_TMP/bad.err")
check "bad JSON on standard input: exit 1, named <stdin>:LINE" exit 1 \
	output '^<stdin>:[0-9]+: '
run_import "$E2E_TMP/two-dash.yaml" - - </dev/null
check "both files standard input: a usage error, exit 2" exit 2 \
	output 'only one of the two files can be standard input'

run_cmd "$VPCDNS_BIN" check -c "$OUT"
check "vpcdns check accepts the output as it is" exit 0 \
	output "vpc $VPC region us-east-1: .*5 endpoint"

# A listener, the VPC's inbound listener and the nsd upstream, prepended.
start_upstream amazonaws.com.zone amazonaws.com
INBOUND_PORT=$(free_port) || fatal "a free port for the inbound listener"
TMPL=$E2E_TMP/imported.yaml.in
{
	echo "listen:"
	echo "  - {address: 127.0.0.1, port: @PORT@}"
	echo "  - {address: 127.0.0.1, port: @INBOUND@, inbound: $VPC}"
	echo "upstreams: [\"@UPSTREAM@\"]"
	cat "$OUT"
} >"$TMPL"
VPCDNS_PORT=$(free_port)
e2e_subst "$TMPL" "$E2E_TMP/check.yaml" INBOUND="$INBOUND_PORT"
run_cmd "$VPCDNS_BIN" check -c "$E2E_TMP/check.yaml"
check "with listen and upstreams added, vpcdns check passes" exit 0 \
	output "inbound $VPC" output "upstreams 127\\.0\\.0\\.1:$UPSTREAM_PORT"
start_vpcdns "$TMPL" INBOUND="$INBOUND_PORT"
pass "the daemon starts on the imported configuration"
E2E_ALIVE_ARGS=(secretsmanager.us-east-1.amazonaws.com A)

# --- every DnsEntries name ----------------------------------------------------------
EXPECT=$E2E_TMP/expect.tsv
"$E2E_PYTHON" "$E2E_SCENARIO_DIR/expect.py" "$EPS" "$IFS_JSON" >"$EXPECT" ||
	fatal "expect.py reads the samples" "$(cat "$EXPECT")"
N_NAMES=$("$E2E_PYTHON" -c '
import json, sys
print(sum(len(e.get("DnsEntries", [])) for e in json.load(open(sys.argv[1]))["VpcEndpoints"]))
' "$EPS")
N_SEEN=$(cut -f2 "$EXPECT" | sed 's/^e2e-label\./*./' | sort -u | wc -l)
if [ "$N_NAMES" -gt 0 ] && [ "$N_SEEN" = "$N_NAMES" ]; then
	pass "expect.py covers all $N_NAMES DnsEntries names of the sample"
else
	fail "expect.py covers every DnsEntries name" \
		"$N_NAMES names in $EPS, $N_SEEN in $EXPECT"
fi

while IFS=$'\t' read -r view qname type rrs what; do
	case $view in
	inside)
		dig_q "$qname" "$type"
		check "inside: $what: $qname" status NOERROR flag aa \
			answer_set "$(printf '%s' "$rrs" | tr '|' '\n')"
		dig_at "$INBOUND_PORT" "$qname" "$type"
		check "inbound: $what: $qname" status NOERROR flag aa \
			answer_set "$(printf '%s' "$rrs" | tr '|' '\n')"
		;;
	inbound)
		dig_at "$INBOUND_PORT" "$qname" "$type"
		check "inbound: $what: $qname" status NOERROR flag aa \
			answer_set "$(printf '%s' "$rrs" | tr '|' '\n')"
		;;
	public)
		dig_q "$qname" "$type"
		check "inside: $what: $qname is forwarded (public answer)" \
			status NOERROR noflag aa answer_count 1 \
			answer_all "^$(re_quote "$qname")\\. [0-9]+ IN A 203\\.0\\.113\\.[0-9]+\$"
		;;
	esac
done <"$EXPECT"

# IPv4-only endpoints: no AAAA on their names.
for qname in secretsmanager.us-east-1.amazonaws.com \
	vpce-0e5f6a7b8c9d0e1f2-m2n8b4v6-us-east-1a.vpce-svc-0a1b2c3d4e5f6a7b8.us-east-1.vpce.amazonaws.com; do
	dig_q "$qname" AAAA
	check "AAAA of an ipv4 endpoint's name is NODATA: $qname" \
		status NOERROR flag aa answer_count 0 authority ' IN SOA '
done
dig_q vpce-0f1e2d3c4b5a69788-k3m9x2qa-us-east-1c.secretsmanager.us-east-1.vpce.amazonaws.com A
check "zonal name of an AZ without an interface (us-east-1c): NXDOMAIN" \
	status NXDOMAIN flag aa answer_count 0

# --- case ----------------------------------------------------------------------------
# mixed NAME: NAME with every other letter in upper case.
mixed()
{
	printf '%s' "$1" | awk '{
		out = ""; up = 0
		for (i = 1; i <= length($0); i++) {
			c = substr($0, i, 1)
			if (c ~ /[a-z]/) { up = !up; if (up) c = toupper(c) }
			out = out c
		}
		print out }'
}
while IFS=$'\t' read -r view qname type rrs what; do
	case $qname in
	secretsmanager.us-east-1.amazonaws.com | \
	e2e-label.vpce-0c0ffee1234567890-q7wz4n1p-us-east-1b.s3.us-east-1.vpce.amazonaws.com | \
	e2e-label.dkr.ecr.us-east-1.amazonaws.com | api.partner.example.com) ;;
	*) continue ;;
	esac
	if [ "$view" != inside ] || [ "$type" != A ]; then
		continue
	fi
	mq=$(mixed "$qname")
	dig_q "$mq" A
	check "mixed case $mq: same answer, question echoed as sent" \
		status NOERROR flag aa question "$mq. IN A" \
		answer_set "$(printf '%s' "$rrs" | tr '|' '\n')"
done <"$EXPECT"
mq=$(mixed s3-control.us-east-1.amazonaws.com)
dig_at "$INBOUND_PORT" "$mq" A
check "mixed case through the inbound listener: $mq" status NOERROR flag aa \
	question "$mq. IN A" answer_count 2 \
	answer_all '^[Ss]3-[Cc][Oo][Nn][Tt][Rr][Oo][Ll]\.[Uu][Ss]-[Ee][Aa][Ss][Tt]-1\.[Aa][Mm][Aa][Zz][Oo][Nn][Aa][Ww][Ss]\.[Cc][Oo][Mm]\. 60 IN A 10\.0\.[12]\.40$'

alive_check "the daemon still answers"

# --- more inputs ---------------------------------------------------------------------
# JSON variants of the sample, written with python's json module.
variant()
{
	"$E2E_PYTHON" - "$EPS" "$1" "$2" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
eps = d["VpcEndpoints"]
if sys.argv[3] == "glb":
    eps[3]["VpcEndpointType"] = "GatewayLoadBalancer"
elif sys.argv[3] == "gateway-only":
    d["VpcEndpoints"] = [e for e in eps if e["VpcEndpointType"] == "Gateway"]
elif sys.argv[3] == "upper":
    for e in eps:
        for n in e.get("DnsEntries", []):
            n["DnsName"] = n["DnsName"].upper() + "."
elif sys.argv[3] == "two-vpcs":
    eps[0]["VpcId"] = "vpc-0bbbbbbbbbbbbbbbb"
json.dump(d, open(sys.argv[2], "w"), indent=4)
EOF
}

variant "$E2E_TMP/gateway-only.json" gateway-only
run_import "$E2E_TMP/gw.yaml" "$E2E_TMP/gateway-only.json"
check "gateway endpoints only, no interfaces file: exit 0" exit 0
run_cmd "$VPCDNS_BIN" check -c "$E2E_TMP/gw.yaml"
check "... and vpcdns check accepts it" exit 0 \
	output 'endpoint vpce-0123abcd4567ef890 gateway com\.amazonaws\.us-east-1\.s3'

variant "$E2E_TMP/upper.json" upper
run_import "$E2E_TMP/upper.yaml" "$E2E_TMP/upper.json" "$IFS_JSON"
check "DnsEntries in upper case with trailing dots: exit 0" exit 0
if diff <(grep -v '^ *#' "$E2E_TMP/upper.yaml") <(grep -v '^ *#' "$OUT") >/dev/null; then
	pass "... the same configuration as the sample's (comments aside)"
else
	fail "... the same configuration as the sample's (comments aside)" \
		"$(diff <(grep -v '^ *#' "$E2E_TMP/upper.yaml") <(grep -v '^ *#' "$OUT") | head -30)"
fi

variant "$E2E_TMP/two-vpcs.json" two-vpcs
run_import "$E2E_TMP/two.yaml" "$E2E_TMP/two-vpcs.json" "$IFS_JSON"
check "endpoints of two VpcIds: exit 0" exit 0
run_cmd "$VPCDNS_BIN" check -c "$E2E_TMP/two.yaml"
check "... one VPC per VpcId, and vpcdns check accepts it" exit 0 \
	output '^vpc vpc-0bbbbbbbbbbbbbbbb region us-east-1: .*1 endpoint' \
	output "^vpc $VPC region us-east-1: .*4 endpoint"

# --- errors --------------------------------------------------------------------------
# expect_error DESC FILE-REGEX ARG...: import ARG... exits 1, stderr
# matches FILE-REGEX (and E2E_ERR_RE when set), stdout is empty.
expect_error()
{
	local desc=$1 re=$2 out=$E2E_TMP/err.yaml
	shift 2
	run_import "$out" "$@"
	check "$desc" exit 1 output "$re" ${E2E_ERR_RE:+output "$E2E_ERR_RE"} \
		max_ms 5000
	if [ -s "$out" ]; then
		fail "$desc: nothing on stdout" "$(head -20 "$out")"
	fi
}

head -c 1500 "$EPS" >"$E2E_TMP/truncated.json"
expect_error "JSON that does not parse: exit 1 naming the file" \
	"$(re_quote "$E2E_TMP/truncated.json")" "$E2E_TMP/truncated.json" \
	"$IFS_JSON"
printf '{"NetworkInterfaces": [ {"NetworkInterfaceId": ' >"$E2E_TMP/bad-ifs.json"
expect_error "interfaces JSON that does not parse: exit 1 naming that file" \
	"$(re_quote "$E2E_TMP/bad-ifs.json")" "$EPS" "$E2E_TMP/bad-ifs.json"
variant "$E2E_TMP/glb.json" glb
E2E_ERR_RE='(VpcEndpoints\[3\]|vpce-0d4c3b2a190817263).*GatewayLoadBalancer|GatewayLoadBalancer.*(VpcEndpoints\[3\]|vpce-0d4c3b2a190817263)'
expect_error "VpcEndpointType GatewayLoadBalancer: exit 1 naming the file and the entry" \
	"$(re_quote "$E2E_TMP/glb.json")" "$E2E_TMP/glb.json" "$IFS_JSON"
E2E_ERR_RE=
expect_error "missing endpoints file: exit 1 naming it" \
	"$(re_quote "$E2E_TMP/no-such.json")" "$E2E_TMP/no-such.json" "$IFS_JSON"
expect_error "missing interfaces file: exit 1 naming it" \
	"$(re_quote "$E2E_TMP/no-such-ifs.json")" "$EPS" "$E2E_TMP/no-such-ifs.json"
mkdir -p "$E2E_TMP/a-directory.json"
E2E_ERR_RE=
expect_error "a directory instead of the file: exit 1 naming it" \
	"$(re_quote "$E2E_TMP/a-directory.json")" "$E2E_TMP/a-directory.json" \
	"$IFS_JSON"
check "... and the message gives the real cause, not 'Cannot allocate memory'" \
	no_output 'allocate memory|out of memory'
: >"$E2E_TMP/empty.json"
expect_error "an empty file: exit 1 naming it" \
	"$(re_quote "$E2E_TMP/empty.json")" "$E2E_TMP/empty.json"
run_cmd "$VPCDNS_BIN" import
check "import without a file: exit 2 (bad usage)" exit 2

alive_check "the daemon still answers at the end"
finish
