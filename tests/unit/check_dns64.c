/*
 * tests/unit/check_dns64.c - unit tests of DNS64 (engine/dns64.h, RFC
 * 6147) for the client ranges a VPC lists in `dns64:`.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Local names with only A get AAAA in 64:ff9b::/96, names with AAAA are
 * answered as they are, clients outside the ranges get NODATA; a
 * forwarded AAAA NODATA leads to a second upstream query (A) whose
 * records are synthesized, NXDOMAIN is not; the PTR of a 64:ff9b::/96
 * name is a CNAME to the IPv4 reverse name, then its PTR; the helpers'
 * edge cases.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "check_engine.h"
#include "engine/dns64.h"

#define ZONE_FILE "/tmp/check_dns64.zone" /* in memory (te_file()) */
#define ZONE_TEXT                                                              \
	"$ORIGIN corp.internal.\n"                                             \
	"@ 900 IN SOA ns hm 1 7200 900 1209600 120\n"                          \
	"v4 300 IN A 192.0.2.10\n"                                             \
	"v4 300 IN A 192.0.2.11\n"                                             \
	"both 300 IN A 192.0.2.12\n"                                           \
	"both 300 IN AAAA 2001:db8::12\n"                                      \
	"alias 300 IN CNAME v4\n"

static const char *const conf_text =
    "upstreams: [127.0.0.1:5353]\n"
    "allow-query: [any]\n"
    "vpcs:\n"
    "  - id: vpc-1\n"
    "    region: us-east-1\n"
    "    cidr-blocks: [10.0.0.0/16]\n"
    "    dns64: [10.0.1.0/24, \"2600:1f18::/56\"]\n"
    "    hosted-zones:\n"
    "      - {name: corp.internal, file: " ZONE_FILE "}\n";

static void
setup(void)
{
	te_file(ZONE_FILE, ZONE_TEXT);
	te_load(conf_text);
}

static void
teardown(void)
{
	te_unload();
}

/* The AAAA at answer RR @i is 64:ff9b::@last4. */
static void
expect_synth(size_t i, const char *v4, uint32_t ttl)
{
	uint8_t want[16], a[4];

	tu_rdata_a(v4, a);
	dns64_synth(a, want);
	te_expect_rr(i, WIRE_TYPE_AAAA, NULL);
	ck_assert_mem_eq(te_out + te_resp.rr[i].rdata_off, want, 16);
	ck_assert_uint_eq(te_resp.rr[i].ttl, ttl);
}

START_TEST(test_local)
{
	ck_assert_int_eq(te_ask("10.0.1.5", "v4.corp.internal",
				WIRE_TYPE_AAAA), ANSWER_REPLY);
	ck_assert_uint_eq(te_resp.count[MSG_ANSWER], 2);
	/* TTL: min(A 300, the zone's negative TTL 120). */
	expect_synth(0, "192.0.2.10", 120);
	expect_synth(1, "192.0.2.11", 120);
	ck_assert(te_job.trace.dns64);
	/* Through a CNAME. */
	ck_assert_int_eq(te_ask("10.0.1.5", "alias.corp.internal",
				WIRE_TYPE_AAAA), ANSWER_REPLY);
	ck_assert_uint_eq(te_resp.count[MSG_ANSWER], 3);
	te_expect_rr(0, WIRE_TYPE_CNAME, "v4.corp.internal");
	/* A name with AAAA: as it is. */
	ck_assert_int_eq(te_ask("10.0.1.5", "both.corp.internal",
				WIRE_TYPE_AAAA), ANSWER_REPLY);
	ck_assert_uint_eq(te_resp.count[MSG_ANSWER], 1);
	ck_assert_mem_eq(te_out + te_resp.rr[0].rdata_off,
			 "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x12", 16);
	/* A queries are untouched; a client outside the ranges: NODATA. */
	ck_assert_int_eq(te_ask("10.0.1.5", "v4.corp.internal", WIRE_TYPE_A),
			 ANSWER_REPLY);
	te_expect_rr(0, WIRE_TYPE_A, NULL);
	ck_assert_int_eq(te_ask("10.0.2.5", "v4.corp.internal",
				WIRE_TYPE_AAAA), ANSWER_REPLY);
	ck_assert_uint_eq(te_resp.count[MSG_ANSWER], 0);
	ck_assert(!te_job.trace.dns64);
	/* An IPv6 client in the ranges; EC2 host names too. */
	ck_assert_int_eq(te_ask("2600:1f18::9", "ip-10-0-1-15.ec2.internal",
				WIRE_TYPE_AAAA), ANSWER_REPLY);
	expect_synth(0, "10.0.1.15", 60);
}
END_TEST

