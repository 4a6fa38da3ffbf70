/*
 * resolver/engine/inflight.c - in-flight coalescing (hash table of keys,
 * each with a growing array of waiters).
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * An entry is one allocation with its key name; its waiter array starts
 * empty (most keys never get a second query) and doubles up to
 * INFLIGHT_MAX_WAITERS.  The bucket array doubles when it holds more
 * entries than buckets.
 */
#include "config.h"

#include "engine/inflight.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "dns/wire.h"
#include "engine/cache.h"

struct inflight_entry {
	struct inflight_entry *next; /* hash chain */
	uint32_t hash;
	uint32_t group;
	uint16_t type, rclass;
	uint8_t flags;
	uint8_t name_len;
	void **waiters;
	size_t n, cap;
	uint8_t name[];
};

struct inflight {
	struct inflight_entry **buckets;
	size_t n_buckets;
	struct inflight_stats stats;
};

#define INFLIGHT_INITIAL_BUCKETS 256

struct inflight *
inflight_new(void)
{
	struct inflight *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return NULL;
	t->buckets = calloc(INFLIGHT_INITIAL_BUCKETS, sizeof(*t->buckets));
	if (t->buckets == NULL) {
		free(t);
		return NULL;
	}
	t->n_buckets = INFLIGHT_INITIAL_BUCKETS;
	return t;
}

static void
entry_free(struct inflight_entry *e)
{
	free(e->waiters);
	free(e);
}

void
inflight_free(struct inflight *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < t->n_buckets; i++)
		for (struct inflight_entry *e = t->buckets[i], *next; e != NULL;
		     e = next) {
			next = e->next;
			entry_free(e);
		}
	free(t->buckets);
	free(t);
}

static bool
same_key(const struct inflight_entry *e, const struct cache_key *k,
	 uint32_t h)
{
	return e->hash == h && e->type == k->type && e->rclass == k->rclass &&
	       e->flags == k->flags && e->group == k->group &&
	       e->name_len == k->len && memcmp(e->name, k->lname, k->len) == 0;
}

static void
grow(struct inflight *t)
{
	size_t nb = t->n_buckets * 2;
	struct inflight_entry **b = calloc(nb, sizeof(*b));

	if (b == NULL)
		return; /* the chains just get longer */
	for (size_t i = 0; i < t->n_buckets; i++)
		for (struct inflight_entry *e = t->buckets[i], *next; e != NULL;
		     e = next) {
			next = e->next;
			e->next = b[e->hash & (nb - 1)];
			b[e->hash & (nb - 1)] = e;
		}
	free(t->buckets);
	t->buckets = b;
	t->n_buckets = nb;
}

static struct inflight_entry *
lead(struct inflight *t, const struct cache_key *k, uint32_t h)
{
	struct inflight_entry *e = calloc(1, sizeof(*e) + k->len);
	struct inflight_entry **pp;

	if (e == NULL || k->len > WIRE_MAX_NAME_LEN) {
		free(e);
		return NULL;
	}
	e->hash = h;
	e->group = k->group;
	e->type = k->type;
	e->rclass = k->rclass;
	e->flags = k->flags;
	e->name_len = (uint8_t)k->len;
	memcpy(e->name, k->lname, k->len);
	if (t->stats.keys >= t->n_buckets)
		grow(t);
	pp = &t->buckets[h & (t->n_buckets - 1)];
	e->next = *pp;
	*pp = e;
	t->stats.keys++;
	t->stats.leaders++;
	return e;
}

/* Queues @waiter on @e; false when it is full or out of memory. */
static bool
wait_on(struct inflight_entry *e, void *waiter)
{
	if (e->n == e->cap) {
		size_t cap = e->cap == 0 ? 4 : e->cap * 2;
		void **w;

		if (e->cap >= INFLIGHT_MAX_WAITERS)
			return false;
		if (cap > INFLIGHT_MAX_WAITERS)
			cap = INFLIGHT_MAX_WAITERS;
		if ((w = realloc(e->waiters, cap * sizeof(*w))) == NULL)
			return false;
		e->waiters = w;
		e->cap = cap;
	}
	e->waiters[e->n++] = waiter;
	return true;
}

enum inflight_join
inflight_join(struct inflight *t, const struct cache_key *k, void *waiter,
	      struct inflight_entry **leader)
{
	uint32_t h = cache_key_hash(k);
	struct inflight_entry *e = t->buckets[h & (t->n_buckets - 1)];

	while (e != NULL && !same_key(e, k, h))
		e = e->next;
	if (e == NULL) {
		if ((e = lead(t, k, h)) == NULL) {
			t->stats.alone++;
			return INFLIGHT_ALONE;
		}
		*leader = e;
		return INFLIGHT_LEAD;
	}
	if (!wait_on(e, waiter)) {
		t->stats.alone++;
		return INFLIGHT_ALONE;
	}
	t->stats.coalesced++;
	t->stats.waiting++;
	return INFLIGHT_WAIT;
}

void
inflight_finish(struct inflight *t, struct inflight_entry *e,
		struct inflight_batch *out)
{
	struct inflight_entry **pp = &t->buckets[e->hash & (t->n_buckets - 1)];

	while (*pp != e)
		pp = &(*pp)->next;
	*pp = e->next;
	t->stats.keys--;
	t->stats.waiting -= e->n;
	out->waiters = e->waiters;
	out->n = e->n;
	e->waiters = NULL;
	entry_free(e);
}

void
inflight_batch_free(struct inflight_batch *b)
{
	if (b == NULL)
		return;
	free(b->waiters);
	b->waiters = NULL;
	b->n = 0;
}

void
inflight_get_stats(const struct inflight *t, struct inflight_stats *out)
{
	*out = t->stats;
}
