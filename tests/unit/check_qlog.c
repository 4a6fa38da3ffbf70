/*
 * tests/unit/check_qlog.c - unit tests of the query log line formatter.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Queries and responses are built byte by byte (check_util.h) and the
 * lines compared in full against the Route 53 Resolver query log format
 * (SPEC 1.8; AWS "Route 53 VPC Resolver query log example": compact JSON,
 * srcport a string, answers as Rdata/Type/Class, whole-second UTC
 * timestamps ending in Z).  Every line is also run through a small JSON
 * syntax checker, so escaping and answer cutting can never produce a
 * line a log pipeline would reject.
 */
#include "config.h"

#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "check_util.h"
#include "conf/conf.h"
#include "util/err.h"
#include "engine/qlog.h"
#include "dns/wire.h"

/* 2026-11-23T16:28:30.789Z */
#define T0_MS (1795451310ull * 1000 + 789)

/* ---- a tiny JSON checker (RFC 8259) ------------------------------------ */

struct jp {
	const char *s; /* text */
	size_t n;      /* its length */
	size_t i;      /* cursor */
};

static bool jp_value(struct jp *p, int depth);

static void
jp_ws(struct jp *p)
{
	while (p->i < p->n && strchr(" \t\r\n", p->s[p->i]) != NULL)
		p->i++;
}

static bool
jp_lit(struct jp *p, const char *lit)
{
	size_t l = strlen(lit);

	if (p->n - p->i < l || memcmp(p->s + p->i, lit, l) != 0)
		return false;
	p->i += l;
	return true;
}

static bool
jp_string(struct jp *p)
{
	if (!jp_lit(p, "\""))
		return false;
	while (p->i < p->n) {
		unsigned char c = (unsigned char)p->s[p->i++];

		if (c == '"')
			return true;
		if (c < 0x20)
			return false;
		if (c != '\\')
			continue;
		if (p->i >= p->n)
			return false;
		c = (unsigned char)p->s[p->i++];
		if (c == 'u') {
			for (int k = 0; k < 4; k++)
				if (p->i >= p->n || tu_hexval(p->s[p->i++]) < 0)
					return false;
		} else if (strchr("\"\\/bfnrt", c) == NULL || c == 0) {
			return false;
		}
	}
	return false;
}

static bool
jp_number(struct jp *p)
{
	size_t start = p->i;

	if (p->i < p->n && p->s[p->i] == '-')
		p->i++;
	while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9')
		p->i++;
	return p->i > start;
}

/* An object when @close is '}', else an array. */
static bool
jp_container(struct jp *p, char close, int depth)
{
	p->i++;
	jp_ws(p);
	if (p->i < p->n && p->s[p->i] == close) {
		p->i++;
		return true;
	}
	for (;;) {
		jp_ws(p);
		if (close == '}') {
			if (!jp_string(p))
				return false;
			jp_ws(p);
			if (!jp_lit(p, ":"))
				return false;
		}
		if (!jp_value(p, depth + 1))
			return false;
		jp_ws(p);
		if (p->i < p->n && p->s[p->i] == close) {
			p->i++;
			return true;
		}
		if (!jp_lit(p, ","))
			return false;
	}
}

static bool
jp_value(struct jp *p, int depth)
{
	jp_ws(p);
	if (depth > 16 || p->i >= p->n)
		return false;
	switch (p->s[p->i]) {
	case '{':
		return jp_container(p, '}', depth);
	case '[':
		return jp_container(p, ']', depth);
	case '"':
		return jp_string(p);
	case 't':
		return jp_lit(p, "true");
	case 'f':
		return jp_lit(p, "false");
	case 'n':
		return jp_lit(p, "null");
	}
	return jp_number(p);
}

/* One JSON object, then exactly one '\n', then nothing; ASCII only. */
static bool
json_line_ok(const char *s, size_t n)
{
	struct jp p = {.s = s, .n = n - 1};

	if (n < 2 || s[n - 1] != '\n' || s[0] != '{')
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] > 0x7e)
			return false;
	if (memchr(s, '\n', n - 1) != NULL)
		return false;
	return jp_value(&p, 0) && p.i == n - 1;
}

