/*
 * tests/unit/check_route53.c - unit tests of the Route 53 and Terraform
 * readers, routing policies and alias records.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * The readers are fed the samples of conf/examples/ and small inline
 * documents: every field lands where it should, and every bad input gives
 * a message with the file, the line and the record's index (or the
 * Terraform resource address).  The engine tests load a configuration
 * whose hosted zone is a record-set JSON written to a temporary file and
 * ask answer_query() with fixed random bits, so every choice of a routing
 * policy is repeatable.  Everything allocated is released (ASan, valgrind
 * with CK_FORK=no).
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "check_util.h"
#include "conf/conf.h"
#include "io/files.h"
#include "conf/route53.h"
#include "conf/terraform.h"
#include "dns/msg.h"
#include "dns/wire.h"
#include "engine/answer.h"
#include "engine/policy.h"
#include "engine/view.h"
#include "engine/zone.h"
#include "util/err.h"

static void
dump_errors(const struct conf_errors *errs)
{
	for (size_t i = 0; i < errs->n; i++)
		fprintf(stderr, "  %s\n", errs->msgs[i]);
}

static const struct route53_rrset *
find_set(const struct route53_zone *z, const char *name, uint16_t type,
	 const char *set_id)
{
	for (size_t i = 0; i < z->n_sets; i++) {
		const struct route53_rrset *rs = &z->sets[i];

		if (strcmp(rs->name, name) == 0 && rs->type == type &&
		    (set_id == NULL ||
		     (rs->set_id && strcmp(rs->set_id, set_id) == 0)))
			return rs;
	}
	ck_abort_msg("no record set %s/%u/%s", name, type,
		     set_id ? set_id : "-");
	return NULL;
}

/* ---- the record-set reader ----------------------------------------------- */

START_TEST(sample_every_field)
{
	struct conf_errors errs = {0};
	struct route53_zones zs;
	const struct route53_rrset *rs;
	size_t len;
	char *text = tu_load_example("route53-record-sets.json", &len);

	ck_assert_int_eq(route53_detect(text, len), CONF_ZONE_ROUTE53);
	ck_assert_int_eq(route53_parse(text, len, "rr.json", &zs, &errs),
			 VPC_OK);
	dump_errors(&errs);
	ck_assert_uint_eq(zs.n, 1);
	ck_assert_ptr_null(zs.zones[0].name);
	rs = find_set(&zs.zones[0], "www.shop.internal", 1, NULL);
	ck_assert_uint_eq(rs->ttl, 300);
	ck_assert_uint_eq(rs->n_values, 2);
	ck_assert_str_eq(rs->values[1], "10.0.0.11");
	ck_assert_int_eq(rs->policy, ROUTE53_SIMPLE);
	/* Octal escape: "\052" is "*". */
	rs = find_set(&zs.zones[0], "*.apps.shop.internal", 1, NULL);
	ck_assert_uint_eq(rs->ttl, 60);
	rs = find_set(&zs.zones[0], "shop.internal", 1, NULL);
	ck_assert_str_eq(rs->alias, "vpce-0123456789abcdef0-q1w2e3r4.dkr.ecr."
				    "us-east-1.vpce.amazonaws.com");
	ck_assert_str_eq(rs->alias_zone_id, "Z7HUB22UULQXV");
	ck_assert(!rs->evaluate_health);
	ck_assert_uint_eq(rs->n_values, 0);
	rs = find_set(&zs.zones[0], "lb.shop.internal", 1, NULL);
	ck_assert(rs->evaluate_health);
	rs = find_set(&zs.zones[0], "api.shop.internal", 1, "green");
	ck_assert_int_eq(rs->policy, ROUTE53_WEIGHTED);
	ck_assert_uint_eq(rs->weight, 30);
	rs = find_set(&zs.zones[0], "api.shop.internal", 1, "retired");
	ck_assert_uint_eq(rs->weight, 0);
	rs = find_set(&zs.zones[0], "db.shop.internal", 1, "db-primary");
	ck_assert_int_eq(rs->policy, ROUTE53_FAILOVER);
	ck_assert(rs->primary);
	ck_assert_str_eq(rs->health_check, "hc-db-primary");
	rs = find_set(&zs.zones[0], "db.shop.internal", 1, "db-secondary");
	ck_assert(!rs->primary);
	ck_assert_ptr_null(rs->health_check);
	rs = find_set(&zs.zones[0], "pool.shop.internal", 1, "pool-3");
	ck_assert_int_eq(rs->policy, ROUTE53_MULTIVALUE);
	rs = find_set(&zs.zones[0], "app.shop.internal", 1, "app-eu-west-1");
	ck_assert_int_eq(rs->policy, ROUTE53_LATENCY);
	ck_assert_str_eq(rs->region, "eu-west-1");
	rs = find_set(&zs.zones[0], "cdn.shop.internal", 1, "cdn-virginia");
	ck_assert_int_eq(rs->policy, ROUTE53_GEO);
	ck_assert_str_eq(rs->country, "US");
	ck_assert_str_eq(rs->subdivision, "VA");
	rs = find_set(&zs.zones[0], "cdn.shop.internal", 1, "cdn-europe");
	ck_assert_str_eq(rs->continent, "EU");
	ck_assert_ptr_null(rs->country);
	rs = find_set(&zs.zones[0], "shop.internal", 16, NULL);
	ck_assert_str_eq(rs->values[0], "\"v=spf1 -all\"");
	ck_assert_str_eq(rs->where, "ResourceRecordSets[3]");
	ck_assert_uint_gt(rs->line, 1);
	route53_zones_free(&zs);
	conf_errors_cleanup(&errs);
	free(text);
}
END_TEST

