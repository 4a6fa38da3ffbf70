#!/bin/bash
# tests/e2e/limits/test.sh - the two rate limits (conf/README.md
# `rate-limit`, `simulate-aws-limits`; resolver/io/daemon.c reply() and
# on_query()).
#
# Response rate limiting: a UDP answer of at least min-size bytes to a
# source that is neither loopback nor in a VPC's clients or cidr-blocks,
# beyond responses-per-second per /24, goes out as the question alone with
# TC set (and counts in vpcdns_rrl_truncated_total); VPC clients,
# loopback, TCP and answers below min-size are never limited;
# responses-per-second 0 turns it off.  Every 127/8 source is loopback,
# so the scenario runs in a private network namespace (`unshare -n`, or
# `unshare -r -n` when not root) where 192.0.2.1 (the daemon) and
# 198.51.100.7-9, 203.0.113.7 (clients) are put on its own lo; nothing
# outside the namespace is touched.  Without a namespace only the checks
# that need no such source run.
#
# simulate-aws-limits: a client address's packets beyond 1,024 per second
# are dropped unanswered (vpcdns_aws_limit_dropped_total); another address
# has its own budget; off (the default), the same number of queries is all
# answered.  How buckets refill (after a silence, per /24 or address) is
# checked without real time in tests/replay/rate_limit.rpl and
# aws_limits.rpl.
#
# The clients are limits.py (python3 and dnspython).

# Into a private network namespace first (the same PID: unshare execs).
# E2E_LIMITS_NETNS=0 in the environment runs without one.
# Without `ip` (iproute2, scripts/deps.sh) the namespace is still entered,
# so the scenario skips as a missing package instead of quietly leaving out
# the checks from non-local sources.
if [ -z "${E2E_LIMITS_NETNS:-}" ] && command -v unshare >/dev/null 2>&1; then
	for e2e_opts in "-n" "-r -n"; do
		# shellcheck disable=SC2086
		if unshare $e2e_opts true 2>/dev/null; then
			E2E_LIMITS_NETNS=1 exec unshare $e2e_opts -- "$0" "$@"
		fi
	done
fi

# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
require_tool dig curl
require_dnspython

NETNS=0
if [ "${E2E_LIMITS_NETNS:-}" = 1 ]; then
	require_tool ip
	# shellcheck disable=SC2016
	run_cmd sh -c 'ip link set lo up &&
		ip addr add 192.0.2.1/32 dev lo &&
		for a in 198.51.100.7 198.51.100.8 198.51.100.9 203.0.113.7; do
			ip addr add $a/32 dev lo || exit 1
		done && ip -4 addr show dev lo'
	check "network namespace: lo up with 192.0.2.1 and the client addresses" \
		exit 0 output 'inet 127\.0\.0\.1/8' output 'inet 192\.0\.2\.1/32' \
		output 'inet 203\.0\.113\.7/32'
	[ "$E2E_RC" = 0 ] || fatal "the network namespace is usable"
	NETNS=1
else
	echo "# $SCENARIO: no private network namespace (unshare -n):" \
		"the checks from non-local sources are left out"
fi

LIMITS=("$E2E_PYTHON" "$E2E_SCENARIO_DIR/limits.py")

# val KEY: a value of the last limits.py or /metrics output (0 if none).
val()
{
	printf '%s\n' "$E2E_OUT" | sed -n "s/^$1=//p" | head -n 1 | grep . ||
		echo 0
}

# burst SERVER PORT SOURCE NAME TYPE COUNT [tcp]: limits.py burst.
burst()
{
	run_cmd "${LIMITS[@]}" burst "$1" "$2" "$3" "$4" "$5" "$6" "${7:-udp}"
}

# expect DESC CONDITION...: a check decided by arithmetic on val's; each
# CONDITION is a bash arithmetic expression.
expect()
{
	local desc=$1 c fails=()
	shift
	for c in "$@"; do
		# shellcheck disable=SC2004
		(($c)) || fails+=("$c")
	done
	e2e_report "$desc" ${fails[@]+"${fails[@]}"}
}

# metrics: scrape /metrics (retrying for up to 5 s); metric NAME: a value.
metrics()
{
	local end=$((SECONDS + 5))
	while :; do
		run_cmd curl -sS --max-time 5 "http://127.0.0.1:$METRICS/metrics"
		[ "$E2E_RC" = 0 ] || [ $SECONDS -ge $end ] && break
		sleep 0.1
	done
}
metric()
{
	printf '%s\n' "$E2E_OUT" | awk -v s="$1" '
		$1 == s { v = $2 } END { print (v == "" ? -1 : v + 0) }'
}

