#!/bin/bash
# tests/e2e/endpoints_vpce_names/test.sh - the endpoint-specific DNS names
# (SPEC 1.1, 1.3, 1.4, 1.5a, 1.6): the regional name answers every ENI
# address and a zonal name that AZ's, an AZ without an interface and names
# below them are NXDOMAIN, S3's names are wildcards whose bare name is
# NODATA, another endpoint's names and the bare service name go upstream,
# a cross-Region endpoint has no zonal names, dns-record-ip-type decides A
# versus AAAA (NODATA carries the SOA), a provider's private name is a
# CNAME followed to the addresses, a resource endpoint overrides its host
# name, gateway endpoints change nothing, private-dns: false keeps the
# public answer, an inbound-only S3 endpoint answers only through the
# inbound listener, and outside clients get the vpce names only.
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
require_tool dig

start_upstream vpce.amazonaws.com.zone vpce.amazonaws.com \
	amazonaws.com.zone amazonaws.com \
	partner.example.zone partner.example
INBOUND_PORT=$(free_port) || fatal "a free port for the inbound listener"
start_vpcdns vpcdns.yaml INBOUND_PORT="$INBOUND_PORT"
MAIN_PORT=$VPCDNS_PORT

VPCE=vpce.amazonaws.com
SM_ZONE=secretsmanager.us-east-1.$VPCE
SM=vpce-0a1b2c3d4e5f67890-abcd1234.$SM_ZONE
SM_A=vpce-0a1b2c3d4e5f67890-abcd1234-us-east-1a.$SM_ZONE
SM_B=vpce-0a1b2c3d4e5f67890-abcd1234-us-east-1b.$SM_ZONE
SM_C=vpce-0a1b2c3d4e5f67890-abcd1234-us-east-1c.$SM_ZONE
S3_ZONE=s3.us-east-1.$VPCE
S3=vpce-05a5a5a5a5a5a5a5a-s3s3s3s3.$S3_ZONE
S3_A=vpce-05a5a5a5a5a5a5a5a-s3s3s3s3-us-east-1a.$S3_ZONE
S3_B=vpce-05a5a5a5a5a5a5a5a-s3s3s3s3-us-east-1b.$S3_ZONE

# expect_nodata DESC NAME TYPE APEX: NOERROR, AA, no answer, APEX's SOA.
expect_nodata()
{
	dig_q "$2" "$3"
	check "$1" status NOERROR flag aa answer_count 0 \
		authority_set "$(r53_soa "$4")"
}

# expect_nxdomain DESC NAME TYPE APEX: NXDOMAIN, AA, APEX's SOA.
expect_nxdomain()
{
	dig_q "$2" "$3"
	check "$1" status NXDOMAIN flag aa answer_count 0 \
		authority_set "$(r53_soa "$4")"
}

# --- regional and zonal names ---------------------------------------------------
expect_local "regional name: every ENI address, TTL 60" $SM A \
	10.0.1.15 10.0.2.27
expect_local "zonal name us-east-1a: that AZ's address" $SM_A A 10.0.1.15
expect_local "zonal name us-east-1b: that AZ's address" $SM_B A 10.0.2.27
dig_q +tcp $SM A
check "regional name over TCP" status NOERROR flag aa \
	answer_set "$(rrs $SM A 10.0.1.15 10.0.2.27)"
expect_nxdomain "zonal name of an AZ without an interface: NXDOMAIN (the upstream has one)" \
	$SM_C A $SM_ZONE
expect_nxdomain "a name below the regional name: NXDOMAIN" foo.$SM A $SM_ZONE
expect_nxdomain "the <az-id>.vpce-... form is not served: NXDOMAIN" \
	use1-az1.$SM A $SM_ZONE
expect_nodata "AAAA of an ipv4 endpoint's regional name: NODATA with the SOA" \
	$SM AAAA $SM_ZONE
dig_q VPCE-0A1B2C3D4E5F67890-ABCD1234-US-EAST-1A.SecretsManager.us-east-1.Vpce.AmazonAWS.com A
check "mixed-case zonal name: answered, question echoed" status NOERROR \
	flag aa answer_count 1 \
	question "VPCE-0A1B2C3D4E5F67890-ABCD1234-US-EAST-1A.SecretsManager.us-east-1.Vpce.AmazonAWS.com. IN A" \
	answer_ci "^${SM_A//./\\.}\\. 60 IN A 10\\.0\\.1\\.15\$"

# --- names of others: forwarded --------------------------------------------
expect_public "another endpoint id's regional name is forwarded" \
	vpce-0fffffffffffffff0-zzzz9999.$SM_ZONE 203.0.113.50
