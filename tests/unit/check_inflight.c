/*
 * tests/unit/check_inflight.c - unit tests of in-flight coalescing
 * (inflight_).
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Waiters are plain integers cast to pointers: the table never
 * dereferences them.  How each waiter is then answered (its own ID and
 * case, SERVFAIL or stale on failure) is answer_waiter()'s, tested in
 * tests/replay/coalescing.rpl.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "check_util.h"
#include "dns/wire.h"
#include "engine/cache.h"
#include "engine/inflight.h"

static uint8_t kname[WIRE_MAX_NAME_LEN];

static struct cache_key
key(const char *name, uint16_t type)
{
	struct cache_key k = {
	    .lname = kname,
	    .len = tu_name(name, kname),
	    .type = type,
	    .rclass = WIRE_CLASS_IN,
	};

	return k;
}

static void *
waiter(uintptr_t n)
{
	return (void *)n;
}

START_TEST(test_lead_wait_finish)
{
	struct inflight *t = inflight_new();
	struct cache_key k = key("www.example.com", WIRE_TYPE_A);
	struct inflight_entry *lead = NULL, *other = NULL;
	struct inflight_batch b;
	struct inflight_stats st;

	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(inflight_join(t, &k, waiter(1), &lead),
			 INFLIGHT_LEAD);
	ck_assert_ptr_nonnull(lead);
	/* The same key in another case of the client's name is the same
	 * lower-case key: it waits, in order. */
	for (uintptr_t i = 2; i <= 4; i++)
		ck_assert_int_eq(inflight_join(t, &k, waiter(i), &other),
				 INFLIGHT_WAIT);
	ck_assert_ptr_null(other);
	inflight_get_stats(t, &st);
	ck_assert_uint_eq(st.keys, 1);
	ck_assert_uint_eq(st.waiting, 3);
	inflight_finish(t, lead, &b);
	ck_assert_uint_eq(b.n, 3);
	for (size_t i = 0; i < b.n; i++)
		ck_assert_ptr_eq(b.waiters[i], waiter(i + 2));
	/* Finished: the next query of the key leads again, even while the
	 * caller still answers the batch. */
	ck_assert_int_eq(inflight_join(t, &k, waiter(5), &lead),
			 INFLIGHT_LEAD);
	inflight_batch_free(&b);
	inflight_batch_free(&b);
	inflight_get_stats(t, &st);
	ck_assert_uint_eq(st.leaders, 2);
	ck_assert_uint_eq(st.coalesced, 3);
	ck_assert_uint_eq(st.waiting, 0);
	/* A leader without waiters: an empty batch. */
	inflight_finish(t, lead, &b);
	ck_assert_uint_eq(b.n, 0);
	inflight_batch_free(&b);
	inflight_get_stats(t, &st);
	ck_assert_uint_eq(st.keys, 0);
	inflight_free(t);
	inflight_free(NULL);
}
END_TEST

START_TEST(test_key_fields)
{
	struct inflight *t = inflight_new();
	uint8_t other[WIRE_MAX_NAME_LEN];
	struct cache_key base = key("www.example.com", WIRE_TYPE_A), v[5];
	struct inflight_entry *e;

	ck_assert_int_eq(inflight_join(t, &base, waiter(1), &e),
			 INFLIGHT_LEAD);
	/* Each field of the key separates: group, name, type, class,
	 * DO/CD flags. */
	for (int i = 0; i < 5; i++)
		v[i] = base;
	v[0].group = 1;
	v[1].lname = other;
	v[1].len = tu_name("www.example.org", other);
	v[2].type = WIRE_TYPE_AAAA;
	v[3].rclass = 3;
	v[4].flags = CACHE_KEY_DO;
	for (int i = 0; i < 5; i++)
		ck_assert_int_eq(inflight_join(t, &v[i], waiter(2), &e),
				 INFLIGHT_LEAD);
	ck_assert_int_eq(inflight_join(t, &base, waiter(3), &e),
			 INFLIGHT_WAIT);
	/* Left in flight: inflight_free() releases them. */
	inflight_free(t);
}
END_TEST

START_TEST(test_bound)
{
	struct inflight *t = inflight_new();
	struct cache_key k = key("popular.example.com", WIRE_TYPE_A);
	struct inflight_entry *lead, *e;
	struct inflight_batch b;
	struct inflight_stats st;

	ck_assert_int_eq(inflight_join(t, &k, waiter(0), &lead),
			 INFLIGHT_LEAD);
	for (uintptr_t i = 1; i <= INFLIGHT_MAX_WAITERS; i++)
		ck_assert_int_eq(inflight_join(t, &k, waiter(i), &e),
				 INFLIGHT_WAIT);
	/* Beyond the bound a query goes upstream on its own. */
	ck_assert_int_eq(inflight_join(t, &k, waiter(9999), &e),
			 INFLIGHT_ALONE);
	ck_assert_int_eq(inflight_join(t, &k, waiter(9999), &e),
			 INFLIGHT_ALONE);
	inflight_get_stats(t, &st);
	ck_assert_uint_eq(st.alone, 2);
	ck_assert_uint_eq(st.waiting, INFLIGHT_MAX_WAITERS);
	inflight_finish(t, lead, &b);
	ck_assert_uint_eq(b.n, INFLIGHT_MAX_WAITERS);
	ck_assert_ptr_eq(b.waiters[INFLIGHT_MAX_WAITERS - 1],
			 waiter(INFLIGHT_MAX_WAITERS));
	inflight_batch_free(&b);
	inflight_free(t);
}
END_TEST

START_TEST(test_many_keys)
{
	struct inflight *t = inflight_new();
	static struct inflight_entry *lead[5000];
	uint8_t names[2][WIRE_MAX_NAME_LEN];
	struct inflight_stats st;
	struct inflight_batch b;
	char text[64];

	/* The table grows past its first buckets; every key finds its
	 * entry afterwards. */
	for (int i = 0; i < 5000; i++) {
		struct cache_key k = key("x", WIRE_TYPE_A);

		snprintf(text, sizeof(text), "n%d.example.com", i);
		k.lname = names[0];
		k.len = tu_name(text, names[0]);
		ck_assert_int_eq(inflight_join(t, &k, waiter(1), &lead[i]),
				 INFLIGHT_LEAD);
	}
	for (int i = 0; i < 5000; i++) {
		struct cache_key k = key("x", WIRE_TYPE_A);
		struct inflight_entry *e = NULL;

		snprintf(text, sizeof(text), "n%d.example.com", i);
		k.lname = names[1];
		k.len = tu_name(text, names[1]);
		ck_assert_int_eq(inflight_join(t, &k, waiter(2), &e),
				 INFLIGHT_WAIT);
	}
	for (int i = 0; i < 5000; i++) {
		inflight_finish(t, lead[i], &b);
		ck_assert_uint_eq(b.n, 1);
		inflight_batch_free(&b);
	}
	inflight_get_stats(t, &st);
	ck_assert_uint_eq(st.keys, 0);
	inflight_free(t);
}
END_TEST

static Suite *
inflight_suite(void)
{
	Suite *s = suite_create("inflight");
	TCase *tc = tcase_create("join_finish");

	tcase_add_test(tc, test_lead_wait_finish);
	tcase_add_test(tc, test_key_fields);
	tcase_add_test(tc, test_bound);
	tcase_add_test(tc, test_many_keys);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(inflight_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed != 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
