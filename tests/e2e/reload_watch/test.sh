#!/bin/bash
# tests/e2e/reload_watch/test.sh - `watch: true` (issue 10): a changed zone
# file (written in place, or written aside and renamed over, as editors
# and config tools do) and a changed configuration file reload without a
# signal; the log says what changed (zone serials, zones added).
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
require_tool dig

# zone SERIAL NAME ADDR: a watch.internal zone file.
zone()
{
	printf '$ORIGIN watch.internal.\n$TTL 60\n@ IN SOA ns admin %s 3600 600 86400 60\n IN NS ns\nns IN A 10.0.0.1\n%s IN A %s\n' "$@"
}

# poll DESC REGEX DIG-ARGS...: queries until an answer matches, at most
# 30 s, then checks.
poll()
{
	local desc=$1 re=$2 end=$((SECONDS + 30))
	shift 2
	while :; do
		dig_q "$@"
		section ANSWER | grep -qE -- "$re" && break
		[ $SECONDS -lt $end ] || break
		sleep 0.2
	done
	check "$desc" status NOERROR answer "$re"
}

zone 1 one 10.0.0.11 >"$E2E_TMP/watch.internal.zone"
CLOSED=$(free_port) || fatal "a free port"
start_vpcdns vpcdns.yaml CLOSED="$CLOSED"
dig_q one.watch.internal A
check "before: the first record" status NOERROR answer '10\.0\.0\.11$'

zone 2 two 10.0.0.12 >"$E2E_TMP/watch.internal.zone"
poll "a zone file written in place is reloaded" '10\.0\.0\.12$' \
	two.watch.internal A

zone 3 three 10.0.0.13 >"$E2E_TMP/zone.tmp"
mv "$E2E_TMP/zone.tmp" "$E2E_TMP/watch.internal.zone"
poll "a zone file renamed over is reloaded" '10\.0\.0\.13$' \
	three.watch.internal A

printf '$ORIGIN extra.internal.\n$TTL 60\n@ IN SOA ns admin 1 3600 600 86400 60\n IN NS ns\nns IN A 10.0.0.1\nx IN A 10.0.5.5\n' \
	>"$E2E_TMP/extra.internal.zone"
cat >>"$VPCDNS_CONF" <<EOC
      - {name: extra.internal, file: "$E2E_TMP/extra.internal.zone"}
EOC
poll "a changed configuration file is reloaded" '10\.0\.5\.5$' \
	x.extra.internal A

E2E_OUT=$(vpcdns_log)
E2E_CMD="cat $VPCDNS_LOGFILE"
check "the log names the file and what changed" \
	output 'daemon: watch: .*watch\.internal\.zone changed' \
	output 'daemon: reload: zone watch\.internal\. serial 1 -> 2' \
	output 'daemon: watch: .*vpcdns1\.yaml changed' \
	output 'daemon: reload: zone extra\.internal\. added in vpc-0e2e0015'
printf '%s\n' "$E2E_OUT" | grep 'daemon: reload' | sed 's/^/# /'
finish
