#!/bin/bash
# tests/e2e/netns/test.sh - a mirror of a real VPC in a network namespace
# (issue 10, README "Mirror your real VPC"): the configuration is `vpcdns
# import` of the AWS CLI samples in conf/examples/, with --listen and
# --upstream on the command line;
# the endpoint interfaces' addresses (10.0.1.15, 10.0.2.27) sit on the
# namespace's loopback, vpcdns listens on 127.0.0.1:53 and a bind-mounted
# /etc/resolv.conf names it.  Unmodified clients then resolve through it:
# getent ahosts (the C library), curl to python3 -m http.server on the
# interface addresses by the service name, and the AWS CLI sending
# GetSecretValue to a stub there by the service name; a public name still
# resolves through the upstream (nsd, in the namespace too).
#
# The test repeats the README's commands literally, except for the ports
# of the upstream (a free one, as every scenario's) and of the stub servers
# being variables.  Everything runs in the new network namespace (only its
# loopback exists), so no packet leaves it; the bind mount lives in the new
# mount namespace and is gone with it.
#
# Needs root and `unshare --mount --net`; skips (77) where the machine
# cannot give either.
if [ "${VPCDNS_NETNS_INNER:-0}" != 1 ] && [ "$(id -u)" = 0 ] &&
	unshare --mount --net true 2>/dev/null; then
	VPCDNS_NETNS_INNER=1 exec unshare --mount --net -- "$0" "$@"
fi
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
[ "${VPCDNS_NETNS_INNER:-0}" = 1 ] ||
	skip_machine "needs root and network namespaces (unshare --mount --net)"

# The Debian awscli, not another one earlier in PATH.
AWS=/usr/bin/aws
require_tool ip getent curl mount dig "$AWS"

SM=secretsmanager.us-east-1.amazonaws.com
HTTP_PORT=8080
API_PORT=8443

# --- the namespace: loopback with the interface addresses, resolv.conf -----

# README "Mirror your real VPC", inside `sudo unshare --mount --net bash`:
ip link set lo up
ip addr add 10.0.1.15/32 dev lo
ip addr add 10.0.2.27/32 dev lo
echo 'nameserver 127.0.0.1' >"$E2E_TMP/vpc-resolv.conf"
mount --bind "$E2E_TMP/vpc-resolv.conf" /etc/resolv.conf

run_cmd ip -o addr show
check "the namespace has only its loopback, with the interface addresses" \
	exit 0 output '^1: lo +inet 10\.0\.1\.15/32' output 'inet 10\.0\.2\.27/32' \
	no_output '^[2-9][0-9]*: '
run_cmd ip route show
check "no route out of the namespace" exit 0 no_output 'default'
run_cmd cat /etc/resolv.conf
check "/etc/resolv.conf (bind-mounted) names 127.0.0.1 only" exit 0 \
	output '^nameserver 127\.0\.0\.1$' no_output '^nameserver [^1]'

# --- the configuration: import of the samples, then listen and upstreams ----

start_upstream example.com.zone example.com
cd "$E2E_TMP" || fatal "cd $E2E_TMP"
cp "$TOP_SRCDIR/conf/examples/describe-vpc-endpoints.json" \
	"$TOP_SRCDIR/conf/examples/describe-network-interfaces.json" .
# README:
run_cmd "$VPCDNS_BIN" import describe-vpc-endpoints.json describe-network-interfaces.json
check "vpcdns import of the AWS CLI samples" exit 0 output '^vpcs:'
printf '%s\n' "$E2E_OUT" >vpcdns.yaml
run_cmd "$VPCDNS_BIN" check -c vpcdns.yaml --listen 127.0.0.1:53 --upstream "127.0.0.1:$UPSTREAM_PORT"
check "vpcdns check -c vpcdns.yaml --listen ... --upstream ...: valid, the flags replace listen and upstreams" \
	exit 0 output 'vpcdns.yaml: ok' output '^listen 127\.0\.0\.1:53$' \
	output "^upstreams 127\\.0\\.0\\.1:$UPSTREAM_PORT\$"

# README: vpcdns -c vpcdns.yaml --listen ... --upstream ..., run as
# start_vpcdns runs a daemon (valgrind in that
# stage, its exit status checked at the end), on port 53.
log=$E2E_TMP/vpcdns.log
${E2E_LAUNCH[@]+"${E2E_LAUNCH[@]}"} \
	${E2E_VALGRIND[@]+"${E2E_VALGRIND[@]}" "--log-file=$log.valgrind"} \
	"$VPCDNS_BIN" -c vpcdns.yaml --listen 127.0.0.1:53 \
	--upstream "127.0.0.1:$UPSTREAM_PORT" 2>>"$log" &
VPCDNS_PID=$!
e2e_track "$VPCDNS_PID" "$log"
E2E_VPCDNS_PIDS+=("$VPCDNS_PID")
# shellcheck disable=SC2034 # read by lib.sh (dig_q, wait_log)
VPCDNS_PORT=53
# shellcheck disable=SC2034
VPCDNS_LOGFILE=$log
e2e_wait_answer 53 "$VPCDNS_PID" 60 ||
	fatal "vpcdns answers on 127.0.0.1:53 in the namespace" "$(cat "$log")"
pass "vpcdns -c vpcdns.yaml --listen 127.0.0.1:53 --upstream ... answers on 127.0.0.1:53"

# --- the C library: getent ahosts ---------------------------------------------

# ahosts NAME: `getent ahosts NAME`, the distinct addresses, sorted, one a
# line (getent prints one line per socket type).
ahosts()
{
	run_cmd getent ahosts "$1"
	E2E_OUT=$(printf '%s\n' "$E2E_OUT" | awk '{ print $1 }' | sort -u)
}

