#!/bin/bash
# tests/e2e/cli_check/test.sh - the first hour on the command line (issue
# 13): `vpcdns check` prints a summary (listeners, upstreams, query log,
# metrics, per VPC its endpoints, zones with their counts of names and
# records, rules, firewall rules) and every record only with --list; the
# exit codes of SPEC Part 2 hold for every subcommand and the daemon (0 ok,
# 1 configuration, 2 usage, 3 runtime) and each failure names its real
# cause: a missing file, a query-log directory that does not exist,
# listeners that overlap (127.0.0.1:P and 0.0.0.0:P), an out-of-range port
# (no bogus duplicate), a domains-file that is too large or not a regular
# file, `-c` without a file, a metrics port another program holds.
# `-c /dev/null` is an empty configuration.  The daemon's -d line of a
# local answer names the query and the client.
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
require_tool dig

CLOSED=$(free_port) || fatal "a free port"
METRICS=$(free_port) || fatal "a free port"
VPCDNS_PORT=$(free_port) || fatal "a free port"
N=3000

# re_quote TEXT: TEXT as an extended regex matching itself.
re_quote()
{
	printf '%s' "$1" | sed 's/[][\.*^$+?(){}|]/\\&/g'
}

# conf OUT [KEY=VALUE...]: the template with this run's values.
conf()
{
	local out=$1
	shift
	# The first value of a key wins: the caller's before the defaults.
	e2e_subst "$E2E_SCENARIO_DIR/vpcdns.yaml" "$out" "$@" CLOSED="$CLOSED" \
		METRICS="$METRICS" N="$N" ZONE="$E2E_TMP/big.internal.zone" \
		QLOG="$E2E_TMP/query.log" || fatal "write $out"
}

# A zone of $N hosts: SOA, NS and the NS's address besides.
{
	printf '$ORIGIN big.internal.\n$TTL 300\n'
	printf '@ IN SOA ns hostmaster 1 3600 600 86400 60\n@ IN NS ns\nns IN A 10.0.0.1\n'
	for ((i = 0; i < N; i++)); do
		printf 'h%d IN A 10.0.%d.%d\n' "$i" $((i / 250)) $((i % 250 + 1))
	done
} >"$E2E_TMP/big.internal.zone"
F=$E2E_TMP/vpcdns.yaml
conf "$F"

# --- the summary ---------------------------------------------------------------
run_cmd "$VPCDNS_BIN" check -c "$F"
check "check: exit 0, a summary of what is served" exit 0 \
	output "^$(re_quote "$F"): ok$" \
	output "^listen 127\\.0\\.0\\.1:$VPCDNS_PORT$" \
	output "^upstreams 127\\.0\\.0\\.1:$CLOSED$" \
	output "^query-log $(re_quote "$E2E_TMP/query.log")$" \
	output "^metrics 127\\.0\\.0\\.1:$METRICS$" \
	output '^vpc vpc-0e2e1301 region us-east-1: 1 endpoint\(s\), [0-9]+ zone\(s\), 0 inbound-only zone\(s\), 1 rule\(s\), 1 firewall rule\(s\)$' \
	output '^  endpoint vpce-0e2e1301000000001 interface com\.amazonaws\.us-east-1\.secretsmanager suffix q1w2e3r4 private-dns on$' \
	output "^  zone big\\.internal\\. serial 1: $((N + 2)) name\\(s\\), $((N + 3)) record\\(s\\)$" \
	output '^  zone secretsmanager\.us-east-1\.amazonaws\.com\. serial [0-9]+: 1 name\(s\), [0-9]+ record\(s\)$' \
	output "^  rule onprem\\.example\\.com forward 127\\.0\\.0\\.1:$CLOSED$" \
	output '^  firewall 10 block-bad block: 2 domain\(s\)$' \
	output '^endpoint-specific names \(every client\): 1 zone\(s\)$' \
	no_output 'IN[[:space:]]+A[[:space:]]+10\.0\.'
lines=$(printf '%s\n' "$E2E_OUT" | wc -l)
if [ "$lines" -le 30 ]; then
	pass "check: the summary of a $N-record zone is short ($lines lines)"
else
	fail "check: the summary of a $N-record zone is short" "$lines lines"
fi
run_cmd "$VPCDNS_BIN" check -c "$F" --list
records=$(printf '%s\n' "$E2E_OUT" | grep -cE '^h[0-9]+\.big\.internal\.[[:space:]]')
if [ "$E2E_RC" = 0 ] && [ "$records" = "$N" ]; then
	pass "check --list: every record too ($records host records)"
else
	fail "check --list: every record too" "exit $E2E_RC, $records host records"
fi
run_cmd "$VPCDNS_BIN" check -c
check "check -c without a file: a usage error, exit 2" exit 2 \
	output '-c needs a value' no_output "unknown argument '-c'"
run_cmd "$VPCDNS_BIN" check -c /dev/null
check "check -c /dev/null: the empty configuration, exit 0" exit 0 \
	output '^/dev/null: ok$'

# --- a missing configuration: 1 everywhere, the real cause -----------------------
M=$E2E_TMP/no-such.yaml
run_cmd "$VPCDNS_BIN" check -c "$M"
check "check of a missing file: exit 1, the cause" exit 1 \
	output "$(re_quote "$M"): cannot read: No such file or directory"
run_cmd "$VPCDNS_BIN" explain -c "$M" db.corp.internal
check "explain with a missing file: exit 1" exit 1
run_cmd "$VPCDNS_BIN" export -c "$M" "$E2E_TMP/export"
check "export with a missing file: exit 1 like check and explain" exit 1 \
	output "$(re_quote "$M"): cannot read: No such file or directory"
