#!/bin/bash
# tests/e2e/upstream_faults/test.sh - misbehaving upstreams (SPEC Part 3:
# "every upstream failing gives SERVFAIL, never silence"): scripted fakes
# (tests/tools/fake_upstream.py) that time out, SERVFAIL, REFUSE, answer
# with the wrong ID or for another name (spoofing, also followed by the
# real answer), truncate (TC then TCP), close TCP mid-message, send
# garbage or broken records, or answer slowly.  Two daemons: SINGLE
# forwards to the fake alone, PAIR to the fake then a healthy second fake.
# Every query gets a response within dig's patience (+time=8 +tries=1),
# spoofed data is never served nor cached, and a local name answers
# meanwhile.
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
require_tool dig

# bg_dig TAG PORT DIG-ARGS...: starts dig at 127.0.0.1:PORT in the
# background (+time=8 +tries=1), timing it; bg_result TAG collects it.
declare -A BG_PID BG_CMD
bg_dig()
{
	local tag=$1 port=$2 out=$E2E_TMP/bg.$1
	shift 2
	BG_CMD[$tag]="dig @127.0.0.1 -p $port +time=8 +tries=1 $*"
	(
		t0=${EPOCHREALTIME/./}
		timeout 15 dig @127.0.0.1 -p "$port" +time=8 +tries=1 "$@" \
			>"$out.out" 2>&1
		echo $? >"$out.rc"
		echo $(((${EPOCHREALTIME/./} - t0) / 1000)) >"$out.ms"
	) &
	BG_PID[$tag]=$!
	e2e_track "${BG_PID[$tag]}"
}

# bg_result TAG: waits (bounded) for a bg_dig and makes its output the
# one the checks look at.
bg_result()
{
	local tag=$1 out=$E2E_TMP/bg.$1
	e2e_wait_exit "${BG_PID[$tag]}" 20
	wait "${BG_PID[$tag]}" 2>/dev/null
	e2e_untrack "${BG_PID[$tag]}"
	E2E_CMD=${BG_CMD[$tag]}
	E2E_OUT=$(cat "$out.out" 2>/dev/null)
	E2E_RC=$(cat "$out.rc" 2>/dev/null || echo 124)
	E2E_MS=$(cat "$out.ms" 2>/dev/null || echo 99999)
}

# fake_saw LOGFILE REGEX: how many logged queries match (extended).
fake_saw()
{
	grep -cE -- "$2" "$1" 2>/dev/null || true
}

# await_log LOGFILE REGEX SECS: waits until the fake logged a matching
# query (a forwarded query has reached it), at most SECS seconds.
await_log()
{
	local end=$((SECONDS + $3))
	while [ "$(fake_saw "$1" "$2")" -lt 1 ] && [ $SECONDS -lt $end ]; do
		sleep 0.05
	done
}

# check_log DESC LOGFILE REGEX MIN: the fake logged at least MIN matching
# queries.
check_log()
{
	local n
	n=$(fake_saw "$2" "$3")
	E2E_CMD="grep -E '$3' $(basename "$2")"
	E2E_OUT=$(cat "$2" 2>/dev/null)
	E2E_RC=0
	if [ "${n:-0}" -ge "$4" ]; then
		e2e_report "$1"
	else
		e2e_report "$1" "at least $4 matching queries (saw ${n:-0})"
	fi
}

SPOOF='203\.0\.113\.66'
start_fake primary --answer 192.0.2.1 --spoof-addr 203.0.113.66
P_PORT=$FAKE_PORT
P_LOG=$FAKE_LOG
start_fake secondary --answer 192.0.2.2 --mode normal
S_PORT=$FAKE_PORT
S_LOG=$FAKE_LOG

start_vpcdns vpcdns.yaml UPSTREAMS="\"127.0.0.1:$P_PORT\", \"127.0.0.1:$S_PORT\""
PAIR=$VPCDNS_PORT
PAIR_PID=$VPCDNS_PID
start_vpcdns vpcdns.yaml UPSTREAMS="\"127.0.0.1:$P_PORT\""
SINGLE=$VPCDNS_PORT
SINGLE_PID=$VPCDNS_PID
E2E_ALIVE_ARGS=(db.corp.internal A)

# --- slow failures, in parallel (each about 4.5 s: 1.5 s + 3 s) --------------
bg_dig timeout "$SINGLE" timeout-1.fault.test A
bg_dig timeout_tcp "$SINGLE" +tcp timeout-t.fault.test A
bg_dig wrongid "$SINGLE" wrongid-1.fault.test A
bg_dig wrongq "$SINGLE" wrongq-1.fault.test A
bg_dig garbage "$SINGLE" garbage-1.fault.test A
bg_dig tcpgarbage "$SINGLE" tcpgarbage-1.fault.test A
bg_dig wrongport "$SINGLE" wrongport-1.fault.test A
bg_dig pair_timeout "$PAIR" timeout-2.fault.test A
# The checks below are about answering while these hang: wait until the
# fake has seen each of them (bounded), not for a guessed 0.3 s.
for n in timeout-1 timeout-t wrongid-1 wrongq-1 garbage-1 tcpgarbage-1 \
	wrongport-1 timeout-2; do
	await_log "$P_LOG" " ${n}\\.fault\\.test\\. " 10