START_TEST(test_forwarded)
{
	ck_assert_int_eq(te_ask("10.0.1.5", "www.example.com", WIRE_TYPE_AAAA),
			 ANSWER_FORWARD);
	ck_assert_uint_eq(te_job.fwd_type, WIRE_TYPE_AAAA);
	/* NODATA for AAAA: the engine asks A next (return 0). */
	te_reply_start(0, 0);
	ck_assert_uint_eq(answer_upstream(&te_job, NULL, VPC_OK, te_reply.b,
					  te_reply.len, 0, te_out,
					  MSG_UDP_MAX),
			  0);
	ck_assert_uint_eq(te_job.fwd_type, WIRE_TYPE_A);
	ck_assert_uint_eq(tu_get16(te_job.query + te_job.query_len -
				   MSG_OPT_LEN - 4),
			  WIRE_TYPE_A);
	te_reply_start(0, 1);
	te_reply_addr("www.example.com", "198.51.100.7");
	te_upstream();
	ck_assert_uint_eq(te_resp.rcode, WIRE_RCODE_NOERROR);
	ck_assert_uint_eq(te_resp.qtype, WIRE_TYPE_AAAA);
	/* No SOA in the NODATA: the cap is 600 s; the A's TTL is 300. */
	expect_synth(0, "198.51.100.7", 300);
	/* An AAAA answer is returned as it is. */
	ck_assert_int_eq(te_ask("10.0.1.5", "www.example.com", WIRE_TYPE_AAAA),
			 ANSWER_FORWARD);
	te_reply_start(0, 1);
	te_reply_addr("www.example.com", "2001:db8::7");
	te_upstream();
	ck_assert_uint_eq(te_resp.count[MSG_ANSWER], 1);
	ck_assert_mem_eq(te_out + te_resp.rr[0].rdata_off,
			 "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x07", 16);
	/* NXDOMAIN stays NXDOMAIN. */
	ck_assert_int_eq(te_ask("10.0.1.5", "nx.example.com", WIRE_TYPE_AAAA),
			 ANSWER_FORWARD);
	te_reply_start(WIRE_RCODE_NXDOMAIN, 0);
	te_upstream();
	ck_assert_uint_eq(te_resp.rcode, WIRE_RCODE_NXDOMAIN);
	/* The second query fails: SERVFAIL. */
	ck_assert_int_eq(te_ask("10.0.1.5", "www.example.com", WIRE_TYPE_AAAA),
			 ANSWER_FORWARD);
	te_reply_start(0, 0);
	ck_assert_uint_eq(answer_upstream(&te_job, NULL, VPC_OK, te_reply.b,
					  te_reply.len, 0, te_out,
					  MSG_UDP_MAX),
			  0);
	{
		size_t n = answer_upstream(&te_job, NULL, VPC_ETIMEOUT, NULL,
					   0, 0, te_out, MSG_UDP_MAX);

		ck_assert_uint_gt(n, 0);
		tu_parse_ok(te_out, n, &te_resp);
		ck_assert_uint_eq(te_resp.rcode, WIRE_RCODE_SERVFAIL);
	}
}
END_TEST

