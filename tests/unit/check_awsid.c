/*
 * tests/unit/check_awsid.c - the AWS identifier grammars (util/awsid.h)
 * that the configuration, the importer and the service catalog share.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Every Region AWS lists in each partition is accepted, and near misses
 * (case, a missing hyphen, digits in a word, too many words) are not.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "util/awsid.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static bool
region(const char *s)
{
	return awsid_region(s, strlen(s));
}

START_TEST(test_regions_valid)
{
	static const char *const ok[] = {
	    "us-east-1",      "us-west-2",      "af-south-1",
	    "ap-east-1",      "ap-southeast-5", "ap-northeast-3",
	    "ca-west-1",      "eu-central-2",   "il-central-1",
	    "me-central-1",   "mx-central-1",   "sa-east-1",
	    "cn-north-1",     "cn-northwest-1", "us-gov-west-1",
	    "us-gov-east-1",  "us-iso-east-1",  "us-isob-east-1",
	    "eu-isoe-west-1", "us-isof-south-1", "eusc-de-east-1",
	    "ap-southeast-12",
	};

	for (size_t i = 0; i < NELEM(ok); i++)
		ck_assert_msg(region(ok[i]), "%s rejected", ok[i]);
}
END_TEST

START_TEST(test_regions_invalid)
{
	static const char *const bad[] = {
	    "",           "us",          "us-east",       "us-east1",
	    "useast1",    "US-EAST-1",   "us-East-1",     "us--east-1",
	    "us-east-",   "-us-east-1",  "us-east-1-",    "u-east-1",
	    "abcde-east-1", "us-e-1",    "us-ea5t-1",     "us-east-123",
	    "us-gov-west-north-1",       "us-east-1a",    "us_east_1",
	    "us-east-1 ", "us-east-x",   "us-averyveryveryveryverylongword-1",
	};

	for (size_t i = 0; i < NELEM(bad); i++)
		ck_assert_msg(!region(bad[i]), "'%s' accepted", bad[i]);
}
END_TEST

/* The length bounds the scan: a Region inside a longer string. */
START_TEST(test_region_len)
{
	static const char s[] = "us-east-1.s3";

	ck_assert(awsid_region(s, 9));
	ck_assert(!awsid_region(s, 8));
	ck_assert(!awsid_region(s, sizeof(s) - 1));
}
END_TEST

START_TEST(test_az)
{
	char r[AWSID_REGION_MAX];

	ck_assert(awsid_az("us-east-1a", r));
	ck_assert_str_eq(r, "us-east-1");
	ck_assert(awsid_az("cn-north-1b", r));
	ck_assert_str_eq(r, "cn-north-1");
	ck_assert(awsid_az("us-gov-west-1c", NULL));
	ck_assert(awsid_az("eusc-de-east-1a", NULL));
	ck_assert(!awsid_az("us-east-1", NULL));
	ck_assert(!awsid_az("us-east-1A", NULL));
	ck_assert(!awsid_az("us-east-1-a", NULL));
	ck_assert(!awsid_az("us-east-1ab", NULL));
	ck_assert(!awsid_az("a", NULL));
	ck_assert(!awsid_az("", NULL));
	/* Local Zones are not Availability Zones of a subnet here. */
	ck_assert(!awsid_az("us-west-2-lax-1a", NULL));
}
END_TEST

START_TEST(test_ids)
{
	ck_assert(awsid_vpc_id("vpc-0123456789abcdef0"));
	ck_assert(awsid_vpc_id("vpc-1"));
	ck_assert(awsid_vpc_id("vpc-a-b"));
	ck_assert(awsid_vpc_id("vpc-0123456789abcdef0123456789abcdef"));
	ck_assert(!awsid_vpc_id("vpc-0123456789abcdef0123456789abcdef0"));
	ck_assert(!awsid_vpc_id("vpc-"));
	ck_assert(!awsid_vpc_id("VPC-1"));
	ck_assert(!awsid_vpc_id("vpc-A"));
	ck_assert(!awsid_vpc_id("vpce-1"));
	ck_assert(awsid_vpce_id("vpce-0123456789abcdef0"));
	ck_assert(awsid_vpce_id("vpce-1"));
	ck_assert(!awsid_vpce_id("vpce-0123456789abcdef01"));
	ck_assert(!awsid_vpce_id("vpce-g"));
	ck_assert(!awsid_vpce_id("vpce-"));
	ck_assert(!awsid_vpce_id("vpc-1"));
	ck_assert(awsid_vpce_suffix("a1b2c3d4"));
	ck_assert(!awsid_vpce_suffix("a1b2c3d"));
	ck_assert(!awsid_vpce_suffix("a1b2c3d4e"));
	ck_assert(!awsid_vpce_suffix("A1b2c3d4"));
	ck_assert(!awsid_vpce_suffix("a1b2-3d4"));
	ck_assert(!awsid_vpce_suffix(""));
}
END_TEST

static Suite *
awsid_suite(void)
{
	Suite *s = suite_create("awsid");
	TCase *tc = tcase_create("grammars");

	tcase_add_test(tc, test_regions_valid);
	tcase_add_test(tc, test_regions_invalid);
	tcase_add_test(tc, test_region_len);
	tcase_add_test(tc, test_az);
	tcase_add_test(tc, test_ids);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(awsid_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed != 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
