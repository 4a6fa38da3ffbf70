#!/bin/bash
# tests/e2e/process/test.sh - the daemon as a service (issue 10): the
# sd_notify protocol (READY=1 once listening, RELOADING=1/READY=1 around
# a reload, STOPPING=1) to a stand-in notification socket; a SIGHUP while
# the configuration is still loading at start-up does not kill it;
# SIGUSR1 is ignored; --user drops root; --log-format json; with IPv6
# off, the default listeners keep 127.0.0.1 alone.
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
# Its checks wait for signals, reloads and notify messages in bounded
# time, and under valgrind the PID is valgrind's (its SigCgt is not the
# daemon's): like the load tests it runs in the plain stage only.
if [ "${VPCDNS_VALGRIND:-0}" = 1 ]; then
	skip_machine "signal and reload timing is checked without valgrind (VPCDNS_VALGRIND=1); the plain and ASan stages run this test"
fi
require_tool dig

# A zone large enough that loading it takes a moment.
"$E2E_PYTHON" - "$E2E_TMP/big.internal.zone" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("$ORIGIN big.internal.\n$TTL 60\n")
    f.write("@ IN SOA ns admin 1 3600 600 86400 60\n IN NS ns\nns IN A 10.0.0.1\n")
    for i in range(150000):
        f.write("h%d IN A 10.%d.%d.%d\n" % (i, (i >> 16) & 255, (i >> 8) & 255, i & 255))
PY

NOTIFY_OUT=$E2E_TMP/notify.log
${E2E_LAUNCH[@]+"${E2E_LAUNCH[@]}"} "$E2E_PYTHON" \
	"$E2E_SCENARIO_DIR/notify-listen.py" "$E2E_TMP/notify.sock" "$NOTIFY_OUT" &
e2e_track $!
for ((i = 0; i < 100; i++)); do
	[ -S "$E2E_TMP/notify.sock" ] && break
	sleep 0.05
done
[ -S "$E2E_TMP/notify.sock" ] || fatal "the stand-in notification socket is up"

