/*
 * tests/unit/check_ec2.c - unit tests of the EC2 names every VPC resolves
 * by itself (ec2_, SPEC 1.7): private hostnames ip-a-b-c-d under
 * ec2.internal (us-east-1) or <region>.compute.internal, and PTR records
 * for the addresses of the VPC's IPv4 cidr-blocks.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * The zones come from a real configuration (check_dataset.h); the
 * parsers are asked directly on those zones and the answers through
 * answer_query().
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include <check.h>

#include "check_dataset.h"
#include "check_util.h"
#include "dns/wire.h"
#include "engine/answer.h"
#include "engine/ec2.h"
#include "engine/view.h"
#include "engine/zone.h"

static struct tu_ds ds;

/* us-east-1 with two ranges (one not on an octet boundary), eu-west-1,
 * and an outside client range.  The private ranges' reserved reverse
 * zones are off in VPC 1 (autodefined-reverse, engine/reserved.h), so
 * that addresses outside its ranges are forwarded as before. */
static const char ec2_yaml[] = "upstreams: [\"192.0.2.53:53\"]\n"
			       "vpcs:\n"
			       "  - id: vpc-0a0a0a0a\n"
			       "    region: us-east-1\n"
			       "    cidr-blocks: [10.0.0.0/16, 172.16.4.0/22]\n"
			       "    clients: [10.0.0.0/8]\n"
			       "    autodefined-reverse: false\n"
			       "  - id: vpc-0b0b0b0b\n"
			       "    region: eu-west-1\n"
			       "    cidr-blocks: [192.168.8.0/24]\n"
			       "    clients: [192.168.0.0/16]\n";

static void
setup(void)
{
	tu_ds_load(&ds, ec2_yaml);
}

static void
teardown(void)
{
	tu_ds_free(&ds);
}

/* The zone of the VPC view of @client that owns @name. */
static const struct zone *
zone_of(const char *client, const char *name)
{
	const struct view *v = tu_ds_view(&ds, client, VIEW_NOT_INBOUND);
	uint8_t n[WIRE_MAX_NAME_LEN];

	return view_find_zone(v, n, tu_name(name, n));
}

static bool
parse_host(const char *client, const char *name, uint8_t *ip)
{
	const struct zone *z = zone_of(client, name);
	uint8_t n[WIRE_MAX_NAME_LEN];

	return z != NULL && ec2_parse_hostname(z, n, tu_name(name, n), ip);
}

START_TEST(test_parse_hostname)
{
	uint8_t ip[4];
	static const uint8_t want[4] = {10, 0, 1, 15};

	ck_assert(parse_host("10.0.0.5", "ip-10-0-1-15.ec2.internal", ip));
	ck_assert_mem_eq(ip, want, 4);
	ck_assert(parse_host("10.0.0.5", "ip-172-16-7-255.ec2.internal", ip));
	ck_assert(parse_host("192.168.1.1",
			     "ip-192-168-8-1.eu-west-1.compute.internal", ip));
}
END_TEST

START_TEST(test_parse_hostname_rejects)
{
	uint8_t ip[4];

	/* Outside the VPC's ranges (172.16.4.0/22 ends at .7.255). */
	ck_assert(!parse_host("10.0.0.5", "ip-10-1-0-1.ec2.internal", ip));
	ck_assert(!parse_host("10.0.0.5", "ip-172-16-8-1.ec2.internal", ip));
	/* Not the decimal form: leading zeros, > 255, three or five
	 * octets, other characters, another prefix, a deeper name. */
	ck_assert(!parse_host("10.0.0.5", "ip-010-0-1-15.ec2.internal", ip));
	ck_assert(!parse_host("10.0.0.5", "ip-10-0-1-256.ec2.internal", ip));
	ck_assert(!parse_host("10.0.0.5", "ip-10-0-1.ec2.internal", ip));
	ck_assert(!parse_host("10.0.0.5", "ip-10-0-1-1-1.ec2.internal", ip));
	ck_assert(!parse_host("10.0.0.5", "ip-10-0-1-x.ec2.internal", ip));
	ck_assert(!parse_host("10.0.0.5", "ip-10-0-1-.ec2.internal", ip));
	ck_assert(!parse_host("10.0.0.5", "host-10-0-1-15.ec2.internal", ip));
	ck_assert(!parse_host("10.0.0.5", "a.ip-10-0-1-15.ec2.internal", ip));
	/* The other VPC's Region's domain. */
	ck_assert_ptr_null(
	    zone_of("10.0.0.5", "ip-10-0-1-15.eu-west-1.compute.internal"));
}
END_TEST

