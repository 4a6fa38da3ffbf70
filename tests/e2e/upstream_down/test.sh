#!/bin/bash
# tests/e2e/upstream_down/test.sh - every upstream failing gives SERVFAIL,
# never silence, within a client's patience (SPEC Part 3); local names keep
# answering meanwhile.  Two daemons: one whose upstreams are closed ports
# (refused at once), one whose upstream swallows queries (timeouts).
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
require_tool dig

CLOSED1=$(free_port)
CLOSED2=$(free_port)
start_vpcdns vpcdns.yaml \
	UPSTREAMS="\"127.0.0.1:$CLOSED1\", \"127.0.0.1:$CLOSED2\""
REFUSED_PORT=$VPCDNS_PORT
REFUSED_PID=$VPCDNS_PID
start_blackhole
start_vpcdns vpcdns.yaml UPSTREAMS="\"127.0.0.1:$BLACKHOLE_PORT\""
SILENT_PORT=$VPCDNS_PORT
SILENT_PID=$VPCDNS_PID

# --- upstreams on closed ports ----------------------------------------------
VPCDNS_PORT=$REFUSED_PORT
VPCDNS_PID=$REFUSED_PID
dig_q +time=8 +tries=1 www.example.test A
check "closed upstream ports: SERVFAIL within 8 s" status SERVFAIL \
	flag ra noflag aa answer_count 0 max_ms 8000
dig_q +tcp +time=8 +tries=1 www.example.test AAAA
check "closed upstream ports, over TCP: SERVFAIL within 8 s" \
	status SERVFAIL answer_count 0 max_ms 8000
dig_q +time=8 +tries=1 www.example.test A
check "closed upstream ports, again: SERVFAIL (not cached as an answer)" \
	status SERVFAIL max_ms 8000
dig_q db.corp.internal A
check "closed upstream ports: local name answers" status NOERROR flag aa \
	answer_set "db.corp.internal. 300 IN A 10.0.1.20"
dig_q nope.corp.internal A
check "closed upstream ports: missing local name is NXDOMAIN" \
	status NXDOMAIN flag aa
dig_q +time=8 +tries=1 docs.corp.internal A
check "closed upstream ports: local CNAME leading out gives SERVFAIL" \
	status SERVFAIL max_ms 8000

# --- an upstream that never answers -------------------------------------------
VPCDNS_PORT=$SILENT_PORT
VPCDNS_PID=$SILENT_PID
bg_out=$E2E_TMP/background-dig.out
t0=${EPOCHREALTIME/./}
timeout 15 dig @127.0.0.1 -p "$VPCDNS_PORT" +time=8 +tries=1 \
	www.example.test A >"$bg_out" 2>&1 &
bg_pid=$!
e2e_track "$bg_pid"
sleep 0.3
dig_q +time=2 db.corp.internal A
check "silent upstream: local name answers while a forward is pending" \
	status NOERROR flag aa answer_set "db.corp.internal. 300 IN A 10.0.1.20" \
	max_ms 1000
dig_q +tcp +time=2 db.corp.internal AAAA
check "silent upstream: local NODATA over TCP while a forward is pending" \
	status NOERROR flag aa answer_count 0 max_ms 1000
e2e_wait_exit "$bg_pid" 15
wait "$bg_pid" 2>/dev/null
E2E_RC=$?
e2e_untrack "$bg_pid"
E2E_MS=$(((${EPOCHREALTIME/./} - t0) / 1000))
E2E_CMD="dig @127.0.0.1 -p $VPCDNS_PORT +time=8 +tries=1 www.example.test A"
E2E_OUT=$(cat "$bg_out")
check "silent upstream: SERVFAIL within 8 s (dig's timeout)" \
	status SERVFAIL flag ra answer_count 0 max_ms 8000

finish
