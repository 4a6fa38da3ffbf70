/*
 * tests/unit/check_ratelimit.c - unit tests of the token buckets
 * (ratelimit_) behind simulate-aws-limits and response rate limiting.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Time is the caller's millisecond clock, so every refill is exact:
 * @rate tokens a second, at most @rate banked, one token a packet.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <check.h>

#include "engine/ratelimit.h"

/* An arbitrary start, far from 0 as uv_now() is. */
#define T0 1000000000ull

static struct ratelimit *rl;
static struct sockaddr_storage ss;

static void
teardown(void)
{
	ratelimit_free(rl);
	rl = NULL;
}

static const struct sockaddr *
addr(const char *text)
{
	struct sockaddr_in *in = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;

	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, text, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
	} else {
		ck_assert_int_eq(inet_pton(AF_INET6, text, &in6->sin6_addr), 1);
		in6->sin6_family = AF_INET6;
	}
	return (const struct sockaddr *)&ss;
}

/* How many of @n packets from @src at @now are allowed. */
static unsigned
allowed(const char *src, unsigned n, uint64_t now)
{
	unsigned ok = 0;

	for (unsigned i = 0; i < n; i++)
		ok += ratelimit_allow(rl, addr(src), now) ? 1u : 0u;
	return ok;
}

START_TEST(test_burst_then_refused)
{
	rl = ratelimit_new(5, 32, 128, 64);
	ck_assert_ptr_nonnull(rl);
	/* A new source starts with a full bucket: @rate packets. */
	ck_assert_uint_eq(allowed("192.0.2.1", 5, T0), 5);
	ck_assert(!ratelimit_allow(rl, addr("192.0.2.1"), T0));
	ck_assert_uint_eq(ratelimit_limited(rl), 1);
	ck_assert_uint_eq(allowed("192.0.2.1", 10, T0), 0);
	ck_assert_uint_eq(ratelimit_limited(rl), 11);
}
END_TEST

START_TEST(test_refill)
{
	rl = ratelimit_new(5, 32, 128, 64);
	ck_assert_uint_eq(allowed("192.0.2.1", 5, T0), 5);
	/* 5 a second: one token per 200 ms, nothing before. */
	ck_assert(!ratelimit_allow(rl, addr("192.0.2.1"), T0 + 199));
	ck_assert(ratelimit_allow(rl, addr("192.0.2.1"), T0 + 400));
	/* 400 ms gave 2 tokens, one taken: one left. */
	ck_assert_uint_eq(allowed("192.0.2.1", 3, T0 + 400), 1);
}
END_TEST

START_TEST(test_refill_capped)
{
	rl = ratelimit_new(5, 32, 128, 64);
	ck_assert_uint_eq(allowed("192.0.2.1", 5, T0), 5);
	/* A long silence banks one second's worth, no more. */
	ck_assert_uint_eq(allowed("192.0.2.1", 50, T0 + 60000), 5);
}
END_TEST

START_TEST(test_partial_tokens_accumulate)
{
	/* 1024 a second (simulate-aws-limits): 1.024 tokens per ms, so the
	 * fraction carries over from one call to the next. */
	rl = ratelimit_new(1024, 32, 128, 64);
	ck_assert_uint_eq(allowed("10.0.0.2", 2000, T0), 1024);
	ck_assert_uint_eq(allowed("10.0.0.2", 5, T0 + 1), 1);
	ck_assert_uint_eq(allowed("10.0.0.2", 5, T0 + 2), 1);
	/* 0.048 left over: 125 ms more give 128 tokens and 0.048. */
	ck_assert_uint_eq(allowed("10.0.0.2", 500, T0 + 127), 128);
}
END_TEST

START_TEST(test_clock_backwards)
{
	rl = ratelimit_new(5, 32, 128, 64);
	ck_assert_uint_eq(allowed("192.0.2.1", 5, T0 + 1000), 5);
	/* An earlier time gives nothing (and does not wrap around). */
	ck_assert_uint_eq(allowed("192.0.2.1", 5, T0), 0);
	ck_assert_uint_eq(allowed("192.0.2.1", 5, T0 + 200), 1);
}
END_TEST

START_TEST(test_per_address)
{
	/* /32 and /128: every address has its own bucket. */
	rl = ratelimit_new(3, 32, 128, 64);
	ck_assert_uint_eq(allowed("10.0.0.2", 10, T0), 3);
	ck_assert_uint_eq(allowed("10.0.0.3", 10, T0), 3);
	ck_assert_uint_eq(allowed("fd00::2", 10, T0), 3);
	ck_assert_uint_eq(allowed("fd00::3", 10, T0), 3);
	ck_assert_uint_eq(ratelimit_limited(rl), 28);
}
END_TEST

START_TEST(test_prefix_v4)
{
	/* /24 (response rate limiting): one network, one bucket. */
	rl = ratelimit_new(5, 24, 56, 64);
	ck_assert_uint_eq(allowed("198.51.100.7", 3, T0), 3);
	ck_assert_uint_eq(allowed("198.51.100.9", 5, T0), 2);
	ck_assert_uint_eq(allowed("198.51.101.7", 5, T0), 5);
}
END_TEST

