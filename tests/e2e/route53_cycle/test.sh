#!/bin/bash
# tests/e2e/route53_cycle/test.sh - `vpcdns check` refuses an alias cycle
# and an alias to a missing record of its own zone, naming the file and
# the record set (issue 11); the daemon does not start on them.
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"

run_cmd "$VPCDNS_BIN" check -c "$E2E_SCENARIO_DIR/vpcdns.yaml"
check "check refuses the configuration" exit 1 \
	output 'cycle\.json:2: ResourceRecordSets\[0\] \(a\.loop\.internal A\): alias cycle' \
	output 'cycle\.json:4: ResourceRecordSets\[1\] \(b\.loop\.internal A\): alias cycle' \
	output 'cycle\.json:6: ResourceRecordSets\[2\] \(c\.loop\.internal A\): alias target gone\.loop\.internal\. does not exist in the zone'
run_cmd timeout 20 "$VPCDNS_BIN" -c "$E2E_SCENARIO_DIR/vpcdns.yaml"
check "the daemon refuses to start (exit 1)" exit 1 output 'alias cycle'
finish
