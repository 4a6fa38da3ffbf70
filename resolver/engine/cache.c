/*
 * resolver/engine/cache.c - cache of forwarded answers (hash table + LRU list).
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Each item is one allocation holding the TTL offsets of its wire form,
 * the key name, the normalized RRs and the wire form.  The table doubles
 * when it holds more items than buckets.
 */
#include "config.h"

#include "engine/cache.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
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
	bool prefetching;               /* cache_prefetch_due() said yes */
	const uint8_t *name;            /* the key name, in the allocation */
	struct cache_entry entry;
	uint16_t ttl_off[];             /* then the name, RRs and wire */
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

void
cache_options_conf(const struct conf *cf, struct cache_options *o)
{
	*o = (struct cache_options){
	    .max_entries = cf->cache_max_entries,
	    .max_ttl = cf->cache_max_ttl,
	    .max_bytes = cf->cache_max_bytes,
	    .stale_answer_ttl = cf->cache_serve_stale
				    ? cf->cache_stale_answer_ttl
				    : 0,
	    .max_stale_ttl = cf->cache_max_stale_ttl,
	    .prefetch = cf->cache_prefetch,
	};
}

struct cache *
cache_new_conf(const struct conf *cf)
{
	struct cache_options o;

	cache_options_conf(cf, &o);
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

uint32_t
cache_key_hash(const struct cache_key *k)
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
		    memcmp(it->name, k->lname, k->len) == 0)
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
	return sizeof(*it) + it->entry.n_ttl * sizeof(uint16_t) +
	       it->name_len + it->entry.rrs_len + it->entry.wire_len;
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
	uint32_t h = cache_key_hash(k);
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
	struct item **pp = find_slot(c, k, cache_key_hash(k));
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

/* Skips the (possibly compressed) name at @pos of our own response;
 * SIZE_MAX when it runs past @len. */
static size_t
skip_name(const uint8_t *m, size_t len, size_t pos)
{
	while (pos < len) {
		if (m[pos] >= 0xc0u)
			return pos + 2 <= len ? pos + 2 : SIZE_MAX;
		if (m[pos] == 0)
			return pos + 1;
		pos += 1 + (size_t)m[pos];
	}
	return SIZE_MAX;
}

/* Records where each RR's TTL sits in the response @m; false when the
 * response does not walk (it always should: the builder wrote it). */
static bool
find_ttls(const uint8_t *m, size_t len, size_t pos, uint16_t *off,
	  uint16_t n)
{
	for (uint16_t i = 0; i < n; i++) {
		pos = skip_name(m, len, pos);
		if (pos == SIZE_MAX || pos + 10 > len)
			return false;
		off[i] = (uint16_t)(pos + 4);
		pos += 10 + (size_t)wire_get_u16(m + pos + 8);
	}
	return pos == len;
}

/* Builds the response to a plain query for @k at @out (room for
 * @cap bytes) as the general path would; the TTLs' offsets go to @off.
 * Return: its length, or 0 when it does not build (it is then left out
 * and hits take the general path). */
static size_t
build_wire(const struct cache_key *k, const struct msg_reply *reply,
	   const uint8_t *rrs, uint8_t *out, size_t cap, uint16_t *off)
{
	struct msg_query q = {.has_question = true,
			      .qname_len = k->len,
			      .qtype = k->type,
			      .qclass = k->rclass};
	uint16_t n = (uint16_t)(reply->count[0] + reply->count[1] +
				reply->count[2]);
	struct msg_builder b;
	size_t len;

	memcpy(q.qname, k->lname, k->len);
	memcpy(q.qname_lower, k->lname, k->len);
	msg_begin(&b, &q, out, cap, cap);
	if (msg_add_normalized(&b, rrs, reply->rrs_len, reply->count, 0,
			       0) != VPC_OK ||
	    b.truncated || b.additional_full)
		return 0;
	len = msg_finish(&b, WIRE_FLAG_RA, reply->rcode);
	if (reply->rcode > 0xfu || len > MSG_TCP_MAX ||
	    !find_ttls(out, len, b.after_question, off, n))
		return 0;
	return len;
}

/* Whether the answer section holds a CNAME (fwchain.h inspects their
 * targets; a DNAME comes with its synthesized CNAME). */
static bool
answer_has_chain(const uint8_t *rrs, size_t len, uint16_t n)
{
	struct wire_reader r;
	uint8_t owner[WIRE_MAX_NAME_LEN];

	wire_reader_init(&r, rrs, len);
	for (uint16_t i = 0; i < n && r.err == VPC_OK; i++) {
		uint16_t type;

		wire_read_name(&r, owner);
		type = wire_read_u16(&r);
		wire_skip(&r, 6);
		wire_skip(&r, wire_read_u16(&r));
		if (type == WIRE_TYPE_CNAME)
			return true;
	}
	return r.err != VPC_OK; /* unreadable: let the general path look */
}

