# tests/e2e/lib.sh - harness of the end-to-end scenarios (STYLE.md §6).
#
# Copyright (c) 2026 The vpcdns authors.
# SPDX-License-Identifier: MIT
#
# Sourced by tests/e2e/<scenario>/test.sh.  It runs the real daemon
# ($VPCDNS_BIN) and real upstreams (nsd) on 127.0.0.1 (and ::1) only, queries
# them with dig, kdig, drill or python3, and prints one line per check:
#
#	PASS: <scenario>: <description>
#	FAIL: <scenario>: <description>
#	    <the expectations that failed, the command and its full output>
#
# Every process a scenario starts is recorded by PID; the EXIT trap stops
# those and no other, removes the scenario's temporary directory and exits
# 1 when a check failed, 0 otherwise, 77 when the scenario was skipped
# (automake TESTS semantics; skip_machine / skip_missing say why).  Every wait is bounded in time.
#
# Environment: VPCDNS_BIN (the daemon), TOP_SRCDIR (the source tree), both
# exported by tests/Makefile.am; sensible defaults when run by hand.
# E2E_VERBOSE=1 prints the output of passing checks too; E2E_KEEP=1 keeps
# the temporary directory (configurations, logs) of a failed scenario.
# VPCDNS_VALGRIND=1 runs every daemon start_vpcdns starts under valgrind
# (memcheck, full leak check): errors, or definite or indirect leaks at
# exit, fail the scenario (see e2e_check_valgrind).
#
# A scenario: start_upstream / start_blackhole / start_vpcdns, then
# queries (dig_q, kdig_q, drill_q, dig_at, run_cmd) each followed by a check
# (see check() for the assertions), and `finish` as its last line.

# Globals set here are read by the scenarios.
# shellcheck disable=SC2034
set -u
shopt -u patsub_replacement 2>/dev/null || true

E2E_SCENARIO_DIR=$(cd "$(dirname "$0")" && pwd)
SCENARIO=$(basename "$E2E_SCENARIO_DIR")
E2E_DIR=$(cd "$E2E_SCENARIO_DIR/.." && pwd)
: "${TOP_SRCDIR:=$(cd "$E2E_DIR/../.." && pwd)}"
if [ -z "${VPCDNS_BIN:-}" ]; then
	if [ -x "$TOP_SRCDIR/build/resolver/vpcdns" ]; then
		VPCDNS_BIN=$TOP_SRCDIR/build/resolver/vpcdns
	else
		VPCDNS_BIN=$TOP_SRCDIR/resolver/vpcdns
	fi
fi
# Debian's python3 carries dnspython; another one may come first in PATH.
if [ -z "${E2E_PYTHON:-}" ]; then
	if [ -x /usr/bin/python3 ]; then
		E2E_PYTHON=/usr/bin/python3
	else
		E2E_PYTHON=python3
	fi
fi
# The ports the suite owns.
E2E_PORT_MIN=20000
E2E_PORT_MAX=29999

E2E_CHECKS=0
E2E_FAILS=0
E2E_FINISHED=0
E2E_SKIP=
E2E_FATAL=
E2E_PIDS=()          # every process started, stopped by the EXIT trap
E2E_VPCDNS_PIDS=()   # the vpcdns ones, whose exit status is checked
declare -A E2E_LOG   # PID -> its log file
E2E_OUT=             # output of the last query or command
E2E_CMD=             # the last query or command, for failure reports
E2E_RC=0             # its exit status
E2E_MS=0             # its duration in milliseconds
E2E_GOT=             # what an assertion saw, for failure reports
E2E_STOP_STATUS=     # exit status seen by e2e_stop
VPCDNS_ADDR=127.0.0.1 # where dig_q and friends ask the daemon
VPCDNS_PORT=
VPCDNS_PID=
VPCDNS_CONF=
VPCDNS_LOGFILE=
UPSTREAM_PORT=
UPSTREAM_PID=
E2E_N_UPSTREAMS=0
E2E_N_VPCDNS=0

E2E_TMP=$(mktemp -d "${TMPDIR:-/tmp}/vpcdns-e2e-$SCENARIO.XXXXXX") || {
	echo "FAIL: $SCENARIO: cannot create a temporary directory"
	exit 1
}

# --- reporting -------------------------------------------------------------

# Indents text for a failure report.
e2e_indent()
{
	sed 's/^/    | /'
}

