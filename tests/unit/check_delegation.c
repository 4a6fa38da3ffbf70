/*
 * tests/unit/check_delegation.c - unit tests for engine/delegation.c: the
 * name servers a hosted zone delegates a subdomain to (DELEGATE rules).
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * One zone, corp.internal, with four cuts: glue below the cut, a name
 * server elsewhere in the zone, one only the resolver knows, and one with
 * no address anywhere; the resolver is a stub that counts its calls.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <string.h>

#include <check.h>

#include "check_util.h"
#include "conf/conf.h"
#include "engine/delegation.h"
#include "engine/zone.h"

static struct zoneset *zs;
static unsigned resolve_calls;
static char resolved_host[256];

static void
add(struct zone *z, const char *owner, uint16_t type, const char *data)
{
	uint8_t o[WIRE_MAX_NAME_LEN], rd[WIRE_MAX_NAME_LEN];
	uint16_t rdlen;

	if (type == WIRE_TYPE_A) {
		ck_assert_int_eq(inet_pton(AF_INET, data, rd), 1);
		rdlen = 4;
	} else if (type == WIRE_TYPE_AAAA) {
		ck_assert_int_eq(inet_pton(AF_INET6, data, rd), 1);
		rdlen = 16;
	} else {
		rdlen = (uint16_t)tu_name(data, rd);
	}
	ck_assert_int_eq(zone_add_rr(z, o, tu_name(owner, o), type, 300, rd,
				     rdlen),
			 VPC_OK);
}

static void
setup(void)
{
	uint8_t apex[WIRE_MAX_NAME_LEN];
	struct zone *z;

	ck_assert_int_eq(zone_new(apex, tu_name("corp.internal", apex), &z),
			 VPC_OK);
	add(z, "sub.corp.internal", WIRE_TYPE_NS, "ns1.sub.corp.internal");
	add(z, "sub.corp.internal", WIRE_TYPE_NS, "ns2.sub.corp.internal");
	add(z, "ns1.sub.corp.internal", WIRE_TYPE_A, "127.0.9.1");
	add(z, "ns2.sub.corp.internal", WIRE_TYPE_AAAA, "fd00::53");
	add(z, "other.corp.internal", WIRE_TYPE_NS, "dns.corp.internal");
	add(z, "dns.corp.internal", WIRE_TYPE_A, "127.0.9.2");
	add(z, "ext.corp.internal", WIRE_TYPE_NS, "NS.Example.Test");
	add(z, "lost.corp.internal", WIRE_TYPE_NS, "gone.example.test");
	add(z, "db.corp.internal", WIRE_TYPE_A, "10.0.1.20");
	ck_assert_int_eq(zone_finish(z), VPC_OK);
	ck_assert_ptr_nonnull(zs = zoneset_new());
	ck_assert_int_eq(zoneset_add(zs, z), VPC_OK);
	resolve_calls = 0;
	resolved_host[0] = '\0';
}

static void
teardown(void)
{
	zoneset_free(zs);
}

/* Knows ns.example.test only, as the system resolver would. */
static size_t
stub_resolve(const char *host, uint16_t port, struct conf_sockaddr *out,
	     size_t max)
{
	resolve_calls++;
	snprintf(resolved_host, sizeof(resolved_host), "%s", host);
	if (strcmp(host, "ns.example.test") != 0 || max == 0)
		return 0;
	return conf_parse_sockaddr("192.0.2.53", port, out) == VPC_OK ? 1 : 0;
}

static int
servers(const char *domain, view_resolve_fn resolve,
	struct conf_sockaddr *out, size_t max, size_t *n, char *why)
{
	uint8_t d[WIRE_MAX_NAME_LEN];

	return delegation_servers(zs, d, tu_name(domain, d), resolve, out, max,
				  n, why);
}

