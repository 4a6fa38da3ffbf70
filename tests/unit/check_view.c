/*
 * tests/unit/check_view.c - unit tests of views (view_) and of the
 * policy the engine takes from them: who sees which VPC (SPEC 1.6),
 * who may ask (allow-query), which of zones and rules answers a name
 * (SPEC 1.5, docs/DESIGN.md "Views, rules and the order of resolution")
 * and how profiles combine with a VPC's own associations.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Every test builds a real data set from YAML and zone text
 * (check_dataset.h) and asks view_select()/view_allowed()/view_is_local()
 * or runs answer_query() and looks at the job's trace and forwarder group.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <check.h>

#include "check_dataset.h"
#include "check_util.h"
#include "conf/conf.h"
#include "dns/wire.h"
#include "engine/answer.h"
#include "engine/view.h"
#include "engine/zone.h"

static struct tu_ds ds;

static void
teardown(void)
{
	tu_ds_free(&ds);
}

/* Three VPCs: A takes 10.0.0.0/8 and fd00::/8, B the longer 10.1.0.0/16
 * and has an inbound listener (listen[1]), C has no `clients` and takes
 * everyone else who is allowed. */
static const char views_yaml[] =
    "listen:\n"
    "  - {address: 127.0.0.1, port: 53}\n"
    "  - {address: 127.0.0.1, port: 5301, inbound: vpc-0b0b0b0b}\n"
    "upstreams: [\"192.0.2.53:53\"]\n"
    "vpcs:\n"
    "  - id: vpc-0a0a0a0a\n"
    "    region: us-east-1\n"
    "    cidr-blocks: [10.0.0.0/16]\n"
    "    clients: [10.0.0.0/8, \"fd00::/8\"]\n"
    "  - id: vpc-0b0b0b0b\n"
    "    region: us-east-1\n"
    "    cidr-blocks: [10.1.0.0/16]\n"
    "    clients: [10.1.0.0/16, 203.0.113.0/24]\n"
    "  - id: vpc-0c0c0c0c\n"
    "    region: eu-west-1\n"
    "    cidr-blocks: [172.31.0.0/16]\n";

START_TEST(test_longest_prefix)
{
	tu_ds_load(&ds, views_yaml);
	ck_assert_str_eq(
	    tu_ds_view_id(tu_ds_view(&ds, "10.1.2.3", VIEW_NOT_INBOUND)),
	    "vpc-0b0b0b0b");
	ck_assert_str_eq(
	    tu_ds_view_id(tu_ds_view(&ds, "10.2.0.1", VIEW_NOT_INBOUND)),
	    "vpc-0a0a0a0a");
	ck_assert_str_eq(
	    tu_ds_view_id(tu_ds_view(&ds, "10.0.0.5", VIEW_NOT_INBOUND)),
	    "vpc-0a0a0a0a");
	ck_assert_str_eq(
	    tu_ds_view_id(tu_ds_view(&ds, "fd00::53", VIEW_NOT_INBOUND)),
	    "vpc-0a0a0a0a");
	ck_assert_str_eq(
	    tu_ds_view_id(tu_ds_view(&ds, "203.0.113.9", VIEW_NOT_INBOUND)),
	    "vpc-0b0b0b0b");
	ck_assert(!tu_ds_view(&ds, "10.1.2.3", VIEW_NOT_INBOUND)->inbound);
}
END_TEST

START_TEST(test_fallback_vpc)
{
	const struct view *v;

	tu_ds_load(&ds, views_yaml);
	/* In no VPC's clients: the VPC without `clients` (SPEC 1.6). */
	v = tu_ds_view(&ds, "192.168.7.7", VIEW_NOT_INBOUND);
	ck_assert_str_eq(tu_ds_view_id(v), "vpc-0c0c0c0c");
	ck_assert_ptr_eq(v, ds.vs->fallback);
	ck_assert_str_eq(
	    tu_ds_view_id(tu_ds_view(&ds, "127.0.0.1", VIEW_NOT_INBOUND)),
	    "vpc-0c0c0c0c");
	ck_assert_str_eq(
	    tu_ds_view_id(tu_ds_view(&ds, "::1", VIEW_NOT_INBOUND)),
	    "vpc-0c0c0c0c");
}
END_TEST