# e2e_report DESC [FAILED-EXPECTATION...]: prints the one line of a check
# (and, on failure, the expectations, the command and its output).
e2e_report()
{
	local desc=$1 e
	shift
	E2E_CHECKS=$((E2E_CHECKS + 1))
	if [ $# -eq 0 ]; then
		echo "PASS: $SCENARIO: $desc"
		if [ "${E2E_VERBOSE:-0}" = 1 ]; then
			printf '%s\n' "$E2E_OUT" | e2e_indent
		fi
		return 0
	fi
	E2E_FAILS=$((E2E_FAILS + 1))
	echo "FAIL: $SCENARIO: $desc"
	for e in "$@"; do
		echo "    expected: $e"
	done
	echo "    command: $E2E_CMD (exit status $E2E_RC)"
	echo "    output:"
	printf '%s\n' "$E2E_OUT" | e2e_indent
	return 1
}

# pass DESC / fail DESC [DETAIL...]: checks decided by the scenario itself.
pass()
{
	E2E_CHECKS=$((E2E_CHECKS + 1))
	echo "PASS: $SCENARIO: $1"
}

fail()
{
	local desc=$1 d
	shift
	E2E_CHECKS=$((E2E_CHECKS + 1))
	E2E_FAILS=$((E2E_FAILS + 1))
	echo "FAIL: $SCENARIO: $desc"
	for d in "$@"; do
		printf '%s\n' "$d" | sed 's/^/    /'
	done
	return 1
}

# fatal DESC [DETAIL...]: a failed check after which the scenario cannot go
# on; exits through the trap.
fatal()
{
	fail "$@"
	E2E_FATAL=1
	exit 1
}

# A skip (exit 77) always prints its reason on a line
#	SKIP: <scenario>: <class>: <reason>
# and the class decides what CI makes of it (.ci/run's header):
#	machine:          the machine cannot give what the scenario needs (no
#	                  network namespaces in a chroot, no container runtime);
#	                  counted as skipped
#	missing package:  a tool scripts/deps.sh installs is absent; counted
#	                  as failed, because scripts/test should have installed it
# skip_machine REASON (or skip REASON): the scenario cannot run on this
# machine.  A tool scripts/deps.sh installs is never a reason: use
# require_tool, which skips as a missing package.
skip_machine()
{
	echo "SKIP: $SCENARIO: machine: $1"
	E2E_SKIP=1
	exit 77
}

skip()
{
	skip_machine "$@"
}

# skip_missing REASON: a package scripts/deps.sh lists is not installed.
skip_missing()
{
	echo "SKIP: $SCENARIO: missing package: $1 (scripts/deps.sh installs it)"
	E2E_SKIP=1
	exit 77
}

# require_tool NAME...: skip (missing package) when a tool is not installed.
require_tool()
{
	local t
	for t in "$@"; do
		command -v "$t" >/dev/null 2>&1 || skip_missing "$t is not installed"
	done
}

# require_dnspython: skip (missing package) when $E2E_PYTHON cannot import
# dnspython.
require_dnspython()
{
	"$E2E_PYTHON" -c 'import dns.message' >/dev/null 2>&1 ||
		skip_missing "$E2E_PYTHON has no dnspython"
}

# --- processes -------------------------------------------------------------

# Background processes get SIGTERM when the scenario's shell dies, even by
# SIGKILL (prctl PR_SET_PDEATHSIG through util-linux's setpriv).
E2E_LAUNCH=()
if setpriv --help 2>&1 | grep -q -- --pdeathsig; then
	E2E_LAUNCH=(setpriv --pdeathsig TERM --)
fi

# True when PID is running (a zombie is not).
e2e_alive()
{
	local stat
	[ -r "/proc/$1/stat" ] || return 1
	read -r stat <"/proc/$1/stat" 2>/dev/null || return 1
	stat=${stat##*) }
	[ "${stat%% *}" != Z ]
}

# e2e_track PID [LOGFILE]: the EXIT trap will stop PID.
e2e_track()
{
	E2E_PIDS+=("$1")
	E2E_LOG[$1]=${2:-}
}

e2e_untrack()
{
	local p keep=()
	for p in ${E2E_PIDS[@]+"${E2E_PIDS[@]}"}; do
		[ "$p" = "$1" ] || keep+=("$p")
	done
	E2E_PIDS=(${keep[@]+"${keep[@]}"})
	keep=()
	for p in ${E2E_VPCDNS_PIDS[@]+"${E2E_VPCDNS_PIDS[@]}"}; do
		[ "$p" = "$1" ] || keep+=("$p")
	done
	E2E_VPCDNS_PIDS=(${keep[@]+"${keep[@]}"})
}

# e2e_wait_exit PID SECONDS: waits, bounded, until PID has exited.
e2e_wait_exit()
{
	local pid=$1 i n=$(($2 * 10))
	for ((i = 0; i < n; i++)); do
		e2e_alive "$pid" || return 0
		sleep 0.1
	done
	! e2e_alive "$pid"
}

# e2e_stop PID [SIGNAL] [SECONDS]: sends SIGNAL (default TERM) to PID, one of
# ours, waits up to SECONDS (default 5), then SIGKILLs it and the children
# it had.  Sets E2E_STOP_STATUS to its exit status (the shell's 128+N for a
# signal) and returns 0 when it exited in time, 1 when it had to be killed.
e2e_stop()
{
	local pid=$1 sig=${2:-TERM} secs=${3:-5} kids rc=0 k
	kids=$(pgrep -P "$pid" 2>/dev/null | tr '\n' ' ')
	kill -s "$sig" "$pid" 2>/dev/null
	if ! e2e_wait_exit "$pid" "$secs"; then
		rc=1
		kill -s KILL "$pid" 2>/dev/null
	fi
	for k in $kids; do
		if e2e_wait_exit "$k" 2; then continue; fi
		kill -s KILL "$k" 2>/dev/null
	done
	wait "$pid" 2>/dev/null
	E2E_STOP_STATUS=$?
	e2e_untrack "$pid"
	return $rc
}

# Sanitizer reports in a daemon's log are failures.
e2e_check_sanitizers()
{
	local log=$1
	[ -n "$log" ] && [ -r "$log" ] || return 0
	if grep -qE 'ERROR: (Address|Leak|Thread|Memory)Sanitizer|runtime error:' "$log"; then
		fail "no sanitizer report in $(basename "$log")" \
			"$(grep -E -A30 'Sanitizer|runtime error:' "$log" | head -60)"
	fi
}

# Under VPCDNS_VALGRIND=1: valgrind's report (LOG.valgrind) must show no
# error and no definite or indirect leak; the exit status 99 it gives then
# is also caught by the exit status check.  Children are traced so that a
# VPCDNS_BIN wrapper script that execs the daemon still gets checked.
E2E_VALGRIND=()
# Seconds a daemon may take to answer its first query; valgrind is slow.
E2E_START_SECS=10
if [ "${VPCDNS_VALGRIND:-0}" = 1 ]; then
	E2E_VALGRIND=(valgrind --error-exitcode=99 --leak-check=full
		--errors-for-leak-kinds=definite,indirect --trace-children=yes)
	E2E_START_SECS=30
fi

e2e_check_valgrind()
{
	local vg=$1.valgrind
	[ ${#E2E_VALGRIND[@]} -gt 0 ] || return 0
	if [ ! -s "$vg" ]; then
		fail "valgrind report $(basename "$vg") exists" \
			"VPCDNS_VALGRIND=1 but valgrind wrote nothing"
	elif ! grep -qE 'ERROR SUMMARY: 0 errors' "$vg" ||
		grep -qE '(definitely|indirectly) lost: [1-9]' "$vg"; then
		fail "no valgrind error or leak in $(basename "$vg")" \
			"$(grep -vE '^==[0-9]+== *$' "$vg" | tail -n 80)"
	else
		pass "no valgrind error or leak in $(basename "$vg")"
	fi
}

e2e_cleanup()
{
	local rc=$? pid log vp
	trap - EXIT INT TERM HUP
	for pid in ${E2E_PIDS[@]+"${E2E_PIDS[@]}"}; do
		log=${E2E_LOG[$pid]:-}
		vp=0
		case " ${E2E_VPCDNS_PIDS[*]+${E2E_VPCDNS_PIDS[*]}} " in
		*" $pid "*) vp=1 ;;
		esac
		if [ -n "$E2E_SKIP" ] || [ "$vp" = 0 ]; then
			e2e_stop "$pid" TERM 5
			continue
		fi
		if ! e2e_alive "$pid"; then
			wait "$pid" 2>/dev/null
			fail "vpcdns (pid $pid) still running at the end" \
				"it exited with status $?; log:" \
				"$(tail -n 40 "$log" 2>/dev/null)"
		elif ! e2e_stop "$pid" TERM 10; then
			fail "vpcdns (pid $pid) stops within 10 s of SIGTERM" \
				"$(tail -n 40 "$log" 2>/dev/null)"
		elif [ "$E2E_STOP_STATUS" != 0 ]; then
			fail "vpcdns (pid $pid) exits 0 on SIGTERM" \
				"exit status $E2E_STOP_STATUS; log:" \
				"$(tail -n 40 "$log" 2>/dev/null)"
		fi
		e2e_check_sanitizers "$log"
		e2e_check_valgrind "$log"
	done
	if [ -n "$E2E_SKIP" ]; then
		rm -rf "$E2E_TMP"
		exit 77
	fi
	if [ "$E2E_FINISHED" != 1 ] && [ -z "$E2E_FATAL" ]; then
		fail "scenario ran to its end" \
			"the script stopped early (status $rc)"
	elif [ "$E2E_CHECKS" -eq 0 ]; then
		fail "scenario made at least one check"
	fi
	if [ "$E2E_FAILS" -gt 0 ] && [ "${E2E_KEEP:-0}" = 1 ]; then
		echo "# $SCENARIO: kept $E2E_TMP"
	else
		rm -rf "$E2E_TMP"
	fi
	echo "# $SCENARIO: $E2E_CHECKS checks, $E2E_FAILS failed"
	[ "$E2E_FAILS" -eq 0 ] && exit 0
	exit 1
}
trap e2e_cleanup EXIT
trap 'exit 1' INT TERM HUP

# finish: the last line of every test.sh.
finish()
{
	E2E_FINISHED=1
	exit 0
}

# --- ports -----------------------------------------------------------------

# free_port: prints a port in the suite's range that is free on 127.0.0.1
# (and on ::1 when the host has it) for both UDP and TCP at the time of the
# call.
free_port()
{
	"$E2E_PYTHON" - "$E2E_PORT_MIN" "$E2E_PORT_MAX" <<'EOF'
import errno, random, socket, sys
lo, hi = int(sys.argv[1]), int(sys.argv[2])
for _ in range(200):
    port = random.randint(lo, hi)
    socks = []
    try:
        for kind in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
            s = socket.socket(socket.AF_INET, kind)
            socks.append(s)
            s.bind(("127.0.0.1", port))
        for kind in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
            try:
                s = socket.socket(socket.AF_INET6, kind)
            except OSError:
                break
            socks.append(s)
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            try:
                s.bind(("::1", port))
            except OSError as e:
                if e.errno == errno.EADDRINUSE:
                    raise
                break
    except OSError:
        continue
    finally:
        for s in socks:
            s.close()
    print(port)
    sys.exit(0)
sys.exit(1)
EOF
}

# have_ipv6: true when ::1 can be bound here.
have_ipv6()
{
	"$E2E_PYTHON" -c '
import socket
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind(("::1", 0))
' >/dev/null 2>&1
}

# --- upstreams (nsd) ---------------------------------------------------------

# start_upstream ZONEFILE ORIGIN [ZONEFILE ORIGIN...]: starts an nsd serving
# the zone(s) on 127.0.0.1:<free port>; ZONEFILE is relative to the scenario
# directory unless absolute.  Sets UPSTREAM_PORT and UPSTREAM_PID; may be
# called several times.  E2E_NSD_ADDR and E2E_NSD_PORT, when set, give the
# address and port instead (a delegated name server must answer on port
# 53: give it an address of 127/8 of the scenario's own).
start_upstream()
{
	local n dir attempt port pid zf origin end first_origin=$2 z=0
	local args=("$@")
	require_tool nsd dig
	E2E_N_UPSTREAMS=$((E2E_N_UPSTREAMS + 1))
	n=$E2E_N_UPSTREAMS
	dir=$E2E_TMP/nsd$n
	mkdir -p "$dir"
	for attempt in 1 2 3; do
		port=${E2E_NSD_PORT:-$(free_port)} ||
			fatal "start upstream $n" "no free port"
		cat >"$dir/nsd.conf" <<EOF
server:
	ip-address: ${E2E_NSD_ADDR:-127.0.0.1}
	port: $port
	server-count: 1
	do-ip6: no
	zonesdir: "$dir"
	pidfile: "$dir/nsd.pid"
	username: ""
	chroot: ""
	database: ""
	zonelistfile: "$dir/zone.list"
	xfrdfile: "$dir/xfrd.state"
	xfrdir: "$dir"
	logfile: "$dir/nsd.log"
	rrl-ratelimit: 0
	verbosity: 1
	hide-version: yes
remote-control:
	control-enable: no
EOF
		for ((z = 0; z + 1 < ${#args[@]}; z += 2)); do
			zf=${args[z]}
			origin=${args[z + 1]}
			case $zf in /*) ;; *) zf=$E2E_SCENARIO_DIR/$zf ;; esac
			[ -r "$zf" ] || fatal "start upstream $n" "no zone file $zf"
			cp "$zf" "$dir/zone$z"
			printf 'zone:\n\tname: "%s"\n\tzonefile: "%s"\n' \
				"$origin" "$dir/zone$z" >>"$dir/nsd.conf"
		done
		${E2E_LAUNCH[@]+"${E2E_LAUNCH[@]}"} \
			nsd -d -c "$dir/nsd.conf" >"$dir/stderr" 2>&1 &
		pid=$!
		e2e_track "$pid" "$dir/nsd.log"
		end=$((SECONDS + 10))
		while [ $SECONDS -lt $end ] && e2e_alive "$pid"; do
			if dig @"${E2E_NSD_ADDR:-127.0.0.1}" -p "$port" +time=1 \
				+tries=1 +norec "$first_origin" SOA 2>/dev/null |
				grep -q 'status: NOERROR'; then
				UPSTREAM_PORT=$port
				UPSTREAM_PID=$pid
				return 0
			fi
			sleep 0.1
		done
		e2e_stop "$pid" TERM 5
		# Another test may have taken the port meanwhile: retry.
		grep -qi 'address already in use\|can.t bind' \
			"$dir/stderr" "$dir/nsd.log" 2>/dev/null || break
	done
	fatal "start upstream nsd $n for $first_origin" \
		"$(cat "$dir/stderr" "$dir/nsd.log" 2>/dev/null)"
}

# stop_upstream PID: stops one upstream now.
stop_upstream()
{
	e2e_stop "$1" TERM 5
}

# start_blackhole [PORT]: binds UDP and TCP (listening, never accepting) on
# 127.0.0.1:PORT (default: a free port) and never answers: an upstream that
# times out, or a port another program holds.  Lives at most 60 s.  Sets
# BLACKHOLE_PORT and BLACKHOLE_PID.
start_blackhole()
{
	local port=${1:-} ready=$E2E_TMP/blackhole.$RANDOM i pid
	[ -n "$port" ] || port=$(free_port) || fatal "start blackhole" "no free port"
	${E2E_LAUNCH[@]+"${E2E_LAUNCH[@]}"} "$E2E_PYTHON" -c '
import select, socket, sys, time
port = int(sys.argv[1])
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("127.0.0.1", port))
t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
t.bind(("127.0.0.1", port))
t.listen(16)
open(sys.argv[2], "w").write("ready\n")
end = time.time() + 60
while time.time() < end:
    r, _, _ = select.select([u], [], [], 0.5)
    if r:
        u.recv(65535)
' "$port" "$ready" 2>"$ready.err" &
	pid=$!
	e2e_track "$pid"
	for ((i = 0; i < 100; i++)); do
		[ -s "$ready" ] && break
		e2e_alive "$pid" || break
		sleep 0.05
	done
	[ -s "$ready" ] || fatal "start blackhole on port $port" "$(cat "$ready.err")"
	BLACKHOLE_PORT=$port
	BLACKHOLE_PID=$pid
}

# start_fake NAME [ARGS...]: starts tests/tools/fake_upstream.py on a free
# port with ARGS (a later --lifetime replaces the default 90 s).  Sets
# FAKE_PORT, FAKE_PID and FAKE_LOG (its query log).
start_fake()
{
	local name=$1 attempt port pid ready i
	shift
	FAKE_LOG=$E2E_TMP/$name.queries
	for attempt in 1 2 3; do
		port=$(free_port) || fatal "start fake $name" "no free port"
		ready=$E2E_TMP/$name.ready
		rm -f "$ready"
		${E2E_LAUNCH[@]+"${E2E_LAUNCH[@]}"} "$E2E_PYTHON" "$TOP_SRCDIR/tests/tools/fake_upstream.py" \
			--port "$port" --ready "$ready" --log "$FAKE_LOG" \
			--lifetime 90 "$@" 2>>"$E2E_TMP/$name.stderr" &
		pid=$!
		e2e_track "$pid"
		for ((i = 0; i < 100; i++)); do
			[ -s "$ready" ] && break
			e2e_alive "$pid" || break
			sleep 0.05
		done
		if [ -s "$ready" ]; then
			FAKE_PORT=$port
			FAKE_PID=$pid
			return 0
		fi
		e2e_stop "$pid" TERM 2
	done
	fatal "start fake upstream $name" "$(cat "$E2E_TMP/$name.stderr")"
}

# --- vpcdns ----------------------------------------------------------------

# e2e_subst IN OUT [KEY=VALUE...]: copies IN to OUT replacing @PORT@,
# @UPSTREAM@ (127.0.0.1:$UPSTREAM_PORT), @DIR@ (the scenario directory),
# @TMP@ (the temporary directory), @TOP@ (TOP_SRCDIR) and each @KEY@.
e2e_subst()
{
	local in=$1 out=$2 text kv
	shift 2
	text=$(cat "$in") || return 1
	text=${text//@PORT@/${VPCDNS_PORT}}
	text=${text//@UPSTREAM@/127.0.0.1:${UPSTREAM_PORT}}
	text=${text//@DIR@/${E2E_SCENARIO_DIR}}
	text=${text//@TMP@/${E2E_TMP}}
	text=${text//@TOP@/${TOP_SRCDIR}}
	for kv in "$@"; do
		text=${text//@${kv%%=*}@/${kv#*=}}
	done
	printf '%s\n' "$text" >"$out"
}

# e2e_wait_answer PORT PID SECONDS: waits until something on
# $VPCDNS_ADDR:PORT answers a UDP query (any RCODE) while PID lives.
e2e_wait_answer()
{
	local port=$1 pid=$2 end=$((SECONDS + $3))
	while [ $SECONDS -lt $end ] && e2e_alive "$pid"; do
		# A CH query is answered without any upstream (REFUSED).
		if dig @"$VPCDNS_ADDR" -p "$port" +time=1 +tries=1 -c CH \
			version.bind TXT >/dev/null 2>&1; then
			return 0
		fi
		sleep 0.1
	done
	return 1
}

# start_vpcdns TEMPLATE [KEY=VALUE...]: writes the configuration from the
# scenario's TEMPLATE (see e2e_subst) to $E2E_TMP, starts the daemon on a
# free port and waits until it answers on $VPCDNS_ADDR (set it to ::1 for a
# template that listens there).  Sets VPCDNS_PORT, VPCDNS_PID,
# VPCDNS_CONF and VPCDNS_LOGFILE.  Fails the scenario when it does not
# come up.
start_vpcdns()
{
	local tmpl=$1 attempt pid log conf st="none (killed: it did not answer)"
	shift
	case $tmpl in /*) ;; *) tmpl=$E2E_SCENARIO_DIR/$tmpl ;; esac
	[ -x "$VPCDNS_BIN" ] || fatal "vpcdns binary exists" \
		"VPCDNS_BIN=$VPCDNS_BIN is not executable"
	E2E_N_VPCDNS=$((E2E_N_VPCDNS + 1))
	conf=$E2E_TMP/vpcdns$E2E_N_VPCDNS.yaml
	log=$E2E_TMP/vpcdns$E2E_N_VPCDNS.log
	for attempt in 1 2 3; do
		VPCDNS_PORT=$(free_port) || fatal "start vpcdns" "no free port"
		e2e_subst "$tmpl" "$conf" "$@" ||
			fatal "start vpcdns" "cannot read $tmpl"
		${E2E_LAUNCH[@]+"${E2E_LAUNCH[@]}"} \
			${E2E_VALGRIND[@]+"${E2E_VALGRIND[@]}" \
			"--log-file=$log.valgrind"} \
			"$VPCDNS_BIN" -c "$conf" 2>>"$log" &
		pid=$!
		e2e_track "$pid" "$log"
		E2E_VPCDNS_PIDS+=("$pid")
		if e2e_wait_answer "$VPCDNS_PORT" "$pid" "$E2E_START_SECS"; then
			VPCDNS_PID=$pid
			VPCDNS_CONF=$conf
			VPCDNS_LOGFILE=$log
			return 0
		fi
		if e2e_alive "$pid"; then
			e2e_stop "$pid" KILL 2
			break
		fi
		wait "$pid" 2>/dev/null
		st=$?
		e2e_untrack "$pid"
		# Exit 3 is a bind failure: another test may have won the port.
		[ "$st" = 3 ] || break
	done
	fatal "vpcdns starts and answers on $VPCDNS_ADDR port $VPCDNS_PORT" \
		"exit status: $st" "configuration $conf:" "$(cat "$conf")" \
		"log:" "$(cat "$log")"
}

# start_vpcdns_args ARG...: starts the daemon with this command line
# instead of a configuration file (the quick start `--endpoint ...`), each
# ARG passed through the substitutions of e2e_subst (@PORT@: the free port
# it must listen on, @UPSTREAM@, @DIR@, @TMP@, @TOP@), and waits until it
# answers on $VPCDNS_ADDR:$VPCDNS_PORT.  Its stdout and stderr go to its
# log.  Sets VPCDNS_PORT, VPCDNS_PID and VPCDNS_LOGFILE (VPCDNS_CONF is
# emptied).  Fails the scenario when it does not come up.
start_vpcdns_args()
{
	local attempt pid log a args=() st="none (killed: it did not answer)"
	[ -x "$VPCDNS_BIN" ] || fatal "vpcdns binary exists" \
		"VPCDNS_BIN=$VPCDNS_BIN is not executable"
	E2E_N_VPCDNS=$((E2E_N_VPCDNS + 1))
	log=$E2E_TMP/vpcdns$E2E_N_VPCDNS.log
	for attempt in 1 2 3; do
		VPCDNS_PORT=$(free_port) || fatal "start vpcdns" "no free port"
		args=()
		for a in "$@"; do
			a=${a//@PORT@/${VPCDNS_PORT}}
			a=${a//@UPSTREAM@/127.0.0.1:${UPSTREAM_PORT}}
			a=${a//@DIR@/${E2E_SCENARIO_DIR}}
			a=${a//@TMP@/${E2E_TMP}}
			a=${a//@TOP@/${TOP_SRCDIR}}
			args+=("$a")
		done
		${E2E_LAUNCH[@]+"${E2E_LAUNCH[@]}"} \
			${E2E_VALGRIND[@]+"${E2E_VALGRIND[@]}" \
			"--log-file=$log.valgrind"} \
			"$VPCDNS_BIN" "${args[@]}" >>"$log" 2>&1 &
		pid=$!
		e2e_track "$pid" "$log"
		E2E_VPCDNS_PIDS+=("$pid")
		if e2e_wait_answer "$VPCDNS_PORT" "$pid" "$E2E_START_SECS"; then
			VPCDNS_PID=$pid
			VPCDNS_CONF=
			VPCDNS_LOGFILE=$log
			return 0
		fi
		if e2e_alive "$pid"; then
			e2e_stop "$pid" KILL 2
			break
		fi
		wait "$pid" 2>/dev/null
		st=$?
		e2e_untrack "$pid"
		# Exit 3 is a bind failure: another test may have won the port.
		[ "$st" = 3 ] || break
	done
	fatal "vpcdns ${args[*]} starts and answers on $VPCDNS_ADDR port $VPCDNS_PORT" \
		"exit status: $st" "log:" "$(cat "$log")"
}

# vpcdns_log: the daemon's log so far.
vpcdns_log()
{
	cat "$VPCDNS_LOGFILE" 2>/dev/null
}

# wait_log REGEX [SECONDS]: waits until the daemon's log matches REGEX
# (extended) at least COUNT times (E2E_LOG_COUNT, default 1).
wait_log()
{
	local re=$1 end=$((SECONDS + ${2:-10})) want=${E2E_LOG_COUNT:-1}
	local n
	while [ $SECONDS -le $end ]; do
		n=$(grep -cE -- "$re" "$VPCDNS_LOGFILE" 2>/dev/null)
		[ "${n:-0}" -ge "$want" ] && return 0
		sleep 0.1
	done
	return 1
}

# --- queries ---------------------------------------------------------------

# run_cmd CMD...: runs a command (at most 20 s), keeps its output, status
# and duration (E2E_MS, milliseconds).
run_cmd()
{
	local t0=${EPOCHREALTIME/./}
	E2E_CMD="$*"
	E2E_OUT=$(timeout 20 "$@" 2>&1)
	E2E_RC=$?
	E2E_MS=$(((${EPOCHREALTIME/./} - t0) / 1000))
}

# dig_at PORT ARGS...: dig at 127.0.0.1:PORT (one try, 2 s by default;
# later +time/+tries arguments win).
dig_at()
{
	local port=$1
	shift
	run_cmd dig @127.0.0.1 -p "$port" +time=2 +tries=1 "$@"
}

# dig_q ARGS...: dig at the daemon ($VPCDNS_ADDR, $VPCDNS_PORT).
dig_q()
{
	run_cmd dig @"$VPCDNS_ADDR" -p "$VPCDNS_PORT" +time=2 +tries=1 "$@"
}

# kdig_q ARGS...: kdig at the daemon.
kdig_q()
{
	run_cmd kdig @"$VPCDNS_ADDR" -p "$VPCDNS_PORT" +time=2 +retry=0 "$@"
}

# drill_q NAME TYPE [OPTIONS...]: drill at the daemon.
drill_q()
{
	local name=$1 type=$2
	shift 2
	run_cmd drill -p "$VPCDNS_PORT" "$@" "$name" @"$VPCDNS_ADDR" "$type"
}

# --- parsing the output of dig, kdig and drill ---------------------------------

# section NAME: the lines of a section (ANSWER, AUTHORITY, ADDITIONAL,
# QUESTION, OPT for the EDNS pseudosection) of the last output, blanks
# squeezed; question lines lose their leading ';'.
section()
{
	local want
	case $1 in
	OPT) want='^;; (OPT|EDNS) PSEUDOSECTION:' ;;
	*) want="^;; $1 SECTION:" ;;
	esac
	printf '%s\n' "$E2E_OUT" | awk -v want="$want" -v q="$1" '
		$0 ~ want { on = 1; next }
		on && ($0 ~ /^[ \t]*$/ || $0 ~ /^;; [A-Z ]+(SECTION|PSEUDOSECTION):/ ||
		       $0 ~ /^;; (Query time|Received|MSG SIZE|SERVER)/) { on = 0 }
		on {
			if (q == "QUESTION") sub(/^;+ ?/, "")
			$1 = $1
			if ($0 != "") print
		}'
}

# rcode_of_output: the RCODE in the header line of the last output.
rcode_of_output()
{
	printf '%s\n' "$E2E_OUT" | grep -m1 -- '->>HEADER<<-' |
		sed -nE 's/.*(status|rcode): ([A-Za-z0-9]+).*/\2/p'
}

# flags_of_output: the header flags of the last output, space separated.
flags_of_output()
{
	printf '%s\n' "$E2E_OUT" | grep -m1 -E '^;; [Ff]lags:' |
		sed -E 's/^;; [Ff]lags: *([^;]*);.*/\1/' | tr -s ' ' | sed 's/ *$//'
}

# e2e_sorted TEXT: its non-empty lines, blanks squeezed, the first field
# (the owner name) in lower case, sorted.
e2e_sorted()
{
	printf '%s\n' "$1" |
		awk '{ $1 = tolower($1); if ($0 != "") print }' | LC_ALL=C sort
}

# --- assertions (used by check) --------------------------------------------
# Each returns 0 when it holds and sets E2E_GOT to what it saw.

a_status()
{
	E2E_GOT=$(rcode_of_output)
	[ "$E2E_GOT" = "$1" ]
}

a_flag()
{
	E2E_GOT="flags: $(flags_of_output)"
	case " $(flags_of_output) " in *" $1 "*) return 0 ;; esac
	return 1
}

a_noflag()
{
	! a_flag "$1"
}

a_section_has()
{
	E2E_GOT="$2 section: $(section "$2" | tr '\n' '|')"
	section "$2" | grep -qE -- "$1"
}

a_section_has_ci()
{
	E2E_GOT="$2 section: $(section "$2" | tr '\n' '|')"
	section "$2" | grep -qiE -- "$1"
}

a_section_lacks()
{
	E2E_GOT="$2 section: $(section "$2" | tr '\n' '|')"
	! section "$2" | grep -qE -- "$1"
}

a_section_all()
{
	local s
	s=$(section "$2")
	E2E_GOT="$2 section: $(printf '%s' "$s" | tr '\n' '|')"
	[ -n "$s" ] && ! printf '%s\n' "$s" | grep -qvE -- "$1"
}

a_section_count()
{
	local n
	n=$(section "$2" | grep -c .)
	E2E_GOT="$n records in $2: $(section "$2" | tr '\n' '|')"
	[ "$n" = "$1" ]
}

a_section_set()
{
	local got want
	got=$(e2e_sorted "$(section "$2")")
	want=$(e2e_sorted "$1")
	E2E_GOT="$2 section: $(printf '%s' "$got" | tr '\n' '|')"
	[ "$got" = "$want" ]
}

a_section_line()
{
	local n=${1%%:*} re=${1#*:} line
	line=$(section "$2" | sed -n "${n}p")
	E2E_GOT="line $n of $2: $line"
	printf '%s\n' "$line" | grep -qE -- "$re"
}

# One RRset: every record has the owner and type of the first.
a_one_rrset()
{
	local s
	s=$(section ANSWER)
	E2E_GOT="answer: $(printf '%s' "$s" | tr '\n' '|')"
	[ -n "$s" ] || return 1
	[ "$(printf '%s\n' "$s" | awk '{ print tolower($1), $3, $4 }' |
		sort -u | wc -l)" = 1 ]
}

a_question()
{
	E2E_GOT="question: $(section QUESTION | tr '\n' '|')"
	[ "$(section QUESTION)" = "$(printf '%s\n' "$1" | awk '{ $1 = $1; print }')" ]
}

a_output_has()
{
	E2E_GOT="(see output)"
	printf '%s\n' "$E2E_OUT" | grep -qE -- "$1"
}

a_output_lacks()
{
	E2E_GOT="(see output)"
	! printf '%s\n' "$E2E_OUT" | grep -qE -- "$1"
}

a_reply()
{
	E2E_GOT="exit status $E2E_RC, rcode '$(rcode_of_output)'"
	[ "$E2E_RC" = 0 ] && [ -n "$(rcode_of_output)" ]
}

a_no_reply()
{
	E2E_GOT="exit status $E2E_RC, rcode '$(rcode_of_output)'"
	[ -z "$(rcode_of_output)" ]
}

a_max_ms()
{
	E2E_GOT="took $E2E_MS ms"
	[ "$E2E_MS" -le "$1" ]
}

a_exit()
{
	E2E_GOT="exit status $E2E_RC"
	[ "$E2E_RC" = "$1" ]
}

# check DESC ASSERTION [ARG] [ASSERTION [ARG]...]: one check on the output of
# the last query (dig_q, kdig_q, drill_q, run_cmd).  Assertions:
#   status RCODE           header status/rcode is RCODE
#   flag F / noflag F      header flag F (qr aa tc rd ra ad cd) set / not set
#   answer REGEX           some answer record matches (extended regex, on
#                          the record with blanks squeezed to one space)
#   answer_ci REGEX        the same, ignoring case
#   no_answer REGEX        no answer record matches
#   answer_all REGEX       there are answer records and every one matches
#   answer_count N         exactly N answer records
#   answer_set "RR\nRR"    the answer records are exactly these (any order;
#                          owner names compare without case)
#   answer_line N:REGEX    answer record N (1-based) matches
#   one_rrset              the answer is one RRset (RFC 8482 minimal ANY)
#   authority*, additional*, opt*: as answer* for those sections
#                          (opt: the OPT/EDNS pseudosection)
#   no_opt                 the response carries no OPT record
#   question "NAME CLASS TYPE"  the question section, exactly (case too)
#   output REGEX / no_output REGEX   the whole output matches / does not
#   reply / no_reply       a response arrived / none did
#   exit N                 the command exited with status N
#   max_ms N               the command took at most N milliseconds
check()
{
	local desc=$1 a arg fails=() sec
	shift
	while [ $# -gt 0 ]; do
		a=$1
		shift
		case $a in
		one_rrset | no_opt | reply | no_reply)
			arg=
			;;
		*)
			if [ $# -eq 0 ]; then
				fails+=("assertion '$a' needs an argument")
				break
			fi
			arg=$1
			shift
			;;
		esac
		case $a in
		answer* | no_answer*) sec=ANSWER ;;
		authority* | no_authority*) sec=AUTHORITY ;;
		additional* | no_additional*) sec=ADDITIONAL ;;
		opt* | no_opt?*) sec=OPT ;;
		*) sec= ;;
		esac
		E2E_GOT=
		case $a in
		status) a_status "$arg" ;;
		flag) a_flag "$arg" ;;
		noflag) a_noflag "$arg" ;;
		answer | authority | additional | opt) a_section_has "$arg" "$sec" ;;
		answer_ci | authority_ci) a_section_has_ci "$arg" "$sec" ;;
		no_answer | no_authority | no_additional | no_opt_field)
			a_section_lacks "$arg" "$sec"
			;;
		answer_all | authority_all) a_section_all "$arg" "$sec" ;;
		answer_count | authority_count | additional_count)
			a_section_count "$arg" "$sec"
			;;
		answer_set | authority_set | additional_set)
			a_section_set "$arg" "$sec"
			;;
		answer_line | authority_line) a_section_line "$arg" "$sec" ;;
		one_rrset) a_one_rrset ;;
		no_opt)
			sec=OPT
			E2E_GOT="OPT: $(section OPT | tr '\n' '|')"
			[ -z "$(section OPT)" ]
			;;
		question) a_question "$arg" ;;
		output) a_output_has "$arg" ;;
		no_output) a_output_lacks "$arg" ;;
		reply) a_reply ;;
		no_reply) a_no_reply ;;
		exit) a_exit "$arg" ;;
		max_ms) a_max_ms "$arg" ;;
		*)
			E2E_GOT="unknown assertion"
			false
			;;
		esac || fails+=("$a${arg:+ '$arg'} (got: $E2E_GOT)")
	done
	e2e_report "$desc" ${fails[@]+"${fails[@]}"}
}

