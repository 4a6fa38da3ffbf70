/*
 * tests/unit/check_answer.c - end-to-end tests of the consume/produce
 * engine (answer_) on bytes.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * A fixture builds a struct view_set by hand: one VPC view (no `clients`,
 * so it is the fallback view of every client) whose zones are built with
 * zone_new()/zone_add_rr()/zone_finish().  Queries go in as bytes, and
 * the responses are parsed back with tu_parse(); forwarded queries are
 * completed with hand-built upstream replies through answer_upstream(),
 * with the clock passed in as now_ms.
 */
#include "config.h"

#include <netinet/in.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "engine/answer.h"
#include "engine/cache.h"
#include "engine/firewall.h"
#include "check_util.h"
#include "conf/conf.h"
#include "util/err.h"
#include "dns/msg.h"
#include "engine/view.h"
#include "dns/wire.h"
#include "engine/zone.h"

static char vpc_id[] = "vpc-0123456789abcdef0";
static struct conf_vpc cvpc;	  /* one VPC, no `clients` */
static struct conf conf;	  /* n_vpcs = 1 */
static struct view_set vs;	  /* built by hand in setup() */
static struct view vpc_view;
static struct zoneset *vpc_zones;	  /* vs.vpcs[0] */
static struct cache *cache;	  /* for the tests that want one */
static struct sockaddr_in client; /* 10.0.0.5 */
static struct answer_src src;	  /* UDP from client, not inbound */
static struct answer_job job;
static struct tu_pkt query; /* the client's query */
static struct tu_pkt reply; /* an upstream reply */
static struct tu_resp resp;
static uint8_t out[MSG_TCP_MAX];

/* ---- the local data ---------------------------------------------------- */

static void
add(struct zone *z, const char *owner, uint16_t type, uint32_t ttl,
    const uint8_t *rd, uint16_t rdlen)
{
	uint8_t o[WIRE_MAX_NAME_LEN];

	ck_assert_int_eq(
	    zone_add_rr(z, o, tu_name(owner, o), type, ttl, rd, rdlen), VPC_OK);
}

static void
add_a(struct zone *z, const char *owner, uint32_t ttl, const char *addr)
{
	uint8_t rd[4];

	add(z, owner, WIRE_TYPE_A, ttl, rd, tu_rdata_a(addr, rd));
}

static void
add_cname(struct zone *z, const char *owner, uint32_t ttl, const char *target)
{
	uint8_t rd[WIRE_MAX_NAME_LEN];

	add(z, owner, WIRE_TYPE_CNAME, ttl, rd, tu_rdata_name(target, rd));
}

/* @n TXT RRs at @owner, each one string of @size bytes. */
static void
add_txts(struct zone *z, const char *owner, unsigned n, size_t size)
{
	uint8_t rd[256];

	for (unsigned i = 0; i < n; i++)
		add(z, owner, WIRE_TYPE_TXT, 60, rd,
		    tu_rdata_txt((char)('A' + i), size, rd));
}

/*
 * example.com: own SOA (TTL 3600, MINIMUM 60), www A, a wildcard under
 * wild, an empty non-terminal ent, CNAME chains inside the zone, across
 * to other.test and out to example.net, a CNAME loop, big TXT RRsets.
 * other.test: Route 53 default SOA (TTL 900, MINIMUM 86400).
 */
static struct zone *
example_zone(void)
{
	uint8_t a[WIRE_MAX_NAME_LEN], rd[128];
	struct zone *z = NULL;

	ck_assert_int_eq(zone_new(a, tu_name("example.com", a), &z), VPC_OK);
	add(z, "example.com", WIRE_TYPE_SOA, 3600, rd,
	    tu_rdata_soa("ns1.example.com", "hostmaster.example.com", 2024, 60,
			 rd));
	add(z, "example.com", WIRE_TYPE_NS, 3600, rd,
	    tu_rdata_name("ns1.example.com", rd));
	add_a(z, "ns1.example.com", 3600, "192.0.2.53");
	add_a(z, "www.example.com", 300, "192.0.2.1");
	add_a(z, "*.wild.example.com", 120, "192.0.2.99");
	add_a(z, "host.ent.example.com", 300, "192.0.2.7");
	add_cname(z, "alias.example.com", 100, "www.example.com");
	add_cname(z, "alias2.example.com", 200, "ALIAS.example.com");
	add_cname(z, "cross.example.com", 100, "www.other.test");
	add_cname(z, "out.example.com", 100, "Target.Example.NET");
	add_cname(z, "c1.example.com", 150, "out.example.com");
	add_cname(z, "loop1.example.com", 60, "loop2.example.com");
	add_cname(z, "loop2.example.com", 60, "loop1.example.com");
	add_cname(z, "dangling.example.com", 100, "nothere.example.com");
	/* hop0 -> hop1 -> ... -> hop8 -> www: 9 CNAMEs from hop0, 8 from
	 * hop1. */
	for (int i = 0; i < 9; i++) {
		char owner[32], target[32];

		snprintf(owner, sizeof(owner), "hop%d.example.com", i);
		if (i < 8)
			snprintf(target, sizeof(target), "hop%d.example.com",
				 i + 1);
		else
			snprintf(target, sizeof(target), "www.example.com");
		add_cname(z, owner, 60, target);
	}
	add_txts(z, "txt.example.com", 3, 200);
	add_txts(z, "big.example.com", 30, 250);
	ck_assert_int_eq(zone_finish(z), VPC_OK);
	return z;
}

static struct zone *
other_zone(void)
{
	uint8_t a[WIRE_MAX_NAME_LEN];
	struct zone *z = NULL;

	ck_assert_int_eq(zone_new(a, tu_name("other.test", a), &z), VPC_OK);
	add_a(z, "www.other.test", 600, "198.51.100.7");
	ck_assert_int_eq(zone_finish(z), VPC_OK);
	return z;
}

static void
setup(void)
{
	memset(&conf, 0, sizeof(conf));
	memset(&cvpc, 0, sizeof(cvpc));
	memset(&vs, 0, sizeof(vs));
	memset(&vpc_view, 0, sizeof(vpc_view));
	cvpc.id = vpc_id;
	cvpc.clients_set = false;
	conf.vpcs = &cvpc;
	conf.n_vpcs = 1;
	vpc_view.vpc_id = cvpc.id;
	vpc_zones = zoneset_new();
	ck_assert_ptr_nonnull(vpc_zones);
	ck_assert_int_eq(zoneset_add(vpc_zones, example_zone()), VPC_OK);
	ck_assert_int_eq(zoneset_add(vpc_zones, other_zone()), VPC_OK);
	vpc_view.zonesets[0] = vpc_zones;
	vpc_view.n_zonesets = 1;
	vpc_view.fwd_group = VIEW_FWD_DEFAULT;
	vpc_view.conf_index = 0;
	vs.conf = &conf;
	vs.vpcs = &vpc_view;
	vs.inbound = &vpc_view; /* the inbound view sees the same zones */
	vs.n_vpcs = 1;
	vs.outside.conf_index = SIZE_MAX;
	vs.fallback = &vs.vpcs[0];
	vs.n_zones = 2;
	memset(&client, 0, sizeof(client));
	client.sin_family = AF_INET;
	client.sin_addr.s_addr = htonl(0x0a000005);
	client.sin_port = htons(5353);
	src.addr = (const struct sockaddr *)&client;
	src.inbound = VIEW_NOT_INBOUND;
	src.tcp = false;
	cache = NULL;
}

static void
teardown(void)
{
	zoneset_free(vpc_zones);
	vpc_zones = NULL;
	cache_free(cache);
	cache = NULL;
}

/* ---- helpers ----------------------------------------------------------- */

