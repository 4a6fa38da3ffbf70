/*
 * tests/unit/check_catalog.c - unit tests of the AWS service catalog.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Table-driven: every row of the SPEC 1.2 table, every irregular service
 * of docs/catalog.md, FIPS, the China and GovCloud partitions, providers,
 * global services, the default rule and each error path of
 * catalog_parse().  A sweep over the whole table checks that the names
 * SPEC 1.2 says no endpoint covers (sts.amazonaws.com, s3.amazonaws.com,
 * <region>.queue.amazonaws.com) are never produced.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "engine/catalog.h"
#include "util/err.h"

/* One expected mapping: service name -> vpce label and private names. */
struct expect {
	const char *name;			  /* endpoint service name */
	const char *label;			  /* base endpoint DNS label */
	const char *vpce;			  /* vpce domain */
	const char *names[CATALOG_MAX_NAMES + 1]; /* NULL-terminated */
};

static void
check_expect(const struct expect *e)
{
	struct catalog_service_ref ref;
	char out[CATALOG_MAX_NAMES][CATALOG_NAME_MAX];
	char label[CATALOG_NAME_MAX];
	size_t n, want;

	ck_assert_msg(catalog_parse(e->name, &ref) == VPC_OK, "parse %s",
		      e->name);
	ck_assert_int_eq(catalog_vpce_label(&ref, label, sizeof(label)),
			 VPC_OK);
	ck_assert_msg(strcmp(label, e->label) == 0, "%s: label %s, want %s",
		      e->name, label, e->label);
	ck_assert_str_eq(catalog_vpce_domain(&ref), e->vpce);
	for (want = 0; e->names[want] != NULL; want++)
		;
	n = catalog_private_names(&ref, out, CATALOG_MAX_NAMES);
	ck_assert_msg(n == want, "%s: %zu names, want %zu", e->name, n, want);
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(strcmp(out[i], e->names[i]) == 0,
			      "%s: name %zu is %s, want %s", e->name, i, out[i],
			      e->names[i]);
}

static void
check_all(const struct expect *e, size_t n)
{
	for (size_t i = 0; i < n; i++)
		check_expect(&e[i]);
}

#define VPCE "vpce.amazonaws.com"
#define VPCE_CN "vpce.amazonaws.com.cn"
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- catalog_parse ------------------------------------------------------ */

START_TEST(test_parse_regional)
{
	struct catalog_service_ref ref;

	ck_assert_int_eq(catalog_parse("com.amazonaws.us-east-1.ecr.dkr", &ref),
			 VPC_OK);
	ck_assert_int_eq(ref.partition, CATALOG_PARTITION_AWS);
	ck_assert_str_eq(ref.region, "us-east-1");
	ck_assert_str_eq(ref.service, "ecr.dkr");
	ck_assert(!ref.provider);
	ck_assert_ptr_nonnull(ref.entry);
	ck_assert_str_eq(ref.entry->service, "ecr.dkr");
	ck_assert_str_eq(catalog_partition_name(ref.partition), "aws");
	ck_assert_str_eq(catalog_domain(&ref), "amazonaws.com");

	/* ASCII case is ignored and the reference is lower case. */
	ck_assert_int_eq(catalog_parse("COM.AmazonAWS.EU-West-2.S3", &ref),
			 VPC_OK);
	ck_assert_str_eq(ref.region, "eu-west-2");
	ck_assert_str_eq(ref.service, "s3");
	ck_assert_ptr_nonnull(ref.entry);

	/* Unlisted service: parsed, default rule. */
	ck_assert_int_eq(
	    catalog_parse("com.amazonaws.ap-southeast-5.foo", &ref), VPC_OK);
	ck_assert_str_eq(ref.region, "ap-southeast-5");
	ck_assert_ptr_null(ref.entry);
}
END_TEST

START_TEST(test_parse_govcloud)
{
	static const struct expect e[] = {
	    {"com.amazonaws.us-gov-west-1.sts",
	     "sts",
	     VPCE,
	     {"sts.us-gov-west-1.amazonaws.com"}},
	    {"com.amazonaws.us-gov-east-1.ecr.dkr",
	     "dkr.ecr",
	     VPCE,
	     {"*.dkr.ecr.us-gov-east-1.amazonaws.com"}},
	};
	struct catalog_service_ref ref;

	ck_assert_int_eq(catalog_parse("com.amazonaws.us-gov-west-1.s3", &ref),
			 VPC_OK);
	ck_assert_int_eq(ref.partition, CATALOG_PARTITION_AWS_US_GOV);
	ck_assert_str_eq(catalog_partition_name(ref.partition), "aws-us-gov");
	ck_assert_str_eq(catalog_domain(&ref), "amazonaws.com");
	ck_assert(catalog_has_gateway(&ref));
	check_all(e, NELEM(e));
}
END_TEST