START_TEST(test_prefix_odd_lengths)
{
	rl = ratelimit_new(2, 20, 60, 64);
	/* 10.0.0.0/20 holds 10.0.15.255, not 10.0.16.0. */
	ck_assert_uint_eq(allowed("10.0.0.1", 1, T0), 1);
	ck_assert_uint_eq(allowed("10.0.15.255", 5, T0), 1);
	ck_assert_uint_eq(allowed("10.0.16.0", 5, T0), 2);
	/* 2001:db8::/60 holds ...:000f:..., not ...:0010:... */
	ck_assert_uint_eq(allowed("2001:db8:0:f::1", 5, T0), 2);
	ck_assert_uint_eq(allowed("2001:db8:0:1::1", 5, T0), 0);
	ck_assert_uint_eq(allowed("2001:db8:0:10::1", 5, T0), 2);
}
END_TEST

START_TEST(test_prefix_v6)
{
	rl = ratelimit_new(5, 24, 56, 64);
	ck_assert_uint_eq(allowed("2001:db8:0:1::7", 3, T0), 3);
	ck_assert_uint_eq(allowed("2001:db8:0:ff::7", 5, T0), 2);
	ck_assert_uint_eq(allowed("2001:db8:0:100::7", 5, T0), 5);
	/* An IPv4 address and an IPv6 one with the same leading bytes are
	 * different keys. */
	ck_assert_uint_eq(allowed("32.1.13.184", 5, T0), 5);
}
END_TEST

START_TEST(test_prefix_clamped)
{
	/* Prefixes beyond the address length are the whole address. */
	rl = ratelimit_new(1, 99, 999, 64);
	ck_assert_uint_eq(allowed("10.0.0.1", 2, T0), 1);
	ck_assert_uint_eq(allowed("10.0.0.2", 2, T0), 1);
	ck_assert_uint_eq(allowed("fd00::1", 2, T0), 1);
	ck_assert_uint_eq(allowed("fd00::2", 2, T0), 1);
}
END_TEST

START_TEST(test_zero_prefix)
{
	/* /0: every source shares one bucket. */
	rl = ratelimit_new(4, 0, 0, 64);
	ck_assert_uint_eq(allowed("10.0.0.1", 2, T0), 2);
	ck_assert_uint_eq(allowed("192.0.2.1", 5, T0), 2);
	ck_assert_uint_eq(allowed("fd00::1", 5, T0), 4);
}
END_TEST

START_TEST(test_other_family_allowed)
{
	struct sockaddr_un un = {.sun_family = AF_UNIX};

	rl = ratelimit_new(1, 32, 128, 64);
	for (int i = 0; i < 10; i++)
		ck_assert(
		    ratelimit_allow(rl, (const struct sockaddr *)&un, T0));
	ck_assert_uint_eq(ratelimit_limited(rl), 0);
}
END_TEST

START_TEST(test_table_bounded)
{
	char a[32];

	/* 16 slots (the minimum), 10,000 sources: memory stays bounded,
	 * and a new source always gets a bucket (a stale one is reused). */
	rl = ratelimit_new(2, 32, 128, 1);
	ck_assert_ptr_nonnull(rl);
	for (unsigned i = 0; i < 10000; i++) {
		snprintf(a, sizeof(a), "10.%u.%u.%u", i >> 16 & 0xffu,
			 i >> 8 & 0xffu, i & 0xffu);
		ck_assert_uint_eq(allowed(a, 3, T0 + i), 2);
	}
	ck_assert_uint_eq(ratelimit_limited(rl), 10000);
}
END_TEST

START_TEST(test_recent_kept_when_full)
{
	char a[32];

	/* With the table full, the bucket refilled least recently goes,
	 * so a source that keeps sending keeps its (empty) bucket. */
	rl = ratelimit_new(1, 32, 128, 16);
	for (unsigned i = 0; i < 200; i++) {
		/* 1 a second: 200 ms never refill a whole token. */
		ck_assert(ratelimit_allow(rl, addr("192.0.2.1"), T0 + i) ==
			  (i == 0));
		snprintf(a, sizeof(a), "10.0.%u.%u", i >> 8, i & 0xffu);
		ck_assert(ratelimit_allow(rl, addr(a), T0 + i));
	}
}
END_TEST

START_TEST(test_free_null)
{
	ratelimit_free(NULL);
}
END_TEST

static Suite *
ratelimit_suite(void)
{
	Suite *s = suite_create("ratelimit");
	TCase *tc;

	tc = tcase_create("bucket");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, test_burst_then_refused);
	tcase_add_test(tc, test_refill);
	tcase_add_test(tc, test_refill_capped);
	tcase_add_test(tc, test_partial_tokens_accumulate);
	tcase_add_test(tc, test_clock_backwards);
	suite_add_tcase(s, tc);

	tc = tcase_create("keys");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, test_per_address);
	tcase_add_test(tc, test_prefix_v4);
	tcase_add_test(tc, test_prefix_odd_lengths);
	tcase_add_test(tc, test_prefix_v6);
	tcase_add_test(tc, test_prefix_clamped);
	tcase_add_test(tc, test_zero_prefix);
	tcase_add_test(tc, test_other_family_allowed);
	suite_add_tcase(s, tc);

	tc = tcase_create("table");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, test_table_bounded);
	tcase_add_test(tc, test_recent_kept_when_full);
	tcase_add_test(tc, test_free_null);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(ratelimit_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
