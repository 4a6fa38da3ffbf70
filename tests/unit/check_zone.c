/*
 * tests/unit/check_zone.c - unit tests of the zone store, the zone-file
 * loader and zone sets (zone_, zoneset_).
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Zones are built record by record with zone_add_rr() or loaded from
 * master files written to temporary files; every test frees what it
 * builds so that ASan and valgrind see no leak.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "check_util.h"
#include "conf/conf.h"
#include "util/err.h"
#include "dns/wire.h"
#include "engine/zone.h"

/*
 * What a test allocates is released by teardown(), so that nothing leaks
 * even when an assertion fails half-way (CK_FORK=no under valgrind).
 */
static struct zone *owned;	/* the zone a test builds */
static struct zone *loaded;	/* the zone zone_load_text() returned */
static struct zoneset *set;	/* the zone set a test builds */
static struct conf_errors errs; /* errors of zone_load_text() */

static void
setup(void)
{
	owned = loaded = NULL;
	set = NULL;
	memset(&errs, 0, sizeof(errs));
}

static void
teardown(void)
{
	zone_free(owned);
	zone_free(loaded);
	zoneset_free(set);
	conf_errors_cleanup(&errs);
	setup();
}

/* A new zone for the text apex @apex, owned by the caller. */
static struct zone *
make_zone(const char *apex)
{
	uint8_t a[WIRE_MAX_NAME_LEN];
	struct zone *z = NULL;

	ck_assert_int_eq(zone_new(a, tu_name(apex, a), &z), VPC_OK);
	ck_assert_ptr_nonnull(z);
	return z;
}

/* The zone of the test, released by teardown(). */
static struct zone *
new_zone(const char *apex)
{
	ck_assert_ptr_null(owned);
	owned = make_zone(apex);
	return owned;
}

static int
add(struct zone *z, const char *owner, uint16_t type, uint32_t ttl,
    const uint8_t *rd, uint16_t rdlen)
{
	uint8_t o[WIRE_MAX_NAME_LEN];

	return zone_add_rr(z, o, tu_name(owner, o), type, ttl, rd, rdlen);
}

static int
add_a(struct zone *z, const char *owner, uint32_t ttl, const char *addr)
{
	uint8_t rd[4];

	return add(z, owner, WIRE_TYPE_A, ttl, rd, tu_rdata_a(addr, rd));
}

static int
add_name(struct zone *z, const char *owner, uint16_t type, uint32_t ttl,
	 const char *target)
{
	uint8_t rd[WIRE_MAX_NAME_LEN];

	return add(z, owner, type, ttl, rd, tu_rdata_name(target, rd));
}

/* The node of text name @name (looked up lower-cased), or NULL. */
static const struct zone_node *
find(const struct zone *z, const char *name)
{
	uint8_t n[WIRE_MAX_NAME_LEN];
	size_t len = tu_name(name, n);

	wire_name_lower(n, n, len);
	return zone_find(z, n, len);
}

static const struct zone_rrset *
rrset(const struct zone *z, const char *name, uint16_t type)
{
	const struct zone_node *n = find(z, name);

	return n != NULL ? zone_rrset(n, type) : NULL;
}

/* The @i-th RDATA of @rs; its length in *@len. */
static const uint8_t *
rdata_at(const struct zone_rrset *rs, unsigned i, uint16_t *len)
{
	size_t pos = 0;

	ck_assert_uint_lt(i, rs->count);
	for (unsigned k = 0; k < i; k++)
		pos += 2u + tu_get16(rs->rdata + pos);
	*len = tu_get16(rs->rdata + pos);
	return rs->rdata + pos + 2;
}

/* ---- zone_new / zone_add_rr / zone_find -------------------------------- */

START_TEST(test_new_lowercases_apex)
{
	struct zone *z = new_zone("Example.COM");

	ck_assert(tu_name_is(z->apex, z->apex_len, "example.com"));
	ck_assert(!z->finished);
	ck_assert_ptr_null(z->soa);
	zone_free(NULL);
}
END_TEST