START_TEST(test_hostname_of)
{
	static const uint8_t ip[4] = {10, 0, 1, 15};
	uint8_t d[WIRE_MAX_NAME_LEN], out[WIRE_MAX_NAME_LEN];
	size_t dlen = tu_name("ec2.internal", d);
	size_t len = ec2_hostname(ip, d, dlen, out);

	ck_assert(tu_name_is(out, len, "ip-10-0-1-15.ec2.internal"));
}
END_TEST

START_TEST(test_parse_ptr)
{
	const char *name = "15.1.0.10.in-addr.arpa";
	const struct zone *z = zone_of("10.0.0.5", name);
	uint8_t n[WIRE_MAX_NAME_LEN], ip[4];
	static const uint8_t want[4] = {10, 0, 1, 15};

	ck_assert_ptr_nonnull(z);
	ck_assert(ec2_parse_ptr(z, n, tu_name(name, n), ip));
	ck_assert_mem_eq(ip, want, 4);
	/* A partial name inside the ranges is owned (an empty
	 * non-terminal), a full one is parsed, anything else is not. */
	ck_assert(ec2_ptr_owns(z, n, tu_name("1.0.10.in-addr.arpa", n)));
	ck_assert(!ec2_parse_ptr(z, n, tu_name("1.0.10.in-addr.arpa", n), ip));
	ck_assert(
	    !ec2_parse_ptr(z, n, tu_name("x.1.0.10.in-addr.arpa", n), ip));
	ck_assert(
	    !ec2_parse_ptr(z, n, tu_name("015.1.0.10.in-addr.arpa", n), ip));
}
END_TEST

/* Asks from a VPC client of us-east-1. */
static void
ask(const char *name, uint16_t type)
{
	ck_assert_int_eq(
	    tu_ds_ask(&ds, name, type, "10.0.0.5", VIEW_NOT_INBOUND),
	    ANSWER_REPLY);
}

START_TEST(test_answer_a)
{
	char buf[64];

	ask("ip-10-0-1-15.ec2.internal", WIRE_TYPE_A);
	ck_assert_uint_eq(ds.resp.rcode, WIRE_RCODE_NOERROR);
	ck_assert(ds.resp.flags & WIRE_FLAG_AA);
	ck_assert_uint_eq(ds.resp.n_rrs, 1);
	ck_assert_uint_eq(ds.resp.rr[0].ttl, EC2_TTL);
	ck_assert_str_eq(tu_ds_first_a(&ds, buf, sizeof(buf)), "10.0.1.15");
	/* Case-insensitive, the question's case echoed in the owner. */
	ask("IP-10-0-1-15.EC2.Internal", WIRE_TYPE_A);
	ck_assert_str_eq(tu_ds_first_a(&ds, buf, sizeof(buf)), "10.0.1.15");
	ck_assert(tu_name_is(ds.resp.rr[0].owner, ds.resp.rr[0].owner_len,
			     "IP-10-0-1-15.EC2.Internal"));
	/* Another Region's form for the eu-west-1 VPC. */
	ck_assert_int_eq(
	    tu_ds_ask(&ds, "ip-192-168-8-1.eu-west-1.compute.internal",
		      WIRE_TYPE_A, "192.168.1.1", VIEW_NOT_INBOUND),
	    ANSWER_REPLY);
	ck_assert_str_eq(tu_ds_first_a(&ds, buf, sizeof(buf)), "192.168.8.1");
}
END_TEST

START_TEST(test_answer_nodata_nxdomain)
{
	/* Other types of a hostname: NODATA with the zone's SOA. */
	ask("ip-10-0-1-15.ec2.internal", WIRE_TYPE_AAAA);
	ck_assert_uint_eq(ds.resp.rcode, WIRE_RCODE_NOERROR);
	ck_assert(ds.resp.flags & WIRE_FLAG_AA);
	ck_assert_uint_eq(tu_count(&ds.resp, 0, 0), 0);
	ck_assert_uint_eq(tu_count(&ds.resp, 1, WIRE_TYPE_SOA), 1);
	/* Not a hostname of the VPC (outside its ranges, malformed): the
	 * zone is authoritative, NXDOMAIN. */
	ask("ip-10-1-0-1.ec2.internal", WIRE_TYPE_A);
	ck_assert_uint_eq(ds.resp.rcode, WIRE_RCODE_NXDOMAIN);
	ck_assert_uint_eq(tu_count(&ds.resp, 1, WIRE_TYPE_SOA), 1);
	ask("ip-010-0-1-15.ec2.internal", WIRE_TYPE_A);
	ck_assert_uint_eq(ds.resp.rcode, WIRE_RCODE_NXDOMAIN);
}
END_TEST