# expect_dig DESC STATUS ANSWER-REGEX DIG-ARGS...: the common case: query
# the daemon with dig and check the status and that an answer record
# matches ANSWER-REGEX (empty: the answer section is empty).
expect_dig()
{
	local desc=$1 status=$2 re=$3
	shift 3
	dig_q "$@"
	if [ -n "$re" ]; then
		check "$desc" status "$status" answer "$re"
	else
		check "$desc" status "$status" answer_count 0
	fi
}

# alive_check DESC: the daemon still runs and answers a normal query:
# dig E2E_ALIVE_ARGS (default: a local name of the scenario's zone must be
# set by the scenario) with status E2E_ALIVE_STATUS (default NOERROR).
alive_check()
{
	if ! e2e_alive "$VPCDNS_PID"; then
		E2E_CMD="kill -0 $VPCDNS_PID"
		E2E_OUT=$(tail -n 40 "$VPCDNS_LOGFILE" 2>/dev/null)
		E2E_RC=1
		e2e_report "$1" "vpcdns (pid $VPCDNS_PID) running"
		return 1
	fi
	dig_q "${E2E_ALIVE_ARGS[@]}"
	check "$1" status "${E2E_ALIVE_STATUS:-NOERROR}"
}

# --- endpoint answers (shared by the endpoint and quick-start scenarios) ---