START_TEST(test_json_checker)
{
	static const char *const good[] = {
	    "{}\n", "{\"a\":[1,-2,\"x\\u0001\\\"\"],\"b\":{\"c\":null}}\n"};
	static const char *const bad[] = {"{\n",
					  "{\"a\":}\n",
					  "{\"a\":1,}\n",
					  "{\"a\":\"\x01\"}\n",
					  "{\"a\":1}",
					  "{}\n\n",
					  "{\"a\":\"\\x\"}\n",
					  "{\"a\":[1}\n"};

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ck_assert_msg(json_line_ok(good[i], strlen(good[i])), "%s",
			      good[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(!json_line_ok(bad[i], strlen(bad[i])), "%s",
			      bad[i]);
}
END_TEST

/* ---- helpers ----------------------------------------------------------- */

struct fixture {
	struct tu_pkt query, resp;
	struct sockaddr_storage ss;
	struct qlog_event ev;
	char line[QLOG_LINE_MAX];
	size_t len;
};

static struct fixture *fx;

static void
setup(void)
{
	fx = calloc(1, sizeof(*fx));
	ck_assert_ptr_nonnull(fx);
}

static void
teardown(void)
{
	free(fx);
	fx = NULL;
}

static void
set_src4(const char *addr, uint16_t port)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)&fx->ss;

	memset(&fx->ss, 0, sizeof(fx->ss));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	ck_assert_int_eq(inet_pton(AF_INET, addr, &sin->sin_addr), 1);
	fx->ev.src = (const struct sockaddr *)&fx->ss;
}

static void
set_src6(const char *addr, uint16_t port)
{
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&fx->ss;

	memset(&fx->ss, 0, sizeof(fx->ss));
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons(port);
	ck_assert_int_eq(inet_pton(AF_INET6, addr, &sin6->sin6_addr), 1);
	fx->ev.src = (const struct sockaddr *)&fx->ss;
}

/* A query for @name/@qtype and the event around it (UDP, instance). */
static void
start(const char *name, uint16_t qtype)
{
	tu_query(&fx->query, name, qtype, 0);
	fx->ev.account_id = "111122223333";
	fx->ev.region = "us-east-1";
	fx->ev.vpc_id = "vpc-0a1b2c3d";
	fx->ev.unix_ms = T0_MS;
	fx->ev.query = fx->query.b;
	fx->ev.query_len = fx->query.len;
	fx->ev.response = fx->resp.b;
	set_src4("10.0.1.5", 56067);
}

/* Response header and question; answers etc. are appended by the test. */
static void
resp_begin(const char *name, uint16_t qtype, unsigned rcode, unsigned an,
	   unsigned ns, unsigned ar)
{
	tu_reset(&fx->resp);
	tu_header(&fx->resp, 0x1234, 0x8180u | rcode, 1, an, ns, ar);
	tu_question(&fx->resp, name, qtype, WIRE_CLASS_IN);
}

/* An RR owned by the question name (pointer to offset 12). */
static size_t
rr_q(uint16_t type, uint32_t ttl)
{
	tu_u16(&fx->resp, 0xc00c);
	tu_u16(&fx->resp, type);
	tu_u16(&fx->resp, WIRE_CLASS_IN);
	tu_u32(&fx->resp, ttl);
	tu_u16(&fx->resp, 0);
	return fx->resp.len - 2;
}

static void
rr_a(const char *owner, const char *addr)
{
	size_t at = owner ? tu_rr_head(&fx->resp, owner, WIRE_TYPE_A, 1, 60)
			  : rr_q(WIRE_TYPE_A, 60);

	fx->resp.len += tu_rdata_a(addr, fx->resp.b + fx->resp.len);
	tu_rr_end(&fx->resp, at);
}

