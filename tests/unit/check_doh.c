/*
 * tests/unit/check_doh.c - unit tests for dns/doh.c (RFC 8484 requests
 * and freshness, base64url).
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * The GET vector is RFC 8484 §4.1.1's: a query for www.example.com A with
 * ID 0 and RD, base64url "AAABAAABAAAAAAAAA3d3dwdleGFtcGxlA2NvbQAAAQAB".
 */
#include "config.h"

#include <string.h>

#include <check.h>

#include "check_util.h"
#include "dns/doh.h"

#define RFC8484_GET "AAABAAABAAAAAAAAA3d3dwdleGFtcGxlA2NvbQAAAQAB"

static struct tu_pkt pkt;
static uint8_t msg[512];

/* RFC 8484 §4.1.1's query, built by hand. */
static size_t
rfc_query(void)
{
	tu_reset(&pkt);
	tu_header(&pkt, 0, 0x0100, 1, 0, 0, 0);
	tu_question(&pkt, "www.example.com", WIRE_TYPE_A, WIRE_CLASS_IN);
	return pkt.len;
}

static int
parse(const char *method, const char *target, const char *ct,
      const uint8_t *body, size_t body_len, size_t *len)
{
	struct doh_request r = {
	    .method = method,
	    .method_len = strlen(method),
	    .target = target,
	    .target_len = strlen(target),
	    .content_type = ct,
	    .content_type_len = ct != NULL ? strlen(ct) : 0,
	    .body = body,
	    .body_len = body_len,
	};

	*len = 0;
	return doh_parse_request(&r, msg, sizeof(msg), len);
}

START_TEST(test_get_rfc_vector)
{
	size_t n = rfc_query(), len;

	ck_assert_int_eq(parse("GET", "/dns-query?dns=" RFC8484_GET, NULL, NULL,
			       0, &len),
			 200);
	ck_assert_uint_eq(len, n);
	ck_assert_mem_eq(msg, pkt.b, n);
	/* Other parameters may come before or after; padding tolerated. */
	ck_assert_int_eq(parse("GET", "/dns-query?ct=x&dns=" RFC8484_GET "&z=1",
			       NULL, NULL, 0, &len),
			 200);
	ck_assert_uint_eq(len, n);
	ck_assert_int_eq(
	    parse("GET", "/dns-query?dns=" RFC8484_GET "==", NULL, NULL, 0, &len),
	    200);
	ck_assert_uint_eq(len, n);
}
END_TEST

START_TEST(test_get_refusals)
{
	size_t len = 99;

	ck_assert_int_eq(parse("GET", "/dns-query", NULL, NULL, 0, &len), 400);
	ck_assert_int_eq(parse("GET", "/dns-query?dns=", NULL, NULL, 0, &len),
			 400);
	ck_assert_int_eq(parse("GET", "/dns-query?dnsx=" RFC8484_GET, NULL,
			       NULL, 0, &len),
			 400);
	ck_assert_int_eq(
	    parse("GET", "/dns-query?dns=AAAB+AAB", NULL, NULL, 0, &len), 400);
	/* base64 (not url): '/' is not in the alphabet. */
	ck_assert_int_eq(
	    parse("GET", "/dns-query?dns=AAAB/AAB", NULL, NULL, 0, &len), 400);
	/* Decodes to fewer bytes than a DNS header. */
	ck_assert_int_eq(parse("GET", "/dns-query?dns=AAABAAAB", NULL, NULL, 0,
			       &len),
			 400);
	ck_assert_int_eq(parse("GET", "/resolve?dns=" RFC8484_GET, NULL, NULL,
			       0, &len),
			 404);
	ck_assert_int_eq(parse("GET", "/dns-query/?dns=" RFC8484_GET, NULL,
			       NULL, 0, &len),
			 404);
	ck_assert_uint_eq(len, 0); /* not written on failure */
}
END_TEST

START_TEST(test_get_too_large)
{
	char target[2048] = "/dns-query?dns=";
	size_t len;

	/* 700 bytes of message do not fit the 512-byte buffer. */
	memset(target + strlen(target), 'A', 940);
	ck_assert_int_eq(parse("GET", target, NULL, NULL, 0, &len), 413);
}
END_TEST

START_TEST(test_post)
{
	size_t n = rfc_query(), len;

	ck_assert_int_eq(parse("POST", "/dns-query", "application/dns-message",
			       pkt.b, n, &len),
			 200);
	ck_assert_uint_eq(len, n);
	ck_assert_mem_eq(msg, pkt.b, n);
	/* Media types are case-insensitive; parameters are ignored. */
	ck_assert_int_eq(parse("POST", "/dns-query",
			       "Application/DNS-Message; charset=x", pkt.b, n,
			       &len),
			 200);
	ck_assert_int_eq(parse("POST", "/dns-query", "text/plain", pkt.b, n,
			       &len),
			 415);
	ck_assert_int_eq(parse("POST", "/dns-query", NULL, pkt.b, n, &len),
			 415);
	ck_assert_int_eq(parse("POST", "/dns-query", "application/dns-message",
			       pkt.b, 11, &len),
			 400);
	ck_assert_int_eq(parse("POST", "/dns-query", "application/dns-message",
			       pkt.b, sizeof(msg) + 1, &len),
			 413);
}
END_TEST

