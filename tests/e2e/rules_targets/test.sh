#!/bin/bash
# tests/e2e/rules_targets/test.sh - forward rule targets (SPEC Part 2,
# conf rules[].targets): a target given as a host name (localhost:PORT)
# works; targets are tried in order, so a rule whose first target never
# answers gets its answer from the second; a rule whose only target never
# answers gives SERVFAIL (never the default upstream's data, never
# silence).  Upstream A (default) answers 192.0.2.x, B 172.16.x; the dead
# target is a blackhole (binds, never answers).
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
require_tool dig

start_upstream public.zone example.com
A_PORT=$UPSTREAM_PORT
start_upstream onprem.zone onprem.example.com onprem2.zone failover.example.com
B_PORT=$UPSTREAM_PORT
start_blackhole ""
start_vpcdns vpcdns.yaml UPSTREAM_A="127.0.0.1:$A_PORT" B_PORT="$B_PORT" \
	DEAD_PORT="$BLACKHOLE_PORT"

dig_q host.onprem.example.com A
check "target localhost:PORT: B's answer" status NOERROR noflag aa \
	answer_count 1 answer '^host\.onprem\.example\.com\. [0-9]+ IN A 172\.16\.0\.10$'
dig_q +tcp host.onprem.example.com A
check "target localhost:PORT over TCP" status NOERROR answer_count 1 \
	answer '^host\.onprem\.example\.com\. [0-9]+ IN A 172\.16\.0\.10$'
dig_q nope.onprem.example.com A
check "target localhost:PORT: B's NXDOMAIN with B's SOA" status NXDOMAIN \
	authority '^onprem\.example\.com\. [0-9]+ IN SOA ns1\.onprem\. '
dig_q +time=10 host.failover.example.com A
check "first target silent: the second (localhost:PORT) answers" \
	status NOERROR answer_count 1 max_ms 9000 \
	answer '^host\.failover\.example\.com\. [0-9]+ IN A 172\.16\.0\.10$'
dig_q +time=12 host.dead.example.com A
check "the only target silent: SERVFAIL, not the default upstream" \
	status SERVFAIL answer_count 0 max_ms 11000

finish