START_TEST(change_batch)
{
	static const char doc[] =
	    "{\"Comment\": \"x\", \"Changes\": [\n"
	    " {\"Action\": \"CREATE\", \"ResourceRecordSet\": {\"Name\": "
	    "\"A.Example.Internal.\", \"Type\": \"a\", \"TTL\": 5, "
	    "\"ResourceRecords\": [{\"Value\": \"10.0.0.1\"}]}},\n"
	    " {\"Action\": \"UPSERT\", \"ResourceRecordSet\": {\"Name\": "
	    "\"b.example.internal\", \"Type\": \"A\", \"AliasTarget\": "
	    "{\"DNSName\": \"a.example.internal.\", \"HostedZoneId\": \"Z1\", "
	    "\"EvaluateTargetHealth\": false}}}]}";
	struct conf_errors errs = {0};
	struct route53_zones zs;

	ck_assert_int_eq(route53_detect(doc, strlen(doc)), CONF_ZONE_ROUTE53);
	ck_assert_int_eq(route53_parse(doc, strlen(doc), "cb.json", &zs, &errs),
			 VPC_OK);
	ck_assert_uint_eq(zs.zones[0].n_sets, 2);
	ck_assert_str_eq(zs.zones[0].sets[0].name, "a.example.internal");
	ck_assert_uint_eq(zs.zones[0].sets[0].type, 1);
	ck_assert_str_eq(zs.zones[0].sets[1].alias, "a.example.internal");
	ck_assert_str_eq(zs.zones[0].sets[1].where, "Changes[1]");
	route53_zones_free(&zs);
	conf_errors_cleanup(&errs);
}
END_TEST

START_TEST(decode_names)
{
	char out[64];

	ck_assert(route53_decode_name("\\052.x.", out, sizeof(out)));
	ck_assert_str_eq(out, "*.x");
	ck_assert(route53_decode_name("a\\100b.X", out, sizeof(out)));
	ck_assert_str_eq(out, "a@b.x");
	ck_assert(!route53_decode_name("a\\09.x", out, sizeof(out)));
	ck_assert(!route53_decode_name("a\\000.x", out, sizeof(out)));
	ck_assert(!route53_decode_name("", out, sizeof(out)));
	ck_assert(!route53_decode_name("abcdef", out, 4));
}
END_TEST

static const char *
rrset(const char *body)
{
	static char doc[2048];

	snprintf(doc, sizeof(doc),
		 "{\"ResourceRecordSets\": [\n"
		 "{\"Name\": \"ok.z.\", \"Type\": \"A\", \"TTL\": 1, "
		 "\"ResourceRecords\": [{\"Value\": \"10.0.0.1\"}]},\n%s]}",
		 body);
	return doc;
}

/* Each bad record set is ResourceRecordSets[1] on line 3. */
static const struct {
	const char *body, *want;
} bad_sets[] = {
    {"{\"Type\": \"A\", \"TTL\": 1}", "ResourceRecordSets[1]: missing 'Name'"},
    {"{\"Name\": \"x.z\", \"Type\": \"BOGUS\"}", "not a type Route 53"},
    {"{\"Name\": \"x.z\", \"Type\": \"A\", \"ResourceRecords\": "
     "[{\"Value\": \"10.0.0.2\"}]}", "(x.z A): missing 'TTL'"},
    {"{\"Name\": \"x.z\", \"Type\": \"A\", \"TTL\": -1, \"ResourceRecords\": "
     "[{\"Value\": \"10.0.0.2\"}]}", "'TTL' must be a whole number"},
    {"{\"Name\": \"x.z\", \"Type\": \"A\", \"TTL\": 4294967296, "
     "\"ResourceRecords\": [{\"Value\": \"1.2.3.4\"}]}", "'TTL' must be"},
    {"{\"Name\": \"x.z\", \"Type\": \"A\", \"TTL\": 1}",
     "needs ResourceRecords or an AliasTarget"},
    {"{\"Name\": \"x.z\", \"Type\": \"A\", \"TTL\": 1, "
     "\"AliasTarget\": {\"DNSName\": \"ok.z\"}}", "has no TTL"},
    {"{\"Name\": \"x.z\", \"Type\": \"A\", \"AliasTarget\": {}}",
     "missing 'DNSName'"},
    {"{\"Name\": \"x.z\", \"Type\": \"A\", \"TTL\": 1, \"Weight\": 5, "
     "\"ResourceRecords\": [{\"Value\": \"1.2.3.4\"}]}",
     "needs a SetIdentifier"},
    {"{\"Name\": \"x.z\", \"Type\": \"A\", \"TTL\": 1, \"SetIdentifier\": "
     "\"s\", \"ResourceRecords\": [{\"Value\": \"1.2.3.4\"}]}",
     "without a routing policy"},
    {"{\"Name\": \"x.z\", \"Type\": \"A\", \"TTL\": 1, \"SetIdentifier\": "
     "\"s\", \"Weight\": 256, \"ResourceRecords\": [{\"Value\": \"1.2.3.4\"}]}",
     "'Weight' must be a whole number from 0 to 255"},
    {"{\"Name\": \"x.z\", \"Type\": \"A\", \"TTL\": 1, \"SetIdentifier\": "
     "\"s\", \"Failover\": \"TERTIARY\", \"ResourceRecords\": "
     "[{\"Value\": \"1.2.3.4\"}]}", "PRIMARY or SECONDARY"},
    {"{\"Name\": \"x.z\", \"Type\": \"A\", \"TTL\": 1, \"SetIdentifier\": "
     "\"s\", \"Weight\": 1, \"Region\": \"us-east-1\", \"ResourceRecords\": "
     "[{\"Value\": \"1.2.3.4\"}]}", "more than one routing policy"},
    {"{\"Name\": \"x.z\", \"Type\": \"A\", \"SetIdentifier\": \"s\", "
     "\"MultiValueAnswer\": true, \"AliasTarget\": {\"DNSName\": \"ok.z\"}}",
     "multivalue answer record set cannot be an alias"},
    {"{\"Name\": \"x.z\", \"Type\": \"A\", \"TTL\": 1, \"SetIdentifier\": "
     "\"s\", \"GeoLocation\": {}, \"ResourceRecords\": "
     "[{\"Value\": \"1.2.3.4\"}]}", "needs ContinentCode or CountryCode"},
    {"{\"Name\": \"x.z\", \"Type\": \"A\", \"TTL\": 1, \"SetIdentifier\": "
     "\"s\", \"GeoLocation\": {\"CountryCode\": \"DE\", \"SubdivisionCode\": "
     "\"BY\"}, \"ResourceRecords\": [{\"Value\": \"1.2.3.4\"}]}",
     "'SubdivisionCode' needs CountryCode \"US\""},
    {"{\"Name\": \"x.z\", \"Type\": \"A\", \"TTL\": 1, "
     "\"ResourceRecords\": [{\"Value\": \"1.2.3.4\"}], \"Bogus\": 1}",
     "'Bogus' is not supported"},
    {"{\"Name\": \"x.z\", \"Type\": \"A\", \"TTL\": 1, "
     "\"ResourceRecords\": [\"1.2.3.4\"]}",
     "ResourceRecords[0] must be {\"Value\": ...}"},
    {"{\"Name\": \"x.z\", \"Type\": \"A\", \"TTL\": 1, \"TTL\": 2, "
     "\"ResourceRecords\": [{\"Value\": \"1.2.3.4\"}]}", "given twice"},
    {"{\"Name\": \"x.z\", \"Type\": \"A\", \"TTL\": 1, "
     "\"EvaluateTargetHealth\": 1, \"ResourceRecords\": []}",
     "'EvaluateTargetHealth' is not supported"},
    {"{\"Name\": \"ok.z\", \"Type\": \"CNAME\", \"TTL\": 1, "
     "\"ResourceRecords\": [{\"Value\": \"x.z\"}]}", "a CNAME cannot share"},
    {"{\"Name\": \"ok.z\", \"Type\": \"A\", \"TTL\": 1, "
     "\"ResourceRecords\": [{\"Value\": \"10.0.0.2\"}]}",
     "the same name and type twice (ResourceRecordSets[0])"},
    {"{\"Name\": \"ok.z\", \"Type\": \"A\", \"TTL\": 1, \"SetIdentifier\": "
     "\"s\", \"Weight\": 1, \"ResourceRecords\": [{\"Value\": \"10.0.0.2\"}]}",
     "a simple record set beside record sets with a routing policy"},
};