static void
check_addr(const struct conf_sockaddr *sa, int family, const char *text)
{
	const struct sockaddr_in *in = (const struct sockaddr_in *)&sa->ss;
	const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)&sa->ss;
	char buf[INET6_ADDRSTRLEN];
	const void *a = family == AF_INET ? (const void *)&in->sin_addr
					  : (const void *)&in6->sin6_addr;

	ck_assert_int_eq(sa->ss.ss_family, family);
	ck_assert_uint_eq(ntohs(family == AF_INET ? in->sin_port
						  : in6->sin6_port),
			  53);
	ck_assert_ptr_nonnull(inet_ntop(family, a, buf, sizeof(buf)));
	ck_assert_str_eq(buf, text);
}

START_TEST(test_glue)
{
	struct conf_sockaddr out[8];
	char why[DELEGATION_WHY_MAX];
	size_t n = 0;

	ck_assert_int_eq(servers("sub.corp.internal", stub_resolve, out, 8, &n,
				 why),
			 VPC_OK);
	ck_assert_uint_eq(n, 2);
	check_addr(&out[0], AF_INET, "127.0.9.1");
	check_addr(&out[1], AF_INET6, "fd00::53");
	/* Both had local addresses: the resolver was never asked. */
	ck_assert_uint_eq(resolve_calls, 0);
}
END_TEST

START_TEST(test_elsewhere_in_zone)
{
	struct conf_sockaddr out[8];
	char why[DELEGATION_WHY_MAX];
	size_t n = 0;

	ck_assert_int_eq(servers("other.corp.internal", NULL, out, 8, &n, why),
			 VPC_OK);
	ck_assert_uint_eq(n, 1);
	check_addr(&out[0], AF_INET, "127.0.9.2");
}
END_TEST

START_TEST(test_resolved)
{
	struct conf_sockaddr out[8];
	char why[DELEGATION_WHY_MAX];
	size_t n = 0;

	ck_assert_int_eq(servers("ext.corp.internal", stub_resolve, out, 8, &n,
				 why),
			 VPC_OK);
	ck_assert_uint_eq(n, 1);
	check_addr(&out[0], AF_INET, "192.0.2.53");
	/* Asked in lower case, without the root's dot. */
	ck_assert_str_eq(resolved_host, "ns.example.test");
}
END_TEST

START_TEST(test_failures)
{
	struct conf_sockaddr out[8];
	char why[DELEGATION_WHY_MAX];
	size_t n = 99;

	ck_assert_int_eq(servers("lost.corp.internal", stub_resolve, out, 8, &n,
				 why),
			 VPC_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(why, "gone.example.test."));
	ck_assert_ptr_nonnull(strstr(why, "do not resolve"));
	ck_assert_int_eq(servers("ext.corp.internal", NULL, out, 8, &n, why),
			 VPC_ENOTFOUND);
	/* A name with records but no NS, the apex, a name outside. */
	ck_assert_int_eq(servers("db.corp.internal", stub_resolve, out, 8, &n,
				 why),
			 VPC_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(why, "no hosted zone"));
	ck_assert_int_eq(servers("corp.internal", stub_resolve, out, 8, &n,
				 why),
			 VPC_ENOTFOUND);
	ck_assert_int_eq(servers("x.example.test", stub_resolve, out, 8, &n,
				 why),
			 VPC_ENOTFOUND);
	ck_assert_uint_eq(n, 99); /* not written on failure */
}
END_TEST

START_TEST(test_max)
{
	struct conf_sockaddr out[1];
	char why[DELEGATION_WHY_MAX];
	size_t n = 0;

	ck_assert_int_eq(servers("sub.corp.internal", stub_resolve, out, 1, &n,
				 why),
			 VPC_OK);
	ck_assert_uint_eq(n, 1);
	check_addr(&out[0], AF_INET, "127.0.9.1");
}
END_TEST

static Suite *
delegation_suite(void)
{
	Suite *s = suite_create("delegation");
	TCase *tc = tcase_create("servers");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_glue);
	tcase_add_test(tc, test_elsewhere_in_zone);
	tcase_add_test(tc, test_resolved);
	tcase_add_test(tc, test_failures);
	tcase_add_test(tc, test_max);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(delegation_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed != 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