START_TEST(test_parse_malformed)
{
	static const char *const bad[] = {
	    "",
	    "com.amazonaws.",
	    "com.amazonaws",
	    "org.example.x",
	    "amazonaws.com.us-east-1.s3",
	    "com.amazonaws.us-east-1",
	    "com.amazonaws.us-east-1.",
	    "com.amazonaws..s3",
	    "com.amazonaws.us-east-1..s3",
	    "com.amazonaws.us-east-1.s3.",
	    ".com.amazonaws.us-east-1.s3",
	    "com.amazonaws.us-east-1.s_3",
	    "com.amazonaws.us-east-1.ecr dkr",
	    "com.amazonaws.us-east-1.*.s3",
	    "com.amazonaws.cn-north-1.s3",   /* China Region, wrong prefix */
	    "cn.com.amazonaws.us-east-1.s3", /* China prefix, wrong Region */
	    "cn.com.amazonaws.",
	    "com.amazonaws.vpce",
	    "com.amazonaws.vpce.",
	    "com.amazonaws.vpce.us-east-1",
	    "com.amazonaws.vpce.us-east-1.",
	    "com.amazonaws.vpce.us-east-1.vpce-svc-",
	    "com.amazonaws.vpce.us-east-1.vpce-svc-0123456",
	    "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef01",
	    "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdeg",
	    "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0.x",
	    "com.amazonaws.vpce.us-east-1.svc-0123456789abcdef0",
	    "com.amazonaws.vpce.east.vpce-svc-0123456789abcdef0",
	    "com.amazonaws.vpce.cn-north-1.vpce-svc-0123456789abcdef0",
	};
	struct catalog_service_ref ref;
	char longname[400];

	for (size_t i = 0; i < NELEM(bad); i++) {
		memset(&ref, 0x5a, sizeof(ref));
		ck_assert_msg(catalog_parse(bad[i], &ref) == VPC_EMALFORMED,
			      "accepted \"%s\"", bad[i]);
		/* STYLE §4: out-parameters are written only on success. */
		ck_assert_int_eq(((unsigned char *)&ref)[0], 0x5a);
	}
	ck_assert_int_eq(catalog_parse(NULL, &ref), VPC_EMALFORMED);

	/* A 64-byte label. */
	snprintf(longname, sizeof(longname), "com.amazonaws.us-east-1.%064d",
		 0);
	ck_assert_int_eq(catalog_parse(longname, &ref), VPC_EMALFORMED);
	/* A service id of 64 bytes (labels fine) does not fit the ref. */
	snprintf(longname, sizeof(longname),
		 "com.amazonaws.us-east-1.%031d.%032d", 0, 0);
	ck_assert_int_eq(catalog_parse(longname, &ref), VPC_EMALFORMED);
	snprintf(longname, sizeof(longname),
		 "com.amazonaws.us-east-1.%031d.%031d", 0, 0);
	ck_assert_int_eq(catalog_parse(longname, &ref), VPC_OK);
	ck_assert_uint_eq(strlen(ref.service), CATALOG_SERVICE_MAX - 1);
	/* More than 255 bytes in all. */
	memset(longname, 0, sizeof(longname));
	strcpy(longname, "com.amazonaws.us-east-1");
	while (strlen(longname) < 300)
		strcat(longname, ".abcdefghij");
	ck_assert_int_eq(catalog_parse(longname, &ref), VPC_EMALFORMED);
}
END_TEST

START_TEST(test_parse_iso_partitions)
{
	static const char *const iso[] = {
	    "com.amazonaws.us-iso-east-1.s3",
	    "com.amazonaws.us-isob-east-1.sts",
	    "com.amazonaws.eu-isoe-west-1.ssm",
	    "com.amazonaws.us-isof-south-1.kms",
	    "com.amazonaws.vpce.us-iso-east-1.vpce-svc-0123456789abcdef0",
	    /* The European Sovereign Cloud: amazonaws.eu, not modelled. */
	    "com.amazonaws.eusc-de-east-1.s3",
	};
	struct catalog_service_ref ref;

	for (size_t i = 0; i < NELEM(iso); i++)
		ck_assert_msg(catalog_parse(iso[i], &ref) == VPC_ENOTFOUND,
			      "%s", iso[i]);
}
END_TEST

