#!/bin/bash
# tests/e2e/hostnames/test.sh - host-name targets resolve lazily (issue
# 10): a forward target (`onprem-dns:PORT`), an upstream (`--upstream
# public-dns:PORT`, and the file's `upstreams:` key) and an endpoint's
# address (`ipv4: localstack`, SQS pointed at a LocalStack container) that
# do not resolve when the daemon starts do not stop
# it; their names get SERVFAIL and /readyz says why; once the names
# resolve (here: added to /etc/hosts, as a compose service coming up
# would be added to Docker's DNS) they are used without a reload.
#
# Runs in its own mount and network namespace (unshare -mn, as root) so
# that /etc/hosts and /etc/resolv.conf can be replaced; skips where the
# machine cannot make one.
if [ -z "${E2E_IN_NETNS:-}" ]; then
	if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null 2>&1 &&
		unshare -mn true 2>/dev/null; then
		E2E_IN_NETNS=1 exec unshare -mn "$0" "$@"
	fi
	echo "SKIP: hostnames: needs root and unshare -mn (a network namespace)"
	exit 77
fi
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
require_tool dig curl ip mount
ip link set lo up || fatal "bring up lo in the namespace"

# dig_until NAME WANT: asks NAME A every 0.5 s, for at most 60 s, until
# the status is WANT (NOERROR) or the answer matches WANT (a regex); the
# last reply stays in E2E_OUT for the check that follows.
dig_until()
{
	local end=$((SECONDS + 60))
	while :; do
		dig_q +time=2 "$1" A
		if [ "$2" = NOERROR ]; then
			[ "$(rcode_of_output)" = NOERROR ] && return 0
		else
			a_section_has "$2" ANSWER && return 0
		fi
		[ $SECONDS -lt $end ] || return 1
		sleep 0.5
	done
}

# The system resolver knows nothing yet: an empty hosts file, and a
# resolv.conf whose nameserver (port 53, nothing there) refuses.
HOSTS=$E2E_TMP/hosts
printf '127.0.0.1 localhost\n' >"$HOSTS"
printf 'nameserver 127.0.0.1\n' >"$E2E_TMP/resolv.conf"
mount --bind "$HOSTS" /etc/hosts || fatal "bind-mount a hosts file"
mount --bind "$E2E_TMP/resolv.conf" /etc/resolv.conf ||
	fatal "bind-mount a resolv.conf"

start_upstream corp.example.zone corp.example
ONPREM=$UPSTREAM_PORT
start_upstream public.test.zone public.test
PUBLIC=$UPSTREAM_PORT
METRICS=$(free_port) || fatal "a free port for the metrics"
e2e_subst "$E2E_SCENARIO_DIR/vpcdns.yaml" "$E2E_TMP/hosts.yaml" \
	ONPREM="$ONPREM" METRICS="$METRICS"
# The file has no listen: --listen gives the harness's port.
start_vpcdns_args -c "$E2E_TMP/hosts.yaml" --listen 127.0.0.1:@PORT@ \
	--upstream "public-dns:$PUBLIC"
pass "the daemon starts while its host-name targets do not resolve"

dig_q +time=5 app.corp.example A
check "an unresolved forward target: its names get SERVFAIL" status SERVFAIL
dig_q +time=5 www.public.test A
check "an unresolved upstream: other names get SERVFAIL" status SERVFAIL
dig_q +time=5 sqs.us-east-1.amazonaws.com A
check "an endpoint whose address is an unresolved host: SERVFAIL" \
	status SERVFAIL
run_cmd curl -sS -i --max-time 5 "http://127.0.0.1:$METRICS/readyz"
check "/readyz: 503, naming the host names" output '^HTTP/1\.[01] 503' \
	output "host name onprem-dns:$ONPREM not resolved" \
	output "host name public-dns:$PUBLIC not resolved" \
	output "host name localstack not resolved"
echo "# /readyz: $(printf '%s' "$E2E_OUT" | tr -d '\r' | sed -n '$p')"

# The services come up.
printf '127.0.0.1 onprem-dns public-dns\n127.0.0.9 localstack\n' >>"$HOSTS"
dig_until app.corp.example NOERROR
check "once onprem-dns resolves, the rule forwards to it (no reload)" \
	status NOERROR answer 'app\.corp\.example\. [0-9]+ IN A 192\.0\.2\.10'
dig_until www.public.test NOERROR
check "once public-dns resolves, it is the upstream" \
	status NOERROR answer 'www\.public\.test\. [0-9]+ IN A 198\.51\.100\.80'
dig_until sqs.us-east-1.amazonaws.com NOERROR
check "once localstack resolves, the endpoint's names answer its address" \
	status NOERROR flag aa \
	answer 'sqs\.us-east-1\.amazonaws\.com\. 60 IN A 127\.0\.0\.9$'
run_cmd curl -sS -i --max-time 5 "http://127.0.0.1:$METRICS/readyz"
check "/readyz: 200 ready" output '^HTTP/1\.[01] 200' output '^ready'
E2E_OUT=$(vpcdns_log)
check "the log says when each name resolved" \
	output "daemon: onprem-dns:$ONPREM \\(forward rule corp\\.example\\.\\) resolved" \
	output "daemon: public-dns:$PUBLIC \\(upstream\\) resolved" \
	output "daemon: localstack \\(endpoint address\\) resolved" \
	output "daemon: endpoint host name localstack has new addresses"

# A reload keeps the resolved addresses: no SERVFAIL meanwhile.
kill -HUP "$VPCDNS_PID"
wait_log 'daemon: reloaded ' 20 || fail "the reload happens" "$(vpcdns_log)"
dig_q app.corp.example A
check "after a reload the forward target still answers" status NOERROR
dig_q sqs.us-east-1.amazonaws.com A
check "after a reload the endpoint still answers localstack's address" \
	status NOERROR answer 'IN A 127\.0\.0\.9$'

# LocalStack moves: the next lookup (at the latest on its TTL; a reload
# looks every host name up again at once) gives the new address.
# (rewritten in place: /etc/hosts is a bind mount of this inode)
moved=$(sed 's/^127\.0\.0\.9 localstack$/127.0.0.10 localstack/' "$HOSTS")
printf '%s\n' "$moved" >"$HOSTS"
kill -HUP "$VPCDNS_PID"
dig_until sqs.us-east-1.amazonaws.com 'IN A 127\.0\.0\.10$'
check "a new address of the host name replaces the old one" status NOERROR \
	answer 'IN A 127\.0\.0\.10$' no_answer 'IN A 127\.0\.0\.9$'

run_cmd "$VPCDNS_BIN" explain -c "$E2E_TMP/hosts.yaml" \
	sqs.us-east-1.amazonaws.com A
check "explain says why the host-named endpoint is SERVFAIL there" exit 0 \
	output '^endpoint +vpce-0e2e0014000000001 .*an address is a host name' \
	output '^answer +SERVFAIL'

# The file's `upstreams:` key takes host names too (no --upstream).
start_vpcdns file-upstreams.yaml PUBLIC="$PUBLIC"
dig_until www.public.test NOERROR
check "upstreams: [public-dns:PORT] in the file: the host is the upstream" \
	status NOERROR answer 'www\.public\.test\. [0-9]+ IN A 198\.51\.100\.80'
E2E_OUT=$(vpcdns_log)
check "the log names the file's host-name upstream" \
	output "daemon: public-dns:$PUBLIC \\(upstream\\) resolved" \
	output 'upstreams=[0-9]+ \(configured\) host-names=1'
finish
