#!/bin/bash
# tests/e2e/config_errors/test.sh - the configuration and command-line
# contract (SPEC Part 2): `vpcdns check` prints "file:line: message" and
# exits 1 for unknown keys, bad addresses, zone files that do not parse or
# hold records outside the zone, missing zone files; exits 0 with a summary
# for a valid file; the daemon refuses a bad file (1), bad usage is 2, a
# port already in use is 3.
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"

VPCDNS_PORT=$(free_port)
CLOSED=$(free_port)
D=$E2E_SCENARIO_DIR

# make_conf NAME ZONEFILE: $E2E_TMP/NAME from valid.yaml.
make_conf()
{
	e2e_subst valid.yaml "$E2E_TMP/$1" CLOSED="$CLOSED" ZONE="$2"
}

# line_of FILE REGEX: the number of the first line of FILE matching REGEX.
line_of()
{
	grep -n -m1 -E -- "$2" "$1" | cut -d: -f1
}

# re_quote TEXT: TEXT as an extended regex matching itself.
re_quote()
{
	printf '%s' "$1" | sed 's/[][\.*^$+?(){}|]/\\&/g'
}

cd "$E2E_SCENARIO_DIR" || fatal "cd $E2E_SCENARIO_DIR"

# --- a valid file -------------------------------------------------------------
make_conf valid.yaml "$D/corp.internal.zone"
F=$E2E_TMP/valid.yaml
run_cmd "$VPCDNS_BIN" check -c "$F"
check "valid file: check exits 0" exit 0
check "valid file: summary names the VPC and the zone" exit 0 \
	output 'vpc-0e2e0007' output 'corp\.internal' no_output ': error|^[^ ]+:[0-9]+: '

# --- broken files ---------------------------------------------------------------
# expect_conf_error DESC FILE LINE REGEX: check -c FILE exits 1 and prints
# "FILE:LINE: " followed by something matching REGEX (LINE: a regex too).
expect_conf_error()
{
	local desc=$1 file=$2 line=$3 re=$4 conf=${5:-$2}
	run_cmd "$VPCDNS_BIN" check -c "$conf"
	check "$desc" exit 1 output "^$(re_quote "$file"):$line: .*$re"
}

F=$E2E_TMP/unknown_key.yaml
make_conf unknown_key.yaml "$D/corp.internal.zone"
sed -i '5a bogus-key: 1' "$F"
expect_conf_error "unknown key: file:line: message, exit 1" "$F" \
	"$(line_of "$F" '^bogus-key')" 'bogus-key'

F=$E2E_TMP/unknown_nested_key.yaml
make_conf unknown_nested_key.yaml "$D/corp.internal.zone"
sed -i 's/^    region: us-east-1$/    region: us-east-1\n    colour: blue/' "$F"
expect_conf_error "unknown key inside a VPC: file:line: message, exit 1" \
	"$F" "$(line_of "$F" 'colour: blue')" 'colour'

F=$E2E_TMP/bad_listen.yaml
make_conf bad_listen.yaml "$D/corp.internal.zone"
sed -i 's/address: 127\.0\.0\.1/address: 300.1.2.3/' "$F"
expect_conf_error "bad listen address: file:line: message, exit 1" "$F" \
	"$(line_of "$F" '300\.1\.2\.3')" '300\.1\.2\.3'

F=$E2E_TMP/bad_upstream.yaml
make_conf bad_upstream.yaml "$D/corp.internal.zone"
sed -i "s/127\.0\.0\.1:$CLOSED/127.0.0.1:99999/" "$F"
expect_conf_error "bad upstream port: file:line: message, exit 1" "$F" \
	"$(line_of "$F" '99999')" '99999'

F=$E2E_TMP/bad_cidr.yaml
make_conf bad_cidr.yaml "$D/corp.internal.zone"
sed -i 's|10\.0\.0\.0/16|10.0.0.0/33|' "$F"
expect_conf_error "bad CIDR block: file:line: message, exit 1" "$F" \
	"$(line_of "$F" '10\.0\.0\.0/33')" '10\.0\.0\.0/33'

F=$E2E_TMP/duplicate_vpc.yaml
make_conf duplicate_vpc.yaml "$D/corp.internal.zone"
cat >>"$F" <<EOT
  - id: vpc-0e2e0007
    region: us-east-1
    clients: [10.9.0.0/16]