/* Runs the query in `query`; a UDP caller gives MSG_UDP_MAX bytes, a TCP
 * caller MSG_TCP_MAX (answer.h). */
static enum answer_action
run(uint64_t now_ms, size_t *len)
{
	size_t cap = src.tcp ? MSG_TCP_MAX : MSG_UDP_MAX;

	return answer_query(&job, &vs, cache, &src, query.b, query.len, now_ms,
			    out, cap, len);
}

/* Asks @name/@type (EDNS @payload, 0 for none); expects ANSWER_REPLY and
 * parses the response into resp. */
static size_t
ask(const char *name, uint16_t type, uint16_t payload)
{
	size_t len = 0;

	tu_query(&query, name, type, payload);
	ck_assert_int_eq(run(0, &len), ANSWER_REPLY);
	ck_assert_uint_gt(len, 0);
	tu_parse_ok(out, len, &resp);
	ck_assert_uint_eq(resp.id, 0x1234);
	return len;
}

/* Asks @name/@type and expects ANSWER_FORWARD. */
static void
ask_forward(const char *name, uint16_t type, uint64_t now_ms)
{
	size_t len = 12345;

	tu_query(&query, name, type, 0);
	ck_assert_int_eq(run(now_ms, &len), ANSWER_FORWARD);
}

static void
expect_rr(size_t i, int section, const char *owner, uint16_t type, uint32_t ttl)
{
	const struct tu_rr *rr = &resp.rr[i];

	ck_assert_uint_lt(i, resp.n_rrs);
	ck_assert_int_eq(rr->section, section);
	ck_assert_msg(tu_name_is(rr->owner, rr->owner_len, owner),
		      "RR %zu: owner is not %s", i, owner);
	ck_assert_uint_eq(rr->type, type);
	ck_assert_uint_eq(rr->rclass, WIRE_CLASS_IN);
	ck_assert_uint_eq(rr->ttl, ttl);
}

static void
expect_target(size_t i, const char *target)
{
	const struct tu_rr *rr = &resp.rr[i];

	ck_assert_msg(tu_name_is(rr->target, rr->target_len, target),
		      "RR %zu: target is not %s", i, target);
}

static void
expect_a(size_t i, const char *addr)
{
	uint8_t want[4];

	tu_rdata_a(addr, want);
	ck_assert_uint_eq(resp.rr[i].rdlen, 4);
	ck_assert_mem_eq(out + resp.rr[i].rdata_off, want, 4);
}

/* Header flags other than the RCODE. */
static uint16_t
flags(void)
{
	return (uint16_t)(resp.flags & ~0xfu);
}

/* Starts an upstream reply to @qname/@type with @rcode and header flags
 * QR RD RA | @extra. */
static void
upstream_start(const char *qname, uint16_t type, unsigned rcode, unsigned extra,
	       unsigned an, unsigned ns)
{
	tu_reset(&reply);
	tu_header(&reply, 0x9999, 0x8180u | extra | rcode, 1, an, ns, 0);
	tu_question(&reply, qname, type, WIRE_CLASS_IN);
}

static void
upstream_a(const char *owner, uint32_t ttl, const char *addr)
{
	size_t at = tu_rr_head(&reply, owner, WIRE_TYPE_A, WIRE_CLASS_IN, ttl);
	uint8_t rd[4];

	tu_bytes(&reply, rd, tu_rdata_a(addr, rd));
	tu_rr_end(&reply, at);
}

/* Hands `reply` to answer_upstream() and parses the response. */
static size_t
finish_upstream(int status, uint64_t now_ms)
{
	size_t cap = src.tcp ? MSG_TCP_MAX : MSG_UDP_MAX;
	size_t len = answer_upstream(&job, cache, status, reply.b, reply.len,
				     now_ms, out, cap);

	ck_assert_uint_gt(len, 0);
	tu_parse_ok(out, len, &resp);
	ck_assert_uint_eq(resp.id, 0x1234);
	return len;
}

/* ---- local answers ----------------------------------------------------- */

START_TEST(test_local_a)
{
	size_t len = ask("www.example.com", WIRE_TYPE_A, 0);

	ck_assert_uint_eq(flags(), WIRE_FLAG_QR | WIRE_FLAG_AA | WIRE_FLAG_RD |
				       WIRE_FLAG_RA);
	ck_assert_uint_eq(resp.rcode, WIRE_RCODE_NOERROR);
	ck_assert_uint_eq(resp.count[MSG_ANSWER], 1);
	ck_assert_uint_eq(resp.count[MSG_AUTHORITY], 0);
	ck_assert_uint_eq(resp.count[MSG_ADDITIONAL], 0);
	expect_rr(0, MSG_ANSWER, "www.example.com", WIRE_TYPE_A, 300);
	expect_a(0, "192.0.2.1");
	/* The owner is a pointer to the question. */
	ck_assert_uint_eq(resp.rr[0].owner_off, 33);
	ck_assert_uint_eq(tu_get16(out + 33), 0xc00c);
	ck_assert_uint_eq(len, 33 + 2 + 10 + 4);
	ck_assert(!resp.has_opt);
}
END_TEST

START_TEST(test_local_edns)
{
	struct tu_qopt o = tu_qopt_default();
	size_t len = 0;

	o.edns = true;
	o.payload = 1400;
	o.do_bit = true;
	tu_query_opt(&query, "www.example.com", WIRE_TYPE_A, &o);
	ck_assert_int_eq(run(0, &len), ANSWER_REPLY);
	tu_parse_ok(out, len, &resp);
	ck_assert(resp.has_opt);
	ck_assert_uint_eq(resp.opt_payload, MSG_EDNS_PAYLOAD);
	ck_assert_uint_eq(resp.opt_ttl, 0x8000);
	ck_assert_uint_eq(resp.count[MSG_ANSWER], 1);
}
END_TEST

START_TEST(test_nxdomain)
{
	ask("nope.example.com", WIRE_TYPE_A, 0);
	ck_assert_uint_eq(resp.rcode, WIRE_RCODE_NXDOMAIN);
	ck_assert(resp.flags & WIRE_FLAG_AA);
	ck_assert_uint_eq(resp.count[MSG_ANSWER], 0);
	ck_assert_uint_eq(resp.count[MSG_AUTHORITY], 1);
	/* RFC 2308 §3/§5: TTL = min(SOA TTL 3600, MINIMUM 60). */
	expect_rr(0, MSG_AUTHORITY, "example.com", WIRE_TYPE_SOA, 60);
	expect_target(0, "ns1.example.com");

	/* The Route 53 default SOA: min(900, 86400). */
	ask("nope.other.test", WIRE_TYPE_A, 0);
	ck_assert_uint_eq(resp.rcode, WIRE_RCODE_NXDOMAIN);
	expect_rr(0, MSG_AUTHORITY, "other.test", WIRE_TYPE_SOA, 900);
	expect_target(0, "ns-1536.awsdns-00.co.uk");

	/* Deep below the apex, under an existing name. */
	ask("x.y.www.example.com", WIRE_TYPE_A, 0);
	ck_assert_uint_eq(resp.rcode, WIRE_RCODE_NXDOMAIN);
}
END_TEST

START_TEST(test_nodata)
{
	ask("www.example.com", WIRE_TYPE_AAAA, 0);
	ck_assert_uint_eq(resp.rcode, WIRE_RCODE_NOERROR);
	ck_assert(resp.flags & WIRE_FLAG_AA);
	ck_assert_uint_eq(resp.count[MSG_ANSWER], 0);
	ck_assert_uint_eq(resp.count[MSG_AUTHORITY], 1);
	expect_rr(0, MSG_AUTHORITY, "example.com", WIRE_TYPE_SOA, 60);
}
END_TEST

