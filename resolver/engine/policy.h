/*
 * resolver/engine/policy.h - Route 53 record sets with routing
 * policies and alias targets, and the choice among them per query.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * A zone loaded from Route 53 or Terraform data (conf/route53.h) keeps its
 * simple, non-alias record sets as ordinary RRsets; every record set with
 * a SetIdentifier or an AliasTarget goes into the zone's policy table
 * instead, grouped by name and type.  policy_choose() picks the record
 * sets that answer one query the way Route 53 does in a private hosted
 * zone: weighted by Weight (weight 0 only when all are 0), failover
 * (primary unless unhealthy), multivalue (up to 8 healthy, shuffled),
 * latency and geolocation by the Region of the VPC the query came from.
 * Randomness comes in as an argument; health comes from a struct
 * policy_health that the edge (io/health.c) updates between queries.
 * Tables are immutable after policy_table_finish(); lookups return
 * borrowed pointers valid until policy_table_free().
 */
#ifndef RESOLVER_ENGINE_POLICY_H
#define RESOLVER_ENGINE_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf/route53.h"
#include "dns/wire.h"
#include "engine/zone.h"

struct conf;
struct conf_errors;

/* Health of every configured health check, by index of
 * conf->health_checks.  The engine only reads it; io/health.c writes it
 * on the main loop while worker threads read it, hence atomic bytes (a
 * flip seen one query late is fine, a torn or racy access is not). */
struct policy_health {
	const struct conf *conf; /* borrowed: the ids */
	_Atomic uint8_t *up;	 /* owned, one per health check: 1 healthy */
	size_t n;
};

/* One record set of a name and type. */
struct policy_rr {
	enum route53_policy policy;
	uint32_t weight;	    /* ROUTE53_WEIGHTED */
	bool primary;		    /* ROUTE53_FAILOVER */
	char region[32];	    /* ROUTE53_LATENCY, "" none */
	char continent[3];	    /* ROUTE53_GEO, "" none */
	char country[3];	    /* ROUTE53_GEO, "*" default, "" none */
	char subdivision[4];	    /* ROUTE53_GEO, "" none */
	size_t health;		    /* index in the health table, SIZE_MAX
				       when the set has no health check */
	struct zone_rrset rrset;    /* the records; count 0 for an alias */
	uint8_t alias[WIRE_MAX_NAME_LEN]; /* target, lower-case wire */
	size_t alias_len;	    /* 0: not an alias */
	bool evaluate_health;	    /* AliasTarget.EvaluateTargetHealth */
	char *alias_zone_id;	    /* AliasTarget.HostedZoneId, owned, NULL
				       when none */
	char *set_id;		    /* SetIdentifier, owned, NULL for simple */
	char *origin;		    /* "file:line: where (name TYPE)", owned,
				       for messages */
};

/* The record sets of one name and type. */
struct policy_set {
	uint8_t name[WIRE_MAX_NAME_LEN]; /* owner, lower-case wire */
	size_t name_len;
	uint16_t type;
	struct policy_rr *rrs; /* owned */
	size_t n;
};

struct policy_table {
	struct policy_set *sets; /* owned, sorted by name then type */
	size_t n;
	const struct policy_health *health; /* borrowed, may be NULL */
};

/* What a query needs for the choice. */
struct policy_ctx {
	const char *region;  /* the VPC's Region, NULL outside any VPC */
	uint64_t random;     /* random bits for this query */
};

#define POLICY_MAX_PICKS ROUTE53_MULTIVALUE_MAX

/**
 * policy_find() - the record sets of @type at the lower-case wire name
 * @lname, or NULL.
 */
const struct policy_set *policy_find(const struct policy_table *t,
				     const uint8_t *lname, size_t len,
				     uint16_t type);

/** policy_has_name() - whether @t holds any record set at @lname. */
bool policy_has_name(const struct policy_table *t, const uint8_t *lname,
		     size_t len);

/**
 * policy_choose() - the record sets that answer one query.
 * @picks: [out] up to POLICY_MAX_PICKS borrowed pointers.
 * @why:   [out] a static description of the choice, for explanations.
 * Return: how many were picked (more than 1 only for multivalue); 0 when
 * none applies (a geolocation set without a default for the Region).
 */
size_t policy_choose(const struct policy_table *t, const struct policy_set *s,
		     const struct policy_ctx *ctx,
		     const struct policy_rr *picks[POLICY_MAX_PICKS],
		     const char **why);

/** policy_healthy() - whether @rr counts as healthy now. */
bool policy_healthy(const struct policy_table *t, const struct policy_rr *rr);

/**
 * policy_health_new() - a health table for @cf->health_checks, each entry
 * at its configured status; duplicate ids are reported.
 * Return: VPC_OK with *@out owned by the caller; VPC_ECONFIG; VPC_ENOMEM.
 */
int policy_health_new(const struct conf *cf, struct policy_health **out,
		      struct conf_errors *errs);

/** policy_health_free() - release a health table; NULL-safe. */
void policy_health_free(struct policy_health *h);

/**
 * policy_health_index() - the index of health check @id, or SIZE_MAX.
 */
size_t policy_health_index(const struct policy_health *h, const char *id);

/**
 * policy_load_zone() - build a zone from Route 53 record sets.
 * @rz:     [in] the record sets; names must be at or below @apex.
 * @apex:   [in] the zone's name in text.
 * @file:   [in] the file, for messages.
 * @health: [in] health table for HealthCheckIds; borrowed by the zone's
 *          policy table, must outlive it.
 * @out:    [out] a finished zone owned by the caller.
 * @errs:   [in,out] every problem as "file:line: where (name TYPE): ...".
 * Return: VPC_OK; VPC_ECONFIG after appending; VPC_ENOMEM.
 */
int policy_load_zone(const struct route53_zone *rz, const char *apex,
		     const char *file, const struct policy_health *health,
		     struct zone **out, struct conf_errors *errs);

/** policy_table_free() - release a table; NULL-safe. */
void policy_table_free(struct policy_table *t);

#endif /* RESOLVER_ENGINE_POLICY_H */
