/*
 * resolver/engine/answer.h - the consume/produce engine: query bytes in, response
 * bytes or an upstream request out.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * answer_query() answers from the view's zones or the cache, or asks the
 * caller to forward (ANSWER_FORWARD) with the upstream query in the job.
 * The caller does the I/O and hands the upstream reply (or a failure) to
 * answer_upstream(), which caches it and produces the client response.
 * No I/O, no clock, no randomness here: time comes in as @now_ms.  The
 * job is caller-owned; between the two calls it borrows the view, which
 * must stay alive (the caller holds a reference to its data set).
 */
#ifndef RESOLVER_ENGINE_ANSWER_H
#define RESOLVER_ENGINE_ANSWER_H

#include <sys/socket.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dns/msg.h"

struct cache;
struct cache_key;
struct conf_fw_rule;
struct policy_rr;
struct validator;
struct view;
struct view_rule;
struct zone;
struct view_set;

/* RFC 1034 §3.6.2 leaves the limit open; BIND and Unbound use 8-16. */
#define ANSWER_MAX_CNAME_HOPS 8
/* Room for the local CNAMEs of a chain that leaves local data. */
#define ANSWER_CHAIN_BYTES                                                    \
	(ANSWER_MAX_CNAME_HOPS * (2 * WIRE_MAX_NAME_LEN + 10))
/* Upstream query: header, question, OPT. */
#define ANSWER_QUERY_MAX (WIRE_HEADER_LEN + WIRE_MAX_NAME_LEN + 4 + MSG_OPT_LEN)

enum answer_action {
	ANSWER_REPLY,   /* the response is in the output buffer */
	ANSWER_FORWARD, /* send job->query upstream, then answer_upstream() */
	ANSWER_DROP,    /* send nothing */
};

/* Where a query came from. */
struct answer_src {
	const struct sockaddr *addr; /* client address, borrowed */
	size_t inbound;              /* VPC index of an inbound listener or
					VIEW_NOT_INBOUND */
	bool tcp;                    /* arrived over TCP */
	uint64_t random;             /* random bits the edge draws per
					query, for routing policies; tests
					give fixed values */
	bool delegation;             /* through an INBOUND_DELEGATION
					endpoint: local zones only */
	uint64_t wall_s;             /* wall-clock seconds since the epoch,
					for DNSSEC signature validity; 0
					(unknown) makes every validated
					answer SERVFAIL */
};

/* What decided an answer (vpcdns explain, the query log). */
struct answer_trace {
	const struct view *view;               /* the client's view */
	const struct conf_fw_rule *firewall;   /* matching firewall rule */
	uint8_t fw_name[WIRE_MAX_NAME_LEN];    /* the name of the chain it
						  matched, lower case */
	size_t fw_name_len;
	const struct view_rule *rule;          /* the deciding resolver rule */
	const struct zone *zone;               /* the deciding local zone */
	const struct policy_rr *policy;        /* the record set a routing
						  policy chose, NULL none */
	const char *policy_why;                /* why (static), NULL none */
	bool dns64;                            /* AAAA (or the PTR CNAME)
						  synthesized by DNS64 */
	const struct conf_fw_rule *fw_dns64;   /* a rule with qtype AAAA
						  passed over because the
						  AAAA was synthesized
						  (AWS: it does not apply to
						  DNS64), NULL none */
	const char *dnssec;                    /* validation verdict
						  ("secure", "insecure",
						  "bogus"), NULL: not
						  validated */
	char dnssec_why[96];                   /* why, with the verdict */
	unsigned dnssec_queries;               /* DS/DNSKEY sub-queries */
};

struct answer_job {
	struct msg_query q;          /* the client's query */
	struct answer_trace trace;   /* filled by answer_query() */
	const struct view *view;     /* borrowed; see the top comment */
	size_t limit;                /* size limit of the response */
	bool dns64;                  /* the client is in a DNS64 subnet */
	uint8_t dns64_step;          /* forwarded AAAA of a DNS64 client:
					1 asked AAAA, 2 asked A to
					synthesize from; 0 otherwise */
	uint32_t dns64_ttl;          /* step 2: cap of the synthesized TTLs
					(the AAAA NODATA's negative TTL) */
	bool fw_done;                /* the firewall inspects no more names
					of the chain (an OVERRIDE, or a rule
					with redirection: trust matched) */
	/* A DNS64 client's AAAA query (AWS: a rule with qtype AAAA does
	 * not apply to synthesized AAAA): rules with qtype AAAA are first
	 * passed over (fw_probe); if the answer is then not synthesized,
	 * the first one passed over applies where it matched. */
	bool fw_probe;
	const struct conf_fw_rule *fw_skip; /* first rule passed over */
	uint8_t fw_skip_name[WIRE_MAX_NAME_LEN]; /* the name it matched */
	size_t fw_skip_name_len;
	uint16_t fw_skip_count;      /* chain_count there */
	size_t fw_skip_len;          /* chain_len there */
	bool prefetch;               /* ANSWER_REPLY from a cache entry near
					expiry (cache_prefetch_due()): the
					caller should also send job->query to
					fwd_group and give the reply to
					answer_upstream(), which refreshes
					the entry (its response goes to
					nobody) */
	/* Valid after ANSWER_FORWARD: */
	bool validate;               /* the answer is DNSSEC-validated: the
					view validates and the default
					upstreams answer (engine/validator.h) */
	uint64_t wall_s;             /* answer_src.wall_s of the query */
	struct validator *vld;       /* owned while validation sub-queries
					run (answer_upstream() returned 0);
					NULL otherwise */
	uint8_t fwd_name[WIRE_MAX_NAME_LEN]; /* name asked upstream, lower */
	size_t fwd_name_len;
	uint32_t fwd_group;          /* forwarder group to use */
	uint16_t fwd_type;           /* type asked upstream: the query's,
					or A for DNS64 */
	uint16_t drop_type;          /* answer RR type to leave out, 0 none
					(view_drop_type()) */
	uint8_t query[ANSWER_QUERY_MAX]; /* upstream query, ID 0 */
	size_t query_len;
	uint64_t random;             /* answer_src.random of the query */
	uint8_t alias_owner[WIRE_MAX_NAME_LEN]; /* ANSWER_FORWARD of an
					alias target: the alias's name, under
					which the reply's records answer */
	size_t alias_owner_len;      /* 0: not an alias */
	uint16_t chain_count;        /* local CNAME RRs leading to fwd_name */
	size_t chain_len;            /* bytes at chain (normalized RRs) */
	uint8_t chain[ANSWER_CHAIN_BYTES];
};

