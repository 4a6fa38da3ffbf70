#!/bin/bash
# tests/e2e/container/test.sh - the container image and the compose example
# for real (issue 10, README "Use it as a sidecar"): builds the Dockerfile
# and contrib/compose/ with `docker-compose build` against podman's Docker
# API, brings the example up, and from inside the application container
# checks that the endpoint's service name resolves to the endpoint's
# addresses, a private hosted zone answers, and public names (the stand-in
# public-dns, nsd) still resolve; the compose healthcheck and the image's
# HEALTHCHECK pass; the daemon runs as a non-root user.
#
# The README's commands are repeated here literally (docker-compose being
# the Debian name of `docker compose`): `docker compose build`,
# `docker compose up -d`, `docker compose exec app getent hosts ...`.
#
# Machine set-up, all in the test, none in the product files:
# - podman with no registry: the Dockerfile's FROM (debian:bookworm-slim)
#   is made here once from a debootstrap root of the Debian mirror the
#   host's apt uses, imported under that name and kept in podman's storage
#   (later runs skip the debootstrap);
# - podman's settings for this machine (runc, cgroupfs, explicit ulimits)
#   in the test's own containers.conf (CONTAINERS_CONF);
# - one run at a time on the machine (the example's network has a fixed
#   subnet, the image a fixed tag): a lock in $TMPDIR.
# Builds use podman's layer cache: only the layers after a change rebuild.
#
# Skips (77) where the machine cannot run containers (no namespaces, a
# chroot) and in the sanitizer and valgrind stages (the image builds its
# own daemon; running it under ASan or valgrind is not what it tests, and
# its minutes belong to the plain stage).  A missing tool is a missing
# package (counted as failed): scripts/deps.sh installs podman,
# docker-compose and debootstrap.
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"

# (skip_machine: the class .ci/run counts as skipped; this stage's set-up
# cannot give what the test is for.)
if [ "${VPCDNS_VALGRIND:-0}" = 1 ]; then
	skip_machine "the valgrind stage leaves the container test out (it builds and runs the image, not this daemon under valgrind; it runs in the plain make check stage)"
fi
if [ -x "$VPCDNS_BIN" ] && grep -q __asan_init "$VPCDNS_BIN" 2>/dev/null; then
	skip_machine "the sanitizer stage leaves the container test out (the image builds its own daemon, not this ASan one; it runs in the plain make check stage)"
fi

# Can this machine run containers at all?
[ "$(id -u)" = 0 ] || skip_machine "not root: rootless podman is not set up by this test"
# (/proc/1/root may be unreadable, as under some VM inits: then not one.)
init_root=$(stat -c %d:%i /proc/1/root/. 2>/dev/null)
if [ -n "$init_root" ] && [ "$(stat -c %d:%i /)" != "$init_root" ]; then
	skip_machine "inside a chroot: containers cannot run here"
fi
if ! unshare --mount --net --pid --uts --ipc --fork true 2>/dev/null; then
	skip_machine "no namespaces (unshare --mount --net --pid failed): containers cannot run here"
fi

require_tool podman docker-compose debootstrap flock curl

COMPOSE_DIR=$TOP_SRCDIR/contrib/compose
PROJECT=vpcdnse2e
IMAGE=localhost/vpcdns:latest
export CONTAINERS_CONF=$E2E_TMP/containers.conf
cat >"$CONTAINERS_CONF" <<'EOF'
# This machine: crun refuses its hybrid cgroups and the default limits.
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF

# run_long SECONDS CMD...: run_cmd with a longer bound (builds).
run_long()
{
	local secs=$1 t0=${EPOCHREALTIME/./}
	shift
	E2E_CMD="$*"
	E2E_OUT=$(timeout "$secs" "$@" 9>&- 2>&1)
	E2E_RC=$?
	E2E_MS=$(((${EPOCHREALTIME/./} - t0) / 1000))
}

# tail_out N: the last N lines of the last command's output, for reports.
tail_out()
{
	printf '%s\n' "$E2E_OUT" | tail -n "$1"
}

exec 9>"${TMPDIR:-/tmp}/vpcdns-container-test.lock"
# Several worktrees' make check on one machine queue here; past 20 minutes
# the machine cannot give this run its containers (CI runs one at a time).
if ! flock -w 1200 9; then
	skip_machine "another container test has held ${TMPDIR:-/tmp}/vpcdns-container-test.lock for 20 minutes (one at a time per machine)"