START_TEST(test_apex)
{
	ask("example.com", WIRE_TYPE_NS, 0);
	ck_assert_uint_eq(resp.count[MSG_ANSWER], 1);
	expect_rr(0, MSG_ANSWER, "example.com", WIRE_TYPE_NS, 3600);
	expect_target(0, "ns1.example.com");
	ask("example.com", WIRE_TYPE_SOA, 0);
	ck_assert_uint_eq(resp.count[MSG_ANSWER], 1);
	expect_rr(0, MSG_ANSWER, "example.com", WIRE_TYPE_SOA, 3600);
	/* The Route 53 default NS set of other.test. */
	ask("other.test", WIRE_TYPE_NS, 0);
	ck_assert_uint_eq(resp.count[MSG_ANSWER], 4);
	expect_rr(0, MSG_ANSWER, "other.test", WIRE_TYPE_NS, 172800);
}
END_TEST

START_TEST(test_wildcard)
{
	/* RFC 4592: the wildcard answers under the query name. */
	ask("foo.wild.example.com", WIRE_TYPE_A, 0);
	ck_assert_uint_eq(resp.rcode, WIRE_RCODE_NOERROR);
	ck_assert(resp.flags & WIRE_FLAG_AA);
	ck_assert_uint_eq(resp.count[MSG_ANSWER], 1);
	expect_rr(0, MSG_ANSWER, "foo.wild.example.com", WIRE_TYPE_A, 120);
	expect_a(0, "192.0.2.99");
	ck_assert_uint_eq(tu_get16(out + resp.rr[0].owner_off), 0xc00c);
	/* Several labels below the closest encloser match too. */
	ask("a.b.wild.example.com", WIRE_TYPE_A, 0);
	ck_assert_uint_eq(resp.count[MSG_ANSWER], 1);
	expect_rr(0, MSG_ANSWER, "a.b.wild.example.com", WIRE_TYPE_A, 120);
	/* Another type at a wildcard-matched name: NODATA. */
	ask("foo.wild.example.com", WIRE_TYPE_AAAA, 0);
	ck_assert_uint_eq(resp.rcode, WIRE_RCODE_NOERROR);
	ck_assert_uint_eq(resp.count[MSG_ANSWER], 0);
	expect_rr(0, MSG_AUTHORITY, "example.com", WIRE_TYPE_SOA, 60);
	/* The wildcard's parent is an empty non-terminal: NODATA. */
	ask("wild.example.com", WIRE_TYPE_A, 0);
	ck_assert_uint_eq(resp.rcode, WIRE_RCODE_NOERROR);
	ck_assert_uint_eq(resp.count[MSG_ANSWER], 0);
	ck_assert_uint_eq(resp.count[MSG_AUTHORITY], 1);
	/* No wildcard elsewhere: NXDOMAIN. */
	ask("foo.www2.example.com", WIRE_TYPE_A, 0);
	ck_assert_uint_eq(resp.rcode, WIRE_RCODE_NXDOMAIN);
}
END_TEST

START_TEST(test_empty_non_terminal)
{
	/* RFC 8020 §2: a name with descendants exists. */
	ask("ent.example.com", WIRE_TYPE_A, 0);
	ck_assert_uint_eq(resp.rcode, WIRE_RCODE_NOERROR);
	ck_assert(resp.flags & WIRE_FLAG_AA);
	ck_assert_uint_eq(resp.count[MSG_ANSWER], 0);
	ck_assert_uint_eq(resp.count[MSG_AUTHORITY], 1);
	expect_rr(0, MSG_AUTHORITY, "example.com", WIRE_TYPE_SOA, 60);
	ask("host.ent.example.com", WIRE_TYPE_A, 0);
	ck_assert_uint_eq(resp.count[MSG_ANSWER], 1);
}
END_TEST

START_TEST(test_cname_chain_local)
{
	ask("alias2.example.com", WIRE_TYPE_A, 0);
	ck_assert_uint_eq(resp.rcode, WIRE_RCODE_NOERROR);
	ck_assert(resp.flags & WIRE_FLAG_AA);
	ck_assert_uint_eq(resp.count[MSG_ANSWER], 3);
	expect_rr(0, MSG_ANSWER, "alias2.example.com", WIRE_TYPE_CNAME, 200);
	expect_target(0, "ALIAS.example.com");
	expect_rr(1, MSG_ANSWER, "alias.example.com", WIRE_TYPE_CNAME, 100);
	expect_target(1, "www.example.com");
	expect_rr(2, MSG_ANSWER, "www.example.com", WIRE_TYPE_A, 300);
	expect_a(2, "192.0.2.1");
	/* Asking for the CNAME itself does not follow it. */
	ask("alias.example.com", WIRE_TYPE_CNAME, 0);
	ck_assert_uint_eq(resp.count[MSG_ANSWER], 1);
	expect_rr(0, MSG_ANSWER, "alias.example.com", WIRE_TYPE_CNAME, 100);
	/* A chain that ends in NODATA carries the SOA. */
	ask("alias.example.com", WIRE_TYPE_AAAA, 0);
	ck_assert_uint_eq(resp.rcode, WIRE_RCODE_NOERROR);
	ck_assert_uint_eq(resp.count[MSG_ANSWER], 1);
	ck_assert_uint_eq(resp.count[MSG_AUTHORITY], 1);
}
END_TEST

START_TEST(test_cname_cross_zone)
{
	ask("cross.example.com", WIRE_TYPE_A, 0);
	ck_assert_uint_eq(resp.rcode, WIRE_RCODE_NOERROR);
	ck_assert_uint_eq(resp.count[MSG_ANSWER], 2);
	expect_rr(0, MSG_ANSWER, "cross.example.com", WIRE_TYPE_CNAME, 100);
	expect_rr(1, MSG_ANSWER, "www.other.test", WIRE_TYPE_A, 600);
	expect_a(1, "198.51.100.7");
}
END_TEST

START_TEST(test_cname_loop)
{
	ask("loop1.example.com", WIRE_TYPE_A, 0);
	ck_assert_uint_eq(resp.rcode, WIRE_RCODE_SERVFAIL);
	ck_assert(resp.flags & WIRE_FLAG_RA);
}
END_TEST

START_TEST(test_cname_to_nxdomain)
{
	/* RFC 6604 §2: the RCODE is that of the last name of the chain. */
	ask("dangling.example.com", WIRE_TYPE_A, 0);
	ck_assert_uint_eq(resp.rcode, WIRE_RCODE_NXDOMAIN);
	ck_assert(resp.flags & WIRE_FLAG_AA);
	ck_assert_uint_eq(resp.count[MSG_ANSWER], 1);
	expect_rr(0, MSG_ANSWER, "dangling.example.com", WIRE_TYPE_CNAME, 100);
	ck_assert_uint_eq(resp.count[MSG_AUTHORITY], 1);
	expect_rr(1, MSG_AUTHORITY, "example.com", WIRE_TYPE_SOA, 60);
}
END_TEST

START_TEST(test_cname_hop_limit)
{
	/* ANSWER_MAX_CNAME_HOPS CNAMEs are followed... */
	ask("hop1.example.com", WIRE_TYPE_A, 0);
	ck_assert_uint_eq(resp.rcode, WIRE_RCODE_NOERROR);
	ck_assert_uint_eq(resp.count[MSG_ANSWER], ANSWER_MAX_CNAME_HOPS + 1);
	expect_rr(ANSWER_MAX_CNAME_HOPS, MSG_ANSWER, "www.example.com",
		  WIRE_TYPE_A, 300);
	/* ...one more is too many. */
	ask("hop0.example.com", WIRE_TYPE_A, 0);
	ck_assert_uint_eq(resp.rcode, WIRE_RCODE_SERVFAIL);
}
END_TEST