START_TEST(bad_record_sets)
{
	struct conf_errors errs = {0};
	const char *doc = rrset(bad_sets[_i].body);
	struct route53_zones zs;
	bool found = false;

	ck_assert_int_eq(
	    route53_parse(doc, strlen(doc), "bad.json", &zs, &errs),
	    VPC_ECONFIG);
	ck_assert_uint_eq(zs.n, 0);
	for (size_t i = 0; i < errs.n; i++)
		if (strncmp(errs.msgs[i], "bad.json:", 9) == 0 &&
		    strstr(errs.msgs[i], "ResourceRecordSets[") != NULL &&
		    strstr(errs.msgs[i], bad_sets[_i].want) != NULL)
			found = true;
	if (!found)
		dump_errors(&errs);
	ck_assert_msg(found, "case %d: no message with '%s'", _i,
		      bad_sets[_i].want);
	conf_errors_cleanup(&errs);
}
END_TEST

START_TEST(bad_documents)
{
	static const struct {
		const char *doc, *want;
	} cases[] = {
	    {"{\"ResourceRecordSets\": {}}", "bad.json:1: not a list"},
	    {"{\"HostedZones\": []}", "no 'ResourceRecordSets' or 'Changes'"},
	    {"{\"ResourceRecordSets\": [\n{\"Name\": \"a\",}\n", "bad.json:3: "
	     "not valid JSON"},
	    {"{\"Changes\": [{\"Action\": \"DELETE\", \"ResourceRecordSet\": "
	     "{\"Name\": \"a.z\", \"Type\": \"A\", \"TTL\": 1, "
	     "\"ResourceRecords\": [{\"Value\": \"1.1.1.1\"}]}}]}",
	     "Changes[0]: 'Action' DELETE"},
	    {"{\"Changes\": [{\"Action\": \"CREATE\"}]}",
	     "Changes[0]: missing 'ResourceRecordSet'"},
	};
	struct conf_errors errs = {0};
	struct route53_zones zs;

	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		bool found = false;

		ck_assert_int_eq(route53_parse(cases[c].doc,
					       strlen(cases[c].doc), "bad.json",
					       &zs, &errs),
				 VPC_ECONFIG);
		for (size_t i = 0; i < errs.n; i++)
			found |= strstr(errs.msgs[i], cases[c].want) != NULL;
		if (!found)
			dump_errors(&errs);
		ck_assert_msg(found, "no '%s'", cases[c].want);
		conf_errors_cleanup(&errs);
	}
}
END_TEST

START_TEST(detect_formats)
{
	static const char zone[] = "$ORIGIN z.\n@ 60 IN A 10.0.0.1\n";
	static const char tf[] = " {\"version\": 4, \"resources\": []}";
	static const char show[] = "{\"format_version\": \"1.0\", \"values\": {}}";

	ck_assert_int_eq(route53_detect(zone, strlen(zone)), CONF_ZONE_FILE);
	ck_assert_int_eq(route53_detect(tf, strlen(tf)), CONF_ZONE_TERRAFORM);
	ck_assert_int_eq(route53_detect(show, strlen(show)),
			 CONF_ZONE_TERRAFORM);
	ck_assert_int_eq(route53_detect("", 0), CONF_ZONE_FILE);
}
END_TEST

/* ---- the Terraform reader ------------------------------------------------ */

