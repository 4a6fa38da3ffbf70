/*
 * tests/unit/check_firewall.c - unit tests of the DNS Firewall matcher.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Rules are built by hand (struct conf_fw_rule, as conf_ would produce
 * them) and matched against wire names: exact and "*." domains (SPEC
 * 1.5a: a wildcard matches strictly below its name, at any depth),
 * evaluation order by priority and then by the order given, the root and
 * TLD edge cases, invalid domains, and a 100,000-domain list.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <check.h>

#include "check_util.h"
#include "conf/conf.h"
#include "util/err.h"
#include "engine/firewall.h"
#include "dns/wire.h"

#define MAX_DOMAINS 16

/* A rule with its own copies of the domain strings. */
struct trule {
	struct conf_fw_rule r;
	char *doms[MAX_DOMAINS];
};

/* Fills @t from a NULL-terminated list of domains. */
static struct conf_fw_rule *
trule(struct trule *t, unsigned priority, enum conf_fw_action action, ...)
{
	const char *d;
	va_list ap;

	memset(t, 0, sizeof(*t));
	t->r.priority = priority;
	t->r.action = action;
	t->r.domains = t->doms;
	va_start(ap, action);
	while ((d = va_arg(ap, const char *)) != NULL) {
		ck_assert_uint_lt(t->r.n_domains, MAX_DOMAINS);
		t->doms[t->r.n_domains] = strdup(d);
		ck_assert_ptr_nonnull(t->doms[t->r.n_domains]);
		t->r.n_domains++;
	}
	va_end(ap);
	return &t->r;
}

static void
trule_free(struct trule *t)
{
	for (size_t i = 0; i < t->r.n_domains; i++)
		free(t->doms[i]);
}

static struct firewall *
build_ok(const struct conf_fw_rule *const *rules, size_t n)
{
	struct firewall *fw = NULL;

	ck_assert_int_eq(firewall_build(rules, n, &fw), VPC_OK);
	ck_assert_ptr_nonnull(fw);
	return fw;
}

/* The rule matching the presentation name @text (lower case). */
static const struct conf_fw_rule *
match(const struct firewall *fw, const char *text)
{
	uint8_t n[WIRE_MAX_NAME_LEN];
	size_t len = tu_name(text, n);

	return firewall_match(fw, n, len);
}

/* As match(), without Check assertions (they are slow in a tight loop). */
static const struct conf_fw_rule *
match_fast(const struct firewall *fw, const char *text)
{
	uint8_t n[WIRE_MAX_NAME_LEN];
	size_t len = wire_name_from_text(text, n);

	return len == 0 ? NULL : firewall_match(fw, n, len);
}

/* The rule matching @text for a query of @qtype. */
static const struct conf_fw_rule *
match_type(const struct firewall *fw, const char *text, uint16_t qtype)
{
	uint8_t n[WIRE_MAX_NAME_LEN];
	size_t len = tu_name(text, n);

	return firewall_match_type(fw, n, len, qtype);
}

/* ---- exact and wildcard ----------------------------------------------- */

START_TEST(test_exact)
{
	struct trule a;
	const struct conf_fw_rule *rules[] = {
	    trule(&a, 100, CONF_FW_BLOCK, "example.com", NULL)};
	struct firewall *fw = build_ok(rules, 1);

	ck_assert_ptr_eq(match(fw, "example.com"), rules[0]);
	ck_assert_ptr_null(match(fw, "www.example.com"));
	ck_assert_ptr_null(match(fw, "com"));
	ck_assert_ptr_null(match(fw, "example.org"));
	ck_assert_ptr_null(match(fw, "xexample.com"));
	ck_assert_uint_eq(firewall_count(fw), 1);
	firewall_free(fw);
	trule_free(&a);
}
END_TEST