START_TEST(test_any_minimal)
{
	/* RFC 8482 §4.1: one RRset is enough. */
	ask("example.com", WIRE_TYPE_ANY, 0);
	ck_assert_uint_eq(resp.rcode, WIRE_RCODE_NOERROR);
	ck_assert_uint_ge(resp.count[MSG_ANSWER], 1);
	for (size_t i = 1; i < resp.count[MSG_ANSWER]; i++)
		ck_assert_uint_eq(resp.rr[i].type, resp.rr[0].type);
}
END_TEST

START_TEST(test_0x20_case)
{
	static const char *const names[] = {
	    "WwW.eXaMpLe.CoM",
	    "NOPE.Example.Com",
	    "Foo.WILD.example.COM",
	};

	for (size_t i = 0; i < 3; i++) {
		uint8_t n[WIRE_MAX_NAME_LEN];
		size_t qlen = tu_name(names[i], n) + 4;

		ask(names[i], WIRE_TYPE_A, 0);
		/* The question byte for byte as sent (SPEC Part 3). */
		ck_assert_mem_eq(out + 12, query.b + 12, qlen);
		ck_assert_uint_ne(resp.rcode, WIRE_RCODE_SERVFAIL);
	}
	ask("WwW.eXaMpLe.CoM", WIRE_TYPE_A, 0);
	ck_assert_uint_eq(resp.count[MSG_ANSWER], 1);
	expect_rr(0, MSG_ANSWER, "WwW.eXaMpLe.CoM", WIRE_TYPE_A, 300);
}
END_TEST

START_TEST(test_inbound_listener)
{
	/* An inbound listener picks the VPC's view whatever the source. */
	src.inbound = 0;
	ask("www.example.com", WIRE_TYPE_A, 0);
	ck_assert_uint_eq(resp.count[MSG_ANSWER], 1);
}
END_TEST

/* ---- forwarding -------------------------------------------------------- */

START_TEST(test_cname_leaves_zone)
{
	struct msg_query up;
	uint8_t want[WIRE_MAX_NAME_LEN];
	size_t wlen = tu_name("target.example.net", want);

	ask_forward("c1.example.com", WIRE_TYPE_A, 0);
	/* The name asked upstream, lower case. */
	ck_assert_uint_eq(job.fwd_name_len, wlen);
	ck_assert_mem_eq(job.fwd_name, want, wlen);
	ck_assert_uint_eq(job.fwd_group, VIEW_FWD_DEFAULT);
	ck_assert_uint_eq(job.chain_count, 2);
	/* A valid upstream query: ID 0, RD, EDNS0. */
	ck_assert_uint_gt(job.query_len, 0);
	ck_assert_int_eq(msg_parse_query(job.query, job.query_len, &up),
			 MSG_QUERY_OK);
	ck_assert_uint_eq(up.id, 0);
	ck_assert(up.flags & WIRE_FLAG_RD);
	ck_assert(wire_name_equal(up.qname, up.qname_len, want, wlen));
	ck_assert_uint_eq(up.qtype, WIRE_TYPE_A);
	ck_assert_uint_eq(up.qclass, WIRE_CLASS_IN);
	ck_assert(up.edns);
	ck_assert_uint_eq(up.edns_payload, MSG_EDNS_PAYLOAD);

	upstream_start("target.example.net", WIRE_TYPE_A, 0, 0, 1, 0);
	upstream_a("target.example.net", 120, "203.0.113.5");
	finish_upstream(VPC_OK, 10);
	ck_assert_uint_eq(resp.rcode, WIRE_RCODE_NOERROR);
	/* Not authoritative for the whole answer; recursion available. */
	ck_assert_uint_eq(flags(), WIRE_FLAG_QR | WIRE_FLAG_RD | WIRE_FLAG_RA);
	ck_assert_uint_eq(resp.count[MSG_ANSWER], 3);
	expect_rr(0, MSG_ANSWER, "c1.example.com", WIRE_TYPE_CNAME, 150);
	expect_target(0, "out.example.com");
	expect_rr(1, MSG_ANSWER, "out.example.com", WIRE_TYPE_CNAME, 100);
	expect_target(1, "Target.Example.NET");
	expect_rr(2, MSG_ANSWER, "target.example.net", WIRE_TYPE_A, 120);
	expect_a(2, "203.0.113.5");
	ck_assert(tu_name_is(resp.qname, resp.qname_len, "c1.example.com"));
}
END_TEST

START_TEST(test_forward_outside)
{
	uint8_t want[WIRE_MAX_NAME_LEN];
	size_t wlen = tu_name("www.example.net", want);

	ask_forward("WWW.Example.net", WIRE_TYPE_A, 0);
	ck_assert_uint_eq(job.fwd_name_len, wlen);
	ck_assert_mem_eq(job.fwd_name, want, wlen);
	ck_assert_uint_eq(job.chain_count, 0);
	ck_assert_uint_eq(job.chain_len, 0);
	upstream_start("www.example.net", WIRE_TYPE_A, 0, 0, 1, 0);
	upstream_a("www.example.net", 300, "203.0.113.9");
	finish_upstream(VPC_OK, 0);
	ck_assert_uint_eq(resp.count[MSG_ANSWER], 1);
	/* The owner is compressed to the client's spelling. */
	expect_rr(0, MSG_ANSWER, "WWW.Example.net", WIRE_TYPE_A, 300);
	ck_assert_uint_eq(resp.flags & WIRE_FLAG_AA, 0);
	ck_assert(resp.flags & WIRE_FLAG_RA);
}
END_TEST

START_TEST(test_forward_failures)
{
	static const int errs[] = {VPC_ETIMEOUT, VPC_EUPSTREAM, VPC_EIO};

	for (size_t i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
		ask_forward("www.example.net", WIRE_TYPE_A, 0);
		tu_reset(&reply);
		finish_upstream(errs[i], 0);
		ck_assert_uint_eq(resp.rcode, WIRE_RCODE_SERVFAIL);
		ck_assert(resp.flags & WIRE_FLAG_RA);
		ck_assert_uint_eq(resp.flags & WIRE_FLAG_AA, 0);
		ck_assert_uint_eq(resp.qdcount, 1);
		ck_assert_uint_eq(resp.count[MSG_ANSWER], 0);
	}
	/* A reply for another question, or garbage: SERVFAIL too. */
	ask_forward("www.example.net", WIRE_TYPE_A, 0);
	upstream_start("www.example.org", WIRE_TYPE_A, 0, 0, 1, 0);
	upstream_a("www.example.org", 300, "203.0.113.9");
	finish_upstream(VPC_OK, 0);
	ck_assert_uint_eq(resp.rcode, WIRE_RCODE_SERVFAIL);
	ask_forward("www.example.net", WIRE_TYPE_A, 0);
	tu_reset(&reply);
	tu_bytes(&reply, "\x99\x99\x81", 3);
	finish_upstream(VPC_OK, 0);
	ck_assert_uint_eq(resp.rcode, WIRE_RCODE_SERVFAIL);
}
END_TEST

START_TEST(test_forward_after_chain_timeout)
{
	ask_forward("out.example.com", WIRE_TYPE_A, 0);
	tu_reset(&reply);
	finish_upstream(VPC_ETIMEOUT, 0);
	ck_assert_uint_eq(resp.rcode, WIRE_RCODE_SERVFAIL);
	ck_assert(tu_name_is(resp.qname, resp.qname_len, "out.example.com"));
}
END_TEST

