/*
 * tests/unit/check_instances.c - unit tests of EC2 instance names
 * (`instances:`, engine/ec2.h): resource names with A/AAAA as the
 * resource-name options say, PTR (IPv4 and ip6.arpa) to the resource
 * name, public DNS names answering the private address inside the VPC,
 * and the configuration checks.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "check_engine.h"

#define VPC(region)                                                            \
	"upstreams: [127.0.0.1:5353]\n"                                        \
	"vpcs:\n"                                                              \
	"  - id: vpc-1\n"                                                      \
	"    region: " region "\n"                                             \
	"    cidr-blocks: [10.0.0.0/16, \"2600:1f18:aa:bb00::/56\"]\n"         \
	"    instances:\n"

#define INSTANCES                                                              \
	"      - {id: i-0123456789abcdef0, ipv4: 10.0.1.15,\n"                \
	"         ipv6: \"2600:1f18:aa:bb01::15\", public-ipv4: 54.1.2.3,\n"  \
	"         hostname-type: resource-name,\n"                             \
	"         enable-resource-name-dns-a-record: true,\n"                  \
	"         enable-resource-name-dns-aaaa-record: true}\n"               \
	"      - {id: i-0aaaaaaaaaaaaaaa1, ipv4: 10.0.1.16}\n"                 \
	"      - {id: i-0bbbbbbbbbbbbbbb2, ipv6: \"2600:1f18:aa:bb01::17\",\n" \
	"         hostname-type: resource-name,\n"                             \
	"         enable-resource-name-dns-aaaa-record: true}\n"

static const char *const ptr6_15 =
    "5.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.b.b.a.a.0.0.8.1.f.1.0.0.6.2."
    "ip6.arpa";
static const char *const ptr6_99 =
    "9.9.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.b.b.a.a.0.0.8.1.f.1.0.0.6.2."
    "ip6.arpa";

static void
expect(const char *name, uint16_t type, unsigned rcode, unsigned an)
{
	ck_assert_msg(te_ask("10.0.0.5", name, type) == ANSWER_REPLY,
		      "%s was not answered locally", name);
	ck_assert_msg(te_resp.rcode == rcode, "%s: rcode %u", name,
		      te_resp.rcode);
	ck_assert_msg(te_resp.count[MSG_ANSWER] == an, "%s: %u answers",
		      name, te_resp.count[MSG_ANSWER]);
}

START_TEST(test_resource_names)
{
	te_load(VPC("us-east-1") INSTANCES);
	expect("i-0123456789abcdef0.ec2.internal", WIRE_TYPE_A,
	       WIRE_RCODE_NOERROR, 1);
	ck_assert_mem_eq(te_out + te_resp.rr[0].rdata_off, "\x0a\0\x01\x0f",
			 4);
	expect("I-0123456789ABCDEF0.EC2.INTERNAL", WIRE_TYPE_AAAA,
	       WIRE_RCODE_NOERROR, 1);
	/* Resource-name records off (the default): no such name. */
	expect("i-0aaaaaaaaaaaaaaa1.ec2.internal", WIRE_TYPE_A,
	       WIRE_RCODE_NXDOMAIN, 0);
	/* IPv6-only: AAAA, and NODATA for A. */
	expect("i-0bbbbbbbbbbbbbbb2.ec2.internal", WIRE_TYPE_AAAA,
	       WIRE_RCODE_NOERROR, 1);
	expect("i-0bbbbbbbbbbbbbbb2.ec2.internal", WIRE_TYPE_A,
	       WIRE_RCODE_NOERROR, 0);
	/* The ip-name hostnames still answer by rule. */
	expect("ip-10-0-1-16.ec2.internal", WIRE_TYPE_A, WIRE_RCODE_NOERROR,
	       1);
	expect("ip-10-0-1-15.ec2.internal", WIRE_TYPE_A, WIRE_RCODE_NOERROR,
	       1);
	te_unload();
}
END_TEST