START_TEST(test_ptr)
{
	static const char *const ptr =
	    "f.0.1.0.0.0.a.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0."
	    "b.9.f.f.4.6.0.0.ip6.arpa";

	/* 64:ff9b::a00:10f = 10.0.1.15: CNAME, then the EC2 PTR. */
	ck_assert_int_eq(te_ask("10.0.1.5", ptr, WIRE_TYPE_PTR), ANSWER_REPLY);
	ck_assert_uint_eq(te_resp.rcode, WIRE_RCODE_NOERROR);
	ck_assert_uint_eq(te_resp.count[MSG_ANSWER], 2);
	te_expect_rr(0, WIRE_TYPE_CNAME, "15.1.0.10.in-addr.arpa");
	te_expect_rr(1, WIRE_TYPE_PTR, "ip-10-0-1-15.ec2.internal");
	/* Outside the DNS64 ranges: not synthesized (forwarded). */
	ck_assert_int_eq(te_ask("10.0.2.5", ptr, WIRE_TYPE_PTR),
			 ANSWER_FORWARD);
}
END_TEST

START_TEST(test_helpers)
{
	uint8_t n[WIRE_MAX_NAME_LEN], out[WIRE_MAX_NAME_LEN];
	size_t len;

	len = tu_name("7.0.2.0.0.0.0.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0."
		      "b.9.f.f.4.6.0.0.ip6.arpa",
		      n);
	len = dns64_ptr_target(n, len, out);
	ck_assert(tu_name_is(out, len, "7.2.0.192.in-addr.arpa"));
	/* Another prefix, a short name, a bad nibble: none. */
	len = tu_name("7.0.2.0.0.0.0.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0."
		      "b.9.f.f.4.6.0.1.ip6.arpa",
		      n);
	ck_assert_uint_eq(dns64_ptr_target(n, len, out), 0);
	len = tu_name("b.9.f.f.4.6.0.0.ip6.arpa", n);
	ck_assert_uint_eq(dns64_ptr_target(n, len, out), 0);
	len = tu_name("g.0.2.0.0.0.2.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0."
		      "b.9.f.f.4.6.0.0.ip6.arpa",
		      n);
	ck_assert_uint_eq(dns64_ptr_target(n, len, out), 0);
}
END_TEST

/* AWS resolver-dns-firewall-rule-settings: a BLOCK rule with qtype AAAA
 * does not apply to the AAAA DNS64 synthesizes; it still applies to real
 * AAAA and to clients without DNS64.  Rules without qtype apply to the
 * synthesized answer. */
static const char *const fw_text =
    "upstreams: [127.0.0.1:5353]\n"
    "allow-query: [any]\n"
    "vpcs:\n"
    "  - id: vpc-1\n"
    "    region: us-east-1\n"
    "    cidr-blocks: [10.0.0.0/16]\n"
    "    dns64: [10.0.1.0/24]\n"
    "    hosted-zones:\n"
    "      - {name: corp.internal, file: " ZONE_FILE "}\n"
    "    firewall:\n"
    "      - {priority: 100, name: no-aaaa, qtype: AAAA, action: block,\n"
    "         block-response: nxdomain,\n"
    "         domains: [\"*.corp.internal\", \"*.example.com\"]}\n"
    "      - {priority: 200, name: walled, action: block,\n"
    "         block-response: nodata, domains: [walled.corp.internal]}\n";

