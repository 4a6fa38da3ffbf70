/*
 * resolver/engine/zone.c - authoritative zone store, lookup, and zone sets.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Zones are built by one writer and immutable after zone_finish(); every
 * lookup returns borrowed pointers valid until zone_free().  Names are
 * stored lower-cased so lookups are byte comparisons.
 */
#include "config.h"

#include "engine/zone.h"

#include <stdlib.h>
#include <string.h>

#include "engine/policy.h"
#include "util/err.h"

#define ZONE_INITIAL_BUCKETS 16

uint32_t
zone_name_hash(const uint8_t *lname, size_t len)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	for (size_t i = 0; i < len; i++) {
		h ^= lname[i];
		h *= 16777619u;
	}
	return h;
}

int
zone_new(const uint8_t *apex, size_t apex_len, struct zone **out)
{
	struct zone *z = calloc(1, sizeof(*z));

	if (z == NULL)
		return VPC_ENOMEM;
	z->buckets = calloc(ZONE_INITIAL_BUCKETS, sizeof(*z->buckets));
	if (z->buckets == NULL) {
		free(z);
		return VPC_ENOMEM;
	}
	z->n_buckets = ZONE_INITIAL_BUCKETS;
	wire_name_lower(z->apex, apex, apex_len);
	z->apex_len = apex_len;
	*out = z;
	return VPC_OK;
}

const struct zone_node *
zone_find(const struct zone *z, const uint8_t *lname, size_t len)
{
	uint32_t h = zone_name_hash(lname, len);
	const struct zone_node *n = z->buckets[h & (z->n_buckets - 1)];

	for (; n != NULL; n = n->next)
		if (n->hash == h && n->name_len == len &&
		    memcmp(n->name, lname, len) == 0)
			return n;
	return NULL;
}

const struct zone_rrset *
zone_rrset(const struct zone_node *n, uint16_t type)
{
	for (uint16_t i = 0; i < n->n_rrsets; i++)
		if (n->rrsets[i].type == type)
			return &n->rrsets[i];
	return NULL;
}

static int
grow(struct zone *z)
{
	size_t nb = z->n_buckets * 2;
	struct zone_node **b = calloc(nb, sizeof(*b));

	if (b == NULL)
		return VPC_ENOMEM;
	for (size_t i = 0; i < z->n_buckets; i++) {
		struct zone_node *n = z->buckets[i], *next;

		for (; n != NULL; n = next) {
			next = n->next;
			n->next = b[n->hash & (nb - 1)];
			b[n->hash & (nb - 1)] = n;
		}
	}
	free(z->buckets);
	z->buckets = b;
	z->n_buckets = nb;
	return VPC_OK;
}

static struct zone_node *
get_node(struct zone *z, const uint8_t *lname, size_t len)
{
	struct zone_node *n = (struct zone_node *)zone_find(z, lname, len);

	if (n != NULL)
		return n;
	if (z->n_nodes >= z->n_buckets && grow(z) != VPC_OK)
		return NULL;
	if ((n = calloc(1, sizeof(*n))) == NULL)
		return NULL;
	if ((n->name = malloc(len)) == NULL) {
		free(n);
		return NULL;
	}
	memcpy(n->name, lname, len);
	n->name_len = (uint8_t)len;
	n->hash = zone_name_hash(lname, len);
	n->next = z->buckets[n->hash & (z->n_buckets - 1)];
	z->buckets[n->hash & (z->n_buckets - 1)] = n;
	z->n_nodes++;
	return n;
}

/* Creates the empty non-terminals between a new owner and the apex, so a
 * name with no records but with names below it answers NODATA, not
 * NXDOMAIN (RFC 8020 §2). */
static int
add_ancestors(struct zone *z, const uint8_t *lname, size_t len)
{
	size_t pos = 0;

	while (len - pos > z->apex_len) {
		pos += 1 + (size_t)lname[pos];
		if (get_node(z, lname + pos, len - pos) == NULL)
			return VPC_ENOMEM;
	}
	return VPC_OK;
}

static bool
rdata_present(const struct zone_rrset *rs, const uint8_t *rdata,
	      uint16_t rdlen)
{
	struct wire_rdata_iter it;
	const uint8_t *have;
	uint16_t l;

	wire_rdata_begin(&it, rs->rdata, rs->len);
	while (wire_rdata_next(&it, &have, &l))
		if (l == rdlen && memcmp(have, rdata, l) == 0)
			return true;
	return false;
}