# r53_soa APEX: the Route 53 SOA of a managed zone as dig prints it (TTL
# 900, the RFC 2308 negative TTL).
r53_soa()
{
	echo "$1. 900 IN SOA ns-1536.awsdns-00.co.uk. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400"
}

# rrs NAME TYPE ADDR...: the records NAME TYPE ADDR, TTL 60, one a line.
rrs()
{
	local name=$1 type=$2 a
	shift 2
	for a in "$@"; do
		echo "$name. 60 IN $type $a"
	done
}

# expect_local DESC NAME TYPE ADDR...: exactly these records, AA, TTL 60,
# nothing in the authority section.  (A scenario may define its own.)
expect_local()
{
	local desc=$1 name=$2 type=$3
	shift 3
	dig_q "$name" "$type"
	check "$desc" status NOERROR flag aa \
		answer_set "$(rrs "$name" "$type" "$@")" authority_count 0
}

# expect_public DESC NAME ADDR: NAME/A is the upstream's answer ADDR, not
# AA.
expect_public()
{
	local re
	re=$(printf '%s' "$2" | sed 's/[.]/\\./g')
	dig_q "$2" A
	check "$1" status NOERROR noflag aa answer_count 1 \
		answer "^$re\\. [0-9]+ IN A ${3//./\\.}\$"
}