START_TEST(test_forward_negative)
{
	size_t at;
	uint8_t rd[128];

	ask_forward("nx.example.net", WIRE_TYPE_A, 0);
	upstream_start("nx.example.net", WIRE_TYPE_A, WIRE_RCODE_NXDOMAIN, 0, 0,
		       1);
	at = tu_rr_head(&reply, "example.net", WIRE_TYPE_SOA, WIRE_CLASS_IN,
			900);
	tu_bytes(&reply, rd,
		 tu_rdata_soa("ns.example.net", "h.example.net", 1, 300, rd));
	tu_rr_end(&reply, at);
	finish_upstream(VPC_OK, 0);
	ck_assert_uint_eq(resp.rcode, WIRE_RCODE_NXDOMAIN);
	ck_assert_uint_eq(resp.flags & WIRE_FLAG_AA, 0);
	ck_assert_uint_eq(resp.count[MSG_AUTHORITY], 1);
	expect_rr(0, MSG_AUTHORITY, "example.net", WIRE_TYPE_SOA, 900);
}
END_TEST

START_TEST(test_forward_ad_bit)
{
	struct tu_qopt o = tu_qopt_default();
	size_t len = 0;

	/* The VPC Resolver never sets AD, DO or not (engine/dnssec.h), and
	 * asks upstream without DO. */
	ask_forward("www.example.net", WIRE_TYPE_A, 0);
	upstream_start("www.example.net", WIRE_TYPE_A, 0, WIRE_FLAG_AD, 1, 0);
	upstream_a("www.example.net", 300, "203.0.113.9");
	finish_upstream(VPC_OK, 0);
	ck_assert_uint_eq(resp.flags & WIRE_FLAG_AD, 0);

	o.edns = true;
	o.payload = 1232;
	o.do_bit = true;
	tu_query_opt(&query, "www.example.net", WIRE_TYPE_A, &o);
	ck_assert_int_eq(run(0, &len), ANSWER_FORWARD);
	ck_assert_uint_eq(tu_get16(job.query + job.query_len - 4) & 0x8000u,
			  0);
	finish_upstream(VPC_OK, 0);
	ck_assert_uint_eq(resp.flags & WIRE_FLAG_AD, 0);
	ck_assert(resp.has_opt);
	ck_assert_uint_eq(resp.opt_ttl, 0x8000);
}
END_TEST

START_TEST(test_forward_truncation)
{
	uint8_t rd[256];

	ask_forward("txt.example.net", WIRE_TYPE_TXT, 0);
	upstream_start("txt.example.net", WIRE_TYPE_TXT, 0, 0, 4, 0);
	for (unsigned i = 0; i < 4; i++) {
		size_t at = tu_rr_head(&reply, "txt.example.net", WIRE_TYPE_TXT,
				       WIRE_CLASS_IN, 60);

		tu_bytes(&reply, rd, tu_rdata_txt((char)('a' + i), 200, rd));
		tu_rr_end(&reply, at);
	}
	ck_assert_uint_le(finish_upstream(VPC_OK, 0), 512);
	ck_assert(resp.flags & WIRE_FLAG_TC);
	ck_assert_uint_eq(resp.count[MSG_ANSWER], 0);
}
END_TEST

/* ---- cache ------------------------------------------------------------- */

START_TEST(test_cache_hit_aged)
{
	size_t len = 0;

	cache = cache_new(100, 86400);
	ck_assert_ptr_nonnull(cache);
	ask_forward("www.example.net", WIRE_TYPE_A, 1000);
	upstream_start("www.example.net", WIRE_TYPE_A, 0, 0, 1, 0);
	upstream_a("www.example.net", 300, "203.0.113.9");
	finish_upstream(VPC_OK, 1000);
	expect_rr(0, MSG_ANSWER, "www.example.net", WIRE_TYPE_A, 300);

	/* 10.5 s later, another client asks: the cache answers, the TTL
	 * counted down by the whole seconds elapsed. */
	{
		struct tu_qopt o = tu_qopt_default();

		o.id = 0x4321;
		tu_query_opt(&query, "www.Example.NET", WIRE_TYPE_A, &o);
	}
	ck_assert_int_eq(run(11500, &len), ANSWER_REPLY);
	tu_parse_ok(out, len, &resp);
	ck_assert_uint_eq(resp.id, 0x4321);
	ck_assert_uint_eq(resp.rcode, WIRE_RCODE_NOERROR);
	ck_assert_uint_eq(resp.flags & WIRE_FLAG_AA, 0);
	ck_assert(resp.flags & WIRE_FLAG_RA);
	ck_assert_uint_eq(resp.count[MSG_ANSWER], 1);
	expect_rr(0, MSG_ANSWER, "www.Example.NET", WIRE_TYPE_A, 290);
	expect_a(0, "203.0.113.9");
	ck_assert_mem_eq(out + 12, query.b + 12, query.len - 12);

	/* After the TTL it is gone: forwarded again. */
	tu_query(&query, "www.example.net", WIRE_TYPE_A, 0);
	ck_assert_int_eq(run(1000 + 300 * 1000, &len), ANSWER_FORWARD);
}
END_TEST

START_TEST(test_cache_hit_with_chain)
{
	size_t len = 0;

	cache = cache_new(100, 86400);
	ask_forward("c1.example.com", WIRE_TYPE_A, 0);
	upstream_start("target.example.net", WIRE_TYPE_A, 0, 0, 1, 0);
	upstream_a("target.example.net", 120, "203.0.113.5");
	finish_upstream(VPC_OK, 0);
	ck_assert_uint_eq(resp.count[MSG_ANSWER], 3);

	/* Local CNAMEs keep their TTL; the cached part is aged. */
	tu_query(&query, "c1.example.com", WIRE_TYPE_A, 0);
	ck_assert_int_eq(run(20000, &len), ANSWER_REPLY);
	tu_parse_ok(out, len, &resp);
	ck_assert_uint_eq(resp.count[MSG_ANSWER], 3);
	expect_rr(0, MSG_ANSWER, "c1.example.com", WIRE_TYPE_CNAME, 150);
	expect_rr(1, MSG_ANSWER, "out.example.com", WIRE_TYPE_CNAME, 100);
	expect_rr(2, MSG_ANSWER, "target.example.net", WIRE_TYPE_A, 100);
	ck_assert_uint_eq(resp.flags & WIRE_FLAG_AA, 0);

	/* The cache is keyed by the forwarded name: a direct query for it
	 * hits as well. */
	tu_query(&query, "target.example.net", WIRE_TYPE_A, 0);
	ck_assert_int_eq(run(20000, &len), ANSWER_REPLY);
	tu_parse_ok(out, len, &resp);
	ck_assert_uint_eq(resp.count[MSG_ANSWER], 1);
}
END_TEST

START_TEST(test_cache_key_do)
{
	struct tu_qopt o = tu_qopt_default();
	size_t len = 0;

	cache = cache_new(100, 86400);
	ask_forward("www.example.net", WIRE_TYPE_A, 0);
	upstream_start("www.example.net", WIRE_TYPE_A, 0, 0, 1, 0);
	upstream_a("www.example.net", 300, "203.0.113.9");
	finish_upstream(VPC_OK, 0);
	/* DO and CD are ignored (engine/dnssec.h): a DO query, or a CD
	 * one, hits the same entry; another type is a different key. */
	o.edns = true;
	o.payload = 1232;
	o.do_bit = true;
	tu_query_opt(&query, "www.example.net", WIRE_TYPE_A, &o);
	ck_assert_int_eq(run(1, &len), ANSWER_REPLY);
	o.flags |= WIRE_FLAG_CD;
	tu_query_opt(&query, "www.example.net", WIRE_TYPE_A, &o);
	ck_assert_int_eq(run(1, &len), ANSWER_REPLY);
	tu_parse_ok(out, len, &resp);
	ck_assert_uint_eq(resp.count[MSG_ANSWER], 1);
	ck_assert_uint_eq(resp.flags & WIRE_FLAG_AD, 0);
	ask_forward("www.example.net", WIRE_TYPE_AAAA, 1);
	/* SERVFAIL is not cached. */
	tu_reset(&reply);
	finish_upstream(VPC_ETIMEOUT, 1);
	ask_forward("www.example.net", WIRE_TYPE_AAAA, 2);
}
END_TEST

