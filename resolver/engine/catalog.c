/*
 * resolver/engine/catalog.c - the AWS service catalog: service names to DNS names.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Owns the static service table and the rules around it: parsing a service
 * name into partition, Region and short id, the base endpoint DNS label of
 * the vpce names (SPEC 1.1), and the private DNS names of the AWS-managed
 * private hosted zone (SPEC 1.2).  It does not build zones or records;
 * view_ and zone_ do that from what it returns.  Everything is const data
 * and pure functions: no I/O, no allocation, safe from any thread.  The
 * sources of every irregular row are in docs/catalog.md.
 */
#include "config.h"

#include "engine/catalog.h"

#include <string.h>

#include "util/err.h"
#include "util/text.h"

#define PREFIX_AWS "com.amazonaws."
#define PREFIX_CN "cn.com.amazonaws."
/* A service name is a DNS-style name: at most 255 octets of text. */
#define INPUT_MAX 255
#define LABEL_MAX 63
#define SVC_ID_MIN 8  /* "vpce-svc-" + 8 hex digits (older ids) */
#define SVC_ID_MAX 17 /* "vpce-svc-" + 17 hex digits */

/* A service whose label and only private name follow the default rule. */
#define CATALOG_REGULAR(svc)                                                   \
	{                                                                      \
		svc, svc, {svc ".{region}.{domain}"}, 0                        \
	}

/*
 * The catalog.  Keep it sorted by service id; docs/catalog.md mirrors it
 * row for row with the source of every irregular mapping.  Where the AWS
 * documentation and SPEC.md disagree, the row follows SPEC.md.
 */
