/*
 * tests/unit/check_msg.c - unit tests of query parsing, response building,
 * EDNS, truncation and upstream reply normalization (msg_).
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Queries and replies are built byte by byte with check_util.h or read
 * from the wire vectors in tests/data/; responses are checked both byte
 * for byte (compression pointers, echoed question) and by parsing them
 * back with tu_parse().
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "check_util.h"
#include "util/err.h"
#include "dns/msg.h"
#include "dns/wire.h"

static struct tu_pkt pkt;  /* query or reply under construction */
static struct tu_pkt want; /* expected normalized RRs */
static struct tu_resp resp;
static uint8_t out[MSG_TCP_MAX];
static uint8_t rrs[MSG_RRS_MAX];

/* Parses the query in pkt and checks the verdict. */
static void
parse_expect(struct msg_query *q, enum msg_verdict want_v)
{
	ck_assert_int_eq(msg_parse_query(pkt.b, pkt.len, q), want_v);
}

/* A query for @name/@type with @payload (0: no EDNS), parsed OK. */
static void
query_ok(struct msg_query *q, const char *name, uint16_t type, uint16_t payload)
{
	tu_query(&pkt, name, type, payload);
	parse_expect(q, MSG_QUERY_OK);
}

/* ---- msg_parse_query --------------------------------------------------- */

START_TEST(test_query_basic)
{
	struct msg_query q;

	query_ok(&q, "WwW.Example.COM", WIRE_TYPE_AAAA, 0);
	ck_assert_uint_eq(q.id, 0x1234);
	ck_assert_uint_eq(q.flags, WIRE_FLAG_RD);
	ck_assert(q.has_question);
	ck_assert(tu_name_is(q.qname, q.qname_len, "WwW.Example.COM"));
	ck_assert(tu_name_is(q.qname_lower, q.qname_len, "www.example.com"));
	ck_assert_uint_eq(q.qtype, WIRE_TYPE_AAAA);
	ck_assert_uint_eq(q.qclass, WIRE_CLASS_IN);
	ck_assert(!q.edns);
	ck_assert(!q.edns_do);
	ck_assert_uint_eq(q.edns_payload, 0);
	ck_assert_uint_eq(q.edns_version, 0);
}
END_TEST

START_TEST(test_query_short_dropped)
{
	struct msg_query q;

	tu_query(&pkt, "example.com", WIRE_TYPE_A, 0);
	ck_assert_int_eq(msg_parse_query(pkt.b, 0, &q), MSG_QUERY_DROP);
	ck_assert_int_eq(msg_parse_query(pkt.b, 11, &q), MSG_QUERY_DROP);
	ck_assert(!q.has_question);
}
END_TEST

START_TEST(test_query_response_dropped)
{
	struct msg_query q;
	struct tu_qopt o = tu_qopt_default();

	o.flags |= WIRE_FLAG_QR;
	tu_query_opt(&pkt, "example.com", WIRE_TYPE_A, &o);
	parse_expect(&q, MSG_QUERY_DROP);
	/* Even a header-only response with QR set. */
	ck_assert_int_eq(msg_parse_query(pkt.b, WIRE_HEADER_LEN, &q),
			 MSG_QUERY_DROP);
}
END_TEST

START_TEST(test_query_qdcount)
{
	struct msg_query q;

	tu_reset(&pkt);
	tu_header(&pkt, 7, WIRE_FLAG_RD, 0, 0, 0, 0);
	parse_expect(&q, MSG_QUERY_FORMERR);
	ck_assert(!q.has_question);
	ck_assert_uint_eq(q.id, 7);

	tu_reset(&pkt);
	tu_header(&pkt, 7, WIRE_FLAG_RD, 2, 0, 0, 0);
	tu_question(&pkt, "a.example", WIRE_TYPE_A, WIRE_CLASS_IN);
	tu_question(&pkt, "b.example", WIRE_TYPE_A, WIRE_CLASS_IN);
	parse_expect(&q, MSG_QUERY_FORMERR);
	ck_assert(!q.has_question);
}
END_TEST

START_TEST(test_query_truncated_question)
{
	struct msg_query q;

	tu_query(&pkt, "www.example.com", WIRE_TYPE_A, 0);
	/* Cut inside QCLASS, inside QTYPE, inside the name. */
	for (size_t cut = 1; cut <= 4 + 10; cut++) {
		ck_assert_int_eq(msg_parse_query(pkt.b, pkt.len - cut, &q),
				 MSG_QUERY_FORMERR);
		ck_assert(!q.has_question);
	}
	/* The header alone with QDCOUNT 1. */
	ck_assert_int_eq(msg_parse_query(pkt.b, WIRE_HEADER_LEN, &q),
			 MSG_QUERY_FORMERR);
}
END_TEST

START_TEST(test_query_pointer_loop)
{
	struct msg_query q;
	uint8_t buf[64];
	size_t len = tu_load_hex("query_pointer_loop.hex", buf, sizeof(buf));

	ck_assert_uint_eq(len, 20);
	ck_assert_int_eq(msg_parse_query(buf, len, &q), MSG_QUERY_FORMERR);
	ck_assert_uint_eq(q.id, 0x42);
	ck_assert(!q.has_question);
}
END_TEST

START_TEST(test_query_two_opts)
{
	struct msg_query q;

	tu_reset(&pkt);
	tu_header(&pkt, 1, 0, 1, 0, 0, 2);
	tu_question(&pkt, "example.com", WIRE_TYPE_A, WIRE_CLASS_IN);
	tu_opt(&pkt, 4096, 0, 0, false);
	tu_opt(&pkt, 4096, 0, 0, false);
	parse_expect(&q, MSG_QUERY_FORMERR);
	/* RFC 6891 §6.1.1: the FORMERR carries no OPT. */
	ck_assert(!q.edns);
}
END_TEST

START_TEST(test_query_opt_in_answer)
{
	struct msg_query q;

	tu_reset(&pkt);
	tu_header(&pkt, 1, 0, 1, 1, 0, 0);
	tu_question(&pkt, "example.com", WIRE_TYPE_A, WIRE_CLASS_IN);
	tu_opt(&pkt, 4096, 0, 0, false);
	parse_expect(&q, MSG_QUERY_FORMERR);

	tu_reset(&pkt);
	tu_header(&pkt, 1, 0, 1, 0, 1, 0);
	tu_question(&pkt, "example.com", WIRE_TYPE_A, WIRE_CLASS_IN);
	tu_opt(&pkt, 4096, 0, 0, false);
	parse_expect(&q, MSG_QUERY_FORMERR);
}
END_TEST

START_TEST(test_query_opt_owner)
{
	struct msg_query q;
	size_t at;

	tu_reset(&pkt);
	tu_header(&pkt, 1, 0, 1, 0, 0, 1);
	tu_question(&pkt, "example.com", WIRE_TYPE_A, WIRE_CLASS_IN);
	at = tu_rr_head(&pkt, "example.com", WIRE_TYPE_OPT, 4096, 0);
	tu_rr_end(&pkt, at);
	parse_expect(&q, MSG_QUERY_FORMERR);
	ck_assert(!q.edns);
}
END_TEST

START_TEST(test_query_qtype_opt)
{
	struct msg_query q;

	tu_query(&pkt, "example.com", WIRE_TYPE_OPT, 0);
	parse_expect(&q, MSG_QUERY_FORMERR);
	ck_assert(q.has_question);
}
END_TEST

START_TEST(test_query_truncated_rr)
{
	struct msg_query q;

	/* ARCOUNT 1 without the record, then a record cut short. */
	tu_reset(&pkt);
	tu_header(&pkt, 1, 0, 1, 0, 0, 1);
	tu_question(&pkt, "example.com", WIRE_TYPE_A, WIRE_CLASS_IN);
	parse_expect(&q, MSG_QUERY_FORMERR);
	tu_opt(&pkt, 1232, 0, 0, false);
	ck_assert_int_eq(msg_parse_query(pkt.b, pkt.len - 1, &q),
			 MSG_QUERY_FORMERR);
	parse_expect(&q, MSG_QUERY_OK);
}
END_TEST

