/*
 * tests/unit/check_rrl.c - the response rate limiting decision
 * (ratelimit_response()), which the daemon applies to every answer.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * A configuration with one VPC (10.0.0.0/16) gives the view set that says
 * which sources are local; answers are hand-built (one TXT RR of about
 * 1,100 bytes) and the clock is the now_ms argument.  The token buckets
 * themselves are ratelimit_allow()'s; these tests are about what the
 * policy sends: the answer as it is, or the question alone with TC set.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "check_util.h"
#include "conf/conf.h"
#include "dns/msg.h"
#include "dns/wire.h"
#include "engine/answer.h"
#include "engine/ratelimit.h"
#include "engine/view.h"
#include "util/err.h"

#define MIN_SIZE 1024

static const char conf_text[] =
    "vpcs:\n"
    "  - id: vpc-0123456789abcdef0\n"
    "    region: us-east-1\n"
    "    cidr-blocks: [10.0.0.0/16]\n";

static struct conf *cf;
static struct view_set *vs;
static struct msg_query q;
static struct tu_pkt pkt;

static void
setup(void)
{
	struct conf_errors errs = {0};

	ck_assert_int_eq(conf_load_string(NULL, conf_text, strlen(conf_text),
					  "rrl.yaml", &cf, &errs),
			 VPC_OK);
	ck_assert_int_eq(view_set_build(cf, &vs, &errs), VPC_OK);
	conf_errors_cleanup(&errs);
	tu_query(&pkt, "big.example.com", WIRE_TYPE_TXT, 4096);
	ck_assert_int_eq(msg_parse_query(pkt.b, pkt.len, &q), MSG_QUERY_OK);
}

static void
teardown(void)
{
	view_set_free(vs);
	conf_free(cf);
}

/* An answer of one TXT RR with @size bytes of text, EDNS echoed. */
static size_t
answer(uint8_t *out, size_t size)
{
	uint8_t txt[255];

	tu_reset(&pkt);
	tu_header(&pkt, 0x1234, WIRE_FLAG_QR | WIRE_FLAG_RD | WIRE_FLAG_RA, 1,
		  1, 0, 1);
	tu_question(&pkt, "big.example.com", WIRE_TYPE_TXT, WIRE_CLASS_IN);
	tu_u16(&pkt, 0xc00c);
	tu_u16(&pkt, WIRE_TYPE_TXT);
	tu_u16(&pkt, WIRE_CLASS_IN);
	tu_u32(&pkt, 60);
	tu_u16(&pkt, (unsigned)(size + (size + 254) / 255));
	memset(txt, 'x', sizeof(txt));
	for (size_t left = size; left > 0;) {
		size_t n = left > 255 ? 255 : left;

		tu_u8(&pkt, (unsigned)n);
		tu_bytes(&pkt, txt, n);
		left -= n;
	}
	tu_opt(&pkt, 4096, 0, 0, false);
	memcpy(out, pkt.b, pkt.len);
	return pkt.len;
}

static struct sockaddr_storage
addr(const char *text)
{
	struct sockaddr_storage ss;

	memset(&ss, 0, sizeof(ss));
	if (strchr(text, ':') != NULL) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		ck_assert_int_eq(inet_pton(AF_INET6, text, &s6->sin6_addr), 1);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		ck_assert_int_eq(inet_pton(AF_INET, text, &s4->sin_addr), 1);
	}
	return ss;
}

/* Whether @rl let a large UDP (or @tcp) answer to @from at @now through
 * whole; a limited one must be the question alone with TC set. */
static bool
sent_whole(struct ratelimit *rl, const char *from, bool tcp, uint64_t now)
{
	static uint8_t buf[MSG_TCP_MAX];
	struct sockaddr_storage ss = addr(from);
	struct answer_src src = {
	    .addr = (const struct sockaddr *)&ss,
	    .inbound = VIEW_NOT_INBOUND,
	    .tcp = tcp,
	};
	struct tu_resp m;
	size_t len = answer(buf, 1100), out;

	ck_assert_uint_ge(len, MIN_SIZE);
	out = ratelimit_response(rl, MIN_SIZE, vs, &src, &q, now, buf, len);
	if (out == len)
		return memcmp(buf, pkt.b, len) == 0;
	tu_parse_ok(buf, out, &m);
	ck_assert(m.flags & WIRE_FLAG_TC);
	ck_assert(m.flags & WIRE_FLAG_QR);
	ck_assert_uint_eq(m.id, 0x1234);
	ck_assert_uint_eq(m.qdcount, 1);
	ck_assert_uint_eq(m.qtype, WIRE_TYPE_TXT);
	ck_assert_uint_eq(m.count[0], 0);
	ck_assert(m.has_opt);
	ck_assert_uint_lt(out, 100);
	return false;
}

