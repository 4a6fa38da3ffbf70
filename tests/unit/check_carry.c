/*
 * tests/unit/check_carry.c - unit tests of the cache over a reload
 * (carry_): forwarder groups matched by identity, entries renumbered,
 * dropped when their group is gone or the new data answers their name
 * otherwise.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Two real data sets (check_dataset.h): the one before and the one after
 * the reload.  Entries are stored as answer_upstream() stores them; what
 * matters is under which key they are found afterwards.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "check_dataset.h"
#include "check_util.h"
#include "dns/msg.h"
#include "dns/wire.h"
#include "engine/cache.h"
#include "engine/carry.h"
#include "engine/view.h"
#include "util/err.h"

static struct tu_ds before, after;

#define HEAD                                                                  \
	"upstreams: [\"192.0.2.53:53\"]\n"                                    \
	"vpcs:\n"                                                             \
	"  - id: vpc-0a0a0a0a\n"                                              \
	"    region: us-east-1\n"                                             \
	"    cidr-blocks: [10.0.0.0/16]\n"

#define CORP_RULE                                                             \
	"      - {domain: corp.example, type: forward,\n"                     \
	"         targets: [\"192.0.2.11:53\"]}\n"

static void
teardown(void)
{
	tu_ds_free(&before);
	tu_ds_free(&after);
}

/* Loads the two configurations (zone files: one for new.zone). */
static void
load(const char *old_yaml, const char *new_yaml)
{
	tu_ds_file(&after, "new.zone",
		   "$ORIGIN example.net.\n$TTL 300\nwww IN A 10.0.9.9\n");
	tu_ds_load(&before, old_yaml);
	tu_ds_load(&after, new_yaml);
}

/* Stores an A answer for @name under @group in before's cache. */
static void
store(const char *name, uint32_t group)
{
	uint8_t lname[WIRE_MAX_NAME_LEN], rrs[64];
	size_t len = tu_name(name, lname), n = 0;
	struct cache_key k = {.group = group,
			      .lname = lname,
			      .len = len,
			      .type = WIRE_TYPE_A,
			      .rclass = WIRE_CLASS_IN};
	struct msg_reply r = {.rcode = WIRE_RCODE_NOERROR,
			      .count = {1, 0, 0},
			      .min_ttl = 300};

	memcpy(rrs, lname, len);
	n = len;
	/* A IN, TTL 300, 192.0.2.1 */
	memcpy(rrs + n,
	       "\x00\x01\x00\x01\x00\x00\x01\x2c\x00\x04\xc0\x00\x02\x01", 14);
	r.rrs_len = n + 14;
	ck_assert_int_eq(cache_insert(before.cache, &k, &r, rrs, 0), VPC_OK);
}

static bool
cached(const char *name, uint32_t group)
{
	uint8_t lname[WIRE_MAX_NAME_LEN];
	struct cache_key k = {.group = group,
			      .lname = lname,
			      .len = tu_name(name, lname),
			      .type = WIRE_TYPE_A,
			      .rclass = WIRE_CLASS_IN};

	return cache_lookup(before.cache, &k, 1000) != NULL;
}

START_TEST(test_renumbered)
{
	struct carry_stats st;
	uint32_t map[8];

	/* A rule added in front shifts corp.example from group 1 to 2. */
	load(HEAD "    rules:\n" CORP_RULE,
	     HEAD "    rules:\n"
		  "      - {domain: first.example, type: forward,\n"
		  "         targets: [\"192.0.2.10:53\"]}\n" CORP_RULE);
	ck_assert_uint_eq(before.vs->n_groups, 2);
	ck_assert_uint_eq(after.vs->n_groups, 3);
	ck_assert_int_eq(carry_group_map(before.vs, after.vs, map), VPC_OK);
	ck_assert_uint_eq(map[0], 0);
	ck_assert_uint_eq(map[1], 2);
	store("www.example.org", 0);
	store("db.corp.example", 1);
	ck_assert_int_eq(carry_cache(before.cache, before.vs, after.vs, &st),
			 VPC_OK);
	ck_assert_uint_eq(st.kept, 2);
	ck_assert_uint_eq(st.regrouped, 1);
	ck_assert_uint_eq(st.gone + st.local, 0);
	ck_assert(cached("www.example.org", 0));
	ck_assert(cached("db.corp.example", 2));
	ck_assert(!cached("db.corp.example", 1));
}
END_TEST

