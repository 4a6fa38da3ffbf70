/*
 * tests/unit/check_cache.c - unit tests of the answer cache (cache_).
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Replies are struct msg_reply summaries built by hand with a few bytes
 * of "normalized RRs"; the cache only stores and returns them, so their
 * content just has to be recognisable.  Time is the caller's millisecond
 * clock, passed in.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "engine/cache.h"
#include "check_util.h"
#include "util/err.h"
#include "dns/msg.h"
#include "dns/wire.h"

/* The name every key uses unless a test changes it. */
static uint8_t kname[WIRE_MAX_NAME_LEN];

static struct cache_key
key(const char *name, uint16_t type)
{
	struct cache_key k = {
	    .group = 0,
	    .lname = kname,
	    .len = tu_name(name, kname),
	    .type = type,
	    .rclass = WIRE_CLASS_IN,
	    .flags = 0,
	};

	return k;
}

/* A positive reply: @n answers, lowest TTL @ttl, @len bytes of RRs. */
static struct msg_reply
positive(uint32_t ttl, size_t len)
{
	struct msg_reply r = {
	    .flags = 0x8180,
	    .rcode = WIRE_RCODE_NOERROR,
	    .count = {1, 0, 0},
	    .rrs_len = len,
	    .min_ttl = ttl,
	};

	return r;
}

/* A negative reply with @rcode, with an SOA of RFC 2308 TTL @soa_ttl or
 * without one when @soa_ttl is 0. */
static struct msg_reply
negative(unsigned rcode, uint32_t soa_ttl)
{
	struct msg_reply r = {
	    .flags = (uint16_t)(0x8180 | rcode),
	    .rcode = rcode,
	    .count = {0, soa_ttl ? 1 : 0, 0},
	    .rrs_len = 0,
	    .min_ttl = soa_ttl ? 3600 : MSG_TTL_MAX,
	    .has_soa = soa_ttl != 0,
	    .soa_ttl = soa_ttl,
	};

	return r;
}

/* Recognisable RR bytes: @len copies of @c. */
static const uint8_t *
bytes(uint8_t *buf, uint8_t c, size_t len)
{
	memset(buf, c, len);
	return buf;
}

/* ---- lookup and insert ------------------------------------------------- */

START_TEST(test_miss_hit)
{
	struct cache *c = cache_new(10, 86400);
	struct cache_key k = key("www.example.com", WIRE_TYPE_A);
	struct msg_reply r = positive(300, 16);
	const struct cache_entry *e;
	uint8_t rrs[16];

	ck_assert_ptr_nonnull(c);
	ck_assert_ptr_null(cache_lookup(c, &k, 0));
	ck_assert_int_eq(cache_insert(c, &k, &r, bytes(rrs, 0xaa, 16), 5000),
			 VPC_OK);
	/* The RRs were copied. */
	memset(rrs, 0, sizeof(rrs));
	e = cache_lookup(c, &k, 5000);
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->stored_ms, 5000);
	ck_assert_uint_eq(e->expires_ms, 5000 + 300 * 1000);
	ck_assert_uint_eq(e->flags, 0x8180);
	ck_assert_uint_eq(e->rcode, WIRE_RCODE_NOERROR);
	ck_assert_uint_eq(e->count[0], 1);
	ck_assert_uint_eq(e->count[1], 0);
	ck_assert_uint_eq(e->count[2], 0);
	ck_assert_uint_eq(e->rrs_len, 16);
	ck_assert_mem_eq(e->rrs, bytes(rrs, 0xaa, 16), 16);
	cache_free(c);
	cache_free(NULL);
}
END_TEST

START_TEST(test_expiry)
{
	struct cache *c = cache_new(10, 86400);
	struct cache_key k = key("www.example.com", WIRE_TYPE_A);
	struct msg_reply r = positive(300, 4);
	struct cache_stats st;
	uint8_t rrs[4];

	ck_assert_int_eq(cache_insert(c, &k, &r, bytes(rrs, 1, 4), 1000),
			 VPC_OK);
	ck_assert_ptr_nonnull(cache_lookup(c, &k, 1000 + 300 * 1000 - 1));
	/* Dead at exactly stored + TTL. */
	ck_assert_ptr_null(cache_lookup(c, &k, 1000 + 300 * 1000));
	cache_get_stats(c, &st);
	ck_assert_uint_eq(st.entries, 0);
	/* And stays gone. */
	ck_assert_ptr_null(cache_lookup(c, &k, 1000));
	cache_free(c);
}
END_TEST

