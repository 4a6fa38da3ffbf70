/*
 * resolver/engine/zone.h - authoritative zone store, lookup and loading.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * A struct zone holds the records of one private hosted zone in a hash
 * table keyed by lower-case wire name.  It is built with zone_new(),
 * zone_add_rr() and zone_finish() (by the zone-file loader or by code that
 * synthesizes records), and is immutable afterwards: lookups return
 * borrowed pointers valid until zone_free().  Sets of zones are
 * engine/zoneset.h's (included here, since every user of zones wants
 * them).  Nothing here is thread-safe for writing; once finished,
 * concurrent readers are fine.
 */
#ifndef RESOLVER_ENGINE_ZONE_H
#define RESOLVER_ENGINE_ZONE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "dns/wire.h"

struct conf_cidr;
struct conf_errors;
struct policy_table;

/* Zones whose names follow a rule instead of being stored. */
enum zone_synth {
	ZONE_SYNTH_NONE,
	ZONE_SYNTH_EC2, /* ip-a-b-c-d.<domain> -> A a.b.c.d in the cidrs */
	ZONE_SYNTH_PTR, /* d.c.b.a.in-addr.arpa -> PTR ip-a-b-c-d.<domain>,
			   owning only names inside the cidrs */
	ZONE_SYNTH_PTR6, /* an IPv6 cidr-block's reverse zone: stored PTRs of
			    the instances it knows (engine/ec2.h) */
	ZONE_SYNTH_RESERVED, /* a reserved name (engine/reserved.h): stored
				records, built from no file */
};

/* One RRset: RDATAs stored back to back, each as a 2-byte network-order
 * length followed by the RDATA (names uncompressed). */
struct zone_rrset {
	uint16_t type;     /* RR type, host order */
	uint16_t count;    /* RRs in the set, >= 1 */
	uint32_t ttl;      /* TTL of the set (the lowest of its RRs) */
	uint32_t len;      /* bytes at rdata */
	uint8_t *rdata;    /* owned */
};

/* A name in the zone; an empty non-terminal has no RRsets. */
struct zone_node {
	uint8_t *name;              /* lower-case wire name, owned */
	uint8_t name_len;           /* wire length */
	uint16_t n_rrsets;          /* 0 for an empty non-terminal */
	uint32_t hash;              /* of name */
	struct zone_rrset *rrsets;  /* owned */
	struct zone_node *next;     /* hash chain */
};

struct zone {
	uint8_t apex[WIRE_MAX_NAME_LEN]; /* lower-case wire name */
	size_t apex_len;
	struct zone_node **buckets;      /* power-of-two hash table */
	size_t n_buckets;
	size_t n_nodes;
	const struct zone_rrset *soa;    /* apex SOA, set by zone_finish() */
	uint32_t serial;                 /* SOA serial, host order */
	uint32_t soa_minimum;            /* SOA MINIMUM, host order; read
					    it with zone_soa_minimum() */
	bool finished;                   /* zone_finish() succeeded */
	bool synthesized;                /* built from configuration, not a
					    file: CNAME beside other data is
					    allowed (a provider's private
					    DNS name, SPEC 1.2) */
	bool pending;                    /* an endpoint address of this
					    synthesized zone is a host name
					    that has not resolved yet: every
					    name here is SERVFAIL until the
					    edge rebuilds the views */
	uint8_t (*owned)[1 + WIRE_MAX_LABEL_LEN]; /* label prefixes, see
					    zone_owns(); [0] is the length */
	size_t n_owned;                  /* 0: the zone owns every name */
	bool nx_others;                  /* ZONE_SYNTH_PTR: names outside
					    the cidrs are NXDOMAIN here (a
					    reserved zone of the same apex,
					    engine/reserved.h), not left to
					    shorter zones */
	enum zone_synth synth;           /* names answered by rule, not
					    stored (SPEC 1.7) */
	const struct conf_cidr *cidrs;   /* synth: the VPC's cidr-blocks,
					    borrowed from the conf */
	size_t n_cidrs;
	uint8_t host_domain[WIRE_MAX_NAME_LEN]; /* ZONE_SYNTH_PTR: the EC2
					    hostname domain, lower-case wire */
	size_t host_domain_len;
	struct policy_table *policies;   /* Route 53 record sets with a
					    routing policy or an alias
					    target (engine/policy.h),
					    owned; NULL when none */
	const char *origin;              /* the file the zone came from,
					    borrowed from the conf; NULL for
					    synthesized zones */
};

