#!/bin/bash
# tests/soak/soak.sh - soak test (a measurement, not part of make check).
#
# Runs vpcdns on the benchmark harness's data set (../shared/bench, zones
# mode, nsd upstream) under a fixed-rate blast load that cycles through
# the four scenarios S1-S4, sends SIGHUP every 10 s (a full reload of
# 2001 zone files each time), samples the daemon's RSS every 10 s and
# checks that the RSS at the end is within 10% of the RSS after the
# first minute.  Everything runs on 127.0.0.1 (ports 15390-15391); every
# process it starts is stopped by PID.  Bounded: SOAK_SECONDS (default
# 300) of load.
#
# usage: tests/soak/soak.sh   (env: VPCDNS_BIN, BENCH_DIR, BENCH_WORK,
#        SOAK_SECONDS, SOAK_QPS)
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
BENCH_DIR=${BENCH_DIR:-$top/../shared/bench}
WORK=${BENCH_WORK:-/tmp/vpcdns-bench}
BIN=${VPCDNS_BIN:-$top/build/resolver/vpcdns}
TOTAL=${SOAK_SECONDS:-300}
QPS=${SOAK_QPS:-20000}
PORT=15390 UPORT=15391
RUN=$(mktemp -d /tmp/vpcdns-soak.XXXXXX)
pids=()

cleanup()
{
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
	rm -rf "$RUN"
}
trap cleanup EXIT

[ -x "$BIN" ] || { echo "soak: no daemon at $BIN" >&2; exit 2; }
if [ ! -f "$WORK/data/manifest.json" ]; then
	/usr/bin/python3 "$BENCH_DIR/gen.py" --out "$WORK/data" >/dev/null
fi
[ -x "$WORK/blast" ] || cc -O2 -pthread -o "$WORK/blast" "$BENCH_DIR/blast.c"

mkdir -p "$RUN/nsd" "$RUN/vpcdns"
bash "$BENCH_DIR/targets/nsd.sh" "$UPORT" "$WORK/data" "$RUN/nsd" \
	>"$RUN/nsd.out" 2>&1 &
pids+=($!)
UPSTREAM=127.0.0.1:$UPORT VPCDNS_BIN=$BIN \
	bash "$BENCH_DIR/targets/vpcdns.sh" "$PORT" "$WORK/data" "$RUN/vpcdns" \
	>"$RUN/vpcdns.out" 2>&1 &
vpid=$!
pids+=("$vpid")
for _ in $(seq 1 100); do
	dig @127.0.0.1 -p "$PORT" +time=1 +tries=1 www.bench.test >/dev/null 2>&1 && break
	sleep 0.2
done

rss() { awk '/^VmRSS/ { print $2 }' "/proc/$vpid/status"; }
start=$SECONDS rss60=0 reloads=0 answered=0 sent=0
while [ $((SECONDS - start)) -lt "$TOTAL" ]; do
	for s in S1 S2 S3 S4; do
		[ $((SECONDS - start)) -lt "$TOTAL" ] || break
		out=$("$WORK/blast" -s 127.0.0.1 -p "$PORT" -d "$WORK/data/queries/$s.txt" \
			-l 10 -q 100 -c 4 -Q "$QPS" -t 2 2>/dev/null | tail -n 1)
		sent=$((sent + $(echo "$out" | grep -Eo '"sent": *[0-9]+' | grep -Eo '[0-9]+$')))
		answered=$((answered + $(echo "$out" | grep -Eo '"completed": *[0-9]+' | grep -Eo '[0-9]+$')))
		kill -HUP "$vpid"
		reloads=$((reloads + 1))
		now=$((SECONDS - start))
		echo "soak: t=${now}s scenario=$s rss_kb=$(rss) reloads=$reloads"
		if [ "$rss60" -eq 0 ] && [ "$now" -ge 60 ]; then rss60=$(rss); fi
	done
done
end_rss=$(rss)
kill -0 "$vpid" || { echo "FAIL: soak: the daemon died"; exit 1; }
limit=$((rss60 + rss60 / 10))
echo "soak: sent=$sent answered=$answered reloads=$reloads rss_after_1min_kb=$rss60 rss_end_kb=$end_rss limit_kb=$limit"
if [ "$end_rss" -le "$limit" ]; then
	echo "PASS: soak: resident memory at the end within 10% of the first minute"
else
	echo "FAIL: soak: resident memory grew more than 10% after the first minute"
	exit 1
fi
