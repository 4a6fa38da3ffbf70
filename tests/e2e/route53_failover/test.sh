#!/bin/bash
# tests/e2e/route53_failover/test.sh - failover routing with a TCP health
# check (issue 11): the primary answers while the check's target accepts
# connections, the secondary once it stops listening, the primary again
# when it comes back.  The same port serves an HTTP check (GET /health,
# 200) for a multivalue record set.  Every flip is polled for with a
# timeout, never slept for.
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
require_tool dig

HCPORT=$(free_port) || fatal "free port" "none"
LISTENER_PID=

# listen_start: a TCP server on HCPORT that answers HTTP 200 to anything.
listen_start()
{
	"$E2E_PYTHON" - "$HCPORT" >"$E2E_TMP/listener.log" 2>&1 <<'PY' &
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(64)
while True:
    c, _ = s.accept()
    c.settimeout(2)
    try:
        c.recv(512)
        c.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok")
    except OSError:
        pass
    c.close()
PY
	LISTENER_PID=$!
	e2e_track "$LISTENER_PID" "$E2E_TMP/listener.log"
}

listen_stop()
{
	e2e_stop "$LISTENER_PID" TERM 5
	e2e_untrack "$LISTENER_PID"
	LISTENER_PID=
}

# wait_answer NAME REGEX SECONDS: polls until NAME's A answer matches.
wait_answer()
{
	local end=$((SECONDS + $3))
	while [ $SECONDS -le $end ]; do
		dig_q +short "$1" A
		grep -qE -- "$2" <<<"$E2E_OUT" && return 0
		sleep 0.2
	done
	return 1
}

listen_start
start_vpcdns vpcdns.yaml HCPORT="$HCPORT" CLOSED="$(free_port)"

if wait_answer db.shop.internal '^10\.0\.2\.1$' 30; then
	pass "failover: the primary while its TCP check's target listens"
else
	fail "failover: the primary while its target listens" "$E2E_OUT"
fi
dig_q db.shop.internal A
echo "# primary healthy:"; section ANSWER | sed 's/^/#   /'
if wait_answer pool.shop.internal '^10\.0\.6\.3$' 30; then
	pass "http check: GET /health answered 200, pool-3 comes up"
else
	fail "http check brings pool-3 up" "$E2E_OUT"
fi

listen_stop
if wait_answer db.shop.internal '^10\.0\.2\.2$' 30; then
	pass "failover: the secondary once the target stops listening"
else
	fail "failover: the secondary once the target stops" "$E2E_OUT"
fi
dig_q db.shop.internal A
check "the secondary's answer" status NOERROR flag aa \
	answer_set "db.shop.internal. 30 IN A 10.0.2.2"
echo "# primary unhealthy:"; section ANSWER | sed 's/^/#   /'
wait_log 'health: hc-db-primary is unhealthy' 10 &&
	pass "the flip is logged" || fail "the flip is logged" "$(vpcdns_log)"

listen_start
if wait_answer db.shop.internal '^10\.0\.2\.1$' 30; then
	pass "failover: the primary again when the target is back"
else
	fail "failover: the primary again" "$E2E_OUT"
fi
dig_q db.shop.internal A
echo "# primary back:"; section ANSWER | sed 's/^/#   /'
listen_stop
finish