static struct item *
new_item(const struct cache_key *k, const struct msg_reply *reply,
	 const uint8_t *rrs, uint64_t now_ms, uint32_t ttl)
{
	uint16_t n = (uint16_t)(reply->count[0] + reply->count[1] +
				reply->count[2]);
	/* Compression only shrinks the RRs: header, question, RRs. */
	size_t wire_cap = WIRE_HEADER_LEN + k->len + 4 + reply->rrs_len;
	size_t head = sizeof(struct item) + n * sizeof(uint16_t);
	struct item *it = malloc(head + k->len + reply->rrs_len + wire_cap);
	uint8_t *p;

	if (it == NULL)
		return NULL;
	p = (uint8_t *)it + head;
	it->group = k->group;
	it->type = k->type;
	it->rclass = k->rclass;
	it->flags = k->flags;
	it->name_len = (uint8_t)k->len;
	it->prefetching = false;
	it->name = p;
	memcpy(p, k->lname, k->len);
	memcpy(p + k->len, rrs, reply->rrs_len);
	it->entry.stored_ms = now_ms;
	it->entry.expires_ms = now_ms + (uint64_t)ttl * 1000;
	it->entry.flags = reply->flags;
	it->entry.rcode = (uint16_t)reply->rcode;
	memcpy(it->entry.count, reply->count, sizeof(it->entry.count));
	it->entry.rrs_len = reply->rrs_len;
	it->entry.rrs = p + k->len;
	it->entry.wire = p + k->len + reply->rrs_len;
	it->entry.wire_len = build_wire(k, reply, rrs,
					p + k->len + reply->rrs_len, wire_cap,
					it->ttl_off);
	it->entry.ttl_off = it->ttl_off;
	it->entry.n_ttl = it->entry.wire_len > 0 ? n : 0;
	it->entry.has_chain =
	    answer_has_chain(rrs, reply->rrs_len, reply->count[0]);
	return it;
}

int
cache_insert(struct cache *c, const struct cache_key *k,
	     const struct msg_reply *reply, const uint8_t *rrs,
	     uint64_t now_ms)
{
	uint32_t ttl = cache_ttl(c, reply);
	uint32_t h = cache_key_hash(k);
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
cache_regroup(struct cache *c, const uint32_t *map, size_t n_map,
	      cache_keep_fn keep, void *arg)
{
	struct link *l, *next;

	/* The group is in the hash: every chain is rebuilt. */
	memset(c->buckets, 0, c->n_buckets * sizeof(*c->buckets));
	for (l = c->lru.next; l != &c->lru; l = next) {
		struct item *it = item_of(l);
		struct cache_key k = {.lname = it->name,
				      .len = it->name_len,
				      .type = it->type,
				      .rclass = it->rclass,
				      .flags = it->flags};
		uint32_t g = it->group < n_map ? map[it->group] : UINT32_MAX;

		next = l->next;
		if (g == UINT32_MAX ||
		    !keep(arg, it->group, g, it->name, it->name_len)) {
			lru_unlink(it);
			c->stats.bytes -= item_bytes(it);
			c->stats.entries--;
			free(it);
			continue;
		}
		it->group = k.group = g;
		it->hash = cache_key_hash(&k);
		it->hnext = c->buckets[it->hash & (c->n_buckets - 1)];
		c->buckets[it->hash & (c->n_buckets - 1)] = it;
	}
}

void
cache_set_options(struct cache *c, const struct cache_options *o)
{
	c->o = *o;
	while (c->stats.entries > 0 &&
	       (c->stats.entries > o->max_entries ||
		(o->max_bytes != 0 && c->stats.bytes > o->max_bytes)))
		evict_oldest(c);
}

size_t
cache_write_answer(const struct cache_entry *e, const struct msg_query *q,
		   uint64_t now_ms, uint8_t *out, size_t room)
{
	uint32_t age = (uint32_t)((now_ms - e->stored_ms) / 1000);
	size_t len = e->wire_len;
	struct wire_writer w;

	if (len == 0 || len + (q->edns ? MSG_OPT_LEN : 0) > room ||
	    skip_name(e->wire, len, WIRE_HEADER_LEN) !=
		WIRE_HEADER_LEN + q->qname_len)
		return 0;
	memcpy(out, e->wire, len);
	wire_writer_init(&w, out, room);
	w.len = len;
	wire_put_u16(&w, 0, q->id);
	wire_put_u16(&w, 2, (uint16_t)(wire_get_u16(e->wire + 2) |
				       (q->flags & (0x7800u | WIRE_FLAG_RD |
						    WIRE_FLAG_CD))));
	/* 0x20: the question as the client wrote it; compression pointers
	 * into it stay valid, the name has the same length. */
	memcpy(out + WIRE_HEADER_LEN, q->qname, q->qname_len);
	for (uint16_t i = 0; i < e->n_ttl; i++) {
		uint32_t ttl = wire_get_u32(e->wire + e->ttl_off[i]);

		w.len = e->ttl_off[i];
		wire_write_u32(&w, ttl > age ? ttl - age : 0);
	}
	w.len = len;
	if (q->edns) {
		wire_write_u8(&w, 0); /* root owner */
		wire_write_u16(&w, WIRE_TYPE_OPT);
		wire_write_u16(&w, MSG_EDNS_PAYLOAD);
		wire_write_u32(&w, q->edns_do ? 0x8000u : 0); /* RFC 3225 */
		wire_write_u16(&w, 0);
		wire_put_u16(&w, 10,
			     (uint16_t)(wire_get_u16(e->wire + 10) + 1));
		len = w.len;
	}
	return len;
}

bool
cache_prefetch_due(struct cache *c, const struct cache_entry *e,
		   uint64_t now_ms)
{
	struct item *it = (struct item *)(void *)((char *)(uintptr_t)e -
						  offsetof(struct item,
							   entry));
	uint64_t life = e->expires_ms - e->stored_ms;

	/* Unbound's PREFETCH_TTL_CALC: the last tenth of the lifetime. */
	if (!c->o.prefetch || it->prefetching ||
	    now_ms < e->expires_ms - life / 10)
		return false;
	it->prefetching = true;
	c->stats.prefetches++;
	return true;
}

void
cache_get_stats(const struct cache *c, struct cache_stats *out)
{
	*out = c->stats;
}
