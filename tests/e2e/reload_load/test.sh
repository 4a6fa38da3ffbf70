#!/bin/bash
# tests/e2e/reload_load/test.sh - reload under load (issue 10): dnsperf
# sends a fixed rate of queries (local zone, endpoint names, forwarded
# names, some of them new to the cache) while the daemon gets 20 SIGHUPs,
# alternating between two zone files; every query must be answered, none
# with SERVFAIL, and every reload must succeed.  The reload loads in a
# worker thread, so the loop thread keeps answering meanwhile.
#
# A load test: timing under valgrind proves nothing, so the valgrind
# stage (VPCDNS_VALGRIND=1) skips it.
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
if [ "${VPCDNS_VALGRIND:-0}" = 1 ]; then
	skip "a load test: timing under valgrind proves nothing (runs in the plain make check stage)"
fi
require_tool dig dnsperf curl

RATE=${RELOAD_LOAD_QPS:-400}
SECONDS_RUN=${RELOAD_LOAD_SECONDS:-20}
RELOADS=20

start_upstream load.test.zone load.test
cp "$E2E_SCENARIO_DIR/corp.internal.zone" "$E2E_TMP/corp.internal.zone"
METRICS=$(free_port) || fatal "a free port for the metrics"
start_vpcdns vpcdns.yaml METRICS="$METRICS"

# The query mix: local, endpoint, and 3,000 distinct forwarded names, so
# the load keeps reaching the upstream after each reload.
qf=$E2E_TMP/queries.txt
{
	for ((i = 0; i < 3000; i++)); do
		echo "db.corp.internal A"
		echo "sqs.us-east-1.amazonaws.com A"
		echo "n$i.load.test A"
		echo "web.corp.internal A"
	done
} >"$qf"

dnsperf -s 127.0.0.1 -p "$VPCDNS_PORT" -d "$qf" -l "$SECONDS_RUN" \
	-Q "$RATE" -t 5 -c 4 >"$E2E_TMP/dnsperf.out" 2>&1 &
perf=$!
e2e_track "$perf"

# 20 reloads spread over the run, each one waited for (bounded).
zone=$E2E_TMP/corp.internal.zone
gap=$(awk -v s="$SECONDS_RUN" -v n="$RELOADS" 'BEGIN { printf "%.2f", (s - 4) / n }')
sleep 1
done_reloads=0
for ((r = 1; r <= RELOADS; r++)); do
	# Alternate serials; the names the load asks stay.
	sed "s/ 1 3600 600/ $((r + 1)) 3600 600/" \
		"$E2E_SCENARIO_DIR/corp.internal.zone" >"$zone.new"
	mv "$zone.new" "$zone"
	kill -HUP "$VPCDNS_PID"
	E2E_LOG_COUNT=$r wait_log 'daemon: reloaded ' 20 && done_reloads=$r
	sleep "$gap"
done
E2E_OUT="$done_reloads of $RELOADS"
E2E_CMD="grep -c 'daemon: reloaded' $VPCDNS_LOGFILE"
check "all $RELOADS reloads were applied" output "^$RELOADS of $RELOADS\$"

if ! e2e_wait_exit "$perf" $((SECONDS_RUN + 30)); then
	fail "dnsperf finished" "$(cat "$E2E_TMP/dnsperf.out")"
fi
wait "$perf"
e2e_untrack "$perf"
E2E_OUT=$(cat "$E2E_TMP/dnsperf.out")
E2E_CMD="dnsperf -l $SECONDS_RUN -Q $RATE -t 5 ($RELOADS SIGHUPs meanwhile)"
sent=$(sed -nE 's/^ *Queries sent: *([0-9]+).*/\1/p' <<<"$E2E_OUT")
check "dnsperf: queries were sent" output 'Queries sent: +[1-9][0-9]*'
check "dnsperf: no query lost during $RELOADS reloads" \
	output 'Queries lost: +0 \(0\.00%\)'
check "dnsperf: no SERVFAIL (only NOERROR answers)" \
	output 'Response codes: +NOERROR [0-9]+ \(100\.00%\)' \
	no_output 'SERVFAIL'
echo "# reload under load: $sent queries at $RATE/s, $RELOADS reloads"
printf '%s\n' "$E2E_OUT" | grep -E 'Queries (sent|completed|lost)|Response codes|Average Latency|Latency StdDev|Queries per second' | sed 's/^/#   /'
E2E_OUT=$(curl -sS --max-time 5 "http://127.0.0.1:$METRICS/metrics")
check "metrics: $RELOADS reloads, no failure" \
	output "^vpcdns_reloads_total $RELOADS\$" \
	output '^vpcdns_reload_failures_total 0$'
finish