START_TEST(test_query_other_additional)
{
	struct msg_query q;
	size_t at;

	/* A non-OPT additional record (e.g. a TSIG-like RR) is skipped. */
	tu_reset(&pkt);
	tu_header(&pkt, 1, 0, 1, 0, 0, 2);
	tu_question(&pkt, "example.com", WIRE_TYPE_A, WIRE_CLASS_IN);
	at = tu_rr_head(&pkt, "key.example", 250, 255, 0);
	tu_u32(&pkt, 0xdeadbeef);
	tu_rr_end(&pkt, at);
	tu_opt(&pkt, 1400, 0, 0, true);
	parse_expect(&q, MSG_QUERY_OK);
	ck_assert(q.edns);
	ck_assert_uint_eq(q.edns_payload, 1400);
}
END_TEST

START_TEST(test_query_notimp)
{
	static const unsigned opcodes[] = {1, 2, 4, 5, 15};
	struct tu_qopt o = tu_qopt_default();
	struct msg_query q;

	for (size_t i = 0; i < sizeof(opcodes) / sizeof(opcodes[0]); i++) {
		o.flags = (uint16_t)(WIRE_FLAG_RD | opcodes[i] << 11);
		tu_query_opt(&pkt, "example.com", WIRE_TYPE_A, &o);
		parse_expect(&q, MSG_QUERY_NOTIMP);
		ck_assert_uint_eq(WIRE_OPCODE(q.flags), opcodes[i]);
		ck_assert(q.has_question);
	}
}
END_TEST

START_TEST(test_query_badvers)
{
	struct tu_qopt o = tu_qopt_default();
	struct msg_query q;

	o.edns = true;
	o.payload = 1232;
	o.version = 1;
	tu_query_opt(&pkt, "example.com", WIRE_TYPE_A, &o);
	parse_expect(&q, MSG_QUERY_BADVERS);
	ck_assert(q.edns);
	ck_assert_uint_eq(q.edns_version, 1);
	ck_assert(q.has_question);
}
END_TEST

START_TEST(test_query_edns_fields)
{
	struct tu_qopt o = tu_qopt_default();
	struct msg_query q;

	o.edns = true;
	o.payload = 4096;
	o.do_bit = true;
	tu_query_opt(&pkt, "example.com", WIRE_TYPE_A, &o);
	parse_expect(&q, MSG_QUERY_OK);
	ck_assert(q.edns);
	ck_assert(q.edns_do);
	ck_assert_uint_eq(q.edns_payload, 4096);
	ck_assert_uint_eq(q.edns_version, 0);

	o.payload = 0;
	o.do_bit = false;
	tu_query_opt(&pkt, "example.com", WIRE_TYPE_A, &o);
	parse_expect(&q, MSG_QUERY_OK);
	ck_assert(q.edns);
	ck_assert(!q.edns_do);
	ck_assert_uint_eq(q.edns_payload, 0);
}
END_TEST

/* ---- msg_udp_limit ----------------------------------------------------- */

START_TEST(test_udp_limit)
{
	static const struct {
		uint16_t payload; /* 0: no EDNS */
		size_t limit;
	} cases[] = {
	    {0, 512},	  {1, 512},	{511, 512},   {512, 512},    {513, 513},
	    {1232, 1232}, {4096, 4096}, {4097, 4096}, {65535, 4096},
	};
	struct msg_query q;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		query_ok(&q, "example.com", WIRE_TYPE_A, cases[i].payload);
		ck_assert_uint_eq(msg_udp_limit(&q), cases[i].limit);
	}
	/* EDNS with a payload of 0 still means 512. */
	{
		struct tu_qopt o = tu_qopt_default();

		o.edns = true;
		tu_query_opt(&pkt, "example.com", WIRE_TYPE_A, &o);
		parse_expect(&q, MSG_QUERY_OK);
		ck_assert_uint_eq(msg_udp_limit(&q), 512);
	}
}
END_TEST

/* ---- msg_begin / msg_add_rr / msg_finish -------------------------------- */

/* Adds an A RR for owner @name in section @s. */
static bool
add_a(struct msg_builder *b, enum msg_section s, const char *name,
      const char *addr, uint32_t ttl)
{
	uint8_t owner[WIRE_MAX_NAME_LEN], rd[4];
	size_t olen = tu_name(name, owner);

	tu_rdata_a(addr, rd);
	return msg_add_rr(b, s, owner, olen, WIRE_TYPE_A, WIRE_CLASS_IN, ttl,
			  rd, 4);
}

/* Adds a TXT RR of @n bytes of text for @name in section @s. */
static bool
add_txt(struct msg_builder *b, enum msg_section s, const char *name, size_t n)
{
	uint8_t owner[WIRE_MAX_NAME_LEN], rd[256];
	size_t olen = tu_name(name, owner);
	uint16_t rdlen = tu_rdata_txt('t', n, rd);

	return msg_add_rr(b, s, owner, olen, WIRE_TYPE_TXT, WIRE_CLASS_IN, 60,
			  rd, rdlen);
}

START_TEST(test_build_answer)
{
	struct msg_builder b;
	struct msg_query q;
	size_t len;

	query_ok(&q, "www.Example.COM", WIRE_TYPE_A, 0);
	msg_begin(&b, &q, out, sizeof(out), 512);
	ck_assert(add_a(&b, MSG_ANSWER, "www.example.com", "192.0.2.1", 300));
	ck_assert(add_a(&b, MSG_ANSWER, "www.example.com", "192.0.2.2", 300));
	len = msg_finish(&b, WIRE_FLAG_AA | WIRE_FLAG_RA, WIRE_RCODE_NOERROR);
	/* header + question (17 + 4) + 2 * (pointer + 10 + 4) */
	ck_assert_uint_eq(len, 12 + 21 + 2 * 16);
	ck_assert_uint_eq(tu_get16(out), 0x1234);
	ck_assert_uint_eq(tu_get16(out + 2), WIRE_FLAG_QR | WIRE_FLAG_AA |
						 WIRE_FLAG_RD | WIRE_FLAG_RA);
	ck_assert_uint_eq(tu_get16(out + 4), 1);
	ck_assert_uint_eq(tu_get16(out + 6), 2);
	ck_assert_uint_eq(tu_get16(out + 8), 0);
	ck_assert_uint_eq(tu_get16(out + 10), 0);
	/* The question exactly as sent, case included. */
	ck_assert_mem_eq(out + 12, pkt.b + 12, 21);
	/* Owner == qname: a pointer to offset 12. */
	ck_assert_uint_eq(out[33], 0xc0);
	ck_assert_uint_eq(out[34], 0x0c);
	tu_parse_ok(out, len, &resp);
	ck_assert_uint_eq(resp.n_rrs, 2);
	ck_assert(tu_name_is(resp.rr[0].owner, resp.rr[0].owner_len,
			     "www.Example.COM"));
	ck_assert_uint_eq(resp.rr[1].ttl, 300);
	ck_assert_uint_eq(resp.rr[1].rdlen, 4);
	ck_assert_mem_eq(out + resp.rr[1].rdata_off, "\xc0\0\2\2", 4);
}
END_TEST