START_TEST(test_add_and_find)
{
	struct zone *z = new_zone("example.com");
	uint8_t n[WIRE_MAX_NAME_LEN];
	const struct zone_node *node;
	const struct zone_rrset *rs;
	const uint8_t *rd;
	uint16_t rdlen;
	size_t len;

	ck_assert_int_eq(add_a(z, "WWW.Example.com", 300, "192.0.2.1"), VPC_OK);
	node = find(z, "www.example.com");
	ck_assert_ptr_nonnull(node);
	ck_assert(tu_name_is(node->name, node->name_len, "www.example.com"));
	ck_assert_uint_eq(node->n_rrsets, 1);
	rs = zone_rrset(node, WIRE_TYPE_A);
	ck_assert_ptr_nonnull(rs);
	ck_assert_uint_eq(rs->count, 1);
	ck_assert_uint_eq(rs->ttl, 300);
	ck_assert_uint_eq(rs->len, 2 + 4);
	rd = rdata_at(rs, 0, &rdlen);
	ck_assert_uint_eq(rdlen, 4);
	ck_assert_mem_eq(rd, "\xc0\0\2\1", 4);
	ck_assert_ptr_null(zone_rrset(node, WIRE_TYPE_AAAA));
	/* zone_find() wants the lower-case name. */
	len = tu_name("WWW.example.com", n);
	ck_assert_ptr_null(zone_find(z, n, len));
	ck_assert_ptr_null(find(z, "ww.example.com"));
	ck_assert_ptr_null(find(z, "www.example.com.example.com"));
}
END_TEST

START_TEST(test_empty_non_terminals)
{
	struct zone *z = new_zone("example.com");
	const struct zone_node *n;

	ck_assert_int_eq(add_a(z, "a.b.c.example.com", 60, "192.0.2.1"),
			 VPC_OK);
	ck_assert_uint_eq(z->n_nodes, 4);
	n = find(z, "b.c.example.com");
	ck_assert_ptr_nonnull(n);
	ck_assert_uint_eq(n->n_rrsets, 0);
	n = find(z, "c.example.com");
	ck_assert_ptr_nonnull(n);
	ck_assert_uint_eq(n->n_rrsets, 0);
	n = find(z, "example.com");
	ck_assert_ptr_nonnull(n);
	ck_assert_uint_eq(n->n_rrsets, 0);
	ck_assert_ptr_null(find(z, "b.example.com"));
	/* A later record at an empty non-terminal fills it. */
	ck_assert_int_eq(add_a(z, "c.example.com", 60, "192.0.2.2"), VPC_OK);
	ck_assert_uint_eq(find(z, "c.example.com")->n_rrsets, 1);
	ck_assert_uint_eq(z->n_nodes, 4);
}
END_TEST

START_TEST(test_duplicate_rdata)
{
	struct zone *z = new_zone("example.com");
	const struct zone_rrset *rs;
	const uint8_t *rd;
	uint16_t rdlen;

	ck_assert_int_eq(add_a(z, "www.example.com", 60, "192.0.2.1"), VPC_OK);
	ck_assert_int_eq(add_a(z, "www.example.com", 60, "192.0.2.1"), VPC_OK);
	ck_assert_int_eq(add_a(z, "WWW.example.com", 60, "192.0.2.1"), VPC_OK);
	rs = rrset(z, "www.example.com", WIRE_TYPE_A);
	ck_assert_uint_eq(rs->count, 1);
	ck_assert_int_eq(add_a(z, "www.example.com", 60, "192.0.2.2"), VPC_OK);
	ck_assert_int_eq(add_a(z, "www.example.com", 60, "192.0.2.1"), VPC_OK);
	rs = rrset(z, "www.example.com", WIRE_TYPE_A);
	ck_assert_uint_eq(rs->count, 2);
	ck_assert_uint_eq(rs->len, 2 * (2 + 4));
	rd = rdata_at(rs, 1, &rdlen);
	ck_assert_mem_eq(rd, "\xc0\0\2\2", 4);
}
END_TEST

START_TEST(test_rrset_ttl_min)
{
	struct zone *z = new_zone("example.com");

	/* RFC 2181 §5.2: one TTL per RRset, the lowest given. */
	ck_assert_int_eq(add_a(z, "www.example.com", 300, "192.0.2.1"), VPC_OK);
	ck_assert_int_eq(add_a(z, "www.example.com", 60, "192.0.2.2"), VPC_OK);
	ck_assert_int_eq(add_a(z, "www.example.com", 600, "192.0.2.3"), VPC_OK);
	ck_assert_uint_eq(rrset(z, "www.example.com", WIRE_TYPE_A)->ttl, 60);
	ck_assert_uint_eq(rrset(z, "www.example.com", WIRE_TYPE_A)->count, 3);
}
END_TEST