START_TEST(test_firewall_aaaa_local)
{
	te_file(ZONE_FILE, ZONE_TEXT "walled 300 IN A 192.0.2.20\n");
	te_unload();
	te_load(fw_text);
	/* A only: synthesized, the AAAA rule passed over. */
	ck_assert_int_eq(te_ask("10.0.1.5", "v4.corp.internal",
				WIRE_TYPE_AAAA), ANSWER_REPLY);
	ck_assert_uint_eq(te_resp.rcode, WIRE_RCODE_NOERROR);
	expect_synth(0, "192.0.2.10", 120);
	ck_assert_ptr_null(te_job.trace.firewall);
	ck_assert_ptr_nonnull(te_job.trace.fw_dns64);
	ck_assert_str_eq(te_job.trace.fw_dns64->name, "no-aaaa");
	/* Through a CNAME whose names the rule also covers. */
	ck_assert_int_eq(te_ask("10.0.1.5", "alias.corp.internal",
				WIRE_TYPE_AAAA), ANSWER_REPLY);
	ck_assert_uint_eq(te_resp.count[MSG_ANSWER], 3);
	te_expect_rr(0, WIRE_TYPE_CNAME, "v4.corp.internal");
	/* A real AAAA: the rule applies (NXDOMAIN, no SOA). */
	ck_assert_int_eq(te_ask("10.0.1.5", "both.corp.internal",
				WIRE_TYPE_AAAA), ANSWER_REPLY);
	ck_assert_uint_eq(te_resp.rcode, WIRE_RCODE_NXDOMAIN);
	ck_assert_uint_eq(te_resp.count[MSG_ANSWER], 0);
	ck_assert_ptr_null(te_job.trace.fw_dns64);
	ck_assert_str_eq(te_job.trace.firewall->name, "no-aaaa");
	/* A client without DNS64: the rule applies as before. */
	ck_assert_int_eq(te_ask("10.0.2.5", "v4.corp.internal",
				WIRE_TYPE_AAAA), ANSWER_REPLY);
	ck_assert_uint_eq(te_resp.rcode, WIRE_RCODE_NXDOMAIN);
	/* A rule without qtype applies to the synthesized answer. */
	ck_assert_int_eq(te_ask("10.0.1.5", "walled.corp.internal",
				WIRE_TYPE_AAAA), ANSWER_REPLY);
	ck_assert_uint_eq(te_resp.rcode, WIRE_RCODE_NOERROR);
	ck_assert_uint_eq(te_resp.count[MSG_ANSWER], 0);
	ck_assert_str_eq(te_job.trace.firewall->name, "walled");
	ck_assert_str_eq(te_job.trace.fw_dns64->name, "no-aaaa");
	{
		char line[512];

		answer_explain(&te_job, ANSWER_REPLY, line, sizeof(line));
		ck_assert_ptr_nonnull(strstr(line, " fw-dns64-passed=no-aaaa"));
	}
}
END_TEST

START_TEST(test_firewall_aaaa_forwarded)
{
	te_unload();
	te_load(fw_text);
	/* Asked upstream; NODATA, then A: synthesized, not blocked. */
	ck_assert_int_eq(te_ask("10.0.1.5", "www.example.com", WIRE_TYPE_AAAA),
			 ANSWER_FORWARD);
	te_reply_start(0, 0);
	ck_assert_uint_eq(answer_upstream(&te_job, NULL, VPC_OK, te_reply.b,
					  te_reply.len, 0, te_out,
					  MSG_UDP_MAX),
			  0);
	te_reply_start(0, 1);
	te_reply_addr("www.example.com", "198.51.100.7");
	te_upstream();
	ck_assert_uint_eq(te_resp.rcode, WIRE_RCODE_NOERROR);
	expect_synth(0, "198.51.100.7", 300);
	ck_assert_str_eq(te_job.trace.fw_dns64->name, "no-aaaa");
	/* A real AAAA from upstream: blocked, nothing of it returned. */
	ck_assert_int_eq(te_ask("10.0.1.5", "www.example.com", WIRE_TYPE_AAAA),
			 ANSWER_FORWARD);
	te_reply_start(0, 1);
	te_reply_addr("www.example.com", "2001:db8::7");
	te_upstream();
	ck_assert_uint_eq(te_resp.rcode, WIRE_RCODE_NXDOMAIN);
	ck_assert_uint_eq(te_resp.count[MSG_ANSWER], 0);
	ck_assert_str_eq(te_job.trace.firewall->name, "no-aaaa");
	ck_assert_ptr_null(te_job.trace.fw_dns64);
	/* Without DNS64 it is blocked before anything is asked. */
	ck_assert_int_eq(te_ask("10.0.2.5", "www.example.com", WIRE_TYPE_AAAA),
			 ANSWER_REPLY);
	ck_assert_uint_eq(te_resp.rcode, WIRE_RCODE_NXDOMAIN);
}
END_TEST

static Suite *
dns64_suite(void)
{
	Suite *s = suite_create("dns64");
	TCase *tc = tcase_create("dns64");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_local);
	tcase_add_test(tc, test_forwarded);
	tcase_add_test(tc, test_ptr);
	tcase_add_test(tc, test_helpers);
	tcase_add_test(tc, test_firewall_aaaa_local);
	tcase_add_test(tc, test_firewall_aaaa_forwarded);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(dns64_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
