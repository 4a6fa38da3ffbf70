#!/bin/bash
# contrib/dnsdist/bench.sh - QPS and CPU per query through dnsdist with 1,
# 2 and 3 vpcdns replicas on loopback (docs/BENCHMARKS.md, "Scale-out").
#
# Copyright (c) 2026 The vpcdns authors.
# SPDX-License-Identifier: MIT
#
#   contrib/dnsdist/bench.sh VPCDNS_BIN [SECONDS] [REPLICAS...]
#
# REPLICAS 0 is the baseline: blast straight at one replica with a plain
# listener, no dnsdist.
# For each replica count: starts that many vpcdns replicas (PROXY v2
# listeners, one shared include directory) and dnsdist with this
# directory's settings (health checks, leastOutstanding, no cache), runs
# the shared harness's blast load generator (../shared/bench/blast.c,
# built into the work directory) through dnsdist for SECONDS (default 10),
# and prints one table row: answered QPS, lost queries, and the CPU time
# (utime + stime from /proc) of dnsdist and of all replicas divided by the
# answered queries.  Every process is started here and stopped by its PID;
# every run is bounded by blast -l.  Ports 15400-15499 on 127.0.0.1 only.
set -euo pipefail
bin=${1:?usage: bench.sh VPCDNS_BIN [SECONDS] [REPLICAS...]}
secs=${2:-10}
shift 2 || shift $#
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(1 2 3)
top=$(cd "$(dirname "$0")/../.." && pwd)
blast_src=${BLAST_SRC:-$top/../shared/bench/blast.c}
[ -r "$blast_src" ] || blast_src=/work/shared/bench/blast.c
work=$(mktemp -d "${TMPDIR:-/tmp}/vpcdns-scale.XXXXXX")
pids=()
cleanup()
{
	local p
	for p in ${pids[@]+"${pids[@]}"}; do kill "$p" 2>/dev/null || true; done
	for p in ${pids[@]+"${pids[@]}"}; do wait "$p" 2>/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT

cc -O2 -pthread -o "$work/blast" "$blast_src"
printf 'who.svc.internal A\n' >"$work/queries"
mkdir -p "$work/shared"
cat >"$work/shared/base.yaml" <<YAML
upstreams: [127.0.0.1:9]
cache: {max-entries: 0}
vpcs:
  - id: vpc-0a0a0a0a
    region: us-east-1
    clients: [127.0.0.1/32]
    hosted-zones: [{name: svc.internal, file: a.zone}]
    endpoints:
      - id: vpce-0a0a0a0a0a0a0a0a0
        service: com.amazonaws.us-east-1.sts
        dns-suffix: hcheck01
        subnets: [{az: us-east-1a, ipv4: 10.0.0.9}]
YAML
printf '$ORIGIN svc.internal.\n$TTL 60\nwho IN A 10.0.0.2\n' \
	>"$work/shared/a.zone"

# cpu PID...: utime + stime of the processes, in clock ticks.
cpu()
{
	local p t=0 f
	for p in "$@"; do
		f=$(cut -d' ' -f14,15 "/proc/$p/stat")
		t=$((t + ${f% *} + ${f#* }))
	done
	echo "$t"
}

hz=$(getconf CLK_TCK)
echo "| replicas | answered QPS | lost | dnsdist µs CPU/query | vpcdns µs CPU/query (all replicas) | total µs CPU/query |"
echo "|---|---|---|---|---|---|"
for n in "${counts[@]}"; do
	rp=()
	servers=
	for ((i = 1; i <= (n > 0 ? n : 1); i++)); do
		port=$((15410 + i))
		if [ "$n" -eq 0 ]; then
			listen="{address: 127.0.0.1, port: 15400}"
		else
			listen="{address: 127.0.0.1, port: $port, proxy-protocol: true, proxy-from: [127.0.0.1/32]}"
		fi
		cat >"$work/r$i.yaml" <<YAML
listen: [$listen]
include: shared
YAML
		"$bin" -c "$work/r$i.yaml" 2>"$work/r$i.log" &
		rp+=($!)
		pids+=($!)
		servers+="newServer({address=\"127.0.0.1:$port\", name=\"r$i\", useProxyProtocol=true, checkName=\"vpce-0a0a0a0a0a0a0a0a0-hcheck01.sts.us-east-1.vpce.amazonaws.com.\", checkType=\"A\", mustResolve=true, checkInterval=1, checkTimeout=1000, maxCheckFailures=2, rise=1})"$'\n'
	done
	cat >"$work/dnsdist.conf" <<LUA
setSecurityPollSuffix("")
setLocal("127.0.0.1:15400")
setACL({"127.0.0.0/8"})
$servers
setServerPolicy(leastOutstanding)
LUA
	if [ "$n" -gt 0 ]; then
		dnsdist --supervised --disable-syslog -C "$work/dnsdist.conf" \
			>"$work/dnsdist.log" 2>&1 &
		dd=$!
		pids+=($dd)
	else
		dd=${rp[0]} # no dnsdist: its column counts nothing
	fi
	for ((t = 0; t < 100; t++)); do
		[ "$n" -eq 0 ] && break
		[ "$(grep -c "as 'up'" "$work/dnsdist.log")" -ge "$n" ] && break
		sleep 0.1
	done
	sleep 0.5
	c0d=$(cpu "$dd")
	c0r=$(cpu "${rp[@]}")
	"$work/blast" -s 127.0.0.1 -p 15400 -d "$work/queries" -l "$secs" \
		-q 200 -c 8 >"$work/blast.json" 2>"$work/blast.err"
	c1d=$(cpu "$dd")
	c1r=$(cpu "${rp[@]}")
	[ "$n" -gt 0 ] || c1d=$c0d
	"${PYTHON:-python3}" - "$work/blast.json" "$n" "$hz" \
		"$((c1d - c0d))" "$((c1r - c0r))" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
n, hz, cd, cr = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
ans = d["completed"]
qps = d["qps"]
lost = d["lost"]
if d["rcodes"].get("NOERROR", 0) != ans:
    sys.exit("not every answer was NOERROR: %s" % d["rcodes"])
us = lambda ticks: 1e6 * ticks / hz / ans if ans else 0
print("| %s | %.1fk | %d | %s | %.1f | %.1f |" % (
    n if n != "0" else "1, no dnsdist", qps / 1000, lost,
    "%.1f" % us(cd) if n != "0" else "-", us(cr), us(cd + cr)))
PY
	kill "${rp[@]}"
	[ "$n" -eq 0 ] || kill "$dd"
	wait "${pids[@]}" 2>/dev/null || true
	pids=()
done
