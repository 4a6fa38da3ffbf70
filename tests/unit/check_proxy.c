/*
 * tests/unit/check_proxy.c - unit tests of the PROXY v2 header parser.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Headers are built byte by byte as haproxy's proxy-protocol.txt section
 * 2.2 lays them out (and as dnsdist 1.7 sends them: PROXY for relayed
 * queries, LOCAL for its health checks), then broken one field at a time:
 * signature, version, command, family, transport, lengths, TLVs.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "dns/proxy.h"
#include "util/err.h"

static const uint8_t sig[12] = {0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d,
				0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a};

struct hdr {
	uint8_t b[512];
	size_t len;
};

/* Signature, ver/cmd, family/transport; the length is set by hdr_end(). */
static void
hdr_start(struct hdr *h, uint8_t ver_cmd, uint8_t fam)
{
	memcpy(h->b, sig, sizeof(sig));
	h->b[12] = ver_cmd;
	h->b[13] = fam;
	h->len = 16;
}

static void
hdr_put(struct hdr *h, const void *p, size_t n)
{
	ck_assert_uint_le(h->len + n, sizeof(h->b));
	memcpy(h->b + h->len, p, n);
	h->len += n;
}

static void
hdr_end(struct hdr *h)
{
	size_t n = h->len - 16;

	h->b[14] = (uint8_t)(n >> 8);
	h->b[15] = (uint8_t)n;
}

/* A PROXY TCP/IPv4 header from 192.0.2.7:5353 to 198.51.100.1:53. */
static void
hdr_v4(struct hdr *h)
{
	const uint8_t a[12] = {192, 0, 2,    7,	   198,	 51,
			       100, 1, 0x14, 0xe9, 0x00, 0x35};

	hdr_start(h, 0x21, 0x11);
	hdr_put(h, a, sizeof(a));
	hdr_end(h);
}

START_TEST(test_v4_proxy)
{
	struct proxy_header p;
	struct hdr h;
	const struct sockaddr_in *s, *d;

	hdr_v4(&h);
	/* The DNS payload follows the header. */
	hdr_put(&h, "\x12\x34", 2);
	ck_assert_int_eq(proxy_parse(h.b, h.len, &p), VPC_OK);
	ck_assert_uint_eq(p.len, 28);
	ck_assert_int_eq(p.command, PROXY_CMD_PROXY);
	ck_assert(p.has_addr);
	ck_assert(p.stream);
	s = (const struct sockaddr_in *)&p.src;
	d = (const struct sockaddr_in *)&p.dst;
	ck_assert_int_eq(s->sin_family, AF_INET);
	ck_assert_uint_eq(ntohl(s->sin_addr.s_addr), 0xc0000207u);
	ck_assert_uint_eq(ntohs(s->sin_port), 5353);
	ck_assert_uint_eq(ntohl(d->sin_addr.s_addr), 0xc6336401u);
	ck_assert_uint_eq(ntohs(d->sin_port), 53);
}
END_TEST

START_TEST(test_v6_udp)
{
	uint8_t a[36] = {0};
	struct proxy_header p;
	struct hdr h;
	const struct sockaddr_in6 *s;
	char text[INET6_ADDRSTRLEN];

	a[0] = 0x20, a[1] = 0x01, a[2] = 0x0d, a[3] = 0xb8, a[15] = 9;
	a[16] = 0xfd, a[31] = 1;
	a[32] = 0xc0, a[33] = 0x01; /* port 49153 */
	a[35] = 53;
	hdr_start(&h, 0x21, 0x22);
	hdr_put(&h, a, sizeof(a));
	hdr_end(&h);
	ck_assert_int_eq(proxy_parse(h.b, h.len, &p), VPC_OK);
	ck_assert_uint_eq(p.len, 52);
	ck_assert(p.has_addr);
	ck_assert(!p.stream);
	s = (const struct sockaddr_in6 *)&p.src;
	ck_assert_int_eq(s->sin6_family, AF_INET6);
	inet_ntop(AF_INET6, &s->sin6_addr, text, sizeof(text));
	ck_assert_str_eq(text, "2001:db8::9");
	ck_assert_uint_eq(ntohs(s->sin6_port), 49153);
}
END_TEST