/**
 * answer_query() - answer one client query.
 * @job:     [out] per-query state, caller-owned.
 * @vs:      [in] the views of the current data set.
 * @cache:   [in,out] answer cache, or NULL for none.
 * @src:     [in] where the query came from.
 * @buf:     [in] the query; not retained.
 * @len:     [in] its length.
 * @now_ms:  [in] monotonic milliseconds.
 * @out:     [out] response buffer (at least MSG_UDP_MAX bytes; TCP
 *           callers give MSG_TCP_MAX).
 * @cap:     [in] bytes at @out.
 * @out_len: [out] response length when ANSWER_REPLY.
 * Return: what the caller must do next.
 */
enum answer_action answer_query(struct answer_job *job,
				const struct view_set *vs,
				struct cache *cache,
				const struct answer_src *src,
				const uint8_t *buf, size_t len,
				uint64_t now_ms, uint8_t *out, size_t cap,
				size_t *out_len);

/**
 * answer_query_view() - the general path of answer_query() for a query of
 * view @v from a client without DNS64, not through an
 * INBOUND_DELEGATION listener, over TCP (no size limit below
 * MSG_TCP_MAX), without a cache and never from the fast path: what
 * engine/fastpath.c precomputes its answers with.  Parameters and return
 * as answer_query(); @v is borrowed as job->view.
 */
enum answer_action answer_query_view(struct answer_job *job,
				     const struct view *v, const uint8_t *buf,
				     size_t len, uint8_t *out, size_t cap,
				     size_t *out_len);

/**
 * answer_upstream() - finish a forwarded query.
 * @job:    [in] the job answer_query() returned ANSWER_FORWARD for.
 * @cache:  [in,out] answer cache, or NULL.
 * @status: [in] VPC_OK when @reply holds the upstream reply; any error
 *          (VPC_ETIMEOUT, VPC_EUPSTREAM, ...) gives SERVFAIL.
 * @reply, @reply_len: [in] the reply (ignored unless VPC_OK); not kept.
 * @now_ms: [in] monotonic milliseconds.
 * @out, @cap: [out] response buffer as for answer_query().
 * Return: the response length (> 0 for a sane @cap); 0 when the
 * answer needs another upstream query (DNS64: the A after an AAAA
 * NODATA, engine/dns64.h; DNSSEC validation: a DS or DNSKEY query,
 * engine/validator.h), which is then in job->query: send it to the
 * same group and call answer_upstream() again with its reply (or the
 * failure).  Every 0 must be followed by such a call, which releases
 * what the job holds; at most VALIDATOR_MAX_QUERIES + 1 follow.
 */
size_t answer_upstream(struct answer_job *job, struct cache *cache,
		       int status, const uint8_t *reply, size_t reply_len,
		       uint64_t now_ms, uint8_t *out, size_t cap);

/**
 * answer_key() - the cache key of @job's upstream question (valid after
 * ANSWER_FORWARD or a prefetch): what in-flight coalescing
 * (engine/inflight.h) matches identical queries by.  @k->lname borrows
 * @job.
 */
void answer_key(const struct answer_job *job, struct cache_key *k);

/**
 * answer_waiter() - finish a forwarded query that waited for an
 * identical one (engine/inflight.h) with that one's upstream outcome:
 * as answer_upstream(), from the cache entry the leader's
 * answer_upstream() stored when there is one, and without storing the
 * reply again.  Call it after the leader's answer_upstream().
 * Return: as answer_upstream().
 */
size_t answer_waiter(struct answer_job *job, struct cache *cache, int status,
		     const uint8_t *reply, size_t reply_len, uint64_t now_ms,
		     uint8_t *out, size_t cap);

/**
 * answer_explain() - describe what decided @job's answer, one line:
 * "view=vpc-1 firewall=- rule=- zone=corp.internal. forward=-" (the
 * `vpcdns explain` command and the daemon's debug log print it).
 * Return: @out.
 */
const char *answer_explain(const struct answer_job *job,
			   enum answer_action act, char *out, size_t cap);

#endif /* RESOLVER_ENGINE_ANSWER_H */