START_TEST(test_replace)
{
	struct cache *c = cache_new(10, 86400);
	struct cache_key k = key("www.example.com", WIRE_TYPE_A);
	struct msg_reply r1 = positive(300, 8), r2 = positive(60, 12);
	const struct cache_entry *e;
	struct cache_stats st;
	uint8_t b1[8], b2[12];

	ck_assert_int_eq(cache_insert(c, &k, &r1, bytes(b1, 1, 8), 0), VPC_OK);
	ck_assert_int_eq(cache_insert(c, &k, &r2, bytes(b2, 2, 12), 10),
			 VPC_OK);
	e = cache_lookup(c, &k, 20);
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->rrs_len, 12);
	ck_assert_mem_eq(e->rrs, b2, 12);
	ck_assert_uint_eq(e->stored_ms, 10);
	ck_assert_uint_eq(e->expires_ms, 10 + 60 * 1000);
	cache_get_stats(c, &st);
	ck_assert_uint_eq(st.entries, 1);
	ck_assert_uint_eq(st.inserts, 2);
	ck_assert_uint_eq(st.evictions, 0);
	cache_free(c);
}
END_TEST

START_TEST(test_key_fields)
{
	struct cache *c = cache_new(100, 86400);
	struct cache_key base = key("www.example.com", WIRE_TYPE_A), k;
	uint8_t other[WIRE_MAX_NAME_LEN], rrs[4];
	struct msg_reply r = positive(300, 4);
	const struct cache_entry *e;
	struct cache_key variants[6];
	size_t n = 0;

	ck_assert_int_eq(cache_insert(c, &base, &r, bytes(rrs, 0x10, 4), 0),
			 VPC_OK);
	k = base;
	k.type = WIRE_TYPE_AAAA;
	variants[n++] = k;
	k = base;
	k.rclass = 3;
	variants[n++] = k;
	k = base;
	k.flags = CACHE_KEY_DO;
	variants[n++] = k;
	k = base;
	k.flags = CACHE_KEY_CD;
	variants[n++] = k;
	k = base;
	k.group = 1;
	variants[n++] = k;
	k = base;
	k.len = tu_name("www.example.org", other);
	k.lname = other;
	variants[n++] = k;
	/* Each differs from the stored key in one field: a miss. */
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(cache_lookup(c, &variants[i], 1) == NULL,
			      "variant %zu hit", i);
	/* Stored separately, each gets its own entry back. */
	for (size_t i = 0; i < n; i++)
		ck_assert_int_eq(
		    cache_insert(c, &variants[i], &r,
				 bytes(rrs, (uint8_t)(0x20 + i), 4), 0),
		    VPC_OK);
	for (size_t i = 0; i < n; i++) {
		e = cache_lookup(c, &variants[i], 1);
		ck_assert_ptr_nonnull(e);
		ck_assert_mem_eq(e->rrs, bytes(rrs, (uint8_t)(0x20 + i), 4), 4);
	}
	e = cache_lookup(c, &base, 1);
	ck_assert_ptr_nonnull(e);
	ck_assert_mem_eq(e->rrs, bytes(rrs, 0x10, 4), 4);
	/* The key name is copied: the caller's buffer may change. */
	memset(other, 0, sizeof(other));
	k.len = tu_name("www.example.org", other);
	ck_assert_ptr_nonnull(cache_lookup(c, &k, 1));
	cache_free(c);
}
END_TEST

/* ---- LRU and capacity -------------------------------------------------- */

static struct cache_key
numbered(uint8_t *buf, int i)
{
	char name[64];
	struct cache_key k = {
	    .lname = buf,
	    .type = WIRE_TYPE_A,
	    .rclass = WIRE_CLASS_IN,
	};

	snprintf(name, sizeof(name), "h%d.example.com", i);
	k.len = tu_name(name, buf);
	return k;
}

START_TEST(test_lru_eviction)
{
	struct cache *c = cache_new(3, 86400);
	uint8_t names[5][WIRE_MAX_NAME_LEN], rrs[4];
	struct msg_reply r = positive(300, 4);
	struct cache_key k[5];
	struct cache_stats st;

	for (int i = 0; i < 5; i++)
		k[i] = numbered(names[i], i);
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(cache_insert(c, &k[i], &r,
					      bytes(rrs, (uint8_t)i, 4),
					      (uint64_t)i),
				 VPC_OK);
	/* Touch 0: now 1 is the least recently used. */
	ck_assert_ptr_nonnull(cache_lookup(c, &k[0], 10));
	ck_assert_int_eq(cache_insert(c, &k[3], &r, bytes(rrs, 3, 4), 11),
			 VPC_OK);
	cache_get_stats(c, &st);
	ck_assert_uint_eq(st.entries, 3);
	ck_assert_uint_eq(st.evictions, 1);
	ck_assert_ptr_null(cache_lookup(c, &k[1], 12));
	ck_assert_ptr_nonnull(cache_lookup(c, &k[0], 12));
	ck_assert_ptr_nonnull(cache_lookup(c, &k[2], 12));
	ck_assert_ptr_nonnull(cache_lookup(c, &k[3], 12));
	/* Replacing an entry in a full cache evicts nothing. */
	ck_assert_int_eq(cache_insert(c, &k[2], &r, bytes(rrs, 9, 4), 13),
			 VPC_OK);
	cache_get_stats(c, &st);
	ck_assert_uint_eq(st.evictions, 1);
	ck_assert_uint_eq(st.entries, 3);
	/* Now 0 is the oldest (3 and 2 were used later). */
	ck_assert_ptr_nonnull(cache_lookup(c, &k[3], 14));
	ck_assert_ptr_nonnull(cache_lookup(c, &k[2], 14));
	ck_assert_int_eq(cache_insert(c, &k[4], &r, bytes(rrs, 4, 4), 15),
			 VPC_OK);
	ck_assert_ptr_null(cache_lookup(c, &k[0], 16));
	ck_assert_ptr_nonnull(cache_lookup(c, &k[4], 16));
	cache_free(c);
}
END_TEST

