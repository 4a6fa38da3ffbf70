/*
 * resolver/engine/catalog.h - the AWS service catalog: service names to DNS names.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Given an endpoint's service name (com.amazonaws.us-east-1.ecr.dkr,
 * cn.com.amazonaws.cn-north-1.s3, com.amazonaws.iam,
 * com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0), the catalog
 * tells the partition, the Region and the short service id (SPEC 1.1), the
 * base endpoint DNS label used in vpce names, and the private DNS names of
 * the AWS-managed private hosted zone (SPEC 1.2).  It is data: one static
 * table (catalog_get()) plus the default rule documented in
 * docs/catalog.md for services that are not in the table.  The module is
 * pure: no I/O, no allocation, no global state besides the const table, so
 * every function is safe from any thread.  Names are ASCII text in lower
 * case without a trailing dot; a leading "*." label marks a wildcard.
 */
#ifndef RESOLVER_ENGINE_CATALOG_H
#define RESOLVER_ENGINE_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "util/awsid.h"

/* Room for a Region name and its NUL ("us-gov-west-1"). */
#define CATALOG_REGION_MAX AWSID_REGION_MAX
/* Room for a short service id or a vpce-svc id and its NUL. */
#define CATALOG_SERVICE_MAX 64
/* Room for one DNS name in text (at most 253 octets) and its NUL. */
#define CATALOG_NAME_MAX 256
/* Most private DNS names one catalog entry has (S3 has six). */
#define CATALOG_MAX_NAMES 6

/* AWS partitions the catalog knows; each fixes the DNS domain. */
enum catalog_partition {
	CATALOG_PARTITION_AWS = 0,    /* amazonaws.com */
	CATALOG_PARTITION_AWS_CN,     /* amazonaws.com.cn, cn.com.amazonaws. */
	CATALOG_PARTITION_AWS_US_GOV, /* amazonaws.com, us-gov-* Regions */
};

/* Bits of struct catalog_entry.flags. */
enum catalog_flag {
	/* The service also has a gateway endpoint type (S3, DynamoDB). */
	CATALOG_F_GATEWAY = 1u << 0,
	/* Interface endpoints of the service get no managed private DNS. */
	CATALOG_F_NO_PRIVATE_DNS = 1u << 1,
	/* A global service: its service name has no Region. */
	CATALOG_F_GLOBAL = 1u << 2,
};

/*
 * One row of the static catalog table.  Patterns are DNS names in text
 * with two placeholders, "{region}" and "{domain}" ("amazonaws.com" or
 * "amazonaws.com.cn"), e.g. "*.dkr.ecr.{region}.{domain}".
 */
struct catalog_entry {
	const char *service;	/* short id after the Region, "ecr.dkr" */
	const char *vpce_label; /* base endpoint DNS label, "dkr.ecr" */
	const char *names[CATALOG_MAX_NAMES]; /* private DNS name patterns;
						 unused slots NULL */
	unsigned flags; /* enum catalog_flag bits; 0 = none */
};

/*
 * A parsed service name.  Filled by catalog_parse(); the other functions
 * only read it.
 */
struct catalog_service_ref {
	enum catalog_partition partition;  /* from the prefix and the Region */
	char region[CATALOG_REGION_MAX];   /* "us-east-1"; "" for a global
					      service */
	char service[CATALOG_SERVICE_MAX]; /* short id, "ecr.dkr"; for a
					      provider the "vpce-svc-..." id */
	bool provider; /* true: an endpoint service of another provider
			  (com.amazonaws.vpce.<r>.vpce-svc-...) */
	const struct catalog_entry *entry; /* borrowed row of the static
					      table (lives forever); NULL =
					      default rule or provider */
};

/**
 * catalog_parse() - split an AWS endpoint service name.
 * @service_name: [in] NUL-terminated, e.g. "com.amazonaws.us-east-1.s3";
 *                ASCII case is ignored, no trailing dot.
 * @out:          [out] the parsed reference, lower case; written only on
 *                success.
 *
 * Accepted forms: "com.amazonaws.<region>.<service>",
 * "cn.com.amazonaws.<cn-region>.<service>", "com.amazonaws.<service>"
 * and "cn.com.amazonaws.<service>" (global services, no Region), and
 * "[cn.]com.amazonaws.vpce.<region>.vpce-svc-<8..17 hex>" (endpoint
 * services of other providers).  A <region> is two letters, one or more
 * words and a number ("us-east-1", "us-gov-west-1"); the China prefix
 * requires a "cn-" Region and the plain prefix forbids one.  The service
 * part is one or more labels of letters, digits and '-'.  On success
 * @out->entry points into the static table when the service is listed
 * there (see catalog_get()), NULL otherwise.
 *
 * Return: VPC_OK; VPC_EMALFORMED when @service_name is not an AWS service
 * name of those forms (empty, "com.amazonaws.", "org.example.x", a Region
 * without a service, a bad label, too long a part); VPC_ENOTFOUND for a
 * well-formed name in a partition the catalog does not model (the
 * isolated us-iso*, us-isob*, eu-isoe*, us-isof* Regions).
 */