/* ---- SPEC 1.2 table ----------------------------------------------------- */

START_TEST(test_spec_table)
{
	static const struct expect e[] = {
	    /* com.amazonaws.<r>.<svc> (most services) */
	    {"com.amazonaws.us-east-1.secretsmanager",
	     "secretsmanager",
	     VPCE,
	     {"secretsmanager.us-east-1.amazonaws.com"}},
	    /* S3 interface: six names, no FIPS, never the global name. */
	    {"com.amazonaws.eu-central-1.s3",
	     "s3",
	     VPCE,
	     {"s3.eu-central-1.amazonaws.com",
	      "*.s3.eu-central-1.amazonaws.com",
	      "s3-control.eu-central-1.amazonaws.com",
	      "*.s3-control.eu-central-1.amazonaws.com",
	      "s3-accesspoint.eu-central-1.amazonaws.com",
	      "*.s3-accesspoint.eu-central-1.amazonaws.com"}},
	    {"com.amazonaws.us-east-1.ecr.api",
	     "api.ecr",
	     VPCE,
	     {"api.ecr.us-east-1.amazonaws.com"}},
	    {"com.amazonaws.us-east-1.ecr.dkr",
	     "dkr.ecr",
	     VPCE,
	     {"*.dkr.ecr.us-east-1.amazonaws.com"}},
	    {"com.amazonaws.us-west-2.execute-api",
	     "execute-api",
	     VPCE,
	     {"*.execute-api.us-west-2.amazonaws.com"}},
	    {"com.amazonaws.us-east-1.sagemaker.runtime",
	     "runtime.sagemaker",
	     VPCE,
	     {"runtime.sagemaker.us-east-1.amazonaws.com"}},
	    {"com.amazonaws.us-east-1.sagemaker.api",
	     "api.sagemaker",
	     VPCE,
	     {"api.sagemaker.us-east-1.amazonaws.com"}},
	    /* FIPS variants */
	    {"com.amazonaws.us-east-1.sts-fips",
	     "sts-fips",
	     VPCE,
	     {"sts-fips.us-east-1.amazonaws.com"}},
	    /* China partition */
	    {"cn.com.amazonaws.cn-north-1.secretsmanager",
	     "secretsmanager",
	     VPCE_CN,
	     {"secretsmanager.cn-north-1.amazonaws.com.cn"}},
	};

	check_all(e, NELEM(e));
}
END_TEST

/* ---- every catalog service with its real names ------------------------- */

START_TEST(test_regular_services)
{
	static const char *const regular[] = {
	    "athena",
	    "autoscaling",
	    "bedrock-runtime",
	    "codebuild",
	    "codecommit",
	    "ebs",
	    "ec2",
	    "ec2messages",
	    "ecs",
	    "elasticfilesystem",
	    "elasticloadbalancing",
	    "events",
	    "git-codecommit",
	    "glue",
	    "kms",
	    "lambda",
	    "logs",
	    "monitoring",
	    "rds",
	    "secretsmanager",
	    "sns",
	    "sqs",
	    "ssm",
	    "ssmmessages",
	    "states",
	    "sts",
	    "xray",
	};
	struct expect e;
	char name[128], priv[128];

	for (size_t i = 0; i < NELEM(regular); i++) {
		snprintf(name, sizeof(name), "com.amazonaws.ca-central-1.%s",
			 regular[i]);
		snprintf(priv, sizeof(priv), "%s.ca-central-1.amazonaws.com",
			 regular[i]);
		memset(&e, 0, sizeof(e));
		e.name = name;
		e.label = regular[i];
		e.vpce = VPCE;
		e.names[0] = priv;
		check_expect(&e);
		/* Listed in the table, not left to the default rule. */
		{
			struct catalog_service_ref ref;

			ck_assert_int_eq(catalog_parse(name, &ref), VPC_OK);
			ck_assert_msg(ref.entry != NULL, "%s not in table",
				      regular[i]);
		}
	}
}
END_TEST