/* Route 53 defaults for a private hosted zone (SPEC 1.2). */
#define ZONE_DEFAULT_SOA_TTL 900
#define ZONE_DEFAULT_NS_TTL 172800

/**
 * zone_new() - create an empty zone for @apex (any case).
 * Return: VPC_OK with *@out owned by the caller, or VPC_ENOMEM.
 */
int zone_new(const uint8_t *apex, size_t apex_len, struct zone **out);

/**
 * zone_add_rr() - add one class-IN record.  Empty non-terminals between
 * the owner and the apex are created.  A duplicate RDATA is ignored; the
 * RRset TTL is the lowest TTL added (RFC 2181 §5.2).
 * @owner: [in] uncompressed wire name at or below the apex, any case.
 * @rdata: [in] RDATA with names uncompressed; copied.
 * Return: VPC_OK; VPC_EMALFORMED when @owner is outside the zone or the
 * zone is finished; VPC_ECONFIG when a CNAME would share its name with
 * other data or another CNAME (RFC 2181 §10.1); VPC_ENOMEM.
 */
int zone_add_rr(struct zone *z, const uint8_t *owner, size_t owner_len,
		uint16_t type, uint32_t ttl, const uint8_t *rdata,
		uint16_t rdlen);

/**
 * zone_add_name() - make @owner (and the names between it and the apex)
 * exist without records, for names whose data lives in the zone's policy
 * table.
 * Return: VPC_OK; VPC_EMALFORMED outside the zone or when finished;
 * VPC_ENOMEM.
 */
int zone_add_name(struct zone *z, const uint8_t *owner, size_t owner_len);

/**
 * zone_finish() - complete the zone: without an apex SOA, add the Route 53
 * SOA and, without apex NS records, the four Route 53 name servers
 * (SPEC 1.2).  The zone is read-only afterwards.
 * Return: VPC_OK; VPC_ECONFIG when the apex holds a CNAME (it cannot sit
 * beside the SOA); VPC_ENOMEM.
 */
int zone_finish(struct zone *z);

/**
 * zone_find() - exact lookup of a lower-case wire name.
 * Return: the node (borrowed) or NULL.
 */
const struct zone_node *zone_find(const struct zone *z, const uint8_t *lname,
				  size_t len);

/**
 * zone_find_wildcard() - the wildcard that answers the lower-case wire
 * name @lname, which does not exist in @z (RFC 4592 §3.3.1: the "*" child
 * of its closest encloser), or NULL.
 */
const struct zone_node *zone_find_wildcard(const struct zone *z,
					   const uint8_t *lname, size_t len);

/** zone_rrset() - the RRset of @type at @n, or NULL. */
const struct zone_rrset *zone_rrset(const struct zone_node *n, uint16_t type);

/**
 * zone_rdata_first() - the first RDATA of @rs (the only one of a CNAME).
 * @len: [out] its length, or NULL.
 * Return: the RDATA (borrowed).
 */
const uint8_t *zone_rdata_first(const struct zone_rrset *rs, uint16_t *len);

/**
 * zone_soa_minimum() - the MINIMUM field of the apex SOA of a finished
 * zone (RFC 2308 §4: with the SOA's TTL, the negative-answer TTL).
 */
uint32_t zone_soa_minimum(const struct zone *z);

/**
 * zone_add_owned_prefix() - restrict the names the zone answers to those
 * whose label right below the apex is @label or starts with @label
 * followed by '-' (the endpoint-specific names of SPEC 1.5a: an endpoint's
 * regional name, its zonal names and the names below them).  Other names
 * under the apex are not this zone's.
 * @label: [in] label bytes without the length octet, any case.
 * Return: VPC_OK, VPC_EMALFORMED for an empty or over-long label,
 * VPC_ENOMEM.
 */