static const struct catalog_entry table[] = {
    CATALOG_REGULAR("athena"),
    CATALOG_REGULAR("autoscaling"),
    /* The Bedrock user guide's endpoint suffixes. */
    CATALOG_REGULAR("bedrock"),
    CATALOG_REGULAR("bedrock-agent"),
    CATALOG_REGULAR("bedrock-agent-runtime"),
    CATALOG_REGULAR("bedrock-runtime"),
    /* Label from the CodeArtifact guide; the API keeps its public name. */
    {"codeartifact.api",
     "api.codeartifact",
     {"codeartifact.{region}.{domain}"},
     0},
    /* Repository hosts are <domain>-<owner>.d.codeartifact.<r>.... */
    {"codeartifact.repositories",
     "d.codeartifact",
     {"*.d.codeartifact.{region}.{domain}"},
     0},
    CATALOG_REGULAR("codebuild"),
    CATALOG_REGULAR("codecommit"),
    /*
     * Interface and gateway.  The DynamoDB guide: PrivateLink for DynamoDB
     * does not support private DNS (clients use the vpce names), so no
     * private DNS names; the names are its public hosts (account-based
     * ones are <acct>.ddb.<r>...), which a gateway endpoint's
     * dns-record-ip-type filters (catalog_service_names()).
     */
    {"dynamodb",
     "dynamodb",
     {"dynamodb.{region}.{domain}", "*.ddb.{region}.{domain}"},
     CATALOG_F_GATEWAY | CATALOG_F_NO_PRIVATE_DNS},
    /* The FIPS variant in AWS's list: PrivateLink for DynamoDB has no
     * private DNS, so neither has it. */
    {"dynamodb-fips", "dynamodb-fips", {NULL}, CATALOG_F_NO_PRIVATE_DNS},
    /* Interface only, vpce names ...streams.dynamodb.<r>..., no private
     * DNS (the DynamoDB Streams guide). */
    {"dynamodb-streams", "streams.dynamodb", {NULL}, CATALOG_F_NO_PRIVATE_DNS},
    CATALOG_REGULAR("ebs"),
    CATALOG_REGULAR("ec2"),
    CATALOG_REGULAR("ec2messages"),
    {"ecr.api", "api.ecr", {"api.ecr.{region}.{domain}"}, 0},
    /*
     * SPEC 1.2 and 1.5a: only the wildcard; the zone apex
     * dkr.ecr.<r>.amazonaws.com answers NODATA.  (AWS also lists the apex
     * as a private DNS name; SPEC.md wins.)
     */
    {"ecr.dkr", "dkr.ecr", {"*.dkr.ecr.{region}.{domain}"}, 0},
    CATALOG_REGULAR("ecs"),
    {"ecs-agent", "ecs-a", {"ecs-a.{region}.{domain}"}, 0},
    {"ecs-telemetry", "ecs-t", {"ecs-t.{region}.{domain}"}, 0},
    CATALOG_REGULAR("elasticfilesystem"),
    CATALOG_REGULAR("elasticloadbalancing"),
    CATALOG_REGULAR("events"),
    /* SPEC 1.2: private APIs are <api-id>.execute-api.<r>.... */
    {"execute-api", "execute-api", {"*.execute-api.{region}.{domain}"}, 0},
    CATALOG_REGULAR("git-codecommit"),
    CATALOG_REGULAR("glue"),
    /* Global (us-east-1 only in AWS); aws partition only, see lookup(). */
    {"iam", "iam", {"iam.{domain}"}, CATALOG_F_GLOBAL},
    /* AWS IoT Core turns off private DNS on data-plane endpoints. */
    {"iot.data", "data.iot", {NULL}, CATALOG_F_NO_PRIVATE_DNS},
    {"kinesis-firehose", "firehose", {"firehose.{region}.{domain}"}, 0},
    {"kinesis-streams", "kinesis", {"kinesis.{region}.{domain}"}, 0},
    CATALOG_REGULAR("kms"),
    CATALOG_REGULAR("lambda"),
    CATALOG_REGULAR("logs"),
    CATALOG_REGULAR("monitoring"),
    CATALOG_REGULAR("rds"),
    /*
     * SPEC 1.2: the three apexes and their wildcards (virtual-hosted
     * buckets, <account>.s3-control, <ap>-<account>.s3-accesspoint); never
     * the global s3.amazonaws.com, no FIPS names.
     */
    {"s3",
     "s3",
     {"s3.{region}.{domain}", "*.s3.{region}.{domain}",
      "s3-control.{region}.{domain}", "*.s3-control.{region}.{domain}",
      "s3-accesspoint.{region}.{domain}", "*.s3-accesspoint.{region}.{domain}"},
     CATALOG_F_GATEWAY},
    /* SPEC 1.2 "no FIPS names for S3": the vpce names only. */
    {"s3-fips", "s3-fips", {NULL}, CATALOG_F_NO_PRIVATE_DNS},
    /* Multi-Region Access Points: global, aws partition only. */
    {"s3-global.accesspoint",
     "accesspoint.s3-global",
     {"*.accesspoint.s3-global.{domain}"},
     CATALOG_F_GLOBAL},
    {"sagemaker.api", "api.sagemaker", {"api.sagemaker.{region}.{domain}"}, 0},
    {"sagemaker.featurestore-runtime",
     "featurestore-runtime.sagemaker",
     {"featurestore-runtime.sagemaker.{region}.{domain}"},
     0},
    {"sagemaker.runtime",
     "runtime.sagemaker",
     {"runtime.sagemaker.{region}.{domain}"},
     0},
    {"sagemaker.runtime-fips",
     "runtime-fips.sagemaker",
     {"runtime-fips.sagemaker.{region}.{domain}"},
     0},
    CATALOG_REGULAR("secretsmanager"),
    CATALOG_REGULAR("sns"),
    /* Never the legacy <r>.queue.amazonaws.com (SPEC 1.2). */
    CATALOG_REGULAR("sqs"),
    CATALOG_REGULAR("ssm"),
    CATALOG_REGULAR("ssmmessages"),
    CATALOG_REGULAR("states"),
    /* Regional only: the global sts.amazonaws.com is forwarded. */
    CATALOG_REGULAR("sts"),
    CATALOG_REGULAR("xray"),
};

#undef CATALOG_REGULAR

/*
 * Copy @src to @dst (@cap bytes) in lower case.  Only letters, digits, '-'
 * and '.' are allowed, labels are 1..63 bytes and the whole name at most
 * INPUT_MAX bytes: the shape of every AWS service name.
 */