/* Formats into fx->line and checks success and JSON syntax. */
static const char *
format_ok(void)
{
	int rc;

	fx->ev.response_len = fx->resp.len;
	rc = qlog_format(&fx->ev, fx->line, sizeof(fx->line), &fx->len);
	ck_assert_msg(rc == VPC_OK, "qlog_format: %s", vpc_strerror(rc));
	ck_assert_uint_eq(fx->len, strlen(fx->line));
	ck_assert_msg(json_line_ok(fx->line, fx->len), "not JSON: %s",
		      fx->line);
	return fx->line;
}

#define HEAD(name, type, rcode)                                                \
	"{\"version\":\"1.100000\",\"account_id\":\"111122223333\","           \
	"\"region\":\"us-east-1\",\"vpc_id\":\"vpc-0a1b2c3d\","                \
	"\"query_timestamp\":\"2026-11-23T16:28:30Z\",\"query_name\":\"" name  \
	"\",\"query_type\":\"" type                                            \
	"\",\"query_class\":\"IN\",\"rcode\":\"" rcode "\",\"answers\":["
#define ANS(rdata, type)                                                       \
	"{\"Rdata\":\"" rdata "\",\"Type\":\"" type "\",\"Class\":\"IN\"}"
#define TAIL_UDP                                                               \
	"],\"srcaddr\":\"10.0.1.5\",\"srcport\":\"56067\","                    \
	"\"transport\":\"UDP\",\"srcids\":{\"instance\":\"10.0.1.5\"}"

/* ---- lines --------------------------------------------------------------- */

START_TEST(test_a_answer)
{
	start("www.Example.com", WIRE_TYPE_A);
	resp_begin("www.Example.com", WIRE_TYPE_A, 0, 1, 0, 0);
	rr_a(NULL, "192.0.2.1");
	ck_assert_str_eq(format_ok(), HEAD("www.Example.com.", "A", "NOERROR")
					  ANS("192.0.2.1", "A") TAIL_UDP "}\n");
}
END_TEST

START_TEST(test_cname_chain)
{
	size_t at;

	start("www.example.com", WIRE_TYPE_A);
	resp_begin("www.example.com", WIRE_TYPE_A, 0, 4, 0, 0);
	at = rr_q(WIRE_TYPE_CNAME, 300);
	tu_name_text(&fx->resp, "web.example.net");
	tu_rr_end(&fx->resp, at);
	at = tu_rr_head(&fx->resp, "web.example.net", WIRE_TYPE_CNAME, 1, 60);
	/* A compressed target: "edge" + a pointer to the "example.net" of
	 * this RR's owner (17 bytes, then type, class, TTL: 8 bytes). */
	tu_u8(&fx->resp, 4);
	tu_bytes(&fx->resp, "edge", 4);
	tu_u16(&fx->resp, 0xc000u | (unsigned)(at - 8 - 17 + 4));
	tu_rr_end(&fx->resp, at);
	rr_a("edge.example.net", "192.0.2.10");
	rr_a("edge.example.net", "192.0.2.11");
	ck_assert_str_eq(
	    format_ok(),
	    HEAD("www.example.com.", "A", "NOERROR")
		ANS("web.example.net.", "CNAME") "," ANS(
		    "edge.example.net.",
		    "CNAME") "," ANS("192.0.2.10", "A") "," ANS("192.0.2.11",
								"A") TAIL_UDP
	    "}\n");
}
END_TEST

START_TEST(test_nxdomain)
{
	size_t at;
	uint8_t soa[256];

	start("nope.example.com", WIRE_TYPE_AAAA);
	resp_begin("nope.example.com", WIRE_TYPE_AAAA, WIRE_RCODE_NXDOMAIN, 0,
		   1, 0);
	at = tu_rr_head(&fx->resp, "example.com", WIRE_TYPE_SOA, 1, 900);
	tu_bytes(&fx->resp, soa,
		 tu_rdata_soa("ns-1536.awsdns-00.co.uk",
			      "awsdns-hostmaster.amazon.com", 1, 86400, soa));
	tu_rr_end(&fx->resp, at);
	ck_assert_str_eq(format_ok(), HEAD("nope.example.com.", "AAAA",
					   "NXDOMAIN") TAIL_UDP "}\n");
}
END_TEST

