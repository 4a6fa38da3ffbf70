/*
 * resolver/engine/metrics.c - Prometheus text exposition of the counters.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Metric names follow the Prometheus conventions (vpcdns_ prefix,
 * _total for counters, base units).
 */
#include "config.h"

#include "engine/metrics.h"

#include <stdbool.h>

#include "util/strbuf.h"

static const char *const source_names[METRICS_SOURCE_COUNT] = {
	"vpc", "inbound", "outside",
};

static const char *const rcode_names[METRICS_RCODES] = {
	"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED",
	"YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE", "DSOTYPENI",
	"RCODE12", "RCODE13", "RCODE14", "RCODE15", "BADVERS", "BADKEY",
	"BADTIME", "BADMODE", "BADNAME", "BADALG", "BADTRUNC", "OTHER",
};

static const struct {
	uint16_t type;
	const char *name;
} type_names[METRICS_TYPES] = {
	{1, "A"},     {28, "AAAA"}, {5, "CNAME"}, {15, "MX"},
	{16, "TXT"},  {12, "PTR"},  {33, "SRV"},  {2, "NS"},
	{6, "SOA"},   {255, "ANY"}, {65, "HTTPS"}, {0, "other"},
};

static const unsigned latency_bounds_ms[METRICS_LATENCY_BUCKETS] = {
	1, 2, 5, 10, 25, 50, 100, 250, 1000, 5000,
};

void
metrics_count_query(struct metrics *m, enum metrics_source src,
		    unsigned rcode, uint16_t qtype)
{
	size_t t = METRICS_TYPES - 1;

	metrics_bump(
		&m->queries[src][rcode < METRICS_RCODES ? rcode : METRICS_RCODES - 1],
		1);
	for (size_t i = 0; i + 1 < METRICS_TYPES; i++)
		if (type_names[i].type == qtype)
			t = i;
	metrics_bump(&m->qtypes[t], 1);
}

void
metrics_add(struct metrics *sum, const struct metrics *m)
{
	uint64_t *s = (uint64_t *)sum;
	const uint64_t *w = (const uint64_t *)m;

	_Static_assert(sizeof(struct metrics) % sizeof(uint64_t) == 0,
		       "struct metrics holds uint64_t only");
	for (size_t i = 0; i < METRICS_WORDS; i++)
		s[i] += __atomic_load_n(&w[i], __ATOMIC_RELAXED);
}

void
metrics_count_latency(struct metrics *m, uint64_t ms)
{
	for (size_t i = 0; i < METRICS_LATENCY_BUCKETS; i++)
		if (ms <= latency_bounds_ms[i]) {
			metrics_bump(&m->upstream_latency[i], 1);
			break;
		}
	metrics_bump(&m->upstream_latency_count, 1);
	metrics_bump(&m->upstream_latency_sum_ms, ms);
}

static void
counter(struct strbuf *o, const char *name, const char *help, uint64_t v)
{
	strbuf_printf(o, "# HELP %s %s\n# TYPE %s counter\n%s %llu\n", name,
		      help, name, name, (unsigned long long)v);
}

static void
gauge(struct strbuf *o, const char *name, const char *help, uint64_t v)
{
	strbuf_printf(o, "# HELP %s %s\n# TYPE %s gauge\n%s %llu\n", name, help,
		      name, name, (unsigned long long)v);
}

static void
render_queries(struct strbuf *o, const struct metrics *m)
{
	strbuf_printf(
	    o, "# HELP vpcdns_queries_total Answered queries by source and "
	       "rcode.\n# TYPE vpcdns_queries_total counter\n");
	for (int s = 0; s < METRICS_SOURCE_COUNT; s++)
		for (int r = 0; r < METRICS_RCODES; r++)
			if (m->queries[s][r] > 0)
				strbuf_printf(
				    o,
				    "vpcdns_queries_total{source=\"%s\","
				    "rcode=\"%s\"} %llu\n",
				    source_names[s], rcode_names[r],
				    (unsigned long long)m->queries[s][r]);
	strbuf_printf(
	    o, "# HELP vpcdns_query_types_total Answered queries by type.\n"
	       "# TYPE vpcdns_query_types_total counter\n");
	for (int t = 0; t < METRICS_TYPES; t++)
		strbuf_printf(o, "vpcdns_query_types_total{type=\"%s\"} %llu\n",
			      type_names[t].name,
			      (unsigned long long)m->qtypes[t]);
}

