#!/bin/bash
# tests/e2e/upstream_order/test.sh - upstreams are tried in order (SPEC
# Part 3): with the first one down (a closed port), answers come from the
# second, never from the third while the second works; with the second
# stopped too, from the third.
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
require_tool dig

start_upstream example.test.second.zone example.test
SECOND_PORT=$UPSTREAM_PORT
SECOND_PID=$UPSTREAM_PID
start_upstream example.test.third.zone example.test
THIRD_PORT=$UPSTREAM_PORT
start_vpcdns vpcdns.yaml CLOSED="$(free_port)" SECOND="$SECOND_PORT" \
	THIRD="$THIRD_PORT"

for n in 1 2 3 4 5; do
	dig_q +time=8 +tries=1 "name$n.example.test" A
	check "first upstream down: name$n answered by the second upstream" \
		status NOERROR noflag aa max_ms 8000 \
		answer_set "name$n.example.test. 3600 IN A 192.0.2.2"
done
dig_q +tcp +time=8 +tries=1 tcp.example.test A
check "first upstream down, over TCP: answered by the second upstream" \
	status NOERROR max_ms 8000 \
	answer_set "tcp.example.test. 3600 IN A 192.0.2.2"
dig_q +time=8 +tries=1 name1.example.test A
check "repeated name: still the second upstream's answer" status NOERROR \
	answer '^name1\.example\.test\. [0-9]+ IN A 192\.0\.2\.2$' answer_count 1

stop_upstream "$SECOND_PID"
for n in 6 7; do
	dig_q +time=8 +tries=1 "name$n.example.test" A
	check "first two upstreams down: name$n answered by the third" \
		status NOERROR max_ms 8000 \
		answer_set "name$n.example.test. 3600 IN A 192.0.2.3"
done

finish