/* dnsdist's health checks: LOCAL, family UNSPEC, no address block. */
START_TEST(test_local)
{
	struct proxy_header p;
	struct hdr h;

	hdr_start(&h, 0x20, 0x00);
	hdr_end(&h);
	ck_assert_int_eq(proxy_parse(h.b, h.len, &p), VPC_OK);
	ck_assert_int_eq(p.command, PROXY_CMD_LOCAL);
	ck_assert(!p.has_addr);
	ck_assert_uint_eq(p.len, 16);
}
END_TEST

/* 2.2: LOCAL discards the block, family included, whatever it holds. */
START_TEST(test_local_ignores_block)
{
	struct proxy_header p;
	struct hdr h;

	hdr_start(&h, 0x20, 0xff);
	hdr_put(&h, "junk", 4);
	hdr_end(&h);
	ck_assert_int_eq(proxy_parse(h.b, h.len, &p), VPC_OK);
	ck_assert(!p.has_addr);
	ck_assert_uint_eq(p.len, 20);
}
END_TEST

START_TEST(test_unspec_and_unix)
{
	uint8_t un[216] = {0};
	struct proxy_header p;
	struct hdr h;

	hdr_start(&h, 0x21, 0x00);
	hdr_end(&h);
	ck_assert_int_eq(proxy_parse(h.b, h.len, &p), VPC_OK);
	ck_assert(!p.has_addr);
	hdr_start(&h, 0x21, 0x31);
	hdr_put(&h, un, sizeof(un));
	hdr_end(&h);
	ck_assert_int_eq(proxy_parse(h.b, h.len, &p), VPC_OK);
	ck_assert(!p.has_addr);
	ck_assert_uint_eq(p.len, 16 + 216);
}
END_TEST

/* dnsdist adds TLVs (setProxyProtocolValue); they are skipped. */
START_TEST(test_tlvs)
{
	const uint8_t tlv[] = {0xe0, 0x00, 0x03, 'a', 'b',
			       'c',  0x04, 0x00, 0x00};
	struct proxy_header p;
	struct hdr h;

	hdr_v4(&h);
	hdr_put(&h, tlv, sizeof(tlv));
	hdr_end(&h);
	ck_assert_int_eq(proxy_parse(h.b, h.len, &p), VPC_OK);
	ck_assert_uint_eq(p.len, 28 + sizeof(tlv));
}
END_TEST

START_TEST(test_tlv_overrun)
{
	const uint8_t tlv[] = {0xe0, 0x00, 0x05, 'a', 'b'};
	struct proxy_header p;
	struct hdr h;

	hdr_v4(&h);
	hdr_put(&h, tlv, sizeof(tlv));
	hdr_end(&h);
	ck_assert_int_eq(proxy_parse(h.b, h.len, &p), VPC_EMALFORMED);
	/* A TLV header cut short. */
	hdr_v4(&h);
	hdr_put(&h, "\xe0\x00", 2);
	hdr_end(&h);
	ck_assert_int_eq(proxy_parse(h.b, h.len, &p), VPC_EMALFORMED);
}
END_TEST

/* Every proper prefix of a valid header asks for more bytes. */
START_TEST(test_prefixes_again)
{
	struct proxy_header p;
	struct hdr h;

	hdr_v4(&h);
	for (size_t n = 0; n < h.len; n++)
		ck_assert_int_eq(proxy_parse(h.b, n, &p), VPC_EAGAIN);
	ck_assert_int_eq(proxy_parse(NULL, 0, &p), VPC_EAGAIN);
}
END_TEST

START_TEST(test_no_header)
{
	/* A plain DNS query, as a client that bypassed the balancer sends. */
	const uint8_t q[] = {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0};
	struct proxy_header p;

	ck_assert_int_eq(proxy_parse(q, sizeof(q), &p), VPC_EMALFORMED);
	ck_assert_int_eq(proxy_parse(q, 1, &p), VPC_EMALFORMED);
	/* PROXY v1 (text) is not accepted. */
	ck_assert_int_eq(
	    proxy_parse((const uint8_t *)"PROXY TCP4 1.2.3.4 ", 19, &p),
	    VPC_EMALFORMED);
}
END_TEST

START_TEST(test_bad_signature_late)
{
	struct proxy_header p;
	struct hdr h;

	hdr_v4(&h);
	h.b[11] = 0x0b;
	ck_assert_int_eq(proxy_parse(h.b, h.len, &p), VPC_EMALFORMED);
	ck_assert_int_eq(proxy_parse(h.b, 12, &p), VPC_EMALFORMED);
}
END_TEST

