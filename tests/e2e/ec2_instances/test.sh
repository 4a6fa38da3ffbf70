#!/bin/bash
# tests/e2e/ec2_instances/test.sh - EC2 instance names (AWS
# ec2-instance-naming, `instances:`): the resource name
# i-0123456789abcdef0.ec2.internal answers A and AAAA as its
# enable-resource-name-dns-*-record options say; PTR of its IPv4 and of
# its IPv6 address (ip6.arpa) names it; an ip-name instance keeps
# ip-a-b-c-d; its public DNS name answers the private address inside the
# VPC and the public one outside.
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
require_tool dig kdig

start_upstream public.zone compute-1.amazonaws.com
start_vpcdns vpcdns.yaml

vpc()
{
	dig_q -b 127.0.0.2 "$@"
}

vpc i-0123456789abcdef0.ec2.internal A
check "resource name A: the private IPv4" status NOERROR flag aa \
	answer_count 1 \
	answer '^i-0123456789abcdef0\.ec2\.internal\. 60 IN A 10\.0\.1\.15$'
vpc i-0123456789abcdef0.ec2.internal AAAA
check "resource name AAAA: the IPv6 address" status NOERROR flag aa \
	answer '^i-0123456789abcdef0\.ec2\.internal\. 60 IN AAAA 2600:1f18:aa:bb01::15$'
vpc -x 10.0.1.15
check "PTR of its IPv4: the resource name" status NOERROR flag aa \
	answer '^15\.1\.0\.10\.in-addr\.arpa\. 60 IN PTR i-0123456789abcdef0\.ec2\.internal\.$'
vpc -x 2600:1f18:aa:bb01::15
check "PTR of its IPv6 address (ip6.arpa): the resource name" \
	status NOERROR flag aa answer_count 1 \
	answer ' IN PTR i-0123456789abcdef0\.ec2\.internal\.$'
run_cmd kdig @127.0.0.1 -p "$VPCDNS_PORT" -b 127.0.0.2 +time=2 +retry=0 \
	-x 2600:1f18:aa:bb01::17
check "kdig -x of the IPv6-only instance" output 'status: NOERROR' \
	output 'PTR\s+i-0bbbbbbbbbbbbbbb2\.ec2\.internal\.'
vpc -x 2600:1f18:aa:bb01::99
check "an IPv6 address of the VPC without an instance: NXDOMAIN" \
	status NXDOMAIN flag aa
vpc i-0bbbbbbbbbbbbbbb2.ec2.internal A
check "IPv6-only instance: A is NODATA" status NOERROR flag aa answer_count 0
vpc i-0aaaaaaaaaaaaaaa1.ec2.internal A
check "resource-name records off: NXDOMAIN" status NXDOMAIN flag aa
vpc -x 10.0.1.16
check "an ip-name instance keeps ip-10-0-1-16" status NOERROR \
	answer ' IN PTR ip-10-0-1-16\.ec2\.internal\.$'
vpc ip-10-0-1-15.ec2.internal A
check "the ip- name still answers" status NOERROR \
	answer ' IN A 10\.0\.1\.15$'

# --- public DNS names ------------------------------------------------------------
vpc ec2-54-1-2-3.compute-1.amazonaws.com A
check "public DNS name inside the VPC: the private address" status NOERROR \
	flag aa answer '^ec2-54-1-2-3\.compute-1\.amazonaws\.com\. 60 IN A 10\.0\.1\.15$'
dig_q -b 127.0.0.9 ec2-54-1-2-3.compute-1.amazonaws.com A
check "public DNS name outside: the public address" status NOERROR \
	noflag aa answer ' IN A 54\.1\.2\.3$'
vpc ec2-54-9-9-9.compute-1.amazonaws.com A
check "another instance's public name inside: forwarded" status NOERROR \
	noflag aa answer ' IN A 54\.9\.9\.9$'

run_cmd "$VPCDNS_BIN" explain -c "$VPCDNS_CONF" --from 127.0.0.2 \
	5.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.b.b.a.a.0.0.8.1.f.1.0.0.6.2.ip6.arpa PTR
check "explain: the IPv6 reverse zone of the cidr-block decides" exit 0 \
	output '^zone +b\.b\.a\.a\.0\.0\.8\.1\.f\.1\.0\.0\.6\.2\.ip6\.arpa\. \(IPv6 reverse names of the instances\)$' \
	output 'PTR i-0123456789abcdef0\.ec2\.internal\.$'

finish