START_TEST(test_servfail_refused)
{
	start("x.example", WIRE_TYPE_A);
	resp_begin("x.example", WIRE_TYPE_A, WIRE_RCODE_SERVFAIL, 0, 0, 0);
	ck_assert_str_eq(format_ok(),
			 HEAD("x.example.", "A", "SERVFAIL") TAIL_UDP "}\n");
	resp_begin("x.example", WIRE_TYPE_A, WIRE_RCODE_REFUSED, 0, 0, 0);
	ck_assert_str_eq(format_ok(),
			 HEAD("x.example.", "A", "REFUSED") TAIL_UDP "}\n");
}
END_TEST

START_TEST(test_badvers_from_opt)
{
	start("x.example", WIRE_TYPE_A);
	resp_begin("x.example", WIRE_TYPE_A, 0, 0, 0, 1);
	/* RFC 6891 §9: BADVERS = 16, upper 8 bits 1 in the OPT TTL. */
	tu_opt(&fx->resp, 1232, 1, 0, false);
	ck_assert_str_eq(format_ok(),
			 HEAD("x.example.", "A", "BADVERS") TAIL_UDP "}\n");
}
END_TEST

START_TEST(test_firewall_block)
{
	struct conf_fw_rule rule;
	char name[] = "rule-100";

	memset(&rule, 0, sizeof(rule));
	rule.priority = 100;
	rule.name = name;
	rule.action = CONF_FW_BLOCK;
	rule.block_response = CONF_FW_NXDOMAIN;
	start("bad.example.com", WIRE_TYPE_A);
	resp_begin("bad.example.com", WIRE_TYPE_A, WIRE_RCODE_NXDOMAIN, 0, 0,
		   0);
	fx->ev.fw_rule = &rule;
	ck_assert_str_eq(format_ok(),
			 HEAD("bad.example.com.", "A", "NXDOMAIN") TAIL_UDP
			 ",\"firewall_rule_group_id\":\"rslvr-frg-0a1b2c3d\","
			 "\"firewall_rule_action\":\"BLOCK\","
			 "\"firewall_domain_list_id\":\"rule-100\"}\n");

	/* ALERT answers normally; the ids given by the caller are used. */
	rule.action = CONF_FW_ALERT;
	resp_begin("bad.example.com", WIRE_TYPE_A, 0, 1, 0, 0);
	rr_a(NULL, "192.0.2.7");
	fx->ev.fw_group_id = "rslvr-frg-01234567890abcdef";
	fx->ev.fw_domain_list_id = "rslvr-fdl-01234567890abcdef";
	ck_assert_str_eq(
	    format_ok(), HEAD("bad.example.com.", "A", "NOERROR")
			     ANS("192.0.2.7", "A") TAIL_UDP
	    ",\"firewall_rule_group_id\":\"rslvr-frg-01234567890abcdef\","
	    "\"firewall_rule_action\":\"ALERT\","
	    "\"firewall_domain_list_id\":\"rslvr-fdl-01234567890abcdef\"}"
	    "\n");

	/* ALLOW leaves no trace (SPEC 1.8). */
	rule.action = CONF_FW_ALLOW;
	ck_assert_str_eq(format_ok(), HEAD("bad.example.com.", "A", "NOERROR")
					  ANS("192.0.2.7", "A") TAIL_UDP "}\n");
}
END_TEST

