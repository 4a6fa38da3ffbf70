/*
 * tests/unit/check_endpoint.c - unit tests of the VPC endpoint records
 * (endpoint_) through the real view set.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Each test loads inline YAML with conf_load_string(), builds the views
 * with view_set_build() (which runs endpoint_build()), and then asks
 * questions through answer_query() as a client inside the VPC, through the
 * VPC's inbound endpoint or from outside, or looks at the synthesized
 * zones with view_find_zone()/zone_find().  Responses are parsed with
 * tu_parse().  The expectations are those of SPEC 1.1 (vpce names), 1.2
 * (private DNS names, Route 53 SOA), 1.3/1.4 (gateway, inbound-only S3,
 * resource endpoints), 1.5a (decisions), 1.6 (views) and Part 3 (AA, SOA
 * in negative answers, 0x20 case).
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "engine/answer.h"
#include "check_util.h"
#include "conf/conf.h"
#include "conf/quickstart.h"
#include "engine/endpoint.h"
#include "util/err.h"
#include "dns/msg.h"
#include "engine/view.h"
#include "dns/wire.h"
#include "engine/zone.h"

/* Route 53 SOA of every private hosted zone (SPEC 1.2). */
#define R53_MNAME "ns-1536.awsdns-00.co.uk"
#define R53_RNAME "awsdns-hostmaster.amazon.com"
/* RFC 2308 negative TTL of that SOA: min(TTL 900, MINIMUM 86400). */
#define R53_NEG_TTL 900

static struct conf *cf;
static struct view_set *vs;
static struct sockaddr_in client; /* 10.0.0.5 unless a test changes it */
static struct answer_src src;
static struct answer_job job;
static struct tu_pkt query;
static struct tu_resp resp;
static uint8_t out[MSG_TCP_MAX];
static size_t out_len;

/* ---- configurations ------------------------------------------------------ */

/* One VPC in us-east-1 without `clients`: the view of every client. */
#define VPC_HEAD(region)                                                       \
	"vpcs:\n"                                                              \
	"  - id: vpc-0a1b2c3d\n"                                               \
	"    region: " region "\n"                                             \
	"    cidr-blocks: [10.0.0.0/16]\n"                                     \
	"    endpoints:\n"

/* An endpoint entry; @extra is more "        key: value\n" lines. */
#define EP(id, service, extra, subnets)                                        \
	"      - id: " id "\n"                                                 \
	"        service: " service "\n" extra "        subnets: " subnets     \
	"\n"

#define SUFFIX(s) "        dns-suffix: " s "\n"

/* The YAML texts are laid out by hand, one YAML line a source line. */
/* clang-format off */

/* Every row of the SPEC 1.2 table, one endpoint each, in us-east-1. */
static const char main_yaml[] =
    VPC_HEAD("us-east-1")
    /* SPEC 1.1's example endpoint: two AZs, none in us-east-1c. */
    EP("vpce-0a1b2c3d4e5f67890", "com.amazonaws.us-east-1.secretsmanager",
       SUFFIX("abcd1234"),
       "[{az: us-east-1a, ipv4: 10.0.1.15}, {az: us-east-1b, ipv4: "
       "10.0.2.27}]")
    EP("vpce-05a5a5a5a5a5a5a5a", "com.amazonaws.us-east-1.s3",
       SUFFIX("s3s3s3s3"),
       "[{az: us-east-1a, ipv4: 10.0.1.16}, {az: us-east-1b, ipv4: "
       "10.0.2.16}]")
    EP("vpce-0ec0000000000000a", "com.amazonaws.us-east-1.ecr.api",
       SUFFIX("ecrapi01"), "[{az: us-east-1a, ipv4: 10.0.1.20}]")
    EP("vpce-0ec0000000000000d", "com.amazonaws.us-east-1.ecr.dkr",
       SUFFIX("ecrdkr01"), "[{az: us-east-1a, ipv4: 10.0.1.21}]")
    EP("vpce-0e0000000000000a1", "com.amazonaws.us-east-1.execute-api",
       SUFFIX("execapi1"), "[{az: us-east-1a, ipv4: 10.0.1.22}]")
    EP("vpce-05a0000000000000a", "com.amazonaws.us-east-1.sagemaker.runtime",
       SUFFIX("smrt0001"), "[{az: us-east-1a, ipv4: 10.0.1.23}]")
    EP("vpce-05a0000000000000b", "com.amazonaws.us-east-1.sagemaker.api",
       SUFFIX("smapi001"), "[{az: us-east-1a, ipv4: 10.0.1.24}]")
    EP("vpce-0f1000000000000a1", "com.amazonaws.us-east-1.kms-fips",
       SUFFIX("kmsfips1"), "[{az: us-east-1a, ipv4: 10.0.1.25}]")
    EP("vpce-0575000000000000a", "com.amazonaws.us-east-1.sts",
       SUFFIX("sts00001"), "[{az: us-east-1a, ipv4: 10.0.1.26}]")
    EP("vpce-0505000000000000a", "com.amazonaws.us-east-1.sqs",
       SUFFIX("sqs00001"), "[{az: us-east-1a, ipv4: 10.0.1.27}]");

#define SM_REGIONAL                                                            \
	"vpce-0a1b2c3d4e5f67890-abcd1234.secretsmanager.us-east-1.vpce."       \
	"amazonaws.com"
#define SM_ZONE "secretsmanager.us-east-1.vpce.amazonaws.com"
#define S3_REGIONAL                                                            \
	"vpce-05a5a5a5a5a5a5a5a-s3s3s3s3.s3.us-east-1.vpce.amazonaws.com"
#define S3_ZONAL_A                                                             \
	"vpce-05a5a5a5a5a5a5a5a-s3s3s3s3-us-east-1a.s3.us-east-1.vpce."        \
	"amazonaws.com"
#define S3_ZONE "s3.us-east-1.vpce.amazonaws.com"

/* The China partition (SPEC 1.1, 1.2). */
static const char china_yaml[] =
    VPC_HEAD("cn-north-1")
    EP("vpce-0c0000000000000a1", "cn.com.amazonaws.cn-north-1.secretsmanager",
       SUFFIX("cnsm0001"),
       "[{az: cn-north-1a, ipv4: 172.31.0.10}, {az: cn-north-1b, ipv4: "
       "172.31.16.10}]")
    EP("vpce-0c0000000000000a2", "cn.com.amazonaws.cn-north-1.ecr.dkr",
       SUFFIX("cndkr001"), "[{az: cn-north-1a, ipv4: 172.31.0.11}]")
    EP("vpce-0c0000000000000a3", "cn.com.amazonaws.cn-north-1.s3",
       SUFFIX("cns30001"), "[{az: cn-north-1a, ipv4: 172.31.0.12}]");

/* dns-record-ip-type (SPEC 1.1, 1.5a). */
static const char iptype_yaml[] =
    VPC_HEAD("us-east-1")
    /* ipv4: the subnet's IPv6 address is never answered. */
    EP("vpce-0100000000000000a", "com.amazonaws.us-east-1.ssm",
       SUFFIX("ipv4only"),
       "[{az: us-east-1a, ipv4: 10.0.1.30, ipv6: 'fd00:10:1::30'}]")
    EP("vpce-0100000000000000b", "com.amazonaws.us-east-1.ec2",
       SUFFIX("dualstak") "        ip-address-type: dualstack\n",
       "[{az: us-east-1a, ipv4: 10.0.1.31, ipv6: 'fd00:10:1::31'}, "
       "{az: us-east-1b, ipv4: 10.0.2.31, ipv6: 'fd00:10:2::31'}]")
    EP("vpce-0100000000000000c", "com.amazonaws.us-east-1.logs",
       SUFFIX("ipv6only") "        ip-address-type: ipv6\n",
       "[{az: us-east-1a, ipv6: 'fd00:10:1::32'}]")
    EP("vpce-0100000000000000d", "com.amazonaws.us-east-1.kms",
       SUFFIX("svcdefnd") "        ip-address-type: dualstack\n"
                          "        dns-record-ip-type: service-defined\n",
       "[{az: us-east-1a, ipv4: 10.0.1.33, ipv6: 'fd00:10:1::33'}]")
    EP("vpce-0100000000000000e", "com.amazonaws.us-east-1.sns",
       SUFFIX("dsrecv4x") "        ip-address-type: dualstack\n"
                          "        dns-record-ip-type: ipv4\n",
       "[{az: us-east-1a, ipv4: 10.0.1.34, ipv6: 'fd00:10:1::34'}]");

/* private-dns off, overrides, providers, resources, cross-Region. */
static const char kinds_yaml[] =
    VPC_HEAD("us-east-1")
    EP("vpce-0200000000000000a", "com.amazonaws.us-east-1.secretsmanager",
       SUFFIX("nopriv01") "        private-dns: false\n",
       "[{az: us-east-1a, ipv4: 10.0.1.40}]")
    EP("vpce-0200000000000000b", "com.amazonaws.us-east-1.ssm",
       SUFFIX("override")
       "        private-dns-names: [ssm.corp.example, '*.ssm.corp.example']\n",
       "[{az: us-east-1a, ipv4: 10.0.1.41}, {az: us-east-1b, ipv4: "
       "10.0.2.41}]")
    EP("vpce-0200000000000000c", "com.amazonaws.us-east-1.sns",
       SUFFIX("emptyovr") "        private-dns-names: []\n",
       "[{az: us-east-1a, ipv4: 10.0.1.42}]")
    EP("vpce-0200000000000000d",
       "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0",
       SUFFIX("provider") "        private-dns-names: [api.partner.example]\n",
       "[{az: us-east-1a, ipv4: 10.0.1.43}, {az: us-east-1b, ipv4: "
       "10.0.2.43}]")
    EP("vpce-0200000000000000e",
       "com.amazonaws.vpce.us-east-1.vpce-svc-0fedcba9876543210",
       SUFFIX("provnone"), "[{az: us-east-1a, ipv4: 10.0.1.44}]")
    EP("vpce-0200000000000000f", "rds-db1",
       SUFFIX("resource") "        type: resource\n"
       "        private-dns-names: [db1.abc123.us-east-1.rds.amazonaws.com]\n",
       "[{az: us-east-1a, ipv4: 10.0.1.99}]")
    /* Cross-Region: the service is in eu-west-1, the VPC in us-east-1. */
    EP("vpce-02000000000000010", "com.amazonaws.eu-west-1.sqs",
       SUFFIX("xregion1"),
       "[{az: us-east-1a, ipv4: 10.0.1.50}, {az: us-east-1b, ipv4: "
       "10.0.2.50}]");

/* A resource endpoint alone: it gets no vpce names (SPEC 1.5a). */
static const char resource_yaml[] =
    VPC_HEAD("us-east-1")
    /* Issue 12: no service key (kinds_yaml keeps one as a label). */
    "      - id: vpce-0300000000000000a\n"
    "        type: resource\n"
    "        private-dns-names: [db1.abc123.us-east-1.rds.amazonaws.com, "
    "db1-ro.abc123.us-east-1.rds.amazonaws.com]\n"
    "        subnets: [{az: us-east-1a, ipv4: 10.0.1.99}, {az: us-east-1b, "
    "ipv4: 10.0.2.99}]\n";