START_TEST(test_build_compress_suffix)
{
	static const struct {
		const char *owner;
		size_t prefix; /* bytes written before the pointer */
		int ptr;       /* pointer target, -1: none */
	} cases[] = {
	    {"www.example.com", 0, 12},	 {"WWW.EXAMPLE.COM", 0, 12},
	    {"mail.example.com", 5, 16}, {"example.com", 0, 16},
	    {"a.b.EXAMPLE.com", 4, 16},	 {"com", 0, 24},
	    {"other.org", 11, -1},	 {".", 1, -1},
	    {"xexample.com", 9, 24},
	};
	struct msg_builder b;
	struct msg_query q;
	size_t len, n = sizeof(cases) / sizeof(cases[0]);

	query_ok(&q, "www.example.com", WIRE_TYPE_A, 0);
	msg_begin(&b, &q, out, sizeof(out), sizeof(out));
	for (size_t i = 0; i < n; i++)
		ck_assert(
		    add_a(&b, MSG_ANSWER, cases[i].owner, "192.0.2.1", 60));
	len = msg_finish(&b, 0, WIRE_RCODE_NOERROR);
	tu_parse_ok(out, len, &resp);
	ck_assert_uint_eq(resp.n_rrs, n);
	for (size_t i = 0; i < n; i++) {
		const struct tu_rr *rr = &resp.rr[i];
		const uint8_t *p = out + rr->owner_off + cases[i].prefix;

		if (cases[i].ptr < 0) {
			ck_assert_uint_eq(rr->rdata_off - 10 - rr->owner_off,
					  cases[i].prefix);
		} else {
			ck_assert_msg(p[0] == 0xc0 && p[1] == cases[i].ptr,
				      "%s: no pointer to %d", cases[i].owner,
				      cases[i].ptr);
		}
		/* Names compare equal whatever case the pointer gives. */
		{
			uint8_t w[WIRE_MAX_NAME_LEN];
			size_t wl = tu_name(cases[i].owner, w);

			ck_assert(
			    wire_name_equal(rr->owner, rr->owner_len, w, wl));
		}
	}
}
END_TEST

START_TEST(test_build_truncation)
{
	struct msg_builder b;
	struct msg_query q;
	unsigned added = 0;
	size_t len;

	query_ok(&q, "www.example.com", WIRE_TYPE_TXT, 0);
	msg_begin(&b, &q, out, sizeof(out), msg_udp_limit(&q));
	/* Each RR is 2 + 10 + 101 = 113 bytes: four fit in 512. */
	while (add_txt(&b, MSG_ANSWER, "www.example.com", 100))
		added++;
	ck_assert_uint_eq(added, 4);
	ck_assert(b.truncated);
	/* Nothing is added once truncated, not even a small RR. */
	ck_assert(!add_a(&b, MSG_AUTHORITY, "example.com", "192.0.2.1", 1));
	ck_assert(!add_a(&b, MSG_ADDITIONAL, "example.com", "192.0.2.1", 1));
	len = msg_finish(&b, WIRE_FLAG_AA, WIRE_RCODE_NOERROR);
	/* RFC 2181 §9: TC set, sections emptied, the question kept. */
	ck_assert_uint_eq(len, 12 + 21);
	ck_assert_uint_eq(tu_get16(out + 2) & WIRE_FLAG_TC, WIRE_FLAG_TC);
	ck_assert_uint_eq(tu_get16(out + 2) & WIRE_FLAG_AA, WIRE_FLAG_AA);
	ck_assert_uint_eq(tu_get16(out + 4), 1);
	ck_assert_uint_eq(tu_get16(out + 6), 0);
	ck_assert_uint_eq(tu_get16(out + 8), 0);
	ck_assert_uint_eq(tu_get16(out + 10), 0);
	tu_parse_ok(out, len, &resp);
}
END_TEST

START_TEST(test_build_truncation_edns)
{
	struct msg_builder b;
	struct msg_query q;
	size_t len;

	query_ok(&q, "www.example.com", WIRE_TYPE_TXT, 600);
	msg_begin(&b, &q, out, sizeof(out), msg_udp_limit(&q));
	while (add_txt(&b, MSG_ANSWER, "www.example.com", 100))
		;
	len = msg_finish(&b, 0, WIRE_RCODE_NOERROR);
	/* The OPT RR survives truncation. */
	ck_assert_uint_eq(len, 12 + 21 + MSG_OPT_LEN);
	tu_parse_ok(out, len, &resp);
	ck_assert(resp.flags & WIRE_FLAG_TC);
	ck_assert_uint_eq(resp.count[MSG_ANSWER], 0);
	ck_assert_uint_eq(resp.count[MSG_ADDITIONAL], 1);
	ck_assert(resp.has_opt);
}
END_TEST

START_TEST(test_build_additional_overflow)
{
	struct msg_builder b;
	struct msg_query q;
	unsigned added = 0;
	size_t len;

	query_ok(&q, "www.example.com", WIRE_TYPE_A, 0);
	msg_begin(&b, &q, out, sizeof(out), 512);
	ck_assert(add_a(&b, MSG_ANSWER, "www.example.com", "192.0.2.1", 60));
	ck_assert(add_a(&b, MSG_AUTHORITY, "example.com", "192.0.2.1", 60));
	while (add_txt(&b, MSG_ADDITIONAL, "x.example.com", 200))
		added++;
	ck_assert_uint_eq(added, 2);
	len = msg_finish(&b, WIRE_FLAG_AA, WIRE_RCODE_NOERROR);
	ck_assert_uint_le(len, 512);
	tu_parse_ok(out, len, &resp);
	/* RFC 2181 §9: a missing additional record needs no TC. */
	ck_assert_uint_eq(resp.flags & WIRE_FLAG_TC, 0);
	ck_assert_uint_eq(resp.count[MSG_ANSWER], 1);
	ck_assert_uint_eq(resp.count[MSG_AUTHORITY], 1);
	ck_assert_uint_eq(resp.count[MSG_ADDITIONAL], 2);
}
END_TEST

START_TEST(test_build_limit_with_opt)
{
	/* Whatever fills the message, the OPT RR fits inside the limit. */
	for (size_t n = 1; n <= 255; n += 7) {
		struct msg_builder b;
		struct msg_query q;
		size_t len;

		query_ok(&q, "www.example.com", WIRE_TYPE_A, 512);
		msg_begin(&b, &q, out, sizeof(out), msg_udp_limit(&q));
		ck_assert(
		    add_a(&b, MSG_ANSWER, "www.example.com", "192.0.2.1", 60));
		while (add_txt(&b, MSG_ADDITIONAL, "x.example.com", n))
			;
		len = msg_finish(&b, 0, WIRE_RCODE_NOERROR);
		ck_assert_uint_le(len, 512);
		ck_assert_uint_gt(len, 512 - (n + 1 + 15 + 10));
		tu_parse_ok(out, len, &resp);
		ck_assert(resp.has_opt);
		ck_assert_uint_eq(resp.flags & WIRE_FLAG_TC, 0);
	}
}
END_TEST

START_TEST(test_build_cap_smaller_than_limit)
{
	struct msg_builder b;
	struct msg_query q;
	size_t len;

	query_ok(&q, "www.example.com", WIRE_TYPE_TXT, 4096);
	msg_begin(&b, &q, out, 300, msg_udp_limit(&q));
	while (add_txt(&b, MSG_ANSWER, "www.example.com", 100))
		;
	len = msg_finish(&b, 0, WIRE_RCODE_NOERROR);
	ck_assert_uint_le(len, 300);
	tu_parse_ok(out, len, &resp);
	ck_assert(resp.flags & WIRE_FLAG_TC);
	ck_assert(resp.has_opt);
}
END_TEST

