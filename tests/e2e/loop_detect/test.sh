#!/bin/bash
# tests/e2e/loop_detect/test.sh - the daemon never forwards to itself
# (issue 10): a resolv.conf naming its own listener (vpcdns installed as
# the host's resolver) is caught at load, and two resolvers forwarding to
# each other are caught at run time by the loop probe.  Either way
# forwarded names get SERVFAIL at once, local names still answer, the
# log says which target was dropped, and the number of upstream queries
# stays small (no storm).
#
# The first part needs port 53 and its own /etc/resolv.conf, so the whole
# scenario runs in a new network and mount namespace (unshare -mn, as
# root); it skips where the machine cannot make one.
if [ -z "${E2E_IN_NETNS:-}" ]; then
	if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null 2>&1 &&
		unshare -mn true 2>/dev/null; then
		E2E_IN_NETNS=1 exec unshare -mn "$0" "$@"
	fi
	echo "SKIP: loop_detect: needs root and unshare -mn (a network namespace)"
	exit 77
fi
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
require_tool dig curl ip mount
ip link set lo up || fatal "bring up lo in the namespace"

# metric PORT SERIES: one value of the /metrics of the daemon there.
metric()
{
	curl -sS --max-time 5 "http://127.0.0.1:$1/metrics" | tr -d '\r' |
		awk -v s="$2" '$1 == s { v = $2 } END { print (v == "" ? 0 : v) }'
}

# --- 1. resolv.conf points at the daemon itself ----------------------------
printf '# vpcdns is the host resolver\nnameserver 127.0.0.1\n' >"$E2E_TMP/resolv.conf"
mount --bind "$E2E_TMP/resolv.conf" /etc/resolv.conf ||
	fatal "bind-mount a resolv.conf in the namespace"
M1=$(free_port) || fatal "a free port for the metrics"
start_vpcdns self.yaml METRICS="$M1"
E2E_OUT=$(vpcdns_log)
E2E_CMD="cat $VPCDNS_LOGFILE"
check "load: the resolv.conf nameserver that is our listener is dropped, and logged" \
	output 'loop: resolv.conf nameserver target 127\.0\.0\.1:53 is this daemon.s own listener 127\.0\.0\.1:53: dropped' \
	output 'started .*upstreams=0 \(from /etc/resolv.conf, none left'
echo "# log line: $(grep -m1 'loop:' "$VPCDNS_LOGFILE")"
dig_q +time=5 www.example.net A
check "a forwarded name gets SERVFAIL" status SERVFAIL reply
dig_q @127.0.0.1 -p 53 +time=5 www.example.net A
check "also through the port-53 listener" status SERVFAIL
dig_q db.corp.internal A
check "local names still answer" status NOERROR flag aa \
	answer 'db\.corp\.internal\. 60 IN A 10\.0\.0\.10'
n=$(metric "$M1" vpcdns_upstream_queries_total)
E2E_OUT="vpcdns_upstream_queries_total $n"
check "no query went upstream" output '^vpcdns_upstream_queries_total 0$'
stop_self=$VPCDNS_PID
e2e_stop "$stop_self" TERM 10 || fail "the self-loop daemon stops on SIGTERM"

# --- 2. two resolvers forwarding to each other -------------------------------
SECOND=$(free_port) || fatal "a free port for A's second listener"
MB=$(free_port) || fatal "a free port for B's metrics"
start_vpcdns peer-b.yaml PEER="$SECOND" METRICS="$MB"
B_PORT=$VPCDNS_PORT
B_LOG=$VPCDNS_LOGFILE
MA=$(free_port) || fatal "a free port for A's metrics"
start_vpcdns peer-a.yaml PEER="$B_PORT" SECOND="$SECOND" METRICS="$MA"
if wait_log 'loop: upstream target 127\.0\.0\.1:'"$B_PORT"' forwards back to this daemon' 20; then
	pass "run time: A's probe came back through B; A dropped B"
	echo "# log line: $(grep -m1 'loop:' "$VPCDNS_LOGFILE")"
else
	fail "run time: A logs the loop through B" "$(vpcdns_log)" \
		"B's log:" "$(cat "$B_LOG")"
fi
dig_q +time=5 www.example.net A
check "A: a forwarded name gets SERVFAIL" status SERVFAIL reply
dig_at "$B_PORT" +time=5 www.example.net A
check "B: a forwarded name gets SERVFAIL (A no longer forwards it back)" \
	status SERVFAIL reply
dig_q db.corp.internal A
check "A: local names still answer" status NOERROR flag aa \
	answer 'db\.corp\.internal\. 60 IN A 10\.0\.0\.10'
dig_at "$B_PORT" +time=5 db.corp.internal A
check "B: A's local names answer through B" status NOERROR \
	answer 'db\.corp\.internal\. [0-9]+ IN A 10\.0\.0\.10'
# A storm would be thousands of upstream queries a second; a handful of
# queries and probes is all this scenario sends.
na=$(metric "$MA" vpcdns_upstream_queries_total)
nb=$(metric "$MB" vpcdns_upstream_queries_total)
E2E_OUT="A: $na upstream queries, B: $nb"
E2E_CMD="curl /metrics of A and B"
if [ "${na%.*}" -lt 50 ] && [ "${nb%.*}" -lt 50 ]; then
	pass "no storm: $E2E_OUT"
else
	fail "no storm: fewer than 50 upstream queries each" "$E2E_OUT"
fi
n=$(metric "$MA" vpcdns_upstream_loops_total)
E2E_OUT="vpcdns_upstream_loops_total $n"
check "A counts the dropped loop" output 'vpcdns_upstream_loops_total 1$'
finish
