/*
 * tests/unit/check_import_instances.c - unit tests of `vpcdns import
 * --instances` (conf/import_instances.c): describe-instances JSON into
 * the VPCs' `instances:` lists.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * The fixture conf/examples/describe-instances.json is shaped like real
 * `aws ec2 describe-instances` output (every field the CLI prints, in its
 * order); the imported text is loaded and asked through the engine: the
 * resource names, ip- names, PTR and public DNS names answer as the
 * instances' PrivateDnsNameOptions say.  Inline JSON covers the merge
 * with describe-vpc-endpoints and every refusal.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "check_engine.h"
#include "check_util.h"
#include "conf/import.h"

/* import_aws() of @in; on success the YAML (caller frees), else NULL
 * with the messages joined in @msgs. */
static char *
run_import(const struct import_inputs *in, char *msgs, size_t cap)
{
	struct conf_errors errs = {0};
	char *yaml = NULL;
	size_t used = 0;
	int rc = import_aws(in, &yaml, &errs);

	msgs[0] = '\0';
	for (size_t i = 0; i < errs.n && used < cap; i++)
		used += (size_t)snprintf(msgs + used, cap - used, "%s\n",
					 errs.msgs[i]);
	conf_errors_cleanup(&errs);
	if (rc != VPC_OK) {
		ck_assert_ptr_null(yaml);
		return NULL;
	}
	ck_assert_uint_eq(errs.n, 0);
	return yaml;
}

static char *
import_instances(const char *json, char *msgs, size_t cap)
{
	struct import_inputs in = {.instances = json,
				   .instances_len = strlen(json),
				   .instances_name = "i.json"};

	return run_import(&in, msgs, cap);
}

/* Loads @yaml behind an upstream line into the engine (te_load). */
static void
load_imported(const char *yaml)
{
	size_t n = strlen(yaml) + 64;
	char *text = malloc(n);

	ck_assert_ptr_nonnull(text);
	snprintf(text, n, "upstreams: [127.0.0.1:5353]\n%s", yaml);
	te_load(text);
	free(text);
}

START_TEST(test_example)
{
	size_t len;
	char *json = tu_load_example("describe-instances.json", &len), msgs[2048];
	char *yaml = import_instances(json, msgs, sizeof(msgs));
	const struct conf_vpc *vpc;

	ck_assert_msg(yaml != NULL, "%s", msgs);
	ck_assert_ptr_nonnull(strstr(yaml, "(aws ec2 describe-instances)"));
	ck_assert_ptr_nonnull(strstr(yaml, "Instances[1] i-0ccccccccccccccc3: "
					   "not imported: State is "
					   "'terminated'"));
	load_imported(yaml);
	vpc = &te_conf->vpcs[0];
	ck_assert_str_eq(vpc->id, "vpc-0a1b2c3d4e5f60718");
	ck_assert_str_eq(vpc->region, "us-east-1");
	ck_assert_uint_eq(vpc->n_instances, 3);
	ck_assert_str_eq(vpc->instances[0].id, "i-0123456789abcdef0");
	ck_assert(vpc->instances[0].has_public_ipv4);
	ck_assert_int_eq(vpc->instances[0].hostname_type,
			 CONF_HOSTNAME_RESOURCE_NAME);
	/* The IPv6 address of the network interface (no Ipv6Address). */
	ck_assert(vpc->instances[0].has_ipv6);
	ck_assert(!vpc->instances[2].has_ipv4);
	/* Resource names as PrivateDnsNameOptions say. */
	ck_assert_int_eq(te_ask("10.0.0.9", "i-0123456789abcdef0.ec2.internal",
				WIRE_TYPE_A), ANSWER_REPLY);
	ck_assert_uint_eq(te_resp.count[MSG_ANSWER], 1);
	te_expect_rr(0, WIRE_TYPE_A, NULL);
	ck_assert_mem_eq(te_out + te_resp.rr[0].rdata_off, "\x0a\x00\x01\x32",
			 4);
	ck_assert_int_eq(te_ask("10.0.0.9", "i-0123456789abcdef0.ec2.internal",
				WIRE_TYPE_AAAA), ANSWER_REPLY);
	ck_assert_uint_eq(te_resp.count[MSG_ANSWER], 1);
	ck_assert_int_eq(te_ask("10.0.0.9", "i-0bbbbbbbbbbbbbbb2.ec2.internal",
				WIRE_TYPE_AAAA), ANSWER_REPLY);
	ck_assert_uint_eq(te_resp.count[MSG_ANSWER], 1);
	/* ip-name: the ip- name answers, the resource name is NXDOMAIN. */
	ck_assert_int_eq(te_ask("10.0.0.9", "ip-10-0-2-60.ec2.internal",
				WIRE_TYPE_A), ANSWER_REPLY);
	ck_assert_uint_eq(te_resp.count[MSG_ANSWER], 1);
	ck_assert_int_eq(te_ask("10.0.0.9", "i-0aaaaaaaaaaaaaaa1.ec2.internal",
				WIRE_TYPE_A), ANSWER_REPLY);
	ck_assert_uint_eq(te_resp.rcode, WIRE_RCODE_NXDOMAIN);
	/* PTR: the resource name of a resource-name instance. */
	ck_assert_int_eq(te_ask("10.0.0.9", "50.1.0.10.in-addr.arpa",
				WIRE_TYPE_PTR), ANSWER_REPLY);
	te_expect_rr(0, WIRE_TYPE_PTR, "i-0123456789abcdef0.ec2.internal");
	ck_assert_int_eq(te_ask("10.0.0.9", "60.2.0.10.in-addr.arpa",
				WIRE_TYPE_PTR), ANSWER_REPLY);
	te_expect_rr(0, WIRE_TYPE_PTR, "ip-10-0-2-60.ec2.internal");
	/* The public DNS name answers the private address inside. */
	ck_assert_int_eq(te_ask("10.0.0.9",
				"ec2-54-1-2-3.compute-1.amazonaws.com",
				WIRE_TYPE_A), ANSWER_REPLY);
	ck_assert_mem_eq(te_out + te_resp.rr[0].rdata_off, "\x0a\x00\x01\x32",
			 4);
	te_unload();
	free(yaml);
	free(json);
}
END_TEST