START_TEST(test_owner_outside)
{
	struct zone *z = new_zone("example.com");

	ck_assert_int_eq(add_a(z, "www.example.org", 60, "192.0.2.1"),
			 VPC_EMALFORMED);
	ck_assert_int_eq(add_a(z, "xexample.com", 60, "192.0.2.1"),
			 VPC_EMALFORMED);
	ck_assert_int_eq(add_a(z, "com", 60, "192.0.2.1"), VPC_EMALFORMED);
	ck_assert_uint_eq(z->n_nodes, 0);
	ck_assert_int_eq(add_a(z, "EXAMPLE.com", 60, "192.0.2.1"), VPC_OK);
}
END_TEST

START_TEST(test_cname_and_other_data)
{
	struct zone *z = new_zone("example.com");

	/* RFC 1034 §3.6.2: a CNAME owner has no other data. */
	ck_assert_int_eq(add_a(z, "a.example.com", 60, "192.0.2.1"), VPC_OK);
	ck_assert_int_eq(
	    add_name(z, "a.example.com", WIRE_TYPE_CNAME, 60, "b.example.com"),
	    VPC_ECONFIG);
	ck_assert_int_eq(
	    add_name(z, "c.example.com", WIRE_TYPE_CNAME, 60, "b.example.com"),
	    VPC_OK);
	ck_assert_int_eq(add_a(z, "c.example.com", 60, "192.0.2.1"),
			 VPC_ECONFIG);
	ck_assert_int_eq(
	    add_name(z, "c.example.com", WIRE_TYPE_NS, 60, "ns.example.net"),
	    VPC_ECONFIG);
	/* The same CNAME again is a harmless duplicate. */
	ck_assert_int_eq(
	    add_name(z, "c.example.com", WIRE_TYPE_CNAME, 60, "b.example.com"),
	    VPC_OK);
	ck_assert_uint_eq(rrset(z, "c.example.com", WIRE_TYPE_CNAME)->count, 1);
	ck_assert_ptr_null(rrset(z, "c.example.com", WIRE_TYPE_A));
	/* An empty non-terminal may become a CNAME owner. */
	ck_assert_int_eq(add_a(z, "x.d.example.com", 60, "192.0.2.1"), VPC_OK);
	ck_assert_int_eq(
	    add_name(z, "d.example.com", WIRE_TYPE_CNAME, 60, "b.example.com"),
	    VPC_OK);
}
END_TEST

START_TEST(test_cname_singleton)
{
	struct zone *z = new_zone("example.com");

	/* RFC 2181 §10.1: one CNAME RR at most per name. */
	ck_assert_int_eq(
	    add_name(z, "c.example.com", WIRE_TYPE_CNAME, 60, "a.example.com"),
	    VPC_OK);
	ck_assert_int_eq(
	    add_name(z, "c.example.com", WIRE_TYPE_CNAME, 60, "b.example.com"),
	    VPC_ECONFIG);
}
END_TEST

START_TEST(test_many_names)
{
	struct zone *z = new_zone("example.com");
	char name[64];

	/* Enough nodes to grow the hash table several times. */
	for (int i = 0; i < 500; i++) {
		snprintf(name, sizeof(name), "h%d.example.com", i);
		ck_assert_int_eq(add_a(z, name, 60, "192.0.2.1"), VPC_OK);
	}
	ck_assert_uint_eq(z->n_nodes, 501);
	for (int i = 0; i < 500; i++) {
		snprintf(name, sizeof(name), "h%d.example.com", i);
		ck_assert_ptr_nonnull(find(z, name));
	}
	ck_assert_ptr_null(find(z, "h500.example.com"));
}
END_TEST

/* ---- zone_finish ------------------------------------------------------- */