int catalog_parse(const char *service_name, struct catalog_service_ref *out);

/**
 * catalog_partition_name() - the AWS name of a partition.
 * @partition: [in] a partition.
 *
 * Return: a static string, "aws", "aws-cn" or "aws-us-gov".
 */
const char *catalog_partition_name(enum catalog_partition partition);

/**
 * catalog_domain() - the service DNS domain of a reference's partition.
 * @ref: [in] a parsed reference.
 *
 * Return: a static string, "amazonaws.com" or "amazonaws.com.cn".
 */
const char *catalog_domain(const struct catalog_service_ref *ref);

/**
 * catalog_vpce_domain() - the domain of the endpoint-specific names.
 * @ref: [in] a parsed reference.
 *
 * The regional name of an endpoint is
 * "<vpce-id>-<suffix>.<label>.<region>.<vpce domain>" (SPEC 1.1).  For a
 * global service @ref->region is empty and the caller uses the Region of
 * the endpoint's VPC.
 *
 * Return: a static string, "vpce.amazonaws.com" or
 * "vpce.amazonaws.com.cn".
 */
const char *catalog_vpce_domain(const struct catalog_service_ref *ref);

/**
 * catalog_vpce_label() - the base endpoint DNS label of a service.
 * @ref: [in]  a parsed reference.
 * @out: [out] receives the label text and a NUL, e.g. "dkr.ecr",
 *       "secretsmanager", "vpce-svc-0123456789abcdef0"; written only on
 *       success.
 * @len: [in]  bytes available at @out.
 *
 * The label is the table's for listed services, the vpce-svc id for a
 * provider, and otherwise the default rule: the service id's labels in
 * reverse order ("foo" -> "foo", "foo.bar" -> "bar.foo").
 *
 * Return: VPC_OK, or VPC_ESPACE when the label and its NUL do not fit in
 * @len bytes.
 */
int catalog_vpce_label(const struct catalog_service_ref *ref, char *out,
		       size_t len);

/**
 * catalog_private_names() - the private DNS names of the managed zone(s).
 * @ref: [in]  a parsed reference.
 * @out: [out] receives up to @max names, each NUL-terminated text in lower
 *       case without a trailing dot, "*." kept on wildcards, in the order
 *       AWS lists them; may be NULL when @max is 0.
 * @max: [in]  number of slots at @out.
 *
 * The names come from the table, expanded for the Region and the
 * partition's domain; unlisted regional services get the default rule
 * "<reversed service labels>.<region>.<domain>"; unlisted global services,
 * providers (their names come from the configuration) and services marked
 * CATALOG_F_NO_PRIVATE_DNS get none.  The global sts.amazonaws.com,
 * s3.amazonaws.com and SQS's legacy <region>.queue.amazonaws.com (and
 * their .cn forms) are never returned (SPEC 1.2).
 *
 * Return: the number of names the service has, 0..CATALOG_MAX_NAMES; only
 * the first min(return, @max) are written, so a return above @max means
 * @out was too small.
 */
size_t catalog_private_names(const struct catalog_service_ref *ref,
			     char out[][CATALOG_NAME_MAX], size_t max);

/**
 * catalog_service_names() - the service's own host names, for the filter a
 * gateway endpoint's dns-record-ip-type puts on their public answers.
 * @ref, @out, @max: as for catalog_private_names().
 *
 * The same as catalog_private_names() but for rows marked
 * CATALOG_F_NO_PRIVATE_DNS that list names: those are the public hosts of
 * a service whose interface endpoints have no private DNS (DynamoDB).
 *
 * Return: as for catalog_private_names().
 */
size_t catalog_service_names(const struct catalog_service_ref *ref,
			     char out[][CATALOG_NAME_MAX], size_t max);

/**
 * catalog_has_gateway() - whether the service also has gateway endpoints.
 * @ref: [in] a parsed reference.
 *
 * Used to validate private-dns-only-for-inbound-resolver-endpoint (SPEC
 * 1.3, 1.5a).
 *
 * Return: true for the services with both endpoint types (S3, DynamoDB),
 * false otherwise (providers and unlisted services included).
 */
bool catalog_has_gateway(const struct catalog_service_ref *ref);

/**
 * catalog_count() - number of rows in the static table.
 *
 * Return: the count, for iterating with catalog_get().
 */
size_t catalog_count(void);

/**
 * catalog_get() - one row of the static table, in table order.
 * @i: [in] index, 0..catalog_count()-1.
 *
 * Return: a pointer into the static table, valid for the life of the
 * program, or NULL when @i is out of range.
 */
const struct catalog_entry *catalog_get(size_t i);

#endif /* RESOLVER_ENGINE_CATALOG_H */
