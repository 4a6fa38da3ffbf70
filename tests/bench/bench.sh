#!/bin/bash
# tests/bench/bench.sh - what `make bench` runs (issue 14): the peers that are
# installed, the syscall-only ceiling and the built vpcdns in both modes
# (zones, endpoints) side by side in ONE harness run over S1-S4, then the
# same at 20,000 endpoints (S1, S4), then start-up/reload/memory at 200,
# 2,000 and 20,000 endpoints and a 1,000,000-record zone (lib/scale.py), and
# writes its own section of docs/BENCHMARKS.md (lib/report.py), leaving the
# other sections alone.  Never part of `make check`: figures are ratios from
# one run, not assertions.
#
# Environment: VPCDNS_BIN (the daemon; make bench sets it), BENCH_SECONDS
# (default 5), BENCH_REPEAT (default 3), BENCH_WORK (default
# /tmp/vpcdns-bench-make), BENCH_DOC (default docs/BENCHMARKS.md),
# BENCH_SCALE=0 to skip the scale runs.  Traffic: 127.0.0.1:15300-15399 only.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
: "${VPCDNS_BIN:?set VPCDNS_BIN to the built daemon (make bench does)}"
export VPCDNS_BIN
work=${BENCH_WORK:-/tmp/vpcdns-bench-make}
secs=${BENCH_SECONDS:-5}
repeat=${BENCH_REPEAT:-3}
doc=${BENCH_DOC:-$top/docs/BENCHMARKS.md}
mkdir -p "$work/2k" "$work/20k"

# The peers and tools, without letting apt start them as services.
need=""
for p in dnsperf unbound knot-resolver dnsmasq pdns-recursor nsd bind9-dnsutils gcc; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need="$need $p"
done
[ -z "$need" ] || flock /tmp/vpcdns-apt.lock "$here/install.sh"

targets=ceiling
for t in unbound kresd dnsmasq pdns; do
	case $t in
	unbound) bin=unbound ;; kresd) bin=kresd ;; dnsmasq) bin=dnsmasq ;; pdns) bin=pdns_recursor ;;
	esac
	if command -v "$bin" >/dev/null 2>&1 || [ -x "/usr/sbin/$bin" ]; then targets="$targets,$t"; fi
done
targets="$targets,vpcdns,vpcdns-endpoints"

echo "bench: targets $targets, $secs s x $repeat per cell, work $work" >&2
"$here/run.sh" --targets "$targets" --seconds "$secs" --repeat "$repeat" \
	--work "$work/2k" --json "$work/2k/results.json" | tee "$work/2k/table.md"
sed -i -n '/^| target/,/^$/p' "$work/2k/table.md"

args=(--results "$work/2k/results.json" --table "$work/2k/table.md" --doc "$doc")
if [ "${BENCH_SCALE:-1}" != 0 ]; then
	"$here/run.sh" --targets ceiling,unbound,vpcdns,vpcdns-endpoints --scenarios S1,S4 \
		--seconds "$secs" --repeat "$repeat" --regen --endpoints 20000 \
		--work "$work/20k" --json "$work/20k/results.json" >"$work/20k/table.md"
	cc -O2 -pthread -o "$work/blast" "$here/blast.c"
	python3 "$here/lib/scale.py" --vpcdns "$VPCDNS_BIN" --blast "$work/blast" --work "$work"
	args+=(--results-20k "$work/20k/results.json" --scale "$work/scale.json")
fi
python3 "$here/lib/report.py" "${args[@]}"
echo "bench: wrote its section of $doc" >&2