START_TEST(test_ptr)
{
	te_load(VPC("us-east-1") INSTANCES);
	/* resource-name: the PTR names the resource name. */
	expect("15.1.0.10.in-addr.arpa", WIRE_TYPE_PTR, WIRE_RCODE_NOERROR, 1);
	te_expect_rr(0, WIRE_TYPE_PTR, "i-0123456789abcdef0.ec2.internal");
	/* ip-name: the computed ip- name, as before. */
	expect("16.1.0.10.in-addr.arpa", WIRE_TYPE_PTR, WIRE_RCODE_NOERROR, 1);
	te_expect_rr(0, WIRE_TYPE_PTR, "ip-10-0-1-16.ec2.internal");
	expect("1.0.10.in-addr.arpa", WIRE_TYPE_PTR, WIRE_RCODE_NOERROR, 0);
	/* IPv6: known addresses, NXDOMAIN for the others in the range. */
	expect(ptr6_15, WIRE_TYPE_PTR, WIRE_RCODE_NOERROR, 1);
	te_expect_rr(0, WIRE_TYPE_PTR, "i-0123456789abcdef0.ec2.internal");
	expect(ptr6_99, WIRE_TYPE_PTR, WIRE_RCODE_NXDOMAIN, 0);
	te_unload();
}
END_TEST

START_TEST(test_public_name)
{
	te_load(VPC("us-east-1") INSTANCES);
	expect("ec2-54-1-2-3.compute-1.amazonaws.com", WIRE_TYPE_A,
	       WIRE_RCODE_NOERROR, 1);
	ck_assert_mem_eq(te_out + te_resp.rr[0].rdata_off, "\x0a\0\x01\x0f",
			 4);
	/* Other public names are not the VPC's: forwarded. */
	ck_assert_int_eq(te_ask("10.0.0.5",
				"ec2-54-9-9-9.compute-1.amazonaws.com",
				WIRE_TYPE_A),
			 ANSWER_FORWARD);
	ck_assert_int_eq(te_ask("10.0.0.5", "compute-1.amazonaws.com",
				WIRE_TYPE_A),
			 ANSWER_FORWARD);
	te_unload();
	te_load(VPC("eu-west-1") INSTANCES);
	expect("ec2-54-1-2-3.eu-west-1.compute.amazonaws.com", WIRE_TYPE_A,
	       WIRE_RCODE_NOERROR, 1);
	expect("i-0123456789abcdef0.eu-west-1.compute.internal", WIRE_TYPE_A,
	       WIRE_RCODE_NOERROR, 1);
	expect("15.1.0.10.in-addr.arpa", WIRE_TYPE_PTR, WIRE_RCODE_NOERROR, 1);
	te_expect_rr(0, WIRE_TYPE_PTR,
		     "i-0123456789abcdef0.eu-west-1.compute.internal");
	te_unload();
}
END_TEST

START_TEST(test_conf_errors)
{
	ck_assert_ptr_nonnull(strstr(
	    te_error(VPC("us-east-1") "      - {id: i-12, ipv4: 10.0.0.1}\n"),
	    "an instance id"));
	ck_assert_ptr_nonnull(strstr(
	    te_error(VPC("us-east-1")
		     "      - {id: i-0123456789abcdef0, ipv4: 10.9.0.1}\n"),
	    "ipv4 is not in the VPC's cidr-blocks"));
	ck_assert_ptr_nonnull(strstr(
	    te_error(VPC("us-east-1")
		     "      - {id: i-0123456789abcdef0, ipv6: \"fd00::1\",\n"
		     "         hostname-type: resource-name}\n"),
	    "ipv6 is not in the VPC's IPv6 cidr-blocks"));
	ck_assert_ptr_nonnull(strstr(
	    te_error(VPC("us-east-1")
		     "      - {id: i-0123456789abcdef0,\n"
		     "         ipv6: \"2600:1f18:aa:bb01::1\"}\n"),
	    "hostname-type resource-name"));
	ck_assert_ptr_nonnull(strstr(
	    te_error(VPC("us-east-1")
		     "      - {id: i-01234567, ipv4: 10.0.0.1}\n"
		     "      - {id: i-01234567, ipv4: 10.0.0.2}\n"),
	    "duplicate instance id i-01234567"));
	ck_assert_ptr_nonnull(strstr(
	    te_error(VPC("us-east-1")
		     "      - {id: i-01234567, ipv4: 10.0.0.1,\n"
		     "         enable-resource-name-dns-aaaa-record: true}\n"),
	    "needs the instance's 'ipv6'"));
	ck_assert_str_eq(te_error(VPC("us-east-1") INSTANCES), "");
}
END_TEST

static Suite *
instances_suite(void)
{
	Suite *s = suite_create("instances");
	TCase *tc = tcase_create("names");

	tcase_add_test(tc, test_resource_names);
	tcase_add_test(tc, test_ptr);
	tcase_add_test(tc, test_public_name);
	tcase_add_test(tc, test_conf_errors);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(instances_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