START_TEST(test_gone)
{
	struct carry_stats st;
	uint32_t map[8];

	/* corp.example now has other targets, and a rule is removed: their
	 * answers came from other servers. */
	load(HEAD "    rules:\n" CORP_RULE
		  "      - {domain: old.example, type: forward,\n"
		  "         targets: [\"192.0.2.12:53\"]}\n",
	     HEAD "    rules:\n"
		  "      - {domain: corp.example, type: forward,\n"
		  "         targets: [\"192.0.2.99:53\"]}\n");
	ck_assert_int_eq(carry_group_map(before.vs, after.vs, map), VPC_OK);
	ck_assert_uint_eq(map[1], CARRY_GROUP_GONE);
	ck_assert_uint_eq(map[2], CARRY_GROUP_GONE);
	store("db.corp.example", 1);
	store("x.old.example", 2);
	store("www.example.org", 0);
	ck_assert_int_eq(carry_cache(before.cache, before.vs, after.vs, &st),
			 VPC_OK);
	ck_assert_uint_eq(st.gone, 2);
	ck_assert_uint_eq(st.kept, 1);
	ck_assert(!cached("db.corp.example", 1));
	ck_assert(!cached("x.old.example", 2));
	ck_assert(cached("www.example.org", 0));
}
END_TEST

START_TEST(test_default_upstreams_changed)
{
	struct carry_stats st;

	load(HEAD, "upstreams: [\"192.0.2.54:53\"]\n"
		   "vpcs:\n"
		   "  - id: vpc-0a0a0a0a\n"
		   "    region: us-east-1\n"
		   "    cidr-blocks: [10.0.0.0/16]\n");
	store("www.example.org", 0);
	ck_assert_int_eq(carry_cache(before.cache, before.vs, after.vs, &st),
			 VPC_OK);
	ck_assert_uint_eq(st.gone, 1);
	ck_assert(!cached("www.example.org", 0));
}
END_TEST

START_TEST(test_now_local)
{
	struct carry_stats st;

	/* A new hosted zone (example.net) and a new rule (sub.example.org)
	 * cover names the default upstreams answered. */
	load(HEAD,
	     HEAD "    hosted-zones:\n"
		  "      - {name: example.net, file: new.zone}\n"
		  "    rules:\n"
		  "      - {domain: sub.example.org, type: forward,\n"
		  "         targets: [\"192.0.2.15:53\"]}\n");
	store("www.example.net", 0);
	store("a.sub.example.org", 0);
	store("www.example.org", 0);
	ck_assert_int_eq(carry_cache(before.cache, before.vs, after.vs, &st),
			 VPC_OK);
	ck_assert_uint_eq(st.local, 2);
	ck_assert_uint_eq(st.kept, 1);
	ck_assert(!cached("www.example.net", 0));
	ck_assert(!cached("a.sub.example.org", 0));
	ck_assert(cached("www.example.org", 0));
}
END_TEST

START_TEST(test_local_in_one_view_only)
{
	struct carry_stats st;

	/* The zone is the new VPC's only: the other VPC's clients and
	 * outside clients still forward the name, so the entry stays. */
	load(HEAD, HEAD "  - id: vpc-0b0b0b0b\n"
			"    region: us-east-1\n"
			"    cidr-blocks: [10.1.0.0/16]\n"
			"    clients: [10.1.0.0/16]\n"
			"    hosted-zones:\n"
			"      - {name: example.net, file: new.zone}\n");
	store("www.example.net", 0);
	ck_assert_int_eq(carry_cache(before.cache, before.vs, after.vs, &st),
			 VPC_OK);
	ck_assert_uint_eq(st.kept, 1);
	ck_assert(cached("www.example.net", 0));
	/* Group 0 is the only one it can go to. */
	{
		uint8_t lname[WIRE_MAX_NAME_LEN];
		size_t len = tu_name("www.example.net", lname);

		ck_assert(carry_forwards_to(after.vs, 0, lname, len));
		ck_assert(!carry_forwards_to(after.vs, 1, lname, len));
	}
}
END_TEST

