#!/bin/bash
# tests/e2e/ec2_names/test.sh - names every VPC resolves by itself (SPEC
# 1.7): with DNS hostnames on, ip-A-B-C-D.ec2.internal (us-east-1) or
# ip-A-B-C-D.<region>.compute.internal (other Regions) answers A.B.C.D
# for an address in the VPC's cidr-blocks, NXDOMAIN outside them, and
# D.C.B.A.in-addr.arpa answers the host name for an address in them; the
# PTR of an address outside the cidr-blocks (same /8) is forwarded when
# autodefined-reverse is off (else the reserved 10.in-addr.arpa answers
# it: tests/e2e/reserved_names);
# enable-dns-hostnames: false forwards everything; outside clients get the
# upstream's answers.  The upstream (nsd) has 192.0.2.x / upstream.test
# decoys for every name, so a forwarded answer is recognizable.
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
require_tool dig

start_upstream ec2.internal.zone ec2.internal compute.internal.zone \
	eu-west-1.compute.internal 10.in-addr.arpa.zone 10.in-addr.arpa \
	31.172.in-addr.arpa.zone 31.172.in-addr.arpa
start_vpcdns vpcdns.yaml

from()
{
	local src=$1
	shift
	dig_q -b "$src" "$@"
}

# expect_a DESC SRC NAME ADDR: NAME/A answers ADDR locally.
expect_a()
{
	from "$2" "$3" A
	check "$1" status NOERROR flag aa answer_count 1 \
		answer_ci "^${3//./\\.}\\. [0-9]+ IN A ${4//./\\.}\$"
}

# expect_ptr DESC SRC ADDR HOST: the PTR of ADDR answers HOST locally.
expect_ptr()
{
	from "$2" -x "$3"
	check "$1" status NOERROR flag aa answer_count 1 \
		answer " [0-9]+ IN PTR ${4//./\\.}\$"
}