START_TEST(test_eviction_churn)
{
	struct cache *c = cache_new(100, 86400);
	uint8_t name[WIRE_MAX_NAME_LEN], rrs[4];
	struct msg_reply r = positive(300, 4);
	struct cache_stats st;

	/* Ten times the capacity of unique names, positive and negative
	 * alike: the cache holds the last 100, and every insert beyond the
	 * capacity evicted exactly one entry. */
	for (int i = 0; i < 1000; i++) {
		struct cache_key k = numbered(name, i);
		struct msg_reply n = negative(WIRE_RCODE_NXDOMAIN, 60);

		ck_assert_int_eq(cache_insert(c, &k, i % 2 ? &r : &n,
					      bytes(rrs, (uint8_t)i, 4),
					      (uint64_t)i),
				 VPC_OK);
	}
	cache_get_stats(c, &st);
	ck_assert_uint_eq(st.entries, 100);
	ck_assert_uint_eq(st.inserts, 1000);
	ck_assert_uint_eq(st.evictions, 900);
	for (int i = 0; i < 1000; i++) {
		struct cache_key k = numbered(name, i);

		ck_assert((cache_lookup(c, &k, 1000) != NULL) == (i >= 900));
	}
	cache_free(c);
}
END_TEST

START_TEST(test_expired_frees_room)
{
	struct cache *c = cache_new(2, 86400);
	uint8_t names[3][WIRE_MAX_NAME_LEN], rrs[4];
	struct msg_reply shortlived = positive(1, 4), r = positive(300, 4);
	struct cache_key k[3];
	struct cache_stats st;

	for (int i = 0; i < 3; i++)
		k[i] = numbered(names[i], i);
	ck_assert_int_eq(cache_insert(c, &k[0], &shortlived, bytes(rrs, 0, 4),
				      0),
			 VPC_OK);
	ck_assert_int_eq(cache_insert(c, &k[1], &r, bytes(rrs, 1, 4), 0),
			 VPC_OK);
	/* Alive until its second is over, gone at 1000 ms ... */
	ck_assert_ptr_nonnull(cache_lookup(c, &k[0], 999));
	ck_assert_ptr_null(cache_lookup(c, &k[0], 1000));
	cache_get_stats(c, &st);
	ck_assert_uint_eq(st.entries, 1);
	/* ... so the next insert has room: no eviction of the live one. */
	ck_assert_int_eq(cache_insert(c, &k[2], &r, bytes(rrs, 2, 4), 1000),
			 VPC_OK);
	cache_get_stats(c, &st);
	ck_assert_uint_eq(st.entries, 2);
	ck_assert_uint_eq(st.evictions, 0);
	ck_assert_ptr_nonnull(cache_lookup(c, &k[1], 1001));
	ck_assert_ptr_nonnull(cache_lookup(c, &k[2], 1001));
	cache_free(c);
}
END_TEST

START_TEST(test_uncacheable_evicts_nothing)
{
	struct cache *c = cache_new(1, 86400);
	uint8_t names[2][WIRE_MAX_NAME_LEN], rrs[4];
	struct msg_reply r = positive(300, 4);
	struct msg_reply fail = negative(WIRE_RCODE_SERVFAIL, 0);
	struct cache_key k[2];
	struct cache_stats st;

	k[0] = numbered(names[0], 0);
	k[1] = numbered(names[1], 1);
	ck_assert_int_eq(cache_insert(c, &k[0], &r, bytes(rrs, 0, 4), 0),
			 VPC_OK);
	/* A failure has lifetime 0: stored nowhere, nothing evicted. */
	ck_assert_int_eq(cache_insert(c, &k[1], &fail, bytes(rrs, 1, 4), 0),
			 VPC_OK);
	cache_get_stats(c, &st);
	ck_assert_uint_eq(st.entries, 1);
	ck_assert_uint_eq(st.evictions, 0);
	ck_assert_ptr_nonnull(cache_lookup(c, &k[0], 1));
	ck_assert_ptr_null(cache_lookup(c, &k[1], 1));
	cache_free(c);
}
END_TEST

