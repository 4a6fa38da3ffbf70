#!/bin/bash
# scripts/deps.sh - install the Debian 12 packages vpcdns needs to build
# and test.  Sourced by scripts/run and scripts/test; safe to run again.
set -euo pipefail

VPCDNS_BUILD_DEPS="build-essential autoconf automake libtool pkg-config \
libuv1-dev libc-ares-dev libldns-dev libyaml-dev check libh2o-dev libssl-dev \
libcurl4-openssl-dev"
# dnsperf: the load of e2e/reload_load; make: e2e/host_resolver's install.
# curl: the HTTP checks of e2e/metrics, e2e/limits and e2e/doh_*; iproute2
# (ip) and procps (pgrep): the network namespace of e2e/limits and the
# harness's process clean-up; openssl: the DoH tests' certificates.  A test
# skipped because one of these is missing counts as failed in .ci/run.
# dnsdist: the balancer of e2e/dnsdist_failover.
VPCDNS_TEST_DEPS="bind9-dnsutils bind9-utils curl dnsdist dnsperf iproute2 \
knot-dnsutils ldnsutils make nsd openssl procps python3 python3-dnspython \
unbound valgrind dns-root-data"
# tests/e2e/container: podman (runc, netavark, catatonit for `init: true`)
# driven by docker-compose through podman's Docker API (Debian 12's
# podman-compose ignores `dns:` and `ipv4_address:`), and debootstrap for
# the base image; tests/e2e/netns: the AWS CLI as a client.
VPCDNS_TEST_DEPS="$VPCDNS_TEST_DEPS podman runc netavark aardvark-dns iptables \
catatonit docker-compose debootstrap awscli"
# scripts/run: dig, so that the README's tour works after scripts/run alone.
# dns-root-data: the root's trust anchor (/usr/share/dns/root.key), the
# default dnssec-trust-anchors of a VPC with dnssec-validation: true.
VPCDNS_RUN_DEPS="bind9-dnsutils dns-root-data"
# The libFuzzer build (scripts/test --fuzz): clang and its runtimes.
VPCDNS_FUZZ_DEPS="clang libclang-rt-dev"

vpcdns_sudo() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Installs the packages that are missing.  A temporary policy-rc.d keeps
# Debian from starting nsd and dnsdist as system services: the tests start
# their own.
vpcdns_install() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q 'install ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	echo "vpcdns: installing ${missing[*]}" >&2
	local policy=/usr/sbin/policy-rc.d created=0
	if [ ! -e "$policy" ]; then
		printf '#!/bin/sh\nexit 101\n' | vpcdns_sudo tee "$policy" >/dev/null
		vpcdns_sudo chmod 755 "$policy"
		created=1
	fi
	vpcdns_sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive vpcdns_sudo apt-get install -y -qq \
		--no-install-recommends "${missing[@]}" >/dev/null
	[ "$created" -eq 1 ] && vpcdns_sudo rm -f "$policy"
	return 0
}

# Configures (once) and builds in build/ beside the sources.
vpcdns_build() {
	vpcdns_build_in build "$@"
}

# vpcdns_build_in DIR [CONFIGURE-ARGS...]: the same in DIR (build-asan,
# build-fuzz...) beside the sources; the arguments apply when DIR is
# configured the first time.  Leaves the shell in DIR.
vpcdns_build_in() {
	local top dir=$1
	shift
	top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
	cd "$top"
	[ -x configure ] || ./autogen.sh >/dev/null
	mkdir -p "$dir"
	cd "$dir"
	[ -f Makefile ] || ../configure -q "$@"
	make -s -j"$(nproc)"
}
