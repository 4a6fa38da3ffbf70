#!/bin/bash
# tests/e2e/endpoints_private_dns/test.sh - private DNS of interface
# endpoints (SPEC 1.2, 1.5a, Part 3): inside the VPC every row of the SPEC
# 1.2 table (most services, S3's three names and their wildcards, ecr.api,
# the ecr.dkr and execute-api wildcards, sagemaker, FIPS) answers the
# endpoint's ENI addresses, authoritatively, TTL 60 (never counted down:
# tests/replay/local_ttl.rpl); a name the managed zone does not define is
# NXDOMAIN with the Route 53 SOA even though the public zone has it; the wildcard zones' apexes are
# NODATA; sts.amazonaws.com, s3.amazonaws.com and <r>.queue.amazonaws.com
# go to the upstream (nsd) although sts, s3 and sqs have endpoints; the
# question's case is kept.
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
require_tool dig kdig drill

start_upstream amazonaws.com.zone amazonaws.com
start_vpcdns vpcdns.yaml

# expect_eni DESC NAME ADDR...: NAME/A answers exactly ADDR... (TTL 60)
# with AA, nothing in the authority section.
expect_eni()
{
	local desc=$1 name=$2
	shift 2
	dig_q "$name" A
	check "$desc" status NOERROR flag aa flag ra \
		answer_set "$(rrs "$name" A "$@")" authority_count 0
}

# expect_public DESC NAME ADDR: NAME/A is the upstream's answer ADDR, not
# authoritative.
expect_public()
{
	local re
	re=$(printf '%s' "$2" | sed 's/[.]/\\./g')
	dig_q "$2" A
	check "$1" status NOERROR noflag aa flag ra answer_count 1 \
		answer "^$re\\. [0-9]+ IN A ${3//./\\.}\$"
}

SM=secretsmanager.us-east-1.amazonaws.com
S3_ENI=(10.0.1.16 10.0.2.16)

# Every row of the SPEC 1.2 table.
expect_eni "most services: $SM" $SM 10.0.1.15 10.0.2.27
expect_eni "most services: sts.us-east-1.amazonaws.com" \
	sts.us-east-1.amazonaws.com 10.0.1.26
expect_eni "most services: sqs.us-east-1.amazonaws.com" \
	sqs.us-east-1.amazonaws.com 10.0.1.27
expect_eni "S3: s3.us-east-1.amazonaws.com" \
	s3.us-east-1.amazonaws.com "${S3_ENI[@]}"
expect_eni "S3: *.s3 (virtual-hosted bucket mybucket.s3.us-east-1)" \
	mybucket.s3.us-east-1.amazonaws.com "${S3_ENI[@]}"
expect_eni "S3: *.s3 (dotted bucket name)" \
	my.dotted.bucket.s3.us-east-1.amazonaws.com "${S3_ENI[@]}"
expect_eni "S3: s3-control.us-east-1.amazonaws.com" \
	s3-control.us-east-1.amazonaws.com "${S3_ENI[@]}"
expect_eni "S3: *.s3-control (<account>.s3-control)" \
	123456789012.s3-control.us-east-1.amazonaws.com "${S3_ENI[@]}"
expect_eni "S3: s3-accesspoint.us-east-1.amazonaws.com" \
	s3-accesspoint.us-east-1.amazonaws.com "${S3_ENI[@]}"
expect_eni "S3: *.s3-accesspoint (<ap>-<account>.s3-accesspoint)" \
	myap-123456789012.s3-accesspoint.us-east-1.amazonaws.com "${S3_ENI[@]}"
expect_eni "ecr.api: api.ecr.us-east-1.amazonaws.com" \
	api.ecr.us-east-1.amazonaws.com 10.0.1.20
expect_eni "ecr.dkr: *.dkr.ecr (123456789012.dkr.ecr.us-east-1)" \
	123456789012.dkr.ecr.us-east-1.amazonaws.com 10.0.1.21 10.0.2.21
expect_eni "execute-api: *.execute-api (abc123.execute-api.us-east-1)" \
	abc123.execute-api.us-east-1.amazonaws.com 10.0.1.22
expect_eni "sagemaker.runtime: runtime.sagemaker.us-east-1.amazonaws.com" \
	runtime.sagemaker.us-east-1.amazonaws.com 10.0.1.23
expect_eni "sagemaker.api: api.sagemaker.us-east-1.amazonaws.com" \
	api.sagemaker.us-east-1.amazonaws.com 10.0.1.24
expect_eni "FIPS: kms-fips.us-east-1.amazonaws.com" \
	kms-fips.us-east-1.amazonaws.com 10.0.1.25
expect_eni "the regional vpce name answers the same addresses" \
	vpce-0a1b2c3d4e5f67890-abcd1234.secretsmanager.us-east-1.vpce.amazonaws.com \
	10.0.1.15 10.0.2.27

# The apexes of the wildcard zones answer NODATA (SPEC 1.5a).
dig_q dkr.ecr.us-east-1.amazonaws.com A
check "ecr.dkr zone apex: NODATA with the Route 53 SOA" status NOERROR \
	flag aa answer_count 0 \
	authority_set "$(r53_soa dkr.ecr.us-east-1.amazonaws.com)"
dig_q execute-api.us-east-1.amazonaws.com A
check "execute-api zone apex: NODATA with the Route 53 SOA" \
	status NOERROR flag aa answer_count 0 \
	authority_set "$(r53_soa execute-api.us-east-1.amazonaws.com)"