START_TEST(test_zero_capacity)
{
	struct cache *c = cache_new(0, 86400);
	struct cache_key k = key("www.example.com", WIRE_TYPE_A);
	struct msg_reply r = positive(300, 4);
	struct cache_stats st;
	uint8_t rrs[4];

	ck_assert_int_eq(cache_insert(c, &k, &r, bytes(rrs, 1, 4), 0), VPC_OK);
	ck_assert_ptr_null(cache_lookup(c, &k, 1));
	cache_get_stats(c, &st);
	ck_assert_uint_eq(st.entries, 0);
	ck_assert_uint_eq(st.inserts, 0);
	cache_free(c);
}
END_TEST

START_TEST(test_many_entries)
{
	struct cache *c = cache_new(5000, 86400);
	uint8_t name[WIRE_MAX_NAME_LEN], rrs[4];
	struct msg_reply r = positive(300, 4);
	struct cache_stats st;

	/* More entries than the initial table has buckets. */
	for (int i = 0; i < 3000; i++) {
		struct cache_key k = numbered(name, i);

		ck_assert_int_eq(
		    cache_insert(c, &k, &r, bytes(rrs, (uint8_t)i, 4), 0),
		    VPC_OK);
	}
	for (int i = 0; i < 3000; i++) {
		struct cache_key k = numbered(name, i);
		const struct cache_entry *e = cache_lookup(c, &k, 1);

		ck_assert_ptr_nonnull(e);
		ck_assert_uint_eq(e->rrs[0], (uint8_t)i);
	}
	cache_get_stats(c, &st);
	ck_assert_uint_eq(st.entries, 3000);
	ck_assert_uint_eq(st.evictions, 0);
	cache_free(c);
}
END_TEST

/* ---- cache_ttl --------------------------------------------------------- */

START_TEST(test_ttl_positive)
{
	struct cache *c = cache_new(10, 86400);
	struct msg_reply r = positive(120, 0);

	r.count[MSG_ANSWER] = 2;
	ck_assert_uint_eq(cache_ttl(c, &r), 120);
	r.min_ttl = 0;
	ck_assert_uint_eq(cache_ttl(c, &r), 0);
	cache_free(c);
}
END_TEST

START_TEST(test_ttl_negative)
{
	struct cache *c = cache_new(10, 86400);
	struct msg_reply r;

	/* RFC 2308 §5: negative answers live for the SOA's TTL. */
	r = negative(WIRE_RCODE_NXDOMAIN, 30);
	ck_assert_uint_eq(cache_ttl(c, &r), 30);
	r = negative(WIRE_RCODE_NOERROR, 45); /* NODATA */
	ck_assert_uint_eq(cache_ttl(c, &r), 45);
	/* Without an SOA they are not cached. */
	r = negative(WIRE_RCODE_NXDOMAIN, 0);
	ck_assert_uint_eq(cache_ttl(c, &r), 0);
	r = negative(WIRE_RCODE_NOERROR, 0);
	ck_assert_uint_eq(cache_ttl(c, &r), 0);
	cache_free(c);
}
END_TEST

START_TEST(test_ttl_failures)
{
	static const unsigned rcodes[] = {
	    WIRE_RCODE_FORMERR, WIRE_RCODE_SERVFAIL, WIRE_RCODE_NOTIMP,
	    WIRE_RCODE_REFUSED, WIRE_RCODE_BADVERS,
	};
	struct cache *c = cache_new(10, 86400);

	for (size_t i = 0; i < sizeof(rcodes) / sizeof(rcodes[0]); i++) {
		struct msg_reply r = positive(300, 0);

		r.rcode = rcodes[i];
		ck_assert_uint_eq(cache_ttl(c, &r), 0);
		r = negative(rcodes[i], 300);
		ck_assert_uint_eq(cache_ttl(c, &r), 0);
	}
	cache_free(c);
}
END_TEST

START_TEST(test_ttl_max_cap)
{
	struct cache *c = cache_new(10, 100);
	struct msg_reply r = positive(300, 0);

	ck_assert_uint_eq(cache_ttl(c, &r), 100);
	r = negative(WIRE_RCODE_NXDOMAIN, 3600);
	ck_assert_uint_eq(cache_ttl(c, &r), 100);
	r = positive(99, 0);
	ck_assert_uint_eq(cache_ttl(c, &r), 99);
	cache_free(c);
}
END_TEST