START_TEST(test_wildcard)
{
	struct trule a;
	const struct conf_fw_rule *rules[] = {
	    trule(&a, 100, CONF_FW_BLOCK, "*.example.com", NULL)};
	struct firewall *fw = build_ok(rules, 1);

	/* SPEC 1.5a: below the name at any depth, not the name itself. */
	ck_assert_ptr_null(match(fw, "example.com"));
	ck_assert_ptr_eq(match(fw, "www.example.com"), rules[0]);
	ck_assert_ptr_eq(match(fw, "a.b.example.com"), rules[0]);
	ck_assert_ptr_eq(match(fw, "a.b.c.d.e.f.g.h.i.j.example.com"),
			 rules[0]);
	/* Label boundaries, not string suffixes. */
	ck_assert_ptr_null(match(fw, "badexample.com"));
	ck_assert_ptr_null(match(fw, "www.badexample.com"));
	ck_assert_ptr_null(match(fw, "com"));
	ck_assert_ptr_null(match(fw, "."));
	firewall_free(fw);
	trule_free(&a);
}
END_TEST

START_TEST(test_exact_and_wildcard)
{
	struct trule a;
	const struct conf_fw_rule *rules[] = {trule(
	    &a, 100, CONF_FW_BLOCK, "bad.example", "*.bad.example", NULL)};
	struct firewall *fw = build_ok(rules, 1);

	ck_assert_ptr_eq(match(fw, "bad.example"), rules[0]);
	ck_assert_ptr_eq(match(fw, "x.bad.example"), rules[0]);
	ck_assert_ptr_eq(match(fw, "y.x.bad.example"), rules[0]);
	ck_assert_ptr_null(match(fw, "example"));
	ck_assert_ptr_null(match(fw, "good.example"));
	/* One key, two kinds. */
	ck_assert_uint_eq(firewall_count(fw), 1);
	firewall_free(fw);
	trule_free(&a);
}
END_TEST

START_TEST(test_deep_wildcard_levels)
{
	struct trule a, b;
	const struct conf_fw_rule *rules[] = {
	    trule(&a, 200, CONF_FW_ALERT, "*.com", NULL),
	    trule(&b, 100, CONF_FW_BLOCK, "*.a.b.example.com", NULL)};
	struct firewall *fw = build_ok(rules, 2);

	ck_assert_ptr_eq(match(fw, "x.a.b.example.com"), rules[1]);
	ck_assert_ptr_eq(match(fw, "a.b.example.com"), rules[0]);
	ck_assert_ptr_eq(match(fw, "b.example.com"), rules[0]);
	ck_assert_ptr_null(match(fw, "com"));
	ck_assert_ptr_null(match(fw, "a.b.example.org"));
	firewall_free(fw);
	trule_free(&a);
	trule_free(&b);
}
END_TEST

/* ---- evaluation order ------------------------------------------------- */

START_TEST(test_priority_order)
{
	struct trule a, b, c;
	/* Given out of order on purpose. */
	const struct conf_fw_rule *rules[] = {
	    trule(&a, 300, CONF_FW_ALLOW, "*.example.com", NULL),
	    trule(&b, 100, CONF_FW_BLOCK, "www.example.com", NULL),
	    trule(&c, 200, CONF_FW_ALERT, "*.www.example.com",
		  "api.example.com", NULL)};
	struct firewall *fw = build_ok(rules, 3);

	ck_assert_ptr_eq(match(fw, "www.example.com"), rules[1]);
	ck_assert_ptr_eq(match(fw, "x.www.example.com"), rules[2]);
	ck_assert_ptr_eq(match(fw, "api.example.com"), rules[2]);
	ck_assert_ptr_eq(match(fw, "mail.example.com"), rules[0]);
	ck_assert_ptr_null(match(fw, "example.com"));
	firewall_free(fw);
	trule_free(&a);
	trule_free(&b);
	trule_free(&c);
}
END_TEST

START_TEST(test_wildcard_beats_exact_by_priority)
{
	struct trule a, b;
	const struct conf_fw_rule *rules[] = {
	    trule(&a, 200, CONF_FW_ALLOW, "www.example.com", NULL),
	    trule(&b, 100, CONF_FW_BLOCK, "*.example.com", NULL)};
	struct firewall *fw = build_ok(rules, 2);

	/* First match by priority, not the most specific domain. */
	ck_assert_ptr_eq(match(fw, "www.example.com"), rules[1]);
	firewall_free(fw);
	trule_free(&a);
	trule_free(&b);
}
END_TEST