EOT
run_cmd "$VPCDNS_BIN" check -c "$F"
check "duplicate VPC id: file:line: message, exit 1" exit 1 \
	output "^$(re_quote "$F"):[0-9]+: .*vpc-0e2e0007"

# Issue 12: an endpoint's interfaces are in the VPC's subnets, so in the
# VPC's Region, also for a cross-Region service.
F=$E2E_TMP/az_region.yaml
make_conf az_region.yaml "$D/corp.internal.zone"
cat >>"$F" <<EOT
    endpoints:
      - id: vpce-0e2e00000000000a1
        service: com.amazonaws.eu-west-1.sqs
        subnets:
          - {az: us-east-1a, ipv4: 10.0.1.5}
          - {az: eu-west-1a, ipv4: 10.0.2.5}
EOT
expect_conf_error "subnet AZ outside the VPC's Region: file:line, exit 1" \
	"$F" "$(line_of "$F" 'az: eu-west-1a')" \
	"subnets\\[1\\]\\.az: eu-west-1a is not in the VPC's Region us-east-1"

F=$E2E_TMP/yaml_syntax.yaml
make_conf yaml_syntax.yaml "$D/corp.internal.zone"
printf 'cache: {max-entries: 10\n' >>"$F"
run_cmd "$VPCDNS_BIN" check -c "$F"
check "YAML syntax error: file:line: message, exit 1" exit 1 \
	output "^$(re_quote "$F"):[0-9]+: "

F=$E2E_TMP/bad_zone_syntax.yaml
Z=$D/bad-syntax.zone
make_conf bad_zone_syntax.yaml "$Z"
expect_conf_error "zone file that does not parse: zonefile:line, exit 1" \
	"$Z" "$(line_of "$Z" '10\.0\.1\.300')" '' "$F"

F=$E2E_TMP/zone_outside.yaml
Z=$D/outside.zone
make_conf zone_outside.yaml "$Z"
expect_conf_error "zone record outside the zone: zonefile:line, exit 1" \
	"$Z" "$(line_of "$Z" '^www\.example\.com\.')" 'www\.example\.com' "$F"

F=$E2E_TMP/zone_missing.yaml
Z=$E2E_TMP/no-such.zone
make_conf zone_missing.yaml "$Z"
expect_conf_error "missing zone file: file:line naming it, exit 1" \
	"$F" "$(line_of "$F" 'no-such\.zone')" "$(re_quote "$Z")"

F=$E2E_TMP/no-such-config.yaml
run_cmd "$VPCDNS_BIN" check -c "$F"
check "missing configuration file: check exits 1 naming it" exit 1 \
	output "$(re_quote "$F")"

# --- the daemon itself ------------------------------------------------------------
F=$E2E_TMP/unknown_key.yaml
run_cmd "$VPCDNS_BIN" -c "$F"
# (The daemon's log lines may carry a prefix.)
check "daemon refuses to start with a bad file: exit 1, file:line" exit 1 \
	output "$(re_quote "$F"):6: .*bogus-key"
F=$E2E_TMP/bad_zone_syntax.yaml
run_cmd "$VPCDNS_BIN" -c "$F"
check "daemon refuses to start with a bad zone file: exit 1" exit 1 \
	output "$(re_quote "$D/bad-syntax.zone"):[0-9]+: "
run_cmd "$VPCDNS_BIN" -c "$E2E_TMP/no-such-config.yaml"
check "daemon refuses to start without its configuration file: exit 1" \
	exit 1

run_cmd "$VPCDNS_BIN" --no-such-option
check "unknown option: exit 2 with the usage" exit 2 output '[Uu]sage'
run_cmd "$VPCDNS_BIN" -c
check "-c without a file: exit 2" exit 2
run_cmd "$VPCDNS_BIN" check -c "$E2E_TMP/valid.yaml" --bogus
check "check with an unknown option: exit 2" exit 2

# A port another program holds (UDP and TCP): runtime failure, exit 3.
start_blackhole
F=$E2E_TMP/port_in_use.yaml
VPCDNS_PORT=$BLACKHOLE_PORT make_conf port_in_use.yaml "$D/corp.internal.zone"
run_cmd "$VPCDNS_BIN" -c "$F"
check "port already in use: exit 3" exit 3
e2e_stop "$BLACKHOLE_PID"

finish