START_TEST(test_irregular_services)
{
	static const struct expect e[] = {
	    {"com.amazonaws.ap-southeast-1.ecs-agent",
	     "ecs-a",
	     VPCE,
	     {"ecs-a.ap-southeast-1.amazonaws.com"}},
	    {"com.amazonaws.ap-southeast-1.ecs-telemetry",
	     "ecs-t",
	     VPCE,
	     {"ecs-t.ap-southeast-1.amazonaws.com"}},
	    {"com.amazonaws.us-east-1.kinesis-streams",
	     "kinesis",
	     VPCE,
	     {"kinesis.us-east-1.amazonaws.com"}},
	    {"com.amazonaws.us-east-1.kinesis-firehose",
	     "firehose",
	     VPCE,
	     {"firehose.us-east-1.amazonaws.com"}},
	    {"com.amazonaws.us-west-2.codeartifact.api",
	     "api.codeartifact",
	     VPCE,
	     {"codeartifact.us-west-2.amazonaws.com"}},
	    {"com.amazonaws.us-west-2.codeartifact.repositories",
	     "d.codeartifact",
	     VPCE,
	     {"*.d.codeartifact.us-west-2.amazonaws.com"}},
	    {"com.amazonaws.us-east-1.sagemaker.featurestore-runtime",
	     "featurestore-runtime.sagemaker",
	     VPCE,
	     {"featurestore-runtime.sagemaker.us-east-1.amazonaws.com"}},
	    {"com.amazonaws.us-east-1.sagemaker.runtime-fips",
	     "runtime-fips.sagemaker",
	     VPCE,
	     {"runtime-fips.sagemaker.us-east-1.amazonaws.com"}},
	    /* The DynamoDB guide: no private DNS for its interface
	     * endpoints (clients use the vpce names). */
	    {"com.amazonaws.us-east-1.dynamodb", "dynamodb", VPCE, {NULL}},
	    {"com.amazonaws.us-east-1.dynamodb-fips",
	     "dynamodb-fips",
	     VPCE,
	     {NULL}},
	    /* DynamoDB Streams: ...streams.dynamodb.<r>.vpce..., no private
	     * DNS either. */
	    {"com.amazonaws.us-east-1.dynamodb-streams",
	     "streams.dynamodb",
	     VPCE,
	     {NULL}},
	    /* The Bedrock user guide's endpoint suffixes. */
	    {"com.amazonaws.us-west-2.bedrock",
	     "bedrock",
	     VPCE,
	     {"bedrock.us-west-2.amazonaws.com"}},
	    {"com.amazonaws.us-west-2.bedrock-agent-runtime",
	     "bedrock-agent-runtime",
	     VPCE,
	     {"bedrock-agent-runtime.us-west-2.amazonaws.com"}},
	    /* IoT Core data plane: vpce names only, no private DNS. */
	    {"com.amazonaws.us-east-1.iot.data", "data.iot", VPCE, {NULL}},
	    /* SPEC 1.2: no FIPS names for S3. */
	    {"com.amazonaws.us-east-1.s3-fips", "s3-fips", VPCE, {NULL}},
	};

	check_all(e, NELEM(e));
}
END_TEST

START_TEST(test_fips)
{
	static const struct expect e[] = {
	    {"com.amazonaws.us-east-2.kms-fips",
	     "kms-fips",
	     VPCE,
	     {"kms-fips.us-east-2.amazonaws.com"}},
	    {"com.amazonaws.us-west-1.secretsmanager-fips",
	     "secretsmanager-fips",
	     VPCE,
	     {"secretsmanager-fips.us-west-1.amazonaws.com"}},
	    {"com.amazonaws.us-gov-west-1.ssm-fips",
	     "ssm-fips",
	     VPCE,
	     {"ssm-fips.us-gov-west-1.amazonaws.com"}},
	    {"com.amazonaws.ca-central-1.git-codecommit-fips",
	     "git-codecommit-fips",
	     VPCE,
	     {"git-codecommit-fips.ca-central-1.amazonaws.com"}},
	};
	struct catalog_service_ref ref;
	char out[CATALOG_MAX_NAMES][CATALOG_NAME_MAX];
	size_t n;

	check_all(e, NELEM(e));
	/* The S3 interface endpoint never claims s3-fips names. */
	ck_assert_int_eq(catalog_parse("com.amazonaws.us-east-1.s3", &ref),
			 VPC_OK);
	n = catalog_private_names(&ref, out, CATALOG_MAX_NAMES);
	for (size_t i = 0; i < n; i++)
		ck_assert_ptr_null(strstr(out[i], "fips"));
}
END_TEST