static int
lower_copy(char *dst, size_t cap, const char *src)
{
	size_t i, label = 0;
	char c;

	for (i = 0; src[i] != '\0'; i++) {
		if (i + 1 >= cap)
			return VPC_EMALFORMED;
		c = src[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c == '.') {
			if (label == 0)
				return VPC_EMALFORMED;
			label = 0;
		} else if (text_is_lower(c) || text_is_digit(c) || c == '-') {
			if (++label > LABEL_MAX)
				return VPC_EMALFORMED;
		} else {
			return VPC_EMALFORMED;
		}
		dst[i] = c;
	}
	if (label == 0) /* empty input or a trailing dot */
		return VPC_EMALFORMED;
	dst[i] = '\0';
	return VPC_OK;
}

/*
 * The isolated partitions (us-iso-east-1, us-isob-east-1, eu-isoe-west-1,
 * us-isof-south-1) and the European Sovereign Cloud (eusc-de-east-1,
 * amazonaws.eu) have their own domains, which the catalog does not model.
 */
static bool
is_own_domain_region(const char *region)
{
	return strncmp(region + 2, "-iso", 4) == 0 ||
	       strncmp(region, "eusc-", 5) == 0;
}

/* Table row for @service; global rows match global names only. */
static const struct catalog_entry *
lookup(const char *service, bool global)
{
	size_t i;

	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		if (((table[i].flags & CATALOG_F_GLOBAL) != 0) != global)
			continue;
		if (strcmp(table[i].service, service) == 0)
			return &table[i];
	}
	return NULL;
}

/* Copy @len bytes of @s into @dst of @cap bytes, with a NUL. */
static int
copy_part(char *dst, size_t cap, const char *s, size_t len)
{
	if (len == 0 || len >= cap)
		return VPC_EMALFORMED;
	memcpy(dst, s, len);
	dst[len] = '\0';
	return VPC_OK;
}

/*
 * Store the Region of @ref and refine its partition.  The prefix and the
 * Region must agree: China Regions only under "cn.com.amazonaws.", and
 * GovCloud Regions keep the amazonaws.com domain.
 */
static int
set_region(struct catalog_service_ref *ref, const char *s, size_t len)
{
	bool cn = strncmp(s, "cn-", 3) == 0;

	if (copy_part(ref->region, sizeof(ref->region), s, len) != VPC_OK)
		return VPC_EMALFORMED;
	if (cn != (ref->partition == CATALOG_PARTITION_AWS_CN))
		return VPC_EMALFORMED;
	if (is_own_domain_region(ref->region))
		return VPC_ENOTFOUND;
	if (strncmp(ref->region, "us-gov-", 7) == 0)
		ref->partition = CATALOG_PARTITION_AWS_US_GOV;
	return VPC_OK;
}

/* "<region>.vpce-svc-<hex>" after "vpce.": another provider's service. */
static int
parse_provider(const char *s, struct catalog_service_ref *ref)
{
	size_t rlen = strcspn(s, "."), hex;
	const char *id;
	int rc;

	if (s[rlen] != '.' || !awsid_region(s, rlen))
		return VPC_EMALFORMED;
	if ((rc = set_region(ref, s, rlen)) != VPC_OK)
		return rc;
	id = s + rlen + 1;
	if (strncmp(id, "vpce-svc-", 9) != 0)
		return VPC_EMALFORMED;
	for (hex = 0; text_is_hex(id[9 + hex]); hex++)
		;
	if (id[9 + hex] != '\0' || hex < SVC_ID_MIN || hex > SVC_ID_MAX)
		return VPC_EMALFORMED;
	ref->provider = true;
	return copy_part(ref->service, sizeof(ref->service), id, strlen(id));
}

