#!/bin/bash
# tests/e2e/profile_priority/test.sh - several profiles per VPC with
# priorities (AWS profiles-vpc-update-priority): the lower priority is
# evaluated first whatever the order written, plain names keep the order
# written; explain names the rule's profile; bad priorities are errors.
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
require_tool dig

start_upstream a.zone onprem.test
A=$UPSTREAM_PORT
start_upstream b.zone onprem.test
B=$UPSTREAM_PORT
start_vpcdns vpcdns.yaml A="$A" B="$B"

dig_q -b 127.0.0.2 host.onprem.test A
check "priority 100 (a) wins over 200 (b), written second" status NOERROR \
	answer '^host\.onprem\.test\. [0-9]+ IN A 198\.51\.100\.1$'
dig_q -b 127.0.0.3 host.onprem.test A
check "plain names: the order written (b first)" status NOERROR \
	answer '^host\.onprem\.test\. [0-9]+ IN A 198\.51\.100\.2$'
run_cmd "$VPCDNS_BIN" explain -c "$VPCDNS_CONF" --from 127.0.0.2 \
	host.onprem.test A
check "explain: the rule that decided, asked of a's target" exit 0 \
	output "127\\.0\\.0\\.1:$A"

sed 's/priority: 200/priority: 100/' "$VPCDNS_CONF" >"$E2E_TMP/dup.yaml"
run_cmd "$VPCDNS_BIN" check -c "$E2E_TMP/dup.yaml"
check "two profiles at one priority: a configuration error" exit 1 \
	output 'dup\.yaml:[0-9]+: vpcs\[0\]\.profiles\[1\]: priority 100 is taken by profile .b.'
sed 's/priority: 200/priority: 99/' "$VPCDNS_CONF" >"$E2E_TMP/low.yaml"
run_cmd "$VPCDNS_BIN" check -c "$E2E_TMP/low.yaml"
check "priority 99: out of range (100..9900)" exit 1 \
	output 'low\.yaml:[0-9]+: vpcs\[0\]\.profiles\[0\]\.priority'

finish