/* Gateway endpoints only: routing, not DNS (SPEC 1.3). */
static const char gateway_yaml[] =
    VPC_HEAD("us-east-1")
    "      - {id: vpce-0400000000000000a, service: "
    "com.amazonaws.us-east-1.s3, type: gateway}\n"
    "      - {id: vpce-0400000000000000b, service: "
    "com.amazonaws.us-east-1.dynamodb, type: gateway}\n";

/* An S3 gateway endpoint and an S3 interface endpoint that is
 * inbound-only by default (SPEC 1.3, 1.5a); @flag is the explicit key or
 * "". */
#define INBOUND_YAML(flag)                                                     \
	VPC_HEAD("us-east-1")                                                  \
	"      - {id: vpce-0500000000000000a, service: "                       \
	"com.amazonaws.us-east-1.s3, type: gateway}\n" EP(                     \
	    "vpce-0500000000000000b", "com.amazonaws.us-east-1.s3",            \
	    SUFFIX("inbound1") flag,                                           \
	    "[{az: us-east-1a, ipv4: 10.0.1.60}, {az: us-east-1b, ipv4: "      \
	    "10.0.2.60}]")

#define INBOUND_KEY "        private-dns-only-for-inbound-resolver-endpoint: "

static const char inbound_default_yaml[] = INBOUND_YAML("");
static const char inbound_true_yaml[] = INBOUND_YAML(INBOUND_KEY "true\n");
static const char inbound_false_yaml[] = INBOUND_YAML(INBOUND_KEY "false\n");

/* A global service (no Region in its name) in two Regions (SPEC 1.5a). */
static const char global_yaml[] =
    VPC_HEAD("us-east-1")
    EP("vpce-0900000000000000a", "com.amazonaws.iam", SUFFIX("iam00001"),
       "[{az: us-east-1a, ipv4: 10.0.1.70}, {az: us-east-1b, ipv4: "
       "10.0.2.70}]")
    "  - id: vpc-0a1b2c3e\n"
    "    region: eu-west-1\n"
    "    clients: [10.1.0.0/16]\n"
    "    endpoints:\n"
    EP("vpce-0900000000000000b", "com.amazonaws.iam", SUFFIX("iam00002"),
       "[{az: eu-west-1a, ipv4: 10.1.1.70}]");

/* DynamoDB: gateway and interface, inbound-only by default (SPEC 1.5a). */
static const char ddb_inbound_yaml[] =
    VPC_HEAD("us-east-1")
    "      - {id: vpce-0d00000000000000a, service: "
    "com.amazonaws.us-east-1.dynamodb, type: gateway}\n"
    EP("vpce-0d00000000000000b", "com.amazonaws.us-east-1.dynamodb",
       SUFFIX("ddb00001"), "[{az: us-east-1a, ipv4: 10.0.1.80}]");

/* An S3 gateway endpoint whose dns-record-ip-type filters the forwarded
 * public answer (SPEC 1.5a); @types is its address/record type keys. */
#define GW_FILTER_YAML(types)                                                  \
	VPC_HEAD("us-east-1")                                                  \
	"      - {id: vpce-0a00000000000000a, service: "                       \
	"com.amazonaws.us-east-1.s3, type: gateway" types "}\n"

static const char gw_ipv4_yaml[] =
    GW_FILTER_YAML(", dns-record-ip-type: ipv4");
static const char gw_ipv6_yaml[] = GW_FILTER_YAML(
    ", ip-address-type: dualstack, dns-record-ip-type: ipv6");
static const char gw_default_yaml[] = GW_FILTER_YAML("");

/* A VPC with `clients`: anyone else is an outside client (SPEC 1.6). */
static const char clients_yaml[] =
    "vpcs:\n"
    "  - id: vpc-0a1b2c3d\n"
    "    region: us-east-1\n"
    "    clients: [10.0.0.0/8]\n"
    "    endpoints:\n" EP(
	"vpce-0a1b2c3d4e5f67890", "com.amazonaws.us-east-1.secretsmanager",
	SUFFIX("abcd1234"),
	"[{az: us-east-1a, ipv4: 10.0.1.15}, {az: us-east-1b, ipv4: "
	"10.0.2.27}]")
	EP("vpce-0600000000000000a",
	   "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0",
	   SUFFIX("provider") "        private-dns-names: [api.partner.example]\n",
	   "[{az: us-east-1a, ipv4: 10.0.1.43}]");

/* clang-format on */

/* ---- fixture and helpers ------------------------------------------------- */

static void
setup(void)
{
	cf = NULL;
	vs = NULL;
	memset(&client, 0, sizeof(client));
	client.sin_family = AF_INET;
	client.sin_addr.s_addr = htonl(0x0a000005); /* 10.0.0.5 */
	client.sin_port = htons(5353);
	src.addr = (const struct sockaddr *)&client;
	src.inbound = VIEW_NOT_INBOUND;
	src.tcp = false;
}

static void
teardown(void)
{
	view_set_free(vs); /* borrows cf: first */
	vs = NULL;
	conf_free(cf);
	cf = NULL;
}

static void
dump_errors(const struct conf_errors *errs)
{
	for (size_t i = 0; i < errs->n; i++)
		fprintf(stderr, "  %s\n", errs->msgs[i]);
}

/* Loads @yaml and builds its views; both must succeed. */
static void
load(const char *yaml)
{
	struct conf_errors errs = {0};
	int rc;

	rc = conf_load_string(NULL, yaml, strlen(yaml), "t.yaml", &cf, &errs);
	dump_errors(&errs);
	ck_assert_msg(rc == VPC_OK, "conf_load_string: %s", vpc_strerror(rc));
	rc = view_set_build(cf, &vs, &errs);
	dump_errors(&errs);
	ck_assert_msg(rc == VPC_OK, "view_set_build: %s", vpc_strerror(rc));
	ck_assert_uint_eq(errs.n, 0);
	conf_errors_cleanup(&errs);
}

/* Moves the client to @addr (IPv4 text). */
static void
client_at(const char *addr)
{
	ck_assert_int_eq(inet_pton(AF_INET, addr, &client.sin_addr), 1);
}

static enum answer_action
run(const char *name, uint16_t type)
{
	tu_query(&query, name, type, 0);
	out_len = 0;
	return answer_query(&job, vs, NULL, &src, query.b, query.len, 0, out,
			    MSG_UDP_MAX, &out_len);
}

/* Zones of a set other than the EC2 hostname and reverse zones every VPC
 * has (SPEC 1.7). */
static size_t
count_endpoint_zones(const struct zoneset *zs)
{
	size_t n = 0;

	for (size_t i = 0; i < zoneset_count(zs); i++)
		n += zoneset_get(zs, i)->synth == ZONE_SYNTH_NONE;
	return n;
}

/* Asks @name/@type; expects a local reply and parses it into resp. */
static void
ask(const char *name, uint16_t type)
{
	enum answer_action a = run(name, type);

	ck_assert_msg(a == ANSWER_REPLY, "%s/%u: not answered locally (%d)",
		      name, type, (int)a);
	ck_assert_uint_gt(out_len, 0);
	tu_parse_ok(out, out_len, &resp);
	ck_assert_uint_eq(resp.id, 0x1234);
	/* Part 3: the question is echoed byte for byte. */
	ck_assert_uint_ge(out_len, query.len);
	ck_assert_mem_eq(out + WIRE_HEADER_LEN, query.b + WIRE_HEADER_LEN,
			 query.len - WIRE_HEADER_LEN);
}

/* Asks @name/@type; expects it to be forwarded upstream unchanged. */
static void
ask_forward(const char *name, uint16_t type)
{
	uint8_t want[WIRE_MAX_NAME_LEN], lower[WIRE_MAX_NAME_LEN];
	size_t len = wire_name_from_text(name, want);
	enum answer_action a = run(name, type);

	ck_assert_msg(a == ANSWER_FORWARD, "%s/%u: not forwarded (%d)", name,
		      type, (int)a);
	wire_name_lower(lower, want, len);
	ck_assert_msg(job.fwd_name_len == len &&
			  memcmp(job.fwd_name, lower, len) == 0,
		      "%s: another name is forwarded", name);
	ck_assert_uint_eq(job.chain_count, 0);
}

/* Looks for an RR of @type at @owner in @section whose RDATA is @rd. */
static int
find_rr(int section, const char *owner, uint16_t type, const uint8_t *rd,
	uint16_t rdlen)
{
	for (size_t i = 0; i < resp.n_rrs; i++) {
		const struct tu_rr *rr = &resp.rr[i];

		if (rr->section == section && rr->type == type &&
		    rr->rdlen == rdlen &&
		    tu_name_is(rr->owner, rr->owner_len, owner) &&
		    memcmp(out + rr->rdata_off, rd, rdlen) == 0)
			return (int)i;
	}
	return -1;
}

/*
 * The answer section holds @addrs (space-separated IPv4 or IPv6 text,
 * following @type) at owner @owner, TTL 60 (SPEC 1.1), and, unless
 * @others, nothing else.
 */
static void
expect_addrs_in(const char *owner, uint16_t type, const char *addrs,
		bool others)
{
	char buf[512], *save = NULL, *tok;
	unsigned n = 0;

	snprintf(buf, sizeof(buf), "%s", addrs);
	for (tok = strtok_r(buf, " ", &save); tok != NULL;
	     tok = strtok_r(NULL, " ", &save)) {
		uint8_t rd[16];
		uint16_t rdlen = type == WIRE_TYPE_A ? tu_rdata_a(tok, rd)
						     : tu_rdata_aaaa(tok, rd);
		int i = find_rr(MSG_ANSWER, owner, type, rd, rdlen);

		ck_assert_msg(i >= 0, "%s: no %s %s in the answer", owner,
			      type == WIRE_TYPE_A ? "A" : "AAAA", tok);
		ck_assert_uint_eq(resp.rr[i].ttl, ENDPOINT_TTL);
		ck_assert_uint_eq(resp.rr[i].rclass, WIRE_CLASS_IN);
		n++;
	}
	ck_assert_uint_eq(tu_count(&resp, MSG_ANSWER, type), n);
	if (!others)
		ck_assert_uint_eq(resp.count[MSG_ANSWER], n);
}

/* @name/@type answers exactly @addrs, authoritatively, TTL 60. */
static void
expect_local(const char *name, uint16_t type, const char *addrs)
{
	ask(name, type);
	ck_assert_msg(resp.rcode == WIRE_RCODE_NOERROR, "%s: rcode %u", name,
		      resp.rcode);
	ck_assert_msg(resp.flags & WIRE_FLAG_AA, "%s: AA not set", name);
	ck_assert_uint_eq(resp.count[MSG_AUTHORITY], 0);
	expect_addrs_in(name, type, addrs, false);
}

/* The authority section is the Route 53 SOA of @apex (SPEC 1.2) with the
 * RFC 2308 TTL, and nothing else. */