/* ---- malformed and refused queries ------------------------------------- */

START_TEST(test_formerr)
{
	size_t len = 0;

	tu_reset(&query);
	tu_header(&query, 0x1234, WIRE_FLAG_RD, 0, 0, 0, 0);
	ck_assert_int_eq(run(0, &len), ANSWER_REPLY);
	tu_parse_ok(out, len, &resp);
	ck_assert_uint_eq(resp.rcode, WIRE_RCODE_FORMERR);
	ck_assert_uint_eq(resp.qdcount, 0);

	/* Two OPT RRs: FORMERR, and no OPT in it (RFC 6891 §6.1.1). */
	tu_reset(&query);
	tu_header(&query, 0x1234, 0, 1, 0, 0, 2);
	tu_question(&query, "www.example.com", WIRE_TYPE_A, WIRE_CLASS_IN);
	tu_opt(&query, 1232, 0, 0, false);
	tu_opt(&query, 1232, 0, 0, false);
	ck_assert_int_eq(run(0, &len), ANSWER_REPLY);
	tu_parse_ok(out, len, &resp);
	ck_assert_uint_eq(resp.rcode, WIRE_RCODE_FORMERR);
	ck_assert(!resp.has_opt);

	/* A truncated question. */
	tu_query(&query, "www.example.com", WIRE_TYPE_A, 0);
	query.len -= 3;
	ck_assert_int_eq(run(0, &len), ANSWER_REPLY);
	tu_parse_ok(out, len, &resp);
	ck_assert_uint_eq(resp.rcode, WIRE_RCODE_FORMERR);
}
END_TEST

START_TEST(test_notimp)
{
	struct tu_qopt o = tu_qopt_default();
	size_t len = 0;

	o.flags = (uint16_t)(WIRE_FLAG_RD | 2u << 11); /* STATUS */
	tu_query_opt(&query, "www.example.com", WIRE_TYPE_A, &o);
	ck_assert_int_eq(run(0, &len), ANSWER_REPLY);
	tu_parse_ok(out, len, &resp);
	ck_assert_uint_eq(resp.rcode, WIRE_RCODE_NOTIMP);
	ck_assert_uint_eq(WIRE_OPCODE(resp.flags), 2);
	ck_assert_uint_eq(resp.count[MSG_ANSWER], 0);
}
END_TEST

START_TEST(test_badvers)
{
	struct tu_qopt o = tu_qopt_default();
	size_t len = 0;

	o.edns = true;
	o.payload = 1232;
	o.version = 1;
	tu_query_opt(&query, "www.example.com", WIRE_TYPE_A, &o);
	ck_assert_int_eq(run(0, &len), ANSWER_REPLY);
	tu_parse_ok(out, len, &resp);
	ck_assert_uint_eq(resp.rcode, WIRE_RCODE_BADVERS);
	ck_assert(resp.has_opt);
	ck_assert_uint_eq((resp.opt_ttl >> 16) & 0xffu, 0);
	ck_assert_uint_eq(resp.count[MSG_ANSWER], 0);
}
END_TEST

START_TEST(test_drop)
{
	struct tu_qopt o = tu_qopt_default();
	size_t len = 99;

	o.flags |= WIRE_FLAG_QR;
	tu_query_opt(&query, "www.example.com", WIRE_TYPE_A, &o);
	ck_assert_int_eq(run(0, &len), ANSWER_DROP);
	ck_assert_uint_eq(len, 0);
	tu_reset(&query);
	tu_bytes(&query, "\x12\x34\x01\x00\x00", 5);
	len = 99;
	ck_assert_int_eq(run(0, &len), ANSWER_DROP);
	ck_assert_uint_eq(len, 0);
}
END_TEST

START_TEST(test_refused)
{
	struct tu_qopt o = tu_qopt_default();
	size_t len = 0;

	o.qclass = 3; /* CH */
	tu_query_opt(&query, "version.bind", WIRE_TYPE_TXT, &o);
	ck_assert_int_eq(run(0, &len), ANSWER_REPLY);
	tu_parse_ok(out, len, &resp);
	ck_assert_uint_eq(resp.rcode, WIRE_RCODE_REFUSED);
	ck_assert_uint_eq(resp.qclass, 3);
	/* No zone transfers either. */
	tu_query(&query, "example.com", WIRE_TYPE_AXFR, 0);
	ck_assert_int_eq(run(0, &len), ANSWER_REPLY);
	tu_parse_ok(out, len, &resp);
	ck_assert_uint_eq(resp.rcode, WIRE_RCODE_REFUSED);
}
END_TEST

/* ---- size limits ------------------------------------------------------- */

START_TEST(test_udp_truncation)
{
	size_t len;

	/* 3 * (2 + 10 + 201) bytes do not fit in 512 without EDNS. */
	len = ask("txt.example.com", WIRE_TYPE_TXT, 0);
	ck_assert_uint_le(len, 512);
	ck_assert(resp.flags & WIRE_FLAG_TC);
	ck_assert_uint_eq(resp.count[MSG_ANSWER], 0);
	ck_assert(tu_name_is(resp.qname, resp.qname_len, "txt.example.com"));

	len = ask("txt.example.com", WIRE_TYPE_TXT, 4096);
	ck_assert_uint_eq(resp.flags & WIRE_FLAG_TC, 0);
	ck_assert_uint_eq(resp.count[MSG_ANSWER], 3);
	ck_assert(resp.has_opt);
	ck_assert_uint_gt(len, 512);

	/* A payload below 512 still means 512. */
	len = ask("www.example.com", WIRE_TYPE_A, 100);
	ck_assert_uint_eq(resp.flags & WIRE_FLAG_TC, 0);

	/* About 7.9 KB: over the 4096-byte UDP maximum. */
	len = ask("big.example.com", WIRE_TYPE_TXT, 65000);
	ck_assert_uint_le(len, MSG_UDP_MAX);
	ck_assert(resp.flags & WIRE_FLAG_TC);
	ck_assert(resp.has_opt);
}
END_TEST

START_TEST(test_tcp_no_truncation)
{
	size_t len;

	src.tcp = true;
	len = ask("big.example.com", WIRE_TYPE_TXT, 0);
	ck_assert_uint_eq(resp.flags & WIRE_FLAG_TC, 0);
	ck_assert_uint_eq(resp.count[MSG_ANSWER], 30);
	ck_assert_uint_gt(len, MSG_UDP_MAX);
	len = ask("txt.example.com", WIRE_TYPE_TXT, 0);
	ck_assert_uint_eq(resp.flags & WIRE_FLAG_TC, 0);
	ck_assert_uint_eq(resp.count[MSG_ANSWER], 3);
	ck_assert_uint_gt(len, 512);
}
END_TEST

/* ---- DNS Firewall (SPEC 1.5 step 1, 1.5a) ------------------------------ */