/* Instances join the VPC of the endpoints (one VPC, both lists). */
START_TEST(test_with_endpoints)
{
	size_t l1, l2, l3;
	char *ep = tu_load_example("describe-vpc-endpoints.json", &l1);
	char *ifs = tu_load_example("describe-network-interfaces.json", &l2);
	char *ins = tu_load_example("describe-instances.json", &l3), msgs[2048];
	struct import_inputs in = {ep, l1, "e.json", ifs, l2, "n.json",
				   ins, l3, "i.json"};
	char *yaml = run_import(&in, msgs, sizeof(msgs));

	ck_assert_msg(yaml != NULL, "%s", msgs);
	load_imported(yaml);
	ck_assert_uint_eq(te_conf->n_vpcs, 1);
	ck_assert_uint_eq(te_conf->vpcs[0].n_instances, 3);
	ck_assert_uint_gt(te_conf->vpcs[0].n_endpoints, 0);
	ck_assert_int_eq(te_ask("10.0.0.9",
				"secretsmanager.us-east-1.amazonaws.com",
				WIRE_TYPE_A), ANSWER_REPLY);
	ck_assert_uint_gt(te_resp.count[MSG_ANSWER], 0);
	ck_assert_int_eq(te_ask("10.0.0.9", "i-0123456789abcdef0.ec2.internal",
				WIRE_TYPE_A), ANSWER_REPLY);
	ck_assert_uint_eq(te_resp.count[MSG_ANSWER], 1);
	te_unload();
	free(yaml);
	free(ins);
	free(ifs);
	free(ep);
}
END_TEST

#define RES(instances) "{\"Reservations\": [{\"Instances\": [" instances "]}]}"
#define INST(id, vpc, az, ip)                                                  \
	"{\"InstanceId\": \"" id "\", \"VpcId\": \"" vpc "\", "                \
	"\"Placement\": {\"AvailabilityZone\": \"" az "\"}, "                 \
	"\"PrivateIpAddress\": \"" ip "\"}"

/* The import fails and a message holds @want. */
static void
expect_refused(const char *json, const char *want)
{
	char msgs[2048];
	char *yaml = import_instances(json, msgs, sizeof(msgs));

	ck_assert_ptr_null(yaml);
	ck_assert_msg(strstr(msgs, want) != NULL, "wanted '%s' in:\n%s", want,
		      msgs);
}