START_TEST(test_finish_defaults)
{
	static const char *const ns[] = {
	    "ns-1536.awsdns-00.co.uk",
	    "ns-0.awsdns-00.com",
	    "ns-1024.awsdns-00.org",
	    "ns-512.awsdns-00.net",
	};
	struct zone *z = new_zone("example.com");
	const struct zone_rrset *rs;
	uint8_t want[128];
	const uint8_t *rd;
	uint16_t rdlen, wlen;

	ck_assert_int_eq(zone_finish(z), VPC_OK);
	ck_assert(z->finished);
	/* SPEC 1.2: the Route 53 SOA, TTL 900. */
	rs = rrset(z, "example.com", WIRE_TYPE_SOA);
	ck_assert_ptr_nonnull(rs);
	ck_assert_ptr_eq(z->soa, rs);
	ck_assert_uint_eq(rs->count, 1);
	ck_assert_uint_eq(rs->ttl, ZONE_DEFAULT_SOA_TTL);
	ck_assert_uint_eq(rs->ttl, 900);
	wlen = tu_rdata_soa("ns-1536.awsdns-00.co.uk",
			    "awsdns-hostmaster.amazon.com", 1, 86400, want);
	rd = rdata_at(rs, 0, &rdlen);
	ck_assert_uint_eq(rdlen, wlen);
	ck_assert_mem_eq(rd, want, wlen);
	ck_assert_uint_eq(z->serial, 1);
	ck_assert_uint_eq(zone_soa_minimum(z), 86400);
	ck_assert_ptr_eq(zone_rdata_first(rs, &rdlen), rs->rdata + 2);
	ck_assert_uint_eq(rdlen, wlen);
	/* And the four name servers, TTL 172800. */
	rs = rrset(z, "example.com", WIRE_TYPE_NS);
	ck_assert_ptr_nonnull(rs);
	ck_assert_uint_eq(rs->count, 4);
	ck_assert_uint_eq(rs->ttl, 172800);
	for (unsigned i = 0; i < 4; i++) {
		wlen = tu_rdata_name(ns[i], want);
		rd = rdata_at(rs, i, &rdlen);
		ck_assert_uint_eq(rdlen, wlen);
		ck_assert_mem_eq(rd, want, wlen);
	}
	/* Read-only afterwards. */
	ck_assert_int_eq(add_a(z, "www.example.com", 60, "192.0.2.1"),
			 VPC_EMALFORMED);
}
END_TEST

START_TEST(test_finish_keeps_own_records)
{
	struct zone *z = new_zone("example.com");
	uint8_t soa[128];
	uint16_t len = tu_rdata_soa("ns1.example.com", "h.example.com",
				    2024061501u, 300, soa);

	ck_assert_int_eq(add(z, "example.com", WIRE_TYPE_SOA, 3600, soa, len),
			 VPC_OK);
	ck_assert_int_eq(
	    add_name(z, "example.com", WIRE_TYPE_NS, 3600, "ns1.example.com"),
	    VPC_OK);
	ck_assert_int_eq(zone_finish(z), VPC_OK);
	ck_assert_uint_eq(z->serial, 2024061501u);
	ck_assert_uint_eq(zone_soa_minimum(z), 300);
	ck_assert_uint_eq(z->soa->count, 1);
	ck_assert_uint_eq(z->soa->ttl, 3600);
	ck_assert_uint_eq(rrset(z, "example.com", WIRE_TYPE_NS)->count, 1);
}
END_TEST

START_TEST(test_finish_own_soa_default_ns)
{
	struct zone *z = new_zone("example.com");
	uint8_t soa[128];
	uint16_t len =
	    tu_rdata_soa("ns1.example.com", "h.example.com", 7, 300, soa);

	ck_assert_int_eq(add(z, "example.com", WIRE_TYPE_SOA, 3600, soa, len),
			 VPC_OK);
	ck_assert_int_eq(zone_finish(z), VPC_OK);
	ck_assert_uint_eq(z->serial, 7);
	ck_assert_uint_eq(rrset(z, "example.com", WIRE_TYPE_SOA)->count, 1);
	ck_assert_uint_eq(rrset(z, "example.com", WIRE_TYPE_NS)->count, 4);
}
END_TEST

START_TEST(test_finish_own_ns_default_soa)
{
	struct zone *z = new_zone("example.com");

	ck_assert_int_eq(
	    add_name(z, "example.com", WIRE_TYPE_NS, 3600, "ns1.example.com"),
	    VPC_OK);
	ck_assert_int_eq(zone_finish(z), VPC_OK);
	ck_assert_uint_eq(z->serial, 1);
	ck_assert_uint_eq(z->soa->ttl, 900);
	ck_assert_uint_eq(rrset(z, "example.com", WIRE_TYPE_NS)->count, 1);
}
END_TEST