/* Rules listed out of priority order: firewall_build() sorts them. */
static char *fw_good[] = {"good.bad.test"};
static char *fw_bad[] = {"bad.test", "*.bad.test"};
static char *fw_nodata[] = {"*.nodata.test"};
static char *fw_alert[] = {"alert.test", "www.fw.test"};
static char *fw_alert_block[] = {"alert.test"};
static char *fw_over[] = {"over.test"};
static char *fw_over0[] = {"over0.test"};
static char *fw_ovblocked[] = {"ovblocked.test"};
static char *fw_other[] = {"www.other.test"};
static char *fw_www[] = {"www.example.com"};
static struct conf_fw_rule fw_rules[] = {
	{.priority = 60, .name = "block-www", .domains = fw_www,
	 .n_domains = 1, .action = CONF_FW_BLOCK,
	 .block_response = CONF_FW_NODATA},
	{.priority = 20, .name = "block-bad", .domains = fw_bad,
	 .n_domains = 2, .action = CONF_FW_BLOCK,
	 .block_response = CONF_FW_NXDOMAIN},
	{.priority = 10, .name = "allow-good", .domains = fw_good,
	 .n_domains = 1, .action = CONF_FW_ALLOW},
	{.priority = 25, .name = "block-nodata", .domains = fw_nodata,
	 .n_domains = 1, .action = CONF_FW_BLOCK,
	 .block_response = CONF_FW_NODATA},
	{.priority = 31, .name = "block-alert", .domains = fw_alert_block,
	 .n_domains = 1, .action = CONF_FW_BLOCK,
	 .block_response = CONF_FW_NXDOMAIN},
	{.priority = 30, .name = "alert-alert", .domains = fw_alert,
	 .n_domains = 2, .action = CONF_FW_ALERT},
	{.priority = 40, .name = "override", .domains = fw_over,
	 .n_domains = 1, .action = CONF_FW_BLOCK,
	 .block_response = CONF_FW_OVERRIDE,
	 .override_domain = "www.example.com", .override_type = 5,
	 .override_ttl = 30},
	{.priority = 41, .name = "override0", .domains = fw_over0,
	 .n_domains = 1, .action = CONF_FW_BLOCK,
	 .block_response = CONF_FW_OVERRIDE,
	 .override_domain = "Target.Example.NET", .override_type = 5},
	{.priority = 42, .name = "override-to-blocked", .domains = fw_ovblocked,
	 .n_domains = 1, .action = CONF_FW_BLOCK,
	 .block_response = CONF_FW_OVERRIDE, .override_domain = "bad.test",
	 .override_type = 5},
	{.priority = 50, .name = "block-other", .domains = fw_other,
	 .n_domains = 1, .action = CONF_FW_BLOCK,
	 .block_response = CONF_FW_NXDOMAIN},
};
static struct firewall *fw;
static struct zoneset *fw_zones; /* vpc_view.zonesets[1] */

/* fw.test: local CNAMEs whose targets the firewall sees. */
static struct zone *
fw_zone(void)
{
	uint8_t a[WIRE_MAX_NAME_LEN];
	struct zone *z = NULL;

	ck_assert_int_eq(zone_new(a, tu_name("fw.test", a), &z), VPC_OK);
	add_cname(z, "tooverride.fw.test", 300, "over.test");
	add_cname(z, "toother.fw.test", 300, "www.other.test");
	add_cname(z, "toalias.fw.test", 300, "alias.example.com");
	add_cname(z, "togood.fw.test", 300, "good.bad.test");
	add_a(z, "www.fw.test", 300, "192.0.2.80");
	ck_assert_int_eq(zone_finish(z), VPC_OK);
	return z;
}

static void
setup_firewall(void)
{
	const struct conf_fw_rule *rules[sizeof(fw_rules) / sizeof(*fw_rules)];

	setup();
	for (size_t i = 0; i < sizeof(fw_rules) / sizeof(*fw_rules); i++)
		rules[i] = &fw_rules[i];
	ck_assert_int_eq(firewall_build(rules,
					sizeof(fw_rules) / sizeof(*fw_rules),
					&fw),
			 VPC_OK);
	vpc_view.firewall = fw;
	fw_zones = zoneset_new();
	ck_assert_ptr_nonnull(fw_zones);
	ck_assert_int_eq(zoneset_add(fw_zones, fw_zone()), VPC_OK);
	vpc_view.zonesets[1] = fw_zones;
	vpc_view.n_zonesets = 2;
}

static void
teardown_firewall(void)
{
	teardown();
	zoneset_free(fw_zones);
	fw_zones = NULL;
	firewall_free(fw);
	fw = NULL;
}

/* A firewall NXDOMAIN/NODATA: nothing in any section, no AA, RA set. */
static void
expect_blocked(const char *name, uint16_t type, unsigned rcode,
	       const char *rule)
{
	ask(name, type, 0);
	ck_assert_uint_eq(resp.rcode, rcode);
	ck_assert_uint_eq(flags(), WIRE_FLAG_QR | WIRE_FLAG_RD | WIRE_FLAG_RA);
	ck_assert_uint_eq(resp.n_rrs, 0);
	ck_assert(tu_name_is(resp.qname, resp.qname_len, name));
	ck_assert_ptr_nonnull(job.trace.firewall);
	ck_assert_str_eq(job.trace.firewall->name, rule);
}

START_TEST(test_fw_block_nxdomain)
{
	expect_blocked("bad.test", WIRE_TYPE_A, WIRE_RCODE_NXDOMAIN,
		       "block-bad");
	expect_blocked("a.b.bad.test", WIRE_TYPE_TXT, WIRE_RCODE_NXDOMAIN,
		       "block-bad");
	/* Without case; the question echoed as sent. */
	expect_blocked("BAD.Test", WIRE_TYPE_A, WIRE_RCODE_NXDOMAIN,
		       "block-bad");
}
END_TEST

START_TEST(test_fw_block_nodata)
{
	expect_blocked("a.nodata.test", WIRE_TYPE_A, WIRE_RCODE_NOERROR,
		       "block-nodata");
	expect_blocked("a.b.nodata.test", WIRE_TYPE_AAAA, WIRE_RCODE_NOERROR,
		       "block-nodata");
	/* "*.nodata.test" does not match nodata.test itself. */
	ask_forward("nodata.test", WIRE_TYPE_A, 0);
	ck_assert_ptr_null(job.trace.firewall);
	/* A blocked name that a local zone has: the firewall comes first. */
	expect_blocked("www.example.com", WIRE_TYPE_A, WIRE_RCODE_NOERROR,
		       "block-www");
}
END_TEST

START_TEST(test_fw_allow_and_priority)
{
	/* allow (10) before block *.bad (20): answered normally. */
	ask_forward("good.bad.test", WIRE_TYPE_A, 0);
	ck_assert_str_eq(job.trace.firewall->name, "allow-good");
	/* alert (30) ends the evaluation before block (31), listed first. */
	ask_forward("alert.test", WIRE_TYPE_A, 0);
	ck_assert_ptr_nonnull(job.trace.firewall);
	ck_assert_str_eq(job.trace.firewall->name, "alert-alert");
	ck_assert_int_eq(job.trace.firewall->action, CONF_FW_ALERT);
	/* No rule matches: no trace. */
	ask_forward("www.example.org", WIRE_TYPE_A, 0);
	ck_assert_ptr_null(job.trace.firewall);
}
END_TEST

START_TEST(test_fw_alert_answers_locally)
{
	/* ALERT answers normally, local data included, and the trace keeps
	 * the rule for the query log. */
	ask("www.fw.test", WIRE_TYPE_A, 0);
	ck_assert_uint_eq(resp.rcode, WIRE_RCODE_NOERROR);
	ck_assert(resp.flags & WIRE_FLAG_AA);
	ck_assert_uint_eq(resp.count[MSG_ANSWER], 1);
	expect_a(0, "192.0.2.80");
	ck_assert_str_eq(job.trace.firewall->name, "alert-alert");
}
END_TEST