/* ---- partitions, providers, global services ---------------------------- */

START_TEST(test_china)
{
	static const struct expect e[] = {
	    {"cn.com.amazonaws.cn-north-1.ecr.dkr",
	     "dkr.ecr",
	     VPCE_CN,
	     {"*.dkr.ecr.cn-north-1.amazonaws.com.cn"}},
	    {"cn.com.amazonaws.cn-northwest-1.ecr.api",
	     "api.ecr",
	     VPCE_CN,
	     {"api.ecr.cn-northwest-1.amazonaws.com.cn"}},
	    {"cn.com.amazonaws.cn-north-1.s3",
	     "s3",
	     VPCE_CN,
	     {"s3.cn-north-1.amazonaws.com.cn",
	      "*.s3.cn-north-1.amazonaws.com.cn",
	      "s3-control.cn-north-1.amazonaws.com.cn",
	      "*.s3-control.cn-north-1.amazonaws.com.cn",
	      "s3-accesspoint.cn-north-1.amazonaws.com.cn",
	      "*.s3-accesspoint.cn-north-1.amazonaws.com.cn"}},
	    {"cn.com.amazonaws.cn-north-1.foo.bar",
	     "bar.foo",
	     VPCE_CN,
	     {"bar.foo.cn-north-1.amazonaws.com.cn"}},
	    {"cn.com.amazonaws.vpce.cn-north-1.vpce-svc-0123456789abcdef0",
	     "vpce-svc-0123456789abcdef0",
	     VPCE_CN,
	     {NULL}},
	};
	struct catalog_service_ref ref;

	check_all(e, NELEM(e));
	ck_assert_int_eq(
	    catalog_parse("cn.com.amazonaws.cn-north-1.ecr.dkr", &ref), VPC_OK);
	ck_assert_int_eq(ref.partition, CATALOG_PARTITION_AWS_CN);
	ck_assert_str_eq(catalog_partition_name(ref.partition), "aws-cn");
	ck_assert_str_eq(catalog_domain(&ref), "amazonaws.com.cn");
	ck_assert_str_eq(catalog_vpce_domain(&ref), "vpce.amazonaws.com.cn");
}
END_TEST

START_TEST(test_provider)
{
	struct catalog_service_ref ref;
	char out[CATALOG_MAX_NAMES][CATALOG_NAME_MAX];
	char label[CATALOG_NAME_MAX];

	ck_assert_int_eq(catalog_parse("com.amazonaws.vpce.us-east-1.vpce-svc-"
				       "0123456789abcdef0",
				       &ref),
			 VPC_OK);
	ck_assert(ref.provider);
	ck_assert_ptr_null(ref.entry);
	ck_assert_int_eq(ref.partition, CATALOG_PARTITION_AWS);
	ck_assert_str_eq(ref.region, "us-east-1");
	ck_assert_str_eq(ref.service, "vpce-svc-0123456789abcdef0");
	ck_assert_int_eq(catalog_vpce_label(&ref, label, sizeof(label)),
			 VPC_OK);
	ck_assert_str_eq(label, "vpce-svc-0123456789abcdef0");
	ck_assert_str_eq(catalog_vpce_domain(&ref), VPCE);
	ck_assert_uint_eq(catalog_private_names(&ref, out, CATALOG_MAX_NAMES),
			  0);
	ck_assert(!catalog_has_gateway(&ref));

	/* Older 8-hex-digit ids, and GovCloud. */
	ck_assert_int_eq(catalog_parse("com.amazonaws.vpce.us-gov-west-1."
				       "vpce-svc-0a1b2c3d",
				       &ref),
			 VPC_OK);
	ck_assert(ref.provider);
	ck_assert_int_eq(ref.partition, CATALOG_PARTITION_AWS_US_GOV);
	ck_assert_str_eq(ref.service, "vpce-svc-0a1b2c3d");
}
END_TEST

