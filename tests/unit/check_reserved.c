/*
 * tests/unit/check_reserved.c - unit tests of the reserved names
 * (engine/reserved.h, SPEC 1.9).
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * localhost (and below), localhost.localdomain, 1.0.0.127.in-addr.arpa
 * and the ::1 name answer the loopback; other names under them and under
 * the private ranges' reverse zones are NXDOMAIN, never forwarded; the
 * VPC's own addresses keep their EC2 PTR names, also under a cidr-block
 * narrower than the octet boundary; autodefined-reverse: false turns the
 * private reverse zones off (forwarded again); a forward rule of exactly
 * a reserved name wins, a "." rule does not; enable-dns-hostnames: false
 * has none of them.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "check_engine.h"

#define BASE                                                                   \
	"upstreams: [127.0.0.1:5353]\n"                                        \
	"vpcs:\n"                                                              \
	"  - id: vpc-1\n"                                                      \
	"    region: us-east-1\n"                                              \
	"    cidr-blocks: [10.0.0.0/17, 172.31.0.0/16, 172.16.4.0/22]\n"

#define ROOT_RULE                                                              \
	"    rules:\n"                                                         \
	"      - {domain: ., type: forward, targets: [127.0.0.1:5354]}\n"

static const char *const ip6_loop =
    "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0."
    "ip6.arpa";
static const char *const ip6_any =
    "0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0."
    "ip6.arpa";

static void
expect_local(const char *name, uint16_t type, unsigned rcode, unsigned an)
{
	ck_assert_msg(te_ask("10.0.0.5", name, type) == ANSWER_REPLY,
		      "%s was not answered locally", name);
	ck_assert_msg(te_resp.rcode == rcode, "%s: rcode %u", name,
		      te_resp.rcode);
	ck_assert_uint_eq(te_resp.count[MSG_ANSWER], an);
	ck_assert(te_resp.flags & WIRE_FLAG_AA);
	if (an == 0)
		ck_assert_uint_eq(tu_count(&te_resp, MSG_AUTHORITY,
					   WIRE_TYPE_SOA), 1);
}

START_TEST(test_localhost)
{
	te_load(BASE ROOT_RULE);
	expect_local("localhost", WIRE_TYPE_A, WIRE_RCODE_NOERROR, 1);
	te_expect_rr(0, WIRE_TYPE_A, NULL);
	ck_assert_mem_eq(te_out + te_resp.rr[0].rdata_off, "\x7f\0\0\x01", 4);
	expect_local("LocalHost", WIRE_TYPE_AAAA, WIRE_RCODE_NOERROR, 1);
	expect_local("foo.bar.localhost", WIRE_TYPE_A, WIRE_RCODE_NOERROR, 1);
	expect_local("localhost", WIRE_TYPE_MX, WIRE_RCODE_NOERROR, 0);
	expect_local("localhost.localdomain", WIRE_TYPE_A, WIRE_RCODE_NOERROR,
		     1);
	expect_local("host.localdomain", WIRE_TYPE_A, WIRE_RCODE_NXDOMAIN, 0);
	expect_local("localdomain", WIRE_TYPE_A, WIRE_RCODE_NOERROR, 0);
	te_unload();
}
END_TEST

START_TEST(test_loopback_reverse)
{
	te_load(BASE ROOT_RULE);
	expect_local("1.0.0.127.in-addr.arpa", WIRE_TYPE_PTR,
		     WIRE_RCODE_NOERROR, 1);
	te_expect_rr(0, WIRE_TYPE_PTR, "localhost");
	expect_local("2.0.0.127.in-addr.arpa", WIRE_TYPE_PTR,
		     WIRE_RCODE_NXDOMAIN, 0);
	expect_local("0.0.127.in-addr.arpa", WIRE_TYPE_PTR, WIRE_RCODE_NOERROR,
		     0);
	expect_local(ip6_loop, WIRE_TYPE_PTR, WIRE_RCODE_NOERROR, 1);
	te_expect_rr(0, WIRE_TYPE_PTR, "localhost");
	expect_local(ip6_any, WIRE_TYPE_PTR, WIRE_RCODE_NOERROR, 0);
	te_unload();
}
END_TEST

START_TEST(test_private_reverse)
{
	te_load(BASE ROOT_RULE);
	/* RFC 1918 addresses without a name: NXDOMAIN, not forwarded to
	 * the "." rule. */
	expect_local("4.3.2.10.in-addr.arpa", WIRE_TYPE_PTR,
		     WIRE_RCODE_NXDOMAIN, 0);
	expect_local("1.1.20.172.in-addr.arpa", WIRE_TYPE_PTR,
		     WIRE_RCODE_NXDOMAIN, 0);
	expect_local("1.1.168.192.in-addr.arpa", WIRE_TYPE_PTR,
		     WIRE_RCODE_NXDOMAIN, 0);
	expect_local("254.169.254.169.in-addr.arpa", WIRE_TYPE_PTR,
		     WIRE_RCODE_NOERROR, 0);
	/* The VPC's own addresses keep their EC2 names; 10.0.200.1 lies
	 * past the /17 under the same 0.10 apex: the 10/8 zone answers. */
	expect_local("15.1.0.10.in-addr.arpa", WIRE_TYPE_PTR,
		     WIRE_RCODE_NOERROR, 1);
	te_expect_rr(0, WIRE_TYPE_PTR, "ip-10-0-1-15.ec2.internal");
	expect_local("1.200.0.10.in-addr.arpa", WIRE_TYPE_PTR,
		     WIRE_RCODE_NXDOMAIN, 0);
	/* 172.31.0.0/16: the EC2 reverse zone has the reserved zone's apex
	 * and answers the rest of it NXDOMAIN. */
	expect_local("6.5.31.172.in-addr.arpa", WIRE_TYPE_PTR,
		     WIRE_RCODE_NOERROR, 1);
	te_expect_rr(0, WIRE_TYPE_PTR, "ip-172-31-5-6.ec2.internal");
	/* 172.16.4.0/22's reverse zone has the apex 16.172.in-addr.arpa of
	 * a reserved zone: its own names, and NXDOMAIN for the rest. */
	expect_local("9.5.16.172.in-addr.arpa", WIRE_TYPE_PTR,
		     WIRE_RCODE_NOERROR, 1);
	te_expect_rr(0, WIRE_TYPE_PTR, "ip-172-16-5-9.ec2.internal");
	expect_local("1.8.16.172.in-addr.arpa", WIRE_TYPE_PTR,
		     WIRE_RCODE_NXDOMAIN, 0);
	/* Not reserved: forwarded to the "." rule. */
	ck_assert_int_eq(te_ask("10.0.0.5", "1.1.1.172.in-addr.arpa",
				WIRE_TYPE_PTR), ANSWER_FORWARD);
	ck_assert_int_eq(te_ask("10.0.0.5", "1.2.254.169.in-addr.arpa",
				WIRE_TYPE_PTR), ANSWER_FORWARD);
	ck_assert_int_eq(te_ask("10.0.0.5", "1.0.0.1.in-addr.arpa",
				WIRE_TYPE_PTR), ANSWER_FORWARD);
	te_unload();
}
END_TEST

