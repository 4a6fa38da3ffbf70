#!/bin/bash
# tests/e2e/host_resolver/test.sh - README.md "Install it as the host's
# resolver", run as written: the commands between the host-resolver
# markers, in a mount and network namespace of their own (unshare -mn, as
# root) where /etc and /usr/local are overlays (nothing of the real host
# changes) and the host's resolver before vpcdns is an nsd on
# 127.0.0.2:53.  Two commands are stand-ins: `sudo` runs its command,
# and `systemctl enable --now` starts the unit's ExecStartPre and
# ExecStart as systemd would for Type=notify (waiting for READY=1 on a
# notification socket); everything else is the real thing (make install,
# useradd, the unit file, /etc/resolv.conf, getent through the C library).
if [ -z "${E2E_IN_NETNS:-}" ]; then
	if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null 2>&1 &&
		unshare -mn true 2>/dev/null; then
		E2E_IN_NETNS=1 exec unshare -mn "$0" "$@"
	fi
	echo "SKIP: host_resolver: needs root and unshare -mn (a network namespace)"
	exit 77
fi
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
require_tool dig curl ip mount nsd getent useradd make
ip link set lo up || fatal "bring up lo in the namespace"

BUILD=$(cd "$(dirname "$VPCDNS_BIN")/.." && pwd)
for d in etc usr-local; do
	mkdir -p "$E2E_TMP/ov/$d/up" "$E2E_TMP/ov/$d/work"
done
mount -t overlay overlay -o "lowerdir=/etc,upperdir=$E2E_TMP/ov/etc/up,workdir=$E2E_TMP/ov/etc/work" /etc ||
	skip "overlayfs is not available here"
mount -t overlay overlay -o "lowerdir=/usr/local,upperdir=$E2E_TMP/ov/usr-local/up,workdir=$E2E_TMP/ov/usr-local/work" /usr/local ||
	skip "overlayfs is not available here"

# The resolver the host used before: nsd on 127.0.0.2:53.
rm -f /etc/resolv.conf
printf 'nameserver 127.0.0.2\n' >/etc/resolv.conf
mkdir -p "$E2E_TMP/nsd"
cp "$E2E_SCENARIO_DIR/public.test.zone" "$E2E_TMP/nsd/public.test.zone"
cat >"$E2E_TMP/nsd/nsd.conf" <<EON
server:
	ip-address: 127.0.0.2
	port: 53
	server-count: 1
	do-ip6: no
	zonesdir: "$E2E_TMP/nsd"
	pidfile: "$E2E_TMP/nsd/nsd.pid"
	username: ""
	chroot: ""
	database: ""
	zonelistfile: "$E2E_TMP/nsd/zone.list"
	xfrdfile: "$E2E_TMP/nsd/xfrd.state"
	xfrdir: "$E2E_TMP/nsd"
	logfile: "$E2E_TMP/nsd/nsd.log"
	verbosity: 1
remote-control:
	control-enable: no
zone:
	name: "public.test"
	zonefile: "$E2E_TMP/nsd/public.test.zone"
EON
${E2E_LAUNCH[@]+"${E2E_LAUNCH[@]}"} nsd -d -c "$E2E_TMP/nsd/nsd.conf" \
	>"$E2E_TMP/nsd/stderr" 2>&1 &
e2e_track $!
end=$((SECONDS + 10))
until dig @127.0.0.2 +time=1 +tries=1 public.test SOA 2>/dev/null | grep -q NOERROR; do
	[ $SECONDS -lt $end ] || fatal "nsd on 127.0.0.2:53" "$(cat "$E2E_TMP/nsd/"*.log "$E2E_TMP/nsd/stderr")"
	sleep 0.1
done

# The stand-in notification socket systemd would own; the service sends
# to it after dropping to its user, so the way there must be open.
chmod 711 "$E2E_TMP"
NOTIFY_OUT=$E2E_TMP/notify.log
${E2E_LAUNCH[@]+"${E2E_LAUNCH[@]}"} "$E2E_PYTHON" \
	"$E2E_DIR/process/notify-listen.py" "$E2E_TMP/notify.sock" "$NOTIFY_OUT" &
e2e_track $!
for ((i = 0; i < 100; i++)); do
	[ -S "$E2E_TMP/notify.sock" ] && break
	sleep 0.05
done

DAEMON_LOG=$E2E_TMP/vpcdns.log
DAEMON_PID=
sudo()
{
	"$@"
}
# The README's build/ is configured with the default prefix, /usr/local,
# which the unit file names.  `make distcheck` configures its own prefix:
# install to /usr/local all the same (this namespace's overlay).
make()
{
	command make prefix=/usr/local "$@"
}
systemctl()
{
	local unit pre start i
	case $1 in
	daemon-reload) return 0 ;;
	enable)
		[ "$2" = --now ] || return 0
		unit=/etc/systemd/system/$3.service
		pre=$(sed -n 's/^ExecStartPre=//p' "$unit")
		start=$(sed -n 's/^ExecStart=//p' "$unit")
		[ -n "$start" ] || return 1
		if [ -n "$pre" ]; then $pre || return 1; fi
		# shellcheck disable=SC2086 # the unit's word splitting
		NOTIFY_SOCKET=$E2E_TMP/notify.sock $start >/dev/null \
			2>>"$DAEMON_LOG" &
		DAEMON_PID=$!
		e2e_track "$DAEMON_PID" "$DAEMON_LOG"
		for ((i = 0; i < 300; i++)); do
			grep -q '^READY=1' "$NOTIFY_OUT" && return 0
			e2e_alive "$DAEMON_PID" || return 1
			sleep 0.1
		done
		return 1
		;;
	esac
	return 1
}

