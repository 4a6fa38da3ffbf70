#!/bin/bash
# tests/e2e/metrics/test.sh - the Prometheus endpoint (SPEC Part 4,
# DESIGN.md "Metrics"): `metrics: {address, port}` serves /metrics in the
# text exposition format with vpcdns_queries_total by source (vpc,
# inbound, outside) and rcode, counting exactly the queries sent, query
# types, cache hits and upstream queries; /healthz says ok; other paths
# are 404.
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
require_tool dig curl

start_upstream example.com.zone example.com
INBOUND=$(free_port) || fatal "a free port for the inbound listener"
METRICS=$(free_port) || fatal "a free port for the metrics"
start_vpcdns vpcdns.yaml INBOUND="$INBOUND" METRICS="$METRICS"
URL=http://127.0.0.1:$METRICS

# get PATH: curl the metrics listener (headers and body), retrying for up
# to 5 s while it does not accept.
get()
{
	local end=$((SECONDS + 5))
	while :; do
		run_cmd curl -sS -i --max-time 5 "$URL$1"
		[ "$E2E_RC" = 0 ] || [ $SECONDS -ge $end ] && break
		sleep 0.1
	done
}

# metric SERIES: the value of one series (name{labels} exactly as
# written) in the last /metrics output, 0 when absent.
metric()
{
	printf '%s\n' "$E2E_OUT" | tr -d '\r' | awk -v s="$1" '
		$1 == s { v = $2 } END { print (v == "" ? 0 : v) }'
}

# expect_metric DESC SERIES OP N: compares the series' value with N
# (OP: -eq, -ge).
expect_metric()
{
	local desc=$1 series=$2 op=$3 n=$4 v ok=false
	v=$(metric "$series")
	v=${v%%.*}
	case $op in
	-eq) [ "$v" -eq "$n" ] && ok=true ;;
	-ge) [ "$v" -ge "$n" ] && ok=true ;;
	esac
	if $ok; then
		pass "$desc"
	else
		fail "$desc" "expected $series $op $n, got $v" \
			"$(printf '%s\n' "$E2E_OUT" | grep -E '^vpcdns_(queries|cache|upstream_q)')"
	fi
}

get /healthz
check "/healthz: 200 and ok" exit 0 output '^HTTP/1\.[01] 200' output '^ok'

get /metrics
check "/metrics before any query: 200, Prometheus text" exit 0 \
	output '^HTTP/1\.[01] 200' output '^Content-Type: text/plain' \
	output '^# TYPE vpcdns_queries_total counter'

# 3 NOERROR and 1 NXDOMAIN from the VPC, 2 through the inbound listener,
# 2 from outside (forwarded: the second from the cache).
for i in 1 2 3; do
	dig_q -b 127.0.0.2 db.corp.internal A
	check "VPC query $i" status NOERROR
done
dig_q -b 127.0.0.2 nope.corp.internal A
check "VPC query: NXDOMAIN" status NXDOMAIN
for i in 1 2; do
	run_cmd dig @127.0.0.1 -p "$INBOUND" -b 127.0.0.9 +time=2 +tries=1 \
		db.corp.internal AAAA
	check "inbound query $i" status NOERROR
	dig_q -b 127.0.0.9 www.example.com A
	check "outside query $i" status NOERROR answer_count 1
done

get /metrics
check "/metrics after the queries: 200" exit 0 output '^HTTP/1\.[01] 200'
expect_metric "source=vpc rcode=NOERROR counts the 3 VPC queries" \
	'vpcdns_queries_total{source="vpc",rcode="NOERROR"}' -eq 3
expect_metric "source=vpc rcode=NXDOMAIN counts 1" \
	'vpcdns_queries_total{source="vpc",rcode="NXDOMAIN"}' -eq 1
expect_metric "source=inbound rcode=NOERROR counts the 2 inbound queries" \
	'vpcdns_queries_total{source="inbound",rcode="NOERROR"}' -eq 2
expect_metric "source=outside rcode=NOERROR counts the 2 outside queries" \
	'vpcdns_queries_total{source="outside",rcode="NOERROR"}' -eq 2
expect_metric "query types: AAAA counts 2" \
	'vpcdns_query_types_total{type="AAAA"}' -ge 2
expect_metric "query types: A counts 6" \
	'vpcdns_query_types_total{type="A"}' -ge 6
expect_metric "cache hits: the second outside query" \
	vpcdns_cache_hits_total -ge 1
expect_metric "upstream queries: at least the first outside query" \
	vpcdns_upstream_queries_total -ge 1
expect_metric "prefetches counted (cache.prefetch)" \
	vpcdns_cache_prefetches_total -ge 0
expect_metric "coalesced queries counted (engine/inflight.h)" \
	vpcdns_upstream_coalesced_total -ge 0

# The whole body parses as the Prometheus text format.
run_cmd "$E2E_PYTHON" -c '
import re, sys
body = sys.stdin.read().replace("\r", "").split("\n\n", 1)[1]
sample = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*=\"[^\"]*\",?)*\})? [-+0-9.eEInfa]+")
n = 0
for line in body.splitlines():
    if not line or line.startswith("# HELP ") or line.startswith("# TYPE "):
        continue
    if not sample.fullmatch(line):
        print("bad line:", repr(line))
        sys.exit(1)
    n += 1
print(n, "samples")
' <<<"$E2E_OUT"
check "every /metrics line is a comment or a sample" exit 0 \
	output '^[0-9]+ samples$'

# Counters go up.
dig_q -b 127.0.0.2 db.corp.internal A
get /metrics
expect_metric "one more VPC query: the counter is 4" \
	'vpcdns_queries_total{source="vpc",rcode="NOERROR"}' -eq 4

get /nope
check "an unknown path: 404" exit 0 output '^HTTP/1\.[01] 404'
get /healthz
check "/healthz still ok" exit 0 output '^HTTP/1\.[01] 200' output '^ok'

finish