START_TEST(terraform_state_sample)
{
	struct conf_errors errs = {0};
	const struct route53_rrset *rs;
	const struct route53_zone *z = NULL;
	struct route53_zones zs;
	size_t len;
	char *text = tu_load_example("terraform.tfstate", &len);

	ck_assert_int_eq(route53_detect(text, len), CONF_ZONE_TERRAFORM);
	ck_assert_int_eq(terraform_parse(text, len, "tf.json", &zs, &errs),
			 VPC_OK);
	dump_errors(&errs);
	for (size_t i = 0; i < zs.n; i++)
		if (zs.zones[i].name && !strcmp(zs.zones[i].name, "corp.internal"))
			z = &zs.zones[i];
	ck_assert_ptr_nonnull(z);
	ck_assert_str_eq(z->zone_id, "Z0123456789CORPINTERNAL");
	ck_assert_uint_eq(z->n_vpcs, 1);
	ck_assert_str_eq(z->vpcs[0], "vpc-0a1b2c3d");
	ck_assert_str_eq(z->where, "aws_route53_zone.corp");
	rs = find_set(z, "www.corp.internal", 1, NULL);
	ck_assert_uint_eq(rs->ttl, 300);
	ck_assert_str_eq(rs->values[0], "10.0.0.10");
	ck_assert_str_eq(rs->where, "aws_route53_record.www");
	rs = find_set(z, "corp.internal", 1, NULL);
	ck_assert_str_eq(rs->alias, "vpce-0123456789abcdef0-q1w2e3r4.dkr.ecr."
				    "us-east-1.vpce.amazonaws.com");
	ck_assert_str_eq(rs->alias_zone_id, "Z7HUB22UULQXV");
	rs = find_set(z, "api.corp.internal", 1, "blue");
	ck_assert_int_eq(rs->policy, ROUTE53_WEIGHTED);
	ck_assert_uint_eq(rs->weight, 80);
	ck_assert_str_eq(rs->where, "module.dns.aws_route53_record.api[\"blue\"]");
	rs = find_set(z, "db.corp.internal", 1, "primary");
	ck_assert_int_eq(rs->policy, ROUTE53_FAILOVER);
	ck_assert(rs->primary);
	ck_assert_str_eq(rs->health_check, "hc-db");
	rs = find_set(z, "app.corp.internal", 1, "eu");
	ck_assert_int_eq(rs->policy, ROUTE53_LATENCY);
	ck_assert_str_eq(rs->region, "eu-west-1");
	rs = find_set(z, "geo.corp.internal", 1, "default");
	ck_assert_str_eq(rs->country, "*");
	rs = find_set(z, "pool.corp.internal", 1, "p1");
	ck_assert_int_eq(rs->policy, ROUTE53_MULTIVALUE);
	/* The provider stores TXT values unquoted. */
	rs = find_set(z, "corp.internal", 16, NULL);
	ck_assert_str_eq(rs->values[0], "\"v=spf1 -all\"");
	/* A relative name gets the zone appended. */
	find_set(z, "short.corp.internal", 1, NULL);
	route53_zones_free(&zs);
	conf_errors_cleanup(&errs);
	free(text);
}
END_TEST

START_TEST(terraform_show_json)
{
	static const char doc[] =
	    "{\"format_version\": \"1.0\", \"values\": {\"root_module\": {\n"
	    "\"resources\": [{\"address\": \"aws_route53_zone.z\", \"type\": "
	    "\"aws_route53_zone\", \"values\": {\"name\": \"z.internal\", "
	    "\"zone_id\": \"ZZ\", \"vpc\": [{\"vpc_id\": \"vpc-1\"}]}}],\n"
	    "\"child_modules\": [{\"address\": \"module.m\", \"resources\": [\n"
	    "{\"address\": \"module.m.aws_route53_record.a\", \"type\": "
	    "\"aws_route53_record\", \"values\": {\"name\": \"a.z.internal\", "
	    "\"type\": \"A\", \"ttl\": 60, \"records\": [\"10.0.0.1\"], "
	    "\"zone_id\": \"ZZ\", \"alias\": [], \"set_identifier\": \"\", "
	    "\"weighted_routing_policy\": []}},\n"
	    "{\"address\": \"module.m.aws_route53_record.b\", \"type\": "
	    "\"aws_route53_record\", \"values\": {\"name\": \"b\", "
	    "\"type\": \"A\", \"ttl\": null, \"records\": null, "
	    "\"zone_id\": \"ZZ\", \"alias\": [{\"name\": \"a.z.internal\", "
	    "\"zone_id\": \"ZZ\", \"evaluate_target_health\": true}]}}\n"
	    "]}]}}}";
	struct conf_errors errs = {0};
	struct route53_zones zs;

	ck_assert_int_eq(
	    terraform_parse(doc, strlen(doc), "show.json", &zs, &errs), VPC_OK);
	dump_errors(&errs);
	ck_assert_uint_eq(zs.n, 1);
	ck_assert_uint_eq(zs.zones[0].n_sets, 2);
	ck_assert_str_eq(zs.zones[0].sets[0].where,
			 "module.m.aws_route53_record.a");
	ck_assert_str_eq(zs.zones[0].sets[1].name, "b.z.internal");
	ck_assert_str_eq(zs.zones[0].sets[1].alias, "a.z.internal");
	ck_assert(zs.zones[0].sets[1].evaluate_health);
	route53_zones_free(&zs);
	conf_errors_cleanup(&errs);
}
END_TEST