START_TEST(test_outside)
{
	const struct view *v;

	/* Every VPC has `clients`: the others are outside. */
	tu_ds_load(&ds, "upstreams: [\"192.0.2.53:53\"]\n"
			"vpcs:\n"
			"  - id: vpc-0a0a0a0a\n"
			"    region: us-east-1\n"
			"    cidr-blocks: [10.0.0.0/16]\n"
			"    clients: [10.0.0.0/8]\n");
	v = tu_ds_view(&ds, "192.168.7.7", VIEW_NOT_INBOUND);
	ck_assert_ptr_eq(v, &ds.vs->outside);
	ck_assert_ptr_null(v->vpc_id);
	ck_assert_ptr_null(v->firewall);
	ck_assert_uint_eq(v->n_rules, 0);
	ck_assert_uint_eq(v->fwd_group, VIEW_FWD_DEFAULT);
	ck_assert_str_eq(
	    tu_ds_view_id(tu_ds_view(&ds, "10.9.9.9", VIEW_NOT_INBOUND)),
	    "vpc-0a0a0a0a");
}
END_TEST

START_TEST(test_inbound_listener)
{
	const struct view *v;

	tu_ds_load(&ds, views_yaml);
	/* The listener decides, whatever the source (SPEC 1.5a). */
	v = tu_ds_view(&ds, "10.0.0.5", 1);
	ck_assert_str_eq(tu_ds_view_id(v), "vpc-0b0b0b0b");
	ck_assert(v->inbound);
	ck_assert_ptr_eq(v, &ds.vs->inbound[1]);
	v = tu_ds_view(&ds, "198.51.100.1", 0);
	ck_assert_str_eq(tu_ds_view_id(v), "vpc-0a0a0a0a");
	ck_assert(v->inbound);
	ck_assert_ptr_eq(v, &ds.vs->inbound[0]);
}
END_TEST

START_TEST(test_allow_query_default)
{
	struct sockaddr_storage ss;

	tu_ds_load(&ds, views_yaml);
	/* Loopback, the private ranges, the VPCs' clients and cidrs. */
	ck_assert(view_allowed(ds.vs, tu_ds_addr("127.0.0.1", &ss),
			       VIEW_NOT_INBOUND));
	ck_assert(
	    view_allowed(ds.vs, tu_ds_addr("::1", &ss), VIEW_NOT_INBOUND));
	ck_assert(view_allowed(ds.vs, tu_ds_addr("192.168.1.1", &ss),
			       VIEW_NOT_INBOUND));
	ck_assert(view_allowed(ds.vs, tu_ds_addr("100.64.0.1", &ss),
			       VIEW_NOT_INBOUND));
	ck_assert(view_allowed(ds.vs, tu_ds_addr("203.0.113.9", &ss),
			       VIEW_NOT_INBOUND));
	ck_assert(!view_allowed(ds.vs, tu_ds_addr("198.51.100.1", &ss),
				VIEW_NOT_INBOUND));
	ck_assert(!view_allowed(ds.vs, tu_ds_addr("2001:db8::1", &ss),
				VIEW_NOT_INBOUND));
	/* An inbound listener accepts everyone. */
	ck_assert(view_allowed(ds.vs, tu_ds_addr("198.51.100.1", &ss), 1));
}
END_TEST

START_TEST(test_allow_query_refused)
{
	tu_ds_load(&ds, views_yaml);
	ck_assert_int_eq(tu_ds_ask(&ds, "www.example.com", WIRE_TYPE_A,
				   "198.51.100.1", VIEW_NOT_INBOUND),
			 ANSWER_REPLY);
	ck_assert_uint_eq(ds.resp.rcode, WIRE_RCODE_REFUSED);
	ck_assert_uint_eq(ds.resp.n_rrs, 0);
	ck_assert_int_eq(
	    tu_ds_ask(&ds, "www.example.com", WIRE_TYPE_A, "198.51.100.1", 1),
	    ANSWER_FORWARD);
}
END_TEST