START_TEST(test_insert_uses_ttl)
{
	struct cache *c = cache_new(10, 100);
	struct cache_key k = key("nx.example.com", WIRE_TYPE_A);
	struct msg_reply r = negative(WIRE_RCODE_NXDOMAIN, 30);
	const struct cache_entry *e;
	struct cache_stats st;
	uint8_t rrs[4];

	ck_assert_int_eq(cache_insert(c, &k, &r, rrs, 0), VPC_OK);
	e = cache_lookup(c, &k, 29999);
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->rcode, WIRE_RCODE_NXDOMAIN);
	ck_assert_uint_eq(e->expires_ms, 30000);
	ck_assert_ptr_null(cache_lookup(c, &k, 30000));
	/* Capped by max-ttl. */
	r = positive(86400, 4);
	ck_assert_int_eq(cache_insert(c, &k, &r, bytes(rrs, 1, 4), 0), VPC_OK);
	e = cache_lookup(c, &k, 0);
	ck_assert_uint_eq(e->expires_ms, 100 * 1000);
	/* A lifetime of 0 stores nothing. */
	k = key("sf.example.com", WIRE_TYPE_A);
	r = negative(WIRE_RCODE_SERVFAIL, 0);
	ck_assert_int_eq(cache_insert(c, &k, &r, rrs, 0), VPC_OK);
	ck_assert_ptr_null(cache_lookup(c, &k, 0));
	k = key("nosoa.example.com", WIRE_TYPE_A);
	r = negative(WIRE_RCODE_NXDOMAIN, 0);
	ck_assert_int_eq(cache_insert(c, &k, &r, rrs, 0), VPC_OK);
	ck_assert_ptr_null(cache_lookup(c, &k, 0));
	cache_get_stats(c, &st);
	ck_assert_uint_eq(st.inserts, 2);
	ck_assert_uint_eq(st.entries, 1);
	cache_free(c);
}
END_TEST

/* ---- stats ------------------------------------------------------------- */

START_TEST(test_stats)
{
	struct cache *c = cache_new(1, 86400);
	uint8_t n0[WIRE_MAX_NAME_LEN], n1[WIRE_MAX_NAME_LEN], rrs[4];
	struct cache_key k0 = numbered(n0, 0), k1 = numbered(n1, 1);
	struct msg_reply r = positive(10, 4);
	struct cache_stats st;

	cache_get_stats(c, &st);
	ck_assert_uint_eq(st.hits, 0);
	ck_assert_uint_eq(st.misses, 0);
	ck_assert_uint_eq(st.inserts, 0);
	ck_assert_uint_eq(st.evictions, 0);
	ck_assert_uint_eq(st.entries, 0);
	cache_lookup(c, &k0, 0);		       /* miss */
	cache_insert(c, &k0, &r, bytes(rrs, 0, 4), 0); /* insert */
	cache_lookup(c, &k0, 1);		       /* hit */
	cache_lookup(c, &k0, 2);		       /* hit */
	cache_insert(c, &k1, &r, bytes(rrs, 1, 4), 3); /* evicts k0 */
	cache_lookup(c, &k0, 4);		       /* miss */
	cache_lookup(c, &k1, 20000);		       /* expired */
	cache_get_stats(c, &st);
	ck_assert_uint_eq(st.hits, 2);
	ck_assert_uint_eq(st.misses, 3);
	ck_assert_uint_eq(st.inserts, 2);
	ck_assert_uint_eq(st.evictions, 1);
	ck_assert_uint_eq(st.entries, 0);
	cache_free(c);
}
END_TEST

/* ---- the byte bound and serve-stale ----------------------------------- */

START_TEST(test_max_bytes)
{
	struct cache_options o = {.max_entries = 100, .max_ttl = 86400};
	uint8_t names[4][WIRE_MAX_NAME_LEN], rrs[1000];
	struct msg_reply r = positive(300, 1000);
	struct cache_key k[4];
	struct cache_stats st;
	struct cache *c;
	size_t one;

	for (int i = 0; i < 4; i++)
		k[i] = numbered(names[i], i);
	/* Measure one entry, then allow two and a half of them. */
	c = cache_new_options(&o);
	cache_insert(c, &k[0], &r, bytes(rrs, 1, 1000), 0);
	cache_get_stats(c, &st);
	one = st.bytes;
	ck_assert_uint_gt(one, 1000);
	cache_free(c);
	o.max_bytes = one * 5 / 2;
	c = cache_new_options(&o);
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(cache_insert(c, &k[i], &r,
					      bytes(rrs, (uint8_t)i, 1000),
					      (uint64_t)i),
				 VPC_OK);
	cache_get_stats(c, &st);
	ck_assert_uint_eq(st.entries, 2);
	ck_assert_uint_eq(st.evictions, 1);
	ck_assert_uint_le(st.bytes, o.max_bytes);
	ck_assert_ptr_null(cache_lookup(c, &k[0], 5)); /* the oldest went */
	ck_assert_ptr_nonnull(cache_lookup(c, &k[2], 5));
	/* An answer larger than the whole bound is not stored. */
	o.max_bytes = 500;
	cache_free(c);
	c = cache_new_options(&o);
	ck_assert_int_eq(cache_insert(c, &k[3], &r, bytes(rrs, 3, 1000), 0),
			 VPC_OK);
	cache_get_stats(c, &st);
	ck_assert_uint_eq(st.entries, 0);
	ck_assert_uint_eq(st.bytes, 0);
	cache_free(c);
}
END_TEST