# expect_fwd DESC SRC DIG-ARGS... -- REGEX: the forwarded answer.
expect_fwd()
{
	local desc=$1 src=$2 re
	shift 2
	re=${!#}
	from "$src" "${@:1:$#-1}"
	check "$desc" status NOERROR noflag aa answer_count 1 answer "$re"
}

# --- VPC 1, us-east-1 ------------------------------------------------------
expect_a "us-east-1: ip-10-0-1-15.ec2.internal -> 10.0.1.15" \
	127.0.0.2 ip-10-0-1-15.ec2.internal 10.0.1.15
from 127.0.0.2 +tcp ip-10-0-1-15.ec2.internal A
check "EC2 name over TCP" status NOERROR flag aa answer_count 1 \
	answer '^ip-10-0-1-15\.ec2\.internal\. [0-9]+ IN A 10\.0\.1\.15$'
from 127.0.0.2 IP-10-0-1-15.EC2.Internal A
check "EC2 name without case, the question echoed" status NOERROR flag aa \
	question "IP-10-0-1-15.EC2.Internal. IN A" answer_count 1 \
	answer_ci '^ip-10-0-1-15\.ec2\.internal\. [0-9]+ IN A 10\.0\.1\.15$'
expect_a "the VPC's second CIDR: ip-172-31-5-6.ec2.internal" \
	127.0.0.2 ip-172-31-5-6.ec2.internal 172.31.5.6
expect_a "ip-10-0-0-0 (the network address is in the CIDR)" \
	127.0.0.2 ip-10-0-0-0.ec2.internal 10.0.0.0
from 127.0.0.2 ip-10-0-1-15.ec2.internal AAAA
check "EC2 name AAAA: NODATA" status NOERROR flag aa answer_count 0
from 127.0.0.2 ip-10-5-1-15.ec2.internal A
check "an address outside the VPC's CIDRs: NXDOMAIN" status NXDOMAIN \
	flag aa answer_count 0
from 127.0.0.2 ip-172-31-16-1.ec2.internal A
check "just past the /20: NXDOMAIN" status NXDOMAIN answer_count 0
from 127.0.0.2 ip-10-0-1-256.ec2.internal A
check "not an address (octet 256): NXDOMAIN" status NXDOMAIN answer_count 0
expect_ptr "PTR 15.1.0.10.in-addr.arpa -> ip-10-0-1-15.ec2.internal." \
	127.0.0.2 10.0.1.15 ip-10-0-1-15.ec2.internal.
from 127.0.0.2 15.1.0.10.in-addr.arpa PTR
check "PTR query by name: the owner is the query name" status NOERROR \
	flag aa answer_count 1 \
	answer '^15\.1\.0\.10\.in-addr\.arpa\. [0-9]+ IN PTR ip-10-0-1-15\.ec2\.internal\.$'
expect_ptr "PTR in the second CIDR" 127.0.0.2 172.31.5.6 \
	ip-172-31-5-6.ec2.internal.
expect_fwd "PTR outside the VPC's CIDRs under the same /8: forwarded" \
	127.0.0.2 -x 10.9.9.9 \
	'^9\.9\.9\.10\.in-addr\.arpa\. [0-9]+ IN PTR forwarded\.upstream\.test\.$'
expect_fwd "PTR past the /20 (172.31.16.1, same octet boundary): forwarded" \
	127.0.0.2 -x 172.31.16.1 \
	'^1\.16\.31\.172\.in-addr\.arpa\. [0-9]+ IN PTR forwarded-172\.upstream\.test\.$'
expect_ptr "PTR at the /20's last address" 127.0.0.2 172.31.15.255 \
	ip-172-31-15-255.ec2.internal.
expect_fwd "us-east-1 VPC: the eu-west-1 compute.internal name is forwarded" \
	127.0.0.2 ip-10-0-1-15.eu-west-1.compute.internal A \
	'^ip-10-0-1-15\.eu-west-1\.compute\.internal\. [0-9]+ IN A 192\.0\.2\.115$'

# --- VPC 2, eu-west-1 --------------------------------------------------------
expect_a "eu-west-1: ip-10-1-2-3.eu-west-1.compute.internal -> 10.1.2.3" \
	127.0.0.3 ip-10-1-2-3.eu-west-1.compute.internal 10.1.2.3
expect_ptr "eu-west-1: PTR -> ip-10-1-2-3.eu-west-1.compute.internal." \
	127.0.0.3 10.1.2.3 ip-10-1-2-3.eu-west-1.compute.internal.
from 127.0.0.3 ip-10-0-1-15.eu-west-1.compute.internal A
check "eu-west-1: an address outside its CIDR: NXDOMAIN" \
	status NXDOMAIN answer_count 0
expect_fwd "eu-west-1 VPC: VPC 1's PTR (not its CIDR) is forwarded" \
	127.0.0.3 -x 10.0.1.15 \
	'^15\.1\.0\.10\.in-addr\.arpa\. [0-9]+ IN PTR decoy-15\.upstream\.test\.$'

# --- VPC 3: DNS hostnames off -----------------------------------------------------
expect_fwd "enable-dns-hostnames false: the EC2 name is forwarded" \
	127.0.0.5 ip-10-2-0-7.ec2.internal A \
	'^ip-10-2-0-7\.ec2\.internal\. [0-9]+ IN A 192\.0\.2\.27$'
expect_fwd "enable-dns-hostnames false: the PTR is forwarded" \
	127.0.0.5 -x 10.2.0.7 \
	'^7\.0\.2\.10\.in-addr\.arpa\. [0-9]+ IN PTR forwarded-7\.upstream\.test\.$'

# --- outside -------------------------------------------------------------------
expect_fwd "outside: EC2 names are forwarded" \
	127.0.0.9 ip-10-0-1-15.ec2.internal A \
	'^ip-10-0-1-15\.ec2\.internal\. [0-9]+ IN A 192\.0\.2\.15$'
expect_fwd "outside: PTR is forwarded" 127.0.0.9 -x 10.0.1.15 \
	'^15\.1\.0\.10\.in-addr\.arpa\. [0-9]+ IN PTR decoy-15\.upstream\.test\.$'

finish