static struct ratelimit *
rrl(uint32_t rate)
{
	struct ratelimit *rl = ratelimit_new(rate, RATELIMIT_RRL_V4_PREFIX,
					     RATELIMIT_RRL_V6_PREFIX, 1024);

	ck_assert_ptr_nonnull(rl);
	return rl;
}

START_TEST(test_off)
{
	for (int i = 0; i < 100; i++)
		ck_assert(sent_whole(NULL, "192.0.2.1", false, 1000));
}
END_TEST

START_TEST(test_over_rate_truncated)
{
	struct ratelimit *rl = rrl(3);

	for (int i = 0; i < 3; i++)
		ck_assert(sent_whole(rl, "192.0.2.1", false, 1000));
	ck_assert(!sent_whole(rl, "192.0.2.1", false, 1000));
	ck_assert(!sent_whole(rl, "192.0.2.1", false, 1100));
	ck_assert_uint_eq(ratelimit_limited(rl), 2);
	/* A second later the bucket is full again. */
	ck_assert(sent_whole(rl, "192.0.2.1", false, 2100));
	ratelimit_free(rl);
}
END_TEST

START_TEST(test_tcp_never)
{
	struct ratelimit *rl = rrl(1);

	for (int i = 0; i < 10; i++)
		ck_assert(sent_whole(rl, "192.0.2.1", true, 1000));
	ck_assert_uint_eq(ratelimit_limited(rl), 0);
	ratelimit_free(rl);
}
END_TEST

START_TEST(test_small_never)
{
	static uint8_t buf[MSG_TCP_MAX];
	struct ratelimit *rl = rrl(1);
	struct sockaddr_storage ss = addr("192.0.2.1");
	struct answer_src src = {.addr = (const struct sockaddr *)&ss,
				 .inbound = VIEW_NOT_INBOUND};
	size_t len = answer(buf, 200);

	ck_assert_uint_lt(len, MIN_SIZE);
	for (int i = 0; i < 10; i++)
		ck_assert_uint_eq(ratelimit_response(rl, MIN_SIZE, vs, &src, &q,
						     1000, buf, len),
				  len);
	/* Small answers took no tokens: the large one still goes whole. */
	ck_assert(sent_whole(rl, "192.0.2.1", false, 1000));
	ratelimit_free(rl);
}
END_TEST

START_TEST(test_local_never)
{
	struct ratelimit *rl = rrl(1);

	for (int i = 0; i < 10; i++) {
		ck_assert(sent_whole(rl, "127.0.0.1", false, 1000));
		ck_assert(sent_whole(rl, "::1", false, 1000));
		ck_assert(sent_whole(rl, "10.0.200.9", false, 1000));
	}
	ck_assert_uint_eq(ratelimit_limited(rl), 0);
	/* Just outside the VPC's 10.0.0.0/16. */
	ck_assert(sent_whole(rl, "10.1.0.1", false, 1000));
	ck_assert(!sent_whole(rl, "10.1.0.1", false, 1000));
	ratelimit_free(rl);
}
END_TEST

START_TEST(test_prefixes_share)
{
	struct ratelimit *rl = rrl(1);

	/* One bucket per /24 and per /56. */
	ck_assert(sent_whole(rl, "192.0.2.1", false, 1000));
	ck_assert(!sent_whole(rl, "192.0.2.200", false, 1000));
	ck_assert(sent_whole(rl, "192.0.3.1", false, 1000));
	ck_assert(sent_whole(rl, "2001:db8:0:100::1", false, 1000));
	ck_assert(!sent_whole(rl, "2001:db8:0:1ff::2", false, 1000));
	ck_assert(sent_whole(rl, "2001:db8:0:200::1", false, 1000));
	ratelimit_free(rl);
}
END_TEST

static Suite *
rrl_suite(void)
{
	Suite *s = suite_create("rrl");
	TCase *tc = tcase_create("response");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_off);
	tcase_add_test(tc, test_over_rate_truncated);
	tcase_add_test(tc, test_tcp_never);
	tcase_add_test(tc, test_small_never);
	tcase_add_test(tc, test_local_never);
	tcase_add_test(tc, test_prefixes_share);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(rrl_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed != 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
