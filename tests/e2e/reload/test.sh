#!/bin/bash
# tests/e2e/reload/test.sh - SIGHUP reloads atomically; a bad configuration
# or zone file on reload is refused and the running data keeps answering;
# SIGTERM stops cleanly (SPEC Part 2, Signals).
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
require_tool dig

ZONE=$E2E_TMP/reload.internal.zone
CLOSED=127.0.0.1:$(free_port)
cp "$E2E_SCENARIO_DIR/reload.internal.zone.1" "$ZONE"
start_vpcdns vpcdns.yaml CLOSED="$CLOSED"
E2E_ALIVE_ARGS=(old.reload.internal A)

# hup: sends SIGHUP and waits (bounded) until the daemon has logged about
# it, then a little more.
hup()
{
	local size i
	size=$(stat -c %s "$VPCDNS_LOGFILE")
	kill -HUP "$VPCDNS_PID"
	for ((i = 0; i < 50; i++)); do
		[ "$(stat -c %s "$VPCDNS_LOGFILE")" -gt "$size" ] && break
		sleep 0.1
	done
	sleep 0.3
}

# poll REGEX DIG-ARGS...: queries until an answer record matches REGEX,
# at most 10 s; the last output stays for the check that follows.
poll()
{
	local re=$1 end=$((SECONDS + 10))
	shift
	while :; do
		dig_q "$@"
		section ANSWER | grep -qE -- "$re" && return 0
		[ $SECONDS -lt $end ] || return 1
		sleep 0.2
	done
}

dig_q old.reload.internal A
check "before reload: old answers" status NOERROR flag aa \
	answer_set "old.reload.internal. 60 IN A 10.0.0.1"
dig_q new.reload.internal A
check "before reload: new is NXDOMAIN" status NXDOMAIN flag aa
dig_q reload.internal SOA
check "before reload: serial 1" status NOERROR \
	answer '^reload\.internal\. 60 IN SOA .* 1 7200 900 1209600 60$'

# A changed zone file.
cp "$E2E_SCENARIO_DIR/reload.internal.zone.2" "$ZONE"
kill -HUP "$VPCDNS_PID"
poll '10\.0\.0\.2$' new.reload.internal A
check "after SIGHUP: the new record answers" status NOERROR flag aa \
	answer_set "new.reload.internal. 60 IN A 10.0.0.2"
dig_q old.reload.internal A
check "after SIGHUP: the changed record has its new address" \
	status NOERROR answer_set "old.reload.internal. 60 IN A 10.0.0.11"
dig_q reload.internal SOA
check "after SIGHUP: serial 2" status NOERROR \
	answer '^reload\.internal\. 60 IN SOA .* 2 7200 900 1209600 60$'

# A changed configuration: a second zone.
e2e_subst "$E2E_SCENARIO_DIR/vpcdns-two-zones.yaml" "$VPCDNS_CONF" \
	CLOSED="$CLOSED"
kill -HUP "$VPCDNS_PID"
poll '10\.0\.5\.5$' extra.internal A
check "after SIGHUP with a new configuration: the added zone answers" \
	status NOERROR flag aa answer_set "extra.internal. 60 IN A 10.0.5.5"
dig_q new.reload.internal A
check "after the configuration reload: the first zone still answers" \
	status NOERROR answer_set "new.reload.internal. 60 IN A 10.0.0.2"

# A broken configuration: refused, the running data stays.
good_conf=$(cat "$VPCDNS_CONF")
printf 'bogus-key: 1\n' >>"$VPCDNS_CONF"
bad_line=$(grep -n '^bogus-key' "$VPCDNS_CONF" | cut -d: -f1)
hup
if e2e_alive "$VPCDNS_PID"; then
	pass "broken configuration on SIGHUP: the daemon keeps running"
else
	wait "$VPCDNS_PID"
	fail "broken configuration on SIGHUP: the daemon keeps running" \
		"it exited with status $?" "$(tail -n 20 "$VPCDNS_LOGFILE")"
	finish
fi
dig_q new.reload.internal A
check "broken configuration: old answers still served" status NOERROR \
	flag aa answer_set "new.reload.internal. 60 IN A 10.0.0.2"
dig_q extra.internal A
check "broken configuration: the added zone still served" status NOERROR \
	answer_set "extra.internal. 60 IN A 10.0.5.5"
E2E_CMD="cat $VPCDNS_LOGFILE"
E2E_OUT=$(vpcdns_log)
E2E_RC=0
check "broken configuration: the log names file:line" \
	output "$VPCDNS_CONF:$bad_line: .*bogus-key"

# A broken zone file: refused too.
printf '%s\n' "$good_conf" >"$VPCDNS_CONF"
cp "$E2E_SCENARIO_DIR/reload.internal.zone.broken" "$ZONE"
hup
alive_check "broken zone file on SIGHUP: the daemon keeps answering"
dig_q new.reload.internal A
check "broken zone file: old answers still served" status NOERROR \
	flag aa answer_set "new.reload.internal. 60 IN A 10.0.0.2"
dig_q reload.internal SOA
check "broken zone file: still serial 2" status NOERROR \
	answer '^reload\.internal\. 60 IN SOA .* 2 7200 900 1209600 60$'

# Fixed again: the next SIGHUP takes it.
cp "$E2E_SCENARIO_DIR/reload.internal.zone.3" "$ZONE"
kill -HUP "$VPCDNS_PID"
poll '10\.0\.0\.3$' new.reload.internal A
check "after fixing the zone and SIGHUP: the new data answers" \
	status NOERROR flag aa answer_set "new.reload.internal. 60 IN A 10.0.0.3"

# Many reloads in a row while queries run.
for i in 1 2 3 4 5; do
	kill -HUP "$VPCDNS_PID"
	dig_q old.reload.internal A >/dev/null
done
sleep 0.3
alive_check "five SIGHUPs in a row: still answering"

# SIGTERM: exit 0, bounded.
pid=$VPCDNS_PID
if e2e_stop "$pid" TERM 10; then
	if [ "$E2E_STOP_STATUS" = 0 ]; then
		pass "SIGTERM: exits 0 within 10 s"
	else
		fail "SIGTERM: exits 0 within 10 s" \
			"exit status $E2E_STOP_STATUS" "$(tail -n 20 "$VPCDNS_LOGFILE")"
	fi
else
	fail "SIGTERM: exits 0 within 10 s" "still running after 10 s (killed)" \
		"$(tail -n 20 "$VPCDNS_LOGFILE")"
fi
e2e_check_sanitizers "$VPCDNS_LOGFILE"

finish