static struct zone_rrset *
get_rrset(struct zone_node *n, uint16_t type)
{
	struct zone_rrset *rs = (struct zone_rrset *)zone_rrset(n, type);

	if (rs != NULL)
		return rs;
	rs = realloc(n->rrsets, (n->n_rrsets + 1u) * sizeof(*rs));
	if (rs == NULL)
		return NULL;
	n->rrsets = rs;
	rs = &n->rrsets[n->n_rrsets++];
	memset(rs, 0, sizeof(*rs));
	rs->type = type;
	rs->ttl = UINT32_MAX;
	return rs;
}

/* RFC 1034 §3.6.2: a CNAME owner has no other data; RFC 2181 §10.1: and
 * only one CNAME. */
static bool
cname_conflict(const struct zone_node *n, uint16_t type, const uint8_t *rdata,
	       uint16_t rdlen)
{
	const struct zone_rrset *cname = zone_rrset(n, WIRE_TYPE_CNAME);

	if (type != WIRE_TYPE_CNAME)
		return cname != NULL;
	if (cname == NULL)
		return n->n_rrsets > 0;
	return !rdata_present(cname, rdata, rdlen);
}

int
zone_add_rr(struct zone *z, const uint8_t *owner, size_t owner_len,
	    uint16_t type, uint32_t ttl, const uint8_t *rdata, uint16_t rdlen)
{
	uint8_t lname[WIRE_MAX_NAME_LEN];
	struct zone_node *n;
	struct zone_rrset *rs;
	struct wire_writer w;
	uint8_t *grown;

	if (z->finished || owner_len > WIRE_MAX_NAME_LEN ||
	    !wire_name_is_below(owner, owner_len, z->apex, z->apex_len))
		return VPC_EMALFORMED;
	wire_name_lower(lname, owner, owner_len);
	if ((n = get_node(z, lname, owner_len)) == NULL ||
	    add_ancestors(z, lname, owner_len) != VPC_OK)
		return VPC_ENOMEM;
	if (!z->synthesized && cname_conflict(n, type, rdata, rdlen))
		return VPC_ECONFIG;
	if ((rs = get_rrset(n, type)) == NULL)
		return VPC_ENOMEM;
	if (ttl < rs->ttl)
		rs->ttl = ttl;
	if (rdata_present(rs, rdata, rdlen))
		return VPC_OK;
	if ((grown = realloc(rs->rdata, rs->len + 2u + rdlen)) == NULL)
		return VPC_ENOMEM;
	rs->rdata = grown;
	wire_writer_init(&w, grown + rs->len, 2u + rdlen);
	wire_write_u16(&w, rdlen);
	wire_write_bytes(&w, rdata, rdlen);
	rs->len += 2u + rdlen;
	rs->count++;
	return VPC_OK;
}

int
zone_add_name(struct zone *z, const uint8_t *owner, size_t owner_len)
{
	uint8_t lname[WIRE_MAX_NAME_LEN];

	if (z->finished || owner_len > WIRE_MAX_NAME_LEN ||
	    !wire_name_is_below(owner, owner_len, z->apex, z->apex_len))
		return VPC_EMALFORMED;
	wire_name_lower(lname, owner, owner_len);
	if (get_node(z, lname, owner_len) == NULL ||
	    add_ancestors(z, lname, owner_len) != VPC_OK)
		return VPC_ENOMEM;
	return VPC_OK;
}

/* RFC 4592 §3.3.1: the closest encloser is the longest existing ancestor
 * (empty non-terminals exist); its "*" child, if any, answers. */
const struct zone_node *
zone_find_wildcard(const struct zone *z, const uint8_t *name, size_t len)
{
	uint8_t star[WIRE_MAX_NAME_LEN + 2];
	size_t pos = 0;

	while (len - pos > z->apex_len) {
		pos += 1 + (size_t)name[pos];
		if (zone_find(z, name + pos, len - pos) != NULL)
			break;
	}
	if (len - pos + 2 > WIRE_MAX_NAME_LEN)
		return NULL;
	star[0] = 1;
	star[1] = '*';
	memcpy(star + 2, name + pos, len - pos);
	return zone_find(z, star, len - pos + 2);
}

/* Route 53's SOA and name servers for every private hosted zone. */
static const uint8_t route53_soa_rdata[] = {
    /* ns-1536.awsdns-00.co.uk. */
    7, 'n', 's', '-', '1', '5', '3', '6', 9, 'a', 'w', 's', 'd', 'n', 's', '-',
    '0', '0', 2, 'c', 'o', 2, 'u', 'k', 0,
    /* awsdns-hostmaster.amazon.com. */
    17, 'a', 'w', 's', 'd', 'n', 's', '-', 'h', 'o', 's', 't', 'm', 'a', 's',
    't', 'e', 'r', 6, 'a', 'm', 'a', 'z', 'o', 'n', 3, 'c', 'o', 'm', 0, 0, 0,
    0, 1,		 /* serial 1 */
    0, 0, 0x1c, 0x20,	 /* refresh 7200 */
    0, 0, 0x03, 0x84,	 /* retry 900 */
    0, 0x12, 0x75, 0,	 /* expire 1209600 */
    0, 0x01, 0x51, 0x80, /* minimum 86400 */
};

