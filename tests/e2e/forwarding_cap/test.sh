#!/bin/bash
# tests/e2e/forwarding_cap/test.sh - `forwarding.max-in-flight` (conf/
# README.md): with one forwarded query waiting on an upstream that never
# answers, the next query that needs the upstream gets SERVFAIL at once,
# counts in vpcdns_upstream_rejected_total, and is in the query log like
# every other answer (resolver/io/daemon.c reply(): every answer goes
# through rate limiting, the counters and the query log).
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
require_tool dig curl

start_blackhole
UPSTREAM_PORT=$BLACKHOLE_PORT
METRICS=$(free_port) || fatal "a free port for the metrics"
start_vpcdns vpcdns.yaml METRICS="$METRICS"
QLOG=$E2E_TMP/query.log

# metric NAME: its value in /metrics (-1 when absent or unreachable).
metric()
{
	curl -sS --max-time 5 "http://127.0.0.1:$METRICS/metrics" 2>/dev/null |
		awk -v s="$1" '$1 == s { v = $2 } END { print (v == "" ? -1 : v + 0) }'
}

# wait_metric NAME VALUE: polls /metrics for up to 10 s.
wait_metric()
{
	local end=$((SECONDS + 10))
	while [ $SECONDS -le $end ]; do
		[ "$(metric "$1")" = "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

# 1. A query that waits on the blackhole (in the background, 15 s at most).
dig @127.0.0.1 -p "$VPCDNS_PORT" +time=15 +tries=1 first.example.net A \
	>"$E2E_TMP/first.out" 2>&1 &
FIRST=$!
e2e_track "$FIRST"
if wait_metric vpcdns_upstream_inflight 1; then
	pass "the first query is in flight upstream"
else
	fatal "the first query is in flight upstream" \
		"vpcdns_upstream_inflight: $(metric vpcdns_upstream_inflight)"
fi

# 2. The next one is over the cap: SERVFAIL without waiting on anything.
SP=$(free_port) || fatal "a free source port"
run_cmd dig @127.0.0.1 -p "$VPCDNS_PORT" -b "127.0.0.1#$SP" +time=5 \
	+tries=1 second.example.net A
check "over max-in-flight: SERVFAIL" reply status SERVFAIL
if wait_metric vpcdns_upstream_rejected_total 1; then
	pass "vpcdns_upstream_rejected_total counts it"
else
	fail "vpcdns_upstream_rejected_total counts it" \
		"value: $(metric vpcdns_upstream_rejected_total)"
fi

# 3. Its query log line, like that of any answer.
end=$((SECONDS + 10))
while [ $SECONDS -le $end ]; do
	grep -q "\"srcport\":\"$SP\"" "$QLOG" 2>/dev/null && break
	sleep 0.1
done
run_cmd grep "\"srcport\":\"$SP\"" "$QLOG"
check "the rejected query is in the query log" exit 0 \
	output '"query_name":"second\.example\.net\."' \
	output '"rcode":"SERVFAIL"' output '"vpc_id":"vpc-0e2e9201"'

finish