done

# --- meanwhile: quick answers ----------------------------------------------
VPCDNS_PORT=$SINGLE
VPCDNS_PID=$SINGLE_PID
dig_q db.corp.internal A
check "local name answers at once while forwarded queries hang" \
	status NOERROR flag aa answer_set "db.corp.internal. 300 IN A 10.0.1.20" \
	max_ms 1000
dig_q +time=8 normal-1.fault.test A
check "normal upstream: the answer, passed through" status NOERROR \
	noflag aa answer_set "normal-1.fault.test. 60 IN A 192.0.2.1" max_ms 1000
dig_q +time=8 servfail-1.fault.test A
check "only upstream answers SERVFAIL: SERVFAIL" status SERVFAIL \
	answer_count 0 max_ms 8000
dig_q +time=8 refused-1.fault.test A
check "only upstream answers REFUSED: SERVFAIL (not REFUSED)" \
	status SERVFAIL answer_count 0 max_ms 8000
dig_q +time=8 wrongidreal-1.fault.test A
check "wrong ID first, then the real answer: the real one" status NOERROR \
	answer_set "wrongidreal-1.fault.test. 60 IN A 192.0.2.1" \
	no_answer "$SPOOF" max_ms 3000
dig_q +time=8 wrongqreal-1.fault.test A
check "answer for another name first (spoof), then the real one: the real one" \
	status NOERROR answer_set "wrongqreal-1.fault.test. 60 IN A 192.0.2.1" \
	no_answer "$SPOOF" max_ms 3000
dig_q +time=8 truncated-1.fault.test A
check "TC over UDP: full answer through the TCP retry (40 records, no TC)" \
	status NOERROR noflag tc answer_count 40 \
	answer '^truncated-1\.fault\.test\. 60 IN A 198\.51\.100\.40$' max_ms 3000
check_log "TC over UDP: the upstream got the TCP retry" "$P_LOG" \
	'^tcp truncated truncated-1\.fault\.test\. 1$' 1
dig_q +time=8 +tcp truncated-2.fault.test A
check "TC over UDP, client on TCP: full answer" status NOERROR noflag tc \
	answer_count 40 max_ms 3000
dig_q +time=8 slow-1.fault.test A
check "upstream answering after 1 s: answered (within c-ares' 1.5 s)" \
	status NOERROR answer_set "slow-1.fault.test. 60 IN A 192.0.2.1" \
	max_ms 2500
dig_q +time=8 badrr-1.fault.test A
check "upstream record with RDLENGTH past the end: SERVFAIL" \
	status SERVFAIL answer_count 0 max_ms 8000
dig_q +time=8 ptrloop-1.fault.test A
check "upstream owner name with a compression loop: SERVFAIL" \
	status SERVFAIL answer_count 0 max_ms 8000
dig_q +time=8 countlie-1.fault.test A
check "upstream ANCOUNT 100 with one record: SERVFAIL" \
	status SERVFAIL answer_count 0 max_ms 8000

VPCDNS_PORT=$PAIR
VPCDNS_PID=$PAIR_PID
dig_q +time=8 servfail-2.fault.test A
check "first upstream SERVFAIL, second healthy: the second's answer" \
	status NOERROR answer_set "servfail-2.fault.test. 60 IN A 192.0.2.2" \
	max_ms 3000
dig_q +time=8 refused-2.fault.test A
check "first upstream REFUSED, second healthy: the second's answer" \
	status NOERROR answer_set "refused-2.fault.test. 60 IN A 192.0.2.2" \
	max_ms 3000
check_log "second upstream was asked after the first's SERVFAIL" "$S_LOG" \
	'^udp normal servfail-2\.fault\.test\. 1$' 1
dig_q +time=8 garbage-2.fault.test A
check "first upstream sends garbage, second healthy: the second's answer" \
	status NOERROR answer_set "garbage-2.fault.test. 60 IN A 192.0.2.2" \
	max_ms 5000

# --- the slow failures ------------------------------------------------------
bg_result timeout
check "upstream never answers: SERVFAIL within ~5 s (1.5 s + 3 s)" \
	status SERVFAIL flag ra answer_count 0 max_ms 6000
check_log "upstream never answers: the query was retried" "$P_LOG" \
	'^udp timeout timeout-1\.fault\.test\. 1$' 2