START_TEST(terraform_bad)
{
	static const struct {
		const char *doc, *want;
	} cases[] = {
	    {"{\"version\": 4, \"resources\": [{\"mode\": \"managed\", \"type\":"
	     " \"aws_route53_record\", \"name\": \"r\", \"instances\": "
	     "[{\"index_key\": 2, \"attributes\": {\"name\": \"r.z\", \"type\":"
	     " \"A\", \"zone_id\": \"Z\", \"ttl\": 5}}]}]}",
	     "aws_route53_record.r[2] (r.z A): needs records or an alias"},
	    {"{\"version\": 4, \"resources\": [{\"mode\": \"managed\", \"type\":"
	     " \"aws_route53_record\", \"name\": \"r\", \"instances\": "
	     "[{\"attributes\": {\"name\": \"r.z\", \"type\": \"A\", "
	     "\"zone_id\": \"Z\", \"ttl\": 5, \"records\": [\"1.1.1.1\"], "
	     "\"weighted_routing_policy\": [{\"weight\": 1}]}}]}]}",
	     "a weighted record needs a set_identifier"},
	    {"{\"version\": 4, \"resources\": [{\"module\": \"module.x\", "
	     "\"mode\": \"managed\", \"type\": \"aws_route53_record\", \"name\":"
	     " \"r\", \"instances\": [{\"attributes\": {\"name\": \"r.z\", "
	     "\"type\": \"WKS\", \"zone_id\": \"Z\"}}]}]}",
	     "module.x.aws_route53_record.r: type WKS"},
	    {"{\"version\": 4, \"resources\": []}",
	     "no aws_route53_zone or aws_route53_record"},
	    {"{\"version\": 4}", "no 'values' or 'resources'"},
	};
	struct conf_errors errs = {0};
	struct route53_zones zs;

	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		bool found = false;

		ck_assert_int_eq(terraform_parse(cases[c].doc,
						 strlen(cases[c].doc),
						 "tf.json", &zs, &errs),
				 VPC_ECONFIG);
		for (size_t i = 0; i < errs.n; i++)
			found |= strncmp(errs.msgs[i], "tf.json:1: ", 11) == 0 &&
				 strstr(errs.msgs[i], cases[c].want) != NULL;
		if (!found)
			dump_errors(&errs);
		ck_assert_msg(found, "no '%s'", cases[c].want);
		conf_errors_cleanup(&errs);
	}
}
END_TEST

/* ---- the engine ---------------------------------------------------------- */

static struct conf *cf;
static struct view_set *vs;
static struct sockaddr_in client;
static struct answer_src src;
static struct answer_job job;
static struct tu_pkt query;
static struct tu_resp resp;
static uint8_t out[MSG_TCP_MAX];
static size_t out_len;
static char dir[64];

static void
write_file(const char *name, const char *text)
{
	char path[128];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	ck_assert_ptr_nonnull(fp = fopen(path, "w"));
	ck_assert_int_eq(fputs(text, fp) >= 0, 1);
	fclose(fp);
}

