/*
 * resolver/engine/cache.c - cache of forwarded answers (hash table + LRU list).
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Each item is one allocation holding the key name and the normalized
 * RRs.  The table doubles when it holds more items than buckets.
 */
#include "config.h"

#include "engine/cache.h"

#include <stdlib.h>
#include <stdbool.h>
#include <string.h>

#include "conf/conf.h"
#include "util/err.h"
#include "dns/msg.h"
#include "dns/wire.h"
#include "engine/zone.h"

/* LRU list links; the list head is a bare link in struct cache. */
struct link {
	struct link *prev, *next;
};

struct item {
	struct link lru;                /* first: items are their links */
	struct item *hnext;             /* hash chain */
	uint32_t hash;
	uint32_t group;
	uint16_t type, rclass;
	uint8_t flags;
	uint8_t name_len;
	struct cache_entry entry;
	uint8_t data[];                 /* name, then RRs */
};

struct cache {
	struct item **buckets;
	size_t n_buckets;
	struct link lru;                /* sentinel, most recent first */
	struct cache_options o;
	struct cache_stats stats;
};

#define CACHE_INITIAL_BUCKETS 1024

struct cache *
cache_new(uint32_t max_entries, uint32_t max_ttl)
{
	struct cache_options o = {.max_entries = max_entries,
				  .max_ttl = max_ttl};

	return cache_new_options(&o);
}

struct cache *
cache_new_conf(const struct conf *cf)
{
	struct cache_options o = {
	    .max_entries = cf->cache_max_entries,
	    .max_ttl = cf->cache_max_ttl,
	    .max_bytes = cf->cache_max_bytes,
	    .stale_answer_ttl = cf->cache_serve_stale
				    ? cf->cache_stale_answer_ttl
				    : 0,
	    .max_stale_ttl = cf->cache_max_stale_ttl,
	};

	return cache_new_options(&o);
}

struct cache *
cache_new_options(const struct cache_options *o)
{
	struct cache *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return NULL;
	c->buckets = calloc(CACHE_INITIAL_BUCKETS, sizeof(*c->buckets));
	if (c->buckets == NULL) {
		free(c);
		return NULL;
	}
	c->n_buckets = CACHE_INITIAL_BUCKETS;
	c->lru.next = c->lru.prev = &c->lru;
	c->o = *o;
	return c;
}

static struct item *
item_of(struct link *l)
{
	return (struct item *)(void *)l;
}

void
cache_free(struct cache *c)
{
	struct link *l, *next;

	if (c == NULL)
		return;
	for (l = c->lru.next; l != &c->lru; l = next) {
		next = l->next;
		free(item_of(l));
	}
	free(c->buckets);
	free(c);
}

static uint32_t
key_hash(const struct cache_key *k)
{
	return zone_name_hash(k->lname, k->len) ^
	       ((uint32_t)k->type * 2654435761u) ^ (k->group * 40503u) ^
	       (uint32_t)k->flags << 29 ^ k->rclass;
}

static struct item **
find_slot(struct cache *c, const struct cache_key *k, uint32_t h)
{
	struct item **pp = &c->buckets[h & (c->n_buckets - 1)];

	for (; *pp != NULL; pp = &(*pp)->hnext) {
		struct item *it = *pp;

		if (it->hash == h && it->type == k->type &&
		    it->rclass == k->rclass && it->flags == k->flags &&
		    it->group == k->group && it->name_len == k->len &&
		    memcmp(it->data, k->lname, k->len) == 0)
			return pp;
	}
	return pp;
}

static void
lru_unlink(struct item *it)
{
	it->lru.prev->next = it->lru.next;
	it->lru.next->prev = it->lru.prev;
}

static void
lru_push_front(struct cache *c, struct item *it)
{
	it->lru.next = c->lru.next;
	it->lru.prev = &c->lru;
	c->lru.next->prev = &it->lru;
	c->lru.next = &it->lru;
}

static size_t
item_bytes(const struct item *it)
{
	return sizeof(*it) + it->name_len + it->entry.rrs_len;
}

/* Past its TTL and, with serve-stale, past the stale window too. */
static bool
gone(const struct cache *c, const struct item *it, uint64_t now_ms)
{
	uint64_t keep = c->o.stale_answer_ttl != 0
			    ? (uint64_t)c->o.max_stale_ttl * 1000
			    : 0;

	return it->entry.expires_ms + keep <= now_ms;
}

static void
remove_item(struct cache *c, struct item **pp)
{
	struct item *it = *pp;

	*pp = it->hnext;
	lru_unlink(it);
	c->stats.bytes -= item_bytes(it);
	free(it);
	c->stats.entries--;
}

const struct cache_entry *
cache_lookup(struct cache *c, const struct cache_key *k, uint64_t now_ms)
{
	uint32_t h = key_hash(k);
	struct item **pp = find_slot(c, k, h);
	struct item *it = *pp;

	if (it == NULL) {
		c->stats.misses++;
		return NULL;
	}
	if (it->entry.expires_ms <= now_ms) {
		if (gone(c, it, now_ms))
			remove_item(c, pp);
		c->stats.misses++;
		return NULL;
	}
	lru_unlink(it);
	lru_push_front(c, it);
	c->stats.hits++;
	return &it->entry;
}