START_TEST(test_refused)
{
	expect_refused("{\"Vpcs\": []}", "i.json:1: ");
	expect_refused("{\"Reservations\": [", "not valid JSON");
	expect_refused(RES(INST("i-0123456789abcdef0", "vpc-1", "us-east-1a",
				"10.0.1.5") ", " INST("i-0123456789abcdef0",
						      "vpc-1", "us-east-1b",
						      "10.0.2.5")),
		       "Instances[1] (i-0123456789abcdef0): the same "
		       "InstanceId as Reservations[0].Instances[0]");
	expect_refused(RES(INST("i-XYZ", "vpc-1", "us-east-1a", "10.0.1.5")),
		       "InstanceId 'i-XYZ' is not i- and 8 or 17");
	expect_refused(RES(INST("i-0123456789abcdef0", "vpc-1", "useast",
				"10.0.1.5")),
		       "'useast' is not an Availability Zone");
	expect_refused(RES(INST("i-0123456789abcdef0", "vpc-1", "us-east-1a",
				"10.0.1.500")),
		       "PrivateIpAddress '10.0.1.500' is not an IPv4 address");
	/* A VPC is in one Region. */
	expect_refused(RES(INST("i-0123456789abcdef0", "vpc-1", "us-east-1a",
				"10.0.1.5") ", " INST("i-0123456789abcdef1",
						      "vpc-1", "eu-west-1a",
						      "10.0.2.5")),
		       "(i-0123456789abcdef1): is in eu-west-1, but vpc-1 is "
		       "in us-east-1");
	expect_refused(RES("{\"InstanceId\": \"i-0123456789abcdef0\", "
			   "\"VpcId\": \"vpc-1\", \"PrivateIpAddress\": "
			   "\"10.0.1.5\"}"),
		       "cannot tell the Region of vpc-1");
	expect_refused(RES("{\"InstanceId\": \"i-0123456789abcdef0\", "
			   "\"VpcId\": \"vpc-1\", \"Placement\": "
			   "{\"AvailabilityZone\": \"us-east-1a\"}, "
			   "\"PrivateIpAddress\": \"10.0.1.5\", "
			   "\"PrivateDnsNameOptions\": {\"HostnameType\": "
			   "\"dns-name\"}}"),
		       "HostnameType");
}
END_TEST

START_TEST(test_left_out)
{
	char msgs[2048];
	char *yaml = import_instances(
	    RES(INST("i-0123456789abcdef0", "vpc-1", "eu-west-1a",
		     "10.0.1.5") ", "
		"{\"InstanceId\": \"i-0aaaaaaa\", \"State\": {\"Name\": "
		"\"running\"}}, "
		"{\"InstanceId\": \"i-0bbbbbbb\", \"VpcId\": \"vpc-1\", "
		"\"State\": {\"Code\": 32, \"Name\": \"shutting-down\"}}"),
	    msgs, sizeof(msgs));

	ck_assert_msg(yaml != NULL, "%s", msgs);
	ck_assert_ptr_nonnull(strstr(yaml, "i-0aaaaaaa: not imported: it has "
					   "no VpcId"));
	ck_assert_ptr_nonnull(strstr(yaml, "i-0bbbbbbb: not imported: State "
					   "is 'shutting-down'"));
	ck_assert_ptr_nonnull(strstr(yaml, "      - 10.0.1.5/32\n"));
	load_imported(yaml);
	ck_assert_str_eq(te_conf->vpcs[0].region, "eu-west-1");
	ck_assert_uint_eq(te_conf->vpcs[0].n_instances, 1);
	/* Outside us-east-1: <region>.compute.internal. */
	ck_assert_int_eq(te_ask("10.0.0.9",
				"ip-10-0-1-5.eu-west-1.compute.internal",
				WIRE_TYPE_A), ANSWER_REPLY);
	ck_assert_uint_eq(te_resp.count[MSG_ANSWER], 1);
	te_unload();
	free(yaml);
}
END_TEST

static Suite *
import_instances_suite(void)
{
	Suite *s = suite_create("import_instances");
	TCase *tc = tcase_create("import_instances");

	tcase_add_test(tc, test_example);
	tcase_add_test(tc, test_with_endpoints);
	tcase_add_test(tc, test_refused);
	tcase_add_test(tc, test_left_out);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(import_instances_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