static void
engine_setup(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(dir, sizeof(dir), "%s/r53-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	memset(&client, 0, sizeof(client));
	client.sin_family = AF_INET;
	inet_pton(AF_INET, "10.0.0.5", &client.sin_addr);
	src.addr = (const struct sockaddr *)&client;
	src.inbound = VIEW_NOT_INBOUND;
	src.random = 0;
	cf = NULL;
	vs = NULL;
}

static void
engine_teardown(void)
{
	char cmd[128];

	view_set_free(vs);
	conf_free(cf);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* A configuration of one VPC in @region serving zone shop.internal from
 * the sample, an endpoint for its apex alias and @extra at the end. */
static int
build(const char *region, const char *extra, struct conf_errors *errs)
{
	const char *top = getenv("TOP_SRCDIR");
	char yaml[4096];
	int rc;

	if (top == NULL || *top == '\0')
		top = VPCDNS_SRCDIR;
	snprintf(yaml, sizeof(yaml),
		 "vpcs:\n"
		 "  - id: vpc-0a1b2c3d\n"
		 "    region: %s\n"
		 "    cidr-blocks: [10.0.0.0/16]\n"
		 "    hosted-zones:\n"
		 "      - {name: shop.internal, file: %s/conf/examples/"
		 "route53-record-sets.json}\n"
		 "%s"
		 "    endpoints:\n"
		 "      - id: vpce-0123456789abcdef0\n"
		 "        service: com.amazonaws.%s.ecr.dkr\n"
		 "        dns-suffix: q1w2e3r4\n"
		 "        subnets:\n"
		 "          - {az: %sa, ipv4: 10.0.1.31}\n"
		 "health-checks:\n"
		 "  - {id: hc-db-primary, status: up}\n"
		 "  - {id: hc-pool-3, status: down}\n",
		 region, top, extra, region, region);
	rc = conf_load_string(&files_reader, yaml, strlen(yaml), "t.yaml", &cf,
			      errs);
	if (rc != VPC_OK)
		return rc;
	return view_set_build(cf, &vs, errs);
}

static void
build_ok(const char *region, const char *extra)
{
	struct conf_errors errs = {0};
	int rc = build(region, extra, &errs);

	dump_errors(&errs);
	ck_assert_int_eq(rc, VPC_OK);
	conf_errors_cleanup(&errs);
}

static enum answer_action
ask(const char *name, uint16_t type)
{
	enum answer_action a;

	tu_query(&query, name, type, 0);
	a = answer_query(&job, vs, NULL, &src, query.b, query.len, 0, out,
			 MSG_UDP_MAX, &out_len);
	if (a == ANSWER_REPLY)
		tu_parse_ok(out, out_len, &resp);
	return a;
}

/* The first A record of the answer as text. */
static const char *
first_a(void)
{
	static char text[INET_ADDRSTRLEN];

	for (size_t i = 0; i < resp.n_rrs; i++)
		if (resp.rr[i].section == 0 && resp.rr[i].type == 1)
			return inet_ntop(AF_INET, out + resp.rr[i].rdata_off,
					 text, sizeof(text));
	return "-";
}

START_TEST(apex_alias_to_vpce)
{
	build_ok("us-east-1", "");
	ck_assert_int_eq(ask("Shop.Internal", 1), ANSWER_REPLY);
	ck_assert_uint_eq(resp.rcode, 0);
	ck_assert(resp.flags & WIRE_FLAG_AA);
	ck_assert_uint_eq(resp.count[0], 1);
	ck_assert_uint_eq(tu_count(&resp, 0, WIRE_TYPE_CNAME), 0);
	ck_assert(tu_name_is(resp.rr[0].owner, resp.rr[0].owner_len,
			     "Shop.Internal"));
	ck_assert_str_eq(first_a(), "10.0.1.31");
	ck_assert_uint_eq(resp.rr[0].ttl, 60); /* the target's TTL */
	/* The alias is of type A: AAAA is NODATA with the zone's SOA. */
	ck_assert_int_eq(ask("shop.internal", WIRE_TYPE_AAAA), ANSWER_REPLY);
	ck_assert_uint_eq(resp.count[0], 0);
	ck_assert_uint_eq(tu_count(&resp, 1, WIRE_TYPE_SOA), 1);
}
END_TEST

START_TEST(alias_same_zone_and_wildcard)
{
	build_ok("us-east-1", "");
	ck_assert_int_eq(ask("home.shop.internal", 1), ANSWER_REPLY);
	ck_assert_uint_eq(resp.count[0], 2);
	ck_assert_uint_eq(resp.rr[0].ttl, 300);
	ck_assert(tu_name_is(resp.rr[1].owner, resp.rr[1].owner_len,
			     "home.shop.internal"));
	ck_assert_int_eq(ask("x.y.apps.shop.internal", 1), ANSWER_REPLY);
	ck_assert_str_eq(first_a(), "10.0.5.5");
}
END_TEST

START_TEST(alias_upstream)
{
	static const uint8_t addr[4] = {192, 0, 2, 7};
	struct tu_pkt reply;
	size_t at, n;

	build_ok("us-east-1", "");
	ck_assert_int_eq(ask("lb.shop.internal", 1), ANSWER_FORWARD);
	ck_assert(tu_name_is(job.fwd_name, job.fwd_name_len,
			     "dualstack.shop-lb-1234567890.us-east-1.elb."
			     "amazonaws.com"));
	/* The upstream answers through a CNAME; the alias hides it. */
	tu_reset(&reply);
	tu_header(&reply, 0, 0x8180, 1, 2, 0, 0);
	tu_question(&reply, "dualstack.shop-lb-1234567890.us-east-1.elb."
			    "amazonaws.com", 1, 1);
	at = tu_rr_head(&reply, "dualstack.shop-lb-1234567890.us-east-1.elb."
				"amazonaws.com", WIRE_TYPE_CNAME, 1, 30);
	tu_name_text(&reply, "x.elb.amazonaws.com");
	tu_rr_end(&reply, at);
	at = tu_rr_head(&reply, "x.elb.amazonaws.com", 1, 1, 20);
	tu_bytes(&reply, addr, 4);
	tu_rr_end(&reply, at);
	n = answer_upstream(&job, NULL, VPC_OK, reply.b, reply.len, 0, out,
			    sizeof(out));
	tu_parse_ok(out, n, &resp);
	ck_assert_uint_eq(resp.rcode, 0);
	ck_assert_uint_eq(resp.count[0], 1);
	ck_assert(tu_name_is(resp.rr[0].owner, resp.rr[0].owner_len,
			     "lb.shop.internal"));
	ck_assert_uint_eq(resp.rr[0].ttl, 20);
	ck_assert_str_eq(first_a(), "192.0.2.7");
	ck_assert(resp.flags & WIRE_FLAG_AA);
}
END_TEST

START_TEST(weighted_distribution)
{
	unsigned blue = 0, green = 0, retired = 0;

	build_ok("us-east-1", "");
	for (unsigned i = 0; i < 1000; i++) {
		const char *a;

		src.random = i * 7919u;
		ck_assert_int_eq(ask("api.shop.internal", 1), ANSWER_REPLY);
		a = first_a();
		blue += strcmp(a, "10.0.1.1") == 0;
		green += strcmp(a, "10.0.1.2") == 0;
		retired += strcmp(a, "10.0.1.3") == 0;
	}
	/* 70/30 within 5 points; weight 0 never while others have weight. */
	ck_assert_uint_eq(blue + green, 1000);
	ck_assert_uint_eq(retired, 0);
	ck_assert_uint_ge(blue, 650);
	ck_assert_uint_le(blue, 750);
	/* The same random bits give the same answer. */
	src.random = 42;
	ask("api.shop.internal", 1);
	{
		char first[INET_ADDRSTRLEN];

		strcpy(first, first_a());
		ask("api.shop.internal", 1);
		ck_assert_str_eq(first_a(), first);
	}
}
END_TEST

START_TEST(failover_and_multivalue)
{
	build_ok("us-east-1", "");
	ck_assert_int_eq(ask("db.shop.internal", 1), ANSWER_REPLY);
	ck_assert_str_eq(first_a(), "10.0.2.1");
	ck_assert_str_eq(job.trace.policy->set_id, "db-primary");
	vs->health->up[0] = 0; /* hc-db-primary goes down */
	ask("db.shop.internal", 1);
	ck_assert_str_eq(first_a(), "10.0.2.2");
	ck_assert_str_eq(job.trace.policy_why,
			 "failover: primary unhealthy, secondary");
	/* pool-3 is down: two answers, shuffled. */
	for (unsigned i = 0; i < 20; i++) {
		src.random = i;
		ask("pool.shop.internal", 1);
		ck_assert_uint_eq(resp.count[0], 2);
	}
	vs->health->up[1] = 1;
	ask("pool.shop.internal", 1);
	ck_assert_uint_eq(resp.count[0], 3);
}
END_TEST

START_TEST(latency_and_geo_by_region)
{
	build_ok("eu-west-1", "");
	ask("app.shop.internal", 1);
	ck_assert_str_eq(first_a(), "10.1.3.1");
	ask("cdn.shop.internal", 1);
	ck_assert_str_eq(first_a(), "10.1.4.1"); /* continent EU */
	view_set_free(vs);
	conf_free(cf);
	vs = NULL;
	cf = NULL;
	build_ok("us-east-1", "");
	ask("app.shop.internal", 1);
	ck_assert_str_eq(first_a(), "10.0.3.1");
	ask("cdn.shop.internal", 1);
	ck_assert_str_eq(first_a(), "10.0.4.1"); /* US-VA */
	view_set_free(vs);
	conf_free(cf);
	vs = NULL;
	cf = NULL;
	build_ok("ap-northeast-1", "");
	ask("cdn.shop.internal", 1);
	ck_assert_str_eq(first_a(), "10.9.4.1"); /* the default */
}
END_TEST

static void
build_err(const char *zone_json, const char *want)
{
	struct conf_errors errs = {0};
	char extra[256], path[128];
	bool found = false;

	write_file("bad.json", zone_json);
	snprintf(path, sizeof(path), "%s/bad.json", dir);
	snprintf(extra, sizeof(extra),
		 "      - {name: bad.internal, file: %s}\n", path);
	ck_assert_int_ne(build("us-east-1", extra, &errs), VPC_OK);
	for (size_t i = 0; i < errs.n; i++)
		found |= strncmp(errs.msgs[i], path, strlen(path)) == 0 &&
			 strstr(errs.msgs[i], want) != NULL;
	if (!found)
		dump_errors(&errs);
	ck_assert_msg(found, "no '%s'", want);
	/* The configuration key that loaded the file is named too. */
	found = false;
	for (size_t i = 0; i < errs.n; i++)
		found |= strstr(errs.msgs[i], "t.yaml:") != NULL &&
			 strstr(errs.msgs[i], "vpcs[0].hosted-zones[1]") != NULL;
	ck_assert_msg(found || strstr(want, "alias") != NULL,
		      "the key is not named");
	conf_errors_cleanup(&errs);
}

#define ALIAS(name, target)                                                    \
	"{\"Name\": \"" name "\", \"Type\": \"A\", \"AliasTarget\": "          \
	"{\"DNSName\": \"" target "\", \"HostedZoneId\": \"Z\", "             \
	"\"EvaluateTargetHealth\": false}}"

START_TEST(alias_errors)
{
	build_err("{\"ResourceRecordSets\": [" ALIAS(
		      "a.bad.internal", "missing.bad.internal") "]}",
		  "ResourceRecordSets[0] (a.bad.internal A): alias target "
		  "missing.bad.internal. does not exist in the zone");
	view_set_free(vs);
	conf_free(cf);
	vs = NULL;
	cf = NULL;
	build_err("{\"ResourceRecordSets\": [" ALIAS(
		      "a.bad.internal", "b.bad.internal") ",\n" ALIAS(
		      "b.bad.internal", "a.bad.internal") "]}",
		  "alias cycle");
	view_set_free(vs);
	conf_free(cf);
	vs = NULL;
	cf = NULL;
	build_err("{\"ResourceRecordSets\": [" ALIAS(
		      "a.bad.internal", "a.bad.internal") "]}",
		  "alias cycle");
	view_set_free(vs);
	conf_free(cf);
	vs = NULL;
	cf = NULL;
	/* Into another loaded zone: allowed (an extension), and answered. */
	write_file("ok.json", "{\"ResourceRecordSets\": [" ALIAS(
				      "bad.internal", "www.shop.internal") "]}");
	{
		char extra[256];

		snprintf(extra, sizeof(extra),
			 "      - {name: bad.internal, file: %s/ok.json}\n", dir);
		build_ok("us-east-1", extra);
		ask("bad.internal", 1);
		ck_assert_str_eq(first_a(), "10.0.0.10");
	}
}
END_TEST

START_TEST(value_and_zone_errors)
{
	build_err("{\"ResourceRecordSets\": [{\"Name\": \"a.bad.internal\", "
		  "\"Type\": \"A\", \"TTL\": 1, \"ResourceRecords\": "
		  "[{\"Value\": \"not-an-address\"}]}]}",
		  "ResourceRecordSets[0] (a.bad.internal A): value 0:");
	view_set_free(vs);
	conf_free(cf);
	vs = NULL;
	cf = NULL;
	build_err("{\"ResourceRecordSets\": [{\"Name\": \"a.elsewhere\", "
		  "\"Type\": \"A\", \"TTL\": 1, \"ResourceRecords\": "
		  "[{\"Value\": \"10.0.0.1\"}]}]}",
		  "the name is outside the zone");
	view_set_free(vs);
	conf_free(cf);
	vs = NULL;
	cf = NULL;
	build_err("{\"ResourceRecordSets\": [{\"Name\": \"a.bad.internal\", "
		  "\"Type\": \"A\", \"TTL\": 1, \"SetIdentifier\": \"x\", "
		  "\"Weight\": 1, \"HealthCheckId\": \"hc-nope\", "
		  "\"ResourceRecords\": [{\"Value\": \"10.0.0.1\"}]}]}",
		  "HealthCheckId hc-nope is not in health-checks");
}
END_TEST


/* ---- zone files held to named-checkzone's standard ---------------------- */

static int
load_zone_text(const char *text, struct zone **z, struct conf_errors *errs)
{
	*z = NULL;
	return zone_load_text("t.zone", text, strlen(text), "t.internal", z,
			      errs);
}

static bool
has_error(const struct conf_errors *errs, const char *line_prefix,
	  const char *want)
{
	for (size_t i = 0; i < errs->n; i++) {
		const char *m = strstr(errs->msgs[i], "t.zone:");

		if (m != NULL && strncmp(m + 7, line_prefix,
					 strlen(line_prefix)) == 0 &&
		    strstr(m, want) != NULL)
			return true;
	}
	return false;
}

START_TEST(zone_every_error_with_its_line)
{
	struct conf_errors errs = {0};
	struct zone *z;

	ck_assert_int_eq(load_zone_text("$ORIGIN t.internal.\n"
					"@ 300 IN A 10.0.0.1\n"
					"big 99999999999 IN A 10.0.0.2\n"
					"q 300 IN TXT \"unterminated\n"
					"bad 300 IN A 999.1.1.1\n"
					"c 300 IN CNAME x.t.internal.\n"
					"c 300 IN A 10.0.0.9\n"
					"@ 300 IN CNAME y.t.internal.\n"
					"$TTL 4294967296\n"
					"$GENERATE 5-1 h$ A 10.0.0.$\n",
					&z, &errs),
			 VPC_ECONFIG);
	if (errs.n != 7)
		dump_errors(&errs);
	ck_assert_uint_eq(errs.n, 7);
	ck_assert(has_error(&errs, "3: ", "TTL 99999999999 does not fit 32"));
	ck_assert(has_error(&errs, "4: ", "unterminated quoted string"));
	ck_assert(has_error(&errs, "5: ", "rdata"));
	ck_assert(has_error(&errs, "7: ", "CNAME and other data"));
	ck_assert(has_error(&errs, "8: ", "CNAME at the zone apex"));
	ck_assert(has_error(&errs, "9: ", "TTL 4294967296 does not fit"));
	ck_assert(has_error(&errs, "10: ", "$GENERATE range 5-1"));
	ck_assert_ptr_null(z);
	conf_errors_cleanup(&errs);
}
END_TEST

START_TEST(zone_ttl_rfc2181)
{
	struct conf_errors errs = {0};
	const struct zone_node *n;
	struct zone *z;
	uint8_t name[WIRE_MAX_NAME_LEN];

	ck_assert_int_eq(load_zone_text("$ORIGIN t.internal.\n"
					"a 2147483647 IN A 10.0.0.1\n"
					"b 2147483648 IN A 10.0.0.2\n"
					"c 1h30m IN A 10.0.0.3\n",
					&z, &errs),
			 VPC_OK);
	wire_name_from_text("a.t.internal", name);
	n = zone_find(z, name, wire_name_len(name));
	ck_assert_uint_eq(zone_rrset(n, 1)->ttl, 2147483647u);
	wire_name_from_text("b.t.internal", name);
	n = zone_find(z, name, wire_name_len(name));
	ck_assert_uint_eq(zone_rrset(n, 1)->ttl, 0); /* RFC 2181 §8 */
	wire_name_from_text("c.t.internal", name);
	n = zone_find(z, name, wire_name_len(name));
	ck_assert_uint_eq(zone_rrset(n, 1)->ttl, 5400);
	zone_free(z);
	conf_errors_cleanup(&errs);
}
END_TEST

START_TEST(zone_generate)
{
	struct conf_errors errs = {0};
	const struct zone_node *n;
	struct zone *z;
	uint8_t name[WIRE_MAX_NAME_LEN];
	uint16_t len;

	ck_assert_int_eq(load_zone_text("$ORIGIN t.internal.\n$TTL 60\n"
					"$GENERATE 1-3 host$ A 10.0.1.$\n"
					"$GENERATE 10-30/10 ${0,3,d}.rev 30 IN "
					"PTR h$.t.internal.\n"
					"$GENERATE 1-2 x${10,2,x} CNAME host$\n"
					"after IN A 10.0.0.9\n",
					&z, &errs),
			 VPC_OK);
	dump_errors(&errs);
	wire_name_from_text("host3.t.internal", name);
	ck_assert_ptr_nonnull(n = zone_find(z, name, wire_name_len(name)));
	ck_assert_uint_eq(zone_rdata_first(zone_rrset(n, 1), &len)[3], 3);
	wire_name_from_text("020.rev.t.internal", name);
	ck_assert_ptr_nonnull(n = zone_find(z, name, wire_name_len(name)));
	ck_assert_uint_eq(zone_rrset(n, WIRE_TYPE_PTR)->ttl, 30);
	wire_name_from_text("x0c.t.internal", name);
	ck_assert_ptr_nonnull(n = zone_find(z, name, wire_name_len(name)));
	ck_assert_ptr_nonnull(zone_rrset(n, WIRE_TYPE_CNAME));
	wire_name_from_text("after.t.internal", name);
	ck_assert_ptr_nonnull(zone_find(z, name, wire_name_len(name)));
	zone_free(z);
	conf_errors_cleanup(&errs);
}
END_TEST

START_TEST(zone_error_names_the_key)
{
	struct conf_errors errs = {0};
	char extra[256];
	bool found = false;

	write_file("bad.zone", "$ORIGIN bad.internal.\nx 1 IN A nope\n");
	snprintf(extra, sizeof(extra),
		 "      - {name: bad.internal, file: %s/bad.zone}\n", dir);
	ck_assert_int_eq(build("us-east-1", extra, &errs), VPC_ECONFIG);
	for (size_t i = 0; i < errs.n; i++)
		found |= strstr(errs.msgs[i], "t.yaml:") != NULL &&
			 strstr(errs.msgs[i], "vpcs[0].hosted-zones[1] "
					      "(bad.internal): 1 error(s)") !=
				 NULL;
	if (!found)
		dump_errors(&errs);
	ck_assert(found);
	conf_errors_cleanup(&errs);
}
END_TEST

static Suite *
route53_suite(void)
{
	Suite *s = suite_create("route53");
	TCase *tc = tcase_create("readers");

	tcase_add_test(tc, sample_every_field);
	tcase_add_test(tc, change_batch);
	tcase_add_test(tc, decode_names);
	tcase_add_loop_test(tc, bad_record_sets, 0,
			    (int)(sizeof(bad_sets) / sizeof(bad_sets[0])));
	tcase_add_test(tc, bad_documents);
	tcase_add_test(tc, detect_formats);
	tcase_add_test(tc, terraform_state_sample);
	tcase_add_test(tc, terraform_show_json);
	tcase_add_test(tc, terraform_bad);
	suite_add_tcase(s, tc);
	tc = tcase_create("engine");
	tcase_add_checked_fixture(tc, engine_setup, engine_teardown);
	tcase_add_test(tc, apex_alias_to_vpce);
	tcase_add_test(tc, alias_same_zone_and_wildcard);
	tcase_add_test(tc, alias_upstream);
	tcase_add_test(tc, weighted_distribution);
	tcase_add_test(tc, failover_and_multivalue);
	tcase_add_test(tc, latency_and_geo_by_region);
	tcase_add_test(tc, alias_errors);
	tcase_add_test(tc, value_and_zone_errors);
	tcase_add_test(tc, zone_every_error_with_its_line);
	tcase_add_test(tc, zone_ttl_rfc2181);
	tcase_add_test(tc, zone_generate);
	tcase_add_test(tc, zone_error_names_the_key);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(route53_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
