/*
 * tests/unit/check_strbuf.c - printf into a text buffer (util/strbuf.h):
 * growing past the first allocation, a fixed buffer that fills up, and
 * the sticky failure.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "util/strbuf.h"

START_TEST(test_grow)
{
	struct strbuf b = {0};
	char *text;

	for (int i = 0; i < 2000; i++)
		strbuf_printf(&b, "%04d,", i);
	ck_assert(!b.failed);
	ck_assert_uint_eq(b.len, 10000);
	ck_assert_uint_eq(strlen(b.p), 10000);
	ck_assert(strncmp(b.p, "0000,0001,", 10) == 0);
	ck_assert_str_eq(b.p + 9995, "1999,");
	text = strbuf_take(&b);
	ck_assert_ptr_null(b.p);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_uint_eq(strlen(text), 10000);
	free(text);
	/* Nothing written: nothing to take. */
	ck_assert_ptr_null(strbuf_take(&b));
}
END_TEST

START_TEST(test_fixed)
{
	char buf[8];
	struct strbuf b;

	strbuf_fixed(&b, buf, sizeof(buf));
	ck_assert_str_eq(buf, "");
	strbuf_printf(&b, "%s", "abc");
	strbuf_printf(&b, "%d", 1234);
	ck_assert(!b.failed);
	ck_assert_str_eq(buf, "abc1234");
	/* No room for one more byte and its NUL: fails, text kept. */
	strbuf_printf(&b, "x");
	ck_assert(b.failed);
	ck_assert_str_eq(buf, "abc1234");
	ck_assert_uint_eq(b.len, 7);
	strbuf_free(&b); /* the caller's array: not freed */
}
END_TEST

START_TEST(test_sticky)
{
	char buf[4];
	struct strbuf b;

	strbuf_fixed(&b, buf, sizeof(buf));
	strbuf_printf(&b, "%s", "toolong");
	ck_assert(b.failed);
	ck_assert_uint_eq(b.len, 0);
	/* It would fit now, but a failed buffer takes nothing more. */
	strbuf_printf(&b, "a");
	ck_assert_uint_eq(b.len, 0);
	ck_assert_str_eq(buf, "");
}
END_TEST

static Suite *
strbuf_suite(void)
{
	Suite *s = suite_create("strbuf");
	TCase *tc = tcase_create("printf");

	tcase_add_test(tc, test_grow);
	tcase_add_test(tc, test_fixed);
	tcase_add_test(tc, test_sticky);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(strbuf_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed != 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