START_TEST(test_allow_query_explicit)
{
	struct sockaddr_storage ss;

	/* A list as written: the VPC ranges are not added. */
	tu_ds_load(&ds, "upstreams: [\"192.0.2.53:53\"]\n"
			"allow-query: [192.0.2.0/24, \"2001:db8::/32\"]\n"
			"vpcs:\n"
			"  - id: vpc-0a0a0a0a\n"
			"    region: us-east-1\n"
			"    cidr-blocks: [10.0.0.0/16]\n");
	ck_assert(view_allowed(ds.vs, tu_ds_addr("192.0.2.200", &ss),
			       VIEW_NOT_INBOUND));
	ck_assert(view_allowed(ds.vs, tu_ds_addr("2001:db8::1", &ss),
			       VIEW_NOT_INBOUND));
	ck_assert(!view_allowed(ds.vs, tu_ds_addr("10.0.0.5", &ss),
				VIEW_NOT_INBOUND));
	ck_assert(!view_allowed(ds.vs, tu_ds_addr("127.0.0.1", &ss),
				VIEW_NOT_INBOUND));
	tu_ds_free(&ds);
	tu_ds_load(&ds, "upstreams: [\"192.0.2.53:53\"]\n"
			"allow-query: [any]\n"
			"vpcs:\n"
			"  - id: vpc-0a0a0a0a\n"
			"    region: us-east-1\n"
			"    cidr-blocks: [10.0.0.0/16]\n");
	ck_assert(view_allowed(ds.vs, tu_ds_addr("198.51.100.1", &ss),
			       VIEW_NOT_INBOUND));
	ck_assert(view_allowed(ds.vs, tu_ds_addr("2001:db8::1", &ss),
			       VIEW_NOT_INBOUND));
}
END_TEST

START_TEST(test_is_local)
{
	struct sockaddr_storage ss;

	tu_ds_load(&ds, views_yaml);
	/* Loopback, clients and cidr-blocks; not the private ranges as
	 * such (response rate limiting spares only these). */
	ck_assert(view_is_local(ds.vs, tu_ds_addr("127.0.0.9", &ss)));
	ck_assert(view_is_local(ds.vs, tu_ds_addr("::1", &ss)));
	ck_assert(view_is_local(ds.vs, tu_ds_addr("203.0.113.5", &ss)));
	ck_assert(view_is_local(ds.vs, tu_ds_addr("172.31.4.4", &ss)));
	ck_assert(view_is_local(ds.vs, tu_ds_addr("fd00::1", &ss)));
	ck_assert(!view_is_local(ds.vs, tu_ds_addr("198.51.100.1", &ss)));
	ck_assert(!view_is_local(ds.vs, tu_ds_addr("192.168.1.1", &ss)));
}
END_TEST

/* ---- rules and zones (SPEC 1.5 step 2) ------------------------------- */

static const char rules_yaml[] =
    "upstreams: [\"192.0.2.53:53\"]\n"
    "vpcs:\n"
    "  - id: vpc-0a0a0a0a\n"
    "    region: us-east-1\n"
    "    cidr-blocks: [10.0.0.0/16]\n"
    "    hosted-zones:\n"
    "      - {name: corp.internal, file: corp.zone}\n"
    "      - {name: dev.example.com, file: dev.zone}\n"
    "      - {name: same.test, file: same.zone}\n"
    "    rules:\n"
    "      - {domain: onprem.corp.internal, type: forward,\n"
    "         targets: [\"192.0.2.11:53\"]}\n"
    "      - {domain: example.com, type: forward,\n"
    "         targets: [\"192.0.2.12:53\"]}\n"
    "      - {domain: same.test, type: forward, targets: [\"192.0.2.13\"]}\n"
    "      - {domain: public.corp.internal, type: system}\n"
    "      - {domain: sys.example.com, type: system}\n"
    "      - {domain: ., type: forward, targets: [\"192.0.2.14:5353\"]}\n";

