#!/bin/bash
# tests/e2e/dnsdist_backend/test.sh - what a vpcdns replica behind dnsdist
# does (issue 15): a proxy-protocol listener takes the client address
# from the PROXY v2 header for views and allow-query, over UDP and TCP,
# accepts dnsdist's LOCAL health checks, and drops or closes everything
# else (no header, a broken one, one from an untrusted source); the VPCs
# come from an include directory, where a dropped snippet is picked up on
# SIGHUP and a bad one is refused with its file and line.  Runs under
# valgrind too (no timing in it); dnsdist_failover adds dnsdist itself.
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
require_tool dig
require_dnspython

LOAD=$E2E_DIR/dnsdist_failover/dnsload.py
PPORT=$(free_port) || fatal "free port"
UPORT=$(free_port) || fatal "free port"
CLOSED=127.0.0.1:$(free_port)
mkdir -p "$E2E_TMP/conf.d"
cp "$E2E_SCENARIO_DIR"/10-a.yaml "$E2E_SCENARIO_DIR"/20-b.yaml \
	"$E2E_SCENARIO_DIR"/[abc].zone "$E2E_TMP/conf.d/"
start_vpcdns vpcdns.yaml PPORT="$PPORT" UPORT="$UPORT" CLOSED="$CLOSED"
E2E_ALIVE_ARGS=(-b 127.0.0.2 who.svc.internal A)

ask()
{
	run_cmd "$E2E_PYTHON" "$LOAD" ask "$@" --timeout 1
}

# The view follows the header's address, over UDP and TCP.
ask "$PPORT" 127.0.0.1 who.svc.internal --proxy 127.0.0.2
check "UDP, header names 127.0.0.2: VPC A's view" output "NOERROR 10.0.0.2"
ask "$PPORT" 127.0.0.1 who.svc.internal --proxy 127.0.0.3
check "UDP, header names 127.0.0.3: VPC B's view" output "NOERROR 10.1.0.3"
ask "$PPORT" 127.0.0.1 who.svc.internal --proxy 127.0.0.3 --tcp
check "TCP, header names 127.0.0.3: VPC B's view" output "NOERROR 10.1.0.3"
ask "$PPORT" 127.0.0.2 who.svc.internal --proxy 127.0.0.2
check "a valid header from 127.0.0.2 (not in proxy-from): dropped" \
	output "TIMEOUT"

# allow-query applies to the header's address.
ask "$PPORT" 127.0.0.1 who.svc.internal --proxy 192.0.2.1
check "header names 192.0.2.1, outside allow-query: REFUSED" output "REFUSED"

# dnsdist's health checks: LOCAL, answered for the balancer itself.
ask "$PPORT" 127.0.0.1 vpce-0a0a0a0a0a0a0a0a0-hcheck01.sts.us-east-1.vpce.amazonaws.com --local
check "LOCAL header (health check): answered as 127.0.0.1" \
	output "NOERROR 10.0.0.9"
ask "$PPORT" 127.0.0.1 who.svc.internal --local --tcp
check "LOCAL header over TCP: outside view, forwarded to a dead upstream" \
	output "SERVFAIL"

# Whatever is not a trusted header gets nothing.
ask "$PPORT" 127.0.0.2 who.svc.internal
check "UDP without a header: dropped" output "TIMEOUT"
ask "$PPORT" 127.0.0.2 who.svc.internal --tcp
check "TCP without a header: closed" output "CLOSED"
for m in version family v1; do
	ask "$PPORT" 127.0.0.1 who.svc.internal --proxy 127.0.0.2 --mangle "$m"
	check "UDP, broken header ($m): dropped" output "TIMEOUT"
	ask "$PPORT" 127.0.0.1 who.svc.internal --proxy 127.0.0.2 --mangle "$m" --tcp
	check "TCP, broken header ($m): closed" output "CLOSED"
done
ask "$UPORT" 127.0.0.1 who.svc.internal --proxy 127.0.0.2
check "UDP, valid header from an untrusted source: dropped" output "TIMEOUT"
ask "$UPORT" 127.0.0.1 who.svc.internal --proxy 127.0.0.2 --tcp
check "TCP, valid header from an untrusted source: closed" output "CLOSED"

# The plain listener is unaffected.
dig_q -b 127.0.0.2 who.svc.internal A
check "plain listener from 127.0.0.2: VPC A's view" status NOERROR \
	answer_set "who.svc.internal. 60 IN A 10.0.0.2"
alive_check "after the bad headers"

# include: a dropped snippet is read on SIGHUP.
ask "$PPORT" 127.0.0.1 who.svc.internal --proxy 127.0.0.4
check "before the snippet: 127.0.0.4 is in no VPC (forwarded, SERVFAIL)" \
	output "SERVFAIL"
cp "$E2E_SCENARIO_DIR/30-c.yaml" "$E2E_TMP/conf.d/"
E2E_LOG_COUNT=1
kill -HUP "$VPCDNS_PID"
wait_log 'daemon: reloaded vpcs=3' 10 ||
	fail "the reload with the new snippet is logged" "$(vpcdns_log)"
ask "$PPORT" 127.0.0.1 who.svc.internal --proxy 127.0.0.4
check "after SIGHUP: the dropped snippet's VPC answers 127.0.0.4" \
	output "NOERROR 10.2.0.4"

# A snippet repeating a VPC id: the reload is refused, with both places.
cp "$E2E_SCENARIO_DIR/40-dup.yaml" "$E2E_TMP/conf.d/"
kill -HUP "$VPCDNS_PID"
wait_log 'reload rejected' 10 ||
	fail "the reload with a duplicate VPC id is rejected" "$(vpcdns_log)"
E2E_OUT=$(vpcdns_log)
E2E_CMD="the daemon's log"
check "the rejection names the snippet, its line and the first place" \
	output "conf.d/40-dup.yaml:3: vpcs\[3\]\.id: duplicate VPC id vpc-0b0b0b0b \(first at $E2E_TMP/conf.d/20-b.yaml:2\)"
ask "$PPORT" 127.0.0.1 who.svc.internal --proxy 127.0.0.4
check "the running configuration still answers 127.0.0.4" \
	output "NOERROR 10.2.0.4"

finish