START_TEST(test_answer_ptr)
{
	ask("15.1.0.10.in-addr.arpa", WIRE_TYPE_PTR);
	ck_assert_uint_eq(ds.resp.rcode, WIRE_RCODE_NOERROR);
	ck_assert(ds.resp.flags & WIRE_FLAG_AA);
	ck_assert_uint_eq(ds.resp.n_rrs, 1);
	ck_assert_uint_eq(ds.resp.rr[0].type, WIRE_TYPE_PTR);
	ck_assert_uint_eq(ds.resp.rr[0].ttl, EC2_TTL);
	ck_assert(tu_name_is(ds.resp.rr[0].target, ds.resp.rr[0].target_len,
			     "ip-10-0-1-15.ec2.internal"));
	/* A range not on an octet boundary. */
	ask("9.5.16.172.in-addr.arpa", WIRE_TYPE_PTR);
	ck_assert(tu_name_is(ds.resp.rr[0].target, ds.resp.rr[0].target_len,
			     "ip-172-16-5-9.ec2.internal"));
	/* A types of a reverse name and partial names: NODATA. */
	ask("15.1.0.10.in-addr.arpa", WIRE_TYPE_A);
	ck_assert_uint_eq(ds.resp.rcode, WIRE_RCODE_NOERROR);
	ck_assert_uint_eq(tu_count(&ds.resp, 0, 0), 0);
	ask("1.0.10.in-addr.arpa", WIRE_TYPE_PTR);
	ck_assert_uint_eq(ds.resp.rcode, WIRE_RCODE_NOERROR);
	ck_assert_uint_eq(tu_count(&ds.resp, 0, 0), 0);
	ck_assert_uint_eq(tu_count(&ds.resp, 1, WIRE_TYPE_SOA), 1);
}
END_TEST

START_TEST(test_ptr_outside_ranges_forwarded)
{
	/* Reverse zones own only names inside the cidr-blocks: 172.16.8.x
	 * shares the 16.172 octets but not the /22; 10.1.x.x is another
	 * /16 (docs/DESIGN.md). */
	ck_assert_int_eq(tu_ds_ask(&ds, "1.8.16.172.in-addr.arpa",
				   WIRE_TYPE_PTR, "10.0.0.5", VIEW_NOT_INBOUND),
			 ANSWER_FORWARD);
	ck_assert_int_eq(tu_ds_ask(&ds, "1.0.1.10.in-addr.arpa", WIRE_TYPE_PTR,
				   "10.0.0.5", VIEW_NOT_INBOUND),
			 ANSWER_FORWARD);
	/* IPv6 reverse names are not synthesized. */
	ck_assert_int_eq(
	    tu_ds_ask(&ds,
		      "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0."
		      "0.0.0.0.0.d.f.ip6.arpa",
		      WIRE_TYPE_PTR, "10.0.0.5", VIEW_NOT_INBOUND),
	    ANSWER_FORWARD);
}
END_TEST

START_TEST(test_other_vpc_and_outside)
{
	/* The eu-west-1 VPC has no ec2.internal: forwarded. */
	ck_assert_int_eq(tu_ds_ask(&ds, "ip-10-0-1-15.ec2.internal",
				   WIRE_TYPE_A, "192.168.1.1",
				   VIEW_NOT_INBOUND),
			 ANSWER_FORWARD);
	/* Outside clients get no EC2 names. */
	ck_assert_int_eq(tu_ds_ask(&ds, "ip-10-0-1-15.ec2.internal",
				   WIRE_TYPE_A, "172.20.0.1", VIEW_NOT_INBOUND),
			 ANSWER_FORWARD);
	ck_assert_int_eq(tu_ds_ask(&ds, "15.1.0.10.in-addr.arpa", WIRE_TYPE_PTR,
				   "172.20.0.1", VIEW_NOT_INBOUND),
			 ANSWER_FORWARD);
}
END_TEST

static Suite *
ec2_suite(void)
{
	Suite *s = suite_create("ec2");
	TCase *tc;

	tc = tcase_create("parse");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_parse_hostname);
	tcase_add_test(tc, test_parse_hostname_rejects);
	tcase_add_test(tc, test_hostname_of);
	tcase_add_test(tc, test_parse_ptr);
	suite_add_tcase(s, tc);

	tc = tcase_create("answer");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_answer_a);
	tcase_add_test(tc, test_answer_nodata_nxdomain);
	tcase_add_test(tc, test_answer_ptr);
	tcase_add_test(tc, test_ptr_outside_ranges_forwarded);
	tcase_add_test(tc, test_other_vpc_and_outside);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(ec2_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
