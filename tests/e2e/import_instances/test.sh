#!/bin/bash
# tests/e2e/import_instances/test.sh - `vpcdns import --instances
# describe-instances.json` (issue 12) on the AWS CLI sample of
# conf/examples/: the instances fill their VPC's `instances:` list, the
# daemon run on the output answers the resource names (A and AAAA as
# PrivateDnsNameOptions say), the ip- names, the PTR of the IPv4 and IPv6
# addresses and the public DNS name, with dig; a terminated instance is
# left out with a comment; combined with the endpoint samples the
# instances join the endpoints' VPC; bad JSON is exit 1 naming the file.
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
require_tool dig

EX=$TOP_SRCDIR/conf/examples
INS=$EX/describe-instances.json
VPC=vpc-0a1b2c3d4e5f60718
[ -r "$INS" ] || fatal "the AWS CLI sample exists" "$INS is missing"

# run_import OUT ARG...: `vpcdns import ARG...`, stdout to OUT, stderr
# in E2E_OUT.
run_import()
{
	local out=$1
	shift
	E2E_CMD="$VPCDNS_BIN import $* >$out"
	timeout 20 "$VPCDNS_BIN" import "$@" >"$out" 2>"$out.err"
	E2E_RC=$?
	E2E_OUT=$(cat "$out.err")
}

OUT=$E2E_TMP/out.yaml
run_import "$OUT" --instances "$INS"
check "import --instances exits 0" exit 0
E2E_OUT=$(cat "$OUT")
check "one VPC with the running instances, the terminated one left out" \
	output "^  - id: $VPC\$" output '^    region: us-east-1 ' \
	output '^      - id: i-0123456789abcdef0$' \
	output '^      - id: i-0aaaaaaaaaaaaaaa1$' \
	output '^      - id: i-0bbbbbbbbbbbbbbb2$' \
	output "i-0ccccccccccccccc3: not imported: State is 'terminated'" \
	output '^        hostname-type: resource-name$' \
	output '^        public-ipv4: 54\.1\.2\.3$' no_output '^ *endpoints:'

start_upstream amazonaws.com.zone amazonaws.com
TMPL=$E2E_TMP/imported.yaml.in
{
	echo "listen:"
	echo "  - {address: 127.0.0.1, port: @PORT@}"
	echo "upstreams: [\"@UPSTREAM@\"]"
	cat "$OUT"
} >"$TMPL"
start_vpcdns "$TMPL"
pass "the daemon starts on the imported configuration"
E2E_ALIVE_ARGS=(i-0123456789abcdef0.ec2.internal A)

# expect_local DESC NAME TYPE VALUE...: exactly these records, AA.
expect_local()
{
	local desc=$1 name=$2 type=$3
	shift 3
	dig_q "$name" "$type"
	check "$desc" status NOERROR flag aa \
		answer_set "$(rrs "$name" "$type" "$@")"
}

expect_local "resource name A (EnableResourceNameDnsARecord)" \
	i-0123456789abcdef0.ec2.internal A 10.0.1.50
expect_local "resource name AAAA (the network interface's IPv6 address)" \
	i-0123456789abcdef0.ec2.internal AAAA 2600:1f18:aa:bb01::50
expect_local "PTR of its IPv4: the resource name" \
	50.1.0.10.in-addr.arpa PTR i-0123456789abcdef0.ec2.internal.
expect_local "PTR of its IPv6: the resource name" \
	0.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.b.b.a.a.0.0.8.1.f.1.0.0.6.2.ip6.arpa PTR \
	i-0123456789abcdef0.ec2.internal.
expect_local "its public DNS name answers the private address inside" \
	ec2-54-1-2-3.compute-1.amazonaws.com A 10.0.1.50
expect_local "an ip-name instance: its ip- name" ip-10-0-2-60.ec2.internal A \
	10.0.2.60
expect_local "an ip-name instance: the PTR names ip-10-0-2-60" \
	60.2.0.10.in-addr.arpa PTR ip-10-0-2-60.ec2.internal.
dig_q i-0aaaaaaaaaaaaaaa1.ec2.internal A
check "an ip-name instance has no resource-name A record" \
	status NXDOMAIN flag aa answer_count 0
expect_local "an IPv6-only instance: its resource name AAAA (Ipv6Address)" \
	i-0bbbbbbbbbbbbbbb2.ec2.internal AAAA 2600:1f18:aa:bb02::70
dig_q i-0bbbbbbbbbbbbbbb2.ec2.internal A
check "an IPv6-only instance: no A (NODATA)" status NOERROR flag aa \
	answer_count 0

# --- together with the endpoint samples ---------------------------------------------
run_import "$E2E_TMP/all.yaml" "$EX/describe-vpc-endpoints.json" \
	"$EX/describe-network-interfaces.json" --instances "$INS"
check "import ENDPOINTS INTERFACES --instances INSTANCES: exit 0" exit 0
run_cmd "$VPCDNS_BIN" check -c "$E2E_TMP/all.yaml"
check "one VPC with the endpoints and the instances" exit 0 \
	output "vpc $VPC region us-east-1: .*5 endpoint"
E2E_OUT="$(grep -c '^  - id: vpc-' "$E2E_TMP/all.yaml") VPC
$(cat "$E2E_TMP/all.yaml")"
check "the instances are in the endpoints' VPC" output '^1 VPC$' \
	output '^    instances:$' output '^    endpoints:$'

# --- errors ---------------------------------------------------------------------------
printf '{"Reservations": [\n' >"$E2E_TMP/bad.json"
run_import "$E2E_TMP/bad.out" --instances "$E2E_TMP/bad.json"
check "JSON that does not parse: exit 1 naming the file" exit 1 \
	output "$E2E_TMP/bad\\.json:[0-9]+: .*not valid JSON"
run_import "$E2E_TMP/none.out" --instances "$E2E_TMP/no-such.json"
check "a missing file: exit 1 naming it" exit 1 output 'no-such\.json'

alive_check "the daemon still answers at the end"
finish