START_TEST(test_ties_keep_given_order)
{
	struct trule own, prof;
	const struct conf_fw_rule *r1[2], *r2[2];
	struct firewall *fw;

	trule(&own, 100, CONF_FW_ALERT, "*.x.example", NULL);
	trule(&prof, 100, CONF_FW_BLOCK, "a.x.example", "*.x.example", NULL);
	r1[0] = r2[1] = &own.r;
	r1[1] = r2[0] = &prof.r;
	fw = build_ok(r1, 2);
	ck_assert_ptr_eq(match(fw, "a.x.example"), &own.r);
	ck_assert_ptr_eq(match(fw, "b.x.example"), &own.r);
	firewall_free(fw);
	fw = build_ok(r2, 2);
	ck_assert_ptr_eq(match(fw, "a.x.example"), &prof.r);
	ck_assert_ptr_eq(match(fw, "b.x.example"), &prof.r);
	firewall_free(fw);
	trule_free(&own);
	trule_free(&prof);
}
END_TEST

START_TEST(test_same_domain_many_rules)
{
	struct trule a, b, c;
	const struct conf_fw_rule *rules[] = {
	    trule(&a, 30, CONF_FW_ALLOW, "dup.example", "dup.example", NULL),
	    trule(&b, 10, CONF_FW_BLOCK, "dup.example", NULL),
	    trule(&c, 20, CONF_FW_ALERT, "dup.example", NULL)};
	struct firewall *fw = build_ok(rules, 3);

	ck_assert_ptr_eq(match(fw, "dup.example"), rules[1]);
	ck_assert_uint_eq(firewall_count(fw), 1);
	firewall_free(fw);
	trule_free(&a);
	trule_free(&b);
	trule_free(&c);
}
END_TEST

/* ---- no match, NULL, empty -------------------------------------------- */

START_TEST(test_no_match)
{
	struct trule a;
	const struct conf_fw_rule *rules[] = {
	    trule(&a, 1, CONF_FW_BLOCK, "one.example", NULL)};
	struct firewall *fw = build_ok(rules, 1), *empty;

	ck_assert_ptr_null(match(fw, "two.example"));
	ck_assert_ptr_null(match(fw, "."));
	ck_assert_ptr_null(match(NULL, "one.example"));
	empty = build_ok(NULL, 0);
	ck_assert_ptr_null(match(empty, "one.example"));
	ck_assert_uint_eq(firewall_count(empty), 0);
	ck_assert_uint_eq(firewall_count(NULL), 0);
	firewall_free(empty);
	firewall_free(fw);
	firewall_free(NULL);
	trule_free(&a);
}
END_TEST

START_TEST(test_rule_without_domains)
{
	struct trule a, b;
	const struct conf_fw_rule *rules[] = {
	    trule(&a, 1, CONF_FW_BLOCK, NULL),
	    trule(&b, 2, CONF_FW_ALERT, "x.example", NULL)};
	struct firewall *fw = build_ok(rules, 2);

	ck_assert_ptr_eq(match(fw, "x.example"), rules[1]);
	firewall_free(fw);
	trule_free(&a);
	trule_free(&b);
}
END_TEST

/* ---- root and TLD edge cases ------------------------------------------ */

START_TEST(test_star_matches_everything_but_root)
{
	struct trule a;
	const struct conf_fw_rule *rules[] = {
	    trule(&a, 100, CONF_FW_BLOCK, "*", NULL)};
	struct firewall *fw = build_ok(rules, 1);

	ck_assert_ptr_eq(match(fw, "com"), rules[0]);
	ck_assert_ptr_eq(match(fw, "example.com"), rules[0]);
	ck_assert_ptr_eq(match(fw, "a.b.c.d"), rules[0]);
	ck_assert_ptr_null(match(fw, "."));
	firewall_free(fw);
	trule_free(&a);
}
END_TEST

START_TEST(test_tld)
{
	struct trule a, b;
	const struct conf_fw_rule *rules[] = {
	    trule(&a, 100, CONF_FW_BLOCK, "*.com", NULL),
	    trule(&b, 200, CONF_FW_ALERT, "org", NULL)};
	struct firewall *fw = build_ok(rules, 2);

	ck_assert_ptr_eq(match(fw, "example.com"), rules[0]);
	ck_assert_ptr_null(match(fw, "com"));
	ck_assert_ptr_eq(match(fw, "org"), rules[1]);
	ck_assert_ptr_null(match(fw, "example.org"));
	firewall_free(fw);
	trule_free(&a);
	trule_free(&b);
}
END_TEST