expect_public "another endpoint id's zonal name is forwarded" \
	vpce-0fffffffffffffff0-zzzz9999-us-east-1a.$SM_ZONE 203.0.113.51
expect_public "the bare service vpce name is forwarded" $SM_ZONE 203.0.113.53
expect_public "another S3 endpoint's bucket name is forwarded" \
	bucket.vpce-0fffffffffffffff0-zzzz9999.$S3_ZONE 203.0.113.56

# --- S3 wildcards ---------------------------------------------------------------
expect_local "S3: bucket.vpce-...s3 answers every ENI address" bucket.$S3 A \
	10.0.1.16 10.0.2.16
expect_local "S3: accesspoint.vpce-...s3" accesspoint.$S3 A \
	10.0.1.16 10.0.2.16
expect_local "S3: control.vpce-...s3" control.$S3 A 10.0.1.16 10.0.2.16
expect_local "S3: bucket.<zonal us-east-1a name>" bucket.$S3_A A 10.0.1.16
expect_local "S3: bucket.<zonal us-east-1b name>" bucket.$S3_B A 10.0.2.16
expect_nodata "S3: the bare regional name is NODATA with the SOA" $S3 A \
	$S3_ZONE
expect_nodata "S3: the bare zonal name is NODATA with the SOA" $S3_A A \
	$S3_ZONE

# --- cross-Region -------------------------------------------------------------
XR_ZONE=sqs.eu-west-1.$VPCE
XR=vpce-0c0000000000000e1-xregion1.$XR_ZONE
expect_local "cross-Region: regional name in the service's Region" $XR A \
	10.0.1.50 10.0.2.50
expect_nxdomain "cross-Region: no zonal name (NXDOMAIN, the upstream has one)" \
	vpce-0c0000000000000e1-xregion1-eu-west-1a.$XR_ZONE A $XR_ZONE
expect_nxdomain "cross-Region: no zonal name of its AZs (the VPC's) either" \
	vpce-0c0000000000000e1-xregion1-us-east-1a.$XR_ZONE A $XR_ZONE
expect_local "cross-Region: private DNS name uses eu-west-1" \
	sqs.eu-west-1.amazonaws.com A 10.0.1.50 10.0.2.50
expect_public "cross-Region: the VPC's own Region's name stays public" \
	sqs.us-east-1.amazonaws.com 203.0.113.63

# --- dns-record-ip-type ---------------------------------------------------------
V4=vpce-0100000000000000a-ipv4only.ssm.us-east-1.$VPCE
expect_local "ipv4: A on the vpce name" $V4 A 10.0.1.30
expect_nodata "ipv4: AAAA on the vpce name is NODATA (the subnet's IPv6 unused)" \
	$V4 AAAA ssm.us-east-1.$VPCE
expect_nodata "ipv4: AAAA on the private name is NODATA" \
	ssm.us-east-1.amazonaws.com AAAA ssm.us-east-1.amazonaws.com

DS=vpce-0100000000000000b-dualstak.ec2.us-east-1.$VPCE
expect_local "dualstack: A on the vpce name" $DS A 10.0.1.31 10.0.2.31
expect_local "dualstack: AAAA on the vpce name" $DS AAAA \
	fd00:10:1::31 fd00:10:2::31
expect_local "dualstack: AAAA on the zonal name" \
	vpce-0100000000000000b-dualstak-us-east-1b.ec2.us-east-1.$VPCE AAAA \
	fd00:10:2::31
expect_local "dualstack: A on the private name" ec2.us-east-1.amazonaws.com A \
	10.0.1.31 10.0.2.31
expect_local "dualstack: AAAA on the private name" \
	ec2.us-east-1.amazonaws.com AAAA fd00:10:1::31 fd00:10:2::31

V6=vpce-0100000000000000c-ipv6only.logs.us-east-1.$VPCE
expect_local "ipv6: AAAA on the vpce name" $V6 AAAA fd00:10:1::32
expect_nodata "ipv6: A on the vpce name is NODATA" $V6 A logs.us-east-1.$VPCE
expect_local "ipv6: AAAA on the private name" logs.us-east-1.amazonaws.com \
	AAAA fd00:10:1::32
expect_nodata "ipv6: A on the private name is NODATA" \
	logs.us-east-1.amazonaws.com A logs.us-east-1.amazonaws.com

SD=vpce-0100000000000000d-svcdefnd.kms.us-east-1.$VPCE
expect_local "service-defined: A on the vpce name" $SD A 10.0.1.33
expect_local "service-defined: AAAA on the vpce name" $SD AAAA fd00:10:1::33
expect_local "service-defined: A on the private name" \
	kms.us-east-1.amazonaws.com A 10.0.1.33