START_TEST(test_tcp_ipv6_inbound)
{
	start("www.example.com", WIRE_TYPE_AAAA);
	resp_begin("www.example.com", WIRE_TYPE_AAAA, 0, 1, 0, 0);
	{
		size_t at = rr_q(WIRE_TYPE_AAAA, 60);

		fx->resp.len += tu_rdata_aaaa("2001:db8:0:0:0:0:0:1",
					      fx->resp.b + fx->resp.len);
		tu_rr_end(&fx->resp, at);
	}
	set_src6("2001:db8::53", 5353);
	fx->ev.transport = QLOG_TRANSPORT_TCP;
	fx->ev.srcid_kind = QLOG_SRC_RESOLVER_ENDPOINT;
	ck_assert_str_eq(
	    format_ok(),
	    HEAD("www.example.com.", "AAAA", "NOERROR")
		ANS("2001:db8::1",
		    "AAAA") "],\"srcaddr\":\"2001:db8::53\","
			    "\"srcport\":\"5353\",\"transport\":\"TCP\","
			    "\"srcids\":{\"resolver_endpoint\":\"rslvr-in-"
			    "0a1b2c3d\"}}\n");

	/* DoH keeps the name AWS gives the protocol. */
	fx->ev.transport = QLOG_TRANSPORT_DOH;
	ck_assert_ptr_nonnull(strstr(format_ok(), "\"transport\":\"DoH\""));
	fx->ev.transport = QLOG_TRANSPORT_DOH_FIPS;
	ck_assert_ptr_nonnull(
	    strstr(format_ok(), "\"transport\":\"DoH-FIPS\""));
	fx->ev.transport = QLOG_TRANSPORT_TCP;

	/* An explicit id, and an instance seen through a v4-mapped socket. */
	fx->ev.srcid = "rslvr-in-1abc2345ef678g91h";
	ck_assert_ptr_nonnull(
	    strstr(format_ok(), "\"srcids\":{\"resolver_endpoint\":\"rslvr-in-"
				"1abc2345ef678g91h\"}"));
	fx->ev.srcid = NULL;
	fx->ev.srcid_kind = QLOG_SRC_INSTANCE;
	set_src6("::ffff:127.0.0.2", 40000);
	ck_assert_ptr_nonnull(
	    strstr(format_ok(), "\"srcaddr\":\"127.0.0.2\",\"srcport\":"
				"\"40000\",\"transport\":\"TCP\","
				"\"srcids\":{\"instance\":\"127.0.0.2\"}}\n"));
}
END_TEST

START_TEST(test_odd_bytes_in_name)
{
	static const uint8_t label[] = {'a', '"',  'b',	 '\\', 'c', ' ',
					'd', 0x01, 0xff, '.',  'e'};
	size_t qlen;

	start("x.example", WIRE_TYPE_A);
	/* Query name: <label>.Example. */
	tu_reset(&fx->query);
	tu_header(&fx->query, 0x1234, WIRE_FLAG_RD, 1, 0, 0, 0);
	tu_u8(&fx->query, sizeof(label));
	tu_bytes(&fx->query, label, sizeof(label));
	tu_name_text(&fx->query, "Example");
	tu_u16(&fx->query, WIRE_TYPE_A);
	tu_u16(&fx->query, WIRE_CLASS_IN);
	qlen = fx->query.len;
	fx->ev.query_len = qlen;
	tu_reset(&fx->resp);
	tu_bytes(&fx->resp, fx->query.b, qlen);
	fx->resp.b[2] = 0x81;
	fx->resp.b[3] = 0x83; /* QR RD RA, NXDOMAIN */
	/* log_name()'s \DDD escapes, each backslash then JSON-escaped. */
	ck_assert_str_eq(
	    format_ok(),
	    HEAD("a\\\\034b\\\\092c\\\\032d\\\\001\\\\255\\\\046e.Example.",
		 "A", "NXDOMAIN") TAIL_UDP "}\n");
}
END_TEST

START_TEST(test_type_class_mnemonics)
{
	struct tu_qopt o = tu_qopt_default();

	start("x.example", 65534);
	resp_begin("x.example", 65534, 0, 0, 0, 0);
	ck_assert_ptr_nonnull(strstr(format_ok(),
				     "\"query_type\":\"TYPE65534\","
				     "\"query_class\":\"IN\""));
	o.qclass = 3;
	tu_query_opt(&fx->query, "version.bind", 16, &o);
	fx->ev.query_len = fx->query.len;
	ck_assert_ptr_nonnull(strstr(format_ok(),
				     "\"query_name\":\"version."
				     "bind.\",\"query_type\":"
				     "\"TXT\",\"query_class\":\"CH\""));
	o.qclass = 7;
	tu_query_opt(&fx->query, "x.example", WIRE_TYPE_ANY, &o);
	fx->ev.query_len = fx->query.len;
	ck_assert_ptr_nonnull(strstr(format_ok(),
				     "\"query_type\":\"ANY\","
				     "\"query_class\":\"CLASS7\""));
	tu_query(&fx->query, ".", 65, 0);
	fx->ev.query_len = fx->query.len;
	ck_assert_ptr_nonnull(strstr(format_ok(), "\"query_name\":\".\","
						  "\"query_type\":\"HTTPS\""));
}
END_TEST