const struct cache_entry *
cache_lookup_stale(struct cache *c, const struct cache_key *k,
		   uint64_t now_ms)
{
	struct item **pp = find_slot(c, k, key_hash(k));
	struct item *it = *pp;

	if (c->o.stale_answer_ttl == 0 || it == NULL ||
	    it->entry.expires_ms > now_ms)
		return NULL;
	if (gone(c, it, now_ms)) {
		remove_item(c, pp);
		return NULL;
	}
	c->stats.stale_served++;
	return &it->entry;
}

uint32_t
cache_stale_ttl(const struct cache *c)
{
	return c->o.stale_answer_ttl;
}

uint32_t
cache_ttl(const struct cache *c, const struct msg_reply *reply)
{
	uint32_t ttl;

	if (reply->rcode == WIRE_RCODE_NXDOMAIN ||
	    (reply->rcode == WIRE_RCODE_NOERROR &&
	     reply->count[MSG_ANSWER] == 0)) {
		/* RFC 2308 §5: negative answers without an SOA are not
		 * cached. */
		if (!reply->has_soa)
			return 0;
		ttl = reply->soa_ttl;
	} else if (reply->rcode == WIRE_RCODE_NOERROR) {
		ttl = reply->min_ttl;
	} else {
		return 0;
	}
	return ttl < c->o.max_ttl ? ttl : c->o.max_ttl;
}

static int
grow(struct cache *c)
{
	size_t nb = c->n_buckets * 2;
	struct item **b = calloc(nb, sizeof(*b));

	if (b == NULL)
		return VPC_ENOMEM;
	for (struct link *l = c->lru.next; l != &c->lru; l = l->next) {
		struct item *it = item_of(l);

		it->hnext = b[it->hash & (nb - 1)];
		b[it->hash & (nb - 1)] = it;
	}
	free(c->buckets);
	c->buckets = b;
	c->n_buckets = nb;
	return VPC_OK;
}

static void
evict_oldest(struct cache *c)
{
	struct item *old = item_of(c->lru.prev);
	struct item **pp = &c->buckets[old->hash & (c->n_buckets - 1)];

	while (*pp != old)
		pp = &(*pp)->hnext;
	remove_item(c, pp);
	c->stats.evictions++;
}

static struct item *
new_item(const struct cache_key *k, const struct msg_reply *reply,
	 const uint8_t *rrs, uint64_t now_ms, uint32_t ttl)
{
	struct item *it = malloc(sizeof(*it) + k->len + reply->rrs_len);

	if (it == NULL)
		return NULL;
	it->group = k->group;
	it->type = k->type;
	it->rclass = k->rclass;
	it->flags = k->flags;
	it->name_len = (uint8_t)k->len;
	memcpy(it->data, k->lname, k->len);
	memcpy(it->data + k->len, rrs, reply->rrs_len);
	it->entry.stored_ms = now_ms;
	it->entry.expires_ms = now_ms + (uint64_t)ttl * 1000;
	it->entry.flags = reply->flags;
	it->entry.rcode = (uint16_t)reply->rcode;
	memcpy(it->entry.count, reply->count, sizeof(it->entry.count));
	it->entry.rrs_len = reply->rrs_len;
	it->entry.rrs = it->data + k->len;
	return it;
}

int
cache_insert(struct cache *c, const struct cache_key *k,
	     const struct msg_reply *reply, const uint8_t *rrs,
	     uint64_t now_ms)
{
	uint32_t ttl = cache_ttl(c, reply);
	uint32_t h = key_hash(k);
	struct item **pp, *it;

	if (ttl == 0 || c->o.max_entries == 0)
		return VPC_OK;
	if ((it = new_item(k, reply, rrs, now_ms, ttl)) == NULL)
		return VPC_ENOMEM;
	it->hash = h;
	pp = find_slot(c, k, h);
	if (*pp != NULL)
		remove_item(c, pp);
	else if (c->stats.entries >= c->o.max_entries)
		evict_oldest(c);
	/* The byte bound: older entries go until the new one fits; one
	 * larger than the whole bound is not stored. */
	if (c->o.max_bytes != 0 && item_bytes(it) > c->o.max_bytes) {
		free(it);
		return VPC_OK;
	}
	while (c->o.max_bytes != 0 && c->stats.entries > 0 &&
	       c->stats.bytes + item_bytes(it) > c->o.max_bytes)
		evict_oldest(c);
	if (c->stats.entries >= c->n_buckets)
		grow(c); /* on failure the chains just get longer */
	pp = &c->buckets[h & (c->n_buckets - 1)];
	it->hnext = *pp;
	*pp = it;
	lru_push_front(c, it);
	c->stats.entries++;
	c->stats.bytes += item_bytes(it);
	c->stats.inserts++;
	return VPC_OK;
}

void
cache_get_stats(const struct cache *c, struct cache_stats *out)
{
	*out = c->stats;
}
