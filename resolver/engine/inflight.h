/*
 * resolver/engine/inflight.h - in-flight coalescing: one upstream query
 * for many identical client queries.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * A table keyed as the cache is (struct cache_key: forwarder group,
 * lower-case name, type, class, DO/CD).  The first forwarded query of a
 * key leads: the caller sends it upstream.  Identical queries that come
 * while it is upstream wait on it instead of being sent; when the
 * leader's outcome arrives the caller takes the waiters
 * (inflight_finish()) and answers each with its own job
 * (answer_waiter() in answer.h: its own ID, question case, EDNS and size
 * limit; SERVFAIL or a stale answer when the upstream failed).  A key
 * holds at most INFLIGHT_MAX_WAITERS waiters; a query beyond that is
 * sent upstream on its own, as without coalescing, so the bound costs
 * upstream queries and never an answer.  Waiters are the caller's
 * opaque pointers, never dereferenced here.  Not thread-safe: one loop
 * thread owns a table.
 */
#ifndef RESOLVER_ENGINE_INFLIGHT_H
#define RESOLVER_ENGINE_INFLIGHT_H

#include <stddef.h>
#include <stdint.h>

struct cache_key;
struct inflight;
struct inflight_entry;

/* Waiters per key: about 6 KiB each in the daemon (the client's job and
 * request), so a key holds at most ~6 MiB; a thousand identical queries
 * inside one upstream round trip is already an extraordinary burst. */
#define INFLIGHT_MAX_WAITERS 1024

enum inflight_join {
	INFLIGHT_LEAD,  /* none in flight: send it, inflight_finish() after */
	INFLIGHT_WAIT,  /* queued behind the leader: send nothing */
	INFLIGHT_ALONE, /* the key is full (or no memory): send it upstream
			   on its own and do not call inflight_finish() */
};

struct inflight_stats {
	uint64_t leaders;   /* INFLIGHT_LEAD answers */
	uint64_t coalesced; /* INFLIGHT_WAIT answers */
	uint64_t alone;     /* INFLIGHT_ALONE answers */
	size_t keys;        /* keys in flight now */
	size_t waiting;     /* waiters now */
};

/* The waiters of a finished key, in the order they joined; owned by the
 * caller until inflight_batch_free(). */
struct inflight_batch {
	void **waiters;
	size_t n;
};

/** inflight_new() - an empty table (owned), or NULL when out of memory. */
struct inflight *inflight_new(void);

/**
 * inflight_free() - release @t and every entry; the waiters are the
 * caller's and are not touched.  NULL is a no-op.
 */
void inflight_free(struct inflight *t);

/**
 * inflight_join() - a forwarded query of @k.
 * @k:      [in] its cache key (copied).
 * @waiter: [in] the caller's handle of this query, kept on WAIT.
 * @lead:   [out] on INFLIGHT_LEAD, the entry to give inflight_finish().
 * Return: enum inflight_join.
 */
enum inflight_join inflight_join(struct inflight *t, const struct cache_key *k,
				 void *waiter, struct inflight_entry **lead);

/**
 * inflight_finish() - the leader's upstream outcome arrived: remove
 * @e (the next query of its key leads again) and hand its waiters to
 * @out (the entry's array moves, nothing is allocated).  The caller may
 * join keys, this one included, while it answers them.
 */
void inflight_finish(struct inflight *t, struct inflight_entry *e,
		     struct inflight_batch *out);

/** inflight_batch_free() - release @b's array; NULL-safe. */
void inflight_batch_free(struct inflight_batch *b);

/** inflight_get_stats() - counters since inflight_new(). */
void inflight_get_stats(const struct inflight *t, struct inflight_stats *out);

#endif /* RESOLVER_ENGINE_INFLIGHT_H */