#define ANS_MX ANS("10 mail.example.com.", "MX")
/* ldns prints "v=\"q\" \\ok" (with the quotes); JSON escapes each '"'
 * and '\'. */
#define ANS_TXT ANS("\\\"v=\\\\\\\"q\\\\\\\" \\\\\\\\ok\\\"", "TXT")
#define ANS_SOA                                                                \
	ANS("ns-1536.awsdns-00.co.uk. awsdns-hostmaster.amazon.com. "          \
	    "1 7200 900 1209600 86400",                                        \
	    "SOA")
/* RFC 3597 §5 generic form. */
#define ANS_UNKNOWN ANS("\\\\# 3 0102ff", "TYPE65280")
#define ANS_BAD_A ANS("\\\\# 3 c00002", "A")

START_TEST(test_rdata_kinds)
{
	uint8_t rd[300];
	size_t at;

	start("example.com", WIRE_TYPE_ANY);
	resp_begin("example.com", WIRE_TYPE_ANY, 0, 5, 0, 0);
	at = rr_q(WIRE_TYPE_MX, 60);
	tu_u16(&fx->resp, 10);
	tu_name_text(&fx->resp, "mail.example.com");
	tu_rr_end(&fx->resp, at);
	at = rr_q(WIRE_TYPE_TXT, 60);
	tu_u8(&fx->resp, 9);
	tu_bytes(&fx->resp, "v=\"q\" \\ok", 9);
	tu_rr_end(&fx->resp, at);
	at = rr_q(WIRE_TYPE_SOA, 60);
	tu_bytes(&fx->resp, rd,
		 tu_rdata_soa("ns-1536.awsdns-00.co.uk",
			      "awsdns-hostmaster.amazon.com", 1, 86400, rd));
	tu_rr_end(&fx->resp, at);
	/* RFC 3597: unknown types print as \# <len> <hex>. */
	at = rr_q(65280, 60);
	tu_bytes(&fx->resp, "\x01\x02\xff", 3);
	tu_rr_end(&fx->resp, at);
	/* An A RR with a 3-byte RDATA: ldns refuses it, the generic form
	 * still logs it. */
	at = rr_q(WIRE_TYPE_A, 60);
	tu_bytes(&fx->resp, "\xc0\x00\x02", 3);
	tu_rr_end(&fx->resp, at);
	ck_assert_str_eq(format_ok(),
			 HEAD("example.com.", "ANY", "NOERROR") ANS_MX
			 "," ANS_TXT "," ANS_SOA "," ANS_UNKNOWN
			 "," ANS_BAD_A TAIL_UDP "}\n");
}
END_TEST

START_TEST(test_timestamp)
{
	static const struct {
		uint64_t ms;
		const char *text;
	} cases[] = {
	    {0, "1970-01-01T00:00:00Z"},
	    {999, "1970-01-01T00:00:00Z"},
	    {951868799999ull, "2000-02-29T23:59:59Z"},
	    {T0_MS, "2026-11-23T16:28:30Z"},
	};
	char want[64];

	start("x.example", WIRE_TYPE_A);
	resp_begin("x.example", WIRE_TYPE_A, 0, 0, 0, 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fx->ev.unix_ms = cases[i].ms;
		snprintf(want, sizeof(want), "\"query_timestamp\":\"%s\",",
			 cases[i].text);
		ck_assert_ptr_nonnull(strstr(format_ok(), want));
	}
}
END_TEST