bg_result timeout_tcp
check "upstream never answers, client on TCP: SERVFAIL within ~5 s" \
	status SERVFAIL answer_count 0 max_ms 6000
bg_result wrongid
check "reply with the wrong ID: ignored, SERVFAIL, spoof not served" \
	status SERVFAIL answer_count 0 no_answer "$SPOOF" max_ms 8000
bg_result wrongq
check "reply for another name (spoof): ignored, SERVFAIL" \
	status SERVFAIL answer_count 0 no_answer "$SPOOF" max_ms 8000
bg_result garbage
check "garbage datagrams from the upstream: SERVFAIL" status SERVFAIL \
	answer_count 0 max_ms 8000
bg_result tcpgarbage
check "TC, then a garbage TCP message: SERVFAIL" status SERVFAIL \
	answer_count 0 max_ms 8000
bg_result wrongport
check "answer from another source port: ignored, SERVFAIL" \
	status SERVFAIL answer_count 0 max_ms 8000
bg_result pair_timeout
check "first upstream silent, second healthy: the second's answer after ~1.5 s" \
	status NOERROR answer_set "timeout-2.fault.test. 60 IN A 192.0.2.2" \
	max_ms 4000

# --- spoofed data is not cached ------------------------------------------------
for port in "$SINGLE" "$PAIR"; do
	VPCDNS_PORT=$port
	dig_q +time=8 poisoned.fault.test A
	check "the spoofed name resolves to its real data (nothing cached from a spoof; daemon port $port)" \
		status NOERROR no_answer "$SPOOF" answer 'IN A 192\.0\.2\.[12]$'
done
VPCDNS_PORT=$SINGLE
VPCDNS_PID=$SINGLE_PID
dig_q +time=8 wrongqreal-1.fault.test A
check "the real answer that followed a spoof is what is cached" \
	status NOERROR no_answer "$SPOOF" answer 'IN A 192\.0\.2\.1$' max_ms 500

# --- TCP closed mid-message ------------------------------------------------
dig_q +time=8 tcpclose-1.fault.test A
check "TC, then TCP closed mid-message: SERVFAIL" status SERVFAIL \
	answer_count 0 max_ms 8000
check_log "TC, then TCP closed mid-message: the TCP retry was made" "$P_LOG" \
	'^tcp tcpclose tcpclose-1\.fault\.test\. 1$' 1
# Another client's query whose TCP connection to the upstream breaks:
# c-ares 1.18 (Debian 12) fails every query it had on that upstream when
# a TCP connection breaks, and the daemon resends such a query once
# (resolver/io/daemon.c, on_upstream()).  A query that breaks the connection
# on every try still takes the waiting ones down with it, so the check is
# the guarantee vpcdns can give with this c-ares: an answer within a
# bounded time, never silence (docs/DESIGN.md, "Forwarding and cache").
bg_dig innocent "$SINGLE" slow-c.fault.test A
await_log "$P_LOG" ' slow-c\.fault\.test\. ' 10
dig_q +time=8 tcpclose-c.fault.test A
check "TCP closed mid-message (while another query waits): SERVFAIL" \
	status SERVFAIL max_ms 8000
bg_result innocent
check "a query waiting on the same upstream still gets a response in bounded time" \
	reply exit 0 max_ms 8000

# --- never silence: every mode at once, UDP and TCP ----------------------------
MODES="normal timeout servfail refused wrongid wrongq wrongidreal wrongqreal
truncated tcpclose garbage tcpgarbage slow badrr ptrloop countlie wrongport"
for m in $MODES; do
	bg_dig "all-u-$m" "$SINGLE" "$m-all.fault.test" A
	bg_dig "all-t-$m" "$SINGLE" +tcp "$m-allt.fault.test" A
	bg_dig "all-p-$m" "$PAIR" "$m-allp.fault.test" A
done
silent=()
n=0
for m in $MODES; do
	for k in u t p; do
		bg_result "all-$k-$m"
		n=$((n + 1))
		if ! a_reply || ! a_max_ms 8000; then
			silent+=("$E2E_CMD: exit $E2E_RC, $E2E_MS ms, rcode '$(rcode_of_output)'")
		fi
	done
done
if [ ${#silent[@]} -eq 0 ]; then
	pass "never silence: all $n concurrent queries (every mode, UDP, TCP, both daemons) answered within 8 s"
else
	fail "never silence: all $n concurrent queries (every mode, UDP, TCP, both daemons) answered within 8 s" \
		"${silent[@]}"
fi

VPCDNS_PORT=$SINGLE
VPCDNS_PID=$SINGLE_PID
alive_check "SINGLE still answers after every fault"
VPCDNS_PORT=$PAIR
VPCDNS_PID=$PAIR_PID
alive_check "PAIR still answers after every fault"

finish
