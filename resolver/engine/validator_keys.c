/*
 * resolver/engine/validator_keys.c - trust anchors and the key cache.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Trust anchors are parsed from text with ldns (the edge reads the
 * file).  The key cache holds, per zone, the DNSKEY set the chain of
 * trust validated, or the fact that the zone is below a proven insecure
 * delegation, until its TTL runs out.  It is small (a fixed table, the
 * least recently used entry is replaced), shared by every query of one
 * data set and guarded by a mutex, so worker threads may share it.
 */
#include "config.h"

#include "engine/validator.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ldns/ldns.h>

#include "engine/validator_internal.h"
#include "util/err.h"

struct vcache_entry {
	ldns_rdf *zone;	    /* owned; NULL: free slot */
	ldns_rr_list *keys; /* owned DNSKEY set; NULL: insecure */
	uint64_t expires_s; /* wall-clock second it stops being valid */
	uint64_t used;	    /* LRU tick */
};

struct validator_cache {
	pthread_mutex_t mu;
	struct vcache_entry e[VALIDATOR_CACHE_ZONES];
	uint64_t tick;
};

struct validator_anchors *
validator_anchors_new(void)
{
	struct validator_anchors *a = calloc(1, sizeof(*a));

	if (a != NULL && (a->rrs = ldns_rr_list_new()) == NULL) {
		free(a);
		a = NULL;
	}
	return a;
}

size_t
validator_anchors_count(const struct validator_anchors *a)
{
	return a == NULL ? 0 : ldns_rr_list_rr_count(a->rrs);
}

void
validator_anchors_free(struct validator_anchors *a)
{
	if (a == NULL)
		return;
	ldns_rr_list_deep_free(a->rrs);
	free(a);
}

/* One record of the text; *@rr NULL at the end or for a directive. */
static int
anchor_read_rr(FILE *fp, ldns_rr **rr, uint32_t *ttl, ldns_rdf **origin,
	       ldns_rdf **prev, int *line, char *why, size_t why_cap)
{
	ldns_status st = ldns_rr_new_frm_fp_l(rr, fp, ttl, origin, prev, line);

	if (st == LDNS_STATUS_SYNTAX_EMPTY || st == LDNS_STATUS_SYNTAX_TTL ||
	    st == LDNS_STATUS_SYNTAX_ORIGIN ||
	    st == LDNS_STATUS_SYNTAX_INCLUDE) {
		*rr = NULL;
		return VPC_OK;
	}
	if (st != LDNS_STATUS_OK) {
		snprintf(why, why_cap, "trust anchor does not parse: %s",
			 ldns_get_errorstr_by_id(st));
		return VPC_ECONFIG;
	}
	if (ldns_rr_get_type(*rr) != LDNS_RR_TYPE_DS &&
	    ldns_rr_get_type(*rr) != LDNS_RR_TYPE_DNSKEY) {
		ldns_rr_free(*rr);
		snprintf(why, why_cap, "trust anchor is neither DS nor DNSKEY");
		/* ldns counted the newline that ended the record. */
		if (*line > 1)
			(*line)--;
		return VPC_ECONFIG;
	}
	return VPC_OK;
}

int
validator_anchors_parse(struct validator_anchors *a, const char *text,
			size_t len, int *line, char *why, size_t why_cap)
{
	ldns_rdf *origin = NULL, *prev = NULL;
	size_t before = ldns_rr_list_rr_count(a->rrs);
	uint32_t ttl = 3600;
	int rc = VPC_OK, n = 1;
	FILE *fp;

	/* fmemopen() reads the caller's text: no file is opened here. */
	if (len == 0 || (fp = fmemopen((void *)text, len, "r")) == NULL) {
		if (len != 0)
			return VPC_ENOMEM;
		fp = NULL;
	}
	while (fp != NULL && !feof(fp)) {
		ldns_rr *rr = NULL;

		if ((rc = anchor_read_rr(fp, &rr, &ttl, &origin, &prev, &n, why,
					 why_cap)) != VPC_OK)
			break;
		if (rr != NULL && !ldns_rr_list_push_rr(a->rrs, rr)) {
			ldns_rr_free(rr);
			rc = VPC_ENOMEM;
			break;
		}
	}
	if (rc == VPC_OK && ldns_rr_list_rr_count(a->rrs) == before) {
		snprintf(why, why_cap, "no DS or DNSKEY record in the file");
		rc = VPC_ECONFIG;
	}
	*line = n;
	ldns_rdf_deep_free(origin);
	ldns_rdf_deep_free(prev);
	if (fp != NULL)
		fclose(fp);
	return rc;
}

struct validator_cache *
validator_cache_new(void)
{
	struct validator_cache *c = calloc(1, sizeof(*c));

	if (c != NULL && pthread_mutex_init(&c->mu, NULL) != 0) {
		free(c);
		c = NULL;
	}
	return c;
}

static void
entry_clear(struct vcache_entry *e)
{
	ldns_rdf_deep_free(e->zone);
	ldns_rr_list_deep_free(e->keys);
	memset(e, 0, sizeof(*e));
}

void
validator_cache_free(struct validator_cache *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < VALIDATOR_CACHE_ZONES; i++)
		entry_clear(&c->e[i]);
	pthread_mutex_destroy(&c->mu);
	free(c);
}

static struct vcache_entry *
find(struct validator_cache *c, const ldns_rdf *zone)
{
	for (size_t i = 0; i < VALIDATOR_CACHE_ZONES; i++)
		if (c->e[i].zone != NULL &&
		    ldns_dname_compare(c->e[i].zone, zone) == 0)
			return &c->e[i];
	return NULL;
}

bool
validator_cache_get(struct validator_cache *c, const ldns_rdf *zone,
		    uint64_t now_s, ldns_rr_list **keys)
{
	struct vcache_entry *e;
	bool found = false;

	if (c == NULL)
		return false;
	pthread_mutex_lock(&c->mu);
	if ((e = find(c, zone)) != NULL && e->expires_s <= now_s)
		entry_clear(e);
	else if (e != NULL) {
		*keys = e->keys != NULL ? ldns_rr_list_clone(e->keys) : NULL;
		/* A failed clone is a miss: the chain is fetched again. */
		found = e->keys == NULL || *keys != NULL;
		e->used = ++c->tick;
	}
	pthread_mutex_unlock(&c->mu);
	return found;
}

void
validator_cache_put(struct validator_cache *c, const ldns_rdf *zone,
		    const ldns_rr_list *keys, uint32_t ttl, uint64_t now_s)
{
	struct vcache_entry *e, *victim;
	ldns_rdf *z;
	ldns_rr_list *k = NULL;

	if (c == NULL || ttl == 0 || (z = ldns_rdf_clone(zone)) == NULL)
		return;
	if (keys != NULL && (k = ldns_rr_list_clone(keys)) == NULL) {
		ldns_rdf_deep_free(z);
		return;
	}
	pthread_mutex_lock(&c->mu);
	if ((victim = find(c, zone)) == NULL) {
		victim = &c->e[0];
		for (size_t i = 0; i < VALIDATOR_CACHE_ZONES; i++) {
			e = &c->e[i];
			if (e->zone == NULL || e->expires_s <= now_s) {
				victim = e;
				break;
			}
			if (e->used < victim->used)
				victim = e;
		}
	}
	entry_clear(victim);
	victim->zone = z;
	victim->keys = k;
	victim->expires_s =
	    now_s +
	    (ttl > VALIDATOR_CACHE_MAX_TTL ? VALIDATOR_CACHE_MAX_TTL : ttl);
	victim->used = ++c->tick;
	pthread_mutex_unlock(&c->mu);
}
