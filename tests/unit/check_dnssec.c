/*
 * tests/unit/check_dnssec.c - unit tests of DNSSEC stripping.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * The VPC Resolver returns no DNSSEC records (engine/dnssec.h): RRSIG,
 * NSEC, NSEC3 and the other DNSSEC types leave every section, except the
 * type a query asked for explicitly, in the answer section; other RRs
 * stay in their order; a buffer that does not parse is left alone.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "check_util.h"
#include "engine/dnssec.h"

static void
rr(struct tu_pkt *p, const char *owner, unsigned type, uint8_t byte)
{
	size_t at = tu_rr_head(p, owner, type, WIRE_CLASS_IN, 300);

	tu_u8(p, byte);
	tu_rr_end(p, at);
}

/* The type and first RDATA byte of RR @i of @p (normalized RRs). */
static void
rr_at(const struct tu_pkt *p, size_t len, unsigned i, uint16_t *type,
      uint8_t *byte)
{
	struct wire_reader r;

	wire_reader_init(&r, p->b, len);
	for (unsigned k = 0;; k++) {
		uint16_t t, rdlen;

		wire_read_name(&r, NULL);
		t = wire_read_u16(&r);
		wire_skip(&r, 6);
		rdlen = wire_read_u16(&r);
		ck_assert_int_eq(r.err, VPC_OK);
		if (k == i) {
			*type = t;
			*byte = r.buf[r.pos];
			return;
		}
		wire_skip(&r, rdlen);
	}
}

START_TEST(test_types)
{
	static const uint16_t dnssec[] = {24, 25, 30, 43, 46, 47, 48, 50,
					  51, 59, 60};
	static const uint16_t plain[] = {1, 2, 5, 6, 12, 15, 16, 28, 33,
					 39, 52, 65, 257};

	for (size_t i = 0; i < sizeof(dnssec) / sizeof(dnssec[0]); i++)
		ck_assert(dnssec_is_dnssec_type(dnssec[i]));
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		ck_assert(!dnssec_is_dnssec_type(plain[i]));
	/* Asked for explicitly: kept in the answer, nowhere else. */
	ck_assert(dnssec_keeps(48, 0, 48));
	ck_assert(!dnssec_keeps(48, 1, 48));
	ck_assert(!dnssec_keeps(48, 0, 46)); /* the keys' RRSIGs */
	ck_assert(!dnssec_keeps(WIRE_TYPE_ANY, 0, 46));
	ck_assert(dnssec_keeps(46, 0, 46));
	ck_assert(dnssec_keeps(1, 2, 1));
}
END_TEST

START_TEST(test_strip_sections)
{
	static struct tu_pkt p;
	uint16_t count[3] = {3, 3, 2}, type;
	size_t len;
	uint8_t b;

	tu_reset(&p);
	rr(&p, "www.example.com", WIRE_TYPE_CNAME, 1);
	rr(&p, "www.example.com", WIRE_TYPE_RRSIG, 2);
	rr(&p, "example.com", WIRE_TYPE_A, 3);
	rr(&p, "example.com", WIRE_TYPE_SOA, 4);
	rr(&p, "example.com", 47, 5);	/* NSEC */
	rr(&p, "x.example.com", 50, 6); /* NSEC3 */
	rr(&p, "ns.example.com", 43, 7); /* DS */
	rr(&p, "ns.example.com", WIRE_TYPE_A, 8);
	len = dnssec_strip(p.b, p.len, count, WIRE_TYPE_A);
	ck_assert_uint_lt(len, p.len);
	ck_assert_uint_eq(count[0], 2);
	ck_assert_uint_eq(count[1], 1);
	ck_assert_uint_eq(count[2], 1);
	rr_at(&p, len, 0, &type, &b);
	ck_assert_uint_eq(type, WIRE_TYPE_CNAME);
	ck_assert_uint_eq(b, 1);
	rr_at(&p, len, 1, &type, &b);
	ck_assert_uint_eq(type, WIRE_TYPE_A);
	ck_assert_uint_eq(b, 3);
	rr_at(&p, len, 2, &type, &b);
	ck_assert_uint_eq(type, WIRE_TYPE_SOA);
	rr_at(&p, len, 3, &type, &b);
	ck_assert_uint_eq(type, WIRE_TYPE_A);
	ck_assert_uint_eq(b, 8);
}
END_TEST

START_TEST(test_strip_explicit)
{
	static struct tu_pkt p;
	uint16_t count[3] = {3, 0, 0}, type;
	size_t len;
	uint8_t b;

	tu_reset(&p);
	rr(&p, "example.com", 48, 1); /* DNSKEY */
	rr(&p, "example.com", 48, 2);
	rr(&p, "example.com", WIRE_TYPE_RRSIG, 3);
	len = dnssec_strip(p.b, p.len, count, 48);
	ck_assert_uint_eq(count[0], 2);
	rr_at(&p, len, 1, &type, &b);
	ck_assert_uint_eq(type, 48);
	ck_assert_uint_eq(b, 2);
}
END_TEST

START_TEST(test_strip_bad)
{
	static struct tu_pkt p;
	uint16_t count[3] = {2, 0, 0};
	uint8_t copy[64];

	tu_reset(&p);
	rr(&p, "example.com", WIRE_TYPE_RRSIG, 1);
	memcpy(copy, p.b, p.len);
	/* Two RRs announced, one there: nothing changes. */
	ck_assert_uint_eq(dnssec_strip(p.b, p.len, count, 1), SIZE_MAX);
	ck_assert_uint_eq(count[0], 2);
	ck_assert_mem_eq(p.b, copy, p.len);
	/* Nothing at all. */
	count[0] = 0;
	ck_assert_uint_eq(dnssec_strip(p.b, 0, count, 1), 0);
}
END_TEST

static Suite *
dnssec_suite(void)
{
	Suite *s = suite_create("dnssec");
	TCase *tc = tcase_create("strip");

	tcase_add_test(tc, test_types);
	tcase_add_test(tc, test_strip_sections);
	tcase_add_test(tc, test_strip_explicit);
	tcase_add_test(tc, test_strip_bad);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(dnssec_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