START_TEST(test_global)
{
	static const struct expect e[] = {
	    {"com.amazonaws.iam", "iam", VPCE, {"iam.amazonaws.com"}},
	    {"com.amazonaws.s3-global.accesspoint",
	     "accesspoint.s3-global",
	     VPCE,
	     {"*.accesspoint.s3-global.amazonaws.com"}},
	    /* Unlisted global services get no names (SPEC 1.5a). */
	    {"com.amazonaws.route53", "route53", VPCE, {NULL}},
	    {"com.amazonaws.sts", "sts", VPCE, {NULL}},
	    {"com.amazonaws.s3", "s3", VPCE, {NULL}},
	    /* Global rows are for the aws partition only. */
	    {"cn.com.amazonaws.iam", "iam", VPCE_CN, {NULL}},
	};
	struct catalog_service_ref ref;

	check_all(e, NELEM(e));
	ck_assert_int_eq(catalog_parse("com.amazonaws.iam", &ref), VPC_OK);
	ck_assert_str_eq(ref.region, "");
	ck_assert_str_eq(ref.service, "iam");
	ck_assert(!ref.provider);
	ck_assert_ptr_nonnull(ref.entry);
	ck_assert(!catalog_has_gateway(&ref));
	/* "com.amazonaws.s3" is a global name, not the regional S3 row. */
	ck_assert_int_eq(catalog_parse("com.amazonaws.s3", &ref), VPC_OK);
	ck_assert_ptr_null(ref.entry);
	ck_assert(!catalog_has_gateway(&ref));
}
END_TEST

/* ---- default rule ------------------------------------------------------ */

START_TEST(test_default_rule)
{
	static const struct expect e[] = {
	    {"com.amazonaws.us-east-1.foo",
	     "foo",
	     VPCE,
	     {"foo.us-east-1.amazonaws.com"}},
	    {"com.amazonaws.eu-west-1.airflow.api",
	     "api.airflow",
	     VPCE,
	     {"api.airflow.eu-west-1.amazonaws.com"}},
	    {"com.amazonaws.eu-west-1.a.b.c",
	     "c.b.a",
	     VPCE,
	     {"c.b.a.eu-west-1.amazonaws.com"}},
	    /* "queue" as a service is not SQS's legacy name. */
	    {"com.amazonaws.us-east-1.queue",
	     "queue",
	     VPCE,
	     {"queue.us-east-1.amazonaws.com"}},
	};
	struct catalog_service_ref ref;

	check_all(e, NELEM(e));
	ck_assert_int_eq(catalog_parse("com.amazonaws.us-east-1.foo", &ref),
			 VPC_OK);
	ck_assert_ptr_null(ref.entry);
	ck_assert(!catalog_has_gateway(&ref));
}
END_TEST

/* ---- names no endpoint covers (SPEC 1.2) ------------------------------- */

static void
check_never(const char *service_name)
{
	static const char *const never[] = {
	    "sts.amazonaws.com",    "s3.amazonaws.com",
	    "sts.amazonaws.com.cn", "s3.amazonaws.com.cn",
	    "queue.amazonaws.com",
	};
	struct catalog_service_ref ref;
	char out[CATALOG_MAX_NAMES][CATALOG_NAME_MAX];
	size_t n;

	ck_assert_int_eq(catalog_parse(service_name, &ref), VPC_OK);
	n = catalog_private_names(&ref, out, CATALOG_MAX_NAMES);
	ck_assert_uint_le(n, CATALOG_MAX_NAMES);
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < NELEM(never); j++)
			ck_assert_msg(strcmp(out[i], never[j]) != 0,
				      "%s produced %s", service_name, out[i]);
		ck_assert_msg(strstr(out[i], ".queue.amazonaws.com") == NULL,
			      "%s produced %s", service_name, out[i]);
	}
}

START_TEST(test_never_produced)
{
	static const char *const regions[] = {"us-east-1", "us-gov-west-1",
					      "eu-west-3"};
	static const char *const extra[] = {
	    "com.amazonaws.sts",	   "com.amazonaws.s3",
	    "com.amazonaws.queue",	   "com.amazonaws.us-east-1.sqs",
	    "com.amazonaws.us-east-1.sts", "com.amazonaws.us-east-1.s3",
	    "cn.com.amazonaws.sts",	   "cn.com.amazonaws.cn-north-1.sqs",
	};
	const struct catalog_entry *e;
	char name[256];

	for (size_t i = 0; i < catalog_count(); i++) {
		e = catalog_get(i);
		if (e->flags & CATALOG_F_GLOBAL) {
			snprintf(name, sizeof(name), "com.amazonaws.%s",
				 e->service);
			check_never(name);
			continue;
		}
		for (size_t r = 0; r < NELEM(regions); r++) {
			snprintf(name, sizeof(name), "com.amazonaws.%s.%s",
				 regions[r], e->service);
			check_never(name);
		}
		snprintf(name, sizeof(name), "cn.com.amazonaws.cn-north-1.%s",
			 e->service);
		check_never(name);
	}
	for (size_t i = 0; i < NELEM(extra); i++)
		check_never(extra[i]);
}
END_TEST