START_TEST(test_methods)
{
	size_t len;

	ck_assert_int_eq(parse("PUT", "/dns-query", NULL, NULL, 0, &len), 405);
	ck_assert_int_eq(parse("DELETE", "/dns-query?dns=" RFC8484_GET, NULL,
			       NULL, 0, &len),
			 405);
	ck_assert_int_eq(parse("HEAD", "/dns-query?dns=" RFC8484_GET, NULL,
			       NULL, 0, &len),
			 405);
	/* The path is checked first: a wrong path is 404 for any method. */
	ck_assert_int_eq(parse("PUT", "/x", NULL, NULL, 0, &len), 404);
}
END_TEST

START_TEST(test_base64url)
{
	uint8_t out[8];

	ck_assert_uint_eq(doh_base64url_decode("", 0, out, sizeof(out)), 0);
	ck_assert_uint_eq(doh_base64url_decode("-_8", 3, out, sizeof(out)), 2);
	ck_assert_uint_eq(out[0], 0xfb);
	ck_assert_uint_eq(out[1], 0xff);
	ck_assert_uint_eq(doh_base64url_decode("A", 1, out, sizeof(out)),
			  SIZE_MAX);
	ck_assert_uint_eq(doh_base64url_decode("AAAAAAAAAAAA", 12, out, 8),
			  SIZE_MAX); /* 9 bytes do not fit 8 */
	ck_assert_uint_eq(doh_base64url_decode("AA=A", 4, out, sizeof(out)),
			  SIZE_MAX);
}
END_TEST

static size_t
answer_rr(const char *owner, unsigned type, uint32_t ttl)
{
	size_t at = tu_rr_head(&pkt, owner, type, WIRE_CLASS_IN, ttl);

	tu_u32(&pkt, 0x0a000001);
	tu_rr_end(&pkt, at);
	return pkt.len;
}

START_TEST(test_max_age)
{
	size_t n;

	tu_reset(&pkt);
	tu_header(&pkt, 0, 0x8180, 1, 2, 1, 1);
	tu_question(&pkt, "a.example", WIRE_TYPE_A, WIRE_CLASS_IN);
	answer_rr("a.example", WIRE_TYPE_A, 300);
	answer_rr("a.example", WIRE_TYPE_A, 120);
	answer_rr("example", WIRE_TYPE_A, 900);
	n = answer_rr("x.example", WIRE_TYPE_A, 5); /* additional: ignored */
	ck_assert_uint_eq(doh_max_age(pkt.b, n), 120);

	/* No records: nothing to bound it by. */
	tu_reset(&pkt);
	tu_header(&pkt, 0, 0x8183, 1, 0, 0, 0);
	tu_question(&pkt, "a.example", WIRE_TYPE_A, WIRE_CLASS_IN);
	ck_assert_uint_eq(doh_max_age(pkt.b, pkt.len), 0);

	/* RFC 2181 §8: a TTL with the top bit set counts as zero. */
	tu_reset(&pkt);
	tu_header(&pkt, 0, 0x8180, 1, 1, 0, 0);
	tu_question(&pkt, "a.example", WIRE_TYPE_A, WIRE_CLASS_IN);
	n = answer_rr("a.example", WIRE_TYPE_A, 0x80000000u);
	ck_assert_uint_eq(doh_max_age(pkt.b, n), 0);

	/* Truncated or garbage: 0, never a crash. */
	ck_assert_uint_eq(doh_max_age(pkt.b, n - 3), 0);
	ck_assert_uint_eq(doh_max_age(pkt.b, 5), 0);
	ck_assert_uint_eq(doh_max_age(NULL, 0), 0);
}
END_TEST

static Suite *
doh_suite(void)
{
	Suite *s = suite_create("doh");
	TCase *tc;

	tc = tcase_create("request");
	tcase_add_test(tc, test_get_rfc_vector);
	tcase_add_test(tc, test_get_refusals);
	tcase_add_test(tc, test_get_too_large);
	tcase_add_test(tc, test_post);
	tcase_add_test(tc, test_methods);
	suite_add_tcase(s, tc);

	tc = tcase_create("encoding");
	tcase_add_test(tc, test_base64url);
	tcase_add_test(tc, test_max_age);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(doh_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed != 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