START_TEST(test_defaults)
{
	start("x.example", WIRE_TYPE_A);
	resp_begin("x.example", WIRE_TYPE_A, 0, 0, 0, 0);
	fx->ev.account_id = NULL;
	fx->ev.region = NULL;
	fx->ev.vpc_id = NULL;
	fx->ev.src = NULL;
	ck_assert_str_eq(
	    format_ok(),
	    "{\"version\":\"1.100000\",\"account_id\":\"000000000000\","
	    "\"region\":\"\",\"vpc_id\":\"\",\"query_timestamp\":"
	    "\"2026-11-23T16:28:30Z\",\"query_name\":\"x.example.\","
	    "\"query_type\":\"A\",\"query_class\":\"IN\",\"rcode\":"
	    "\"NOERROR\",\"answers\":[],\"srcaddr\":\"\",\"srcport\":\"0\","
	    "\"transport\":\"UDP\",\"srcids\":{\"instance\":\"\"}}\n");
}
END_TEST

/* ---- bad input and short buffers ---------------------------------------- */

START_TEST(test_malformed_response_sections)
{
	start("x.example", WIRE_TYPE_A);
	resp_begin("x.example", WIRE_TYPE_A, WIRE_RCODE_NOERROR, 2, 0, 1);
	rr_a(NULL, "192.0.2.1");
	/* The second answer is cut short; the OPT is never reached. */
	tu_u16(&fx->resp, 0xc00c);
	tu_u16(&fx->resp, WIRE_TYPE_A);
	ck_assert_str_eq(format_ok(),
			 HEAD("x.example.", "A", "NOERROR") TAIL_UDP "}\n");
	/* A forward compression pointer in an answer. */
	resp_begin("x.example", WIRE_TYPE_A, WIRE_RCODE_SERVFAIL, 1, 0, 0);
	tu_u16(&fx->resp, 0xc0ff);
	ck_assert_str_eq(format_ok(),
			 HEAD("x.example.", "A", "SERVFAIL") TAIL_UDP "}\n");
}
END_TEST

START_TEST(test_bad_messages)
{
	int rc;

	start("x.example", WIRE_TYPE_A);
	resp_begin("x.example", WIRE_TYPE_A, 0, 0, 0, 0);
	/* No response header. */
	fx->ev.response_len = 11;
	rc = qlog_format(&fx->ev, fx->line, sizeof(fx->line), &fx->len);
	ck_assert_int_eq(rc, VPC_EMALFORMED);
	fx->ev.response = NULL;
	fx->ev.response_len = 0;
	rc = qlog_format(&fx->ev, fx->line, sizeof(fx->line), &fx->len);
	ck_assert_int_eq(rc, VPC_EMALFORMED);
	/* A query without a question: the response's is used. */
	fx->ev.response = fx->resp.b;
	fx->ev.query_len = 12;
	fx->query.b[5] = 0; /* QDCOUNT 0 */
	ck_assert_str_eq(format_ok(),
			 HEAD("x.example.", "A", "NOERROR") TAIL_UDP "}\n");
	/* Neither has one. */
	fx->resp.b[5] = 0;
	fx->resp.len = 12;
	fx->ev.response_len = 12;
	rc = qlog_format(&fx->ev, fx->line, sizeof(fx->line), &fx->len);
	ck_assert_int_eq(rc, VPC_EMALFORMED);
	fx->ev.query = NULL;
	fx->ev.query_len = 0;
	rc = qlog_format(&fx->ev, fx->line, sizeof(fx->line), &fx->len);
	ck_assert_int_eq(rc, VPC_EMALFORMED);
}
END_TEST

