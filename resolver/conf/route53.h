/*
 * resolver/conf/route53.h - Route 53 record sets: the model and the reader
 * of Route 53 JSON.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * A hosted zone kept as Route 53 data (SPEC 1.5, issue 11) is a list of
 * record sets: a name, a type, and either a TTL with values or an alias
 * target, plus a routing policy.  route53_parse() reads the two shapes the
 * AWS CLI speaks: the output of `aws route53 list-resource-record-sets`
 * ({"ResourceRecordSets": [...]}) and the change batch that `aws route53
 * change-resource-record-sets` takes ({"Changes": [{"Action": "CREATE" or
 * "UPSERT", "ResourceRecordSet": {...}}]}).  conf/terraform.c fills the
 * same model from Terraform JSON.  Text in, structs out: record values stay
 * text (the engine turns them into RDATA), names are decoded from Route
 * 53's octal escapes and lower-cased.  Every string of a struct route53_zones
 * is owned by it and released by route53_zones_free().  No I/O, no global
 * state.
 */
#ifndef RESOLVER_CONF_ROUTE53_H
#define RESOLVER_CONF_ROUTE53_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf/conf.h"

enum route53_policy {
	ROUTE53_SIMPLE,	    /* no SetIdentifier */
	ROUTE53_WEIGHTED,   /* Weight */
	ROUTE53_FAILOVER,   /* Failover PRIMARY / SECONDARY */
	ROUTE53_MULTIVALUE, /* MultiValueAnswer: true */
	ROUTE53_LATENCY,    /* Region */
	ROUTE53_GEO,	    /* GeoLocation */
};

/* Route 53 allows up to 100 values in a record set and 8 answers in a
 * multivalue response. */
#define ROUTE53_MAX_VALUES 400
#define ROUTE53_MULTIVALUE_MAX 8
/* Route 53's range of Weight. */
#define ROUTE53_WEIGHT_MAX 255

/* One record set. */
struct route53_rrset {
	char *name;            /* owner, lower case, no trailing dot,
				  escapes decoded ("*.corp.internal") */
	uint16_t type;         /* RR type, host order */
	uint32_t ttl;          /* TTL; 0 for an alias (the target's TTL) */
	char **values;         /* ResourceRecords[].Value as written */
	size_t n_values;       /* 0 for an alias */
	char *alias;           /* AliasTarget.DNSName, lower case, no
				  trailing dot; NULL: not an alias */
	char *alias_zone_id;   /* AliasTarget.HostedZoneId, NULL if none */
	bool evaluate_health;  /* AliasTarget.EvaluateTargetHealth */
	char *set_id;          /* SetIdentifier, NULL for simple */
	enum route53_policy policy;
	uint32_t weight;       /* ROUTE53_WEIGHTED: 0..255 */
	bool primary;	       /* ROUTE53_FAILOVER: PRIMARY (else SECONDARY) */
	char *region;	       /* ROUTE53_LATENCY: "us-east-1" */
	char *continent;       /* ROUTE53_GEO: ContinentCode, NULL if none */
	char *country;	       /* ROUTE53_GEO: CountryCode ("*" = default) */
	char *subdivision;     /* ROUTE53_GEO: SubdivisionCode, NULL if none */
	char *health_check;    /* HealthCheckId, NULL when none */
	char *where;           /* "ResourceRecordSets[3]" or a Terraform
				  resource address, for messages */
	unsigned line;         /* line of the record set in the file */
};

/* The record sets of one hosted zone. */
struct route53_zone {
	char *name;             /* apex, lower case, no dot; NULL when the
				   file does not say (record-set JSON) */
	char *zone_id;          /* Terraform zone_id, NULL if unknown */
	char **vpcs;            /* Terraform vpc blocks' vpc_id */
	size_t n_vpcs;
	struct route53_rrset *sets; /* owned */
	size_t n_sets;
	char *where;            /* resource address of the zone, or NULL */
	unsigned line;
};

struct route53_zones {
	struct route53_zone *zones; /* owned */
	size_t n;
};

/**
 * route53_detect() - the format of a hosted zone's file by its content: JSON
 * with "ResourceRecordSets" or "Changes" is route53-json, JSON with
 * "resources" or "values" (Terraform state or show -json) is terraform,
 * everything else a zone file.
 * Return: CONF_ZONE_FILE, CONF_ZONE_ROUTE53 or CONF_ZONE_TERRAFORM.
 */
enum conf_zone_format route53_detect(const char *text, size_t len);

/**
 * route53_parse() - read Route 53 JSON (either shape) into one zone of @out.
 * @text, @len: [in] the file's bytes; not kept.
 * @file:  [in] its name in messages.
 * @out:   [out] on VPC_OK one zone (name NULL) owned by the caller.
 * @errs:  [in,out] every problem as "file:line: ResourceRecordSets[i]
 *         (name TYPE): message" (or Changes[i]).
 * Return: VPC_OK; VPC_ECONFIG after appending; VPC_ENOMEM.
 */
int route53_parse(const char *text, size_t len, const char *file,
		  struct route53_zones *out, struct conf_errors *errs);

/** route53_zones_free() - release everything in @zs and zero it. */
void route53_zones_free(struct route53_zones *zs);

/**
 * route53_decode_name() - a Route 53 name as text: "\052" and the other
 * three-digit octal escapes decoded, lower case, the trailing dot gone.
 * @out: [out] @cap bytes, NUL-terminated.
 * Return: true, or false for a bad escape, a NUL, or no room.
 */
bool route53_decode_name(const char *in, char *out, size_t cap);

/** route53_policy_name() - "simple", "weighted", ... for messages. */
const char *route53_policy_name(enum route53_policy p);

/**
 * route53_type_from_name() - the RR type of a mnemonic Route 53 accepts (A,
 * AAAA, CAA, CNAME, DS, HTTPS, MX, NAPTR, NS, PTR, SOA, SPF, SRV, SSHFP,
 * SVCB, TLSA, TXT), any case; 0 for anything else.
 */
uint16_t route53_type_from_name(const char *name);

/** route53_type_name() - the mnemonic of @type, or "TYPEn" in @buf (16). */
const char *route53_type_name(uint16_t type, char buf[16]);

/**
 * route53_check_zone() - the checks Route 53 makes across the record sets of
 * one zone: the sets of one name and type are all simple or all of one
 * routing policy, with distinct SetIdentifiers; a CNAME is alone at its
 * name.  Problems are appended as "file:line: where (name TYPE): ...".
 * Return: VPC_OK; VPC_ECONFIG after appending; VPC_ENOMEM.
 */
int route53_check_zone(const struct route53_zone *z, const char *file,
		       struct conf_errors *errs);

/** route53_rrset_cleanup() - release the strings of one record set. */
void route53_rrset_cleanup(struct route53_rrset *rs);

#endif /* RESOLVER_CONF_ROUTE53_H */