static void
load_rules(void)
{
	tu_ds_file(&ds, "corp.zone",
		   "$ORIGIN corp.internal.\n$TTL 300\n"
		   "db IN A 10.0.1.20\n"
		   "www.public IN A 10.0.1.21\n"
		   "out IN CNAME www.onprem.corp.internal.\n");
	tu_ds_file(&ds, "dev.zone",
		   "$ORIGIN dev.example.com.\n$TTL 300\nwww IN A 10.0.2.1\n");
	tu_ds_file(&ds, "same.zone",
		   "$ORIGIN same.test.\n$TTL 300\nwww IN A 10.0.3.1\n");
	tu_ds_load(&ds, rules_yaml);
}

/* Asks @name from a VPC client; expects it forwarded to @target with the
 * rule of @domain (NULL: no rule, the view's default upstreams). */
static void
expect_forwarded(const char *name, const char *target, const char *domain)
{
	char buf[64];

	ck_assert_int_eq(
	    tu_ds_ask(&ds, name, WIRE_TYPE_A, "10.0.0.5", VIEW_NOT_INBOUND),
	    ANSWER_FORWARD);
	ck_assert_str_eq(
	    tu_ds_group_target(&ds, ds.job.fwd_group, buf, sizeof(buf)),
	    target);
	ck_assert_ptr_null(ds.job.trace.zone);
	if (domain == NULL) {
		ck_assert_ptr_null(ds.job.trace.rule);
		return;
	}
	ck_assert_ptr_nonnull(ds.job.trace.rule);
	ck_assert_str_eq(ds.job.trace.rule->conf->domain, domain);
}

/* Asks @name from a VPC client; expects the local answer @addr from the
 * zone @apex. */
static void
expect_local(const char *name, const char *apex, const char *addr)
{
	uint8_t a[WIRE_MAX_NAME_LEN];
	char buf[64];

	ck_assert_int_eq(
	    tu_ds_ask(&ds, name, WIRE_TYPE_A, "10.0.0.5", VIEW_NOT_INBOUND),
	    ANSWER_REPLY);
	ck_assert_ptr_nonnull(ds.job.trace.zone);
	ck_assert_mem_eq(ds.job.trace.zone->apex, a, tu_name(apex, a));
	ck_assert_ptr_null(ds.job.trace.rule);
	ck_assert(ds.resp.flags & WIRE_FLAG_AA);
	ck_assert_str_eq(tu_ds_first_a(&ds, buf, sizeof(buf)), addr);
}

START_TEST(test_rule_below_zone_wins)
{
	load_rules();
	/* The most specific wins: a forward rule below the PHZ. */
	expect_forwarded("x.onprem.corp.internal", "192.0.2.11:53",
			 "onprem.corp.internal");
	expect_forwarded("onprem.corp.internal", "192.0.2.11:53",
			 "onprem.corp.internal");
	expect_local("db.corp.internal", "corp.internal", "10.0.1.20");
}
END_TEST

START_TEST(test_zone_below_rule_wins)
{
	load_rules();
	/* A PHZ below a forward rule answers its names, NXDOMAIN included
	 * (never a fall-back to the rule). */
	expect_local("www.dev.example.com", "dev.example.com", "10.0.2.1");
	ck_assert_int_eq(tu_ds_ask(&ds, "nope.dev.example.com", WIRE_TYPE_A,
				   "10.0.0.5", VIEW_NOT_INBOUND),
			 ANSWER_REPLY);
	ck_assert_uint_eq(ds.resp.rcode, WIRE_RCODE_NXDOMAIN);
	expect_forwarded("www.example.com", "192.0.2.12:53", "example.com");
}
END_TEST

