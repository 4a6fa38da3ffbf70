#!/bin/bash
# tests/e2e/endpoints_china/test.sh - endpoints in the China partition
# (SPEC 1.1, 1.2): service names cn.com.amazonaws.cn-north-1.<svc> give
# private DNS names <svc>.cn-north-1.amazonaws.com.cn (the irregular rows
# too: S3's names and wildcards, api.ecr, the *.dkr.ecr wildcard) and vpce
# names under vpce.amazonaws.com.cn; the same names under amazonaws.com
# are not theirs and go upstream, as do other endpoints' vpce names.
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
require_tool dig

start_upstream amazonaws.com.cn.zone amazonaws.com.cn \
	amazonaws.com.zone amazonaws.com
start_vpcdns vpcdns.yaml

CN=cn-north-1.amazonaws.com.cn
VPCE=cn-north-1.vpce.amazonaws.com.cn

# Private DNS names.
expect_local "secretsmanager.$CN answers the ENI addresses" \
	secretsmanager.$CN A 172.31.0.10 172.31.16.10
expect_local "sts.$CN" sts.$CN A 172.31.16.14
expect_local "api.ecr.$CN" api.ecr.$CN A 172.31.0.13
expect_local "*.dkr.ecr.$CN (123456789012.dkr.ecr)" \
	123456789012.dkr.ecr.$CN A 172.31.0.11
dig_q dkr.ecr.$CN A
check "dkr.ecr.$CN apex: NODATA with the Route 53 SOA" status NOERROR \
	flag aa answer_count 0 authority_set "$(r53_soa dkr.ecr.$CN)"
expect_local "s3.$CN" s3.$CN A 172.31.0.12 172.31.16.12
expect_local "*.s3.$CN (mybucket)" mybucket.s3.$CN A 172.31.0.12 172.31.16.12
expect_local "s3-control.$CN" s3-control.$CN A 172.31.0.12 172.31.16.12
expect_local "*.s3-accesspoint.$CN" myap-123456789012.s3-accesspoint.$CN A \
	172.31.0.12 172.31.16.12
dig_q nope.secretsmanager.$CN A
check "undefined name under secretsmanager.$CN: NXDOMAIN with the Route 53 SOA" \
	status NXDOMAIN flag aa answer_count 0 \
	authority_set "$(r53_soa secretsmanager.$CN)"
dig_q SecretsManager.CN-North-1.AmazonAWS.com.CN A
check "mixed case: answered, question echoed" status NOERROR flag aa \
	question "SecretsManager.CN-North-1.AmazonAWS.com.CN. IN A" \
	answer_count 2 \
	answer_ci "^secretsmanager\\.cn-north-1\\.amazonaws\\.com\\.cn\\. 60 IN A 172\\.31\\.0\\.10\$"

# vpce names under vpce.amazonaws.com.cn.
SM=vpce-0c0000000000000a1-cnsm0001.secretsmanager.$VPCE
expect_local "regional vpce name under vpce.amazonaws.com.cn" $SM A \
	172.31.0.10 172.31.16.10
expect_local "zonal vpce name (cn-north-1b)" \
	vpce-0c0000000000000a1-cnsm0001-cn-north-1b.secretsmanager.$VPCE A \
	172.31.16.10
dig_q vpce-0c0000000000000a1-cnsm0001-cn-north-1c.secretsmanager.$VPCE A
check "zonal vpce name of an AZ without an interface: NXDOMAIN" \
	status NXDOMAIN flag aa answer_count 0 \
	authority_set "$(r53_soa secretsmanager.$VPCE)"
expect_local "ecr.dkr vpce name (label dkr.ecr)" \
	vpce-0c0000000000000a2-cndkr001.dkr.ecr.$VPCE A 172.31.0.11
expect_local "ecr.api vpce name (label api.ecr)" \
	vpce-0c0000000000000a4-cnecr001.api.ecr.$VPCE A 172.31.0.13
expect_local "S3 vpce wildcard (bucket.vpce-...s3)" \
	bucket.vpce-0c0000000000000a3-cns30001.s3.$VPCE A \
	172.31.0.12 172.31.16.12
dig_q vpce-0c0000000000000a3-cns30001.s3.$VPCE A
check "bare S3 vpce name: NODATA with the SOA" status NOERROR flag aa \
	answer_count 0 authority_set "$(r53_soa s3.$VPCE)"

# Not ours: forwarded.
expect_public "another endpoint's vpce name (.cn) is forwarded" \
	vpce-0fffffffffffffff0-zzzz9999.secretsmanager.$VPCE 203.0.113.150
expect_public "the bare service vpce name (.cn) is forwarded" \
	secretsmanager.$VPCE 203.0.113.151
expect_public "a service without an endpoint (kms.$CN) is forwarded" \
	kms.$CN 203.0.113.140
expect_public "secretsmanager.cn-north-1.amazonaws.com (no .cn) is forwarded" \
	secretsmanager.cn-north-1.amazonaws.com 203.0.113.160
expect_public "the vpce name under vpce.amazonaws.com (no .cn) is forwarded" \
	vpce-0c0000000000000a1-cnsm0001.secretsmanager.cn-north-1.vpce.amazonaws.com \
	203.0.113.161

finish