START_TEST(test_serve_stale)
{
	struct cache_options o = {.max_entries = 10,
				  .max_ttl = 86400,
				  .stale_answer_ttl = 30,
				  .max_stale_ttl = 100};
	struct cache *c = cache_new_options(&o);
	struct msg_reply r = positive(60, 4);
	struct cache_key k = key("www.example.test", WIRE_TYPE_A);
	struct cache_stats st;
	uint8_t rrs[4];

	ck_assert_uint_eq(cache_stale_ttl(c), 30);
	ck_assert_int_eq(cache_insert(c, &k, &r, bytes(rrs, 7, 4), 1000),
			 VPC_OK);
	/* Live: a hit, and nothing stale to serve. */
	ck_assert_ptr_nonnull(cache_lookup(c, &k, 1000 + 59999));
	ck_assert_ptr_null(cache_lookup_stale(c, &k, 1000 + 59999));
	/* Expired: a miss that keeps the entry for the stale window. */
	ck_assert_ptr_null(cache_lookup(c, &k, 1000 + 60000));
	cache_get_stats(c, &st);
	ck_assert_uint_eq(st.entries, 1);
	ck_assert_ptr_nonnull(cache_lookup_stale(c, &k, 1000 + 60000));
	ck_assert_ptr_nonnull(cache_lookup_stale(c, &k, 1000 + 159999));
	/* Past expiry + max-stale-ttl: gone. */
	ck_assert_ptr_null(cache_lookup_stale(c, &k, 1000 + 160000));
	cache_get_stats(c, &st);
	ck_assert_uint_eq(st.entries, 0);
	ck_assert_uint_eq(st.stale_served, 2);
	cache_free(c);

	/* Off (the default): expired entries go at once, none is stale. */
	c = cache_new(10, 86400);
	ck_assert_uint_eq(cache_stale_ttl(c), 0);
	cache_insert(c, &k, &r, bytes(rrs, 7, 4), 1000);
	ck_assert_ptr_null(cache_lookup_stale(c, &k, 1000 + 60000));
	ck_assert_ptr_null(cache_lookup(c, &k, 1000 + 60000));
	cache_get_stats(c, &st);
	ck_assert_uint_eq(st.entries, 0);
	cache_free(c);
}
END_TEST


/* ---- the wire form: a hit is a copy and a patch ----------------------- */

/* An upstream reply to www.example.com/@qtype: @n A records (TTLs 300,
 * 301, ...) under a CNAME when @cname, an SOA in the authority section
 * when @n is 0; parsed into @rrs/@r as answer_upstream() does. */
static void
upstream_reply(uint16_t qtype, int n, bool cname, uint8_t *rrs,
	       struct msg_reply *r)
{
	static struct tu_pkt p;
	const char *owner = cname ? "cdn.example.net" : "www.example.com";
	uint8_t name[WIRE_MAX_NAME_LEN], rd[64];
	size_t at, nl = tu_name("www.example.com", name);

	tu_reset(&p);
	tu_header(&p, 0, 0x8180u | (n == 0 ? WIRE_RCODE_NXDOMAIN : 0), 1,
		  (unsigned)n + (cname ? 1u : 0u), n == 0 ? 1 : 0, 0);
	tu_question(&p, "www.example.com", qtype, WIRE_CLASS_IN);
	if (cname) {
		at = tu_rr_head(&p, "www.example.com", WIRE_TYPE_CNAME,
				WIRE_CLASS_IN, 600);
		tu_bytes(&p, rd, tu_rdata_name(owner, rd));
		tu_rr_end(&p, at);
	}
	for (int i = 0; i < n; i++) {
		at = tu_rr_head(&p, owner, WIRE_TYPE_A, WIRE_CLASS_IN,
				300u + (uint32_t)i);
		tu_u32(&p, 0xc0000200u + (uint32_t)i);
		tu_rr_end(&p, at);
	}
	if (n == 0) {
		at = tu_rr_head(&p, "example.com", WIRE_TYPE_SOA, WIRE_CLASS_IN,
				900);
		tu_bytes(&p, rd,
			 tu_rdata_soa("ns.example.com", "h.example.com", 1,
				      60, rd));
		tu_rr_end(&p, at);
	}
	ck_assert_int_eq(msg_parse_reply(p.b, p.len, name, nl, qtype, rrs,
					 MSG_RRS_MAX, r),
			 VPC_OK);
}