START_TEST(test_rule_same_name_as_zone_wins)
{
	load_rules();
	/* SPEC 1.5: a forward rule and a PHZ of the same name: the rule. */
	expect_forwarded("www.same.test", "192.0.2.13:53", "same.test");
	expect_forwarded("same.test", "192.0.2.13:53", "same.test");
}
END_TEST

START_TEST(test_system_rule)
{
	load_rules();
	/* A system rule below a PHZ makes that subtree public (the default
	 * upstreams), even where the zone has the name. */
	expect_forwarded("www.public.corp.internal", "192.0.2.53:53",
			 "public.corp.internal");
	ck_assert_uint_eq(ds.job.fwd_group, VIEW_FWD_DEFAULT);
	ck_assert(ds.job.trace.rule->system);
	/* ... and below a broader forward rule it overrides that rule. */
	expect_forwarded("a.sys.example.com", "192.0.2.53:53",
			 "sys.example.com");
}
END_TEST

START_TEST(test_dot_rule)
{
	load_rules();
	/* A "." forward rule takes what nothing more specific takes ... */
	expect_forwarded("www.example.org", "192.0.2.14:5353", ".");
	/* ... but never the VPC's zones nor its EC2 names (SPEC 1.7). */
	expect_local("db.corp.internal", "corp.internal", "10.0.1.20");
	expect_local("ip-10-0-1-15.ec2.internal", "ec2.internal", "10.0.1.15");
	ck_assert_int_eq(tu_ds_ask(&ds, "15.1.0.10.in-addr.arpa", WIRE_TYPE_PTR,
				   "10.0.0.5", VIEW_NOT_INBOUND),
			 ANSWER_REPLY);
	ck_assert_uint_eq(ds.resp.rcode, WIRE_RCODE_NOERROR);
	ck_assert_uint_eq(tu_count(&ds.resp, 0, WIRE_TYPE_PTR), 1);
}
END_TEST

START_TEST(test_cname_target_takes_rule)
{
	load_rules();
	/* A local CNAME into a rule's domain: the target goes to the rule's
	 * forwarders, with the chain kept in the job. */
	ck_assert_int_eq(tu_ds_ask(&ds, "out.corp.internal", WIRE_TYPE_A,
				   "10.0.0.5", VIEW_NOT_INBOUND),
			 ANSWER_FORWARD);
	ck_assert_ptr_nonnull(ds.job.trace.rule);
	ck_assert_str_eq(ds.job.trace.rule->conf->domain,
			 "onprem.corp.internal");
	ck_assert_uint_eq(ds.job.chain_count, 1);
	ck_assert(tu_name_is(ds.job.fwd_name, ds.job.fwd_name_len,
			     "www.onprem.corp.internal"));
}
END_TEST

START_TEST(test_find_rule_and_zone)
{
	const struct view *v;
	uint8_t n[WIRE_MAX_NAME_LEN];
	size_t len;

	load_rules();
	v = tu_ds_view(&ds, "10.0.0.5", VIEW_NOT_INBOUND);
	/* The rule with the longest domain at or above the name. */
	len = tu_name("a.b.onprem.corp.internal", n);
	ck_assert_str_eq(view_find_rule(v, n, len)->conf->domain,
			 "onprem.corp.internal");
	ck_assert_ptr_nonnull(view_find_zone(v, n, len));
	len = tu_name("www.example.org", n);
	ck_assert_str_eq(view_find_rule(v, n, len)->conf->domain, ".");
	ck_assert_ptr_null(view_find_zone(v, n, len));
	/* Rules and PHZs are the VPC's: the outside view has none. */
	ck_assert_ptr_null(view_find_rule(&ds.vs->outside, n, len));
	len = tu_name("db.corp.internal", n);
	ck_assert_ptr_null(view_find_zone(&ds.vs->outside, n, len));
}
END_TEST

/* ---- profiles --------------------------------------------------------- */