START_TEST(test_fw_override)
{
	/* A CNAME to the override domain with the rule's TTL, then the
	 * target resolved (here locally) but not filtered again: block-www
	 * would block it. */
	ask("over.test", WIRE_TYPE_A, 0);
	ck_assert_uint_eq(resp.rcode, WIRE_RCODE_NOERROR);
	ck_assert_uint_eq(resp.count[MSG_ANSWER], 2);
	expect_rr(0, MSG_ANSWER, "over.test", WIRE_TYPE_CNAME, 30);
	expect_target(0, "www.example.com");
	expect_rr(1, MSG_ANSWER, "www.example.com", WIRE_TYPE_A, 300);
	expect_a(1, "192.0.2.1");
	ck_assert_str_eq(job.trace.firewall->name, "override");
}
END_TEST

START_TEST(test_fw_override_forwarded)
{
	/* TTL 0 by default; a target outside local data is forwarded with
	 * the CNAME kept in front of the upstream answer. */
	ask_forward("over0.test", WIRE_TYPE_A, 0);
	ck_assert(tu_name_is(job.fwd_name, job.fwd_name_len,
			     "target.example.net"));
	upstream_start("target.example.net", WIRE_TYPE_A, 0, 0, 1, 0);
	upstream_a("target.example.net", 120, "203.0.113.9");
	finish_upstream(VPC_OK, 0);
	ck_assert_uint_eq(resp.count[MSG_ANSWER], 2);
	expect_rr(0, MSG_ANSWER, "over0.test", WIRE_TYPE_CNAME, 0);
	expect_target(0, "Target.Example.NET");
	expect_rr(1, MSG_ANSWER, "target.example.net", WIRE_TYPE_A, 120);
	/* An override to a name a later rule blocks: not filtered again. */
	ask_forward("ovblocked.test", WIRE_TYPE_A, 0);
	ck_assert(tu_name_is(job.fwd_name, job.fwd_name_len, "bad.test"));
	ck_assert_str_eq(job.trace.firewall->name, "override-to-blocked");
}
END_TEST

START_TEST(test_fw_cname_targets)
{
	/* The targets of local CNAMEs are inspected (INSPECT_REDIRECTION_
	 * DOMAIN): the chain so far, then the block. */
	ask("toother.fw.test", WIRE_TYPE_A, 0);
	ck_assert_uint_eq(resp.rcode, WIRE_RCODE_NXDOMAIN);
	ck_assert_uint_eq(resp.count[MSG_ANSWER], 1);
	ck_assert_uint_eq(resp.count[MSG_AUTHORITY], 0);
	expect_rr(0, MSG_ANSWER, "toother.fw.test", WIRE_TYPE_CNAME, 300);
	ck_assert_str_eq(job.trace.firewall->name, "block-other");
	/* Two hops: toalias -> alias.example.com -> www.example.com. */
	ask("toalias.fw.test", WIRE_TYPE_A, 0);
	ck_assert_uint_eq(resp.rcode, WIRE_RCODE_NOERROR);
	ck_assert_uint_eq(resp.count[MSG_ANSWER], 2);
	ck_assert_uint_eq(resp.count[MSG_AUTHORITY], 0);
	expect_rr(1, MSG_ANSWER, "alias.example.com", WIRE_TYPE_CNAME, 100);
	ck_assert_str_eq(job.trace.firewall->name, "block-www");
	/* An allowed target goes on (upstream). */
	ask_forward("togood.fw.test", WIRE_TYPE_A, 0);
	ck_assert(tu_name_is(job.fwd_name, job.fwd_name_len,
			     "good.bad.test"));
	ck_assert_uint_eq(job.chain_count, 1);
}
END_TEST

START_TEST(test_fw_cname_to_override)
{
	/* Commit ae4f738: a local CNAME to an overridden name.  The zone
	 * and rule must be looked up for the override domain (here local:
	 * www.example.com), not for the CNAME target before the override,
	 * which was not local and so was forwarded. */
	ask("tooverride.fw.test", WIRE_TYPE_A, 0);
	ck_assert_uint_eq(resp.rcode, WIRE_RCODE_NOERROR);
	ck_assert_uint_eq(resp.count[MSG_ANSWER], 3);
	expect_rr(0, MSG_ANSWER, "tooverride.fw.test", WIRE_TYPE_CNAME, 300);
	expect_target(0, "over.test");
	expect_rr(1, MSG_ANSWER, "over.test", WIRE_TYPE_CNAME, 30);
	expect_target(1, "www.example.com");
	expect_rr(2, MSG_ANSWER, "www.example.com", WIRE_TYPE_A, 300);
	expect_a(2, "192.0.2.1");
	ck_assert_ptr_nonnull(job.trace.zone);
	ck_assert(tu_name_is(job.trace.zone->apex, job.trace.zone->apex_len,
			     "example.com"));
}
END_TEST

START_TEST(test_fw_outside_not_filtered)
{
	/* The outside view has no firewall (SPEC 1.5a). */
	vs.fallback = &vs.outside;
	ask_forward("bad.test", WIRE_TYPE_A, 0);
	ck_assert_ptr_null(job.trace.firewall);
	ask_forward("over.test", WIRE_TYPE_A, 0);
	ck_assert(tu_name_is(job.fwd_name, job.fwd_name_len, "over.test"));
}
END_TEST

/* ---- the suite --------------------------------------------------------- */

static Suite *
answer_suite(void)
{
	Suite *s = suite_create("answer");
	TCase *tc;

	tc = tcase_create("local");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_local_a);
	tcase_add_test(tc, test_local_edns);
	tcase_add_test(tc, test_nxdomain);
	tcase_add_test(tc, test_nodata);
	tcase_add_test(tc, test_apex);
	tcase_add_test(tc, test_wildcard);
	tcase_add_test(tc, test_empty_non_terminal);
	tcase_add_test(tc, test_any_minimal);
	tcase_add_test(tc, test_0x20_case);
	tcase_add_test(tc, test_inbound_listener);
	suite_add_tcase(s, tc);

	tc = tcase_create("cname");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_cname_chain_local);
	tcase_add_test(tc, test_cname_cross_zone);
	tcase_add_test(tc, test_cname_loop);
	tcase_add_test(tc, test_cname_to_nxdomain);
	tcase_add_test(tc, test_cname_hop_limit);
	suite_add_tcase(s, tc);

	tc = tcase_create("forward");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_cname_leaves_zone);
	tcase_add_test(tc, test_forward_outside);
	tcase_add_test(tc, test_forward_failures);
	tcase_add_test(tc, test_forward_after_chain_timeout);
	tcase_add_test(tc, test_forward_negative);
	tcase_add_test(tc, test_forward_ad_bit);
	tcase_add_test(tc, test_forward_truncation);
	suite_add_tcase(s, tc);

	tc = tcase_create("cache");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_cache_hit_aged);
	tcase_add_test(tc, test_cache_hit_with_chain);
	tcase_add_test(tc, test_cache_key_do);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_formerr);
	tcase_add_test(tc, test_notimp);
	tcase_add_test(tc, test_badvers);
	tcase_add_test(tc, test_drop);
	tcase_add_test(tc, test_refused);
	suite_add_tcase(s, tc);

	tc = tcase_create("firewall");
	tcase_add_checked_fixture(tc, setup_firewall, teardown_firewall);
	tcase_add_test(tc, test_fw_block_nxdomain);
	tcase_add_test(tc, test_fw_block_nodata);
	tcase_add_test(tc, test_fw_allow_and_priority);
	tcase_add_test(tc, test_fw_alert_answers_locally);
	tcase_add_test(tc, test_fw_override);
	tcase_add_test(tc, test_fw_override_forwarded);
	tcase_add_test(tc, test_fw_cname_targets);
	tcase_add_test(tc, test_fw_cname_to_override);
	tcase_add_test(tc, test_fw_outside_not_filtered);
	suite_add_tcase(s, tc);

	tc = tcase_create("size_limits");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_udp_truncation);
	tcase_add_test(tc, test_tcp_no_truncation);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(answer_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed != 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