/* The client's query, parsed. */
static void
client_query(const char *name, const struct tu_qopt *o, struct msg_query *q)
{
	static struct tu_pkt p;
	size_t len = tu_query_opt(&p, name, WIRE_TYPE_A, o);

	ck_assert_int_eq(msg_parse_query(p.b, len, q), MSG_QUERY_OK);
}

/* What the general path writes for @e to @q. */
static size_t
general_path(const struct cache_entry *e, const struct msg_query *q,
	     uint32_t age, uint8_t *out, size_t limit)
{
	struct msg_builder b;

	msg_begin(&b, q, out, MSG_TCP_MAX, limit);
	ck_assert_int_eq(msg_add_normalized(&b, e->rrs, e->rrs_len, e->count,
					    age, 0),
			 VPC_OK);
	return msg_finish(&b, WIRE_FLAG_RA, e->rcode);
}

START_TEST(test_wire_same_as_general)
{
	static uint8_t rrs[MSG_RRS_MAX], fast[MSG_TCP_MAX], slow[MSG_TCP_MAX];
	static const char *const cases[] = {"www.example.com",
					    "WwW.ExAmple.COM"};
	struct msg_reply r;
	struct msg_query q;
	struct cache_key k = key("www.example.com", WIRE_TYPE_A);
	const struct cache_entry *e;
	struct cache *c;

	/* Answers with and without a CNAME, NXDOMAIN with its SOA; queries
	 * with and without EDNS and DO, RD and CD, in any case, aged. */
	for (int shape = 0; shape < 3; shape++) {
		c = cache_new(10, 86400);
		upstream_reply(WIRE_TYPE_A, shape == 2 ? 0 : 3, shape == 1, rrs,
			       &r);
		ck_assert_int_eq(cache_insert(c, &k, &r, rrs, 1000), VPC_OK);
		e = cache_lookup(c, &k, 1000);
		ck_assert_ptr_nonnull(e);
		ck_assert_uint_gt(e->wire_len, 0);
		ck_assert(e->has_chain == (shape == 1));
		for (int v = 0; v < 16; v++) {
			struct tu_qopt o = tu_qopt_default();
			uint32_t age = v % 4 == 3 ? 1000 : (uint32_t)v;
			size_t nf, ns;

			o.id = (uint16_t)(0x100 + v);
			o.edns = (v & 1) != 0;
			o.payload = 1232;
			o.do_bit = (v & 3) == 3;
			o.flags = (v & 4) ? WIRE_FLAG_CD : WIRE_FLAG_RD;
			client_query(cases[(v >> 3) & 1], &o, &q);
			nf = cache_write_answer(e, &q, 1000 + age * 1000 + 999,
						fast, MSG_TCP_MAX);
			ns = general_path(e, &q, age, slow, MSG_TCP_MAX);
			ck_assert_uint_gt(nf, 0);
			ck_assert_uint_eq(nf, ns);
			ck_assert_mem_eq(fast, slow, ns);
		}
		cache_free(c);
	}
}
END_TEST

START_TEST(test_wire_ttls_and_limit)
{
	static uint8_t rrs[MSG_RRS_MAX], out[MSG_TCP_MAX];
	struct cache_key k = key("www.example.com", WIRE_TYPE_A);
	struct tu_qopt o = tu_qopt_default();
	struct cache *c = cache_new(10, 86400);
	const struct cache_entry *e;
	static struct tu_resp m;
	struct msg_reply r;
	struct msg_query q;
	size_t n;

	upstream_reply(WIRE_TYPE_A, 40, false, rrs, &r);
	ck_assert_int_eq(cache_insert(c, &k, &r, rrs, 0), VPC_OK);
	e = cache_lookup(c, &k, 299999);
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->n_ttl, 40);
	/* 299.999 s later: the first TTL (300) is 1, none goes below 0 and
	 * the stored form is unchanged. */
	client_query("www.example.com", &o, &q);
	n = cache_write_answer(e, &q, 299999, out, MSG_TCP_MAX);
	ck_assert_uint_gt(n, 512);
	tu_parse_ok(out, n, &m);
	ck_assert_uint_eq(m.count[0], 40);
	ck_assert_uint_eq(m.rr[0].ttl, 1);
	ck_assert_uint_eq(m.rr[39].ttl, 40);
	ck_assert_uint_eq(wire_get_u32(e->wire + e->ttl_off[0]), 300);
	/* 40 A records do not fit 512 bytes: the general path truncates. */
	ck_assert_uint_eq(cache_write_answer(e, &q, 1000, out, MSG_UDP_MIN), 0);
	/* With EDNS they need the OPT's 11 bytes more. */
	o.edns = true;
	o.payload = 1232;
	client_query("www.example.com", &o, &q);
	ck_assert_uint_eq(cache_write_answer(e, &q, 1000, out, n + 10), 0);
	ck_assert_uint_eq(cache_write_answer(e, &q, 1000, out, n + 11),
			  n + 11);
	cache_free(c);
}
END_TEST