run_cmd "$VPCDNS_BIN" -c "$M"
check "daemon with a missing file: exit 1, the cause, no input/output error" \
	exit 1 output "$(re_quote "$M"): cannot read: No such file or directory" \
	no_output 'input/output error'

# --- problems check can see before the daemon trips on them ----------------------
Q=$E2E_TMP/qlog.yaml
conf "$Q" QLOG="$E2E_TMP/no-such-dir/query.log"
run_cmd "$VPCDNS_BIN" check -c "$Q"
check "query-log.path in a missing directory: check exits 1 naming it" exit 1 \
	output "query-log\\.path: cannot create .*no-such-dir/query\\.log: directory .*no-such-dir: No such file or directory"
run_cmd "$VPCDNS_BIN" -c "$Q"
check "... and the daemon: exit 1 with the real cause" exit 1 \
	output 'cannot open query log .*no-such-dir/query\.log: No such file or directory' \
	no_output 'input/output error'

L=$E2E_TMP/overlap.yaml
conf "$L"
printf 'listen:\n  - {address: 127.0.0.1, port: %s}\n  - {address: 0.0.0.0, port: %s}\n' \
	"$VPCDNS_PORT" "$VPCDNS_PORT" >"$E2E_TMP/listen.yaml"
grep -v -e '^listen:' -e '^  - {address: 127.0.0.1, port: [0-9]*}$' "$L" \
	>>"$E2E_TMP/listen.yaml"
mv "$E2E_TMP/listen.yaml" "$L"
run_cmd "$VPCDNS_BIN" check -c "$L"
check "listeners on 127.0.0.1:P and 0.0.0.0:P: check exits 1" exit 1 \
	output "$(re_quote "$L"):3: listen\\[1\\]: 0\\.0\\.0\\.0 port $VPCDNS_PORT overlaps 127\\.0\\.0\\.1 port $VPCDNS_PORT at line 2"
run_cmd "$VPCDNS_BIN" -c "$L"
check "... and the daemon refuses them as a configuration error (1, not 3)" \
	exit 1 output 'overlaps 127\.0\.0\.1'

P=$E2E_TMP/ports.yaml
conf "$P"
sed -i "s/^  - {address: 127.0.0.1, port: $VPCDNS_PORT}\$/  - {address: 127.0.0.1, port: 65536}\\n  - {address: 127.0.0.1, port: 70000}/" "$P"
run_cmd "$VPCDNS_BIN" check -c "$P"
check "port 65536: the range error only, no bogus 'port 0 is already listed'" \
	exit 1 output "listen\\[0\\]\\.port: '65536' is not a whole number in 1\\.\\.65535" \
	output "listen\\[1\\]\\.port: '70000'" no_output 'port 0'

# --- domains-file: which limit it breaks ------------------------------------------
B=$E2E_TMP/bigfile.yaml
conf "$B"
sed -i 's|domains: \[bad.example.com, "\*.bad.example.com"\],|domains-file: big.txt,|' "$B"
head -c $((19 * 1024 * 1024)) /dev/zero | tr '\0' 'a' >"$E2E_TMP/big.txt"
run_cmd "$VPCDNS_BIN" check -c "$B"
check "a 19 MB domains-file: 'larger than 16 MiB'" exit 1 \
	output "domains-file: cannot read 'big\\.txt': larger than 16 MiB" \
	no_output 'not a regular file'
rm -f "$E2E_TMP/big.txt"
mkfifo "$E2E_TMP/big.txt" || fatal "mkfifo"
run_cmd "$VPCDNS_BIN" check -c "$B"
check "a FIFO as domains-file: 'not a regular file', at once" exit 1 \
	output "domains-file: cannot read 'big\\.txt': not a regular file" \
	max_ms 10000

# --- the daemon: -d line of a local answer, a metrics port in use -----------------
REAL_BIN=$VPCDNS_BIN
VPCDNS_BIN=$E2E_TMP/vpcdns-debug
printf '#!/bin/sh\nexec "%s" -d "$@"\n' "$REAL_BIN" >"$VPCDNS_BIN"
chmod +x "$VPCDNS_BIN"
D=$E2E_TMP/daemon.yaml
start_vpcdns "$E2E_SCENARIO_DIR/vpcdns.yaml" CLOSED="$CLOSED" \
	METRICS="$(free_port)" N="$N" ZONE="$E2E_TMP/big.internal.zone" \
	QLOG="$E2E_TMP/query.log"
VPCDNS_BIN=$REAL_BIN
dig_q h7.big.internal A
check "daemon -d: the local name answered" status NOERROR flag aa
if wait_log "answer: h7\\.big\\.internal\\. A from 127\\.0\\.0\\.1:[0-9]+ view=vpc-0e2e1301 .*zone=big\\.internal\\." 10; then
	pass "daemon -d: the line of a local answer names the query, type and client"
else
	fail "daemon -d: the line of a local answer names the query, type and client" \
		"$(vpcdns_log | tail -n 10)"
fi

start_blackhole
VPCDNS_PORT=$(free_port) conf "$D" METRICS="$BLACKHOLE_PORT"
run_cmd "$REAL_BIN" -c "$D"
check "metrics port in use: exit 3, the address named" exit 3 \
	output "metrics: cannot listen on 127\\.0\\.0\\.1:$BLACKHOLE_PORT: address already in use"
e2e_stop "$BLACKHOLE_PID"

finish
