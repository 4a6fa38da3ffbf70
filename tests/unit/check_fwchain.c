/*
 * tests/unit/check_fwchain.c - unit tests of the firewall over upstream
 * CNAME chains (engine/fwchain.h).
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * With redirection: inspect (the default) every name an upstream chain
 * leads to is matched, not just the first; a block deep in the chain is
 * found with the number of answer RRs in front of it; a rule with
 * redirection: trust ends the inspection; ALERT rules are reported
 * without ending it; rules with a qtype apply only to that query type;
 * chains out of order, loops and unparsable buffers are safe.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "check_util.h"
#include "conf/conf.h"
#include "engine/firewall.h"
#include "engine/fwchain.h"

static struct tu_pkt p;
static uint16_t count[3];

static void
cname(const char *owner, const char *target)
{
	size_t at = tu_rr_head(&p, owner, WIRE_TYPE_CNAME, WIRE_CLASS_IN, 60);

	tu_name_text(&p, target);
	tu_rr_end(&p, at);
	count[0]++;
}

static void
a_rr(const char *owner)
{
	size_t at = tu_rr_head(&p, owner, WIRE_TYPE_A, WIRE_CLASS_IN, 60);

	tu_u32(&p, 0xc0000201u);
	tu_rr_end(&p, at);
	count[0]++;
}

static void
reset(void)
{
	tu_reset(&p);
	memset(count, 0, sizeof(count));
}

static struct conf_fw_rule *
rule(struct conf_fw_rule *r, char **doms, unsigned prio,
     enum conf_fw_action action, const char *d)
{
	memset(r, 0, sizeof(*r));
	doms[0] = (char *)d;
	r->domains = doms;
	r->n_domains = 1;
	r->priority = prio;
	r->action = action;
	r->name = (char *)"r";
	return r;
}

static bool
inspect(const struct firewall *fw, uint16_t qtype, struct fwchain_hit *hit)
{
	uint8_t start[WIRE_MAX_NAME_LEN];
	size_t len = tu_name("www.example.com", start);

	return fwchain_inspect(fw, qtype, start, len, p.b, p.len, count, hit);
}

START_TEST(test_block_deep)
{
	struct conf_fw_rule r;
	char *d[1];
	const struct conf_fw_rule *rules[] = {&r};
	struct firewall *fw = NULL;
	struct fwchain_hit hit;

	rule(&r, d, 10, CONF_FW_BLOCK, "*.bad.net");
	ck_assert_int_eq(firewall_build(rules, 1, &fw), VPC_OK);
	reset();
	cname("www.example.com", "a.cdn.org");
	cname("a.cdn.org", "b.cdn.org");
	cname("b.cdn.org", "c.edge.bad.net");
	a_rr("c.edge.bad.net");
	ck_assert(inspect(fw, WIRE_TYPE_A, &hit));
	ck_assert(hit.blocked);
	ck_assert_ptr_eq(hit.rule, &r);
	ck_assert_uint_eq(hit.keep, 3);
	ck_assert(tu_name_is(hit.name, hit.name_len, "c.edge.bad.net"));
	/* No chain, or a chain of clean names: nothing. */
	reset();
	a_rr("www.example.com");
	ck_assert(!inspect(fw, WIRE_TYPE_A, &hit));
	ck_assert_ptr_null(hit.rule);
	reset();
	cname("www.example.com", "a.cdn.org");
	a_rr("a.cdn.org");
	ck_assert(!inspect(fw, WIRE_TYPE_A, &hit));
	firewall_free(fw);
}
END_TEST