START_TEST(test_wire_absent)
{
	uint8_t rrs[16], out[512];
	struct cache_key k = key("www.example.com", WIRE_TYPE_A);
	struct tu_qopt o = tu_qopt_default();
	struct msg_reply r = positive(300, 16);
	struct cache *c = cache_new(10, 86400);
	const struct cache_entry *e;
	struct msg_query q;

	/* RRs that do not build into a response are still stored, for the
	 * general path to report; the hit just has no wire form. */
	ck_assert_int_eq(cache_insert(c, &k, &r, bytes(rrs, 0xaa, 16), 0),
			 VPC_OK);
	e = cache_lookup(c, &k, 1);
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->wire_len, 0);
	client_query("www.example.com", &o, &q);
	ck_assert_uint_eq(cache_write_answer(e, &q, 1, out, sizeof(out)), 0);
	cache_free(c);
}
END_TEST

/* ---- prefetch ---------------------------------------------------------- */

START_TEST(test_prefetch_due)
{
	struct cache_options o = {.max_entries = 10, .max_ttl = 86400,
				  .prefetch = true};
	struct cache_key k = key("www.example.com", WIRE_TYPE_A);
	struct msg_reply r = positive(100, 4);
	const struct cache_entry *e;
	struct cache_stats st;
	struct cache *c = cache_new_options(&o);
	uint8_t rrs[4];

	ck_assert_int_eq(cache_insert(c, &k, &r, bytes(rrs, 1, 4), 1000),
			 VPC_OK);
	/* Lifetime 100 s: not before 90 s, then once. */
	e = cache_lookup(c, &k, 1000 + 89999);
	ck_assert(!cache_prefetch_due(c, e, 1000 + 89999));
	e = cache_lookup(c, &k, 1000 + 90000);
	ck_assert(cache_prefetch_due(c, e, 1000 + 90000));
	ck_assert(!cache_prefetch_due(c, e, 1000 + 95000));
	cache_get_stats(c, &st);
	ck_assert_uint_eq(st.prefetches, 1);
	/* The refresh replaces the entry: due again in its last tenth. */
	ck_assert_int_eq(
	    cache_insert(c, &k, &r, bytes(rrs, 2, 4), 1000 + 91000), VPC_OK);
	e = cache_lookup(c, &k, 1000 + 92000);
	ck_assert(!cache_prefetch_due(c, e, 1000 + 92000));
	ck_assert(cache_prefetch_due(c, e, 1000 + 181000));
	cache_free(c);
	/* Off: never. */
	o.prefetch = false;
	c = cache_new_options(&o);
	cache_insert(c, &k, &r, bytes(rrs, 1, 4), 0);
	e = cache_lookup(c, &k, 99999);
	ck_assert(!cache_prefetch_due(c, e, 99999));
	cache_free(c);
}
END_TEST

static Suite *
cache_suite(void)
{
	Suite *s = suite_create("cache");
	TCase *tc;

	tc = tcase_create("lookup_insert");
	tcase_add_test(tc, test_miss_hit);
	tcase_add_test(tc, test_expiry);
	tcase_add_test(tc, test_replace);
	tcase_add_test(tc, test_key_fields);
	suite_add_tcase(s, tc);

	tc = tcase_create("capacity");
	tcase_add_test(tc, test_lru_eviction);
	tcase_add_test(tc, test_zero_capacity);
	tcase_add_test(tc, test_eviction_churn);
	tcase_add_test(tc, test_expired_frees_room);
	tcase_add_test(tc, test_uncacheable_evicts_nothing);
	tcase_add_test(tc, test_many_entries);
	suite_add_tcase(s, tc);

	tc = tcase_create("ttl");
	tcase_add_test(tc, test_ttl_positive);
	tcase_add_test(tc, test_ttl_negative);
	tcase_add_test(tc, test_ttl_failures);
	tcase_add_test(tc, test_ttl_max_cap);
	tcase_add_test(tc, test_insert_uses_ttl);
	suite_add_tcase(s, tc);

	tc = tcase_create("bounds_and_stale");
	tcase_add_test(tc, test_max_bytes);
	tcase_add_test(tc, test_serve_stale);
	suite_add_tcase(s, tc);

	tc = tcase_create("wire");
	tcase_add_test(tc, test_wire_same_as_general);
	tcase_add_test(tc, test_wire_ttls_and_limit);
	tcase_add_test(tc, test_wire_absent);
	suite_add_tcase(s, tc);

	tc = tcase_create("prefetch");
	tcase_add_test(tc, test_prefetch_due);
	suite_add_tcase(s, tc);

	tc = tcase_create("stats");
	tcase_add_test(tc, test_stats);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(cache_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed != 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