start_upstream example.com.zone example.com

# --- response rate limiting: 5 large answers per second per /24 -------------
METRICS=$(free_port) || fatal "a free port for the metrics"
RRL_ADDR=127.0.0.1
[ "$NETNS" = 1 ] && RRL_ADDR=192.0.2.1
RRL_PORT=$(free_port) || fatal "a free port for the second listener"
start_vpcdns rrl.yaml RATE=5 METRICS="$METRICS" RRL_ADDR="$RRL_ADDR" \
	RRL_PORT="$RRL_PORT"

# prime: the cache gets the three names from the upstream, one query
# each from loopback (exempt), so that the bursts are answered from the
# cache.  (Identical queries forwarded at the same time are another
# matter, not this scenario's.)
prime()
{
	dig_q +bufsize=4096 +ignore big.example.com TXT
	check "$1big.example.com TXT: 6 records, over 1024 bytes, over UDP" \
		status NOERROR noflag tc answer_count 6 \
		output 'MSG SIZE +rcvd: (1[0-9]{3}|[2-9][0-9]{3})$'
	dig_q +bufsize=4096 +ignore medium.example.com TXT
	check "${1}medium.example.com TXT: 3 records, under 1024 bytes" \
		status NOERROR noflag tc answer_count 3 \
		output 'MSG SIZE +rcvd: [5-9][0-9]{2}$'
	dig_q www.example.com A
	check "${1}www.example.com A: a small answer" status NOERROR \
		answer_count 1
}
prime ""

burst 127.0.0.1 "$VPCDNS_PORT" 127.0.0.1 big.example.com TXT 50
expect "50 large answers at once to 127.0.0.1 (loopback): never limited" \
	"$(val replies) == 50" "$(val full) == 50" "$(val tc) == 0"
burst 127.0.0.1 "$VPCDNS_PORT" 127.0.0.2 big.example.com TXT 50
expect "50 large answers at once to 127.0.0.2 (a VPC client): never limited" \
	"$(val replies) == 50" "$(val full) == 50" "$(val tc) == 0"

TC_TOTAL=0
if [ "$NETNS" = 1 ]; then
	# A non-local source: the first 5 (the bucket, plus what refills while
	# the burst lasts) are answered in full, the rest are the question
	# alone with TC set.
	burst 192.0.2.1 "$RRL_PORT" 198.51.100.7 big.example.com TXT 50
	span=$(val span_ms)
	expect "198.51.100.7 (outside), 50 large answers at once: 5 in full (+ refill), the rest TC" \
		"$(val sent) == 50" "$(val replies) == 50" "$(val other) == 0" \
		"$(val full) >= 5" "$(val full) <= 5 + 5 * $span / 1000 + 1" \
		"$(val full) + $(val tc) == 50" "$(val ancount) == 6"
	expect "the truncated replies: NOERROR, TC, no records, no larger than the query" \
		"$(val tc) > 0" "$(val tc_ok) == $(val tc)" \
		"$(val tc_maxlen) <= $(val qlen)" "$(val full_minlen) >= 1024"
	TC_TOTAL=$((TC_TOTAL + $(val tc)))
	metrics
	expect "vpcdns_rrl_truncated_total counts the $TC_TOTAL truncated replies" \
		"$(metric vpcdns_rrl_truncated_total) == $TC_TOTAL"

	# Never limited: a VPC client, TCP, answers under min-size.
	burst 192.0.2.1 "$RRL_PORT" 198.51.100.8 big.example.com TXT 50
	expect "198.51.100.8 (a VPC client, same /24): 50 large answers, none truncated" \
		"$(val replies) == 50" "$(val full) == 50" "$(val tc) == 0" \
		"$(val ancount) == 6"
	burst 192.0.2.1 "$RRL_PORT" 198.51.100.7 big.example.com TXT 20 tcp
	expect "198.51.100.7 over TCP: 20 large answers in full, none truncated" \
		"$(val replies) == 20" "$(val full) == 20" "$(val tc) == 0" \
		"$(val ancount) == 6"
	burst 192.0.2.1 "$RRL_PORT" 198.51.100.7 medium.example.com TXT 50
	expect "198.51.100.7, 50 answers of about 850 bytes (under min-size): none truncated" \
		"$(val replies) == 50" "$(val full) == 50" "$(val tc) == 0" \
		"$(val ancount) == 3" "$(val full_minlen) < 1024"
	burst 192.0.2.1 "$RRL_PORT" 198.51.100.7 www.example.com A 50
	expect "198.51.100.7, 50 small answers: none truncated" \
		"$(val replies) == 50" "$(val full) == 50" "$(val tc) == 0"
	metrics
	expect "vpcdns_rrl_truncated_total: still the $TC_TOTAL truncated replies" \
		"$(metric vpcdns_rrl_truncated_total) == $TC_TOTAL"

	# The refill after a silence, the /24 sharing a bucket and another
	# /24 having its own are the core's arithmetic: checked on a virtual
	# clock in tests/replay/rate_limit.rpl.

	# responses-per-second: 0 turns the limit off.
	METRICS=$(free_port) || fatal "a free port for the metrics"
	RRL_PORT=$(free_port) || fatal "a free port for the second listener"
	start_vpcdns rrl.yaml RATE=0 METRICS="$METRICS" RRL_ADDR=192.0.2.1 \
		RRL_PORT="$RRL_PORT"
	prime "responses-per-second 0: "
	burst 192.0.2.1 "$RRL_PORT" 198.51.100.7 big.example.com TXT 50
	expect "responses-per-second 0: 50 large answers to 198.51.100.7, none truncated" \
		"$(val replies) == 50" "$(val full) == 50" "$(val tc) == 0" \
		"$(val ancount) == 6"
	metrics
	expect "responses-per-second 0: vpcdns_rrl_truncated_total is 0" \
		"$(metric vpcdns_rrl_truncated_total) == 0"