START_TEST(test_finish_apex_cname)
{
	struct zone *z = new_zone("example.com");

	/* The apex needs an SOA, which cannot sit next to a CNAME; the
	 * loader reports this as "CNAME at the zone apex". */
	ck_assert_int_eq(
	    add_name(z, "example.com", WIRE_TYPE_CNAME, 60, "other.example"),
	    VPC_OK);
	ck_assert_int_eq(zone_finish(z), VPC_ECONFIG);
}
END_TEST

/* ---- zone_load_text ---------------------------------------------------- */

/* The file name the messages carry: the text is given, nothing is read. */
#define ZONE_PATH "/zones/check_zone.zone"

/* Loads @text as zone @apex into `loaded`, errors into `errs`; returns
 * the code.  May be called twice in a test. */
static int
load_text(const char *text, const char *apex)
{
	teardown();
	return zone_load_text(ZONE_PATH, text, strlen(text), apex, &loaded,
			      &errs);
}

/* Checks that the only error starts with "@path:@line: " and contains
 * @what. */
static void
expect_error(unsigned line, const char *what)
{
	char prefix[4200];

	ck_assert_uint_eq(errs.n, 1);
	snprintf(prefix, sizeof(prefix), "%s:%u: ", ZONE_PATH, line);
	ck_assert_msg(strncmp(errs.msgs[0], prefix, strlen(prefix)) == 0,
		      "error \"%s\" does not start with \"%s\"", errs.msgs[0],
		      prefix);
	ck_assert_msg(strstr(errs.msgs[0], what) != NULL,
		      "error \"%s\" does not mention \"%s\"", errs.msgs[0],
		      what);
}

static const char valid_zone[] =
    "; a zone with the usual master-file features\n"
    "$ORIGIN example.com.\n"
    "$TTL 300\n"
    "@   IN SOA ns1 hostmaster (\n"
    "        2024010101 ; serial\n"
    "        7200 900\n"
    "        1209600\n"
    "        60 )\n"
    "    IN NS ns1\n"
    "ns1 IN A 192.0.2.53\n"
    "www 600 IN A 192.0.2.1\n"
    "www IN AAAA 2001:db8::1\n"
    "\n"
    "mail.example.com. IN A 192.0.2.25\n"
    "alias IN CNAME www\n"
    "*.wild IN A 192.0.2.99\n"
    "deep.a.b IN TXT \"hello world\"\n"
    "Upper IN MX 10 mail\n";

START_TEST(test_load_valid)
{
	const struct zone_rrset *rs;
	struct zone *z;
	uint8_t want[128];
	const uint8_t *rd;
	uint16_t rdlen, wlen;

	ck_assert_int_eq(load_text(valid_zone, "Example.com"), VPC_OK);
	ck_assert_uint_eq(errs.n, 0);
	z = loaded;
	ck_assert_ptr_nonnull(z);
	ck_assert(z->finished);
	ck_assert_uint_eq(z->serial, 2024010101u);
	ck_assert_uint_eq(zone_soa_minimum(z), 60);
	ck_assert_uint_eq(z->soa->ttl, 300);
	wlen = tu_rdata_soa("ns1.example.com", "hostmaster.example.com",
			    2024010101u, 60, want);
	rd = rdata_at(z->soa, 0, &rdlen);
	ck_assert_uint_eq(rdlen, wlen);
	ck_assert_mem_eq(rd, want, wlen);
	/* Its own NS: no Route 53 defaults added. */
	rs = rrset(z, "example.com", WIRE_TYPE_NS);
	ck_assert_uint_eq(rs->count, 1);
	rd = rdata_at(rs, 0, &rdlen);
	ck_assert_uint_eq(rdlen, tu_rdata_name("ns1.example.com", want));
	ck_assert_mem_eq(rd, want, rdlen);
	ck_assert_uint_eq(rrset(z, "www.example.com", WIRE_TYPE_A)->ttl, 600);
	ck_assert_uint_eq(rrset(z, "www.example.com", WIRE_TYPE_AAAA)->ttl,
			  300);
	ck_assert_ptr_nonnull(rrset(z, "mail.example.com", WIRE_TYPE_A));
	rs = rrset(z, "alias.example.com", WIRE_TYPE_CNAME);
	ck_assert_ptr_nonnull(rs);
	rd = rdata_at(rs, 0, &rdlen);
	ck_assert_uint_eq(rdlen, tu_rdata_name("www.example.com", want));
	ck_assert_mem_eq(rd, want, rdlen);
	ck_assert_ptr_nonnull(rrset(z, "*.wild.example.com", WIRE_TYPE_A));
	ck_assert_uint_eq(find(z, "wild.example.com")->n_rrsets, 0);
	ck_assert_uint_eq(find(z, "a.b.example.com")->n_rrsets, 0);
	ck_assert_uint_eq(find(z, "b.example.com")->n_rrsets, 0);
	rs = rrset(z, "deep.a.b.example.com", WIRE_TYPE_TXT);
	ck_assert_ptr_nonnull(rs);
	rd = rdata_at(rs, 0, &rdlen);
	ck_assert_uint_eq(rdlen, 12);
	ck_assert_mem_eq(rd, "\x0bhello world", 12);
	/* Owners are stored lower-case. */
	ck_assert_ptr_nonnull(rrset(z, "upper.example.com", WIRE_TYPE_MX));
}
END_TEST