START_TEST(test_bad_version_command)
{
	struct proxy_header p;
	struct hdr h;

	hdr_v4(&h);
	h.b[12] = 0x11; /* version 1 */
	ck_assert_int_eq(proxy_parse(h.b, h.len, &p), VPC_EMALFORMED);
	h.b[12] = 0x31; /* version 3 */
	ck_assert_int_eq(proxy_parse(h.b, h.len, &p), VPC_EMALFORMED);
	h.b[12] = 0x22; /* command 2 */
	ck_assert_int_eq(proxy_parse(h.b, h.len, &p), VPC_EMALFORMED);
	h.b[12] = 0x2f;
	ck_assert_int_eq(proxy_parse(h.b, h.len, &p), VPC_EMALFORMED);
}
END_TEST

START_TEST(test_bad_family_transport)
{
	struct proxy_header p;
	struct hdr h;

	hdr_v4(&h);
	h.b[13] = 0x41; /* family 4 */
	ck_assert_int_eq(proxy_parse(h.b, h.len, &p), VPC_EMALFORMED);
	h.b[13] = 0x13; /* transport 3 */
	ck_assert_int_eq(proxy_parse(h.b, h.len, &p), VPC_EMALFORMED);
}
END_TEST

/* The announced length cannot hold the family's addresses. */
START_TEST(test_short_address_block)
{
	uint8_t a[35] = {0};
	struct proxy_header p;
	struct hdr h;

	hdr_start(&h, 0x21, 0x11);
	hdr_put(&h, a, 11);
	hdr_end(&h);
	ck_assert_int_eq(proxy_parse(h.b, h.len, &p), VPC_EMALFORMED);
	hdr_start(&h, 0x21, 0x21); /* IPv6 needs 36 */
	hdr_put(&h, a, sizeof(a));
	hdr_end(&h);
	ck_assert_int_eq(proxy_parse(h.b, h.len, &p), VPC_EMALFORMED);
	hdr_start(&h, 0x21, 0x21);
	hdr_put(&h, a, 12); /* an IPv4 block under the IPv6 family */
	hdr_end(&h);
	ck_assert_int_eq(proxy_parse(h.b, h.len, &p), VPC_EMALFORMED);
}
END_TEST

/* A length larger than the datagram: UDP gets EAGAIN, which net_
 * treats as malformed since a datagram never grows. */
START_TEST(test_length_beyond_input)
{
	struct proxy_header p;
	struct hdr h;

	hdr_v4(&h);
	h.b[14] = 0xff;
	h.b[15] = 0xff;
	ck_assert_int_eq(proxy_parse(h.b, h.len, &p), VPC_EAGAIN);
}
END_TEST

/* Out-parameters are written only on success (STYLE §4). */
START_TEST(test_out_untouched_on_error)
{
	struct proxy_header p;
	struct hdr h;

	memset(&p, 0xa5, sizeof(p));
	hdr_v4(&h);
	h.b[13] = 0x51;
	ck_assert_int_eq(proxy_parse(h.b, h.len, &p), VPC_EMALFORMED);
	ck_assert_uint_eq(((const uint8_t *)&p)[0], 0xa5);
	ck_assert_uint_eq(((const uint8_t *)&p)[sizeof(p) - 1], 0xa5);
}
END_TEST

static Suite *
proxy_suite(void)
{
	Suite *s = suite_create("proxy");
	TCase *tc;

	tc = tcase_create("valid");
	tcase_add_test(tc, test_v4_proxy);
	tcase_add_test(tc, test_v6_udp);
	tcase_add_test(tc, test_local);
	tcase_add_test(tc, test_local_ignores_block);
	tcase_add_test(tc, test_unspec_and_unix);
	tcase_add_test(tc, test_tlvs);
	suite_add_tcase(s, tc);

	tc = tcase_create("partial");
	tcase_add_test(tc, test_prefixes_again);
	tcase_add_test(tc, test_length_beyond_input);
	suite_add_tcase(s, tc);

	tc = tcase_create("malformed");
	tcase_add_test(tc, test_no_header);
	tcase_add_test(tc, test_bad_signature_late);
	tcase_add_test(tc, test_bad_version_command);
	tcase_add_test(tc, test_bad_family_transport);
	tcase_add_test(tc, test_short_address_block);
	tcase_add_test(tc, test_tlv_overrun);
	tcase_add_test(tc, test_out_untouched_on_error);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(proxy_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed != 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
