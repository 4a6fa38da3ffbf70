/*
 * tests/unit/check_metrics.c - counters (engine/metrics.h): the sum of
 * several workers' counters, the latency histogram and its sum, and the
 * Prometheus text of a sum.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "engine/metrics.h"

START_TEST(test_add)
{
	struct metrics a = {0}, b = {0}, sum = {0};
	char out[16384];

	metrics_count_query(&a, METRICS_SOURCE_VPC, 0, 1);  /* NOERROR A */
	metrics_count_query(&a, METRICS_SOURCE_VPC, 3, 28); /* NXDOMAIN AAAA */
	metrics_count_query(&b, METRICS_SOURCE_VPC, 0, 1);
	metrics_count_query(&b, METRICS_SOURCE_OUTSIDE, 99, 65535);
	metrics_bump(&a.upstream_queries, 2);
	metrics_bump(&b.upstream_queries, 5);
	metrics_bump(&b.reloads, 1);
	metrics_add(&sum, &a);
	metrics_add(&sum, &b);
	ck_assert_uint_eq(sum.queries[METRICS_SOURCE_VPC][0], 2);
	ck_assert_uint_eq(sum.queries[METRICS_SOURCE_VPC][3], 1);
	/* An rcode past the table counts in its last slot. */
	ck_assert_uint_eq(sum.queries[METRICS_SOURCE_OUTSIDE]
				     [METRICS_RCODES - 1],
			  1);
	ck_assert_uint_eq(sum.upstream_queries, 7);
	ck_assert_uint_eq(sum.reloads, 1);
	ck_assert_uint_gt(metrics_render(&sum, out, sizeof(out)), 0);
	ck_assert_ptr_nonnull(
		strstr(out, "vpcdns_upstream_queries_total 7\n"));
	ck_assert_ptr_nonnull(strstr(
		out,
		"vpcdns_queries_total{source=\"vpc\",rcode=\"NOERROR\"} 2\n"));
	/* The parts are left as they were. */
	ck_assert_uint_eq(a.upstream_queries, 2);
	ck_assert_uint_eq(b.queries[METRICS_SOURCE_VPC][0], 1);
}
END_TEST

START_TEST(test_latency)
{
	struct metrics a = {0}, b = {0}, sum = {0};
	char out[16384];
	size_t len;

	metrics_count_latency(&a, 3);
	metrics_count_latency(&a, 247);
	metrics_count_latency(&b, 100000); /* above every bucket */
	metrics_add(&sum, &a);
	metrics_add(&sum, &b);
	ck_assert_uint_eq(sum.upstream_latency_count, 3);
	ck_assert_uint_eq(sum.upstream_latency_sum_ms, 100250);
	len = metrics_render(&sum, out, sizeof(out));
	ck_assert_uint_gt(len, 0);
	ck_assert_ptr_nonnull(
		strstr(out, "vpcdns_upstream_latency_seconds_sum 100.250000\n"));
	ck_assert_ptr_nonnull(
		strstr(out, "vpcdns_upstream_latency_seconds_count 3\n"));
	ck_assert_ptr_nonnull(strstr(
		out, "vpcdns_upstream_latency_seconds_bucket{le=\"+Inf\"} 3\n"));
}
END_TEST

static Suite *
metrics_suite(void)
{
	Suite *s = suite_create("metrics");
	TCase *tc = tcase_create("counters");

	tcase_add_test(tc, test_add);
	tcase_add_test(tc, test_latency);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(metrics_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed != 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