START_TEST(test_load_default_origin)
{
	/* No $ORIGIN, no $TTL, no SOA: the apex is the origin and the
	 * Route 53 SOA and NS are added. */
	ck_assert_int_eq(load_text("www IN A 192.0.2.1\n"
				   "sub.www IN A 192.0.2.2\n",
				   "internal.example"),
			 VPC_OK);
	ck_assert_uint_eq(errs.n, 0);
	ck_assert_ptr_nonnull(
	    rrset(loaded, "www.internal.example", WIRE_TYPE_A));
	ck_assert_ptr_nonnull(
	    rrset(loaded, "sub.www.internal.example", WIRE_TYPE_A));
	ck_assert_uint_eq(loaded->serial, 1);
	ck_assert_uint_eq(
	    rrset(loaded, "internal.example", WIRE_TYPE_NS)->count, 4);
}
END_TEST

START_TEST(test_load_syntax_error_line)
{
	ck_assert_int_eq(load_text("$TTL 300\n"
				   "www IN A 192.0.2.1\n"
				   "\n"
				   "; a comment\n"
				   "bad IN A 999.1.1.1\n"
				   "ok IN A 192.0.2.2\n",
				   "example.com"),
			 VPC_ECONFIG);
	ck_assert_ptr_null(loaded);
	expect_error(5, "");
}
END_TEST

START_TEST(test_load_syntax_error_after_multiline)
{
	ck_assert_int_eq(load_text("$ORIGIN example.com.\n"
				   "@ 300 IN SOA ns1 hostmaster (\n"
				   "   1 7200 900\n"
				   "   1209600 60 )\n"
				   "www IN A 192.0.2.1\n"
				   "www IN A not-an-address\n",
				   "example.com"),
			 VPC_ECONFIG);
	ck_assert_ptr_null(loaded);
	expect_error(6, "");
}
END_TEST

START_TEST(test_load_syntax_error_last_line)
{
	/* No newline after the last record. */
	ck_assert_int_eq(load_text("www IN A 192.0.2.1\n"
				   "bad IN A 999.1.1.1",
				   "example.com"),
			 VPC_ECONFIG);
	expect_error(2, "");
}
END_TEST

START_TEST(test_load_outside_zone)
{
	ck_assert_int_eq(load_text("$TTL 60\n"
				   "www IN A 192.0.2.1\n"
				   "www.example.org. IN A 192.0.2.2\n",
				   "example.com"),
			 VPC_ECONFIG);
	ck_assert_ptr_null(loaded);
	expect_error(3, "www.example.org");
}
END_TEST

START_TEST(test_load_outside_zone_after_comment)
{
	/* The line of the record itself, not of the comment or blank lines
	 * before it. */
	ck_assert_int_eq(load_text("$TTL 60\n"
				   "www IN A 192.0.2.1\n"
				   "\n"
				   "; the next record is outside\n"
				   "www.example.org. IN A 192.0.2.2\n",
				   "example.com"),
			 VPC_ECONFIG);
	expect_error(5, "www.example.org");
}
END_TEST

START_TEST(test_load_soa_not_at_apex)
{
	ck_assert_int_eq(
	    load_text("sub 60 IN SOA ns1 h 1 2 3 4 5\n", "example.com"),
	    VPC_ECONFIG);
	ck_assert_ptr_null(loaded);
	expect_error(1, "SOA");
}
END_TEST