START_TEST(test_root_exact)
{
	struct trule a, b;
	const struct conf_fw_rule *rules[] = {
	    trule(&a, 100, CONF_FW_BLOCK, ".", NULL),
	    trule(&b, 200, CONF_FW_ALERT, "*.", NULL)};
	struct firewall *fw = build_ok(rules, 2);

	ck_assert_ptr_eq(match(fw, "."), rules[0]);
	ck_assert_ptr_eq(match(fw, "com"), rules[1]);
	firewall_free(fw);
	trule_free(&a);
	trule_free(&b);
}
END_TEST

START_TEST(test_trailing_dot_and_case)
{
	struct trule a;
	const struct conf_fw_rule *rules[] = {trule(
	    &a, 100, CONF_FW_BLOCK, "Example.COM.", "*.Sub.Example.Org", NULL)};
	struct firewall *fw = build_ok(rules, 1);

	/* Domains are folded; the query name arrives folded already. */
	ck_assert_ptr_eq(match(fw, "example.com"), rules[0]);
	ck_assert_ptr_eq(match(fw, "x.sub.example.org"), rules[0]);
	ck_assert_ptr_null(match(fw, "sub.example.org"));
	firewall_free(fw);
	trule_free(&a);
}
END_TEST

/* ---- invalid input ---------------------------------------------------- */

static const char *const bad_domains[] = {
    "",
    "a..example",
    ".example",
    "*foo.example",
    "foo.*.example",
    "**.example",
    "*.*.example",
    "exa mple.com",
    "back\\slash.example",
    /* A 64-byte label. */
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa."
    "example",
};

START_TEST(test_bad_domain)
{
	struct trule a, b;
	const struct conf_fw_rule *rules[2];
	struct firewall *fw = NULL;

	rules[0] = trule(&a, 1, CONF_FW_BLOCK, "ok.example", NULL);
	rules[1] =
	    trule(&b, 2, CONF_FW_BLOCK, "fine.example", bad_domains[_i], NULL);
	ck_assert_int_eq(firewall_build(rules, 2, &fw), VPC_EMALFORMED);
	ck_assert_ptr_null(fw); /* written only on success */
	trule_free(&a);
	trule_free(&b);
}
END_TEST

START_TEST(test_name_too_long)
{
	char text[400];
	struct trule a;
	const struct conf_fw_rule *rules[1];
	struct firewall *fw = NULL;
	size_t n = 0;

	/* 64 labels of 3 bytes: 257 bytes of wire name. */
	for (int i = 0; i < 64; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "%sabc",
				      i ? "." : "");
	rules[0] = trule(&a, 1, CONF_FW_BLOCK, text, NULL);
	ck_assert_int_eq(firewall_build(rules, 1, &fw), VPC_EMALFORMED);
	ck_assert_ptr_null(fw);
	trule_free(&a);
}
END_TEST

START_TEST(test_bad_lname)
{
	struct trule a;
	const struct conf_fw_rule *rules[] = {
	    trule(&a, 1, CONF_FW_BLOCK, "*", "com", NULL)};
	struct firewall *fw = build_ok(rules, 1);
	const uint8_t com[] = {3, 'c', 'o', 'm', 0};
	const uint8_t bad_label[] = {64, 'c', 'o', 'm', 0};
	const uint8_t no_root[] = {3, 'c', 'o', 'm'};

	ck_assert_ptr_eq(firewall_match(fw, com, sizeof(com)), rules[0]);
	/* The length must be exactly the name's. */
	ck_assert_ptr_null(firewall_match(fw, com, sizeof(com) - 1));
	ck_assert_ptr_null(firewall_match(fw, com, 0));
	ck_assert_ptr_null(firewall_match(fw, bad_label, sizeof(bad_label)));
	ck_assert_ptr_null(firewall_match(fw, no_root, sizeof(no_root)));
	firewall_free(fw);
	trule_free(&a);
}
END_TEST

