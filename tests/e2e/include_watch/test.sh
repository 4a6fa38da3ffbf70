#!/bin/bash
# tests/e2e/include_watch/test.sh - watch: true follows include: (issue
# 15): a snippet dropped into the included directory, or a change to one
# already there, is picked up without a signal; a broken snippet is
# refused and the running configuration stays.
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
require_tool dig

mkdir -p "$E2E_TMP/conf.d"
cat >"$E2E_TMP/conf.d/10-a.yaml" <<EOT
vpcs:
  - id: vpc-0e2e8001
    region: us-east-1
    clients: [127.0.0.1/32]
    hosted-zones:
      - {name: a.internal, file: "$E2E_SCENARIO_DIR/a.zone"}
EOT
start_upstream example.test.zone example.test
start_vpcdns vpcdns.yaml

# poll_answer REGEX DIG-ARGS...: waits (10 s at most) until the answer
# matches REGEX.
poll_answer()
{
	local re=$1 end=$((SECONDS + 10))
	shift
	while [ $SECONDS -le $end ]; do
		dig_q "$@"
		printf '%s\n' "$E2E_OUT" | grep -qE "$re" && return 0
		sleep 0.2
	done
	return 0
}

dig_q db.a.internal A
check "the snippet's zone answers" status NOERROR flag aa \
	answer '^db\.a\.internal\. 300 IN A 10\.1\.0\.1$'
dig_q -b 127.0.0.2 db.b.internal A
check "a zone no snippet has yet: not local" noflag aa no_answer '10\.2\.0\.1'

# A new snippet: a second VPC with its own zone, no signal sent.
cat >"$E2E_TMP/conf.d/20-b.yaml.tmp" <<EOT
vpcs:
  - id: vpc-0e2e8002
    region: us-east-1
    clients: [127.0.0.2/32]
    hosted-zones:
      - {name: b.internal, file: "$E2E_SCENARIO_DIR/b.zone"}
EOT
mv "$E2E_TMP/conf.d/20-b.yaml.tmp" "$E2E_TMP/conf.d/20-b.yaml"
poll_answer '10\.2\.0\.1' -b 127.0.0.2 db.b.internal A
check "a snippet dropped into the directory is picked up (watch)" \
	status NOERROR flag aa answer '^db\.b\.internal\. 300 IN A 10\.2\.0\.1$'
run_cmd grep -c 'reloaded' "$VPCDNS_LOGFILE"
check "it was a reload, without SIGHUP" exit 0 output '^[1-9]'

# A broken snippet: refused with file:line, the running data stays.
printf 'vpcs:\n  - id: not-a-vpc-id\n' >"$E2E_TMP/conf.d/30-bad.yaml"
E2E_LOG_COUNT=1 wait_log '30-bad\.yaml:2' 10
run_cmd cat "$VPCDNS_LOGFILE"
check "a broken snippet is refused with its file:line" output '30-bad\.yaml:2'
dig_q -b 127.0.0.2 db.b.internal A
check "the running configuration stays" status NOERROR \
	answer '^db\.b\.internal\. 300 IN A 10\.2\.0\.1$'

finish