START_TEST(test_build_opt)
{
	struct tu_qopt o = tu_qopt_default();
	struct msg_builder b;
	struct msg_query q;
	size_t len;

	o.edns = true;
	o.payload = 4096;
	o.do_bit = true;
	tu_query_opt(&pkt, "example.com", WIRE_TYPE_A, &o);
	parse_expect(&q, MSG_QUERY_OK);
	msg_begin(&b, &q, out, sizeof(out), msg_udp_limit(&q));
	len = msg_finish(&b, WIRE_FLAG_AA, WIRE_RCODE_NXDOMAIN);
	ck_assert_uint_eq(len, 12 + 17 + MSG_OPT_LEN);
	/* RFC 6891 §6.1.2: root owner, type OPT, our payload, DO echoed
	 * (RFC 3225 §3), no options. */
	ck_assert_mem_eq(out + len - MSG_OPT_LEN,
			 "\0\0\x29\x04\xd0\0\0\x80\0\0\0", MSG_OPT_LEN);
	tu_parse_ok(out, len, &resp);
	ck_assert(resp.has_opt);
	ck_assert_uint_eq(resp.opt_payload, MSG_EDNS_PAYLOAD);
	ck_assert_uint_eq(resp.opt_ttl, 0x8000);
	ck_assert_uint_eq(resp.rcode, WIRE_RCODE_NXDOMAIN);
	ck_assert_uint_eq(resp.count[MSG_ADDITIONAL], 1);

	o.do_bit = false;
	tu_query_opt(&pkt, "example.com", WIRE_TYPE_A, &o);
	parse_expect(&q, MSG_QUERY_OK);
	msg_begin(&b, &q, out, sizeof(out), msg_udp_limit(&q));
	len = msg_finish(&b, 0, WIRE_RCODE_NOERROR);
	tu_parse_ok(out, len, &resp);
	ck_assert(resp.has_opt);
	ck_assert_uint_eq(resp.opt_ttl, 0);
}
END_TEST

START_TEST(test_build_no_opt_without_edns)
{
	struct msg_builder b;
	struct msg_query q;
	size_t len;

	query_ok(&q, "example.com", WIRE_TYPE_A, 0);
	msg_begin(&b, &q, out, sizeof(out), 512);
	len = msg_finish(&b, 0, WIRE_RCODE_NOERROR);
	ck_assert_uint_eq(len, 12 + 17);
	tu_parse_ok(out, len, &resp);
	ck_assert(!resp.has_opt);
	ck_assert_uint_eq(resp.count[MSG_ADDITIONAL], 0);
}
END_TEST

START_TEST(test_build_badvers)
{
	struct msg_builder b;
	struct msg_query q;
	size_t len;

	query_ok(&q, "example.com", WIRE_TYPE_A, 1232);
	msg_begin(&b, &q, out, sizeof(out), msg_udp_limit(&q));
	len = msg_finish(&b, 0, WIRE_RCODE_BADVERS);
	/* RFC 6891 §6.1.3: header RCODE 0, upper 8 bits (1) in the OPT. */
	ck_assert_uint_eq(WIRE_RCODE(tu_get16(out + 2)), 0);
	tu_parse_ok(out, len, &resp);
	ck_assert(resp.has_opt);
	ck_assert_uint_eq(resp.opt_ttl >> 24, 1);
	ck_assert_uint_eq(resp.rcode, WIRE_RCODE_BADVERS);
}
END_TEST

START_TEST(test_build_flags)
{
	struct tu_qopt o = tu_qopt_default();
	struct msg_builder b;
	struct msg_query q;

	/* RD and CD are copied; AD, TC and Z of the query are not. */
	o.flags =
	    WIRE_FLAG_RD | WIRE_FLAG_CD | WIRE_FLAG_AD | WIRE_FLAG_TC | 0x0040u;
	tu_query_opt(&pkt, "example.com", WIRE_TYPE_A, &o);
	parse_expect(&q, MSG_QUERY_OK);
	msg_begin(&b, &q, out, sizeof(out), 512);
	msg_finish(&b, WIRE_FLAG_RA, WIRE_RCODE_SERVFAIL);
	ck_assert_uint_eq(tu_get16(out + 2), WIRE_FLAG_QR | WIRE_FLAG_RD |
						 WIRE_FLAG_CD | WIRE_FLAG_RA |
						 WIRE_RCODE_SERVFAIL);
	o.flags = 0;
	tu_query_opt(&pkt, "example.com", WIRE_TYPE_A, &o);
	parse_expect(&q, MSG_QUERY_OK);
	msg_begin(&b, &q, out, sizeof(out), 512);
	msg_finish(&b, 0, WIRE_RCODE_NOERROR);
	ck_assert_uint_eq(tu_get16(out + 2), WIRE_FLAG_QR);
}
END_TEST

/* ---- msg_error --------------------------------------------------------- */

START_TEST(test_error_no_question)
{
	struct msg_query q;
	size_t len;

	tu_reset(&pkt);
	tu_header(&pkt, 0xabcd, WIRE_FLAG_RD, 2, 0, 0, 0);
	parse_expect(&q, MSG_QUERY_FORMERR);
	len = msg_error(&q, WIRE_RCODE_FORMERR, out, sizeof(out));
	ck_assert_uint_eq(len, WIRE_HEADER_LEN);
	tu_parse_ok(out, len, &resp);
	ck_assert_uint_eq(resp.id, 0xabcd);
	ck_assert(resp.flags & WIRE_FLAG_QR);
	ck_assert_uint_eq(resp.rcode, WIRE_RCODE_FORMERR);
	ck_assert_uint_eq(resp.qdcount, 0);
}
END_TEST

START_TEST(test_error_with_question)
{
	struct tu_qopt o = tu_qopt_default();
	struct msg_query q;
	size_t len;

	o.flags = WIRE_FLAG_RD | 5u << 11; /* UPDATE */
	tu_query_opt(&pkt, "Example.com", WIRE_TYPE_SOA, &o);
	parse_expect(&q, MSG_QUERY_NOTIMP);
	len = msg_error(&q, WIRE_RCODE_NOTIMP, out, sizeof(out));
	ck_assert_uint_eq(len, pkt.len);
	tu_parse_ok(out, len, &resp);
	ck_assert_uint_eq(resp.rcode, WIRE_RCODE_NOTIMP);
	ck_assert_uint_eq(WIRE_OPCODE(resp.flags), 5);
	ck_assert_uint_eq(resp.qdcount, 1);
	ck_assert_mem_eq(out + 12, pkt.b + 12, pkt.len - 12);
}
END_TEST

START_TEST(test_error_badvers)
{
	struct tu_qopt o = tu_qopt_default();
	struct msg_query q;
	size_t len;

	o.edns = true;
	o.payload = 4096;
	o.version = 1;
	o.do_bit = true;
	tu_query_opt(&pkt, "example.com", WIRE_TYPE_A, &o);
	parse_expect(&q, MSG_QUERY_BADVERS);
	len = msg_error(&q, WIRE_RCODE_BADVERS, out, sizeof(out));
	tu_parse_ok(out, len, &resp);
	ck_assert(resp.has_opt);
	ck_assert_uint_eq(resp.rcode, WIRE_RCODE_BADVERS);
	ck_assert_uint_eq(WIRE_RCODE(resp.flags), 0);
	/* Our version (0) in the OPT, RFC 6891 §6.1.3. */
	ck_assert_uint_eq((resp.opt_ttl >> 16) & 0xffu, 0);
}
END_TEST

START_TEST(test_error_small_cap)
{
	struct msg_query q;

	query_ok(&q, "example.com", WIRE_TYPE_A, 0);
	ck_assert_uint_eq(msg_error(&q, WIRE_RCODE_SERVFAIL, out, 11), 0);
	ck_assert_uint_eq(msg_error(&q, WIRE_RCODE_SERVFAIL, out, 0), 0);
}
END_TEST

/* ---- msg_build_upstream ------------------------------------------------ */

