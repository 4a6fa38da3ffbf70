#!/bin/bash
# tests/e2e/sidecar_config/test.sh - configuration without files and
# overrides of a mounted file (issue 10): VPCDNS_ENDPOINTS, VPCDNS_LISTEN,
# VPCDNS_UPSTREAMS and VPCDNS_CONFIG mean what the flags mean; --listen and
# --upstream replace a file's listen and upstreams; check, export and
# explain honour --endpoint; mistakes name the flag or variable and the
# value typed; a 65th --endpoint is refused with a message; /healthz and
# /readyz answer GET and HEAD.
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
require_tool dig curl

SM=secretsmanager.us-east-1.amazonaws.com
start_upstream example.test.zone example.test

# --- VPCDNS_* variables alone ------------------------------------------------
export VPCDNS_ENDPOINTS="com.amazonaws.us-east-1.sqs=10.0.1.10,10.0.2.10; com.amazonaws.us-east-1.sts=10.0.1.11"
export VPCDNS_UPSTREAMS="127.0.0.1:$UPSTREAM_PORT"
VPCDNS_LISTEN="127.0.0.1:@PORT@"
# start_vpcdns_args substitutes @PORT@ in its arguments only, so the
# variable's value goes through a wrapper.
WRAP=$E2E_TMP/env-vpcdns
cat >"$WRAP" <<EOS
#!/bin/bash
export VPCDNS_LISTEN="127.0.0.1:\$1"
shift
exec "$VPCDNS_BIN" "\$@"
EOS
chmod +x "$WRAP"
REAL_BIN=$VPCDNS_BIN
VPCDNS_BIN=$WRAP start_vpcdns_args @PORT@
VPCDNS_BIN=$REAL_BIN
unset VPCDNS_ENDPOINTS VPCDNS_UPSTREAMS VPCDNS_LISTEN
expect_local "VPCDNS_ENDPOINTS: sqs answers its two addresses" \
	sqs.us-east-1.amazonaws.com A 10.0.1.10 10.0.2.10
expect_local "VPCDNS_ENDPOINTS: the second endpoint (after ';')" \
	sts.us-east-1.amazonaws.com A 10.0.1.11
dig_q www.example.test A
check "VPCDNS_UPSTREAMS: other names go to that upstream" status NOERROR \
	answer 'www\.example\.test\. [0-9]+ IN A 192\.0\.2\.80'
E2E_OUT=$(vpcdns_log)
check "the start-up line names the configured upstream, with a timestamp" \
	output '^20[0-9-]+T[0-9:.]+Z vpcdns\[notice\]: daemon: started .*upstreams=1 \(configured\)' \
	output "upstreams 127\\.0\\.0\\.1:$UPSTREAM_PORT"
e2e_stop "$VPCDNS_PID" TERM 10

# --- a mounted file, --listen and --upstream replace its values -----------------
UNUSED=$(free_port) || fatal "a free port"
METRICS=$(free_port) || fatal "a free port for the metrics"
e2e_subst "$E2E_SCENARIO_DIR/vpcdns.yaml" "$E2E_TMP/mounted.yaml" \
	UNUSED="$UNUSED" METRICS="$METRICS"
start_vpcdns_args -c "$E2E_TMP/mounted.yaml" --listen 127.0.0.1:@PORT@ \
	--upstream @UPSTREAM@
expect_local "--listen replaces the file's listen: the file's endpoint answers there" \
	$SM A 10.0.1.20
dig_q www.example.test A
check "--upstream replaces the file's upstreams" status NOERROR \
	answer 'www\.example\.test\. [0-9]+ IN A 192\.0\.2\.80'
dig_at "$UNUSED" +time=1 $SM A
check "the file's own listener is not bound" no_reply

# --- health: GET and HEAD ------------------------------------------------------
URL=http://127.0.0.1:$METRICS
run_cmd curl -sS -i --max-time 5 "$URL/readyz"
check "GET /readyz: 200 ready" output '^HTTP/1\.[01] 200' output '^ready'
echo "# /readyz: $(printf '%s' "$E2E_OUT" | tr -d '\r' | tr '\n' '|')"
run_cmd curl -sS -I --max-time 5 "$URL/readyz"
check "HEAD /readyz: 200, headers only" output '^HTTP/1\.[01] 200' \
	output 'Content-Length: 6' no_output '^ready'