static void
load_profiles(void)
{
	tu_ds_file(&ds, "own.zone",
		   "$ORIGIN corp.internal.\n$TTL 300\ndb IN A 10.0.1.1\n");
	tu_ds_file(&ds, "prof.zone",
		   "$ORIGIN corp.internal.\n$TTL 300\ndb IN A 10.9.9.9\n"
		   "only-in-profile IN A 10.9.9.8\n");
	tu_ds_file(&ds, "shared.zone",
		   "$ORIGIN shared.internal.\n$TTL 300\nsvc IN A 10.8.0.1\n");
	tu_ds_load(
	    &ds,
	    "upstreams: [\"192.0.2.53:53\"]\n"
	    "vpcs:\n"
	    "  - id: vpc-0a0a0a0a\n"
	    "    region: us-east-1\n"
	    "    cidr-blocks: [10.0.0.0/16]\n"
	    "    clients: [10.0.0.0/16]\n"
	    "    profiles: [shared]\n"
	    "    hosted-zones:\n"
	    "      - {name: corp.internal, file: own.zone}\n"
	    "    rules:\n"
	    "      - {domain: onprem.example.com, type: forward,\n"
	    "         targets: [\"192.0.2.21:53\"]}\n"
	    "    firewall:\n"
	    "      - {priority: 100, name: own-nodata, domains: [a.test],\n"
	    "         action: block, block-response: nodata}\n"
	    "  - id: vpc-0b0b0b0b\n"
	    "    region: us-east-1\n"
	    "    cidr-blocks: [10.1.0.0/16]\n"
	    "    clients: [10.1.0.0/16]\n"
	    "    profiles: [shared]\n"
	    "profiles:\n"
	    "  - name: shared\n"
	    "    hosted-zones:\n"
	    "      - {name: corp.internal, file: prof.zone}\n"
	    "      - {name: shared.internal, file: shared.zone}\n"
	    "    rules:\n"
	    "      - {domain: onprem.example.com, type: forward,\n"
	    "         targets: [\"192.0.2.22:53\"]}\n"
	    "      - {domain: partner.example.com, type: forward,\n"
	    "         targets: [\"192.0.2.23:53\"]}\n"
	    "    firewall:\n"
	    "      - {priority: 100, name: profile-nxdomain, domains: "
	    "[a.test, b.test],\n"
	    "         action: block, block-response: nxdomain}\n");
}

START_TEST(test_profile_own_zone_wins)
{
	char buf[64];

	load_profiles();
	/* The VPC's own corp.internal wins over the profile's: the
	 * profile's names there do not exist for this VPC. */
	ck_assert_int_eq(tu_ds_ask(&ds, "db.corp.internal", WIRE_TYPE_A,
				   "10.0.0.5", VIEW_NOT_INBOUND),
			 ANSWER_REPLY);
	ck_assert_str_eq(tu_ds_first_a(&ds, buf, sizeof(buf)), "10.0.1.1");
	ck_assert_int_eq(tu_ds_ask(&ds, "only-in-profile.corp.internal",
				   WIRE_TYPE_A, "10.0.0.5", VIEW_NOT_INBOUND),
			 ANSWER_REPLY);
	ck_assert_uint_eq(ds.resp.rcode, WIRE_RCODE_NXDOMAIN);
	/* The other VPC has only the profile's. */
	ck_assert_int_eq(tu_ds_ask(&ds, "db.corp.internal", WIRE_TYPE_A,
				   "10.1.0.5", VIEW_NOT_INBOUND),
			 ANSWER_REPLY);
	ck_assert_str_eq(tu_ds_first_a(&ds, buf, sizeof(buf)), "10.9.9.9");
	/* A profile zone the VPC does not have: both see it. */
	ck_assert_int_eq(tu_ds_ask(&ds, "svc.shared.internal", WIRE_TYPE_A,
				   "10.0.0.5", VIEW_NOT_INBOUND),
			 ANSWER_REPLY);
	ck_assert_str_eq(tu_ds_first_a(&ds, buf, sizeof(buf)), "10.8.0.1");
}
END_TEST