START_TEST(test_upstream_query)
{
	struct tu_qopt o = tu_qopt_default();
	uint8_t name[WIRE_MAX_NAME_LEN];
	struct msg_query q, up;
	size_t nlen = tu_name("a.example.net", name), len;

	o.flags = WIRE_FLAG_CD; /* and no RD */
	o.edns = true;
	o.payload = 512;
	o.do_bit = true;
	tu_query_opt(&pkt, "WWW.example.com", WIRE_TYPE_A, &o);
	parse_expect(&q, MSG_QUERY_OK);
	len = msg_build_upstream(&q, name, nlen, WIRE_TYPE_AAAA, out,
				 sizeof(out));
	ck_assert_uint_eq(len, 12 + nlen + 4 + MSG_OPT_LEN);
	ck_assert_uint_eq(tu_get16(out), 0);
	ck_assert_uint_eq(tu_get16(out + 2), WIRE_FLAG_RD | WIRE_FLAG_CD);
	ck_assert_mem_eq(out + 12, name, nlen);
	ck_assert_int_eq(msg_parse_query(out, len, &up), MSG_QUERY_OK);
	ck_assert_uint_eq(up.qtype, WIRE_TYPE_AAAA);
	ck_assert_uint_eq(up.qclass, WIRE_CLASS_IN);
	ck_assert(up.edns);
	ck_assert(up.edns_do);
	ck_assert_uint_eq(up.edns_payload, MSG_EDNS_PAYLOAD);

	/* No CD, no DO. */
	query_ok(&q, "www.example.com", WIRE_TYPE_A, 0);
	len = msg_build_upstream(&q, name, nlen, WIRE_TYPE_A, out, sizeof(out));
	ck_assert_uint_eq(tu_get16(out + 2), WIRE_FLAG_RD);
	ck_assert_int_eq(msg_parse_query(out, len, &up), MSG_QUERY_OK);
	ck_assert(up.edns);
	ck_assert(!up.edns_do);
}
END_TEST

START_TEST(test_upstream_small_cap)
{
	uint8_t name[WIRE_MAX_NAME_LEN];
	struct msg_query q;
	size_t nlen = tu_name("example.net", name);

	query_ok(&q, "example.net", WIRE_TYPE_A, 0);
	ck_assert_uint_eq(msg_build_upstream(&q, name, nlen, WIRE_TYPE_A, out,
					     12 + nlen + 4 + MSG_OPT_LEN - 1),
			  0);
	ck_assert_uint_eq(msg_build_upstream(&q, name, nlen, WIRE_TYPE_A, out,
					     12 + nlen + 4 + MSG_OPT_LEN),
			  12 + nlen + 4 + MSG_OPT_LEN);
}
END_TEST

/* ---- msg_parse_reply --------------------------------------------------- */

static void
want_rr(const char *owner, uint16_t type, uint32_t ttl, const uint8_t *rd,
	uint16_t rdlen)
{
	size_t at = tu_rr_head(&want, owner, type, WIRE_CLASS_IN, ttl);

	tu_bytes(&want, rd, rdlen);
	tu_rr_end(&want, at);
}

static void
want_name_rr(const char *owner, uint16_t type, uint32_t ttl, const char *target)
{
	uint8_t rd[WIRE_MAX_NAME_LEN];

	want_rr(owner, type, ttl, rd, tu_rdata_name(target, rd));
}

static void
want_a(const char *owner, uint32_t ttl, const char *addr)
{
	uint8_t rd[4];

	want_rr(owner, WIRE_TYPE_A, ttl, rd, tu_rdata_a(addr, rd));
}

/* Expected normalization of reply_cname_chain.hex. */
static void
want_cname_chain(void)
{
	tu_reset(&want);
	want_name_rr("www.example.com", WIRE_TYPE_CNAME, 3600, "a.example.net");
	want_name_rr("a.example.net", WIRE_TYPE_CNAME, 300, "b.example.net");
	want_a("b.example.net", 60, "192.0.2.1");
	want_name_rr("example.net", WIRE_TYPE_NS, 86400, "ns1.example.net");
	want_a("ns1.example.net", 86400, "198.51.100.1");
}

static int
parse_reply(const uint8_t *buf, size_t len, const char *qname, uint16_t type,
	    size_t cap, struct msg_reply *r)
{
	uint8_t name[WIRE_MAX_NAME_LEN];
	size_t nlen = tu_name(qname, name);

	return msg_parse_reply(buf, len, name, nlen, type, rrs, cap, r);
}

START_TEST(test_reply_cname_chain)
{
	uint8_t buf[512];
	size_t len = tu_load_hex("reply_cname_chain.hex", buf, sizeof(buf));
	struct msg_reply r;

	ck_assert_uint_eq(len, 137);
	ck_assert_int_eq(parse_reply(buf, len, "www.example.com", WIRE_TYPE_A,
				     sizeof(rrs), &r),
			 VPC_OK);
	ck_assert_uint_eq(r.flags, 0x8180);
	ck_assert_uint_eq(r.rcode, WIRE_RCODE_NOERROR);
	ck_assert_uint_eq(r.count[MSG_ANSWER], 3);
	ck_assert_uint_eq(r.count[MSG_AUTHORITY], 1);
	/* The OPT RR is not kept. */
	ck_assert_uint_eq(r.count[MSG_ADDITIONAL], 1);
	ck_assert_uint_eq(r.min_ttl, 60);
	ck_assert(!r.has_soa);
	want_cname_chain();
	ck_assert_uint_eq(r.rrs_len, want.len);
	ck_assert_mem_eq(rrs, want.b, want.len);
}
END_TEST

START_TEST(test_reply_question_case)
{
	uint8_t buf[512];
	size_t len = tu_load_hex("reply_cname_chain.hex", buf, sizeof(buf));
	struct msg_reply r;

	/* Names compare case-insensitively (0x20 upstream answers). */
	ck_assert_int_eq(parse_reply(buf, len, "WWW.EXAMPLE.com", WIRE_TYPE_A,
				     sizeof(rrs), &r),
			 VPC_OK);
}
END_TEST

START_TEST(test_reply_question_mismatch)
{
	uint8_t buf[512];
	size_t len = tu_load_hex("reply_cname_chain.hex", buf, sizeof(buf));
	struct msg_reply r;

	ck_assert_int_eq(parse_reply(buf, len, "ww.example.com", WIRE_TYPE_A,
				     sizeof(rrs), &r),
			 VPC_EMALFORMED);
	ck_assert_int_eq(parse_reply(buf, len, "www.example.com",
				     WIRE_TYPE_AAAA, sizeof(rrs), &r),
			 VPC_EMALFORMED);
}
END_TEST

START_TEST(test_reply_not_response)
{
	uint8_t buf[512];
	size_t len = tu_load_hex("reply_cname_chain.hex", buf, sizeof(buf));
	struct msg_reply r;

	buf[2] &= 0x7f; /* clear QR */
	ck_assert_int_eq(parse_reply(buf, len, "www.example.com", WIRE_TYPE_A,
				     sizeof(rrs), &r),
			 VPC_EMALFORMED);
	buf[2] |= 0x80;
	buf[5] = 0; /* QDCOUNT 0 */
	ck_assert_int_eq(parse_reply(buf, len, "www.example.com", WIRE_TYPE_A,
				     sizeof(rrs), &r),
			 VPC_EMALFORMED);
	buf[5] = 1;
	ck_assert_int_eq(parse_reply(buf, 11, "www.example.com", WIRE_TYPE_A,
				     sizeof(rrs), &r),
			 VPC_EMALFORMED);
}
END_TEST

START_TEST(test_reply_truncated)
{
	uint8_t buf[512];
	size_t len = tu_load_hex("reply_cname_chain.hex", buf, sizeof(buf));
	struct msg_reply r;

	/* Any cut before the OPT makes a record or the question short. */
	for (size_t cut = 12; cut < 126; cut++)
		ck_assert_int_eq(parse_reply(buf, cut, "www.example.com",
					     WIRE_TYPE_A, sizeof(rrs), &r),
				 VPC_EMALFORMED);
	(void)len;
}
END_TEST