START_TEST(test_out_of_order_and_case)
{
	struct conf_fw_rule r;
	char *d[1];
	const struct conf_fw_rule *rules[] = {&r};
	struct firewall *fw = NULL;
	struct fwchain_hit hit;

	rule(&r, d, 10, CONF_FW_BLOCK, "bad.net");
	ck_assert_int_eq(firewall_build(rules, 1, &fw), VPC_OK);
	reset();
	cname("A.CDN.org", "BAD.net");
	cname("WWW.Example.COM", "a.cdn.org");
	ck_assert(inspect(fw, WIRE_TYPE_A, &hit));
	ck_assert(tu_name_is(hit.name, hit.name_len, "bad.net"));
	ck_assert_uint_eq(hit.keep, 1);
	/* A loop ends by the hop limit. */
	reset();
	cname("www.example.com", "x.org");
	cname("x.org", "www.example.com");
	ck_assert(!inspect(fw, WIRE_TYPE_A, &hit));
	/* Counts that lie: nothing is inspected. */
	reset();
	cname("www.example.com", "bad.net");
	count[0] = 3;
	ck_assert(!inspect(fw, WIRE_TYPE_A, &hit));
	ck_assert(!inspect(NULL, WIRE_TYPE_A, &hit));
	firewall_free(fw);
}
END_TEST

START_TEST(test_trust_and_alert)
{
	struct conf_fw_rule t, al, b;
	char *dt[1], *da[1], *db[1];
	const struct conf_fw_rule *rules[] = {&t, &al, &b};
	struct firewall *fw = NULL;
	struct fwchain_hit hit;

	rule(&t, dt, 10, CONF_FW_ALLOW, "trusted.org");
	t.redirection = CONF_FW_TRUST;
	rule(&al, da, 20, CONF_FW_ALERT, "watch.org");
	rule(&b, db, 30, CONF_FW_BLOCK, "*.bad.net");
	ck_assert_int_eq(firewall_build(rules, 3, &fw), VPC_OK);
	/* An ALERT is reported and the inspection goes on to the block. */
	reset();
	cname("www.example.com", "watch.org");
	cname("watch.org", "x.bad.net");
	ck_assert(inspect(fw, WIRE_TYPE_A, &hit));
	ck_assert_ptr_eq(hit.rule, &b);
	/* ALERT alone. */
	reset();
	cname("www.example.com", "watch.org");
	a_rr("watch.org");
	ck_assert(!inspect(fw, WIRE_TYPE_A, &hit));
	ck_assert_ptr_eq(hit.rule, &al);
	ck_assert(tu_name_is(hit.name, hit.name_len, "watch.org"));
	/* A trusting ALLOW ends the inspection: what follows is not
	 * checked. */
	reset();
	cname("www.example.com", "trusted.org");
	cname("trusted.org", "x.bad.net");
	ck_assert(!inspect(fw, WIRE_TYPE_A, &hit));
	ck_assert_ptr_eq(hit.rule, &t);
	/* The same ALLOW with inspect: the block deeper down applies. */
	t.redirection = CONF_FW_INSPECT;
	ck_assert(inspect(fw, WIRE_TYPE_A, &hit));
	ck_assert_ptr_eq(hit.rule, &b);
	firewall_free(fw);
}
END_TEST

START_TEST(test_qtype)
{
	struct conf_fw_rule r;
	char *d[1];
	const struct conf_fw_rule *rules[] = {&r};
	struct firewall *fw = NULL;
	struct fwchain_hit hit;

	rule(&r, d, 10, CONF_FW_BLOCK, "bad.net");
	r.qtype = WIRE_TYPE_AAAA;
	ck_assert_int_eq(firewall_build(rules, 1, &fw), VPC_OK);
	reset();
	cname("www.example.com", "bad.net");
	ck_assert(!inspect(fw, WIRE_TYPE_A, &hit));
	ck_assert(inspect(fw, WIRE_TYPE_AAAA, &hit));
	firewall_free(fw);
}
END_TEST

static Suite *
fwchain_suite(void)
{
	Suite *s = suite_create("fwchain");
	TCase *tc = tcase_create("chain");

	tcase_add_test(tc, test_block_deep);
	tcase_add_test(tc, test_out_of_order_and_case);
	tcase_add_test(tc, test_trust_and_alert);
	tcase_add_test(tc, test_qtype);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(fwchain_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