else
	metrics
	expect "vpcdns_rrl_truncated_total is 0 (loopback and VPC clients only)" \
		"$(metric vpcdns_rrl_truncated_total) == 0"
fi

# --- simulate-aws-limits: 1,024 packets per second per client address --------
# 3000 queries at once from 127.0.0.2 (the daemon sees them within some
# tens of ms), then 50 from 127.0.0.3 at once.
METRICS=$(free_port) || fatal "a free port for the metrics"
start_vpcdns aws.yaml METRICS="$METRICS" AWS_KEY="simulate-aws-limits: true"
run_cmd "${LIMITS[@]}" flood "$VPCDNS_PORT" 127.0.0.2 3000 0 127.0.0.3 50
span=$(val span_ms)
answered=$(val answered)
dropped=$((3000 - answered))
# (The receive buffer errors are this namespace's own only in one.)
rcvbuf=0
[ "$NETNS" = 1 ] && rcvbuf=$(val rcvbuf_errors)
expect "3000 queries at once from 127.0.0.2: 1024 answered (+ refill), the rest dropped" \
	"$(val sent) == 3000" "$(val bad) == 0" "$rcvbuf == 0" \
	"$answered >= 1024" "$answered <= 1024 + 1024 * $span / 1000 + 16"
expect "127.0.0.3 right after (its own budget): all 50 answered" \
	"$(val other_sent) == 50" "$(val other_answered) == 50"
metrics
expect "vpcdns_aws_limit_dropped_total counts the $dropped unanswered queries" \
	"$(metric vpcdns_aws_limit_dropped_total) == $dropped"
# The budget coming back after a silence: tests/replay/aws_limits.rpl.
dig_q -b 127.0.0.4 db.corp.internal A
check "dig from 127.0.0.4 is answered" status NOERROR \
	answer_set "db.corp.internal. 300 IN A 10.0.1.20"

# Off (the key left out): 3000 queries over 1.5 s, all answered.
METRICS=$(free_port) || fatal "a free port for the metrics"
start_vpcdns aws.yaml METRICS="$METRICS" \
	AWS_KEY="# simulate-aws-limits left out"
run_cmd "${LIMITS[@]}" flood "$VPCDNS_PORT" 127.0.0.2 3000 1500
expect "simulate-aws-limits off: 3000 queries over 1.5 s from 127.0.0.2, all answered" \
	"$(val sent) == 3000" "$(val answered) == 3000" "$(val bad) == 0"
metrics
expect "simulate-aws-limits off: vpcdns_aws_limit_dropped_total is 0" \
	"$(metric vpcdns_aws_limit_dropped_total) == 0"

finish