/* ---- a large list ----------------------------------------------------- */

#define MANY 100000

START_TEST(test_many_domains)
{
	struct conf_fw_rule big, wild;
	const struct conf_fw_rule *rules[] = {&big, &wild};
	char *doms = NULL, **list;
	char *wdoms[1] = {NULL};
	struct firewall *fw;
	size_t bad = 0, first_bad = 0;
	char text[64];
	double elapsed;
	clock_t t0;

	memset(&big, 0, sizeof(big));
	memset(&wild, 0, sizeof(wild));
	list = calloc(MANY, sizeof(*list));
	doms = calloc(MANY, 32);
	ck_assert_ptr_nonnull(list);
	ck_assert_ptr_nonnull(doms);
	for (size_t i = 0; i < MANY; i++) {
		list[i] = doms + i * 32;
		snprintf(list[i], 32, "%s%zu.list%zu.example",
			 i % 2 ? "*." : "", i, i % 97);
	}
	big.priority = 200;
	big.domains = list;
	big.n_domains = MANY;
	wdoms[0] = strdup("*.list5.example");
	wild.priority = 100;
	wild.domains = wdoms;
	wild.n_domains = 1;
	fw = build_ok(rules, 2);
	ck_assert_uint_eq(firewall_count(fw), MANY + 1);
	/* No ck_assert in the loop: each costs a write to Check's pipe in
	 * fork mode. */
	t0 = clock();
	for (size_t i = 0; i < MANY; i++) {
		const struct conf_fw_rule *want = &big, *sub = &big;

		if (i % 97 == 5)
			want = sub = &wild;
		if (i % 2 != 0)
			want = i % 97 == 5 ? &wild : NULL; /* "*." only */
		snprintf(text, sizeof(text), "%zu.list%zu.example", i, i % 97);
		if (match_fast(fw, text) != want && bad++ == 0)
			first_bad = i;
		if (i % 2 == 0)
			sub = i % 97 == 5 ? &wild : NULL;
		snprintf(text, sizeof(text), "a.b.%zu.list%zu.example", i,
			 i % 97);
		if (match_fast(fw, text) != sub && bad++ == 0)
			first_bad = i;
	}
	elapsed = (double)(clock() - t0) / CLOCKS_PER_SEC;
	ck_assert_msg(bad == 0, "%zu mismatches, first at %zu", bad, first_bad);
	ck_assert_ptr_null(match(fw, "100000.list0.example"));
	ck_assert_ptr_null(match(fw, "nothing.here"));
	/* 200,000 lookups well under a second even under sanitizers. */
	ck_assert_msg(elapsed < 5.0, "200000 lookups took %.2f s", elapsed);
	firewall_free(fw);
	free(wdoms[0]);
	free(doms);
	free(list);
}
END_TEST

/* ---- qtype: rules limited to one query type (AWS FirewallRule Qtype) --- */

START_TEST(test_qtype_only_its_type)
{
	struct trule a;
	const struct conf_fw_rule *rules[] = {
	    trule(&a, 100, CONF_FW_BLOCK, "example.com", "*.example.com",
		  NULL)};
	struct firewall *fw;

	a.r.qtype = WIRE_TYPE_AAAA;
	fw = build_ok(rules, 1);
	ck_assert_ptr_eq(match_type(fw, "example.com", WIRE_TYPE_AAAA),
			 rules[0]);
	ck_assert_ptr_eq(match_type(fw, "a.b.example.com", WIRE_TYPE_AAAA),
			 rules[0]);
	ck_assert_ptr_null(match_type(fw, "example.com", WIRE_TYPE_A));
	ck_assert_ptr_null(match_type(fw, "a.example.com", WIRE_TYPE_TXT));
	/* Without a query type (firewall_match()), a typed rule never
	 * matches. */
	ck_assert_ptr_null(match(fw, "example.com"));
	firewall_free(fw);
	trule_free(&a);
}
END_TEST

