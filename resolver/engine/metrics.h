/*
 * resolver/engine/metrics.h - counters and their Prometheus text exposition.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * struct metrics is plain counters that one thread (a worker's loop)
 * increments with metrics_bump(); another thread may read them with
 * metrics_add() at any time, so both sides use relaxed atomic accesses
 * (a plain load and store on the machines we run on: no locked
 * instruction, no lock).  metrics_render() writes them in the Prometheus
 * text format (version 0.0.4).  Pure: the edges serve the text over HTTP.
 */
#ifndef RESOLVER_ENGINE_METRICS_H
#define RESOLVER_ENGINE_METRICS_H

#include <stddef.h>
#include <stdint.h>

enum metrics_source {
	METRICS_SOURCE_VPC,      /* a client inside a VPC */
	METRICS_SOURCE_INBOUND,  /* through an inbound resolver endpoint */
	METRICS_SOURCE_OUTSIDE,  /* any other client */
	METRICS_SOURCE_COUNT,
};

/* RCODEs counted one by one; larger ones count as the last. */
#define METRICS_RCODES 24
/* Query types counted one by one (see metrics.c); the rest as "other". */
#define METRICS_TYPES 12
/* Upper bounds (ms) of the upstream latency histogram buckets. */
#define METRICS_LATENCY_BUCKETS 10

struct metrics {
	uint64_t queries[METRICS_SOURCE_COUNT][METRICS_RCODES];
	uint64_t qtypes[METRICS_TYPES];
	uint64_t dropped;            /* queries not answered (malformed) */
	uint64_t reply_failures;     /* answers that could not be sent */
	uint64_t cache_hits;
	uint64_t cache_misses;
	uint64_t cache_entries;      /* gauge, set before rendering */
	uint64_t cache_prefetches;   /* refreshes asked near expiry */
	uint64_t upstream_coalesced; /* queries that waited for an
					identical one (engine/inflight.h) */
	uint64_t upstream_queries;
	uint64_t upstream_failures;  /* timeouts and errors (SERVFAIL) */
	uint64_t upstream_latency[METRICS_LATENCY_BUCKETS]; /* cumulative
					counts are computed when rendering */
	uint64_t upstream_latency_count;
	uint64_t upstream_latency_sum_ms; /* rendered in seconds */
	uint64_t upstream_inflight;  /* gauge */
	uint64_t upstream_rejected;  /* over the in-flight cap: SERVFAIL */
	uint64_t upstream_loops;     /* targets dropped: they led back */
	uint64_t tcp_rejected;       /* over the connection limit */
	uint64_t tcp_evicted;        /* quiet connections closed for new */
	uint64_t aws_limited;        /* dropped by simulate-aws-limits */
	uint64_t rrl_limited;        /* large answers sent truncated */
	uint64_t qlog_dropped;       /* query log lines lost (queue full) */
	uint64_t reloads;
	uint64_t reload_failures;
};

/** metrics_count_query() - count an answer of @rcode to a @qtype query. */
/* Every member of struct metrics is a uint64_t: metrics_add() sums them
 * as an array. */
#define METRICS_WORDS (sizeof(struct metrics) / sizeof(uint64_t))

/**
 * metrics_bump() - add @n to the counter @c, which only the calling
 * thread writes; readers on other threads see the old or the new value.
 */
static inline void
metrics_bump(uint64_t *c, uint64_t n)
{
	__atomic_store_n(c, __atomic_load_n(c, __ATOMIC_RELAXED) + n,
			 __ATOMIC_RELAXED);
}

/**
 * metrics_add() - add every counter of @m (another thread's, being
 * written) to @sum (the caller's own).
 */
void metrics_add(struct metrics *sum, const struct metrics *m);

void metrics_count_query(struct metrics *m, enum metrics_source src,
			 unsigned rcode, uint16_t qtype);

/** metrics_count_latency() - count one upstream round trip of @ms. */
void metrics_count_latency(struct metrics *m, uint64_t ms);

/**
 * metrics_render() - the Prometheus text of @m into @out.
 * Return: the length written (always NUL-terminated), or 0 when @cap is
 * too small.
 */
size_t metrics_render(const struct metrics *m, char *out, size_t cap);

#endif /* RESOLVER_ENGINE_METRICS_H */