START_TEST(test_reply_pointer_loop)
{
	uint8_t buf[128];
	size_t len = tu_load_hex("reply_pointer_loop.hex", buf, sizeof(buf));
	struct msg_reply r;

	ck_assert_uint_eq(len, 49);
	ck_assert_int_eq(parse_reply(buf, len, "www.example.com", WIRE_TYPE_A,
				     sizeof(rrs), &r),
			 VPC_EMALFORMED);
}
END_TEST

/* Starts a reply in pkt: header with the counts, question @qname/@type. */
static void
reply_start(const char *qname, uint16_t type, unsigned rcode, unsigned an,
	    unsigned ns, unsigned ar)
{
	tu_reset(&pkt);
	tu_header(&pkt, 0x1111, 0x8180u | rcode, 1, an, ns, ar);
	tu_question(&pkt, qname, type, WIRE_CLASS_IN);
}

START_TEST(test_reply_opt_dropped_extended_rcode)
{
	struct msg_reply r;
	size_t at;

	reply_start("www.example.com", WIRE_TYPE_A, 0, 1, 0, 3);
	at = tu_rr_head(&pkt, "www.example.com", WIRE_TYPE_A, 1, 30);
	tu_u32(&pkt, 0xc0000201);
	tu_rr_end(&pkt, at);
	at = tu_rr_head(&pkt, "x.example.com", WIRE_TYPE_A, 1, 30);
	tu_u32(&pkt, 0xc0000202);
	tu_rr_end(&pkt, at);
	tu_opt(&pkt, 1232, 1, 0, false);
	/* Everything after the OPT is dropped. */
	at = tu_rr_head(&pkt, "y.example.com", WIRE_TYPE_A, 1, 5);
	tu_u32(&pkt, 0xc0000203);
	tu_rr_end(&pkt, at);
	ck_assert_int_eq(parse_reply(pkt.b, pkt.len, "www.example.com",
				     WIRE_TYPE_A, sizeof(rrs), &r),
			 VPC_OK);
	ck_assert_uint_eq(r.count[MSG_ANSWER], 1);
	ck_assert_uint_eq(r.count[MSG_ADDITIONAL], 1);
	ck_assert_uint_eq(r.rcode, WIRE_RCODE_BADVERS);
	ck_assert_uint_eq(r.min_ttl, 30);
	tu_reset(&want);
	want_a("www.example.com", 30, "192.0.2.1");
	want_a("x.example.com", 30, "192.0.2.2");
	ck_assert_uint_eq(r.rrs_len, want.len);
	ck_assert_mem_eq(rrs, want.b, want.len);
}
END_TEST

START_TEST(test_reply_opt_in_answer)
{
	struct msg_reply r;

	reply_start("www.example.com", WIRE_TYPE_A, 0, 1, 0, 0);
	tu_opt(&pkt, 1232, 0, 0, false);
	ck_assert_int_eq(parse_reply(pkt.b, pkt.len, "www.example.com",
				     WIRE_TYPE_A, sizeof(rrs), &r),
			 VPC_EMALFORMED);
}
END_TEST

START_TEST(test_reply_mx_compressed)
{
	uint8_t rd[64];
	struct msg_reply r;
	size_t at;

	/* example.com MX 10 mail.example.com, both names as pointers. */
	reply_start("example.com", WIRE_TYPE_MX, 0, 1, 0, 0);
	tu_u16(&pkt, 0xc00c);
	tu_u16(&pkt, WIRE_TYPE_MX);
	tu_u16(&pkt, WIRE_CLASS_IN);
	tu_u32(&pkt, 600);
	at = pkt.len;
	tu_u16(&pkt, 0);
	tu_u16(&pkt, 10);
	tu_u8(&pkt, 4);
	tu_bytes(&pkt, "mail", 4);
	tu_u16(&pkt, 0xc00c);
	tu_rr_end(&pkt, at);
	ck_assert_int_eq(parse_reply(pkt.b, pkt.len, "example.com",
				     WIRE_TYPE_MX, sizeof(rrs), &r),
			 VPC_OK);
	rd[0] = 0;
	rd[1] = 10;
	tu_reset(&want);
	want_rr("example.com", WIRE_TYPE_MX, 600, rd,
		(uint16_t)(2 + tu_name("mail.example.com", rd + 2)));
	ck_assert_uint_eq(r.rrs_len, want.len);
	ck_assert_mem_eq(rrs, want.b, want.len);
}
END_TEST

/* An NXDOMAIN reply for nx.example.com with a compressed SOA of TTL @ttl
 * and MINIMUM @minimum in the authority section. */
static void
nxdomain_reply(uint32_t ttl, uint32_t minimum)
{
	const uint32_t v[5] = {2024, 7200, 900, 1209600, minimum};
	size_t at;

	reply_start("nx.example.com", WIRE_TYPE_A, WIRE_RCODE_NXDOMAIN, 0, 1,
		    0);
	tu_u16(&pkt, 0xc00f); /* example.com inside the question */
	tu_u16(&pkt, WIRE_TYPE_SOA);
	tu_u16(&pkt, WIRE_CLASS_IN);
	tu_u32(&pkt, ttl);
	at = pkt.len;
	tu_u16(&pkt, 0);
	tu_u8(&pkt, 3);
	tu_bytes(&pkt, "ns1", 3);
	tu_u16(&pkt, 0xc00f);
	tu_u8(&pkt, 10);
	tu_bytes(&pkt, "hostmaster", 10);
	tu_u16(&pkt, 0xc00f);
	for (int i = 0; i < 5; i++)
		tu_u32(&pkt, v[i]);
	tu_rr_end(&pkt, at);
}

START_TEST(test_reply_soa_negative_ttl)
{
	uint8_t rd[WIRE_MAX_NAME_LEN * 2 + 20];
	struct msg_reply r;

	nxdomain_reply(3600, 300);
	ck_assert_int_eq(parse_reply(pkt.b, pkt.len, "nx.example.com",
				     WIRE_TYPE_A, sizeof(rrs), &r),
			 VPC_OK);
	ck_assert_uint_eq(r.rcode, WIRE_RCODE_NXDOMAIN);
	ck_assert_uint_eq(r.count[MSG_AUTHORITY], 1);
	ck_assert(r.has_soa);
	/* RFC 2308 §5: min(SOA TTL, SOA MINIMUM). */
	ck_assert_uint_eq(r.soa_ttl, 300);
	ck_assert_uint_eq(r.min_ttl, 3600);
	tu_reset(&want);
	want_rr("example.com", WIRE_TYPE_SOA, 3600, rd,
		tu_rdata_soa("ns1.example.com", "hostmaster.example.com", 2024,
			     300, rd));
	ck_assert_uint_eq(r.rrs_len, want.len);
	ck_assert_mem_eq(rrs, want.b, want.len);

	nxdomain_reply(60, 300);
	ck_assert_int_eq(parse_reply(pkt.b, pkt.len, "nx.example.com",
				     WIRE_TYPE_A, sizeof(rrs), &r),
			 VPC_OK);
	ck_assert(r.has_soa);
	ck_assert_uint_eq(r.soa_ttl, 60);
}
END_TEST

START_TEST(test_reply_soa_in_answer)
{
	uint8_t rd[WIRE_MAX_NAME_LEN * 2 + 20];
	struct msg_reply r;
	size_t at;
	uint16_t rdlen;

	reply_start("example.com", WIRE_TYPE_SOA, 0, 1, 0, 0);
	at = tu_rr_head(&pkt, "example.com", WIRE_TYPE_SOA, 1, 3600);
	rdlen = tu_rdata_soa("ns1.example.com", "h.example.com", 1, 5, rd);
	tu_bytes(&pkt, rd, rdlen);
	tu_rr_end(&pkt, at);
	ck_assert_int_eq(parse_reply(pkt.b, pkt.len, "example.com",
				     WIRE_TYPE_SOA, sizeof(rrs), &r),
			 VPC_OK);
	/* Only an authority SOA makes an answer negative. */
	ck_assert(!r.has_soa);
	ck_assert_uint_eq(r.min_ttl, 3600);
}
END_TEST