ahosts $SM
check "getent ahosts $SM: the endpoint interfaces' addresses" exit 0 \
	output '^10\.0\.1\.15$' output '^10\.0\.2\.27$'
if [ "$(wc -l <<<"$E2E_OUT")" = 2 ]; then
	pass "getent ahosts: exactly those two"
else
	fail "getent ahosts: exactly those two" "$E2E_OUT"
fi

ahosts vpce-0f1e2d3c4b5a69788-k3m9x2qa-us-east-1b.secretsmanager.us-east-1.vpce.amazonaws.com
check "getent ahosts: the zonal vpce name (us-east-1b) is that AZ's interface" \
	exit 0 output '^10\.0\.2\.27$' no_output '^10\.0\.1\.15$'

ahosts www.example.com
check "getent ahosts www.example.com: a public name, through the upstream" \
	exit 0 output '^198\.51\.100\.80$'

ahosts nope.example.com
check "getent ahosts nope.example.com: not found (the upstream's NXDOMAIN)" exit 2

# --- curl by the service name to http.server on the interface addresses ------

mkdir -p www
echo 'hello from a VPC endpoint interface' >www/hello.txt
# README:
for ip in 10.0.1.15 10.0.2.27; do
	${E2E_LAUNCH[@]+"${E2E_LAUNCH[@]}"} "$E2E_PYTHON" -m http.server \
		--bind $ip --directory www "$HTTP_PORT" >"http-$ip.log" 2>&1 &
	e2e_track $! "$E2E_TMP/http-$ip.log"
done
for ip in 10.0.1.15 10.0.2.27; do
	end=$((SECONDS + 20))
	until curl -sf --max-time 2 -o /dev/null "http://$ip:$HTTP_PORT/hello.txt"; do
		[ $SECONDS -lt $end ] ||
			fatal "http.server listens on $ip:$HTTP_PORT" "$(cat "http-$ip.log")"
		sleep 0.1
	done
done

run_cmd curl -sS --max-time 10 -w '\nremote=%{remote_ip}\n' \
	http://$SM:$HTTP_PORT/hello.txt
check "curl http://$SM:$HTTP_PORT/: the server on an interface address" \
	exit 0 output '^hello from a VPC endpoint interface$' \
	output '^remote=10\.0\.(1\.15|2\.27)$'

run_cmd curl -sS --max-time 10 -w '\nremote=%{remote_ip}\n' \
	http://vpce-0f1e2d3c4b5a69788-k3m9x2qa-us-east-1a.secretsmanager.us-east-1.vpce.amazonaws.com:$HTTP_PORT/hello.txt
check "curl by the zonal vpce name (us-east-1a): that AZ's interface, 10.0.1.15" \
	exit 0 output '^hello from a VPC endpoint interface$' output '^remote=10\.0\.1\.15$'

# --- the AWS CLI by the service name -------------------------------------------

ready=$E2E_TMP/stub.ready
${E2E_LAUNCH[@]+"${E2E_LAUNCH[@]}"} "$E2E_PYTHON" "$E2E_SCENARIO_DIR/aws_stub.py" \
	"$API_PORT" "$E2E_TMP/requests.jsonl" "$ready" 10.0.1.15 10.0.2.27 \
	>"$E2E_TMP/stub.log" 2>&1 &
e2e_track $! "$E2E_TMP/stub.log"
for ((i = 0; i < 200; i++)); do
	[ -s "$ready" ] && break
	sleep 0.1
done
[ -s "$ready" ] || fatal "the Secrets Manager stub listens" "$(cat "$E2E_TMP/stub.log")"

# Dummy credentials; no file, no instance metadata, no pager.
export HOME=$E2E_TMP AWS_CONFIG_FILE=/nonexistent AWS_SHARED_CREDENTIALS_FILE=/nonexistent \
	AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE \
	AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY \
	AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true AWS_PAGER=
run_cmd timeout 60 "$AWS" --endpoint-url http://$SM:$API_PORT \
	secretsmanager get-secret-value --secret-id db --output json
check "aws --endpoint-url http://$SM:$API_PORT secretsmanager get-secret-value: the stub's secret" \
	exit 0 output '"SecretString": "served-on-10\.0\.(1\.15|2\.27)"' \
	output '"Name": "db"'

run_cmd "$E2E_PYTHON" - "$E2E_TMP/requests.jsonl" "$SM:$API_PORT" <<'EOF'
import json, sys
reqs = [json.loads(l) for l in open(sys.argv[1])]
r = reqs[-1]
h = r["headers"]
print("requests", len(reqs))
print("local", r["local"])
print("host", h.get("host"))
print("target", h.get("x-amz-target"))
print("auth", h.get("authorization", "").split(",")[0])
print("body", r["body"])
EOF
check "the AWS CLI's request reached the stub on an interface address, for the service name, signed for us-east-1" \
	exit 0 output '^local 10\.0\.(1\.15|2\.27)$' \
	output "^host $SM:$API_PORT\$" \
	output '^target secretsmanager\.GetSecretValue$' \
	output '^auth AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/[0-9]{8}/us-east-1/secretsmanager/aws4_request$' \
	output '^body \{"SecretId": "db"\}$'

# The daemon answered all that itself: a direct query.
dig_q $SM A
check "dig @127.0.0.1 $SM: authoritative, TTL 60, the two addresses" \
	status NOERROR flag aa answer_count 2 answer_all " 60 IN A 10\.0\.(1\.15|2\.27)$"

finish