START_TEST(test_same_rule_two_vpcs)
{
	uint32_t map[8];

	/* One rule in two VPCs is two identical groups (1 and 2).  After
	 * the reload only the second VPC has it, behind a new rule: the
	 * first old group maps to it, and so does the second, since no
	 * other identical group is left. */
	load(HEAD "    rules:\n" CORP_RULE "  - id: vpc-0b0b0b0b\n"
		  "    region: us-east-1\n"
		  "    cidr-blocks: [10.1.0.0/16]\n"
		  "    clients: [10.1.0.0/16]\n"
		  "    rules:\n" CORP_RULE,
	     HEAD "  - id: vpc-0b0b0b0b\n"
		  "    region: us-east-1\n"
		  "    cidr-blocks: [10.1.0.0/16]\n"
		  "    clients: [10.1.0.0/16]\n"
		  "    rules:\n"
		  "      - {domain: z.example, type: forward,\n"
		  "         targets: [\"192.0.2.16:53\"]}\n" CORP_RULE);
	ck_assert_uint_eq(before.vs->n_groups, 3);
	ck_assert_int_eq(carry_group_map(before.vs, after.vs, map), VPC_OK);
	ck_assert_uint_eq(map[0], 0);
	ck_assert_uint_eq(map[1], 2);
	ck_assert_uint_eq(map[2], 2);
}
END_TEST

START_TEST(test_same_routing)
{
	struct carry_stats st;

	/* Only the zone's records change (the common reload): every entry
	 * stays where it was, without asking the views. */
	tu_ds_file(&before, "new.zone",
		   "$ORIGIN example.net.\n$TTL 300\nold IN A 10.0.9.1\n");
	load(HEAD "    hosted-zones:\n"
		  "      - {name: example.net, file: new.zone}\n"
		  "    rules:\n" CORP_RULE,
	     HEAD "    hosted-zones:\n"
		  "      - {name: example.net, file: new.zone}\n"
		  "    rules:\n" CORP_RULE);
	store("www.example.org", 0);
	store("db.corp.example", 1);
	ck_assert_int_eq(carry_cache(before.cache, before.vs, after.vs, &st),
			 VPC_OK);
	ck_assert_uint_eq(st.kept, 2);
	ck_assert_uint_eq(st.regrouped + st.gone + st.local, 0);
	ck_assert(cached("www.example.org", 0));
	ck_assert(cached("db.corp.example", 1));
}
END_TEST

START_TEST(test_options_shrink)
{
	struct cache_options o = {.max_entries = 1, .max_ttl = 86400};

	load(HEAD, HEAD);
	store("a.example.org", 0);
	store("b.example.org", 0);
	cache_set_options(before.cache, &o);
	ck_assert(!cached("a.example.org", 0));
	ck_assert(cached("b.example.org", 0));
}
END_TEST

static Suite *
carry_suite(void)
{
	Suite *s = suite_create("carry");
	TCase *tc = tcase_create("reload");

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, test_renumbered);
	tcase_add_test(tc, test_gone);
	tcase_add_test(tc, test_default_upstreams_changed);
	tcase_add_test(tc, test_now_local);
	tcase_add_test(tc, test_local_in_one_view_only);
	tcase_add_test(tc, test_same_rule_two_vpcs);
	tcase_add_test(tc, test_same_routing);
	tcase_add_test(tc, test_options_shrink);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(carry_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed != 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