START_TEST(test_reply_ttl_high_bit)
{
	struct msg_reply r;
	size_t at;

	reply_start("www.example.com", WIRE_TYPE_A, 0, 1, 0, 0);
	at = tu_rr_head(&pkt, "www.example.com", WIRE_TYPE_A, 1, 0x80000000u);
	tu_u32(&pkt, 0xc0000201);
	tu_rr_end(&pkt, at);
	ck_assert_int_eq(parse_reply(pkt.b, pkt.len, "www.example.com",
				     WIRE_TYPE_A, sizeof(rrs), &r),
			 VPC_OK);
	/* RFC 2181 §8: a TTL with the top bit set counts as 0. */
	ck_assert_uint_eq(r.min_ttl, 0);
	ck_assert_uint_eq(tu_get16(rrs + 17 + 4), 0);
	ck_assert_uint_eq(tu_get16(rrs + 17 + 6), 0);
}
END_TEST

START_TEST(test_reply_rdata_overrun)
{
	struct msg_reply r;

	/* A CNAME whose name runs past its RDLENGTH. */
	reply_start("www.example.com", WIRE_TYPE_A, 0, 1, 0, 0);
	tu_u16(&pkt, 0xc00c);
	tu_u16(&pkt, WIRE_TYPE_CNAME);
	tu_u16(&pkt, WIRE_CLASS_IN);
	tu_u32(&pkt, 60);
	tu_u16(&pkt, 2);
	tu_name_text(&pkt, "abc.example");
	ck_assert_int_eq(parse_reply(pkt.b, pkt.len, "www.example.com",
				     WIRE_TYPE_A, sizeof(rrs), &r),
			 VPC_EMALFORMED);
}
END_TEST

START_TEST(test_reply_espace)
{
	uint8_t buf[512];
	size_t len = tu_load_hex("reply_cname_chain.hex", buf, sizeof(buf));
	struct msg_reply r;

	/* The answer section alone needs more than 40 bytes. */
	ck_assert_int_eq(
	    parse_reply(buf, len, "www.example.com", WIRE_TYPE_A, 40, &r),
	    VPC_ESPACE);
}
END_TEST

START_TEST(test_reply_additional_cap)
{
	uint8_t buf[512];
	size_t len = tu_load_hex("reply_cname_chain.hex", buf, sizeof(buf));
	struct msg_reply r;
	size_t kept;

	/* Room for answer and authority and part of the additional RR. */
	want_cname_chain();
	kept = want.len - (17 + 10 + 4);
	ck_assert_int_eq(parse_reply(buf, len, "www.example.com", WIRE_TYPE_A,
				     kept + 20, &r),
			 VPC_OK);
	ck_assert_uint_eq(r.count[MSG_ANSWER], 3);
	ck_assert_uint_eq(r.count[MSG_AUTHORITY], 1);
	ck_assert_uint_eq(r.count[MSG_ADDITIONAL], 0);
	/* rrs_len covers the records kept, not a partial one. */
	ck_assert_uint_eq(r.rrs_len, kept);
	ck_assert_mem_eq(rrs, want.b, kept);
}
END_TEST

/* ---- msg_normalize_rr -------------------------------------------------- */

START_TEST(test_normalize_rfc1035)
{
	/* The RFC 1035 §4.1.4 layout, then an RR at 93: FOO.F.ISI.ARPA
	 * (pointer to 40) CNAME ARPA (pointer to 64, itself a pointer). */
	static const uint8_t rr[] = {0xc0, 40, 0,  5, 0, 1,    0,
				     0,	   0,  60, 0, 2, 0xc0, 64};
	uint8_t buf[128], norm[128];
	size_t len =
	    tu_load_hex("rfc1035_4_1_4_compression.hex", buf, sizeof(buf));
	struct wire_reader r;
	struct wire_writer w;
	uint16_t type;
	uint32_t ttl;

	ck_assert_uint_eq(len, 93);
	memcpy(buf + len, rr, sizeof(rr));
	wire_reader_init(&r, buf, len + sizeof(rr));
	r.pos = 93;
	wire_writer_init(&w, norm, sizeof(norm));
	ck_assert_int_eq(msg_normalize_rr(&r, &w, &type, &ttl), VPC_OK);
	ck_assert_uint_eq(type, WIRE_TYPE_CNAME);
	ck_assert_uint_eq(ttl, 60);
	ck_assert_uint_eq(r.pos, len + sizeof(rr));
	tu_reset(&want);
	want_name_rr("FOO.F.ISI.ARPA", WIRE_TYPE_CNAME, 60, "ARPA");
	ck_assert_uint_eq(w.len, want.len);
	ck_assert_mem_eq(norm, want.b, want.len);
}
END_TEST

START_TEST(test_normalize_opaque_rdata)
{
	/* Unknown types are copied as is, even bytes that look like
	 * pointers (RFC 3597 §4). */
	uint8_t norm[64];
	struct wire_reader r;
	struct wire_writer w;
	uint16_t type;
	uint32_t ttl;
	size_t at;

	tu_reset(&pkt);
	at = tu_rr_head(&pkt, "x.example", 65280, 1, 7);
	tu_u16(&pkt, 0xc000);
	tu_u8(&pkt, 0x40);
	tu_rr_end(&pkt, at);
	wire_reader_init(&r, pkt.b, pkt.len);
	wire_writer_init(&w, norm, sizeof(norm));
	ck_assert_int_eq(msg_normalize_rr(&r, &w, &type, &ttl), VPC_OK);
	ck_assert_uint_eq(type, 65280);
	ck_assert_uint_eq(w.len, pkt.len);
	ck_assert_mem_eq(norm, pkt.b, pkt.len);
}
END_TEST

START_TEST(test_normalize_srv)
{
	uint8_t norm[128], rd[64];
	struct wire_reader r;
	struct wire_writer w;
	uint16_t type;
	uint32_t ttl;
	size_t at;

	/* _sip._udp.example SRV 1 2 5060 host + pointer to "example". */
	tu_reset(&pkt);
	at = tu_rr_head(&pkt, "_sip._udp.example", WIRE_TYPE_SRV, 1, 60);
	tu_u16(&pkt, 1);
	tu_u16(&pkt, 2);
	tu_u16(&pkt, 5060);
	tu_u8(&pkt, 4);
	tu_bytes(&pkt, "host", 4);
	tu_u16(&pkt, 0xc000 | 10);
	tu_rr_end(&pkt, at);
	wire_reader_init(&r, pkt.b, pkt.len);
	wire_writer_init(&w, norm, sizeof(norm));
	ck_assert_int_eq(msg_normalize_rr(&r, &w, &type, &ttl), VPC_OK);
	memcpy(rd, "\0\1\0\2\x13\xc4", 6);
	tu_reset(&want);
	want_rr("_sip._udp.example", WIRE_TYPE_SRV, 60, rd,
		(uint16_t)(6 + tu_name("host.example", rd + 6)));
	ck_assert_uint_eq(w.len, want.len);
	ck_assert_mem_eq(norm, want.b, want.len);
}
END_TEST

START_TEST(test_normalize_errors)
{
	uint8_t norm[16];
	struct wire_reader r;
	struct wire_writer w;
	uint16_t type;
	uint32_t ttl;
	size_t at;

	tu_reset(&pkt);
	at = tu_rr_head(&pkt, "www.example.com", WIRE_TYPE_A, 1, 7);
	tu_u32(&pkt, 0x01020304);
	tu_rr_end(&pkt, at);
	/* Output too small. */
	wire_reader_init(&r, pkt.b, pkt.len);
	wire_writer_init(&w, norm, sizeof(norm));
	ck_assert_int_eq(msg_normalize_rr(&r, &w, &type, &ttl), VPC_ESPACE);
	/* RDATA cut short. */
	wire_reader_init(&r, pkt.b, pkt.len - 1);
	wire_writer_init(&w, rrs, sizeof(rrs));
	ck_assert_int_eq(msg_normalize_rr(&r, &w, &type, &ttl), VPC_ETRUNC);
	/* Fixed part cut short. */
	wire_reader_init(&r, pkt.b, 17 + 9);
	wire_writer_init(&w, rrs, sizeof(rrs));
	ck_assert_int_eq(msg_normalize_rr(&r, &w, &type, &ttl), VPC_ETRUNC);
}
END_TEST