START_TEST(test_profile_own_rule_wins)
{
	char buf[64];

	load_profiles();
	ck_assert_int_eq(tu_ds_ask(&ds, "x.onprem.example.com", WIRE_TYPE_A,
				   "10.0.0.5", VIEW_NOT_INBOUND),
			 ANSWER_FORWARD);
	ck_assert_str_eq(
	    tu_ds_group_target(&ds, ds.job.fwd_group, buf, sizeof(buf)),
	    "192.0.2.21:53");
	ck_assert_int_eq(tu_ds_ask(&ds, "x.onprem.example.com", WIRE_TYPE_A,
				   "10.1.0.5", VIEW_NOT_INBOUND),
			 ANSWER_FORWARD);
	ck_assert_str_eq(
	    tu_ds_group_target(&ds, ds.job.fwd_group, buf, sizeof(buf)),
	    "192.0.2.22:53");
	/* A profile rule the VPC does not have applies. */
	ck_assert_int_eq(tu_ds_ask(&ds, "x.partner.example.com", WIRE_TYPE_A,
				   "10.0.0.5", VIEW_NOT_INBOUND),
			 ANSWER_FORWARD);
	ck_assert_str_eq(
	    tu_ds_group_target(&ds, ds.job.fwd_group, buf, sizeof(buf)),
	    "192.0.2.23:53");
}
END_TEST

START_TEST(test_profile_firewall_after_own)
{
	load_profiles();
	/* Equal priority: the VPC's own rule comes first (NODATA)... */
	ck_assert_int_eq(
	    tu_ds_ask(&ds, "a.test", WIRE_TYPE_A, "10.0.0.5", VIEW_NOT_INBOUND),
	    ANSWER_REPLY);
	ck_assert_uint_eq(ds.resp.rcode, WIRE_RCODE_NOERROR);
	ck_assert_str_eq(ds.job.trace.firewall->name, "own-nodata");
	/* ... the profile's rules apply to the rest ... */
	ck_assert_int_eq(
	    tu_ds_ask(&ds, "b.test", WIRE_TYPE_A, "10.0.0.5", VIEW_NOT_INBOUND),
	    ANSWER_REPLY);
	ck_assert_uint_eq(ds.resp.rcode, WIRE_RCODE_NXDOMAIN);
	/* ... and to the other VPC, which has only them. */
	ck_assert_int_eq(
	    tu_ds_ask(&ds, "a.test", WIRE_TYPE_A, "10.1.0.5", VIEW_NOT_INBOUND),
	    ANSWER_REPLY);
	ck_assert_uint_eq(ds.resp.rcode, WIRE_RCODE_NXDOMAIN);
	ck_assert_str_eq(ds.job.trace.firewall->name, "profile-nxdomain");
}
END_TEST

static Suite *
view_suite(void)
{
	Suite *s = suite_create("view");
	TCase *tc;

	tc = tcase_create("select");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, test_longest_prefix);
	tcase_add_test(tc, test_fallback_vpc);
	tcase_add_test(tc, test_outside);
	tcase_add_test(tc, test_inbound_listener);
	suite_add_tcase(s, tc);

	tc = tcase_create("allow");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, test_allow_query_default);
	tcase_add_test(tc, test_allow_query_refused);
	tcase_add_test(tc, test_allow_query_explicit);
	tcase_add_test(tc, test_is_local);
	suite_add_tcase(s, tc);

	tc = tcase_create("rules");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, test_rule_below_zone_wins);
	tcase_add_test(tc, test_zone_below_rule_wins);
	tcase_add_test(tc, test_rule_same_name_as_zone_wins);
	tcase_add_test(tc, test_system_rule);
	tcase_add_test(tc, test_dot_rule);
	tcase_add_test(tc, test_cname_target_takes_rule);
	tcase_add_test(tc, test_find_rule_and_zone);
	suite_add_tcase(s, tc);

	tc = tcase_create("profiles");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, test_profile_own_zone_wins);
	tcase_add_test(tc, test_profile_own_rule_wins);
	tcase_add_test(tc, test_profile_firewall_after_own);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(view_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