# Names the managed zones do not define: NXDOMAIN, not forwarded.
dig_q nope.$SM A
check "undefined name under $SM: NXDOMAIN with the Route 53 SOA (TTL 900)" \
	status NXDOMAIN flag aa answer_count 0 authority_set "$(r53_soa $SM)"
dig_q +tcp a.b.$SM AAAA
check "deeper undefined name, over TCP: NXDOMAIN with the SOA" \
	status NXDOMAIN flag aa answer_count 0 authority_set "$(r53_soa $SM)"
dig_q x.api.ecr.us-east-1.amazonaws.com A
check "undefined name under api.ecr: NXDOMAIN with the SOA" \
	status NXDOMAIN flag aa answer_count 0 \
	authority_set "$(r53_soa api.ecr.us-east-1.amazonaws.com)"
dig_q $SM AAAA
check "AAAA of an ipv4 endpoint's private name: NODATA with the SOA" \
	status NOERROR flag aa answer_count 0 authority_set "$(r53_soa $SM)"
dig_q mybucket.s3.us-east-1.amazonaws.com AAAA
check "AAAA of an S3 wildcard name: NODATA with the S3 zone's SOA" \
	status NOERROR flag aa answer_count 0 \
	authority_set "$(r53_soa s3.us-east-1.amazonaws.com)"

# The managed zone's apex records (SPEC 1.2).
dig_q $SM SOA
check "managed zone SOA: the Route 53 one, TTL 900" status NOERROR flag aa \
	answer_set "$(r53_soa $SM)"
dig_q $SM NS
check "managed zone NS: the four Route 53 servers, TTL 172800" \
	status NOERROR flag aa answer_count 4 \
	answer_all "^${SM//./\\.}\\. 172800 IN NS ns-[0-9]+\\.awsdns-00\\.(com|net|org|co\\.uk)\\.\$"

# Never covered by an endpoint, even with sts, s3 and sqs endpoints.
expect_public "sts.amazonaws.com is forwarded (public answer)" \
	sts.amazonaws.com 203.0.113.10
expect_public "s3.amazonaws.com is forwarded (public answer)" \
	s3.amazonaws.com 203.0.113.11
expect_public "us-east-1.queue.amazonaws.com is forwarded (public answer)" \
	us-east-1.queue.amazonaws.com 203.0.113.12
expect_public "a service without an endpoint (kms) is forwarded" \
	kms.us-east-1.amazonaws.com 203.0.113.40
expect_public "ecr.us-east-1 (neither api.ecr nor dkr.ecr) is forwarded" \
	ecr.us-east-1.amazonaws.com 203.0.113.41

# That the TTL stays 60 however long it runs (SPEC 1.5a) is checked on a
# virtual clock: tests/replay/local_ttl.rpl.

# Case: names compare without case, the question is echoed as sent.
dig_q SecretsManager.US-East-1.AmazonAWS.com A
check "mixed-case private name: answered, question echoed in its case" \
	status NOERROR flag aa \
	question "SecretsManager.US-East-1.AmazonAWS.com. IN A" answer_count 2 \
	answer_ci "^${SM//./\\.}\\. 60 IN A 10\\.0\\.1\\.15\$" \
	answer_ci "^${SM//./\\.}\\. 60 IN A 10\\.0\\.2\\.27\$"
dig_q MyBucket.S3.US-EAST-1.amazonaws.com A
check "mixed-case S3 wildcard name" status NOERROR flag aa \
	question "MyBucket.S3.US-EAST-1.amazonaws.com. IN A" answer_count 2 \
	answer_all '^MyBucket\.S3\.US-EAST-1\.amazonaws\.com\. 60 IN A 10\.0\.[12]\.16$'
dig_q NoPe.SecretsManager.us-east-1.AMAZONAWS.com A
check "mixed-case undefined name: NXDOMAIN, question kept" status NXDOMAIN \
	flag aa question "NoPe.SecretsManager.us-east-1.AMAZONAWS.com. IN A" \
	authority_set "$(r53_soa $SM)"
dig_q STS.AmazonAWS.com A
check "mixed-case global name: forwarded, question kept" status NOERROR \
	noflag aa question "STS.AmazonAWS.com. IN A" answer_count 1 \
	answer_ci '^sts\.amazonaws\.com\. [0-9]+ IN A 203\.0\.113\.10$'

# Other clients and transports.
dig_q +tcp abc123.execute-api.us-east-1.amazonaws.com A
check "execute-api wildcard over TCP" status NOERROR flag aa \
	answer_set "$(rrs abc123.execute-api.us-east-1.amazonaws.com A 10.0.1.22)"
dig_q +norec api.ecr.us-east-1.amazonaws.com A
check "without RD: answered locally all the same" status NOERROR flag aa \
	noflag rd answer_set "$(rrs api.ecr.us-east-1.amazonaws.com A 10.0.1.20)"
kdig_q 123456789012.dkr.ecr.us-east-1.amazonaws.com A
check "kdig: ecr.dkr wildcard" status NOERROR flag aa \
	answer_set "$(rrs 123456789012.dkr.ecr.us-east-1.amazonaws.com A 10.0.1.21 10.0.2.21)"
drill_q s3-accesspoint.us-east-1.amazonaws.com A
check "drill: s3-accesspoint" status NOERROR flag aa \
	answer_set "$(rrs s3-accesspoint.us-east-1.amazonaws.com A "${S3_ENI[@]}")"

finish