static void
expect_r53_soa(const char *apex)
{
	const struct tu_rr *rr;
	struct wire_reader r;
	uint8_t name[WIRE_MAX_NAME_LEN];
	size_t len;
	static const uint32_t want[5] = {1, 7200, 900, 1209600, 86400};

	ck_assert_uint_eq(resp.count[MSG_AUTHORITY], 1);
	ck_assert_uint_eq(resp.n_rrs, (size_t)resp.count[MSG_ANSWER] + 1);
	rr = &resp.rr[resp.n_rrs - 1];
	ck_assert_int_eq(rr->section, MSG_AUTHORITY);
	ck_assert_uint_eq(rr->type, WIRE_TYPE_SOA);
	ck_assert_msg(tu_name_is(rr->owner, rr->owner_len, apex),
		      "SOA owner is not %s", apex);
	ck_assert_uint_eq(rr->ttl, R53_NEG_TTL);
	wire_reader_init(&r, out, out_len);
	r.pos = rr->rdata_off;
	len = wire_read_name(&r, name);
	ck_assert_msg(tu_name_is(name, len, R53_MNAME), "SOA MNAME");
	len = wire_read_name(&r, name);
	ck_assert_msg(tu_name_is(name, len, R53_RNAME), "SOA RNAME");
	for (int i = 0; i < 5; i++)
		ck_assert_uint_eq(wire_read_u32(&r), want[i]);
	ck_assert_int_eq(r.err, VPC_OK);
	ck_assert_uint_eq(r.pos, rr->rdata_off + rr->rdlen);
}

/* @name/@type: NOERROR, AA, no answer, the Route 53 SOA of @apex. */
static void
expect_nodata(const char *name, uint16_t type, const char *apex)
{
	ask(name, type);
	ck_assert_msg(resp.rcode == WIRE_RCODE_NOERROR, "%s: rcode %u", name,
		      resp.rcode);
	ck_assert(resp.flags & WIRE_FLAG_AA);
	ck_assert_uint_eq(resp.count[MSG_ANSWER], 0);
	expect_r53_soa(apex);
}

/* @name/@type: NXDOMAIN, AA, no answer, the Route 53 SOA of @apex. */
static void
expect_nxdomain(const char *name, uint16_t type, const char *apex)
{
	ask(name, type);
	ck_assert_msg(resp.rcode == WIRE_RCODE_NXDOMAIN, "%s: rcode %u", name,
		      resp.rcode);
	ck_assert(resp.flags & WIRE_FLAG_AA);
	ck_assert_uint_eq(resp.count[MSG_ANSWER], 0);
	expect_r53_soa(apex);
}

/* The zone of @v that answers @name (text), or NULL. */
static const struct zone *
zone_of(const struct view *v, const char *name)
{
	uint8_t w[WIRE_MAX_NAME_LEN], lower[WIRE_MAX_NAME_LEN];
	size_t len = tu_name(name, w);

	wire_name_lower(lower, w, len);
	return view_find_zone(v, lower, len);
}

static bool
zone_is(const struct zone *z, const char *apex)
{
	uint8_t w[WIRE_MAX_NAME_LEN];
	size_t len = tu_name(apex, w);

	return z != NULL && z->apex_len == len && memcmp(z->apex, w, len) == 0;
}

/* ---- endpoint_suffix ----------------------------------------------------- */

