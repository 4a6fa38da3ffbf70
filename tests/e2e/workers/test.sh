#!/bin/bash
# tests/e2e/workers/test.sh - `workers:` (issue 14): N query loops in
# threads sharing each port (SO_REUSEPORT).  Queries spread over the
# workers and the metrics sum them; one question always reaches the same
# worker (whatever its case or source port), so its cache answers it; a
# reload reaches every worker; a port another program holds, even with
# SO_REUSEPORT, and overlapping listeners still fail at start with exit 3;
# `workers: 1` is the single loop.
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
require_tool dig curl

NAMES=32
ZONE=$E2E_TMP/corp.internal.zone

# write_zone OCTET: h1..h$NAMES.corp.internal A 10.0.OCTET.N.
write_zone()
{
	{
		printf '$ORIGIN corp.internal.\n$TTL 300\n'
		printf '@ IN SOA ns-1536.awsdns-00.co.uk. awsdns-hostmaster.amazon.com. %s 7200 900 1209600 86400\n' "$1"
		for ((i = 1; i <= NAMES; i++)); do
			printf 'h%d IN A 10.0.%s.%d\n' "$i" "$1" "$i"
		done
	} >"$ZONE"
}

metrics()
{
	curl -sS --max-time 5 "http://127.0.0.1:$METRICS/metrics" 2>/dev/null
}