fi

# --- the base image: the Dockerfile's FROM, from a debootstrap root ---------

from=$(sed -n 's/^FROM[[:space:]]\{1,\}\([^[:space:]]*\).*/\1/p' "$TOP_SRCDIR/Dockerfile" | head -n 1)
[ "$from" = debian:bookworm-slim ] ||
	fatal "the Dockerfile builds FROM debian:bookworm-slim" "it says FROM $from"
BASE=docker.io/library/$from

# host_mirror: the Debian mirror of the host's apt sources.
host_mirror()
{
	local m
	m=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '
		/^URIs:/ { uri = $2 }
		/^Suites:/ { for (i = 2; i <= NF; i++) if ($i == "bookworm") found = uri }
		/^$/ { uri = "" }
		END { print found }')
	[ -n "$m" ] || m=$(awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }' \
		/etc/apt/sources.list 2>/dev/null)
	echo "${m:-http://deb.debian.org/debian}"
}

if podman image exists "$BASE"; then
	pass "base image $BASE is cached in podman's storage (no debootstrap)"
else
	root=$E2E_TMP/rootfs
	mirror=$(host_mirror)
	echo "# container: making $BASE: debootstrap --variant=minbase bookworm from $mirror (a few minutes, once)"
	run_long 1500 debootstrap --variant=minbase bookworm "$root" "$mirror"
	[ "$E2E_RC" = 0 ] || fatal "debootstrap --variant=minbase bookworm $mirror" \
		"exit status $E2E_RC" "$(tail_out 30)"
	# As the official image: the host's Debian sources (updates, security),
	# no package cache.
	if [ -r /etc/apt/sources.list.d/debian.sources ]; then
		cp /etc/apt/sources.list.d/debian.sources "$root/etc/apt/sources.list.d/"
		rm -f "$root/etc/apt/sources.list"
	fi
	rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
	# shellcheck disable=SC2034 # read by fatal's report
	E2E_CMD="tar -C $root -c . | podman import - $BASE"
	E2E_OUT=$(tar -C "$root" -c . | timeout 600 podman import - "$BASE" 9>&- 2>&1)
	E2E_RC=$?
	rm -rf "$root"
	[ "$E2E_RC" = 0 ] || fatal "podman import of the debootstrap root as $BASE" \
		"$E2E_OUT"
	pass "base image $BASE made from a debootstrap root of $mirror"
fi

run_long 120 podman run --rm --network none "$BASE" true
[ "$E2E_RC" = 0 ] || fatal "podman runs a container of $BASE" "$E2E_OUT"

# --- podman's Docker API, for docker-compose -------------------------------

# Niced: the builds and containers it starts inherit that, and the other
# scenarios of make -j, some of them timing-sensitive, keep the CPU.
sock=$E2E_TMP/podman.sock
${E2E_LAUNCH[@]+"${E2E_LAUNCH[@]}"} nice -n 19 podman system service --time=0 \
	"unix://$sock" >"$E2E_TMP/podman-service.log" 2>&1 9>&- &
e2e_track $! "$E2E_TMP/podman-service.log"
export DOCKER_HOST=unix://$sock
for ((i = 0; i < 300; i++)); do
	[ -S "$sock" ] && curl -sf --unix-socket "$sock" http://d/_ping >/dev/null 2>&1 && break
	sleep 0.1
done
curl -sf --unix-socket "$sock" http://d/_ping >/dev/null 2>&1 ||
	fatal "podman system service answers on $sock" "$(cat "$E2E_TMP/podman-service.log")"

# `docker compose` of the README, for this project.
COMPOSE=(docker-compose -p "$PROJECT" --project-directory "$COMPOSE_DIR"
	-f "$COMPOSE_DIR/docker-compose.yml")

# The example's containers and network go, whatever happens; then the
# harness stops the API service.
container_down()
{
	timeout 180 "${COMPOSE[@]}" down --remove-orphans -t 5 \
		>"$E2E_TMP/down.log" 2>&1 9>&-
	timeout 60 podman rm -f -t 2 "$PROJECT-quick" >/dev/null 2>&1 9>&-
}
# shellcheck disable=SC2154 # rc is set in the trap itself
trap 'rc=$?; container_down; (exit $rc); e2e_cleanup' EXIT