/* ---- the table itself -------------------------------------------------- */

static bool
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

START_TEST(test_table_integrity)
{
	const struct catalog_entry *e, *prev = NULL;
	struct catalog_service_ref ref;
	char name[256];
	size_t k;

	ck_assert_uint_ge(catalog_count(), 45);
	ck_assert_ptr_null(catalog_get(catalog_count()));
	for (size_t i = 0; i < catalog_count(); i++) {
		e = catalog_get(i);
		ck_assert_ptr_nonnull(e);
		ck_assert(e->service[0] != '\0' && e->vpce_label[0] != '\0');
		/* Sorted and unique, so docs/catalog.md can mirror it. */
		if (prev != NULL)
			ck_assert_msg(strcmp(prev->service, e->service) < 0,
				      "%s after %s", e->service, prev->service);
		prev = e;
		for (k = 0; k < CATALOG_MAX_NAMES && e->names[k] != NULL; k++) {
			const char *p = e->names[k];

			ck_assert_msg(ends_with(p, ".{domain}"), "%s", p);
			ck_assert_msg((strstr(p, "{region}") == NULL) ==
					  ((e->flags & CATALOG_F_GLOBAL) != 0),
				      "%s", p);
			/* A wildcard only as the first label. */
			ck_assert_ptr_null(strchr(p + 1, '*'));
			/* SPEC 1.2: names no endpoint covers. */
			ck_assert_str_ne(p, "sts.{domain}");
			ck_assert_str_ne(p, "s3.{domain}");
			ck_assert_msg(!ends_with(p, ".queue.{domain}"), "%s",
				      p);
		}
		/* Without private DNS a row lists names only as the public
		 * hosts a gateway endpoint filters (DynamoDB). */
		ck_assert_msg(k > 0 || (e->flags & CATALOG_F_NO_PRIVATE_DNS),
			      "%s", e->service);
		ck_assert_msg(k == 0 ||
				  !(e->flags & CATALOG_F_NO_PRIVATE_DNS) ||
				  (e->flags & CATALOG_F_GATEWAY),
			      "%s", e->service);
		/* The row is what catalog_parse() finds for its name. */
		if (e->flags & CATALOG_F_GLOBAL)
			snprintf(name, sizeof(name), "com.amazonaws.%s",
				 e->service);
		else
			snprintf(name, sizeof(name),
				 "com.amazonaws.us-east-1.%s", e->service);
		ck_assert_int_eq(catalog_parse(name, &ref), VPC_OK);
		ck_assert_ptr_eq(ref.entry, e);
	}
}
END_TEST

/* ---- output limits ----------------------------------------------------- */

START_TEST(test_names_limit)
{
	struct catalog_service_ref ref;
	char out[3][CATALOG_NAME_MAX];

	ck_assert_int_eq(catalog_parse("com.amazonaws.us-east-1.s3", &ref),
			 VPC_OK);
	memset(out, 'x', sizeof(out));
	/* The return is the total; only @max slots are written. */
	ck_assert_uint_eq(catalog_private_names(&ref, out, 2), 6);
	ck_assert_str_eq(out[0], "s3.us-east-1.amazonaws.com");
	ck_assert_str_eq(out[1], "*.s3.us-east-1.amazonaws.com");
	ck_assert_int_eq(out[2][0], 'x');
	ck_assert_uint_eq(catalog_private_names(&ref, NULL, 0), 6);
}
END_TEST