static const char *const route53_name_servers[] = {
    "ns-1536.awsdns-00.co.uk",
    "ns-0.awsdns-00.com",
    "ns-1024.awsdns-00.org",
    "ns-512.awsdns-00.net",
};

static int
add_defaults(struct zone *z, const struct zone_node *apex)
{
	uint8_t ns[WIRE_MAX_NAME_LEN];
	int rc;

	if (apex == NULL || zone_rrset(apex, WIRE_TYPE_SOA) == NULL) {
		rc = zone_add_rr(z, z->apex, z->apex_len, WIRE_TYPE_SOA,
				 ZONE_DEFAULT_SOA_TTL, route53_soa_rdata,
				 sizeof(route53_soa_rdata));
		if (rc != VPC_OK)
			return rc;
	}
	apex = zone_find(z, z->apex, z->apex_len);
	if (zone_rrset(apex, WIRE_TYPE_NS) != NULL)
		return VPC_OK;
	for (size_t i = 0; i < 4; i++) {
		size_t len = wire_name_from_text(route53_name_servers[i], ns);

		rc = zone_add_rr(z, z->apex, z->apex_len, WIRE_TYPE_NS,
				 ZONE_DEFAULT_NS_TTL, ns, (uint16_t)len);
		if (rc != VPC_OK)
			return rc;
	}
	return VPC_OK;
}

int
zone_finish(struct zone *z)
{
	const struct zone_node *apex;
	struct wire_reader r;
	const uint8_t *soa;
	uint16_t soa_len;
	int rc;

	apex = zone_find(z, z->apex, z->apex_len);
	if ((rc = add_defaults(z, apex)) != VPC_OK)
		return rc;
	apex = zone_find(z, z->apex, z->apex_len);
	z->soa = zone_rrset(apex, WIRE_TYPE_SOA);
	/* The serial follows the two names of the first SOA RDATA. */
	soa = zone_rdata_first(z->soa, &soa_len);
	wire_reader_init(&r, soa, soa_len);
	wire_read_name(&r, NULL);
	wire_read_name(&r, NULL);
	z->serial = wire_read_u32(&r);
	z->soa_minimum = wire_soa_minimum(soa, soa_len);
	z->finished = true;
	return VPC_OK;
}

const uint8_t *
zone_rdata_first(const struct zone_rrset *rs, uint16_t *len)
{
	if (len != NULL)
		*len = wire_get_u16(rs->rdata);
	return rs->rdata + 2;
}

uint32_t
zone_soa_minimum(const struct zone *z)
{
	return z->soa_minimum;
}

int
zone_add_owned_prefix(struct zone *z, const uint8_t *label, size_t len)
{
	uint8_t(*owned)[1 + WIRE_MAX_LABEL_LEN];

	if (len == 0 || len > WIRE_MAX_LABEL_LEN)
		return VPC_EMALFORMED;
	owned = realloc(z->owned, (z->n_owned + 1) * sizeof(*owned));
	if (owned == NULL)
		return VPC_ENOMEM;
	z->owned = owned;
	owned[z->n_owned][0] = (uint8_t)len;
	wire_name_lower(owned[z->n_owned] + 1, label, len);
	z->n_owned++;
	return VPC_OK;
}

bool
zone_owns(const struct zone *z, const uint8_t *lname, size_t len)
{
	size_t pos = 0, lab;

	if (z->n_owned == 0)
		return true;
	if (len <= z->apex_len)
		return false;
	/* Find the label right below the apex. */
	while (len - pos - 1 - lname[pos] > z->apex_len)
		pos += 1 + (size_t)lname[pos];
	lab = lname[pos];
	for (size_t i = 0; i < z->n_owned; i++) {
		size_t plen = z->owned[i][0];

		if (lab >= plen && memcmp(lname + pos + 1, z->owned[i] + 1,
					  plen) == 0 &&
		    (lab == plen || lname[pos + 1 + plen] == '-'))
			return true;
	}
	return false;
}

void
zone_free(struct zone *z)
{
	if (z == NULL)
		return;
	policy_table_free(z->policies);
	free(z->owned);
	for (size_t i = 0; i < z->n_buckets; i++) {
		struct zone_node *n = z->buckets[i], *next;

		for (; n != NULL; n = next) {
			next = n->next;
			for (uint16_t j = 0; j < n->n_rrsets; j++)
				free(n->rrsets[j].rdata);
			free(n->rrsets);
			free(n->name);
			free(n);
		}
	}
	free(z->buckets);
	free(z);
}