int zone_add_owned_prefix(struct zone *z, const uint8_t *label, size_t len);

/**
 * zone_owns() - whether the lower-case wire name @lname (at or below the
 * apex) is answered by @z; true for every name when @z has no owned
 * prefixes, false for the apex of a zone that has some.
 */
bool zone_owns(const struct zone *z, const uint8_t *lname, size_t len);

/** zone_free() - release a zone; NULL is a no-op. */
void zone_free(struct zone *z);

/**
 * zone_load_text() - load an RFC 1035 master file's text with ldns.
 * @path:  [in] the file the text came from, named by every message (the
 *         caller read it, e.g. through the configuration's reader).
 * @text:  [in] @len bytes of zone text (no NUL needed).
 * @apex:  [in] zone name in text (the configured hosted-zone name); it is
 *         the default $ORIGIN and every record must be at or below it.
 * @out:   [out] a finished zone, owned by the caller, on success.
 * @errs:  [in,out] problems appended as "path:line: message".
 * Return: VPC_OK; VPC_ECONFIG after appending errors; VPC_ENOMEM.
 */
int zone_load_text(const char *path, const char *text, size_t len,
		   const char *apex, struct zone **out,
		   struct conf_errors *errs);

/**
 * zone_write() - write the zone as an RFC 1035 master file: $ORIGIN, the
 * SOA, then every RRset in canonical name order (RFC 4034 §6.1), names
 * absolute.  An apex CNAME beside an SOA (a synthesized zone) is written
 * as a comment, since a master file cannot hold it.
 * @fp: [in] open stream; borrowed.
 * Return: VPC_OK, VPC_EIO on a write error, VPC_ENOMEM.
 */
int zone_write(const struct zone *z, FILE *fp);

/**
 * zone_write_rrset() - write one RRset under @owner (uncompressed wire
 * name) as master-file lines.
 * Return: VPC_OK, VPC_EMALFORMED when an RDATA does not parse.
 */
int zone_write_rrset(FILE *fp, const uint8_t *owner, size_t owner_len,
		     const struct zone_rrset *rs);

/**
 * zone_sorted_nodes() - the zone's nodes in canonical order (RFC 4034
 * §6.1), apex first.
 * @out: [out] an array of borrowed pointers, owned by the caller (free()).
 * Return: VPC_OK or VPC_ENOMEM.
 */
int zone_sorted_nodes(const struct zone *z, const struct zone_node ***out,
		      size_t *count);

/* How zone_write_route53() writes an RRset as an alias instead. */
struct zone_json_hooks {
	/* Returns the length of the alias target written to @target
	 * (lower-case wire) and its hosted zone id in *@zone_id, or 0 to
	 * write the RRset's values. */
	size_t (*alias_of)(void *arg, const struct zone *z,
			   const struct zone_node *n,
			   const struct zone_rrset *rs, uint8_t *target,
			   const char **zone_id);
	void *arg;
};

/**
 * zone_write_route53() - write @z as a Route 53 change batch
 * ({"Comment": @comment, "Changes": [UPSERT ...]}) that conf/route53.c
 * reads back as the same zone and `aws route53 change-resource-record-
 * sets` accepts: every RRset, and every record set of the policy table
 * with its routing policy, health check and alias target.
 * @h: [in] may turn RRsets into aliases; NULL for none.
 * Return: VPC_OK, VPC_EIO on a write error, VPC_EMALFORMED, VPC_ENOMEM.
 */
int zone_write_route53(const struct zone *z, const char *comment,
		       const struct zone_json_hooks *h, FILE *fp);

/** zone_name_hash() - hash of a lower-case wire name. */
uint32_t zone_name_hash(const uint8_t *lname, size_t len);

#include "engine/zoneset.h"

#endif /* RESOLVER_ENGINE_ZONE_H */
