#!/bin/bash
# tests/e2e/cache_reload/test.sh - the cache of the running daemon (issues
# 10 and 14): identical queries while one is upstream send one upstream
# query, each client getting its own answer (engine/inflight.h); after a
# SIGHUP the cached answers are still served without asking the upstream
# again, also when the reload renumbered their forwarder group, while a
# name a new zone now covers is answered from the zone (engine/carry.h).
# The upstream is tests/tools/fake_upstream.py, whose query log counts
# what reached it.
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
require_tool dig

# saw REGEX: how many queries the fake logged for that name.
saw()
{
	grep -cE -- " $1 " "$FAKE_LOG" 2>/dev/null || true
}

# check_saw DESC REGEX N: the fake logged exactly N matching queries.
check_saw()
{
	local n
	n=$(saw "$2")
	E2E_CMD="grep -cE ' $2 ' $(basename "$FAKE_LOG")"
	E2E_OUT=$(cat "$FAKE_LOG" 2>/dev/null)
	E2E_RC=0
	if [ "${n:-0}" -eq "$3" ]; then
		e2e_report "$1"
	else
		fail "$1" "the upstream saw $n such queries, expected $3" \
			"$E2E_OUT"
	fi
}

start_fake fake --answer 192.0.2.1 --lifetime 120
start_vpcdns vpcdns.yaml FAKE="$FAKE_PORT"
E2E_ALIVE_ARGS=(www.example.test A)

# Five clients ask a slow name (the fake answers after 1 s) at once:
# one upstream query, five answers, each with its own ID (dig checks).
for i in 1 2 3 4 5; do
	(
		dig @127.0.0.1 -p "$VPCDNS_PORT" +time=8 +tries=1 \
			slow-1.example.test A >"$E2E_TMP/slow.$i" 2>&1
		echo $? >"$E2E_TMP/slow.$i.rc"
	) &
	e2e_track $!
done
for i in 1 2 3 4 5; do
	for ((t = 0; t < 200; t++)); do
		[ -s "$E2E_TMP/slow.$i.rc" ] && break
		sleep 0.05
	done
	E2E_CMD="dig slow-1.example.test A (client $i of 5)"
	E2E_OUT=$(cat "$E2E_TMP/slow.$i")
	E2E_RC=$(cat "$E2E_TMP/slow.$i.rc" 2>/dev/null || echo 124)
	check "coalescing: client $i gets the answer" status NOERROR \
		answer '^slow-1\.example\.test\. [0-9]+ IN A 192\.0\.2\.1$'
done
check_saw "coalescing: five identical queries, one upstream query" \
	'slow-1\.example\.test\.' 1

dig_q www.example.test A
check "before the reload: a public name through the default upstreams" \
	status NOERROR answer '^www\.example\.test\. 60 IN A 192\.0\.2\.1$'
dig_q www.cached.test A
check "before the reload: a name through the cached.test rule" \
	status NOERROR answer '^www\.cached\.test\. 60 IN A 192\.0\.2\.1$'
dig_q www.newzone.test A
check "before the reload: newzone.test is forwarded" status NOERROR \
	noflag aa answer '^www\.newzone\.test\. 60 IN A 192\.0\.2\.1$'
check_saw "before the reload: each name asked once" \
	'(www\.example|www\.cached|www\.newzone)\.test\.' 3

size=$(stat -c %s "$VPCDNS_LOGFILE")
e2e_subst "$E2E_SCENARIO_DIR/vpcdns-2.yaml" "$VPCDNS_CONF" FAKE="$FAKE_PORT"
kill -HUP "$VPCDNS_PID"
# Bounded wait for the reload to be logged.
for ((t = 0; t < 200; t++)); do
	tail -c +"$((size + 1))" "$VPCDNS_LOGFILE" | grep -q 'reloaded' && break
	sleep 0.05
done
E2E_CMD="tail $VPCDNS_LOGFILE"
E2E_OUT=$(tail -c +"$((size + 1))" "$VPCDNS_LOGFILE")
E2E_RC=0
check "SIGHUP: reloaded, the cache carried over" \
	output 'reloaded' output 'cache: kept=3 regrouped=1 gone=0 local=1'

dig_q www.newzone.test A
check "after the reload: the new zone answers its name" status NOERROR \
	flag aa answer_set "www.newzone.test. 300 IN A 10.0.7.7"
dig_q www.example.test A
check "after the reload: the public name from the cache" status NOERROR \
	answer '^www\.example\.test\. [0-9]+ IN A 192\.0\.2\.1$'
dig_q www.cached.test A
check "after the reload: the renumbered rule's name from the cache" \
	status NOERROR answer '^www\.cached\.test\. [0-9]+ IN A 192\.0\.2\.1$'
check_saw "after the reload: no name was asked upstream again" \
	'(www\.example|www\.cached|www\.newzone)\.test\.' 3
dig_q www.first.test A
check "after the reload: the new rule forwards" status NOERROR \
	answer '^www\.first\.test\. 60 IN A 192\.0\.2\.1$'
check_saw "after the reload: the new rule's name went upstream" \
	'www\.first\.test\.' 1

alive_check "after the reload: the daemon keeps answering"
finish
