/*
 * resolver/conf/route53.h - Route 53 record sets: the model and the reader
 * of Route 53 JSON.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * A hosted zone kept as Route 53 data (SPEC 1.5, issue 11) is a list of
 * record sets: a name, a type, and either a TTL with values or an alias
 * target, plus a routing policy.  r53_parse() reads the two shapes the
 * AWS CLI speaks: the output of `aws route53 list-resource-record-sets`
 * ({"ResourceRecordSets": [...]}) and the change batch that `aws route53
 * change-resource-record-sets` takes ({"Changes": [{"Action": "CREATE" or
 * "UPSERT", "ResourceRecordSet": {...}}]}).  conf/terraform.c fills the
 * same model from Terraform JSON.  Text in, structs out: record values stay
 * text (the engine turns them into RDATA), names are decoded from Route
 * 53's octal escapes and lower-cased.  Every string of a struct r53_zones
 * is owned by it and released by r53_zones_free().  No I/O, no global
 * state.
 */
#ifndef RESOLVER_CONF_ROUTE53_H
#define RESOLVER_CONF_ROUTE53_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf/conf.h"

enum r53_policy {
	R53_SIMPLE,     /* no SetIdentifier */
	R53_WEIGHTED,   /* Weight */
	R53_FAILOVER,   /* Failover PRIMARY / SECONDARY */
	R53_MULTIVALUE, /* MultiValueAnswer: true */
	R53_LATENCY,    /* Region */
	R53_GEO,        /* GeoLocation */
};

/* Route 53 allows up to 100 values in a record set and 8 answers in a
 * multivalue response. */
#define R53_MAX_VALUES 400
#define R53_MULTIVALUE_MAX 8
/* Route 53's range of Weight. */
#define R53_WEIGHT_MAX 255

/* One record set. */
struct r53_rrset {
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
	enum r53_policy policy;
	uint32_t weight;       /* R53_WEIGHTED: 0..255 */
	bool primary;          /* R53_FAILOVER: PRIMARY (else SECONDARY) */
	char *region;          /* R53_LATENCY: "us-east-1" */
	char *continent;       /* R53_GEO: ContinentCode, NULL if none */
	char *country;         /* R53_GEO: CountryCode ("*" = default) */
	char *subdivision;     /* R53_GEO: SubdivisionCode, NULL if none */
	char *health_check;    /* HealthCheckId, NULL when none */
	char *where;           /* "ResourceRecordSets[3]" or a Terraform
				  resource address, for messages */
	unsigned line;         /* line of the record set in the file */
};

/* The record sets of one hosted zone. */
struct r53_zone {
	char *name;             /* apex, lower case, no dot; NULL when the
				   file does not say (record-set JSON) */
	char *zone_id;          /* Terraform zone_id, NULL if unknown */
	char **vpcs;            /* Terraform vpc blocks' vpc_id */
	size_t n_vpcs;
	struct r53_rrset *sets; /* owned */
	size_t n_sets;
	char *where;            /* resource address of the zone, or NULL */
	unsigned line;
};

struct r53_zones {
	struct r53_zone *zones; /* owned */
	size_t n;
};

/**
 * r53_detect() - the format of a hosted zone's file by its content: JSON
 * with "ResourceRecordSets" or "Changes" is route53-json, JSON with
 * "resources" or "values" (Terraform state or show -json) is terraform,
 * everything else a zone file.
 * Return: CONF_ZONE_FILE, CONF_ZONE_ROUTE53 or CONF_ZONE_TERRAFORM.
 */
enum conf_zone_format r53_detect(const char *text, size_t len);

/**
 * r53_parse() - read Route 53 JSON (either shape) into one zone of @out.
 * @text, @len: [in] the file's bytes; not kept.
 * @file:  [in] its name in messages.
 * @out:   [out] on VPC_OK one zone (name NULL) owned by the caller.
 * @errs:  [in,out] every problem as "file:line: ResourceRecordSets[i]
 *         (name TYPE): message" (or Changes[i]).
 * Return: VPC_OK; VPC_ECONFIG after appending; VPC_ENOMEM.
 */
int r53_parse(const char *text, size_t len, const char *file,
	      struct r53_zones *out, struct conf_errors *errs);

/** r53_zones_free() - release everything in @zs and zero it. */
void r53_zones_free(struct r53_zones *zs);

/**
 * r53_decode_name() - a Route 53 name as text: "\052" and the other
 * three-digit octal escapes decoded, lower case, the trailing dot gone.
 * @out: [out] @cap bytes, NUL-terminated.
 * Return: true, or false for a bad escape, a NUL, or no room.
 */
bool r53_decode_name(const char *in, char *out, size_t cap);

/** r53_policy_name() - "simple", "weighted", ... for messages. */
const char *r53_policy_name(enum r53_policy p);

/**
 * r53_type_from_name() - the RR type of a mnemonic Route 53 accepts (A,
 * AAAA, CAA, CNAME, DS, HTTPS, MX, NAPTR, NS, PTR, SOA, SPF, SRV, SSHFP,
 * SVCB, TLSA, TXT), any case; 0 for anything else.
 */
uint16_t r53_type_from_name(const char *name);

/** r53_type_name() - the mnemonic of @type, or "TYPEn" in @buf (16). */
const char *r53_type_name(uint16_t type, char buf[16]);

/**
 * r53_check_zone() - the checks Route 53 makes across the record sets of
 * one zone: the sets of one name and type are all simple or all of one
 * routing policy, with distinct SetIdentifiers; a CNAME is alone at its
 * name.  Problems are appended as "file:line: where (name TYPE): ...".
 * Return: VPC_OK; VPC_ECONFIG after appending; VPC_ENOMEM.
 */
int r53_check_zone(const struct r53_zone *z, const char *file,
		   struct conf_errors *errs);

/** r53_rrset_cleanup() - release the strings of one record set. */
void r53_rrset_cleanup(struct r53_rrset *rs);

#endif /* RESOLVER_CONF_ROUTE53_H */