START_TEST(test_autodefined_reverse_off)
{
	te_load(BASE "    autodefined-reverse: false\n");
	ck_assert_int_eq(te_ask("10.0.0.5", "4.3.2.10.in-addr.arpa",
				WIRE_TYPE_PTR), ANSWER_FORWARD);
	ck_assert_int_eq(te_ask("10.0.0.5", "254.169.254.169.in-addr.arpa",
				WIRE_TYPE_PTR), ANSWER_FORWARD);
	ck_assert_int_eq(te_ask("10.0.0.5", "1.8.16.172.in-addr.arpa",
				WIRE_TYPE_PTR), ANSWER_FORWARD);
	/* The VPC's own PTR and the loopback names stay. */
	expect_local("15.1.0.10.in-addr.arpa", WIRE_TYPE_PTR,
		     WIRE_RCODE_NOERROR, 1);
	expect_local("1.0.0.127.in-addr.arpa", WIRE_TYPE_PTR,
		     WIRE_RCODE_NOERROR, 1);
	expect_local("localhost", WIRE_TYPE_A, WIRE_RCODE_NOERROR, 1);
	te_unload();
}
END_TEST

START_TEST(test_exact_rule_overrides)
{
	te_load(BASE
		"    rules:\n"
		"      - {domain: 168.192.in-addr.arpa, type: forward,\n"
		"         targets: [127.0.0.1:5354]}\n"
		"      - {domain: localdomain, type: forward,\n"
		"         targets: [127.0.0.1:5355]}\n"
		"      - {domain: in-addr.arpa, type: forward,\n"
		"         targets: [127.0.0.1:5356]}\n");
	ck_assert_int_eq(te_ask("10.0.0.5", "1.1.168.192.in-addr.arpa",
				WIRE_TYPE_PTR), ANSWER_FORWARD);
	ck_assert_ptr_nonnull(te_job.trace.rule);
	ck_assert_str_eq(te_job.trace.rule->conf->domain,
			 "168.192.in-addr.arpa");
	ck_assert_int_eq(te_ask("10.0.0.5", "localhost.localdomain",
				WIRE_TYPE_A), ANSWER_FORWARD);
	/* A broader rule does not capture the reserved zones. */
	expect_local("4.3.2.10.in-addr.arpa", WIRE_TYPE_PTR,
		     WIRE_RCODE_NXDOMAIN, 0);
	te_unload();
}
END_TEST

START_TEST(test_hostnames_off)
{
	te_load(BASE "    enable-dns-hostnames: false\n");
	ck_assert_int_eq(te_ask("10.0.0.5", "localhost", WIRE_TYPE_A),
			 ANSWER_FORWARD);
	ck_assert_int_eq(te_ask("10.0.0.5", "4.3.2.10.in-addr.arpa",
				WIRE_TYPE_PTR), ANSWER_FORWARD);
	te_unload();
}
END_TEST

START_TEST(test_hosted_zone_wins)
{
	te_file("/tmp/check_reserved.zone",
		"$ORIGIN 10.in-addr.arpa.\n4.3.2 300 IN PTR mine.corp.\n");
	te_load(BASE "    hosted-zones:\n"
		     "      - {name: 10.in-addr.arpa, file: "
		     "/tmp/check_reserved.zone}\n");
	expect_local("4.3.2.10.in-addr.arpa", WIRE_TYPE_PTR,
		     WIRE_RCODE_NOERROR, 1);
	te_expect_rr(0, WIRE_TYPE_PTR, "mine.corp");
	te_unload();
	remove("/tmp/check_reserved.zone");
}
END_TEST

static Suite *
reserved_suite(void)
{
	Suite *s = suite_create("reserved");
	TCase *tc = tcase_create("names");

	tcase_add_test(tc, test_localhost);
	tcase_add_test(tc, test_loopback_reverse);
	tcase_add_test(tc, test_private_reverse);
	tcase_add_test(tc, test_autodefined_reverse_off);
	tcase_add_test(tc, test_exact_rule_overrides);
	tcase_add_test(tc, test_hostnames_off);
	tcase_add_test(tc, test_hosted_zone_wins);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(reserved_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