# wait_notify REGEX: waits (bounded) until the notify log matches.
wait_notify()
{
	local end=$((SECONDS + 60))
	while [ $SECONDS -le $end ]; do
		grep -qE -- "$1" "$NOTIFY_OUT" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# --- start-up: SIGHUP while loading, then READY=1 ---------------------------------
PORT=$(free_port) || fatal "a free port"
CLOSED=$(free_port) || fatal "a free port"
METRICS=$(free_port) || fatal "a free port"
VPCDNS_PORT=$PORT
e2e_subst "$E2E_SCENARIO_DIR/vpcdns.yaml" "$E2E_TMP/vpcdns.yaml" \
	CLOSED="$CLOSED" METRICS="$METRICS"
LOG=$E2E_TMP/vpcdns.log
NOTIFY_SOCKET=$E2E_TMP/notify.sock ${E2E_LAUNCH[@]+"${E2E_LAUNCH[@]}"} \
	${E2E_VALGRIND[@]+"${E2E_VALGRIND[@]}" "--log-file=$LOG.valgrind"} \
	"$VPCDNS_BIN" -c "$E2E_TMP/vpcdns.yaml" 2>>"$LOG" &
VPCDNS_PID=$!
VPCDNS_LOGFILE=$LOG
e2e_track "$VPCDNS_PID" "$LOG"
E2E_VPCDNS_PIDS+=("$VPCDNS_PID")
# The handlers go in before the load, so wait until they are there
# (SigCgt shows SIGHUP, bit 1) and send SIGHUP before serving starts.
for ((i = 0; i < 200; i++)); do
	cgt=$(awk '/^SigCgt:/ { print $2 }' "/proc/$VPCDNS_PID/status" 2>/dev/null)
	[ -n "$cgt" ] && (((16#$cgt >> 0) & 1)) && break
	sleep 0.01
done
early=no
grep -q 'daemon: started' "$LOG" || early=yes
kill -HUP "$VPCDNS_PID"
if e2e_wait_answer "$PORT" "$VPCDNS_PID" 30; then
	pass "SIGHUP during start-up (before serving: $early): the daemon survives and serves"
else
	fatal "SIGHUP during start-up: the daemon survives and serves" \
		"$(cat "$LOG")"
fi
dig_q h12345.big.internal A
check "the large zone answers" status NOERROR answer 'IN A 10\.0\.48\.57$'
wait_notify '^READY=1' && pass "READY=1 sent once listening" ||
	fail "READY=1 sent once listening" "$(cat "$NOTIFY_OUT")"
# Bounds are generous: a reload of the 150,000-name zone takes tens of
# seconds under ASan on a loaded machine; each wait ends when it matches.
E2E_LOG_COUNT=1 wait_log 'daemon: reloaded ' 120 &&
	pass "the early SIGHUP is handled as a reload once serving" ||
	fail "the early SIGHUP is handled as a reload" "$(cat "$LOG")"

# --- reload: RELOADING=1 then READY=1 --------------------------------------------
kill -HUP "$VPCDNS_PID"
E2E_LOG_COUNT=2 wait_log 'daemon: reloaded ' 120 ||
	fail "the second SIGHUP reloads" "$(cat "$LOG")"
wait_notify 'RELOADING=1'
E2E_OUT=$(cat "$NOTIFY_OUT")
E2E_CMD="cat notify.log"
n_reload=$(grep -c '^RELOADING=1' "$NOTIFY_OUT")
n_ready=$(grep -c '^READY=1' "$NOTIFY_OUT")
check "notify: READY=1, then RELOADING=1 and READY=1 around each reload" \
	output '^READY=1' output '^RELOADING=1'
[ "$n_ready" -ge 3 ] && [ "$n_reload" -ge 2 ] &&
	pass "notify: $n_reload RELOADING=1, $n_ready READY=1" ||
	fail "notify: two reloads, three READY=1" "$E2E_OUT"

# --- SIGUSR1 is ignored ------------------------------------------------------------
kill -USR1 "$VPCDNS_PID"
wait_log 'SIGUSR1 ignored' 10 && pass "SIGUSR1 is logged and ignored" ||
	fail "SIGUSR1 is logged" "$(cat "$LOG")"
alive_check_args=(ns.big.internal A)
E2E_ALIVE_ARGS=("${alive_check_args[@]}")
alive_check "still serving after SIGUSR1"

# --- SIGTERM: STOPPING=1, exit 0 ------------------------------------------------------
e2e_stop "$VPCDNS_PID" TERM 60
st=$E2E_STOP_STATUS
E2E_OUT="exit status $st"
check "SIGTERM: exit status 0" output '^exit status 0$'
wait_notify '^STOPPING=1' && pass "STOPPING=1 sent on SIGTERM" ||
	fail "STOPPING=1 sent on SIGTERM" "$(cat "$NOTIFY_OUT")"
e2e_check_sanitizers "$LOG"
e2e_check_valgrind "$LOG"

# --- --log-format json -----------------------------------------------------------------
start_vpcdns_args --endpoint com.amazonaws.us-east-1.sqs=10.0.1.10 \
	--listen 127.0.0.1:@PORT@ --log-format json
run_cmd "$E2E_PYTHON" -c '
import json, sys
for line in open(sys.argv[1]):
    o = json.loads(line)
    assert set(o) == {"time", "level", "message"}, o
    print(o["level"], o["message"])
' "$VPCDNS_LOGFILE"
check "--log-format json: every line is a JSON object with time, level, message" \
	exit 0 output '^notice daemon: started'
e2e_stop "$VPCDNS_PID" TERM 10

# --- --user drops root -----------------------------------------------------------
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
	start_vpcdns_args --endpoint com.amazonaws.us-east-1.sqs=10.0.1.10 \
		--listen 127.0.0.1:@PORT@ --user nobody
	E2E_OUT=$(grep -E '^(Uid|Gid|CapEff|CapPrm):' "/proc/$VPCDNS_PID/status")
	E2E_CMD="grep Uid|Gid|Cap /proc/$VPCDNS_PID/status"
	check "--user nobody: uid and gid are nobody's, no capability left" \
		output "^Uid:[[:space:]]+$(id -u nobody)[[:space:]]+$(id -u nobody)[[:space:]]+$(id -u nobody)" \
		output '^CapEff:[[:space:]]+0+$' output '^CapPrm:[[:space:]]+0+$'
	expect_local "--user nobody: still answers" sqs.us-east-1.amazonaws.com A 10.0.1.10
	e2e_stop "$VPCDNS_PID" TERM 10
	E2E_OUT="exit status $E2E_STOP_STATUS"
	check "--user nobody: exits 0 on SIGTERM" output '^exit status 0$'
else
	echo "# --user not tested: needs root and a user nobody"
fi
run_cmd "$VPCDNS_BIN" --endpoint com.amazonaws.us-east-1.sqs=10.0.1.10 \
	--listen "127.0.0.1:$PORT" --user no-such-user-here
check "--user with an unknown user: refused, named" exit 2 \
	output 'no-such-user-here: no such user'

# --- IPv6 off: the default listeners keep 127.0.0.1 -----------------------------------
if [ "$(id -u)" = 0 ] && unshare -n true 2>/dev/null && command -v ip >/dev/null; then
	e2e_subst "$E2E_SCENARIO_DIR/defaults.yaml" "$E2E_TMP/defaults.yaml"
	run_cmd unshare -n "$BASH" -c '
		ip link set lo up
		sysctl -qw net.ipv6.conf.all.disable_ipv6=1
		sysctl -qw net.ipv6.conf.lo.disable_ipv6=1
		"$1" -c "$2" 2>"$3" &
		pid=$!
		for i in $(seq 100); do
			dig @127.0.0.1 +time=1 +tries=1 ns.small.internal A 2>/dev/null |
				grep -q "status: NOERROR" && break
			sleep 0.1
		done
		dig @127.0.0.1 +time=1 +tries=1 ns.small.internal A
		kill -TERM "$pid"
		wait "$pid"
		echo "exit status $?"
		cat "$3"' _ "$VPCDNS_BIN" "$E2E_TMP/defaults.yaml" "$E2E_TMP/v6off.log"
	check "IPv6 off: default listeners start on 127.0.0.1 alone, with a warning" \
		output 'status: NOERROR' output 'IPv6 is not available here, listening on 127\.0\.0\.1 only' \
		output 'listening on 127\.0\.0\.1:53' no_output 'listening on \[::1\]' \
		output '^exit status 0$'
else
	echo "# IPv6-off listeners not tested: needs root and unshare -n"
fi
finish