START_TEST(test_load_include_refused)
{
	ck_assert_int_eq(load_text("www 60 IN A 192.0.2.1\n"
				   "$INCLUDE /etc/passwd\n"
				   "ftp 60 IN A 192.0.2.2\n",
				   "example.com"),
			 VPC_ECONFIG);
	ck_assert_ptr_null(loaded);
	expect_error(2, "$INCLUDE");
}
END_TEST

START_TEST(test_load_cname_conflict)
{
	ck_assert_int_eq(load_text("www 60 IN A 192.0.2.1\n"
				   "www 60 IN CNAME other.example.\n",
				   "example.com"),
			 VPC_ECONFIG);
	ck_assert_ptr_null(loaded);
	expect_error(2, "CNAME");
}
END_TEST

START_TEST(test_load_apex_cname)
{
	ck_assert_int_eq(
	    load_text("@ 60 IN CNAME other.example.\n", "example.com"),
	    VPC_ECONFIG);
	ck_assert_ptr_null(loaded);
	ck_assert_uint_eq(errs.n, 1);
	ck_assert_ptr_nonnull(strstr(errs.msgs[0], "apex"));
}
END_TEST

START_TEST(test_load_class_and_two_soas)
{
	ck_assert_int_eq(load_text("www 60 CH A 192.0.2.1\n", "example.com"),
			 VPC_ECONFIG);
	ck_assert_ptr_null(loaded);
	expect_error(1, "class");

	ck_assert_int_eq(load_text("@ 60 IN SOA a b 1 2 3 4 5\n"
				   "@ 60 IN SOA c d 1 2 3 4 5\n",
				   "example.com"),
			 VPC_ECONFIG);
	ck_assert_ptr_null(loaded);
	expect_error(2, "SOA");
}
END_TEST

START_TEST(test_load_bad_apex)
{
	ck_assert_int_eq(load_text("www 60 IN A 192.0.2.1\n", "bad..name"),
			 VPC_ECONFIG);
	ck_assert_ptr_null(loaded);
	ck_assert_uint_eq(errs.n, 1);
}
END_TEST

/* ---- zoneset ----------------------------------------------------------- */

/* A finished empty zone for @apex, owned by the caller. */
static struct zone *
finished_zone(const char *apex)
{
	struct zone *z = make_zone(apex);

	ck_assert_int_eq(zone_finish(z), VPC_OK);
	return z;
}

/* The set of the test, released by teardown(). */
static struct zoneset *
new_set(void)
{
	set = zoneset_new();
	ck_assert_ptr_nonnull(set);
	return set;
}

static const struct zone *
set_find(const struct zoneset *zs, const char *name)
{
	uint8_t n[WIRE_MAX_NAME_LEN];
	size_t len = tu_name(name, n);

	return zoneset_find(zs, n, len);
}

START_TEST(test_set_nested)
{
	struct zoneset *zs = new_set();
	struct zone *a = finished_zone("a.example");
	struct zone *b;

	ck_assert_ptr_null(set_find(zs, "a.example"));
	ck_assert_int_eq(zoneset_add(zs, a), VPC_OK);
	b = finished_zone("b.a.example");
	ck_assert_int_eq(zoneset_add(zs, b), VPC_OK);
	ck_assert_uint_eq(zoneset_count(zs), 2);
	ck_assert_ptr_eq(zoneset_get(zs, 0), a);
	ck_assert_ptr_eq(zoneset_get(zs, 1), b);
	ck_assert_ptr_eq(set_find(zs, "a.example"), a);
	ck_assert_ptr_eq(set_find(zs, "x.a.example"), a);
	ck_assert_ptr_eq(set_find(zs, "y.x.a.example"), a);
	ck_assert_ptr_eq(set_find(zs, "b.a.example"), b);
	ck_assert_ptr_eq(set_find(zs, "x.b.a.example"), b);
	ck_assert_ptr_eq(set_find(zs, "bb.a.example"), a);
	ck_assert_ptr_null(set_find(zs, "example"));
	ck_assert_ptr_null(set_find(zs, "aa.example"));
	ck_assert_ptr_null(set_find(zs, "a.example.org"));
	ck_assert_ptr_null(set_find(zs, "."));
}
END_TEST