expect_nodata "service-defined: no AAAA on the private name (NODATA)" \
	kms.us-east-1.amazonaws.com AAAA kms.us-east-1.amazonaws.com

# --- a provider's service: CNAME to the regional name -----------------------
PV_ZONE=vpce-svc-0123456789abcdef0.us-east-1.$VPCE
PV=vpce-0200000000000000d-provider.$PV_ZONE
expect_local "provider: regional name under the vpce-svc id" $PV A \
	10.0.1.43 10.0.2.43
dig_q api.partner.example A
check "provider: private name is a CNAME (TTL 60) followed to the A records" \
	status NOERROR flag aa answer_count 3 \
	answer_line "1:^api\\.partner\\.example\\. 60 IN CNAME ${PV//./\\.}\\.\$" \
	answer "^${PV//./\\.}\\. 60 IN A 10\\.0\\.1\\.43\$" \
	answer "^${PV//./\\.}\\. 60 IN A 10\\.0\\.2\\.43\$"
dig_q api.partner.example AAAA
check "provider: AAAA gives the CNAME and NODATA with the target zone's SOA" \
	status NOERROR flag aa \
	answer_set "api.partner.example. 60 IN CNAME $PV." \
	authority_set "$(r53_soa $PV_ZONE)"

# --- resource endpoint --------------------------------------------------------
expect_local "resource endpoint (no service key): the host name answers the ENI address" \
	db1.abc123.us-east-1.rds.amazonaws.com A 10.0.1.99

# --- gateway endpoints, private DNS off ---------------------------------------
expect_public "gateway endpoint (DynamoDB): the public answer" \
	dynamodb.us-east-1.amazonaws.com 203.0.113.60
expect_public "private-dns: false: the service name stays public" \
	lambda.us-east-1.amazonaws.com 203.0.113.61
expect_local "private-dns: false: the vpce name still answers" \
	vpce-0200000000000000a-noprivdn.lambda.us-east-1.$VPCE A 10.0.1.40

# --- inbound-only S3 ------------------------------------------------------------
expect_public "inbound-only S3, inside the VPC: s3.us-east-1 is public" \
	s3.us-east-1.amazonaws.com 203.0.113.22
expect_public "inbound-only S3, inside the VPC: bucket names are public" \
	mybucket.s3.us-east-1.amazonaws.com 203.0.113.23
# SPEC 1.5a: the S3 gateway's dns-record-ip-type ipv4 drops AAAA from the
# forwarded public answer; DynamoDB's gateway (default service-defined)
# leaves its answer unchanged.
dig_q s3.us-east-1.amazonaws.com AAAA
check "S3 gateway with dns-record-ip-type ipv4: public AAAA dropped" \
	status NOERROR noflag aa no_answer ' IN AAAA '
dig_q mybucket.s3.us-east-1.amazonaws.com AAAA
check "S3 gateway with dns-record-ip-type ipv4: bucket AAAA dropped" \
	status NOERROR noflag aa no_answer ' IN AAAA '
dig_q dynamodb.us-east-1.amazonaws.com AAAA
check "gateway with the default service-defined: public AAAA unchanged" \
	status NOERROR noflag aa \
	answer '^dynamodb\.us-east-1\.amazonaws\.com\. [0-9]+ IN AAAA 2001:db8::60$'
VPCDNS_PORT=$INBOUND_PORT
expect_local "inbound-only S3, through the inbound listener: ENI addresses" \
	s3.us-east-1.amazonaws.com A 10.0.1.16 10.0.2.16
expect_local "inbound-only S3, through the inbound listener: bucket names" \
	mybucket.s3.us-east-1.amazonaws.com A 10.0.1.16 10.0.2.16
expect_local "inbound listener: the other private names too" \
	secretsmanager.us-east-1.amazonaws.com A 10.0.1.15 10.0.2.27
expect_local "inbound listener: vpce names" bucket.$S3 A 10.0.1.16 10.0.2.16
VPCDNS_PORT=$MAIN_PORT

# --- an outside client ------------------------------------------------------------
start_vpcdns vpcdns-outside.yaml
expect_public "outside client: private DNS name forwarded" \
	secretsmanager.us-east-1.amazonaws.com 203.0.113.20
expect_public "outside client: provider's private name forwarded" \
	api.partner.example 198.51.100.43
expect_local "outside client: regional vpce name answered" $SM A \
	10.0.1.15 10.0.2.27
expect_local "outside client: zonal vpce name answered" $SM_B A 10.0.2.27
expect_nxdomain "outside client: zonal name of an AZ without an interface" \
	$SM_C A $SM_ZONE
expect_public "outside client: another endpoint's name forwarded" \
	vpce-0fffffffffffffff0-zzzz9999.$SM_ZONE 203.0.113.50

finish