/* ---- msg_add_normalized ------------------------------------------------ */

START_TEST(test_add_normalized_age)
{
	uint8_t buf[512];
	size_t len = tu_load_hex("reply_cname_chain.hex", buf, sizeof(buf));
	static const uint32_t ttls[] = {3500, 200, 0, 86300, 86300};
	struct msg_reply r;
	struct msg_builder b;
	struct msg_query q;

	ck_assert_int_eq(parse_reply(buf, len, "www.example.com", WIRE_TYPE_A,
				     sizeof(rrs), &r),
			 VPC_OK);
	query_ok(&q, "WWW.example.com", WIRE_TYPE_A, 0);
	msg_begin(&b, &q, out, sizeof(out), 512);
	ck_assert_int_eq(msg_add_normalized(&b, rrs, r.rrs_len, r.count, 100, 0),
			 VPC_OK);
	len = msg_finish(&b, WIRE_FLAG_RA, r.rcode);
	tu_parse_ok(out, len, &resp);
	ck_assert_uint_eq(resp.count[MSG_ANSWER], 3);
	ck_assert_uint_eq(resp.count[MSG_AUTHORITY], 1);
	ck_assert_uint_eq(resp.count[MSG_ADDITIONAL], 1);
	ck_assert_uint_eq(resp.n_rrs, 5);
	for (size_t i = 0; i < 5; i++)
		ck_assert_uint_eq(resp.rr[i].ttl, ttls[i]);
	/* The first owner is the qname: a pointer, the client's case. */
	ck_assert_uint_eq(tu_get16(out + resp.rr[0].owner_off), 0xc00c);
	ck_assert(tu_name_is(resp.rr[0].owner, resp.rr[0].owner_len,
			     "WWW.example.com"));
	ck_assert(tu_name_is(resp.rr[0].target, resp.rr[0].target_len,
			     "a.example.net"));
	ck_assert(tu_name_is(resp.rr[1].target, resp.rr[1].target_len,
			     "b.example.net"));
	ck_assert(tu_name_is(resp.rr[3].target, resp.rr[3].target_len,
			     "ns1.example.net"));
	ck_assert_int_eq(resp.rr[2].section, MSG_ANSWER);
	ck_assert_int_eq(resp.rr[3].section, MSG_AUTHORITY);
	ck_assert_int_eq(resp.rr[4].section, MSG_ADDITIONAL);
}
END_TEST

START_TEST(test_add_normalized_malformed)
{
	const uint16_t count[3] = {2, 0, 0};
	const uint16_t one[3] = {1, 0, 0};
	struct msg_builder b;
	struct msg_query q;

	tu_reset(&want);
	want_a("www.example.com", 30, "192.0.2.1");
	query_ok(&q, "www.example.com", WIRE_TYPE_A, 0);
	msg_begin(&b, &q, out, sizeof(out), 512);
	ck_assert_int_eq(msg_add_normalized(&b, want.b, want.len, count, 0, 0),
			 VPC_EMALFORMED);
	msg_begin(&b, &q, out, sizeof(out), 512);
	ck_assert_int_eq(msg_add_normalized(&b, want.b, want.len - 1, one, 0, 0),
			 VPC_EMALFORMED);
	msg_begin(&b, &q, out, sizeof(out), 512);
	ck_assert_int_eq(msg_add_normalized(&b, want.b, want.len, one, 0, 0),
			 VPC_OK);
	ck_assert_uint_eq(b.count[MSG_ANSWER], 1);
}
END_TEST

static Suite *
msg_suite(void)
{
	Suite *s = suite_create("msg");
	TCase *tc;

	tc = tcase_create("parse_query");
	tcase_add_test(tc, test_query_basic);
	tcase_add_test(tc, test_query_short_dropped);
	tcase_add_test(tc, test_query_response_dropped);
	tcase_add_test(tc, test_query_qdcount);
	tcase_add_test(tc, test_query_truncated_question);
	tcase_add_test(tc, test_query_pointer_loop);
	tcase_add_test(tc, test_query_two_opts);
	tcase_add_test(tc, test_query_opt_in_answer);
	tcase_add_test(tc, test_query_opt_owner);
	tcase_add_test(tc, test_query_qtype_opt);
	tcase_add_test(tc, test_query_truncated_rr);
	tcase_add_test(tc, test_query_other_additional);
	tcase_add_test(tc, test_query_notimp);
	tcase_add_test(tc, test_query_badvers);
	tcase_add_test(tc, test_query_edns_fields);
	suite_add_tcase(s, tc);

	tc = tcase_create("udp_limit");
	tcase_add_test(tc, test_udp_limit);
	suite_add_tcase(s, tc);

	tc = tcase_create("build");
	tcase_add_test(tc, test_build_answer);
	tcase_add_test(tc, test_build_compress_suffix);
	tcase_add_test(tc, test_build_truncation);
	tcase_add_test(tc, test_build_truncation_edns);
	tcase_add_test(tc, test_build_additional_overflow);
	tcase_add_test(tc, test_build_limit_with_opt);
	tcase_add_test(tc, test_build_cap_smaller_than_limit);
	tcase_add_test(tc, test_build_opt);
	tcase_add_test(tc, test_build_no_opt_without_edns);
	tcase_add_test(tc, test_build_badvers);
	tcase_add_test(tc, test_build_flags);
	suite_add_tcase(s, tc);

	tc = tcase_create("error");
	tcase_add_test(tc, test_error_no_question);
	tcase_add_test(tc, test_error_with_question);
	tcase_add_test(tc, test_error_badvers);
	tcase_add_test(tc, test_error_small_cap);
	suite_add_tcase(s, tc);

	tc = tcase_create("build_upstream");
	tcase_add_test(tc, test_upstream_query);
	tcase_add_test(tc, test_upstream_small_cap);
	suite_add_tcase(s, tc);

	tc = tcase_create("parse_reply");
	tcase_add_test(tc, test_reply_cname_chain);
	tcase_add_test(tc, test_reply_question_case);
	tcase_add_test(tc, test_reply_question_mismatch);
	tcase_add_test(tc, test_reply_not_response);
	tcase_add_test(tc, test_reply_truncated);
	tcase_add_test(tc, test_reply_pointer_loop);
	tcase_add_test(tc, test_reply_opt_dropped_extended_rcode);
	tcase_add_test(tc, test_reply_opt_in_answer);
	tcase_add_test(tc, test_reply_mx_compressed);
	tcase_add_test(tc, test_reply_soa_negative_ttl);
	tcase_add_test(tc, test_reply_soa_in_answer);
	tcase_add_test(tc, test_reply_ttl_high_bit);
	tcase_add_test(tc, test_reply_rdata_overrun);
	tcase_add_test(tc, test_reply_espace);
	tcase_add_test(tc, test_reply_additional_cap);
	suite_add_tcase(s, tc);

	tc = tcase_create("normalize_rr");
	tcase_add_test(tc, test_normalize_rfc1035);
	tcase_add_test(tc, test_normalize_opaque_rdata);
	tcase_add_test(tc, test_normalize_srv);
	tcase_add_test(tc, test_normalize_errors);
	suite_add_tcase(s, tc);

	tc = tcase_create("add_normalized");
	tcase_add_test(tc, test_add_normalized_age);
	tcase_add_test(tc, test_add_normalized_malformed);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(msg_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed != 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