# A run killed before its `down` leaves them behind: compose would refuse
# to reuse the network.
timeout 60 podman rm -f -t 2 "$PROJECT-quick" >/dev/null 2>&1 9>&-
run_long 180 "${COMPOSE[@]}" down --remove-orphans -t 5
[ "$E2E_RC" = 0 ] || fatal "docker-compose down (what an earlier run left)" "$E2E_OUT"

# --- build ------------------------------------------------------------------

echo "# container: docker compose build (podman's layer cache: only changed layers rebuild)"
run_long 1500 "${COMPOSE[@]}" build
if [ "$E2E_RC" = 0 ]; then
	pass "docker compose build: the vpcdns image and the stand-in public-dns ($((E2E_MS / 1000)) s, $(grep -c 'Using cache' <<<"$E2E_OUT") cached layers)"
else
	fatal "docker compose build" "exit status $E2E_RC" "$(tail_out 40)"
fi

# shellcheck disable=SC2016 # Go templates, not shell
run_cmd podman image inspect "$IMAGE" --format \
	'user={{.Config.User}} entrypoint={{.Config.Entrypoint}} cmd={{.Config.Cmd}} ports={{range $p, $v := .Config.ExposedPorts}}{{$p}} {{end}}health={{.Config.Healthcheck.Test}}'
check "image: non-root user, vpcdns entrypoint, /etc/vpcdns config, ports 53, HEALTHCHECK" \
	exit 0 output '^user=vpcdns ' output 'entrypoint=\[vpcdns\]' \
	output 'cmd=\[-c /etc/vpcdns/vpcdns.yaml\]' output '53/udp' output '53/tcp' \
	output 'health=\[CMD drill '

run_long 120 podman run --rm --network none "$IMAGE" check
check "image: 'vpcdns check' reads its /etc/vpcdns/vpcdns.yaml" \
	exit 0 output '^/etc/vpcdns/vpcdns.yaml: ok' output 'listen 0.0.0.0:53'

# shellcheck disable=SC2016 # for the container's shell
run_long 120 podman run --rm --network none --entrypoint sh "$IMAGE" -c \
	'dpkg-query -W -f "\${Package}\n" | grep -E "^(gcc|make|autoconf|libuv1-dev|libc-ares-dev|libldns-dev|check|libcap2-bin)$"; echo end'
check "image: no build tools or -dev packages in the runtime stage" \
	exit 0 output '^end$' no_output '^(gcc|make|autoconf|check|libcap2-bin|lib.*-dev)$'

# --- up ---------------------------------------------------------------------

run_long 300 "${COMPOSE[@]}" up -d
[ "$E2E_RC" = 0 ] || fatal "docker compose up -d" "exit status $E2E_RC" "$E2E_OUT"
pass "docker compose up -d: vpcdns, public-dns and app run"

vpcdns_ctr=$("${COMPOSE[@]}" ps -q vpcdns 2>/dev/null)
app_ctr=$("${COMPOSE[@]}" ps -q app 2>/dev/null)
if [ -z "$vpcdns_ctr" ] || [ -z "$app_ctr" ]; then
	fatal "docker compose ps finds the vpcdns and app containers" "$("${COMPOSE[@]}" ps 2>&1)"
fi

# podman runs healthchecks from systemd timers, which this machine may not
# have; `podman healthcheck run` runs the compose file's test once.
end=$((SECONDS + 90))
while :; do
	run_cmd podman healthcheck run "$vpcdns_ctr"
	[ "$E2E_RC" = 0 ] || [ $SECONDS -ge $end ] && break
	sleep 0.5
done
check "the compose healthcheck of vpcdns passes" exit 0
run_cmd podman inspect "$vpcdns_ctr" --format '{{.Config.Healthcheck.Test}}'
check "the healthcheck is the compose file's (drill of the endpoint name)" \
	exit 0 output 'drill -Q @127.0.0.1 secretsmanager'

run_cmd "${COMPOSE[@]}" exec -T vpcdns sh -c 'grep -E "^(Uid|CapEff)" /proc/1/status; cat /proc/1/cmdline | tr "\0" " "'
check "vpcdns runs as the non-root user vpcdns (uid 999 here), not root" \
	exit 0 output '^Uid:[[:space:]]+[1-9][0-9]*[[:space:]]' output 'vpcdns -c /etc/vpcdns/vpcdns.yaml'