START_TEST(test_espace_and_cut_answers)
{
	size_t full, without;
	char small[512];
	int rc;

	start("many.example", WIRE_TYPE_A);
	resp_begin("many.example", WIRE_TYPE_A, 0, 3, 0, 0);
	rr_a(NULL, "192.0.2.1");
	rr_a(NULL, "192.0.2.2");
	rr_a(NULL, "192.0.2.3");
	format_ok();
	full = fx->len;
	without = full - 3 * strlen(ANS("192.0.2.1", "A")) - 2;
	/* Exactly enough (line + NUL): everything. */
	rc = qlog_format(&fx->ev, small, full + 1, &fx->len);
	ck_assert_int_eq(rc, VPC_OK);
	ck_assert_str_eq(small, fx->line);
	/* One byte less: the last answer goes, the line stays JSON. */
	rc = qlog_format(&fx->ev, small, full, &fx->len);
	ck_assert_int_eq(rc, VPC_OK);
	ck_assert_uint_eq(fx->len, strlen(small));
	ck_assert(json_line_ok(small, fx->len));
	ck_assert_ptr_nonnull(strstr(small, ANS("192.0.2.2", "A") "]"));
	ck_assert_ptr_null(strstr(small, "192.0.2.3"));
	/* Room for no answer at all. */
	rc = qlog_format(&fx->ev, small, without + 1, &fx->len);
	ck_assert_int_eq(rc, VPC_OK);
	ck_assert_uint_eq(fx->len, without);
	ck_assert_ptr_nonnull(strstr(small, "\"answers\":[],"));
	ck_assert(json_line_ok(small, fx->len));
	/* Less than that: VPC_ESPACE, len untouched. */
	fx->len = 12345;
	for (size_t cap = 0; cap <= without; cap++) {
		rc = qlog_format(&fx->ev, small, cap, &fx->len);
		ck_assert_int_eq(rc, VPC_ESPACE);
	}
	ck_assert_uint_eq(fx->len, 12345);
}
END_TEST

START_TEST(test_mnemonic_helpers)
{
	char b[16];

	ck_assert_str_eq(qlog_type_name(1, b), "A");
	ck_assert_str_eq(qlog_type_name(28, b), "AAAA");
	ck_assert_str_eq(qlog_type_name(0, b), "TYPE0");
	ck_assert_str_eq(qlog_type_name(251, b), "IXFR");
	ck_assert_str_eq(qlog_type_name(65535, b), "TYPE65535");
	ck_assert_str_eq(qlog_class_name(1, b), "IN");
	ck_assert_str_eq(qlog_class_name(4, b), "HS");
	ck_assert_str_eq(qlog_class_name(255, b), "ANY");
	ck_assert_str_eq(qlog_class_name(65535, b), "CLASS65535");
	ck_assert_str_eq(qlog_rcode_name(0, b), "NOERROR");
	ck_assert_str_eq(qlog_rcode_name(1, b), "FORMERR");
	ck_assert_str_eq(qlog_rcode_name(3, b), "NXDOMAIN");
	ck_assert_str_eq(qlog_rcode_name(4, b), "NOTIMP");
	ck_assert_str_eq(qlog_rcode_name(16, b), "BADVERS");
	ck_assert_str_eq(qlog_rcode_name(23, b), "BADCOOKIE");
	ck_assert_str_eq(qlog_rcode_name(12, b), "RCODE12");
	ck_assert_str_eq(qlog_rcode_name(4095, b), "RCODE4095");
}
END_TEST

static Suite *
qlog_suite(void)
{
	Suite *s = suite_create("qlog");
	TCase *tc;

	tc = tcase_create("json_checker");
	tcase_add_test(tc, test_json_checker);
	suite_add_tcase(s, tc);

	tc = tcase_create("lines");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_a_answer);
	tcase_add_test(tc, test_cname_chain);
	tcase_add_test(tc, test_nxdomain);
	tcase_add_test(tc, test_servfail_refused);
	tcase_add_test(tc, test_badvers_from_opt);
	tcase_add_test(tc, test_firewall_block);
	tcase_add_test(tc, test_tcp_ipv6_inbound);
	tcase_add_test(tc, test_odd_bytes_in_name);
	tcase_add_test(tc, test_type_class_mnemonics);
	tcase_add_test(tc, test_rdata_kinds);
	tcase_add_test(tc, test_timestamp);
	tcase_add_test(tc, test_defaults);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_malformed_response_sections);
	tcase_add_test(tc, test_bad_messages);
	tcase_add_test(tc, test_espace_and_cut_answers);
	suite_add_tcase(s, tc);

	tc = tcase_create("mnemonics");
	tcase_add_test(tc, test_mnemonic_helpers);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(qlog_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
