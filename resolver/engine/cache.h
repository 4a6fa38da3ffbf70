/*
 * resolver/engine/cache.h - cache of forwarded answers, with TTLs counted against
 * the caller's clock.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Entries hold normalized RRs (see msg.h) and the reply's RCODE and flags,
 * keyed by (forwarder group, lower-case name, type, class, DO, CD), and
 * the response built from them once at insert (header, lower-case
 * question, sections; no OPT) with the offsets of its TTLs, so that a hit
 * is a copy and a patch (cache_write_answer()); the normalized RRs serve
 * the answers that depend on more (a local CNAME chain in front, aliases,
 * DNS64, the firewall over an upstream chain, truncation, stale TTLs).
 * With prefetch, a hit in the last tenth of an entry's lifetime asks for
 * one refresh (cache_prefetch_due()).
 * Positive answers live for their lowest TTL, negative ones for the SOA's
 * RFC 2308 TTL, both capped by max-ttl.  When full (entries or bytes),
 * the least recently used entry goes.  With serve-stale (RFC 8767) an
 * expired entry is kept for max-stale-ttl more seconds, for
 * cache_lookup_stale() to answer with when every upstream fails.  Not
 * thread-safe: one loop thread owns a cache.
 * cache_lookup() returns a borrowed entry valid until the next
 * cache_insert() or cache_free().
 */
#ifndef RESOLVER_ENGINE_CACHE_H
#define RESOLVER_ENGINE_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct msg_query;
struct msg_reply;

struct cache_key {
	uint32_t group;        /* forwarder group the answer came from */
	const uint8_t *lname;  /* lower-case wire name, borrowed */
	size_t len;            /* its length */
	uint16_t type;         /* host order */
	uint16_t rclass;       /* host order */
	uint8_t flags;         /* CACHE_KEY_DO | CACHE_KEY_CD |
				  CACHE_KEY_VALIDATED */
};

#define CACHE_KEY_DO 0x1u
#define CACHE_KEY_CD 0x2u
/* Validated for a VPC with dnssec-validation (engine/validator.h): such
 * VPCs never see an answer that was not validated. */
#define CACHE_KEY_VALIDATED 0x4u

struct cache_entry {
	uint64_t stored_ms;    /* when it was stored (caller's clock) */
	uint64_t expires_ms;   /* stored_ms + lifetime */
	uint16_t flags;        /* reply header flags (AD is kept) */
	uint16_t rcode;        /* reply RCODE */
	uint16_t count[3];     /* normalized RRs per section */
	size_t rrs_len;        /* bytes at rrs */
	const uint8_t *rrs;    /* normalized RRs */
	const uint8_t *wire;   /* the response to a plain query: ID 0, QR,
				  RA and the RCODE set, the question in lower
				  case, no OPT */
	size_t wire_len;       /* bytes at wire; 0: the RRs did not build
				  into one (the general path answers) */
	const uint16_t *ttl_off; /* offsets of every RR's TTL in wire */
	uint16_t n_ttl;        /* how many */
	bool has_chain;        /* the answer holds a CNAME (the
				  firewall may inspect its targets) */
};

struct cache_stats {
	uint64_t hits;
	uint64_t misses;
	uint64_t inserts;
	uint64_t evictions;
	uint64_t stale_served; /* cache_lookup_stale() successes */
	uint64_t prefetches;   /* cache_prefetch_due() said yes */
	size_t entries;
	size_t bytes;          /* memory the entries take, headers included */
};

/* How a cache is bounded and whether it serves stale answers. */
struct cache_options {
	uint32_t max_entries;      /* 0: store nothing */
	uint32_t max_ttl;          /* seconds, caps every lifetime */
	uint64_t max_bytes;        /* 0: no bound in bytes */
	uint32_t stale_answer_ttl; /* RFC 8767 §4 TTL of a stale answer; 0:
				      serve-stale off */
	uint32_t max_stale_ttl;    /* seconds an expired entry is kept */
	bool prefetch;             /* refresh entries hit near expiry */
};

struct cache;
struct conf;

/**
 * cache_new() - create a cache.
 * @max_entries: [in] capacity; 0 makes every insert a no-op.
 * @max_ttl:     [in] upper bound of any lifetime, seconds.
 * Return: the cache (owned) or NULL when out of memory.
 */
struct cache *cache_new(uint32_t max_entries, uint32_t max_ttl);

/** cache_new_options() - cache_new() with every bound of @o. */
struct cache *cache_new_options(const struct cache_options *o);

/** cache_new_conf() - the cache @cf's `cache:` mapping describes. */
struct cache *cache_new_conf(const struct conf *cf);

/** cache_free() - release the cache; NULL is a no-op. */
void cache_free(struct cache *c);