# The README's commands, from a tree with build/ and contrib/.
sed -n '/<!-- host-resolver:begin -->/,/<!-- host-resolver:end -->/p' \
	"$TOP_SRCDIR/README.md" | sed '/^<!--/d; /^```/d' >"$E2E_TMP/readme.sh"
[ -s "$E2E_TMP/readme.sh" ] || fatal "README.md has the host-resolver commands"
mkdir -p "$E2E_TMP/tree"
ln -s "$BUILD" "$E2E_TMP/tree/build"
ln -s "$TOP_SRCDIR/contrib" "$E2E_TMP/tree/contrib"
cd "$E2E_TMP/tree" || fatal "cd to the tree"
E2E_CMD="the README's host-resolver commands"
# shellcheck disable=SC1091
E2E_OUT=$(. "$E2E_TMP/readme.sh" 2>&1)
E2E_RC=$?
cd / || true
# The service was started inside $(...), a subshell: find it in /proc as
# the process running the installed binary (this namespace's /usr/local).
for p in /proc/[0-9]*; do
	[ "$(readlink "$p/exe" 2>/dev/null)" = /usr/local/bin/vpcdns ] || continue
	DAEMON_PID=${p#/proc/}
	e2e_track "$DAEMON_PID" "$DAEMON_LOG"
done
check "the README's commands run to the end" exit 0 \
	output '^ready$' \
	output '^10\.0\.1\.25[[:space:]]+secretsmanager\.us-east-1\.amazonaws\.com'
printf '%s\n' "$E2E_OUT" | grep -vE '^(#? |[a-z0-9-]+\.|\$ORIGIN)' | sed 's/^/# /'
[ -n "$DAEMON_PID" ] || fatal "the service is running" "$(cat "$DAEMON_LOG")"

run_cmd cat /etc/resolv.conf
check "/etc/resolv.conf names vpcdns" output '^nameserver 127\.0\.0\.1$'
run_cmd cat /etc/vpcdns/vpcdns.yaml
check "the upstreams are the resolvers the host had" output '^  - "127\.0\.0\.2"$'
run_cmd getent hosts www.public.test
check "a public name resolves through vpcdns and the old resolver" exit 0 \
	output '^198\.51\.100\.80[[:space:]]+www\.public\.test'
run_cmd dig @127.0.0.1 +time=2 +tries=1 secretsmanager.us-east-1.amazonaws.com A
check "dig at 127.0.0.1:53 gets the endpoint address" status NOERROR \
	answer 'IN A 10\.0\.1\.25$'
E2E_OUT=$(grep -E '^(Uid|CapEff):' "/proc/$DAEMON_PID/status")
E2E_CMD="grep Uid|CapEff /proc/$DAEMON_PID/status"
check "the service runs as the vpcdns user, without capabilities" \
	output "^Uid:[[:space:]]+$(id -u vpcdns)[[:space:]]" \
	output '^CapEff:[[:space:]]+0+$'
E2E_OUT=$(cat "$DAEMON_LOG")
E2E_CMD="cat $DAEMON_LOG"
check "no loop, upstreams from the file" no_output 'loop:' \
	output 'started .*upstreams=1 \(configured\)'
run_cmd ls /usr/local/share/man/man8/vpcdns.8 /usr/local/share/man/man5/vpcdns.yaml.5
check "make install installed the man pages" exit 0

# systemctl reload: SIGHUP, RELOADING=1 then READY=1.
kill -HUP "$DAEMON_PID"
end=$((SECONDS + 20))
until grep -q '^RELOADING=1' "$NOTIFY_OUT" && [ "$(grep -c '^READY=1' "$NOTIFY_OUT")" -ge 2 ]; do
	[ $SECONDS -lt $end ] || break
	sleep 0.1
done
E2E_OUT=$(cat "$NOTIFY_OUT")
E2E_CMD="cat notify.log"
check "systemctl reload: RELOADING=1, READY=1" output '^RELOADING=1' \
	output '^READY=1'
kill -TERM "$DAEMON_PID"
e2e_wait_exit "$DAEMON_PID" 10 || fail "the service stops on SIGTERM"
e2e_untrack "$DAEMON_PID"
end=$((SECONDS + 10))
until grep -q '^STOPPING=1' "$NOTIFY_OUT"; do
	[ $SECONDS -lt $end ] || break
	sleep 0.1
done
E2E_OUT="$(cat "$NOTIFY_OUT")
$(tail -n 2 "$DAEMON_LOG")"
check "systemctl stop: STOPPING=1, a clean stop" output '^STOPPING=1' \
	output 'daemon: stopped'
finish