# metric NAME: its value (the sum of its series), -1 when absent.
metric()
{
	metrics | awk -v s="$1" '
		{ n = $1; sub(/\{.*/, "", n) }
		n == s { v += $2; seen = 1 }
		END { print (seen ? v : -1) }'
}

# all_names OCTET: every h<N> answers 10.0.OCTET.N; prints the failures.
all_names()
{
	local bad=0
	for ((i = 1; i <= NAMES; i++)); do
		dig_q "h$i.corp.internal" A
		section ANSWER | grep -qE "^h$i\.corp\.internal\. [0-9]+ IN A 10\.0\.$1\.$i\$" ||
			{ bad=$((bad + 1)); echo "h$i: $(section ANSWER)"; }
	done
	return "$bad"
}

start_upstream example.test.zone example.test
METRICS=$(free_port) || fatal "a free port for the metrics"
write_zone 1
start_vpcdns vpcdns.yaml WORKERS=2 METRICS="$METRICS"

wait_log 'daemon: started .* workers=2$'
run_cmd grep -E 'daemon: started' "$VPCDNS_LOGFILE"
check "workers: 2: the start-up line says so" exit 0 output 'workers=2$'
tasks=$(ls "/proc/$VPCDNS_PID/task" | wc -l)
if [ "$tasks" = 2 ]; then
	pass "workers: 2: two threads (the main loop is worker 0)"
else
	fail "workers: 2: two threads (the main loop is worker 0)" \
		"threads: $tasks"
fi

if out=$(all_names 1); then
	pass "$NAMES local names over UDP, each its own address"
else
	fail "$NAMES local names over UDP, each its own address" "$out"
fi
w0=$(metrics | awk '$1 == "vpcdns_worker_queries_total{worker=\"0\"}" { print $2 }')
w1=$(metrics | awk '$1 == "vpcdns_worker_queries_total{worker=\"1\"}" { print $2 }')
total=$(metric vpcdns_queries_total)
if [ "${w0:-0}" -gt 0 ] && [ "${w1:-0}" -gt 0 ] &&
	[ $((w0 + w1)) = "$total" ] && [ "$total" -ge "$NAMES" ]; then
	pass "both workers answered; vpcdns_queries_total ($total) is their sum"
else
	fail "both workers answered; vpcdns_queries_total ($total) is their sum" \
		"worker 0: $w0, worker 1: $w1" "$(metrics | grep -E '^vpcdns_(worker_)?queries')"
fi

dig_q +tcp h7.corp.internal A
check "over TCP" status NOERROR flag aa \
	answer '^h7\.corp\.internal\. [0-9]+ IN A 10\.0\.1\.7$'

# One question, eight clients (a new source port each), three spellings:
# one upstream query, seven cache hits.
up0=$(metric vpcdns_upstream_queries_total)
hits0=$(metric vpcdns_cache_hits_total)
bad=
for q in www.example.test WWW.example.test www.EXAMPLE.test \
	Www.Example.Test www.example.test WWW.EXAMPLE.TEST www.example.TEST \
	wWw.example.test; do
	dig_q "$q" A
	section ANSWER | grep -qiE '^www\.example\.test\. [0-9]+ IN A 192\.0\.2\.80$' ||
		bad="$bad $q"
done
up=$(( $(metric vpcdns_upstream_queries_total) - up0 ))
hits=$(( $(metric vpcdns_cache_hits_total) - hits0 ))
if [ -z "$bad" ] && [ "$up" = 1 ] && [ "$hits" = 7 ]; then
	pass "one question from 8 source ports in 3 spellings: 1 upstream query, 7 cache hits"
else
	fail "one question from 8 source ports in 3 spellings: 1 upstream query, 7 cache hits" \
		"upstream queries: $up, cache hits: $hits, wrong answers:${bad:- none}"
fi

# A reload reaches every worker: each name has its new address.
write_zone 2
kill -HUP "$VPCDNS_PID"
wait_log 'daemon: reloaded' 20 || fail "the reload is logged" "$(vpcdns_log)"
end=$((SECONDS + 10))
until out=$(all_names 2) || [ $SECONDS -ge $end ]; do
	sleep 0.2
done
if out=$(all_names 2); then
	pass "after SIGHUP every worker answers from the new zone"
else
	fail "after SIGHUP every worker answers from the new zone" "$out"
fi
if [ "$(metric vpcdns_reloads_total)" = 1 ]; then
	pass "vpcdns_reloads_total 1"
else
	fail "vpcdns_reloads_total 1" "$(metric vpcdns_reloads_total)"
fi

e2e_stop "$VPCDNS_PID"
check_stop=$?
if [ "$check_stop" = 0 ]; then
	pass "SIGTERM stops every worker"
else
	fail "SIGTERM stops every worker" "$(vpcdns_log)"
fi
e2e_untrack "$VPCDNS_PID"

# Overlapping listeners are the configuration's error (exit 1) whatever
# the number of workers; a port another program holds fails the start
# (exit 3) as with one loop, even when that program shares it with
# SO_REUSEPORT, and so does a wildcard address another program holds on
# the port.
PORT=$(free_port) || fatal "a free port"
VPCDNS_PORT=$PORT e2e_subst "$E2E_SCENARIO_DIR/overlap.yaml" "$E2E_TMP/overlap.yaml"
run_cmd "$VPCDNS_BIN" -c "$E2E_TMP/overlap.yaml"
check "workers: 2, listeners 127.0.0.1 and 0.0.0.0 on one port: exit 1" \
	exit 1 output '0\.0\.0\.0 port [0-9]+ overlaps 127\.0\.0\.1'

# held ADDRESS [reuseport]: another program holds ADDRESS:$PORT.
held()
{
	PORT=$(free_port) || fatal "a free port"
	"$E2E_PYTHON" "$E2E_SCENARIO_DIR/hold_port.py" "$1" "$PORT" ${2:-} \
		>"$E2E_TMP/hold.out" 2>&1 &
	HOLDER=$!
	e2e_track "$HOLDER"
	local end=$((SECONDS + 10))
	until grep -q ready "$E2E_TMP/hold.out" 2>/dev/null ||
		[ $SECONDS -ge $end ]; do
		sleep 0.1
	done
	VPCDNS_PORT=$PORT e2e_subst "$E2E_SCENARIO_DIR/held.yaml" \
		"$E2E_TMP/held.yaml"
	run_cmd "$VPCDNS_BIN" -c "$E2E_TMP/held.yaml"
	e2e_stop "$HOLDER"
	e2e_untrack "$HOLDER"
}
held 127.0.0.1 reuseport
check "workers: 2, the port held by a program with SO_REUSEPORT: exit 3" \
	exit 3 output "cannot listen on udp 127\.0\.0\.1:$PORT"
held 0.0.0.0
check "workers: 2, 0.0.0.0 on the port held by another program: exit 3" \
	exit 3 output "cannot listen on udp 127\.0\.0\.1:$PORT"

# workers: 1 is the single loop of before.
write_zone 1
start_vpcdns vpcdns.yaml WORKERS=1 METRICS="$METRICS"
wait_log 'daemon: started .* workers=1$'
tasks=$(ls "/proc/$VPCDNS_PID/task" | wc -l)
if [ "$tasks" = 1 ]; then
	pass "workers: 1: one thread"
else
	fail "workers: 1: one thread" "threads: $tasks"
fi
if out=$(all_names 1); then
	pass "workers: 1: the local names answer"
else
	fail "workers: 1: the local names answer" "$out"
fi

finish
