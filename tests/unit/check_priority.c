/*
 * tests/unit/check_priority.c - unit tests of profile priorities
 * (vpcs[].profiles: [{name, priority}], AWS profiles-vpc-update-priority).
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Profiles are evaluated by priority (100..9900, lower first), plain
 * names after every priority in the order written; for a rule or zone of
 * the same name the first profile in that order wins, the VPC's own
 * association wins over all; firewall rules of equal rule priority follow
 * the profile order; bad priorities are configuration errors.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "check_engine.h"

#define PROFILES                                                               \
	"upstreams: [127.0.0.1:5353]\n"                                        \
	"profiles:\n"                                                          \
	"  - name: a\n"                                                        \
	"    rules: [{domain: x.test, type: forward, targets: [127.0.0.1:5401]}]\n" \
	"    firewall: [{priority: 10, name: fw-a, domains: [f.test],\n"       \
	"                action: alert}]\n"                                    \
	"  - name: b\n"                                                        \
	"    rules: [{domain: x.test, type: forward, targets: [127.0.0.1:5402]},\n" \
	"            {domain: y.test, type: forward, targets: [127.0.0.1:5402]}]\n" \
	"    firewall: [{priority: 10, name: fw-b, domains: [f.test],\n"       \
	"                action: block}]\n"                                    \
	"  - name: c\n"                                                        \
	"    rules: [{domain: x.test, type: forward, targets: [127.0.0.1:5403]},\n" \
	"            {domain: y.test, type: forward, targets: [127.0.0.1:5403]},\n" \
	"            {domain: z.test, type: forward, targets: [127.0.0.1:5403]}]\n" \
	"vpcs:\n"                                                              \
	"  - id: vpc-1\n"                                                      \
	"    region: us-east-1\n"

/* The profile whose rule decided a query for @name (by its target). */
static const char *
rule_profile(const char *name)
{
	const struct conf_rule *r;

	ck_assert_int_eq(te_ask("10.0.0.5", name, WIRE_TYPE_A), ANSWER_FORWARD);
	ck_assert_ptr_nonnull(te_job.trace.rule);
	r = te_job.trace.rule->conf;
	for (size_t i = 0; i < te_conf->n_profiles; i++) {
		const struct conf_profile *p = &te_conf->profiles[i];

		if (r >= p->rules && r < p->rules + p->n_rules)
			return p->name;
	}
	return "vpc";
}

START_TEST(test_priority_order)
{
	te_load(PROFILES "    profiles: [c, {name: b, priority: 200},\n"
			 "               {name: a, priority: 100}]\n");
	/* a (100) before b (200) before c (plain name: last). */
	ck_assert_uint_eq(te_conf->vpcs[0].n_profiles, 3);
	ck_assert_str_eq(rule_profile("x.test"), "a");
	ck_assert_str_eq(rule_profile("w.y.test"), "b");
	ck_assert_str_eq(rule_profile("z.test"), "c");
	/* Firewall rules of equal priority: a's before b's. */
	ck_assert_int_eq(te_ask("10.0.0.5", "f.test", WIRE_TYPE_A),
			 ANSWER_FORWARD);
	ck_assert_ptr_nonnull(te_job.trace.firewall);
	ck_assert_str_eq(te_job.trace.firewall->name, "fw-a");
	te_unload();
	te_load(PROFILES "    profiles: [{name: b, priority: 9900}, c,\n"
			 "               {name: a, priority: 9899}]\n");
	ck_assert_str_eq(rule_profile("x.test"), "a");
	ck_assert_str_eq(rule_profile("y.test"), "b");
	ck_assert_int_eq(te_ask("10.0.0.5", "f.test", WIRE_TYPE_A),
			 ANSWER_FORWARD);
	ck_assert_str_eq(te_job.trace.firewall->name, "fw-a");
	te_unload();
}
END_TEST

START_TEST(test_plain_names_keep_order)
{
	te_load(PROFILES "    profiles: [c, b, a]\n");
	ck_assert_str_eq(rule_profile("x.test"), "c");
	te_unload();
	te_load(PROFILES "    profiles: [b, a]\n");
	ck_assert_str_eq(rule_profile("x.test"), "b");
	/* Equal rule priority: b's block comes first now. */
	ck_assert_int_eq(te_ask("10.0.0.5", "f.test", WIRE_TYPE_A),
			 ANSWER_REPLY);
	ck_assert_str_eq(te_job.trace.firewall->name, "fw-b");
	te_unload();
}
END_TEST

START_TEST(test_own_wins)
{
	te_load(PROFILES
		"    rules: [{domain: x.test, type: forward,\n"
		"             targets: [127.0.0.1:5400]}]\n"
		"    profiles: [{name: a, priority: 100}]\n");
	ck_assert_str_eq(rule_profile("x.test"), "vpc");
	te_unload();
}
END_TEST

START_TEST(test_errors)
{
	ck_assert_ptr_nonnull(strstr(
	    te_error(PROFILES "    profiles: [{name: a, priority: 99}]\n"),
	    "profiles[0].priority"));
	ck_assert_ptr_nonnull(strstr(
	    te_error(PROFILES "    profiles: [{name: a, priority: 9901}]\n"),
	    "profiles[0].priority"));
	ck_assert_ptr_nonnull(strstr(
	    te_error(PROFILES "    profiles: [{name: a, priority: 100},\n"
			      "               {name: b, priority: 100}]\n"),
	    "priority 100 is taken by profile 'a'"));
	ck_assert_ptr_nonnull(strstr(
	    te_error(PROFILES "    profiles: [{priority: 100}]\n"),
	    "missing required key 'name'"));
	ck_assert_ptr_nonnull(strstr(
	    te_error(PROFILES "    profiles: [{name: a, weight: 1}]\n"),
	    "weight"));
	ck_assert_ptr_nonnull(strstr(
	    te_error(PROFILES "    profiles: [{name: zz, priority: 300}]\n"),
	    "no profile 'zz' is defined"));
	ck_assert_str_eq(te_error(PROFILES "    profiles: [a, {name: b}]\n"),
			 "");
}
END_TEST

static Suite *
priority_suite(void)
{
	Suite *s = suite_create("priority");
	TCase *tc = tcase_create("profiles");

	tcase_add_test(tc, test_priority_order);
	tcase_add_test(tc, test_plain_names_keep_order);
	tcase_add_test(tc, test_own_wins);
	tcase_add_test(tc, test_errors);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(priority_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