static void
render_latency(struct strbuf *o, const struct metrics *m)
{
	uint64_t cum = 0;

	strbuf_printf(
	    o, "# HELP vpcdns_upstream_latency_seconds Upstream round trips.\n"
	       "# TYPE vpcdns_upstream_latency_seconds histogram\n");
	for (int i = 0; i < METRICS_LATENCY_BUCKETS; i++) {
		cum += m->upstream_latency[i];
		strbuf_printf(
		    o,
		    "vpcdns_upstream_latency_seconds_bucket{le=\"%g\"} %llu\n",
		    latency_bounds_ms[i] / 1000.0, (unsigned long long)cum);
	}
	strbuf_printf(
	    o,
	    "vpcdns_upstream_latency_seconds_bucket{le=\"+Inf\"} %llu\n"
	    "vpcdns_upstream_latency_seconds_sum %.6f\n"
	    "vpcdns_upstream_latency_seconds_count %llu\n",
	    (unsigned long long)m->upstream_latency_count,
	    (double)m->upstream_latency_sum_ms / 1000.0,
	    (unsigned long long)m->upstream_latency_count);
}

size_t
metrics_render(const struct metrics *m, char *out, size_t cap)
{
	struct strbuf o;

	if (cap == 0)
		return 0;
	strbuf_fixed(&o, out, cap);
	render_queries(&o, m);
	counter(&o, "vpcdns_dropped_total", "Queries dropped unanswered.",
		m->dropped);
	counter(&o, "vpcdns_reply_failures_total",
		"Answers that could not be sent (connection gone, send error).",
		m->reply_failures);
	counter(&o, "vpcdns_cache_hits_total", "Answers from the cache.",
		m->cache_hits);
	counter(&o, "vpcdns_cache_misses_total", "Cache misses.",
		m->cache_misses);
	gauge(&o, "vpcdns_cache_entries", "Entries in the cache.",
	      m->cache_entries);
	counter(&o, "vpcdns_cache_prefetches_total",
		"Cache entries refreshed upstream as they neared expiry.",
		m->cache_prefetches);
	counter(&o, "vpcdns_upstream_coalesced_total",
		"Forwarded queries that waited for an identical one upstream.",
		m->upstream_coalesced);
	counter(&o, "vpcdns_upstream_queries_total", "Queries sent upstream.",
		m->upstream_queries);
	counter(&o, "vpcdns_upstream_failures_total",
		"Upstream queries that failed (SERVFAIL).",
		m->upstream_failures);
	gauge(&o, "vpcdns_upstream_inflight", "Upstream queries in flight.",
	      m->upstream_inflight);
	counter(&o, "vpcdns_upstream_rejected_total",
		"Queries refused upstream over the in-flight limit.",
		m->upstream_rejected);
	render_latency(&o, m);
	counter(&o, "vpcdns_tcp_rejected_total",
		"TCP connections refused at the limit (all busy).",
		m->tcp_rejected);
	counter(&o, "vpcdns_tcp_evicted_total",
		"Quiet TCP connections closed to admit a new one at the limit.",
		m->tcp_evicted);
	counter(&o, "vpcdns_aws_limit_dropped_total",
		"Queries dropped by simulate-aws-limits (per client address).",
		m->aws_limited);
	counter(&o, "vpcdns_rrl_truncated_total",
		"Large answers to non-local sources sent truncated (RRL).",
		m->rrl_limited);
	counter(&o, "vpcdns_query_log_dropped_total",
		"Query log lines lost because the writer fell behind.",
		m->qlog_dropped);
	counter(&o, "vpcdns_reloads_total", "Successful reloads.", m->reloads);
	counter(&o, "vpcdns_upstream_loops_total",
		"Upstreams dropped because a loop probe came back.",
		m->upstream_loops);
	counter(&o, "vpcdns_reload_failures_total", "Rejected reloads.",
		m->reload_failures);
	return o.failed ? 0 : o.len;
}