START_TEST(test_set_duplicate)
{
	struct zoneset *zs = new_set();

	ck_assert_int_eq(zoneset_add(zs, finished_zone("example.com")), VPC_OK);
	/* Same apex in another case: refused, and the zone is freed. */
	ck_assert_int_eq(zoneset_add(zs, finished_zone("EXAMPLE.com")),
			 VPC_ECONFIG);
	ck_assert_uint_eq(zoneset_count(zs), 1);
}
END_TEST

START_TEST(test_set_root_zone)
{
	struct zoneset *zs = new_set();
	struct zone *root = finished_zone(".");
	struct zone *ex;

	ck_assert_int_eq(zoneset_add(zs, root), VPC_OK);
	ex = finished_zone("example");
	ck_assert_int_eq(zoneset_add(zs, ex), VPC_OK);
	ck_assert_ptr_eq(set_find(zs, "www.example"), ex);
	ck_assert_ptr_eq(set_find(zs, "www.other"), root);
	ck_assert_ptr_eq(set_find(zs, "."), root);
}
END_TEST

START_TEST(test_set_many)
{
	struct zoneset *zs = new_set();
	char name[64];

	for (int i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "z%d.example", i);
		ck_assert_int_eq(zoneset_add(zs, finished_zone(name)), VPC_OK);
	}
	ck_assert_uint_eq(zoneset_count(zs), 100);
	for (int i = 0; i < 100; i++) {
		const struct zone *z;

		snprintf(name, sizeof(name), "www.z%d.example", i);
		z = set_find(zs, name);
		ck_assert_ptr_nonnull(z);
		ck_assert_ptr_eq(z, zoneset_get(zs, (size_t)i));
	}
}
END_TEST

START_TEST(test_set_null_and_empty)
{
	struct zoneset *zs = new_set();

	ck_assert_uint_eq(zoneset_count(NULL), 0);
	ck_assert_uint_eq(zoneset_count(zs), 0);
	ck_assert_ptr_null(set_find(zs, "example"));
	ck_assert_ptr_null(set_find(NULL, "example"));
	zoneset_free(NULL);
}
END_TEST

static Suite *
zone_suite(void)
{
	Suite *s = suite_create("zone");
	TCase *tc;

	tc = tcase_create("add_find");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_new_lowercases_apex);
	tcase_add_test(tc, test_add_and_find);
	tcase_add_test(tc, test_empty_non_terminals);
	tcase_add_test(tc, test_duplicate_rdata);
	tcase_add_test(tc, test_rrset_ttl_min);
	tcase_add_test(tc, test_owner_outside);
	tcase_add_test(tc, test_cname_and_other_data);
	tcase_add_test(tc, test_cname_singleton);
	tcase_add_test(tc, test_many_names);
	suite_add_tcase(s, tc);

	tc = tcase_create("finish");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_finish_defaults);
	tcase_add_test(tc, test_finish_keeps_own_records);
	tcase_add_test(tc, test_finish_own_soa_default_ns);
	tcase_add_test(tc, test_finish_own_ns_default_soa);
	tcase_add_test(tc, test_finish_apex_cname);
	suite_add_tcase(s, tc);

	tc = tcase_create("load_file");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_load_valid);
	tcase_add_test(tc, test_load_default_origin);
	tcase_add_test(tc, test_load_syntax_error_line);
	tcase_add_test(tc, test_load_syntax_error_after_multiline);
	tcase_add_test(tc, test_load_syntax_error_last_line);
	tcase_add_test(tc, test_load_outside_zone);
	tcase_add_test(tc, test_load_outside_zone_after_comment);
	tcase_add_test(tc, test_load_soa_not_at_apex);
	tcase_add_test(tc, test_load_include_refused);
	tcase_add_test(tc, test_load_cname_conflict);
	tcase_add_test(tc, test_load_apex_cname);
	tcase_add_test(tc, test_load_class_and_two_soas);
	tcase_add_test(tc, test_load_bad_apex);
	suite_add_tcase(s, tc);

	tc = tcase_create("zoneset");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_set_nested);
	tcase_add_test(tc, test_set_duplicate);
	tcase_add_test(tc, test_set_root_zone);
	tcase_add_test(tc, test_set_many);
	tcase_add_test(tc, test_set_null_and_empty);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(zone_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed != 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