/**
 * cache_lookup() - find a live entry; an expired one is removed.
 * @now_ms: [in] monotonic milliseconds.
 * Return: borrowed entry or NULL.
 */
const struct cache_entry *cache_lookup(struct cache *c,
				       const struct cache_key *k,
				       uint64_t now_ms);

/**
 * cache_lookup_stale() - an expired entry still inside the stale window
 * (RFC 8767), for an answer when every upstream failed; NULL when
 * serve-stale is off, the entry is live or gone.  Borrowed as for
 * cache_lookup().
 */
const struct cache_entry *cache_lookup_stale(struct cache *c,
					     const struct cache_key *k,
					     uint64_t now_ms);

/** cache_stale_ttl() - the TTL of stale answers; 0: serve-stale off. */
uint32_t cache_stale_ttl(const struct cache *c);

/**
 * cache_ttl() - lifetime in seconds the cache would give @reply: its
 * lowest TTL for an answer, the SOA's RFC 2308 TTL for NXDOMAIN/NODATA,
 * 0 (do not cache) for SERVFAIL and other failures and for negative
 * answers without an SOA; capped by max-ttl.
 */
uint32_t cache_ttl(const struct cache *c, const struct msg_reply *reply);

/**
 * cache_insert() - store @reply (its @rrs are copied) under @k for
 * cache_ttl() seconds; replaces an entry with the same key.  A lifetime
 * of 0 stores nothing.
 * Return: VPC_OK or VPC_ENOMEM (the cache is unchanged).
 */
int cache_insert(struct cache *c, const struct cache_key *k,
		 const struct msg_reply *reply, const uint8_t *rrs,
		 uint64_t now_ms);

/**
 * cache_write_answer() - the response to @q from @e by copy and patch:
 * @q's ID, opcode, RD and CD, its question's case, every TTL less the
 * entry's age in whole seconds (never below 0), and an OPT RR (payload
 * MSG_EDNS_PAYLOAD, DO echoed) when @q has EDNS.  Byte for byte what the
 * general path (msg_begin(), msg_add_normalized(), msg_finish() with RA)
 * builds when everything fits.
 * @e:      [in] a live entry whose key is @q's question (same name in any
 *          case, type, class).
 * @q:      [in] the client's query.
 * @now_ms: [in] monotonic milliseconds.
 * @out:    [out] response buffer.
 * @room:   [in] min(bytes at @out, the response size limit).
 * Return: the length, or 0 when the entry has no wire form or the
 * response does not fit @room (the caller then takes the general path,
 * which truncates).
 */
size_t cache_write_answer(const struct cache_entry *e,
			  const struct msg_query *q, uint64_t now_ms,
			  uint8_t *out, size_t room);

/**
 * cache_prefetch_due() - whether a hit on @e at @now_ms should refresh it
 * upstream (Unbound's `prefetch: yes`): prefetch is on, the entry is in
 * the last tenth of its lifetime and no refresh was asked for it yet.
 * Marks @e so that it is asked once; the refresh's cache_insert()
 * replaces it.
 * @e: [in] an entry cache_lookup() on @c just returned.
 */
bool cache_prefetch_due(struct cache *c, const struct cache_entry *e,
			uint64_t now_ms);

/**
 * cache_keep_fn - whether an entry carried over a reload stays (see
 * cache_regroup()).
 * @old_group, @new_group: [in] its forwarder group before and after.
 * @lname, @len: [in] its lower-case wire name.
 */
typedef bool (*cache_keep_fn)(void *arg, uint32_t old_group,
			      uint32_t new_group, const uint8_t *lname,
			      size_t len);

/**
 * cache_regroup() - renumber every entry's forwarder group g to
 * @map[g] and keep it when @keep says so; entries with g >= @n_map or
 * @map[g] == UINT32_MAX are dropped without asking.  For a reload
 * (engine/carry.h); not counted as evictions.
 */
void cache_regroup(struct cache *c, const uint32_t *map, size_t n_map,
		   cache_keep_fn keep, void *arg);

/**
 * cache_set_options() - bound @c by @o from now on (a reload's new
 * `cache:` settings): the least recently used entries go until it fits.
 */
void cache_set_options(struct cache *c, const struct cache_options *o);

/**
 * cache_options_conf() - the options @cf's `cache:` mapping describes.
 */
void cache_options_conf(const struct conf *cf, struct cache_options *o);

/** cache_key_hash() - the hash of @k the cache's table uses. */
uint32_t cache_key_hash(const struct cache_key *k);

/** cache_get_stats() - counters since cache_new(). */
void cache_get_stats(const struct cache *c, struct cache_stats *out);

#endif /* RESOLVER_ENGINE_CACHE_H */