static bool
suffix_ok(const char *s)
{
	if (strlen(s) != ENDPOINT_SUFFIX_LEN)
		return false;
	for (const char *p = s; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')))
			return false;
	return true;
}

START_TEST(test_suffix_derived)
{
	char id[] = "vpce-0a1b2c3d4e5f67890", id2[] = "vpce-0a1b2c3d4e5f67891";
	char id3[] = "vpce-01";
	struct conf_endpoint ep = {.id = id};
	char a[ENDPOINT_SUFFIX_LEN + 1], b[ENDPOINT_SUFFIX_LEN + 1];

	memset(a, 'X', sizeof(a));
	endpoint_suffix(&ep, a);
	ck_assert_msg(suffix_ok(a), "bad suffix '%s'", a);
	/* Stable: the same id gives the same suffix, call after call... */
	endpoint_suffix(&ep, b);
	ck_assert_str_eq(a, b);
	/* ...and release after release: the names of an endpoint must not
	 * change when vpcdns is upgraded (SPEC 1.1 "fixed for the endpoint's
	 * life").  FNV-1a 64 of the id, 8 base-36 digits. */
	ck_assert_str_eq(a, "6hk8ayr2");
	ep.id = id3;
	endpoint_suffix(&ep, b);
	ck_assert_str_eq(b, "xwvfg7lw");
	/* Another id, another suffix. */
	ep.id = id2;
	endpoint_suffix(&ep, b);
	ck_assert_msg(suffix_ok(b), "bad suffix '%s'", b);
	ck_assert_str_ne(a, b);
}
END_TEST

START_TEST(test_suffix_configured)
{
	char id[] = "vpce-0a1b2c3d4e5f67890", sfx[] = "abcd1234";
	struct conf_endpoint ep = {.id = id, .dns_suffix = sfx};
	char a[ENDPOINT_SUFFIX_LEN + 1];

	endpoint_suffix(&ep, a);
	ck_assert_str_eq(a, "abcd1234");
}
END_TEST

START_TEST(test_suffix_in_names)
{
	/* clang-format off */
	/* Without dns-suffix the names use the derived suffix. */
	static const char yaml[] = VPC_HEAD("us-east-1") EP(
	    "vpce-0a1b2c3d4e5f67890", "com.amazonaws.us-east-1.secretsmanager",
	    "", "[{az: us-east-1a, ipv4: 10.0.1.15}]");
	char sfx[ENDPOINT_SUFFIX_LEN + 1], name[256];

	/* clang-format on */
	load(yaml);
	endpoint_suffix(&cf->vpcs[0].endpoints[0], sfx);
	ck_assert_str_eq(sfx, "6hk8ayr2");
	snprintf(name, sizeof(name),
		 "vpce-0a1b2c3d4e5f67890-%s.secretsmanager.us-east-1.vpce."
		 "amazonaws.com",
		 sfx);
	expect_local(name, WIRE_TYPE_A, "10.0.1.15");
	snprintf(name, sizeof(name),
		 "vpce-0a1b2c3d4e5f67890-%s-us-east-1a.secretsmanager.us-east-"
		 "1.vpce.amazonaws.com",
		 sfx);
	expect_local(name, WIRE_TYPE_A, "10.0.1.15");
	/* Another suffix for the same id is someone else's name. */
	ask_forward("vpce-0a1b2c3d4e5f67890-abcd1234.secretsmanager.us-east-1."
		    "vpce.amazonaws.com",
		    WIRE_TYPE_A);
}
END_TEST

START_TEST(test_suffix_configured_in_names)
{
	load(main_yaml);
	expect_local(SM_REGIONAL, WIRE_TYPE_A, "10.0.1.15 10.0.2.27");
	/* The derived suffix is not used when one is configured. */
	ask_forward("vpce-0a1b2c3d4e5f67890-6hk8ayr2.secretsmanager.us-east-1."
		    "vpce.amazonaws.com",
		    WIRE_TYPE_A);
}
END_TEST

/* ---- vpce names (SPEC 1.1, 1.5a) ----------------------------------------- */

START_TEST(test_vpce_regional_zonal)
{
	load(main_yaml);
	/* Regional: every ENI address. */
	expect_local(SM_REGIONAL, WIRE_TYPE_A, "10.0.1.15 10.0.2.27");
	/* Zonal: "-<az>" appended to the first label, that AZ's address. */
	expect_local("vpce-0a1b2c3d4e5f67890-abcd1234-us-east-1a."
		     "secretsmanager.us-east-1.vpce.amazonaws.com",
		     WIRE_TYPE_A, "10.0.1.15");
	expect_local("vpce-0a1b2c3d4e5f67890-abcd1234-us-east-1b."
		     "secretsmanager.us-east-1.vpce.amazonaws.com",
		     WIRE_TYPE_A, "10.0.2.27");
	/* Other irregular labels (SPEC 1.1): api.ecr, dkr.ecr,
	 * runtime.sagemaker. */
	expect_local("vpce-0ec0000000000000a-ecrapi01.api.ecr.us-east-1.vpce."
		     "amazonaws.com",
		     WIRE_TYPE_A, "10.0.1.20");
	expect_local("vpce-0ec0000000000000d-ecrdkr01-us-east-1a.dkr.ecr.us-"
		     "east-1.vpce.amazonaws.com",
		     WIRE_TYPE_A, "10.0.1.21");
	expect_local(
	    "vpce-05a0000000000000a-smrt0001.runtime.sagemaker.us-east-"
	    "1.vpce.amazonaws.com",
	    WIRE_TYPE_A, "10.0.1.23");
	expect_local("vpce-0f1000000000000a1-kmsfips1.kms-fips.us-east-1.vpce."
		     "amazonaws.com",
		     WIRE_TYPE_A, "10.0.1.25");
}
END_TEST

START_TEST(test_vpce_not_the_seed_form)
{
	/* SPEC 1.1: "<az-id>.vpce-..." is not what AWS serves; that name is
	 * below the regional name, so it is NXDOMAIN. */
	load(main_yaml);
	expect_nxdomain("use1-az1." SM_REGIONAL, WIRE_TYPE_A, SM_ZONE);
}
END_TEST

START_TEST(test_vpce_negative)
{
	load(main_yaml);
	/* An AZ without an interface has no zonal name. */
	expect_nxdomain("vpce-0a1b2c3d4e5f67890-abcd1234-us-east-1c."
			"secretsmanager.us-east-1.vpce.amazonaws.com",
			WIRE_TYPE_A, SM_ZONE);
	/* Below the regional or a zonal name (not S3): NXDOMAIN. */
	expect_nxdomain("foo." SM_REGIONAL, WIRE_TYPE_A, SM_ZONE);
	expect_nxdomain("a.b." SM_REGIONAL, WIRE_TYPE_AAAA, SM_ZONE);
	expect_nxdomain("foo.vpce-0a1b2c3d4e5f67890-abcd1234-us-east-1a."
			"secretsmanager.us-east-1.vpce.amazonaws.com",
			WIRE_TYPE_A, SM_ZONE);
	/* A type the name lacks: NODATA with the zone's SOA. */
	expect_nodata(SM_REGIONAL, WIRE_TYPE_AAAA, SM_ZONE);
	expect_nodata(SM_REGIONAL, WIRE_TYPE_TXT, SM_ZONE);
}
END_TEST

START_TEST(test_vpce_any)
{
	/* Part 3: ANY gets a minimal answer (RFC 8482): one RRset. */
	load(main_yaml);
	ask(SM_REGIONAL, WIRE_TYPE_ANY);
	ck_assert_uint_eq(resp.rcode, WIRE_RCODE_NOERROR);
	ck_assert(resp.flags & WIRE_FLAG_AA);
	ck_assert_uint_eq(resp.count[MSG_ANSWER], 2);
	expect_addrs_in(SM_REGIONAL, WIRE_TYPE_A, "10.0.1.15 10.0.2.27", false);
	ask("nope." SM_REGIONAL, WIRE_TYPE_ANY);
	ck_assert_uint_eq(resp.rcode, WIRE_RCODE_NXDOMAIN);
	ask("bucket." S3_REGIONAL, WIRE_TYPE_ANY);
	ck_assert_uint_eq(resp.rcode, WIRE_RCODE_NOERROR);
	ck_assert_uint_eq(resp.count[MSG_ANSWER], 2);
}
END_TEST

START_TEST(test_vpce_other_names_forwarded)
{
	load(main_yaml);
	/* Another endpoint id under the same service zone. */
	ask_forward("vpce-0fffffffffffffff0-zzzz9999.secretsmanager.us-east-1."
		    "vpce.amazonaws.com",
		    WIRE_TYPE_A);
	ask_forward("vpce-0fffffffffffffff0-zzzz9999-us-east-1a.secretsmanager."
		    "us-east-1.vpce.amazonaws.com",
		    WIRE_TYPE_A);
	/* The same id with another suffix. */
	ask_forward("vpce-0a1b2c3d4e5f67890-zzzz9999.secretsmanager.us-east-1."
		    "vpce.amazonaws.com",
		    WIRE_TYPE_A);
	/* An id that only starts like ours. */
	ask_forward("vpce-0a1b2c3d4e5f6789-abcd1234.secretsmanager.us-east-1."
		    "vpce.amazonaws.com",
		    WIRE_TYPE_A);
	/* The bare service vpce names and what is above them. */
	ask_forward(SM_ZONE, WIRE_TYPE_A);
	ask_forward(SM_ZONE, WIRE_TYPE_SOA);
	ask_forward(S3_ZONE, WIRE_TYPE_A);
	ask_forward("us-east-1.vpce.amazonaws.com", WIRE_TYPE_A);
	ask_forward("vpce.amazonaws.com", WIRE_TYPE_NS);
	/* A service with no endpoint here. */
	ask_forward("vpce-0123456789abcdef0-abcdefgh.lambda.us-east-1.vpce."
		    "amazonaws.com",
		    WIRE_TYPE_A);
	/* Our id and suffix under another service or Region. */
	ask_forward("vpce-0a1b2c3d4e5f67890-abcd1234.lambda.us-east-1.vpce."
		    "amazonaws.com",
		    WIRE_TYPE_A);
	ask_forward("vpce-0a1b2c3d4e5f67890-abcd1234.secretsmanager.us-west-2."
		    "vpce.amazonaws.com",
		    WIRE_TYPE_A);
}
END_TEST

START_TEST(test_vpce_s3_wildcards)
{
	load(main_yaml);
	/* SPEC 1.1: *.vpce-...s3... answers buckets, access points, control;
	 * the zonal ones answer that AZ's interface. */
	expect_local("bucket." S3_REGIONAL, WIRE_TYPE_A, "10.0.1.16 10.0.2.16");
	expect_local("accesspoint." S3_REGIONAL, WIRE_TYPE_A,
		     "10.0.1.16 10.0.2.16");
	expect_local("control." S3_REGIONAL, WIRE_TYPE_A,
		     "10.0.1.16 10.0.2.16");
	expect_local("my.dotted.bucket." S3_REGIONAL, WIRE_TYPE_A,
		     "10.0.1.16 10.0.2.16");
	expect_local("bucket." S3_ZONAL_A, WIRE_TYPE_A, "10.0.1.16");
	expect_local("bucket.vpce-05a5a5a5a5a5a5a5a-s3s3s3s3-us-east-1b.s3.us-"
		     "east-1.vpce.amazonaws.com",
		     WIRE_TYPE_A, "10.0.2.16");
	/* SPEC 1.5a: the bare names are empty non-terminals: NODATA. */
	expect_nodata(S3_REGIONAL, WIRE_TYPE_A, S3_ZONE);
	expect_nodata(S3_ZONAL_A, WIRE_TYPE_A, S3_ZONE);
	/* An AZ without an interface: NXDOMAIN, also below it. */
	expect_nxdomain("vpce-05a5a5a5a5a5a5a5a-s3s3s3s3-us-east-1c.s3.us-east-"
			"1.vpce.amazonaws.com",
			WIRE_TYPE_A, S3_ZONE);
	expect_nxdomain("bucket.vpce-05a5a5a5a5a5a5a5a-s3s3s3s3-us-east-1c.s3."
			"us-east-1.vpce.amazonaws.com",
			WIRE_TYPE_A, S3_ZONE);
	/* Another S3 endpoint's names are forwarded. */
	ask_forward("bucket.vpce-0fffffffffffffff0-zzzz9999.s3.us-east-1.vpce."
		    "amazonaws.com",
		    WIRE_TYPE_A);
}
END_TEST

START_TEST(test_vpce_zones_inspected)
{
	const struct view *v;
	const struct zone *z;
	const struct zone_node *n;
	const struct zone_rrset *rs;
	uint8_t w[WIRE_MAX_NAME_LEN];
	size_t len;

	load(main_yaml);
	v = &vs->vpcs[0];
	/* One vpce zone per "<label>.<region>.vpce.<domain>". */
	ck_assert_uint_eq(zoneset_count(vs->vpce), 10);
	z = zone_of(v, SM_REGIONAL);
	ck_assert_msg(zone_is(z, SM_ZONE), "regional name in the wrong zone");
	ck_assert(zone_of(v, SM_ZONE) == NULL);
	ck_assert(zone_of(v, "vpce-0fffffffffffffff0-zzzz9999." SM_ZONE) ==
		  NULL);
	len = tu_name(SM_REGIONAL, w);
	n = zone_find(z, w, len);
	ck_assert_ptr_nonnull(n);
	rs = zone_rrset(n, WIRE_TYPE_A);
	ck_assert_ptr_nonnull(rs);
	ck_assert_uint_eq(rs->count, 2);
	ck_assert_uint_eq(rs->ttl, 60);
	ck_assert_ptr_null(zone_rrset(n, WIRE_TYPE_AAAA));
	/* The S3 names are wildcards; the bare name is an empty
	 * non-terminal. */
	z = zone_of(v, S3_REGIONAL);
	ck_assert_msg(zone_is(z, S3_ZONE), "S3 name in the wrong zone");
	len = tu_name("*." S3_REGIONAL, w);
	n = zone_find(z, w, len);
	ck_assert_ptr_nonnull(n);
	ck_assert_uint_eq(zone_rrset(n, WIRE_TYPE_A)->count, 2);
	len = tu_name(S3_REGIONAL, w);
	n = zone_find(z, w, len);
	ck_assert_ptr_nonnull(n);
	ck_assert_uint_eq(n->n_rrsets, 0);
	/* Private DNS zones are the VPC's, not every client's. */
	ck_assert_msg(zone_is(zone_of(v, "secretsmanager.us-east-1.amazonaws."
					 "com"),
			      "secretsmanager.us-east-1.amazonaws.com"),
		      "private DNS zone missing");
	ck_assert(zone_of(&vs->outside,
			  "secretsmanager.us-east-1.amazonaws.com") == NULL);
	ck_assert_msg(zone_is(zone_of(&vs->outside, SM_REGIONAL), SM_ZONE),
		      "vpce names not seen from outside");
}
END_TEST

/* ---- private DNS (SPEC 1.2) ---------------------------------------------- */

START_TEST(test_private_most_services)
{
	load(main_yaml);
	expect_local("secretsmanager.us-east-1.amazonaws.com", WIRE_TYPE_A,
		     "10.0.1.15 10.0.2.27");
	expect_local("sts.us-east-1.amazonaws.com", WIRE_TYPE_A, "10.0.1.26");
	expect_local("sqs.us-east-1.amazonaws.com", WIRE_TYPE_A, "10.0.1.27");
	/* FIPS variant. */
	expect_local("kms-fips.us-east-1.amazonaws.com", WIRE_TYPE_A,
		     "10.0.1.25");
	/* sagemaker.runtime / sagemaker.api. */
	expect_local("runtime.sagemaker.us-east-1.amazonaws.com", WIRE_TYPE_A,
		     "10.0.1.23");
	expect_local("api.sagemaker.us-east-1.amazonaws.com", WIRE_TYPE_A,
		     "10.0.1.24");
	/* ecr.api. */
	expect_local("api.ecr.us-east-1.amazonaws.com", WIRE_TYPE_A,
		     "10.0.1.20");
	/* Names the endpoint does not cover stay public. */
	ask_forward("kms.us-east-1.amazonaws.com", WIRE_TYPE_A);
	ask_forward("secretsmanager-fips.us-east-1.amazonaws.com", WIRE_TYPE_A);
	ask_forward("secretsmanager.us-west-2.amazonaws.com", WIRE_TYPE_A);
	ask_forward("ecr.us-east-1.amazonaws.com", WIRE_TYPE_A);
	ask_forward("sagemaker.us-east-1.amazonaws.com", WIRE_TYPE_A);
	ask_forward("us-east-1.amazonaws.com", WIRE_TYPE_A);
	ask_forward("amazonaws.com", WIRE_TYPE_SOA);
}
END_TEST

START_TEST(test_private_s3)
{
	load(main_yaml);
	/* The three apexes and a name under each wildcard. */
	expect_local("s3.us-east-1.amazonaws.com", WIRE_TYPE_A,
		     "10.0.1.16 10.0.2.16");
	expect_local("mybucket.s3.us-east-1.amazonaws.com", WIRE_TYPE_A,
		     "10.0.1.16 10.0.2.16");
	expect_local("my.dotted.bucket.s3.us-east-1.amazonaws.com", WIRE_TYPE_A,
		     "10.0.1.16 10.0.2.16");
	expect_local("s3-control.us-east-1.amazonaws.com", WIRE_TYPE_A,
		     "10.0.1.16 10.0.2.16");
	expect_local("123456789012.s3-control.us-east-1.amazonaws.com",
		     WIRE_TYPE_A, "10.0.1.16 10.0.2.16");
	expect_local("s3-accesspoint.us-east-1.amazonaws.com", WIRE_TYPE_A,
		     "10.0.1.16 10.0.2.16");
	expect_local("myap-123456789012.s3-accesspoint.us-east-1.amazonaws.com",
		     WIRE_TYPE_A, "10.0.1.16 10.0.2.16");
	/* No FIPS names for S3, never the global name. */
	ask_forward("s3-fips.us-east-1.amazonaws.com", WIRE_TYPE_A);
	ask_forward("s3.amazonaws.com", WIRE_TYPE_A);
	ask_forward("mybucket.s3.amazonaws.com", WIRE_TYPE_A);
	/* The ipv4 endpoint has no AAAA: NODATA with the zone's SOA. */
	expect_nodata("s3.us-east-1.amazonaws.com", WIRE_TYPE_AAAA,
		      "s3.us-east-1.amazonaws.com");
	expect_nodata("mybucket.s3.us-east-1.amazonaws.com", WIRE_TYPE_AAAA,
		      "s3.us-east-1.amazonaws.com");
}
END_TEST

START_TEST(test_private_wildcards)
{
	load(main_yaml);
	/* ecr.dkr: only the wildcard; the apex answers NODATA (SPEC 1.5a). */
	expect_local("123456789012.dkr.ecr.us-east-1.amazonaws.com",
		     WIRE_TYPE_A, "10.0.1.21");
	expect_nodata("dkr.ecr.us-east-1.amazonaws.com", WIRE_TYPE_A,
		      "dkr.ecr.us-east-1.amazonaws.com");
	/* execute-api: private APIs. */
	expect_local("abc123.execute-api.us-east-1.amazonaws.com", WIRE_TYPE_A,
		     "10.0.1.22");
	expect_local("a1b2c3d4e5.execute-api.us-east-1.amazonaws.com",
		     WIRE_TYPE_A, "10.0.1.22");
	expect_nodata("execute-api.us-east-1.amazonaws.com", WIRE_TYPE_A,
		      "execute-api.us-east-1.amazonaws.com");
}
END_TEST

START_TEST(test_private_soa_ns)
{
	load(main_yaml);
	/* A name the managed zone does not define: NXDOMAIN with the Route 53
	 * SOA, not forwarded (SPEC 1.2). */
	expect_nxdomain("nope.secretsmanager.us-east-1.amazonaws.com",
			WIRE_TYPE_A, "secretsmanager.us-east-1.amazonaws.com");
	expect_nxdomain("a.b.secretsmanager.us-east-1.amazonaws.com",
			WIRE_TYPE_AAAA,
			"secretsmanager.us-east-1.amazonaws.com");
	expect_nxdomain("x.api.ecr.us-east-1.amazonaws.com", WIRE_TYPE_A,
			"api.ecr.us-east-1.amazonaws.com");
	expect_nxdomain("fips.kms-fips.us-east-1.amazonaws.com", WIRE_TYPE_A,
			"kms-fips.us-east-1.amazonaws.com");
	expect_nodata("secretsmanager.us-east-1.amazonaws.com", WIRE_TYPE_MX,
		      "secretsmanager.us-east-1.amazonaws.com");
	/* The apex SOA and the four Route 53 NS. */
	ask("secretsmanager.us-east-1.amazonaws.com", WIRE_TYPE_SOA);
	ck_assert_uint_eq(resp.count[MSG_ANSWER], 1);
	ck_assert_uint_eq(resp.rr[0].type, WIRE_TYPE_SOA);
	ck_assert_uint_eq(resp.rr[0].ttl, 900);
	ck_assert(
	    tu_name_is(resp.rr[0].target, resp.rr[0].target_len, R53_MNAME));
	ask("secretsmanager.us-east-1.amazonaws.com", WIRE_TYPE_NS);
	ck_assert_uint_eq(resp.count[MSG_ANSWER], 4);
	for (size_t i = 0; i < 4; i++) {
		ck_assert_uint_eq(resp.rr[i].type, WIRE_TYPE_NS);
		ck_assert_uint_eq(resp.rr[i].ttl, 172800);
	}
}
END_TEST

START_TEST(test_private_not_covered)
{
	load(main_yaml);
	/* SPEC 1.2: never covered, even with sts, s3 and sqs endpoints. */
	ask_forward("sts.amazonaws.com", WIRE_TYPE_A);
	ask_forward("s3.amazonaws.com", WIRE_TYPE_A);
	ask_forward("us-east-1.queue.amazonaws.com", WIRE_TYPE_A);
	ask_forward("sts.amazonaws.com", WIRE_TYPE_AAAA);
	ask_forward("queue.amazonaws.com", WIRE_TYPE_A);
}
END_TEST

START_TEST(test_private_china)
{
	load(china_yaml);
	expect_local("secretsmanager.cn-north-1.amazonaws.com.cn", WIRE_TYPE_A,
		     "172.31.0.10 172.31.16.10");
	expect_local(
	    "vpce-0c0000000000000a1-cnsm0001.secretsmanager.cn-north-1."
	    "vpce.amazonaws.com.cn",
	    WIRE_TYPE_A, "172.31.0.10 172.31.16.10");
	expect_local("vpce-0c0000000000000a1-cnsm0001-cn-north-1b."
		     "secretsmanager.cn-north-1.vpce.amazonaws.com.cn",
		     WIRE_TYPE_A, "172.31.16.10");
	expect_nxdomain("nope.secretsmanager.cn-north-1.amazonaws.com.cn",
			WIRE_TYPE_A,
			"secretsmanager.cn-north-1.amazonaws.com.cn");
	expect_local("123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn",
		     WIRE_TYPE_A, "172.31.0.11");
	expect_nodata("dkr.ecr.cn-north-1.amazonaws.com.cn", WIRE_TYPE_A,
		      "dkr.ecr.cn-north-1.amazonaws.com.cn");
	expect_local("vpce-0c0000000000000a2-cndkr001.dkr.ecr.cn-north-1.vpce."
		     "amazonaws.com.cn",
		     WIRE_TYPE_A, "172.31.0.11");
	expect_local("s3.cn-north-1.amazonaws.com.cn", WIRE_TYPE_A,
		     "172.31.0.12");
	expect_local("mybucket.s3.cn-north-1.amazonaws.com.cn", WIRE_TYPE_A,
		     "172.31.0.12");
	expect_local(
	    "bucket.vpce-0c0000000000000a3-cns30001.s3.cn-north-1.vpce."
	    "amazonaws.com.cn",
	    WIRE_TYPE_A, "172.31.0.12");
	/* The .com names and the .com vpce domain are not the partition's. */
	ask_forward("secretsmanager.cn-north-1.amazonaws.com", WIRE_TYPE_A);
	ask_forward("vpce-0c0000000000000a1-cnsm0001.secretsmanager.cn-north-1."
		    "vpce.amazonaws.com",
		    WIRE_TYPE_A);
	ask_forward("s3.amazonaws.com.cn", WIRE_TYPE_A);
}
END_TEST

START_TEST(test_ttl_60)
{
	load(main_yaml);
	/* expect_local() checks TTL 60 on every record; spot the RRset TTL in
	 * the zone, which is what every answer copies (SPEC 1.5a: not counted
	 * down). */
	for (int i = 0; i < 3; i++) {
		ask("secretsmanager.us-east-1.amazonaws.com", WIRE_TYPE_A);
		ck_assert_uint_eq(resp.rr[0].ttl, 60);
		ck_assert_uint_eq(resp.rr[1].ttl, 60);
	}
}
END_TEST

/* ---- dns-record-ip-type (SPEC 1.1) --------------------------------------- */

START_TEST(test_iptype_ipv4)
{
	load(iptype_yaml);
	expect_local("ssm.us-east-1.amazonaws.com", WIRE_TYPE_A, "10.0.1.30");
	expect_nodata("ssm.us-east-1.amazonaws.com", WIRE_TYPE_AAAA,
		      "ssm.us-east-1.amazonaws.com");
	expect_local("vpce-0100000000000000a-ipv4only.ssm.us-east-1.vpce."
		     "amazonaws.com",
		     WIRE_TYPE_A, "10.0.1.30");
	expect_nodata("vpce-0100000000000000a-ipv4only.ssm.us-east-1.vpce."
		      "amazonaws.com",
		      WIRE_TYPE_AAAA, "ssm.us-east-1.vpce.amazonaws.com");
	/* A dualstack endpoint with dns-record-ip-type ipv4 likewise. */
	expect_local("sns.us-east-1.amazonaws.com", WIRE_TYPE_A, "10.0.1.34");
	expect_nodata("sns.us-east-1.amazonaws.com", WIRE_TYPE_AAAA,
		      "sns.us-east-1.amazonaws.com");
	expect_nodata("vpce-0100000000000000e-dsrecv4x.sns.us-east-1.vpce."
		      "amazonaws.com",
		      WIRE_TYPE_AAAA, "sns.us-east-1.vpce.amazonaws.com");
}
END_TEST

START_TEST(test_iptype_dualstack)
{
	load(iptype_yaml);
	expect_local("ec2.us-east-1.amazonaws.com", WIRE_TYPE_A,
		     "10.0.1.31 10.0.2.31");
	expect_local("ec2.us-east-1.amazonaws.com", WIRE_TYPE_AAAA,
		     "fd00:10:1::31 fd00:10:2::31");
	expect_local("vpce-0100000000000000b-dualstak.ec2.us-east-1.vpce."
		     "amazonaws.com",
		     WIRE_TYPE_A, "10.0.1.31 10.0.2.31");
	expect_local("vpce-0100000000000000b-dualstak.ec2.us-east-1.vpce."
		     "amazonaws.com",
		     WIRE_TYPE_AAAA, "fd00:10:1::31 fd00:10:2::31");
	expect_local("vpce-0100000000000000b-dualstak-us-east-1b.ec2.us-east-1."
		     "vpce.amazonaws.com",
		     WIRE_TYPE_AAAA, "fd00:10:2::31");
}
END_TEST

START_TEST(test_iptype_ipv6)
{
	load(iptype_yaml);
	expect_local("logs.us-east-1.amazonaws.com", WIRE_TYPE_AAAA,
		     "fd00:10:1::32");
	expect_nodata("logs.us-east-1.amazonaws.com", WIRE_TYPE_A,
		      "logs.us-east-1.amazonaws.com");
	expect_local("vpce-0100000000000000c-ipv6only.logs.us-east-1.vpce."
		     "amazonaws.com",
		     WIRE_TYPE_AAAA, "fd00:10:1::32");
	expect_nodata("vpce-0100000000000000c-ipv6only.logs.us-east-1.vpce."
		      "amazonaws.com",
		      WIRE_TYPE_A, "logs.us-east-1.vpce.amazonaws.com");
	expect_nodata("vpce-0100000000000000c-ipv6only-us-east-1a.logs.us-east-"
		      "1.vpce.amazonaws.com",
		      WIRE_TYPE_A, "logs.us-east-1.vpce.amazonaws.com");
}
END_TEST

START_TEST(test_iptype_service_defined)
{
	load(iptype_yaml);
	/* A on every name... */
	expect_local("kms.us-east-1.amazonaws.com", WIRE_TYPE_A, "10.0.1.33");
	expect_local("vpce-0100000000000000d-svcdefnd.kms.us-east-1.vpce."
		     "amazonaws.com",
		     WIRE_TYPE_A, "10.0.1.33");
	/* ...AAAA only on the vpce names. */
	expect_local("vpce-0100000000000000d-svcdefnd.kms.us-east-1.vpce."
		     "amazonaws.com",
		     WIRE_TYPE_AAAA, "fd00:10:1::33");
	expect_local("vpce-0100000000000000d-svcdefnd-us-east-1a.kms.us-east-1."
		     "vpce.amazonaws.com",
		     WIRE_TYPE_AAAA, "fd00:10:1::33");
	expect_nodata("kms.us-east-1.amazonaws.com", WIRE_TYPE_AAAA,
		      "kms.us-east-1.amazonaws.com");
}
END_TEST

/* ---- kinds of endpoints -------------------------------------------------- */

START_TEST(test_private_dns_off)
{
	load(kinds_yaml);
	ask_forward("secretsmanager.us-east-1.amazonaws.com", WIRE_TYPE_A);
	ask_forward("nope.secretsmanager.us-east-1.amazonaws.com", WIRE_TYPE_A);
	expect_local("vpce-0200000000000000a-nopriv01.secretsmanager.us-east-1."
		     "vpce.amazonaws.com",
		     WIRE_TYPE_A, "10.0.1.40");
	expect_local(
	    "vpce-0200000000000000a-nopriv01-us-east-1a.secretsmanager."
	    "us-east-1.vpce.amazonaws.com",
	    WIRE_TYPE_A, "10.0.1.40");
}
END_TEST

START_TEST(test_private_dns_names_override)
{
	load(kinds_yaml);
	/* The configured names answer the ENI addresses... */
	expect_local("ssm.corp.example", WIRE_TYPE_A, "10.0.1.41 10.0.2.41");
	expect_local("host.ssm.corp.example", WIRE_TYPE_A,
		     "10.0.1.41 10.0.2.41");
	/* ...instead of the catalog's. */
	ask_forward("ssm.us-east-1.amazonaws.com", WIRE_TYPE_A);
	/* An empty list: no private names at all. */
	ask_forward("sns.us-east-1.amazonaws.com", WIRE_TYPE_A);
	expect_local("vpce-0200000000000000c-emptyovr.sns.us-east-1.vpce."
		     "amazonaws.com",
		     WIRE_TYPE_A, "10.0.1.42");
}
END_TEST

START_TEST(test_provider_cname)
{
	const char *regional = "vpce-0200000000000000d-provider.vpce-svc-"
			       "0123456789abcdef0.us-east-1.vpce.amazonaws.com";
	const char *zone = "vpce-svc-0123456789abcdef0.us-east-1.vpce."
			   "amazonaws.com";
	load(kinds_yaml);
	/* The vpce names of a provider service use the vpce-svc id. */
	expect_local(regional, WIRE_TYPE_A, "10.0.1.43 10.0.2.43");
	expect_local("vpce-0200000000000000d-provider-us-east-1b.vpce-svc-"
		     "0123456789abcdef0.us-east-1.vpce.amazonaws.com",
		     WIRE_TYPE_A, "10.0.2.43");
	/* The private name: a CNAME to the regional name, TTL 60, followed
	 * to the A records (Part 3). */
	ask("api.partner.example", WIRE_TYPE_A);
	ck_assert_uint_eq(resp.rcode, WIRE_RCODE_NOERROR);
	ck_assert(resp.flags & WIRE_FLAG_AA);
	ck_assert_uint_eq(resp.count[MSG_ANSWER], 3);
	ck_assert_uint_eq(resp.rr[0].type, WIRE_TYPE_CNAME);
	ck_assert(tu_name_is(resp.rr[0].owner, resp.rr[0].owner_len,
			     "api.partner.example"));
	ck_assert_msg(
	    tu_name_is(resp.rr[0].target, resp.rr[0].target_len, regional),
	    "CNAME target is not the regional name");
	ck_assert_uint_eq(resp.rr[0].ttl, 60);
	expect_addrs_in(regional, WIRE_TYPE_A, "10.0.1.43 10.0.2.43", true);
	/* A CNAME query returns the CNAME alone. */
	ask("api.partner.example", WIRE_TYPE_CNAME);
	ck_assert_uint_eq(resp.count[MSG_ANSWER], 1);
	ck_assert_uint_eq(resp.rr[0].type, WIRE_TYPE_CNAME);
	/* AAAA: the CNAME, then NODATA at the target with its zone's SOA. */
	ask("api.partner.example", WIRE_TYPE_AAAA);
	ck_assert_uint_eq(resp.rcode, WIRE_RCODE_NOERROR);
	ck_assert_uint_eq(resp.count[MSG_ANSWER], 1);
	ck_assert_uint_eq(resp.rr[0].type, WIRE_TYPE_CNAME);
	expect_r53_soa(zone);
	/* Undefined names under it: NXDOMAIN in the managed zone. */
	expect_nxdomain("x.api.partner.example", WIRE_TYPE_A,
			"api.partner.example");
	/* A provider service without private-dns-names: vpce names only. */
	expect_local("vpce-0200000000000000e-provnone.vpce-svc-"
		     "0fedcba9876543210.us-east-1.vpce.amazonaws.com",
		     WIRE_TYPE_A, "10.0.1.44");
	for (size_t i = 0; i < zoneset_count(vs->vpc_zones[0].zones); i++) {
		const struct zone *z = zoneset_get(vs->vpc_zones[0].zones, i);

		ck_assert_msg(!zone_is(z,
				       "vpce-svc-0fedcba9876543210.us-east-1."
				       "vpce.amazonaws.com"),
			      "a provider's vpce zone among the private ones");
	}
}
END_TEST

START_TEST(test_resource_endpoint)
{
	load(resource_yaml);
	expect_local("db1.abc123.us-east-1.rds.amazonaws.com", WIRE_TYPE_A,
		     "10.0.1.99 10.0.2.99");
	expect_local("db1-ro.abc123.us-east-1.rds.amazonaws.com", WIRE_TYPE_A,
		     "10.0.1.99 10.0.2.99");
	expect_nxdomain("x.db1.abc123.us-east-1.rds.amazonaws.com", WIRE_TYPE_A,
			"db1.abc123.us-east-1.rds.amazonaws.com");
	ask_forward("db2.abc123.us-east-1.rds.amazonaws.com", WIRE_TYPE_A);
	ask_forward("rds.us-east-1.amazonaws.com", WIRE_TYPE_A);
	/* SPEC 1.5a: no vpce names at all. */
	ck_assert_uint_eq(zoneset_count(vs->vpce), 0);
	ck_assert_uint_eq(count_endpoint_zones(vs->vpc_zones[0].zones), 2);
}
END_TEST

START_TEST(test_gateway_endpoint)
{
	load(gateway_yaml);
	/* SPEC 1.3: nothing local, the names keep their public answers. */
	ck_assert_uint_eq(zoneset_count(vs->vpce), 0);
	ck_assert_uint_eq(count_endpoint_zones(vs->vpc_zones[0].zones), 0);
	ck_assert_uint_eq(zoneset_count(vs->vpc_zones[0].inbound_only), 0);
	ask_forward("s3.us-east-1.amazonaws.com", WIRE_TYPE_A);
	ask_forward("mybucket.s3.us-east-1.amazonaws.com", WIRE_TYPE_A);
	ask_forward("dynamodb.us-east-1.amazonaws.com", WIRE_TYPE_A);
	ask_forward("s3.amazonaws.com", WIRE_TYPE_A);
	src.inbound = 0;
	ask_forward("s3.us-east-1.amazonaws.com", WIRE_TYPE_A);
}
END_TEST

START_TEST(test_cross_region)
{
	load(kinds_yaml);
	/* Names in the service's Region; only the regional vpce name. */
	expect_local("vpce-02000000000000010-xregion1.sqs.eu-west-1.vpce."
		     "amazonaws.com",
		     WIRE_TYPE_A, "10.0.1.50 10.0.2.50");
	expect_nxdomain("vpce-02000000000000010-xregion1-eu-west-1a.sqs.eu-"
			"west-1.vpce.amazonaws.com",
			WIRE_TYPE_A, "sqs.eu-west-1.vpce.amazonaws.com");
	expect_nxdomain("vpce-02000000000000010-xregion1-eu-west-1b.sqs.eu-"
			"west-1.vpce.amazonaws.com",
			WIRE_TYPE_A, "sqs.eu-west-1.vpce.amazonaws.com");
	/* Its interfaces are in the VPC's AZs; no zonal name of them
	 * either (SPEC 1.1). */
	expect_nxdomain("vpce-02000000000000010-xregion1-us-east-1a.sqs.eu-"
			"west-1.vpce.amazonaws.com",
			WIRE_TYPE_A, "sqs.eu-west-1.vpce.amazonaws.com");
	ask_forward("vpce-02000000000000010-xregion1.sqs.us-east-1.vpce."
		    "amazonaws.com",
		    WIRE_TYPE_A);
	/* Private DNS as in-Region, with the service's Region. */
	expect_local("sqs.eu-west-1.amazonaws.com", WIRE_TYPE_A,
		     "10.0.1.50 10.0.2.50");
	ask_forward("sqs.us-east-1.amazonaws.com", WIRE_TYPE_A);
	ask_forward("eu-west-1.queue.amazonaws.com", WIRE_TYPE_A);
}
END_TEST

/* Issue 12: the quick start puts a cross-Region endpoint's interfaces in
 * the VPC's AZs (the first endpoint's Region) and, as SPEC 1.1 says,
 * gives it no zonal names. */
START_TEST(test_quickstart_cross_region)
{
	static const char *const eps[] = {
	    "com.amazonaws.us-east-1.sts=10.0.1.5,10.0.2.5",
	    "com.amazonaws.eu-west-1.sqs=10.0.1.6,10.0.2.6"};
	struct quickstart_args qa = {eps, 2, NULL};
	const struct conf_endpoint *sqs;
	char *yaml = NULL, err[256], suffix[ENDPOINT_SUFFIX_LEN + 1];
	char name[256];

	ck_assert_int_eq(quickstart_yaml(&qa, &yaml, err, sizeof(err)), VPC_OK);
	ck_assert_ptr_null(strstr(yaml, "eu-west-1a"));
	load(yaml);
	free(yaml);
	ck_assert_str_eq(cf->vpcs[0].region, "us-east-1");
	sqs = &cf->vpcs[0].endpoints[1];
	ck_assert_str_eq(sqs->subnets[0].az, "us-east-1a");
	ck_assert_str_eq(sqs->subnets[1].az, "us-east-1b");
	endpoint_suffix(sqs, suffix);
	snprintf(name, sizeof(name), "%s-%s.sqs.eu-west-1.vpce.amazonaws.com",
		 sqs->id, suffix);
	expect_local(name, WIRE_TYPE_A, "10.0.1.6 10.0.2.6");
	snprintf(name, sizeof(name),
		 "%s-%s-us-east-1a.sqs.eu-west-1.vpce.amazonaws.com", sqs->id,
		 suffix);
	expect_nxdomain(name, WIRE_TYPE_A, "sqs.eu-west-1.vpce.amazonaws.com");
	expect_local("sqs.eu-west-1.amazonaws.com", WIRE_TYPE_A,
		     "10.0.1.6 10.0.2.6");
	/* The in-Region endpoint keeps its zonal names. */
	endpoint_suffix(&cf->vpcs[0].endpoints[0], suffix);
	snprintf(name, sizeof(name),
		 "%s-%s-us-east-1b.sts.us-east-1.vpce.amazonaws.com",
		 cf->vpcs[0].endpoints[0].id, suffix);
	expect_local(name, WIRE_TYPE_A, "10.0.2.5");
}
END_TEST

START_TEST(test_global_service)
{
	load(global_yaml);
	/* The private name comes from the catalog; the vpce names take the
	 * VPC's Region and, never cross-Region, have zonal names. */
	expect_local("iam.amazonaws.com", WIRE_TYPE_A, "10.0.1.70 10.0.2.70");
	expect_local("vpce-0900000000000000a-iam00001.iam.us-east-1.vpce."
		     "amazonaws.com",
		     WIRE_TYPE_A, "10.0.1.70 10.0.2.70");
	expect_local("vpce-0900000000000000a-iam00001-us-east-1b.iam.us-east-1."
		     "vpce.amazonaws.com",
		     WIRE_TYPE_A, "10.0.2.70");
	expect_nxdomain("nope.iam.amazonaws.com", WIRE_TYPE_A,
			"iam.amazonaws.com");
	/* The VPC in eu-west-1. */
	client_at("10.1.0.9");
	expect_local("iam.amazonaws.com", WIRE_TYPE_A, "10.1.1.70");
	expect_local("vpce-0900000000000000b-iam00002-eu-west-1a.iam.eu-west-1."
		     "vpce.amazonaws.com",
		     WIRE_TYPE_A, "10.1.1.70");
}
END_TEST

/* Runs @name/@type (forwarded) and completes it with an upstream reply
 * holding one public record of that type (A or AAAA); parses the
 * response. */
static void
forward_reply(const char *name, uint16_t type)
{
	struct tu_pkt reply;
	uint8_t rd[16];
	size_t at, len;

	ask_forward(name, type);
	tu_reset(&reply);
	tu_header(&reply, 0x9999, 0x8180u, 1, 1, 0, 0);
	tu_question(&reply, name, type, WIRE_CLASS_IN);
	at = tu_rr_head(&reply, name, type, WIRE_CLASS_IN, 300);
	if (type == WIRE_TYPE_A)
		tu_bytes(&reply, rd, tu_rdata_a("203.0.113.22", rd));
	else
		tu_bytes(&reply, rd, tu_rdata_aaaa("2001:db8::22", rd));
	tu_rr_end(&reply, at);
	len = answer_upstream(&job, NULL, VPC_OK, reply.b, reply.len, 0, out,
			      MSG_UDP_MAX);
	ck_assert_uint_gt(len, 0);
	out_len = len;
	tu_parse_ok(out, len, &resp);
	ck_assert_uint_eq(resp.id, 0x1234);
	ck_assert_uint_eq(resp.rcode, WIRE_RCODE_NOERROR);
	ck_assert(!(resp.flags & WIRE_FLAG_AA));
}

START_TEST(test_gateway_filter_ipv4)
{
	/* SPEC 1.5a: an S3 gateway endpoint with dns-record-ip-type ipv4
	 * drops AAAA from the forwarded public answer. */
	load(gw_ipv4_yaml);
	forward_reply("s3.us-east-1.amazonaws.com", WIRE_TYPE_A);
	ck_assert_uint_eq(tu_count(&resp, MSG_ANSWER, WIRE_TYPE_A), 1);
	forward_reply("s3.us-east-1.amazonaws.com", WIRE_TYPE_AAAA);
	ck_assert_msg(tu_count(&resp, MSG_ANSWER, WIRE_TYPE_AAAA) == 0,
		      "ipv4 S3 gateway: AAAA kept in the forwarded answer");
}
END_TEST

START_TEST(test_gateway_filter_ipv6)
{
	/* ...ipv6 drops A. */
	load(gw_ipv6_yaml);
	forward_reply("s3.us-east-1.amazonaws.com", WIRE_TYPE_AAAA);
	ck_assert_uint_eq(tu_count(&resp, MSG_ANSWER, WIRE_TYPE_AAAA), 1);
	forward_reply("s3.us-east-1.amazonaws.com", WIRE_TYPE_A);
	ck_assert_msg(tu_count(&resp, MSG_ANSWER, WIRE_TYPE_A) == 0,
		      "ipv6 S3 gateway: A kept in the forwarded answer");
}
END_TEST

START_TEST(test_gateway_filter_default)
{
	/* ...the default, service-defined, leaves it unchanged. */
	load(gw_default_yaml);
	ck_assert_int_eq(cf->vpcs[0].endpoints[0].dns_record_ip_type,
			 CONF_IP_SERVICE_DEFINED);
	forward_reply("s3.us-east-1.amazonaws.com", WIRE_TYPE_A);
	ck_assert_uint_eq(tu_count(&resp, MSG_ANSWER, WIRE_TYPE_A), 1);
	forward_reply("s3.us-east-1.amazonaws.com", WIRE_TYPE_AAAA);
	ck_assert_uint_eq(tu_count(&resp, MSG_ANSWER, WIRE_TYPE_AAAA), 1);
}
END_TEST

/* ---- views (SPEC 1.3, 1.6) ----------------------------------------------- */

START_TEST(test_inbound_only_s3)
{
	static const char *const yamls[] = {inbound_default_yaml,
					    inbound_true_yaml};

	for (size_t k = 0; k < 2; k++) {
		const char *bucket = "bucket.vpce-0500000000000000b-inbound1."
				     "s3.us-east-1.vpce.amazonaws.com";

		load(yamls[k]);
		ck_assert(cf->vpcs[0].endpoints[1].inbound_only);
		/* Inside the VPC: the public answer. */
		src.inbound = VIEW_NOT_INBOUND;
		ask_forward("s3.us-east-1.amazonaws.com", WIRE_TYPE_A);
		ask_forward("mybucket.s3.us-east-1.amazonaws.com", WIRE_TYPE_A);
		ask_forward("s3-accesspoint.us-east-1.amazonaws.com",
			    WIRE_TYPE_A);
		/* The vpce names answer every client. */
		expect_local(bucket, WIRE_TYPE_A, "10.0.1.60 10.0.2.60");
		/* Through the VPC's inbound endpoint: the ENI addresses. */
		src.inbound = 0;
		expect_local("s3.us-east-1.amazonaws.com", WIRE_TYPE_A,
			     "10.0.1.60 10.0.2.60");
		expect_local("mybucket.s3.us-east-1.amazonaws.com", WIRE_TYPE_A,
			     "10.0.1.60 10.0.2.60");
		expect_local("123456789012.s3-control.us-east-1.amazonaws.com",
			     WIRE_TYPE_A, "10.0.1.60 10.0.2.60");
		expect_nodata("s3-control.us-east-1.amazonaws.com",
			      WIRE_TYPE_AAAA,
			      "s3-control.us-east-1.amazonaws.com");
		expect_local(bucket, WIRE_TYPE_A, "10.0.1.60 10.0.2.60");
		/* The inbound listener decides whatever the source. */
		client_at("192.168.7.1");
		expect_local("s3.us-east-1.amazonaws.com", WIRE_TYPE_A,
			     "10.0.1.60 10.0.2.60");
		client_at("10.0.0.5");
		teardown();
		setup();
	}
}
END_TEST

START_TEST(test_inbound_only_false)
{
	load(inbound_false_yaml);
	ck_assert(!cf->vpcs[0].endpoints[1].inbound_only);
	expect_local("s3.us-east-1.amazonaws.com", WIRE_TYPE_A,
		     "10.0.1.60 10.0.2.60");
	src.inbound = 0;
	expect_local("s3.us-east-1.amazonaws.com", WIRE_TYPE_A,
		     "10.0.1.60 10.0.2.60");
}
END_TEST

START_TEST(test_inbound_only_dynamodb)
{
	load(ddb_inbound_yaml);
	ck_assert(cf->vpcs[0].endpoints[1].inbound_only);
	ask_forward("dynamodb.us-east-1.amazonaws.com", WIRE_TYPE_A);
	expect_local("vpce-0d00000000000000b-ddb00001.dynamodb.us-east-1.vpce."
		     "amazonaws.com",
		     WIRE_TYPE_A, "10.0.1.80");
	/* The DynamoDB guide: its interface endpoints have no private DNS,
	 * so the public name is forwarded through the inbound endpoint
	 * too; clients use the vpce names. */
	src.inbound = 0;
	ask_forward("dynamodb.us-east-1.amazonaws.com", WIRE_TYPE_A);
	ck_assert_uint_eq(zoneset_count(vs->vpc_zones[0].inbound_only), 0);
}
END_TEST

START_TEST(test_outside_client)
{
	load(clients_yaml);
	/* Inside: private DNS. */
	expect_local("secretsmanager.us-east-1.amazonaws.com", WIRE_TYPE_A,
		     "10.0.1.15 10.0.2.27");
	/* Outside (no VPC's clients): public behaviour (SPEC 1.6). */
	client_at("192.168.7.1");
	ask_forward("secretsmanager.us-east-1.amazonaws.com", WIRE_TYPE_A);
	ask_forward("nope.secretsmanager.us-east-1.amazonaws.com", WIRE_TYPE_A);
	ask_forward("api.partner.example", WIRE_TYPE_A);
	expect_local(SM_REGIONAL, WIRE_TYPE_A, "10.0.1.15 10.0.2.27");
	expect_local("vpce-0a1b2c3d4e5f67890-abcd1234-us-east-1b."
		     "secretsmanager.us-east-1.vpce.amazonaws.com",
		     WIRE_TYPE_A, "10.0.2.27");
	expect_nxdomain("vpce-0a1b2c3d4e5f67890-abcd1234-us-east-1c."
			"secretsmanager.us-east-1.vpce.amazonaws.com",
			WIRE_TYPE_A, SM_ZONE);
	expect_local("vpce-0600000000000000a-provider.vpce-svc-"
		     "0123456789abcdef0.us-east-1.vpce.amazonaws.com",
		     WIRE_TYPE_A, "10.0.1.43");
	ask_forward("vpce-0fffffffffffffff0-zzzz9999." SM_ZONE, WIRE_TYPE_A);
}
END_TEST

/* ---- Part 3 -------------------------------------------------------------- */

/* ---- addresses given as host names (issue 10) -------------------------- */

/* SQS pointed at a LocalStack container by its compose service name. */
static const char host_yaml[] =
    VPC_HEAD("us-east-1")
    EP("vpce-0505000000000000a", "com.amazonaws.us-east-1.sqs",
       SUFFIX("sqs00001"),
       "[{az: us-east-1a, ipv4: localstack}, {az: us-east-1b, ipv4: "
       "10.0.2.27}]")
    EP("vpce-0575000000000000a", "com.amazonaws.us-east-1.sts",
       SUFFIX("sts00001"), "[{az: us-east-1a, ipv4: 10.0.1.26}]");

/* The edge's table: localstack has two addresses once "resolved". */
static bool host_known;

static size_t
host_addrs(void *arg, const char *host, int family, uint8_t (*got)[16],
	   size_t max)
{
	ck_assert_ptr_eq(arg, &host_known);
	if (!host_known || family != AF_INET || strcmp(host, "localstack") != 0)
		return 0;
	ck_assert_uint_ge(max, 2);
	memcpy(got[0], (const uint8_t[]){172, 18, 0, 5}, 4);
	memcpy(got[1], (const uint8_t[]){172, 18, 0, 6}, 4);
	return 2;
}

static void
load_hosts(bool known)
{
	struct view_build_opts o = {.lazy = true,
				    .endpoint_addrs = host_addrs,
				    .endpoint_arg = &host_known};
	struct conf_errors errs = {0};

	host_known = known;
	ck_assert_int_eq(conf_load_string(NULL, host_yaml, strlen(host_yaml),
					  "t.yaml", &cf, &errs),
			 VPC_OK);
	ck_assert_int_eq(view_set_build_opts(cf, &o, &vs, &errs), VPC_OK);
	ck_assert_uint_eq(errs.n, 0);
	ck_assert_ptr_eq(cf->vpcs[0].endpoints[0].subnets[0].ipv4_host,
			 cf->vpcs[0].endpoints[0].subnets[0].ipv4_text);
	ck_assert_str_eq(cf->vpcs[0].endpoints[0].subnets[0].ipv4_host,
			 "localstack");
	ck_assert_ptr_null(cf->vpcs[0].endpoints[0].subnets[1].ipv4_host);
}

START_TEST(test_host_address_resolved)
{
	load_hosts(true);
	ck_assert_uint_eq(vs->n_pending, 0);
	expect_local("sqs.us-east-1.amazonaws.com", WIRE_TYPE_A,
		     "172.18.0.5 172.18.0.6 10.0.2.27");
	/* The zonal name of the host-named subnet has its addresses. */
	expect_local("vpce-0505000000000000a-sqs00001-us-east-1a.sqs.us-east-1."
		     "vpce.amazonaws.com",
		     WIRE_TYPE_A, "172.18.0.5 172.18.0.6");
}
END_TEST

START_TEST(test_host_address_pending)
{
	load_hosts(false);
	ck_assert_uint_gt(vs->n_pending, 0);
	/* Not resolved yet: SERVFAIL, never a wrong or empty answer. */
	ask("sqs.us-east-1.amazonaws.com", WIRE_TYPE_A);
	ck_assert_uint_eq(resp.rcode, WIRE_RCODE_SERVFAIL);
	ask("vpce-0505000000000000a-sqs00001.sqs.us-east-1.vpce.amazonaws.com",
	    WIRE_TYPE_A);
	ck_assert_uint_eq(resp.rcode, WIRE_RCODE_SERVFAIL);
	/* Other endpoints answer as usual. */
	expect_local("sts.us-east-1.amazonaws.com", WIRE_TYPE_A, "10.0.1.26");
}
END_TEST

START_TEST(test_host_address_errors)
{
	struct conf_errors errs = {0};
	static const char bad[] =
	    VPC_HEAD("us-east-1")
	    EP("vpce-0505000000000000a", "com.amazonaws.us-east-1.sqs", "",
	       "[{az: us-east-1a, ipv4: 'localstack:4566'}]");

	ck_assert_int_eq(conf_load_string(NULL, bad, strlen(bad), "t.yaml",
					  &cf, &errs),
			 VPC_ECONFIG);
	ck_assert_ptr_nonnull(strstr(errs.msgs[0], "'localstack:4566' is not "
						   "an IPv4 address or a host "
						   "name"));
	conf_errors_cleanup(&errs);
}
END_TEST

START_TEST(test_mixed_case)
{
	load(main_yaml);
	/* ask() checks the question is echoed byte for byte; the owner is the
	 * question's name, in its case. */
	expect_local("SecretsManager.US-East-1.AmazonAWS.com", WIRE_TYPE_A,
		     "10.0.1.15 10.0.2.27");
	expect_local("VPCE-0A1B2C3D4E5F67890-ABCD1234.SecretsManager.us-east-1."
		     "VPCE.amazonaws.COM",
		     WIRE_TYPE_A, "10.0.1.15 10.0.2.27");
	expect_local("MyBucket.S3.US-EAST-1.amazonaws.com", WIRE_TYPE_A,
		     "10.0.1.16 10.0.2.16");
	expect_local("Bucket.VPCE-05a5a5a5a5a5a5a5a-S3S3S3S3-US-EAST-1A.s3.us-"
		     "east-1.vpce.amazonaws.com",
		     WIRE_TYPE_A, "10.0.1.16");
	ask("NoPe.SecretsManager.us-east-1.amazonaws.com", WIRE_TYPE_A);
	ck_assert_uint_eq(resp.rcode, WIRE_RCODE_NXDOMAIN);
	ask_forward("STS.AmazonAWS.com", WIRE_TYPE_A);
}
END_TEST

/* ---- configuration errors of endpoint_build() ---------------------------- */

/* Loads @yaml (which must parse) and expects view_set_build() to fail
 * with one error that starts with @prefix and contains @word. */
static void
expect_build_error(const char *yaml, const char *prefix, const char *word)
{
	struct conf_errors errs = {0};
	struct view_set *bad = NULL;
	int rc;

	rc = conf_load_string(NULL, yaml, strlen(yaml), "t.yaml", &cf, &errs);
	dump_errors(&errs);
	ck_assert_int_eq(rc, VPC_OK);
	rc = view_set_build(cf, &bad, &errs);
	ck_assert_int_eq(rc, VPC_ECONFIG);
	ck_assert_ptr_null(bad);
	ck_assert_uint_eq(errs.n, 1);
	ck_assert_msg(strncmp(errs.msgs[0], prefix, strlen(prefix)) == 0,
		      "'%s' does not start with '%s'", errs.msgs[0], prefix);
	ck_assert_msg(strstr(errs.msgs[0], word) != NULL,
		      "'%s' does not mention '%s'", errs.msgs[0], word);
	conf_errors_cleanup(&errs);
	conf_free(cf);
	cf = NULL;
}

START_TEST(test_err_same_private_dns)
{
	/* clang-format off */
	/* Two endpoints with private DNS for one service in one VPC: the
	 * second one's line. */
	expect_build_error(
	    VPC_HEAD("us-east-1") /* lines 1-5 */
	    EP("vpce-0700000000000000a",			   /* 6 */
	       "com.amazonaws.us-east-1.secretsmanager", "",	   /* 7 */
	       "[{az: us-east-1a, ipv4: 10.0.1.15}]")		   /* 8 */
	    EP("vpce-0700000000000000b",			   /* 9 */
	       "com.amazonaws.us-east-1.secretsmanager", "",	   /* 10 */
	       "[{az: us-east-1b, ipv4: 10.0.2.15}]"),		   /* 11 */
	    "t.yaml:9: ", "secretsmanager.us-east-1.amazonaws.com");
	/* A private-dns-names entry that a catalog name already takes. */
	expect_build_error(
	    VPC_HEAD("us-east-1")
	    EP("vpce-0700000000000000a", "com.amazonaws.us-east-1.ecr.dkr", "",
	       "[{az: us-east-1a, ipv4: 10.0.1.15}]")
	    EP("vpce-0700000000000000b", "com.amazonaws.us-east-1.ecr.api",
	       "        private-dns-names: ['*.dkr.ecr.us-east-1.amazonaws."
	       "com']\n",
	       "[{az: us-east-1b, ipv4: 10.0.2.15}]"),
	    "t.yaml:9: ", "dkr.ecr.us-east-1.amazonaws.com");
	/* clang-format on */
}
END_TEST

START_TEST(test_no_err_same_service_allowed)
{
	/* clang-format off */
	/* The same service twice is fine with private DNS on one only, and
	 * in two VPCs. */
	static const char yaml[] =
	    VPC_HEAD("us-east-1")
	    EP("vpce-0800000000000000a", "com.amazonaws.us-east-1.secretsmanager",
	       SUFFIX("first001"), "[{az: us-east-1a, ipv4: 10.0.1.15}]")
	    EP("vpce-0800000000000000b", "com.amazonaws.us-east-1.secretsmanager",
	       SUFFIX("second01") "        private-dns: false\n",
	       "[{az: us-east-1b, ipv4: 10.0.2.15}]")
	    "  - id: vpc-0a1b2c3e\n"
	    "    region: us-east-1\n"
	    "    clients: [10.1.0.0/16]\n"
	    "    endpoints:\n"
	    EP("vpce-0800000000000000c", "com.amazonaws.us-east-1.secretsmanager",
	       SUFFIX("third001"), "[{az: us-east-1a, ipv4: 10.1.1.15}]");

	/* clang-format on */
	load(yaml);
	expect_local("secretsmanager.us-east-1.amazonaws.com", WIRE_TYPE_A,
		     "10.0.1.15");
	/* Both endpoints' vpce names share one zone, every client. */
	expect_local("vpce-0800000000000000b-second01." SM_ZONE, WIRE_TYPE_A,
		     "10.0.2.15");
	expect_local("vpce-0800000000000000c-third001." SM_ZONE, WIRE_TYPE_A,
		     "10.1.1.15");
	client_at("10.1.2.3");
	expect_local("secretsmanager.us-east-1.amazonaws.com", WIRE_TYPE_A,
		     "10.1.1.15");
	expect_local("vpce-0800000000000000a-first001." SM_ZONE, WIRE_TYPE_A,
		     "10.0.1.15");
}
END_TEST

START_TEST(test_err_unknown_service)
{
	/* clang-format off */
	expect_build_error(VPC_HEAD("us-east-1")
			   EP("vpce-0700000000000000a", "org.example.thing",
			      "", "[{az: us-east-1a, ipv4: 10.0.1.15}]"),
			   "t.yaml:6: ", "org.example.thing");
	/* clang-format on */
}
END_TEST

static Suite *
endpoint_suite(void)
{
	Suite *s = suite_create("endpoint");
	TCase *tc;

	tc = tcase_create("suffix");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_suffix_derived);
	tcase_add_test(tc, test_suffix_configured);
	tcase_add_test(tc, test_suffix_in_names);
	tcase_add_test(tc, test_suffix_configured_in_names);
	suite_add_tcase(s, tc);

	tc = tcase_create("vpce_names");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_vpce_regional_zonal);
	tcase_add_test(tc, test_vpce_not_the_seed_form);
	tcase_add_test(tc, test_vpce_negative);
	tcase_add_test(tc, test_vpce_any);
	tcase_add_test(tc, test_vpce_other_names_forwarded);
	tcase_add_test(tc, test_vpce_s3_wildcards);
	tcase_add_test(tc, test_vpce_zones_inspected);
	suite_add_tcase(s, tc);

	tc = tcase_create("private_dns");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_private_most_services);
	tcase_add_test(tc, test_private_s3);
	tcase_add_test(tc, test_private_wildcards);
	tcase_add_test(tc, test_private_soa_ns);
	tcase_add_test(tc, test_private_not_covered);
	tcase_add_test(tc, test_private_china);
	tcase_add_test(tc, test_ttl_60);
	suite_add_tcase(s, tc);

	tc = tcase_create("ip_types");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_iptype_ipv4);
	tcase_add_test(tc, test_iptype_dualstack);
	tcase_add_test(tc, test_iptype_ipv6);
	tcase_add_test(tc, test_iptype_service_defined);
	suite_add_tcase(s, tc);

	tc = tcase_create("kinds");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_private_dns_off);
	tcase_add_test(tc, test_private_dns_names_override);
	tcase_add_test(tc, test_provider_cname);
	tcase_add_test(tc, test_resource_endpoint);
	tcase_add_test(tc, test_gateway_endpoint);
	tcase_add_test(tc, test_cross_region);
	tcase_add_test(tc, test_quickstart_cross_region);
	tcase_add_test(tc, test_global_service);
	suite_add_tcase(s, tc);

	tc = tcase_create("gateway_filter");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_gateway_filter_ipv4);
	tcase_add_test(tc, test_gateway_filter_ipv6);
	tcase_add_test(tc, test_gateway_filter_default);
	suite_add_tcase(s, tc);

	tc = tcase_create("views");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_inbound_only_s3);
	tcase_add_test(tc, test_inbound_only_false);
	tcase_add_test(tc, test_inbound_only_dynamodb);
	tcase_add_test(tc, test_outside_client);
	suite_add_tcase(s, tc);

	tc = tcase_create("case");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_mixed_case);
	tcase_add_test(tc, test_host_address_resolved);
	tcase_add_test(tc, test_host_address_pending);
	tcase_add_test(tc, test_host_address_errors);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_err_same_private_dns);
	tcase_add_test(tc, test_no_err_same_service_allowed);
	tcase_add_test(tc, test_err_unknown_service);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(endpoint_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed != 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