START_TEST(test_label_space)
{
	struct catalog_service_ref ref;
	char label[16];

	ck_assert_int_eq(catalog_parse("com.amazonaws.us-east-1.ecr.dkr", &ref),
			 VPC_OK);
	memset(label, 'x', sizeof(label));
	/* "dkr.ecr" needs 8 bytes with its NUL. */
	ck_assert_int_eq(catalog_vpce_label(&ref, label, 7), VPC_ESPACE);
	ck_assert_int_eq(label[0], 'x');
	ck_assert_int_eq(catalog_vpce_label(&ref, label, 8), VPC_OK);
	ck_assert_str_eq(label, "dkr.ecr");

	/* Default rule and provider ids obey the same limit. */
	ck_assert_int_eq(
	    catalog_parse("com.amazonaws.us-east-1.abc.defgh", &ref), VPC_OK);
	memset(label, 'x', sizeof(label));
	ck_assert_int_eq(catalog_vpce_label(&ref, label, 9), VPC_ESPACE);
	ck_assert_int_eq(label[0], 'x');
	ck_assert_int_eq(catalog_vpce_label(&ref, label, 10), VPC_OK);
	ck_assert_str_eq(label, "defgh.abc");
	ck_assert_int_eq(catalog_parse("com.amazonaws.vpce.us-east-1."
				       "vpce-svc-0123456789abcdef0",
				       &ref),
			 VPC_OK);
	ck_assert_int_eq(catalog_vpce_label(&ref, label, sizeof(label)),
			 VPC_ESPACE);
	ck_assert_int_eq(catalog_vpce_label(&ref, label, 0), VPC_ESPACE);
}
END_TEST

/* The public hosts a gateway endpoint's dns-record-ip-type filters. */
START_TEST(test_service_names)
{
	struct catalog_service_ref ref;
	char out[CATALOG_MAX_NAMES][CATALOG_NAME_MAX];

	ck_assert_int_eq(
	    catalog_parse("com.amazonaws.eu-west-1.dynamodb", &ref), VPC_OK);
	ck_assert_uint_eq(catalog_private_names(&ref, out, CATALOG_MAX_NAMES),
			  0);
	ck_assert_uint_eq(catalog_service_names(&ref, out, CATALOG_MAX_NAMES),
			  2);
	ck_assert_str_eq(out[0], "dynamodb.eu-west-1.amazonaws.com");
	ck_assert_str_eq(out[1], "*.ddb.eu-west-1.amazonaws.com");
	/* Elsewhere the same as the private names. */
	ck_assert_int_eq(catalog_parse("com.amazonaws.eu-west-1.s3", &ref),
			 VPC_OK);
	ck_assert_uint_eq(catalog_service_names(&ref, out, CATALOG_MAX_NAMES),
			  catalog_private_names(&ref, NULL, 0));
	ck_assert_int_eq(
	    catalog_parse("com.amazonaws.eu-west-1.iot.data", &ref), VPC_OK);
	ck_assert_uint_eq(catalog_service_names(&ref, out, CATALOG_MAX_NAMES),
			  0);
}
END_TEST

START_TEST(test_gateway)
{
	static const struct {
		const char *name;
		bool gateway;
	} g[] = {
	    {"com.amazonaws.us-east-1.s3", true},
	    {"com.amazonaws.us-east-1.dynamodb", true},
	    {"cn.com.amazonaws.cn-north-1.s3", true},
	    {"com.amazonaws.us-east-1.s3-fips", false},
	    {"com.amazonaws.us-east-1.sqs", false},
	    {"com.amazonaws.us-east-1.s3express", false},
	    {"com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0", false},
	};
	struct catalog_service_ref ref;

	for (size_t i = 0; i < NELEM(g); i++) {
		ck_assert_int_eq(catalog_parse(g[i].name, &ref), VPC_OK);
		ck_assert_msg(catalog_has_gateway(&ref) == g[i].gateway, "%s",
			      g[i].name);
	}
}
END_TEST

static Suite *
catalog_suite(void)
{
	Suite *s = suite_create("catalog");
	TCase *tc;

	tc = tcase_create("parse");
	tcase_add_test(tc, test_parse_regional);
	tcase_add_test(tc, test_parse_govcloud);
	tcase_add_test(tc, test_parse_malformed);
	tcase_add_test(tc, test_parse_iso_partitions);
	suite_add_tcase(s, tc);

	tc = tcase_create("names");
	tcase_add_test(tc, test_spec_table);
	tcase_add_test(tc, test_regular_services);
	tcase_add_test(tc, test_irregular_services);
	tcase_add_test(tc, test_fips);
	tcase_add_test(tc, test_china);
	tcase_add_test(tc, test_provider);
	tcase_add_test(tc, test_global);
	tcase_add_test(tc, test_default_rule);
	tcase_add_test(tc, test_never_produced);
	suite_add_tcase(s, tc);

	tc = tcase_create("table");
	tcase_add_test(tc, test_table_integrity);
	tcase_add_test(tc, test_gateway);
	tcase_add_test(tc, test_service_names);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_add_test(tc, test_names_limit);
	tcase_add_test(tc, test_label_space);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(catalog_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
