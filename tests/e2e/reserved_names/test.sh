#!/bin/bash
# tests/e2e/reserved_names/test.sh - reserved and autodefined names (SPEC
# 1.9, AWS autodefined system rules, RFC 6303/6761): localhost (and
# below) and localhost.localdomain answer the loopback, 1.0.0.127 and
# ::1 PTR localhost., the private ranges' reverse names and
# 169.254.169.254 are answered locally (NXDOMAIN / NODATA), never sent
# to a "." rule; the VPC's own addresses keep their EC2 PTR; a forward
# rule of exactly a reserved name wins; autodefined-reverse: false turns
# the private reverse zones off; enable-dns-hostnames: false has none.
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
require_tool dig kdig

start_upstream upstream.zone .
start_vpcdns vpcdns.yaml

from()
{
	local src=$1
	shift
	dig_q -b "$src" "$@"
}

# --- VPC 1: a "." rule never captures them ---------------------------------
from 127.0.0.2 localhost A
check "localhost A: 127.0.0.1, local (AA), not the rule's decoy" \
	status NOERROR flag aa answer_count 1 \
	answer '^localhost\. [0-9]+ IN A 127\.0\.0\.1$'
from 127.0.0.2 localhost AAAA
check "localhost AAAA: ::1" status NOERROR flag aa \
	answer '^localhost\. [0-9]+ IN AAAA ::1$'
from 127.0.0.2 app.localhost A
check "a name below localhost: 127.0.0.1 (RFC 6761)" status NOERROR \
	answer '^app\.localhost\. [0-9]+ IN A 127\.0\.0\.1$'
from 127.0.0.2 localhost.localdomain A
check "localhost.localdomain: 127.0.0.1" status NOERROR \
	answer '^localhost\.localdomain\. [0-9]+ IN A 127\.0\.0\.1$'
from 127.0.0.2 x.localdomain A
check "x.localdomain: NXDOMAIN with the SOA, not forwarded" status NXDOMAIN \
	flag aa answer_count 0 authority ' IN SOA '
from 127.0.0.2 -x 127.0.0.1
check "PTR 127.0.0.1 -> localhost." status NOERROR flag aa \
	answer '^1\.0\.0\.127\.in-addr\.arpa\. [0-9]+ IN PTR localhost\.$'
from 127.0.0.2 -x 127.0.0.2
check "PTR 127.0.0.2: NXDOMAIN" status NXDOMAIN flag aa answer_count 0
from 127.0.0.2 -x ::1
check "PTR ::1 -> localhost." status NOERROR flag aa \
	answer ' IN PTR localhost\.$'
from 127.0.0.2 -x ::
check "PTR ::: NODATA" status NOERROR flag aa answer_count 0
from 127.0.0.2 -x 10.2.3.4
check "PTR 10.2.3.4 (RFC 1918, no name): NXDOMAIN, local" status NXDOMAIN \
	flag aa answer_count 0 authority '^10\.in-addr\.arpa\. [0-9]+ IN SOA '
from 127.0.0.2 -x 172.20.1.1
check "PTR 172.20.1.1: NXDOMAIN, local" status NXDOMAIN flag aa
from 127.0.0.2 -x 169.254.169.254
check "PTR 169.254.169.254: answered locally (NODATA)" status NOERROR \
	flag aa answer_count 0
from 127.0.0.2 -x 172.1.1.1
check "PTR 172.1.1.1 (public): the rule's answer" status NOERROR noflag aa \
	answer ' IN PTR public-172\.upstream\.test\.$'
from 127.0.0.2 -x 10.0.1.15
check "the VPC's own address keeps its EC2 PTR" status NOERROR flag aa \
	answer ' IN PTR ip-10-0-1-15\.ec2\.internal\.$'
from 127.0.0.2 -x 192.168.1.1
check "a forward rule of exactly 168.192.in-addr.arpa wins" status NOERROR \
	noflag aa answer ' IN PTR decoy-192\.upstream\.test\.$'
run_cmd kdig @127.0.0.1 -p "$VPCDNS_PORT" -b 127.0.0.2 +time=2 +retry=0 \
	-x 10.9.9.9
check "kdig -x 10.9.9.9: NXDOMAIN" output 'status: NXDOMAIN'

# --- VPC 2: autodefined-reverse: false ------------------------------------------
from 127.0.0.3 -x 10.2.3.4
check "autodefined-reverse false: 10.2.3.4 is forwarded" status NOERROR \
	noflag aa answer ' IN PTR decoy-10\.upstream\.test\.$'
from 127.0.0.3 -x 169.254.169.254
check "autodefined-reverse false: 169.254.169.254 is forwarded" \
	status NOERROR answer ' IN PTR decoy-imds\.upstream\.test\.$'
from 127.0.0.3 -x 127.0.0.2
check "autodefined-reverse false: 127.in-addr.arpa stays local" \
	status NXDOMAIN flag aa
from 127.0.0.3 localhost A
check "autodefined-reverse false: localhost stays local" status NOERROR \
	answer '^localhost\. [0-9]+ IN A 127\.0\.0\.1$'
from 127.0.0.3 -x 10.1.2.3
check "autodefined-reverse false: the VPC's own PTR stays" status NOERROR \
	answer ' IN PTR ip-10-1-2-3\.ec2\.internal\.$'

# --- VPC 3: enable-dns-hostnames: false ---------------------------------------
from 127.0.0.4 localhost A
check "hostnames off: localhost is forwarded" status NOERROR noflag aa \
	answer '^localhost\. [0-9]+ IN A 192\.0\.2\.1$'
from 127.0.0.4 -x 10.2.3.4
check "hostnames off: RFC 1918 PTR is forwarded" status NOERROR \
	answer ' IN PTR decoy-10\.upstream\.test\.$'

# --- explain ---------------------------------------------------------------------
run_cmd "$VPCDNS_BIN" explain -c "$VPCDNS_CONF" --from 127.0.0.2 \
	4.3.2.10.in-addr.arpa PTR
check "explain: the reserved zone decides" exit 0 \
	output '^zone +10\.in-addr\.arpa\. \(reserved name, answered locally\)$' \
	output '^answer +NXDOMAIN \(authoritative\)'

finish