run_cmd curl -sS -I --max-time 5 "$URL/healthz"
check "HEAD /healthz: 200 (wget --spider works)" output '^HTTP/1\.[01] 200'
if command -v wget >/dev/null 2>&1; then
	run_cmd wget -q --spider "$URL/healthz"
	check "wget --spider /healthz succeeds" exit 0
fi
run_cmd curl -sS -I --max-time 5 "$URL/nope"
check "HEAD of an unknown path: 404" output '^HTTP/1\.[01] 404'
e2e_stop "$VPCDNS_PID" TERM 10

# --- VPCDNS_CONFIG is -c -------------------------------------------------------
VPCDNS_CONFIG=$E2E_TMP/mounted.yaml run_cmd "$VPCDNS_BIN" check
check "VPCDNS_CONFIG: check reads that file" exit 0 \
	output "^$E2E_TMP/mounted.yaml: ok" output "listen 127\\.0\\.0\\.1:$UNUSED"
VPCDNS_CONFIG=$E2E_TMP/mounted.yaml run_cmd "$VPCDNS_BIN" check \
	--listen 0.0.0.0:53 --upstream 10.0.0.2
check "check shows the replaced listen and upstreams" exit 0 \
	output '^listen 0\.0\.0\.0:53$' output '^upstreams 10\.0\.0\.2:53$'

# --- check, export and explain honour --endpoint -----------------------------------
EP=com.amazonaws.us-east-1.kms=10.0.3.3
run_cmd "$VPCDNS_BIN" check --endpoint "$EP"
check "check --endpoint: the endpoint, not a file" exit 0 \
	output 'com\.amazonaws\.us-east-1\.kms' no_output 'secretsmanager'
run_cmd "$VPCDNS_BIN" export --endpoint "$EP" "$E2E_TMP/out"
check "export --endpoint: exit 0" exit 0
run_cmd cat "$E2E_TMP/out/vpc-local/kms.us-east-1.amazonaws.com.zone"
check "export --endpoint: the endpoint's zone file" exit 0 \
	output 'kms\.us-east-1\.amazonaws\.com\.[[:space:]]+[0-9]+[[:space:]]+IN[[:space:]]+A[[:space:]]+10\.0\.3\.3'
run_cmd "$VPCDNS_BIN" explain --endpoint "$EP" kms.us-east-1.amazonaws.com A
check "explain --endpoint: answered from the endpoint" exit 0 \
	output '10\.0\.3\.3'

# --- mistakes name what was typed -------------------------------------------------
run_cmd "$VPCDNS_BIN" check --endpoint "com.amazonaws.us-east-1.kms=10.0.0.300"
check "a bad --endpoint address: exit 2, the value named, no generated line" \
	exit 2 output "--endpoint 'com\\.amazonaws\\.us-east-1\\.kms=10\\.0\\.0\\.300': '10\\.0\\.0\\.300' is not" \
	no_output '<command line>|:[0-9]+:'
run_cmd "$VPCDNS_BIN" check --endpoint "$EP" --endpoint "bogus.service=10.0.0.1"
check "a bad service in the second --endpoint: named" exit 2 \
	output "'bogus\\.service' is not a regional AWS service name"
VPCDNS_ENDPOINTS="x=1.2.3.4" run_cmd "$VPCDNS_BIN" check
check "a bad VPCDNS_ENDPOINTS: the variable is named" exit 2 \
	output "VPCDNS_ENDPOINTS 'x=1\\.2\\.3\\.4'"
run_cmd "$VPCDNS_BIN" check --endpoint "$EP" --listen 10.0.0.1:99999
check "a bad --listen: exit 2, named" exit 2 \
	output "--listen '10\\.0\\.0\\.1:99999'"
VPCDNS_UPSTREAMS="nope:" run_cmd "$VPCDNS_BIN" check --endpoint "$EP"
check "a bad VPCDNS_UPSTREAMS: named" exit 2 output "VPCDNS_UPSTREAMS 'nope:'"
args=()
for ((i = 1; i <= 65; i++)); do
	args+=(--endpoint "com.amazonaws.us-east-1.kms=10.0.4.$i")
done
run_cmd "$VPCDNS_BIN" check "${args[@]}"
check "a 65th --endpoint: exit 2 with a message" exit 2 \
	output 'at most 64' output '10\.0\.4\.65'
run_cmd "$VPCDNS_BIN" check -c "$E2E_TMP/mounted.yaml" --endpoint "$EP"
check "-c and --endpoint together: refused" exit 2 output 'use one'
finish