run_cmd "${COMPOSE[@]}" logs --no-color vpcdns
check "vpcdns logs: listening on 0.0.0.0:53, one VPC, one upstream" exit 0 \
	output 'listening on 0\.0\.0\.0:53' output 'started vpcs=1 .*upstreams=1'

# --- from inside the application container ----------------------------------

run_cmd "${COMPOSE[@]}" exec -T app cat /etc/resolv.conf
check "app: /etc/resolv.conf names vpcdns (172.31.0.2) and nothing else" \
	exit 0 output '^nameserver 172\.31\.0\.2$'
ns=$(grep -c '^nameserver' <<<"$E2E_OUT")
if [ "$ns" = 1 ]; then
	pass "app: exactly one nameserver"
else
	fail "app: exactly one nameserver" "$E2E_OUT"
fi

# getent_hosts NAME: `getent hosts NAME` in the app container, sorted.
getent_hosts()
{
	run_cmd "${COMPOSE[@]}" exec -T app getent hosts "$1"
	E2E_OUT=$(printf '%s\n' "$E2E_OUT" | tr -s ' \t' ' ' | sort)
}

getent_hosts secretsmanager.us-east-1.amazonaws.com
check "app: getent hosts secretsmanager.us-east-1.amazonaws.com gives the endpoint's addresses" \
	exit 0 output '^172\.31\.0\.15 secretsmanager\.us-east-1\.amazonaws\.com$' \
	output '^172\.31\.16\.27 secretsmanager\.us-east-1\.amazonaws\.com$' \
	no_output '203\.0\.113\.20'
if [ "$(wc -l <<<"$E2E_OUT")" = 2 ]; then
	pass "app: exactly the two endpoint addresses"
else
	fail "app: exactly the two endpoint addresses" "$E2E_OUT"
fi

getent_hosts www.example.com
check "app: a public name (www.example.com) resolves through the stand-in upstream" \
	exit 0 output '^203\.0\.113\.80 www\.example\.com$'

getent_hosts sts.us-east-1.amazonaws.com
check "app: an AWS name without an endpoint (sts) keeps its public address" \
	exit 0 output '^203\.0\.113\.10 sts\.us-east-1\.amazonaws\.com$'

getent_hosts api.corp.internal
check "app: the private hosted zone answers (api.corp.internal, a CNAME to db)" \
	exit 0 output '^172\.31\.32\.20 db\.corp\.internal api\.corp\.internal$'

getent_hosts nope.corp.internal
check "app: a name the private zone lacks does not resolve" exit 2

# README: the quick start in a container (no file); the image's own
# HEALTHCHECK (not the compose one) on it.  No network: the names asked
# are answered by the daemon itself.
# (stdout alone is the container's id: podman warns on stderr that it has
# no systemd for the health timers.)
quick=$(timeout 120 podman run -d --name "$PROJECT-quick" --network none "$IMAGE" \
	--endpoint com.amazonaws.us-east-1.secretsmanager=10.0.1.15,10.0.2.27 \
	--listen 0.0.0.0:53 2>"$E2E_TMP/quick.err" 9>&-)
E2E_RC=$?
E2E_OUT="$quick $(cat "$E2E_TMP/quick.err")"
if [ "$E2E_RC" = 0 ]; then
	end=$((SECONDS + 60))
	while :; do
		run_cmd podman healthcheck run "$quick"
		[ "$E2E_RC" = 0 ] || [ $SECONDS -ge $end ] && break
		sleep 0.5
	done
	check "image: its HEALTHCHECK passes (quick start: --endpoint ... --listen 0.0.0.0:53)" exit 0
	run_cmd podman exec "$quick" drill @127.0.0.1 secretsmanager.us-east-1.amazonaws.com A
	check "image, quick start: the endpoint name answers the --endpoint addresses" \
		exit 0 output 'IN[[:space:]]+A[[:space:]]+10\.0\.1\.15$' \
		output 'IN[[:space:]]+A[[:space:]]+10\.0\.2\.27$'
	run_long 60 podman rm -f -t 2 "$PROJECT-quick"
	check "the quick-start container is removed" exit 0
else
	fail "podman run -d $IMAGE --endpoint ... --listen 0.0.0.0:53" "$E2E_OUT"
fi

run_long 180 "${COMPOSE[@]}" down --remove-orphans -t 5
check "docker compose down" exit 0
run_cmd podman network exists "${PROJECT}_vpc"
check "the example's network is gone after down" exit 1

finish