/* Everything after the "com.amazonaws." prefix; @ref has the partition. */
static int
parse_rest(const char *s, struct catalog_service_ref *ref)
{
	size_t len = strcspn(s, ".");
	const char *svc;
	int rc;

	if (len == 4 && strncmp(s, "vpce", 4) == 0) {
		if (s[len] != '.')
			return VPC_EMALFORMED;
		return parse_provider(s + len + 1, ref);
	}
	if (!awsid_region(s, len)) {
		/* SPEC 1.5a: a name without a Region is a global service. */
		if (copy_part(ref->service, sizeof(ref->service), s,
			      strlen(s)) != VPC_OK)
			return VPC_EMALFORMED;
		/* Global rows hold commercial-partition names only. */
		if (ref->partition == CATALOG_PARTITION_AWS)
			ref->entry = lookup(ref->service, true);
		return VPC_OK;
	}
	if (s[len] != '.') /* a Region without a service */
		return VPC_EMALFORMED;
	if ((rc = set_region(ref, s, len)) != VPC_OK)
		return rc;
	svc = s + len + 1;
	if (copy_part(ref->service, sizeof(ref->service), svc, strlen(svc)) !=
	    VPC_OK)
		return VPC_EMALFORMED;
	ref->entry = lookup(ref->service, false);
	return VPC_OK;
}

int
catalog_parse(const char *service_name, struct catalog_service_ref *out)
{
	char buf[INPUT_MAX + 1];
	struct catalog_service_ref ref;
	const char *rest;
	int rc;

	if (service_name == NULL ||
	    lower_copy(buf, sizeof(buf), service_name) != VPC_OK)
		return VPC_EMALFORMED;
	memset(&ref, 0, sizeof(ref));
	if (strncmp(buf, PREFIX_CN, strlen(PREFIX_CN)) == 0) {
		ref.partition = CATALOG_PARTITION_AWS_CN;
		rest = buf + strlen(PREFIX_CN);
	} else if (strncmp(buf, PREFIX_AWS, strlen(PREFIX_AWS)) == 0) {
		ref.partition = CATALOG_PARTITION_AWS;
		rest = buf + strlen(PREFIX_AWS);
	} else {
		return VPC_EMALFORMED;
	}
	if ((rc = parse_rest(rest, &ref)) != VPC_OK)
		return rc;
	*out = ref;
	return VPC_OK;
}

const char *
catalog_partition_name(enum catalog_partition partition)
{
	switch (partition) {
	case CATALOG_PARTITION_AWS_CN:
		return "aws-cn";
	case CATALOG_PARTITION_AWS_US_GOV:
		return "aws-us-gov";
	case CATALOG_PARTITION_AWS:
	default:
		return "aws";
	}
}

const char *
catalog_domain(const struct catalog_service_ref *ref)
{
	if (ref->partition == CATALOG_PARTITION_AWS_CN)
		return "amazonaws.com.cn";
	return "amazonaws.com";
}

const char *
catalog_vpce_domain(const struct catalog_service_ref *ref)
{
	if (ref->partition == CATALOG_PARTITION_AWS_CN)
		return "vpce.amazonaws.com.cn";
	return "vpce.amazonaws.com";
}

/*
 * The default rule for a service id not in the table: its labels in
 * reverse order, as AWS does for ecr.api -> api.ecr, sagemaker.runtime ->
 * runtime.sagemaker, iot.data -> data.iot.  Writes @src's labels reversed
 * and a NUL into @dst of @cap bytes.
 */
static int
reverse_labels(char *dst, size_t cap, const char *src)
{
	size_t len = strlen(src), end = len, start, pos = 0;

	if (len >= cap)
		return VPC_ESPACE;
	while (end > 0) {
		start = end;
		while (start > 0 && src[start - 1] != '.')
			start--;
		memcpy(dst + pos, src + start, end - start);
		pos += end - start;
		if (start > 0)
			dst[pos++] = '.';
		end = start > 0 ? start - 1 : 0;
	}
	dst[pos] = '\0';
	return VPC_OK;
}

int
catalog_vpce_label(const struct catalog_service_ref *ref, char *out, size_t len)
{
	const char *label = ref->service;

	if (!ref->provider && ref->entry != NULL)
		label = ref->entry->vpce_label;
	if (strlen(label) >= len)
		return VPC_ESPACE;
	if (!ref->provider && ref->entry == NULL)
		return reverse_labels(out, len, ref->service);
	memcpy(out, label, strlen(label) + 1);
	return VPC_OK;
}

/* Append @s to @dst (@pos bytes used, @cap in all); false if it overflows. */
static bool
append(char *dst, size_t cap, size_t *pos, const char *s, size_t n)
{
	if (n >= cap - *pos)
		return false;
	memcpy(dst + *pos, s, n);
	*pos += n;
	dst[*pos] = '\0';
	return true;
}