START_TEST(test_qtype_falls_through)
{
	struct trule a, b, c, d;
	const struct conf_fw_rule *rules[] = {
	    trule(&a, 10, CONF_FW_BLOCK, "x.example.com", NULL),
	    trule(&b, 20, CONF_FW_ALERT, "x.example.com", NULL),
	    trule(&c, 30, CONF_FW_ALLOW, "x.example.com", "*.example.com",
		  NULL),
	    trule(&d, 40, CONF_FW_BLOCK, "x.example.com", NULL)};
	struct firewall *fw;

	a.r.qtype = WIRE_TYPE_MX;
	b.r.qtype = WIRE_TYPE_TXT;
	fw = build_ok(rules, 4);
	/* The lowest priority that applies to the type wins. */
	ck_assert_ptr_eq(match_type(fw, "x.example.com", WIRE_TYPE_MX),
			 rules[0]);
	ck_assert_ptr_eq(match_type(fw, "x.example.com", WIRE_TYPE_TXT),
			 rules[1]);
	ck_assert_ptr_eq(match_type(fw, "x.example.com", WIRE_TYPE_A),
			 rules[2]);
	/* The untyped rule at 30 hides 40 for every type. */
	ck_assert_ptr_ne(match_type(fw, "x.example.com", WIRE_TYPE_AAAA),
			 rules[3]);
	ck_assert_ptr_eq(match_type(fw, "y.example.com", WIRE_TYPE_MX),
			 rules[2]);
	firewall_free(fw);
	trule_free(&a);
	trule_free(&b);
	trule_free(&c);
	trule_free(&d);
}
END_TEST

START_TEST(test_qtype_wildcard_vs_exact)
{
	struct trule a, b;
	const struct conf_fw_rule *rules[] = {
	    trule(&a, 10, CONF_FW_BLOCK, "*.example.com", NULL),
	    trule(&b, 20, CONF_FW_ALERT, "www.example.com", NULL)};
	struct firewall *fw;

	a.r.qtype = 65; /* HTTPS, as TYPE65 */
	fw = build_ok(rules, 2);
	ck_assert_ptr_eq(match_type(fw, "www.example.com", 65), rules[0]);
	ck_assert_ptr_eq(match_type(fw, "www.example.com", WIRE_TYPE_A),
			 rules[1]);
	ck_assert_ptr_null(match_type(fw, "mail.example.com", WIRE_TYPE_A));
	firewall_free(fw);
	trule_free(&a);
	trule_free(&b);
}
END_TEST

static Suite *
firewall_suite(void)
{
	Suite *s = suite_create("firewall");
	TCase *tc;

	tc = tcase_create("match");
	tcase_add_test(tc, test_exact);
	tcase_add_test(tc, test_wildcard);
	tcase_add_test(tc, test_exact_and_wildcard);
	tcase_add_test(tc, test_deep_wildcard_levels);
	suite_add_tcase(s, tc);

	tc = tcase_create("order");
	tcase_add_test(tc, test_priority_order);
	tcase_add_test(tc, test_wildcard_beats_exact_by_priority);
	tcase_add_test(tc, test_ties_keep_given_order);
	tcase_add_test(tc, test_same_domain_many_rules);
	suite_add_tcase(s, tc);

	tc = tcase_create("no_match");
	tcase_add_test(tc, test_no_match);
	tcase_add_test(tc, test_rule_without_domains);
	suite_add_tcase(s, tc);

	tc = tcase_create("edges");
	tcase_add_test(tc, test_star_matches_everything_but_root);
	tcase_add_test(tc, test_tld);
	tcase_add_test(tc, test_root_exact);
	tcase_add_test(tc, test_trailing_dot_and_case);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_loop_test(
	    tc, test_bad_domain, 0,
	    (int)(sizeof(bad_domains) / sizeof(bad_domains[0])));
	tcase_add_test(tc, test_name_too_long);
	tcase_add_test(tc, test_bad_lname);
	suite_add_tcase(s, tc);

	tc = tcase_create("qtype");
	tcase_add_test(tc, test_qtype_only_its_type);
	tcase_add_test(tc, test_qtype_falls_through);
	tcase_add_test(tc, test_qtype_wildcard_vs_exact);
	suite_add_tcase(s, tc);

	tc = tcase_create("many");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_many_domains);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(firewall_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