/* Expand "{region}" and "{domain}" in @pat into @dst of @cap bytes. */
static bool
expand(char *dst, size_t cap, const char *pat,
       const struct catalog_service_ref *ref)
{
	const char *domain = catalog_domain(ref);
	size_t pos = 0, n;

	dst[0] = '\0';
	while (*pat != '\0') {
		if (strncmp(pat, "{region}", 8) == 0) {
			if (!append(dst, cap, &pos, ref->region,
				    strlen(ref->region)))
				return false;
			pat += 8;
		} else if (strncmp(pat, "{domain}", 8) == 0) {
			if (!append(dst, cap, &pos, domain, strlen(domain)))
				return false;
			pat += 8;
		} else {
			n = strcspn(pat + 1, "{") + 1;
			if (!append(dst, cap, &pos, pat, n))
				return false;
			pat += n;
		}
	}
	return true;
}

/* Count @name and store it in @out[*n] when there is a slot for it. */
static void
emit(const char *name, char out[][CATALOG_NAME_MAX], size_t max, size_t *n)
{
	if (*n < max)
		memcpy(out[*n], name, strlen(name) + 1);
	(*n)++;
}

/*
 * The default rule for a regional service not in the table: the reversed
 * service labels, then the Region and the domain ("foo.bar" in us-east-1 ->
 * "bar.foo.us-east-1.amazonaws.com"), like the single-label services and
 * the FIPS variants of SPEC 1.2.
 */
static bool
default_name(char *dst, size_t cap, const struct catalog_service_ref *ref)
{
	char pat[CATALOG_NAME_MAX];
	size_t pos;

	if (reverse_labels(pat, sizeof(pat), ref->service) != VPC_OK)
		return false;
	pos = strlen(pat);
	if (!append(pat, sizeof(pat), &pos, ".{region}.{domain}", 18))
		return false;
	return expand(dst, cap, pat, ref);
}

/* The names of @ref; @all: also those of a row without private DNS. */
static size_t
names_of(const struct catalog_service_ref *ref, char out[][CATALOG_NAME_MAX],
	 size_t max, bool all)
{
	char name[CATALOG_NAME_MAX];
	size_t i, n = 0;

	if (ref->provider)
		return 0; /* SPEC 1.2: provider names come from the config */
	if (ref->entry != NULL) {
		if (!all && (ref->entry->flags & CATALOG_F_NO_PRIVATE_DNS) != 0)
			return 0;
		for (i = 0; i < CATALOG_MAX_NAMES; i++) {
			if (ref->entry->names[i] == NULL)
				break;
			if (expand(name, sizeof(name), ref->entry->names[i],
				   ref))
				emit(name, out, max, &n);
		}
		return n;
	}
	/*
	 * SPEC 1.5a: a global service's names come from the table only.  So
	 * the names SPEC 1.2 says no endpoint covers (sts.<domain>,
	 * s3.<domain>, <region>.queue.<domain>) never come out: no row has
	 * them (the unit tests check the table) and a default name always
	 * ends in a service label, the Region and the domain.
	 */
	if (ref->region[0] != '\0' && default_name(name, sizeof(name), ref))
		emit(name, out, max, &n);
	return n;
}

size_t
catalog_private_names(const struct catalog_service_ref *ref,
		      char out[][CATALOG_NAME_MAX], size_t max)
{
	return names_of(ref, out, max, false);
}

size_t
catalog_service_names(const struct catalog_service_ref *ref,
		      char out[][CATALOG_NAME_MAX], size_t max)
{
	return names_of(ref, out, max, true);
}

bool
catalog_has_gateway(const struct catalog_service_ref *ref)
{
	return !ref->provider && ref->entry != NULL &&
	       (ref->entry->flags & CATALOG_F_GATEWAY) != 0;
}

size_t
catalog_count(void)
{
	return sizeof(table) / sizeof(table[0]);
}

const struct catalog_entry *
catalog_get(size_t i)
{
	if (i >= catalog_count())
		return NULL;
	return &table[i];
}
