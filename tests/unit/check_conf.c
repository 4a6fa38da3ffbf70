/*
 * tests/unit/check_conf.c - unit tests of the configuration parser.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Loads inline YAML with conf_load_string() and checks the resulting
 * struct conf field by field, or the exact "file:line:" prefix and a key
 * word of each expected error.  Every test releases what it loads, so the
 * suite runs clean under ASan and under valgrind with CK_FORK=no.
 */
#include "config.h"

#include "conf/conf.h"
#include "io/files.h"

#include <sys/socket.h>
#include <sys/stat.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "util/err.h"

#define ETC_PATH "/etc/vpcdns/vpcdns.yaml"

/* Lines 1-3: one VPC; lines 4-6: its first endpoint; line 7: a subnet. */
#define VPC1                                                                   \
	"vpcs:\n"                                                              \
	"  - id: vpc-1\n"                                                      \
	"    region: us-east-1\n"
#define EP1                                                                    \
	"    endpoints:\n"                                                     \
	"      - id: vpce-1\n"                                                 \
	"        service: com.amazonaws.us-east-1.sts\n"
#define SUB1 "        subnets: [{az: us-east-1a, ipv4: 10.0.1.5}]\n"

static void
dump_errors(const struct conf_errors *errs)
{
	for (size_t i = 0; i < errs->n; i++)
		fprintf(stderr, "  %s\n", errs->msgs[i]);
}

static struct conf *
load_ok_at(const char *yaml, const char *path)
{
	struct conf_errors errs = {0};
	struct conf *cf = NULL;
	int rc;

	rc = conf_load_string(&files_reader, yaml, strlen(yaml), path, &cf,
			      &errs);
	if (rc != VPC_OK)
		dump_errors(&errs);
	ck_assert_int_eq(rc, VPC_OK);
	ck_assert_uint_eq(errs.n, 0);
	ck_assert_ptr_nonnull(cf);
	conf_errors_cleanup(&errs);
	return cf;
}

static struct conf *
load_ok(const char *yaml)
{
	return load_ok_at(yaml, ETC_PATH);
}

/* Loads @yaml as @path; one error must start @prefix and hold @word. */
static void
expect_error_at(const char *yaml, const char *path, const char *prefix,
		const char *word)
{
	struct conf_errors errs = {0};
	struct conf *cf = NULL;
	bool found = false;
	int rc;

	rc = conf_load_string(&files_reader, yaml, strlen(yaml), path, &cf,
			      &errs);
	ck_assert_int_eq(rc, VPC_ECONFIG);
	ck_assert_ptr_null(cf);
	for (size_t i = 0; i < errs.n; i++)
		if (strncmp(errs.msgs[i], prefix, strlen(prefix)) == 0 &&
		    strstr(errs.msgs[i] + strlen(prefix), word) != NULL)
			found = true;
	if (!found) {
		fprintf(stderr, "wanted \"%s...%s\", got:\n", prefix, word);
		dump_errors(&errs);
	}
	conf_errors_cleanup(&errs);
	ck_assert_msg(found, "no error \"%s...%s\"", prefix, word);
}

/* Loads @yaml as "t.yaml"; one error must start @prefix and hold @word. */
static void
expect_error(const char *yaml, const char *prefix, const char *word)
{
	expect_error_at(yaml, "t.yaml", prefix, word);
}

static void
check_sa(const struct conf_sockaddr *sa, int family, const char *addr,
	 uint16_t port)
{
	char buf[INET6_ADDRSTRLEN];
	const struct sockaddr_in *sin = (const struct sockaddr_in *)&sa->ss;
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)&sa->ss;

	ck_assert_int_eq(sa->ss.ss_family, family);
	if (family == AF_INET) {
		ck_assert_uint_eq(sa->len, sizeof(*sin));
		ck_assert_uint_eq(ntohs(sin->sin_port), port);
		inet_ntop(AF_INET, &sin->sin_addr, buf, sizeof(buf));
	} else {
		ck_assert_uint_eq(sa->len, sizeof(*sin6));
		ck_assert_uint_eq(ntohs(sin6->sin6_port), port);
		inet_ntop(AF_INET6, &sin6->sin6_addr, buf, sizeof(buf));
	}
	ck_assert_str_eq(buf, addr);
}

static void
check_cidr(const struct conf_cidr *c, int family, const char *addr,
	   unsigned prefix)
{
	char buf[INET6_ADDRSTRLEN];

	ck_assert_int_eq(c->family, family);
	ck_assert_uint_eq(c->prefix, prefix);
	inet_ntop(family, c->addr, buf, sizeof(buf));
	ck_assert_str_eq(buf, addr);
}

static void
check_defaults(struct conf *cf)
{
	ck_assert_uint_eq(cf->n_listen, 2);
	check_sa(&cf->listen[0].addr, AF_INET, "127.0.0.1", 53);
	check_sa(&cf->listen[1].addr, AF_INET6, "::1", 53);
	ck_assert_ptr_null(cf->listen[0].inbound);
	ck_assert_ptr_null(cf->listen[1].inbound);
	ck_assert_uint_eq(cf->n_upstreams, 0);
	ck_assert_uint_eq(cf->cache_max_entries, 100000);
	ck_assert_uint_eq(cf->cache_max_ttl, 86400);
	ck_assert_uint_eq(cf->n_vpcs, 0);
	ck_assert_str_eq(cf->path, ETC_PATH);
	conf_free(cf);
}

/* ---- defaults ----------------------------------------------------------- */

START_TEST(test_defaults_empty)
{
	check_defaults(load_ok(""));
}
END_TEST

START_TEST(test_defaults_comments)
{
	check_defaults(load_ok("# nothing here\n\n   # nor here\n"));
}
END_TEST

START_TEST(test_defaults_document_marker)
{
	check_defaults(load_ok("---\n"));
	check_defaults(load_ok("---\n~\n...\n"));
}
END_TEST

START_TEST(test_defaults_cache_partial)
{
	struct conf *cf = load_ok("cache: {max-ttl: 60}\n");

	ck_assert_uint_eq(cf->cache_max_entries, 100000);
	ck_assert_uint_eq(cf->cache_max_ttl, 60);
	conf_free(cf);
	cf = load_ok("cache: {max-entries: 0}\n");
	ck_assert_uint_eq(cf->cache_max_entries, 0);
	conf_free(cf);
}
END_TEST

START_TEST(test_defaults_endpoint)
{
	struct conf *cf = load_ok(
	    VPC1 EP1 SUB1 "      - id: vpce-2\n"
			  "        service: com.amazonaws.us-east-1.s3\n"
			  "        type: gateway\n");
	const struct conf_vpc *v = &cf->vpcs[0];
	const struct conf_endpoint *ep = &v->endpoints[0];

	ck_assert(!v->clients_set);
	ck_assert_uint_eq(v->n_cidr_blocks, 0);
	ck_assert_uint_eq(v->n_hosted_zones, 0);
	ck_assert_int_eq(ep->type, CONF_ENDPOINT_INTERFACE);
	ck_assert(ep->private_dns);
	ck_assert_ptr_null(ep->dns_suffix);
	ck_assert_int_eq(ep->ip_address_type, CONF_IP_IPV4);
	ck_assert_int_eq(ep->dns_record_ip_type, CONF_IP_IPV4);
	ck_assert(!ep->inbound_only);
	ck_assert(!ep->private_dns_names_set);
	ck_assert_uint_eq(ep->n_private_dns_names, 0);
	ck_assert_uint_eq(ep->line, 5);
	ck_assert_uint_eq(ep->subnets[0].line, 7);
	ep = &v->endpoints[1];
	ck_assert_int_eq(ep->type, CONF_ENDPOINT_GATEWAY);
	ck_assert(!ep->private_dns);
	ck_assert_int_eq(ep->dns_record_ip_type, CONF_IP_SERVICE_DEFINED);
	ck_assert_uint_eq(ep->n_subnets, 0);
	conf_free(cf);
}
END_TEST

START_TEST(test_defaults_record_type_follows_address_type)
{
	struct conf *cf =
	    load_ok(VPC1 EP1 "        ip-address-type: ipv6\n"
			     "        subnets: [{az: us-east-1a, ipv6: "
			     "'fd00::5'}]\n");
	const struct conf_endpoint *ep = &cf->vpcs[0].endpoints[0];

	ck_assert_int_eq(ep->ip_address_type, CONF_IP_IPV6);
	ck_assert_int_eq(ep->dns_record_ip_type, CONF_IP_IPV6);
	ck_assert(!ep->subnets[0].has_ipv4);
	ck_assert(ep->subnets[0].has_ipv6);
	conf_free(cf);
}
END_TEST

/* ---- a full valid example ------------------------------------------------ */

static const char full_yaml[] =
    "# vpcdns test configuration\n"				/* 1 */
    "listen:\n"							/* 2 */
    "  - {address: 127.0.0.1, port: 5300}\n"			/* 3 */
    "  - {address: '::1', port: 5301, inbound: vpc-0a1b2c3d}\n" /* 4 */
    "upstreams: [127.0.0.1:15353, 192.0.2.1, '[2001:db8::1]:5353', "
    "'2001:db8::2']\n"						/* 5 */
    "cache: {max-entries: 5000, max-ttl: 3600}\n"		/* 6 */
    "vpcs:\n"							/* 7 */
    "  - id: vpc-0a1b2c3d\n"					/* 8 */
    "    region: us-east-1\n"					/* 9 */
    "    cidr-blocks: [10.0.0.0/16, 'fd00:10::/56']\n"		/* 10 */
    "    clients: [127.0.0.0/8, 10.0.0.0/16]\n"			/* 11 */
    "    endpoints:\n"						/* 12 */
    "      - id: vpce-0a1b2c3d4e5f67890\n"			/* 13 */
    "        service: com.amazonaws.us-east-1.secretsmanager\n" /* 14 */
    "        type: interface\n"					/* 15 */
    "        private-dns: true\n"				/* 16 */
    "        dns-suffix: abcd1234\n"				/* 17 */
    "        ip-address-type: dualstack\n"			/* 18 */
    "        dns-record-ip-type: service-defined\n"		/* 19 */
    "        private-dns-only-for-inbound-resolver-endpoint: false\n"
    "        private-dns-names: [secrets.example.com, "
    "'*.Wild.Example.COM.']\n" /* 21 */
    "        subnets:\n"       /* 22 */
    "          - {az: us-east-1a, ipv4: 10.0.1.15, ipv6: "
    "'fd00:10:1::f'}\n" /* 23 */
    "          - {az: us-east-1b, ipv4: 10.0.2.27, ipv6: "
    "'fd00:10:2::1b'}\n"					  /* 24 */
    "      - id: vpce-11111111111111111\n"			  /* 25 */
    "        service: com.amazonaws.us-east-1.s3\n"		  /* 26 */
    "        type: gateway\n"					  /* 27 */
    "      - id: vpce-22222222222222222\n"			  /* 28 */
    "        service: com.amazonaws.us-east-1.s3\n"		  /* 29 */
    "        subnets: [{az: us-east-1a, ipv4: 10.0.1.16}]\n"	  /* 30 */
    "      - id: vpce-33333333333333333\n"			  /* 31 */
    "        service: com.amazonaws.us-east-1.dynamodb\n"	  /* 32 */
    "        subnets: [{az: us-east-1c, ipv4: 10.0.3.4}]\n"	  /* 33 */
    "      - id: vpce-44444444444444444\n"			  /* 34 */
    "        service: com.amazonaws.us-west-2.sts\n"		  /* 35 */
    "        ip-address-type: ipv6\n"				  /* 36 */
    "        subnets: [{az: us-east-1d, ipv6: 'fd00:10:4::4'}]\n" /* 37 */
    "      - id: vpce-55555555555555555\n"			  /* 38 */
    "        service: rds-db1\n"				  /* 39 */
    "        type: resource\n"					  /* 40 */
    "        private-dns-names: "
    "[db1.abc123.us-east-1.rds.amazonaws.com]\n"	     /* 41 */
    "        subnets: [{az: us-east-1a, ipv4: 10.0.1.99}]\n" /* 42 */
    "    hosted-zones:\n"				     /* 43 */
    "      - {name: corp.internal, file: zones/corp.internal.zone}\n"
    "      - {name: Example.COM., file: /srv/zones/example.com.zone}\n"
    "  - id: vpc-default\n"					 /* 46 */
    "    region: cn-north-1\n"					 /* 47 */
    "    endpoints:\n"						 /* 48 */
    "      - id: vpce-66666666666666666\n"			 /* 49 */
    "        service: cn.com.amazonaws.cn-north-1.ecr.api\n"	 /* 50 */
    "        private-dns: no\n"					 /* 51 */
    "        subnets: [{az: cn-north-1a, ipv4: 172.31.0.10}]\n"; /* 52 */

static void
check_full_top(const struct conf *cf)
{
	ck_assert_uint_eq(cf->n_listen, 2);
	check_sa(&cf->listen[0].addr, AF_INET, "127.0.0.1", 5300);
	ck_assert_ptr_null(cf->listen[0].inbound);
	ck_assert_uint_eq(cf->listen[0].line, 3);
	check_sa(&cf->listen[1].addr, AF_INET6, "::1", 5301);
	ck_assert_str_eq(cf->listen[1].inbound, "vpc-0a1b2c3d");
	ck_assert_uint_eq(cf->listen[1].line, 4);
	ck_assert_uint_eq(cf->n_upstreams, 4);
	check_sa(&cf->upstreams[0], AF_INET, "127.0.0.1", 15353);
	check_sa(&cf->upstreams[1], AF_INET, "192.0.2.1", 53);
	check_sa(&cf->upstreams[2], AF_INET6, "2001:db8::1", 5353);
	check_sa(&cf->upstreams[3], AF_INET6, "2001:db8::2", 53);
	ck_assert_uint_eq(cf->cache_max_entries, 5000);
	ck_assert_uint_eq(cf->cache_max_ttl, 3600);
	ck_assert_uint_eq(cf->n_vpcs, 2);
}

static void
check_full_vpc(const struct conf_vpc *v)
{
	ck_assert_str_eq(v->id, "vpc-0a1b2c3d");
	ck_assert_str_eq(v->region, "us-east-1");
	ck_assert_uint_eq(v->line, 8);
	ck_assert_uint_eq(v->n_cidr_blocks, 2);
	check_cidr(&v->cidr_blocks[0], AF_INET, "10.0.0.0", 16);
	check_cidr(&v->cidr_blocks[1], AF_INET6, "fd00:10::", 56);
	ck_assert(v->clients_set);
	ck_assert_uint_eq(v->n_clients, 2);
	check_cidr(&v->clients[0], AF_INET, "127.0.0.0", 8);
	ck_assert_uint_eq(v->n_endpoints, 6);
	ck_assert_uint_eq(v->n_hosted_zones, 2);
	ck_assert_str_eq(v->hosted_zones[0].name, "corp.internal");
	ck_assert_str_eq(v->hosted_zones[0].file,
			 "/etc/vpcdns/zones/corp.internal.zone");
	ck_assert_uint_eq(v->hosted_zones[0].line, 44);
	ck_assert_str_eq(v->hosted_zones[1].name, "example.com");
	ck_assert_str_eq(v->hosted_zones[1].file,
			 "/srv/zones/example.com.zone");
}

static void
check_full_interface(const struct conf_endpoint *ep)
{
	static const uint8_t v4[4] = {10, 0, 2, 27};
	uint8_t v6[16];

	ck_assert_str_eq(ep->id, "vpce-0a1b2c3d4e5f67890");
	ck_assert_str_eq(ep->service, "com.amazonaws.us-east-1.secretsmanager");
	ck_assert_int_eq(ep->type, CONF_ENDPOINT_INTERFACE);
	ck_assert(ep->private_dns);
	ck_assert_str_eq(ep->dns_suffix, "abcd1234");
	ck_assert_int_eq(ep->ip_address_type, CONF_IP_DUALSTACK);
	ck_assert_int_eq(ep->dns_record_ip_type, CONF_IP_SERVICE_DEFINED);
	ck_assert(!ep->inbound_only);
	ck_assert(ep->private_dns_names_set);
	ck_assert_uint_eq(ep->n_private_dns_names, 2);
	ck_assert_str_eq(ep->private_dns_names[0], "secrets.example.com");
	ck_assert_str_eq(ep->private_dns_names[1], "*.wild.example.com");
	ck_assert_uint_eq(ep->n_subnets, 2);
	ck_assert_uint_eq(ep->line, 13);
	ck_assert_str_eq(ep->subnets[1].az, "us-east-1b");
	ck_assert(ep->subnets[1].has_ipv4);
	ck_assert_mem_eq(ep->subnets[1].ipv4, v4, 4);
	ck_assert(ep->subnets[1].has_ipv6);
	inet_pton(AF_INET6, "fd00:10:2::1b", v6);
	ck_assert_mem_eq(ep->subnets[1].ipv6, v6, 16);
	ck_assert_uint_eq(ep->subnets[1].line, 24);
}

static void
check_full_others(const struct conf_vpc *v)
{
	const struct conf_endpoint *ep = v->endpoints;

	ck_assert_int_eq(ep[1].type, CONF_ENDPOINT_GATEWAY);
	ck_assert(!ep[1].private_dns);
	ck_assert_int_eq(ep[1].dns_record_ip_type, CONF_IP_SERVICE_DEFINED);
	/* SPEC 1.5a: the S3 gateway makes inbound-only the default. */
	ck_assert(ep[2].inbound_only);
	ck_assert(ep[2].private_dns);
	/* No DynamoDB gateway endpoint: false. */
	ck_assert(!ep[3].inbound_only);
	ck_assert_int_eq(ep[4].ip_address_type, CONF_IP_IPV6);
	ck_assert_int_eq(ep[4].dns_record_ip_type, CONF_IP_IPV6);
	ck_assert_str_eq(ep[4].subnets[0].az, "us-east-1d");
	ck_assert_int_eq(ep[5].type, CONF_ENDPOINT_RESOURCE);
	ck_assert(ep[5].private_dns);
	ck_assert_str_eq(ep[5].private_dns_names[0],
			 "db1.abc123.us-east-1.rds.amazonaws.com");
}

START_TEST(test_full_example)
{
	struct conf *cf = load_ok(full_yaml);
	const struct conf_vpc *v2;

	check_full_top(cf);
	check_full_vpc(&cf->vpcs[0]);
	check_full_interface(&cf->vpcs[0].endpoints[0]);
	check_full_others(&cf->vpcs[0]);
	v2 = &cf->vpcs[1];
	ck_assert_str_eq(v2->id, "vpc-default");
	ck_assert_str_eq(v2->region, "cn-north-1");
	ck_assert(!v2->clients_set);
	ck_assert(!v2->endpoints[0].private_dns);
	ck_assert_str_eq(v2->endpoints[0].service,
			 "cn.com.amazonaws.cn-north-1.ecr.api");
	conf_free(cf);
}
END_TEST

START_TEST(test_inbound_only_explicit)
{
	struct conf *cf = load_ok(
	    VPC1
	    "    endpoints:\n"
	    "      - {id: vpce-1, service: com.amazonaws.us-east-1.s3,\n"
	    "         type: gateway}\n"
	    "      - {id: vpce-2, service: com.amazonaws.us-east-1.s3,\n"
	    "         subnets: [{az: us-east-1a, ipv4: 10.0.0.9}],\n"
	    "         private-dns-only-for-inbound-resolver-endpoint: no}\n"
	    "      - {id: vpce-3, service: com.amazonaws.us-east-1.sts,\n"
	    "         subnets: [{az: us-east-1a, ipv4: 10.0.0.8}],\n"
	    "         private-dns-only-for-inbound-resolver-endpoint: "
	    "false}\n");

	ck_assert(!cf->vpcs[0].endpoints[1].inbound_only);
	ck_assert(!cf->vpcs[0].endpoints[2].inbound_only);
	conf_free(cf);
	cf = load_ok(
	    VPC1 "    endpoints:\n"
		 "      - {id: vpce-2, service: com.amazonaws.us-east-1.s3,\n"
		 "         subnets: [{az: us-east-1a, ipv4: 10.0.0.9}],\n"
		 "         private-dns-only-for-inbound-resolver-endpoint: "
		 "yes}\n"
		 "      - {id: vpce-1, service: com.amazonaws.us-east-1.s3,\n"
		 "         type: gateway}\n");
	ck_assert(cf->vpcs[0].endpoints[0].inbound_only);
	conf_free(cf);
}
END_TEST

START_TEST(test_free_null)
{
	conf_free(NULL);
}
END_TEST

/* ---- relative paths ------------------------------------------------------ */

static void
check_zone_path(const char *conf_path, const char *expect)
{
	struct conf *cf = load_ok_at(VPC1 "    hosted-zones:\n"
					  "      - {name: a.test, file: "
					  "zones/a.zone}\n",
				     conf_path);

	ck_assert_str_eq(cf->vpcs[0].hosted_zones[0].file, expect);
	conf_free(cf);
}

START_TEST(test_paths_absolute_config)
{
	check_zone_path("/etc/vpcdns/vpcdns.yaml", "/etc/vpcdns/zones/a.zone");
	check_zone_path("/vpcdns.yaml", "/zones/a.zone");
}
END_TEST

START_TEST(test_paths_relative_config)
{
	char cwd[4096], want[4200];

	ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
	snprintf(want, sizeof(want), "%s/conf/zones/a.zone",
		 strcmp(cwd, "/") == 0 ? "" : cwd);
	check_zone_path("conf/vpcdns.yaml", want);
	snprintf(want, sizeof(want), "%s/zones/a.zone",
		 strcmp(cwd, "/") == 0 ? "" : cwd);
	check_zone_path("vpcdns.yaml", want);
}
END_TEST

START_TEST(test_paths_absolute_zone)
{
	struct conf *cf =
	    load_ok(VPC1 "    hosted-zones:\n"
			 "      - {name: a.test, file: /z/a.zone}\n");

	ck_assert_str_eq(cf->vpcs[0].hosted_zones[0].file, "/z/a.zone");
	conf_free(cf);
}
END_TEST

/* ---- rules, firewall, profiles, allow-query, query log, metrics ---------- */

/* A directory of its own for files a configuration names. */
struct tdir {
	char path[64];
};

static void
tdir_make(struct tdir *d)
{
	char sub[128];

	snprintf(d->path, sizeof(d->path), "/tmp/check_conf_XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(d->path));
	snprintf(sub, sizeof(sub), "%s/lists", d->path);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
}

static void
tdir_write(const struct tdir *d, const char *rel, const char *text, size_t len)
{
	char path[128];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", d->path, rel);
	fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	ck_assert_uint_eq(fwrite(text, 1, len, fp), len);
	fclose(fp);
}

/* Removes @rel (files the test wrote) and then the directory. */
static void
tdir_remove(const struct tdir *d, const char *const *rel, size_t n)
{
	char path[128];

	for (size_t i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", d->path, rel[i]);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/lists", d->path);
	rmdir(path);
	rmdir(d->path);
}

static const char policy_yaml[] =
    "listen: [{address: 127.0.0.1, port: 5300}]\n"		    /* 1 */
    "vpcs:\n"							    /* 2 */
    "  - id: vpc-0a1b2c3d\n"					    /* 3 */
    "    region: us-east-1\n"					    /* 4 */
    "    cidr-blocks: [10.0.0.0/16]\n"				    /* 5 */
    "    clients: [127.0.0.0/8, 198.51.100.0/24]\n"		    /* 6 */
    "    enable-dns-hostnames: false\n"				    /* 7 */
    "    rules:\n"						    /* 8 */
    "      - {domain: OnPrem.Example.COM., type: forward,\n"	    /* 9 */
    "         targets: [127.0.0.1:15354, '[fd00::53]:5353', dns,\n" /* 10 */
    "                   'resolver.corp:5300', '2001:db8::53']}\n"   /* 11 */
    "      - {domain: public.corp.internal, type: system}\n"	    /* 12 */
    "      - {domain: '.', type: forward, targets: [192.0.2.53]}\n" /* 13 */
    "    firewall:\n"						    /* 14 */
    "      - {priority: 100, domains: [Bad.Example.COM.,\n"	    /* 15 */
    "         '*.bad.example.com'], action: block,\n"		    /* 16 */
    "         block-response: nxdomain}\n"			    /* 17 */
    "      - priority: 200\n"					    /* 18 */
    "        name: walled garden\n"				    /* 19 */
    "        domains: [extra.example]\n"			    /* 20 */
    "        domains-file: lists/walled.txt\n"			    /* 21 */
    "        action: block\n"					    /* 22 */
    "        block-response: override\n"			    /* 23 */
    "        block-override-domain: Walled.Corp.Internal.\n"	    /* 24 */
    "        block-override-dns-type: cname\n"			    /* 25 */
    "        block-override-ttl: 30\n"				    /* 26 */
    "      - {priority: 50, domains: ['*'], action: alert}\n"	    /* 27 */
    "    profiles: [other, shared-services]\n"			    /* 28 */
    "profiles:\n"						    /* 29 */
    "  - name: shared-services\n"				    /* 30 */
    "    hosted-zones: [{name: shared.internal, file: z/s.zone}]\n" /* 31 */
    "    rules: [{domain: svc.shared.internal, type: forward,\n"    /* 32 */
    "             targets: [10.9.0.2]}]\n"			    /* 33 */
    "    firewall: [{priority: 1, domains: [evil.example],\n"	    /* 34 */
    "                action: allow}]\n"				    /* 35 */
    "  - {name: other}\n"					    /* 36 */
    "allow-query: [10.0.0.0/8, any]\n"				    /* 37 */
    "query-log: {path: logs/query.log, account-id: '111122223333'}\n"
    "metrics: {address: '::1', port: 9154}\n"		     /* 39 */
    "rate-limit: {responses-per-second: 0, min-size: 512}\n" /* 40 */
    "simulate-aws-limits: yes\n";			     /* 41 */

static const char walled_txt[] =
    "# walled garden: everything but what is allowed\n"
    "*\n"
    "\n"
    "   Allowed.Example.com.   # a trailing comment\n"
    "\t*.cdn.example.net\r\n";

static void
check_policy_rules(const struct conf_vpc *v)
{
	const struct conf_rule *r = v->rules;

	ck_assert(!v->enable_dns_hostnames);
	ck_assert_uint_eq(v->n_rules, 3);
	ck_assert_str_eq(r[0].domain, "onprem.example.com");
	ck_assert_int_eq(r[0].type, CONF_RULE_FORWARD);
	ck_assert_uint_eq(r[0].n_targets, 5);
	ck_assert_str_eq(r[0].targets[0], "127.0.0.1:15354");
	ck_assert_str_eq(r[0].targets[1], "[fd00::53]:5353");
	ck_assert_str_eq(r[0].targets[2], "dns");
	ck_assert_str_eq(r[0].targets[3], "resolver.corp:5300");
	ck_assert_str_eq(r[0].targets[4], "2001:db8::53");
	ck_assert_uint_eq(r[0].line, 9);
	ck_assert_int_eq(r[1].type, CONF_RULE_SYSTEM);
	ck_assert_uint_eq(r[1].n_targets, 0);
	ck_assert_ptr_null(r[1].targets);
	ck_assert_str_eq(r[2].domain, ".");
	ck_assert_uint_eq(r[2].line, 13);
}

static void
check_policy_firewall(const struct conf_vpc *v, const char *dir)
{
	const struct conf_fw_rule *f = v->firewall;
	char want[128];

	ck_assert_uint_eq(v->n_firewall, 3);
	ck_assert_uint_eq(f[0].priority, 100);
	ck_assert_str_eq(f[0].name, "rule-100");
	ck_assert_uint_eq(f[0].n_domains, 2);
	ck_assert_str_eq(f[0].domains[0], "bad.example.com");
	ck_assert_str_eq(f[0].domains[1], "*.bad.example.com");
	ck_assert_ptr_null(f[0].domains_file);
	ck_assert_int_eq(f[0].action, CONF_FW_BLOCK);
	ck_assert_int_eq(f[0].block_response, CONF_FW_NXDOMAIN);
	ck_assert_ptr_null(f[0].override_domain);
	ck_assert_uint_eq(f[0].override_type, 5);
	ck_assert_uint_eq(f[0].override_ttl, 0);
	ck_assert_uint_eq(f[0].line, 15);
	ck_assert_str_eq(f[1].name, "walled garden");
	ck_assert_uint_eq(f[1].n_domains, 4);
	ck_assert_str_eq(f[1].domains[0], "extra.example");
	ck_assert_str_eq(f[1].domains[1], "*");
	ck_assert_str_eq(f[1].domains[2], "allowed.example.com");
	ck_assert_str_eq(f[1].domains[3], "*.cdn.example.net");
	snprintf(want, sizeof(want), "%s/lists/walled.txt", dir);
	ck_assert_str_eq(f[1].domains_file, want);
	ck_assert_int_eq(f[1].block_response, CONF_FW_OVERRIDE);
	ck_assert_str_eq(f[1].override_domain, "walled.corp.internal");
	ck_assert_uint_eq(f[1].override_type, 5);
	ck_assert_uint_eq(f[1].override_ttl, 30);
	ck_assert_uint_eq(f[1].line, 18);
	ck_assert_uint_eq(f[2].priority, 50);
	ck_assert_int_eq(f[2].action, CONF_FW_ALERT);
	ck_assert_int_eq(f[2].block_response, CONF_FW_NODATA);
	ck_assert_str_eq(f[2].domains[0], "*");
}

static void
check_policy_profiles(const struct conf *cf, const char *dir)
{
	const struct conf_vpc *v = &cf->vpcs[0];
	const struct conf_profile *p = cf->profiles;
	char want[128];

	ck_assert_uint_eq(v->n_profile_refs, 2);
	ck_assert_str_eq(v->profile_refs[0].name, "other");
	ck_assert_uint_eq(v->n_profiles, 2);
	ck_assert_uint_eq(v->profiles[0], 1);
	ck_assert_uint_eq(v->profiles[1], 0);
	ck_assert_uint_eq(cf->n_profiles, 2);
	ck_assert_str_eq(p[0].name, "shared-services");
	ck_assert_uint_eq(p[0].line, 30);
	ck_assert_uint_eq(p[0].n_hosted_zones, 1);
	snprintf(want, sizeof(want), "%s/z/s.zone", dir);
	ck_assert_str_eq(p[0].hosted_zones[0].file, want);
	ck_assert_uint_eq(p[0].n_rules, 1);
	ck_assert_str_eq(p[0].rules[0].targets[0], "10.9.0.2");
	ck_assert_uint_eq(p[0].n_firewall, 1);
	ck_assert_int_eq(p[0].firewall[0].action, CONF_FW_ALLOW);
	ck_assert_str_eq(p[0].firewall[0].name, "rule-1");
	ck_assert_str_eq(p[1].name, "other");
	ck_assert_uint_eq(p[1].n_rules + p[1].n_firewall, 0);
}

START_TEST(test_policy_example)
{
	static const char *const files[] = {"lists/walled.txt"};
	char path[128], want[128];
	struct tdir d;
	struct conf *cf;

	tdir_make(&d);
	tdir_write(&d, files[0], walled_txt, strlen(walled_txt));
	snprintf(path, sizeof(path), "%s/vpcdns.yaml", d.path);
	cf = load_ok_at(policy_yaml, path);
	check_policy_rules(&cf->vpcs[0]);
	check_policy_firewall(&cf->vpcs[0], d.path);
	check_policy_profiles(cf, d.path);
	/* An explicit allow-query is used as written; "any" is both. */
	ck_assert_uint_eq(cf->n_allow_query, 3);
	check_cidr(&cf->allow_query[0], AF_INET, "10.0.0.0", 8);
	check_cidr(&cf->allow_query[1], AF_INET, "0.0.0.0", 0);
	check_cidr(&cf->allow_query[2], AF_INET6, "::", 0);
	ck_assert(cf->query_log);
	snprintf(want, sizeof(want), "%s/logs/query.log", d.path);
	ck_assert_str_eq(cf->query_log_path, want);
	ck_assert_str_eq(cf->query_log_account, "111122223333");
	ck_assert(cf->metrics);
	check_sa(&cf->metrics_addr, AF_INET6, "::1", 9154);
	ck_assert_uint_eq(cf->rrl_rate, 0);
	ck_assert_uint_eq(cf->rrl_min_size, 512);
	ck_assert(cf->simulate_aws_limits);
	conf_free(cf);
	tdir_remove(&d, files, 1);
}
END_TEST

static void
check_allow_default(const struct conf *cf, size_t n_extra)
{
	static const char *const want[] = {
	    "127.0.0.0/8",    "::1/128",       "10.0.0.0/8", "172.16.0.0/12",
	    "192.168.0.0/16", "100.64.0.0/10", "fc00::/7",   "fe80::/10",
	};
	struct conf_cidr c;
	char buf[INET6_ADDRSTRLEN];
	size_t n = sizeof(want) / sizeof(want[0]);

	ck_assert_uint_eq(cf->n_allow_query, n + n_extra);
	for (size_t i = 0; i < n; i++) {
		ck_assert_int_eq(conf_parse_cidr(want[i], &c), VPC_OK);
		inet_ntop(c.family, c.addr, buf, sizeof(buf));
		check_cidr(&cf->allow_query[i], c.family, buf, c.prefix);
	}
}

START_TEST(test_defaults_policy)
{
	struct conf *cf = load_ok("");

	check_allow_default(cf, 0);
	ck_assert(!cf->query_log);
	ck_assert_str_eq(cf->query_log_path, "-");
	ck_assert_str_eq(cf->query_log_account, "000000000000");
	ck_assert(!cf->metrics);
	check_sa(&cf->metrics_addr, AF_INET, "127.0.0.1", 9153);
	ck_assert_uint_eq(cf->n_profiles, 0);
	ck_assert_uint_eq(cf->rrl_rate, 50);
	ck_assert_uint_eq(cf->rrl_min_size, 1024);
	ck_assert(!cf->simulate_aws_limits);
	ck_assert_uint_eq(cf->aws_pps, 1024);
	ck_assert_uint_eq(cf->limit_sources, 65536);
	ck_assert_uint_eq(cf->tcp_idle_ms, 10000);
	ck_assert_uint_eq(cf->tcp_max_conns, 1024);
	ck_assert_uint_eq(cf->tcp_max_inflight, 64);
	ck_assert_uint_eq(cf->fwd_timeout_ms, 1500);
	ck_assert_uint_eq(cf->fwd_tries, 2);
	ck_assert_uint_eq(cf->fwd_max_inflight, 10000);
	conf_free(cf);
	cf = load_ok("aws-packets-per-second: 5\n"
		     "rate-limit: {tracked-sources: 100}\n"
		     "tcp: {idle-timeout-ms: 2000, max-connections: 3, "
		     "max-in-flight: 2}\n"
		     "forwarding: {timeout-ms: 250, tries: 1, "
		     "max-in-flight: 7}\n");
	ck_assert_uint_eq(cf->aws_pps, 5);
	ck_assert_uint_eq(cf->limit_sources, 100);
	ck_assert_uint_eq(cf->rrl_rate, 50);
	ck_assert_uint_eq(cf->tcp_idle_ms, 2000);
	ck_assert_uint_eq(cf->tcp_max_conns, 3);
	ck_assert_uint_eq(cf->tcp_max_inflight, 2);
	ck_assert_uint_eq(cf->fwd_timeout_ms, 250);
	ck_assert_uint_eq(cf->fwd_tries, 1);
	ck_assert_uint_eq(cf->fwd_max_inflight, 7);
	conf_free(cf);
	cf = load_ok("query-log: {}\nmetrics: {}\n");
	ck_assert(cf->query_log);
	ck_assert_str_eq(cf->query_log_path, "-");
	ck_assert_str_eq(cf->query_log_account, "000000000000");
	ck_assert(cf->metrics);
	check_sa(&cf->metrics_addr, AF_INET, "127.0.0.1", 9153);
	conf_free(cf);
	cf = load_ok("query-log: {path: /var/log/q.log}\n"
		     "metrics: {address: 0.0.0.0}\n");
	ck_assert_str_eq(cf->query_log_path, "/var/log/q.log");
	check_sa(&cf->metrics_addr, AF_INET, "0.0.0.0", 9153);
	conf_free(cf);
}
END_TEST

/* The default allow-query adds each VPC's clients and cidr-blocks. */
START_TEST(test_defaults_allow_query_vpcs)
{
	struct conf *cf =
	    load_ok(VPC1 "    clients: [127.0.0.0/8, 198.51.100.0/24]\n"
			 "    cidr-blocks: [10.0.0.0/16, 'fd00:10::/56']\n"
			 "  - {id: vpc-2, region: us-west-2,\n"
			 "     cidr-blocks: [10.0.0.0/16, 203.0.113.0/24]}\n");
	const struct conf_vpc *v = &cf->vpcs[0];

	check_allow_default(cf, 4);
	check_cidr(&cf->allow_query[8], AF_INET, "198.51.100.0", 24);
	check_cidr(&cf->allow_query[9], AF_INET, "10.0.0.0", 16);
	check_cidr(&cf->allow_query[10], AF_INET6, "fd00:10::", 56);
	check_cidr(&cf->allow_query[11], AF_INET, "203.0.113.0", 24);
	ck_assert(v->enable_dns_hostnames);
	ck_assert_uint_eq(v->n_rules + v->n_firewall + v->n_profiles, 0);
	ck_assert_ptr_null(v->profiles);
	conf_free(cf);
	cf = load_ok(VPC1 "    clients: [198.51.100.0/24]\n"
			  "allow-query: [any]\n");
	ck_assert_uint_eq(cf->n_allow_query, 2);
	check_cidr(&cf->allow_query[0], AF_INET, "0.0.0.0", 0);
	check_cidr(&cf->allow_query[1], AF_INET6, "::", 0);
	conf_free(cf);
}
END_TEST

START_TEST(test_domains_file_absolute)
{
	static const char *const files[] = {"lists/a.txt"};
	static const char list[] = "a.example\nb.example"; /* no final \n */
	char yaml[512];
	struct tdir d;
	struct conf *cf;

	tdir_make(&d);
	tdir_write(&d, files[0], list, strlen(list));
	snprintf(yaml, sizeof(yaml),
		 VPC1 "    firewall:\n"
		      "      - {priority: 7, domains-file: %s/lists/a.txt,\n"
		      "         action: block}\n",
		 d.path);
	cf = load_ok(yaml);
	ck_assert_uint_eq(cf->vpcs[0].firewall[0].n_domains, 2);
	ck_assert_str_eq(cf->vpcs[0].firewall[0].domains[1], "b.example");
	ck_assert_str_eq(cf->vpcs[0].firewall[0].name, "rule-7");
	conf_free(cf);
	tdir_remove(&d, files, 1);
}
END_TEST

/* ---- conf_parse_sockaddr, conf_parse_cidr, errors, files ----------------- */

START_TEST(test_parse_sockaddr)
{
	static const char *const bad[] = {
	    "",
	    "localhost",
	    "1.2.3.4:",
	    "1.2.3.4:0",
	    "1.2.3.4:65536",
	    ":53",
	    "[::1",
	    "[::1]x",
	    "[1.2.3.4]:53",
	    "1.2.3:53",
	    "[::1]:5x",
	    "fe80::1%eth0",
	    "1.2.3.4:+53",
	    "::1:53:x",
	    "[]:53",
	    "[1.2.3.4]",
	};
	struct conf_sockaddr sa;

	ck_assert_int_eq(conf_parse_sockaddr("10.1.2.3", 53, &sa), VPC_OK);
	check_sa(&sa, AF_INET, "10.1.2.3", 53);
	ck_assert_int_eq(conf_parse_sockaddr("10.1.2.3:5353", 53, &sa), VPC_OK);
	check_sa(&sa, AF_INET, "10.1.2.3", 5353);
	ck_assert_int_eq(conf_parse_sockaddr("[fd00::1]:853", 53, &sa), VPC_OK);
	check_sa(&sa, AF_INET6, "fd00::1", 853);
	ck_assert_int_eq(conf_parse_sockaddr("[fd00::1]", 99, &sa), VPC_OK);
	check_sa(&sa, AF_INET6, "fd00::1", 99);
	ck_assert_int_eq(conf_parse_sockaddr("fd00::2", 53, &sa), VPC_OK);
	check_sa(&sa, AF_INET6, "fd00::2", 53);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(conf_parse_sockaddr(bad[i], 53, &sa) ==
				  VPC_EMALFORMED,
			      "accepted '%s'", bad[i]);
}
END_TEST

START_TEST(test_parse_cidr)
{
	static const char *const bad[] = {
	    "",
	    "10.0.0.0/",
	    "10.0.0.0/33",
	    "10.0.0.1/16",
	    "fd00::/129",
	    "fd00::1/64",
	    "10.0.0/8",
	    "/8",
	    "10.0.0.0/-1",
	    "10.0.0.0/8/8",
	    "10.0.0.0/08x",
	};
	struct conf_cidr c;

	ck_assert_int_eq(conf_parse_cidr("10.0.0.0/16", &c), VPC_OK);
	check_cidr(&c, AF_INET, "10.0.0.0", 16);
	ck_assert_int_eq(conf_parse_cidr("10.1.2.3", &c), VPC_OK);
	check_cidr(&c, AF_INET, "10.1.2.3", 32);
	ck_assert_int_eq(conf_parse_cidr("0.0.0.0/0", &c), VPC_OK);
	check_cidr(&c, AF_INET, "0.0.0.0", 0);
	ck_assert_int_eq(conf_parse_cidr("fd00::/8", &c), VPC_OK);
	check_cidr(&c, AF_INET6, "fd00::", 8);
	ck_assert_int_eq(conf_parse_cidr("fd00::1", &c), VPC_OK);
	check_cidr(&c, AF_INET6, "fd00::1", 128);
	ck_assert_int_eq(conf_parse_cidr("10.0.0.128/25", &c), VPC_OK);
	check_cidr(&c, AF_INET, "10.0.0.128", 25);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(conf_parse_cidr(bad[i], &c) == VPC_EMALFORMED,
			      "accepted '%s'", bad[i]);
}
END_TEST

START_TEST(test_errors_add)
{
	struct conf_errors errs = {0};

	for (unsigned i = 0; i < 40; i++)
		ck_assert_int_eq(
		    conf_errors_add(&errs, "f.yaml", i + 1, "e%u", i), VPC_OK);
	ck_assert_int_eq(conf_errors_add(&errs, "f.yaml", 0, "whole file"),
			 VPC_OK);
	ck_assert_uint_eq(errs.n, 41);
	ck_assert_str_eq(errs.msgs[0], "f.yaml:1: e0");
	ck_assert_str_eq(errs.msgs[39], "f.yaml:40: e39");
	ck_assert_str_eq(errs.msgs[40], "f.yaml: whole file");
	conf_errors_cleanup(&errs);
	ck_assert_uint_eq(errs.n, 0);
	ck_assert_ptr_null(errs.msgs);
	ck_assert_int_eq(conf_errors_add(&errs, "g", 2, "again"), VPC_OK);
	ck_assert_str_eq(errs.msgs[0], "g:2: again");
	conf_errors_cleanup(&errs);
}
END_TEST

START_TEST(test_load_file)
{
	char path[] = "/tmp/check_conf_XXXXXX";
	struct conf_errors errs = {0};
	struct conf *cf = NULL;
	FILE *fp;
	int fd;

	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	fp = fdopen(fd, "w");
	ck_assert_ptr_nonnull(fp);
	fputs("cache: {max-ttl: 30}\nbogus: 1\n", fp);
	fclose(fp);
	ck_assert_int_eq(conf_load_file(&files_reader, path, &cf, &errs),
			 VPC_ECONFIG);
	ck_assert_uint_eq(errs.n, 1);
	ck_assert_ptr_nonnull(strstr(errs.msgs[0], ":2: unknown key 'bogus'"));
	ck_assert_int_eq(strncmp(errs.msgs[0], path, strlen(path)), 0);
	conf_errors_cleanup(&errs);
	fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	fputs("cache: {max-ttl: 30}\n", fp);
	fclose(fp);
	ck_assert_int_eq(conf_load_file(&files_reader, path, &cf, &errs),
			 VPC_OK);
	ck_assert_uint_eq(cf->cache_max_ttl, 30);
	ck_assert_str_eq(cf->path, path);
	conf_free(cf);
	unlink(path);
	cf = NULL;
	ck_assert_int_eq(conf_load_file(&files_reader, path, &cf, &errs),
			 VPC_EIO);
	ck_assert_ptr_null(cf);
	ck_assert_uint_eq(errs.n, 1);
	ck_assert_ptr_nonnull(strstr(errs.msgs[0], ": cannot read: "));
	conf_errors_cleanup(&errs);
	ck_assert_int_eq(conf_load_file(&files_reader, "/", &cf, &errs),
			 VPC_EIO);
	conf_errors_cleanup(&errs);
}
END_TEST

/* ---- errors: YAML level ------------------------------------------------- */

START_TEST(test_err_yaml_syntax)
{
	expect_error("cache:\n  max-ttl: 1\n max-entries: 2\n",
		     "t.yaml:3: ", "did not find expected key");
	expect_error("vpcs: [a, b\n", "t.yaml:2: ", "flow sequence");
	expect_error("a: 'unterminated\n", "t.yaml:2: ", "quoted scalar");
	expect_error("# ok\nx: \"\x01\"\n", "t.yaml:2: ", "control characters");
	expect_error("# ok\n\nx: \xff\n", "t.yaml:3: ", "UTF-8");
}
END_TEST

START_TEST(test_err_root_kind)
{
	expect_error("- a\n- b\n", "t.yaml:1: ", "expected a mapping");
	expect_error("just text\n", "t.yaml:1: ", "expected a mapping");
}
END_TEST

START_TEST(test_err_aliases)
{
	expect_error("x: &a [1]\ny: *a\n", "t.yaml:2: ", "aliases");
	expect_error("vpcs: &v [*v]\n", "t.yaml:1: ", "aliases");
}
END_TEST

START_TEST(test_err_two_documents)
{
	expect_error("cache: {}\n---\ncache: {}\n",
		     "t.yaml:2: ", "only one YAML document");
}
END_TEST

START_TEST(test_err_depth)
{
	char yaml[300];

	memset(yaml, '[', 200);
	memset(yaml + 200, ']', 10);
	yaml[210] = '\0';
	expect_error(yaml, "t.yaml:1: ", "nested deeper than 64");
}
END_TEST

START_TEST(test_err_duplicate_key)
{
	expect_error(VPC1 "    region: us-west-2\n",
		     "t.yaml:4: ", "duplicate key 'region' (first at line 3)");
}
END_TEST

START_TEST(test_err_key_kind)
{
	expect_error("? [a]\n: b\n", "t.yaml:1: ", "plain names");
}
END_TEST

START_TEST(test_err_nul_in_value)
{
	expect_error("vpcs: [{id: \"vpc-1\\0x\", region: us-east-1}]\n",
		     "t.yaml:1: ", "vpcs[0].id: contains a NUL");
}
END_TEST

/* ---- errors: unknown keys; keys once planned ---------------------------- */

START_TEST(test_err_unknown_key_top)
{
	expect_error("cache: {}\nlisten-on: [1.2.3.4]\n",
		     "t.yaml:2: ", "unknown key 'listen-on'");
}
END_TEST

START_TEST(test_err_unknown_key_nested)
{
	expect_error(VPC1 "    colour: red\n",
		     "t.yaml:4: ", "vpcs[0]: unknown key 'colour'");
	expect_error(VPC1 EP1 SUB1 "        dns_suffix: abcd1234\n",
		     "t.yaml:8: ",
		     "vpcs[0].endpoints[0]: unknown key "
		     "'dns_suffix'");
	expect_error(VPC1 EP1
		     "        subnets: [{az: us-east-1a, ip: 10.0.0.1}]\n",
		     "t.yaml:7: ", "subnets[0]: unknown key 'ip'");
	expect_error("listen: [{address: 127.0.0.1, prot: 53}]\n",
		     "t.yaml:1: ", "listen[0]: unknown key 'prot'");
	expect_error("cache: {max_ttl: 5}\n",
		     "t.yaml:1: ", "cache: unknown key 'max_ttl'");
	expect_error(VPC1 "    hosted-zones: [{name: a.b, file: x, ttl: 5}]\n",
		     "t.yaml:4: ", "hosted-zones[0]: unknown key 'ttl'");
}
END_TEST

/* The keys once rejected as "not supported yet" now load. */
START_TEST(test_formerly_planned_top)
{
	struct conf *cf = load_ok("profiles:\n  - {name: shared}\n"
				  "query-log: {path: '-'}\n"
				  "metrics: {port: 9153}\n");

	ck_assert_uint_eq(cf->n_profiles, 1);
	ck_assert_str_eq(cf->profiles[0].name, "shared");
	ck_assert(cf->query_log);
	ck_assert(cf->metrics);
	conf_free(cf);
}
END_TEST

START_TEST(test_formerly_planned_vpc)
{
	struct conf *cf =
	    load_ok("profiles: [{name: shared}]\n" VPC1 "    rules: []\n"
		    "    firewall: []\n"
		    "    profiles: [shared]\n");

	ck_assert_uint_eq(cf->vpcs[0].n_rules, 0);
	ck_assert_uint_eq(cf->vpcs[0].n_firewall, 0);
	ck_assert_uint_eq(cf->vpcs[0].n_profiles, 1);
	ck_assert_uint_eq(cf->vpcs[0].profiles[0], 0);
	conf_free(cf);
}
END_TEST

/* ---- errors: kinds and scalar values ------------------------------------ */

START_TEST(test_err_wrong_kind)
{
	expect_error("cache: 5\n", "t.yaml:1: ", "cache: expected a mapping");
	expect_error("vpcs: {id: vpc-1}\n",
		     "t.yaml:1: ", "vpcs: expected a list");
	expect_error(VPC1 "    cidr-blocks: 10.0.0.0/8\n",
		     "t.yaml:4: ", "cidr-blocks: expected a list");
	expect_error("vpcs:\n  - id: vpc-1\n    region: [us-east-1]\n",
		     "t.yaml:3: ", "vpcs[0].region: expected a single value");
	expect_error("upstreams: [{address: 1.2.3.4}]\n",
		     "t.yaml:1: ", "upstreams[0]: expected a single value");
	expect_error("vpcs: [vpc-1]\n",
		     "t.yaml:1: ", "vpcs[0]: expected a mapping");
}
END_TEST

START_TEST(test_err_null_value)
{
	expect_error("listen:\ncache: {}\n",
		     "t.yaml:1: ", "listen: no value given");
	expect_error(VPC1 "    clients:\n",
		     "t.yaml:4: ", "clients: no value given");
}
END_TEST

START_TEST(test_err_port)
{
	expect_error("listen: [{address: 127.0.0.1, port: 0}]\n", "t.yaml:1: ",
		     "listen[0].port: '0' is not a whole number in 1..65535");
	expect_error("listen:\n  - {address: 127.0.0.1, port: 65536}\n",
		     "t.yaml:2: ", "'65536' is not a whole number");
	expect_error("listen: [{address: 127.0.0.1, port: -1}]\n",
		     "t.yaml:1: ", "'-1' is not a whole number");
	expect_error("listen: [{address: 127.0.0.1, port: 0x35}]\n",
		     "t.yaml:1: ", "'0x35' is not a whole number");
	expect_error("listen: [{port: 53}]\n",
		     "t.yaml:1: ", "listen[0]: missing required key 'address'");
}
END_TEST

START_TEST(test_err_cache_range)
{
	expect_error("cache: {max-entries: 10000001}\n", "t.yaml:1: ",
		     "cache.max-entries: '10000001' is not a whole number in "
		     "0..10000000");
	expect_error("cache:\n  max-ttl: 0\n", "t.yaml:2: ",
		     "cache.max-ttl: '0' is not a whole number in "
		     "1..2147483647");
	expect_error("cache: {max-ttl: 99999999999999999999}\n",
		     "t.yaml:1: ", "max-ttl");
}
END_TEST

START_TEST(test_err_bool)
{
	expect_error(VPC1 EP1 SUB1 "        private-dns: True\n", "t.yaml:8: ",
		     "private-dns: 'True' is not one of: false, true, no, yes");
	expect_error(VPC1 EP1 SUB1 "        private-dns: 1\n",
		     "t.yaml:8: ", "'1' is not one of: false, true");
}
END_TEST

START_TEST(test_err_enum)
{
	expect_error(VPC1 EP1 SUB1 "        type: interfaces\n", "t.yaml:8: ",
		     "type: 'interfaces' is not one of: interface, gateway, "
		     "resource");
	expect_error(VPC1 EP1 SUB1 "        ip-address-type: service-defined\n",
		     "t.yaml:8: ", "is not one of: ipv4, dualstack, ipv6");
	expect_error(VPC1 EP1 SUB1 "        dns-record-ip-type: both\n",
		     "t.yaml:8: ", "dns-record-ip-type: 'both' is not one of");
}
END_TEST

/* ---- errors: VPCs and endpoints ----------------------------------------- */

START_TEST(test_err_vpc_id)
{
	expect_error("vpcs: [{id: VPC-1, region: us-east-1}]\n",
		     "t.yaml:1: ", "vpcs[0].id: 'VPC-1' is not a VPC id");
	expect_error("vpcs:\n  - region: us-east-1\n",
		     "t.yaml:2: ", "vpcs[0]: missing required key 'id'");
	expect_error("vpcs: [{id: 'vpc-', region: us-east-1}]\n",
		     "t.yaml:1: ", "is not a VPC id");
}
END_TEST

START_TEST(test_err_region)
{
	expect_error("vpcs:\n  - id: vpc-1\n    region: US-EAST-1\n",
		     "t.yaml:3: ",
		     "vpcs[0].region: 'US-EAST-1' is not a "
		     "Region name");
	expect_error("vpcs: [{id: vpc-1, region: useast1}]\n",
		     "t.yaml:1: ", "is not a Region");
	expect_error("vpcs: [{id: vpc-1, region: us-east1}]\n",
		     "t.yaml:1: ", "is not a Region");
	expect_error("vpcs:\n  - id: vpc-1\n",
		     "t.yaml:2: ", "missing required key 'region'");
}
END_TEST

START_TEST(test_err_endpoint_id)
{
	expect_error(VPC1 "    endpoints:\n      - id: vpce-XYZ\n",
		     "t.yaml:5: ",
		     "endpoints[0].id: 'vpce-XYZ' is not an "
		     "endpoint id");
	expect_error(VPC1 "    endpoints:\n"
			  "      - id: vpce-0123456789abcdef01\n",
		     "t.yaml:5: ", "is not an endpoint id");
	expect_error(VPC1 "    endpoints:\n      - {id: vpce-1}\n",
		     "t.yaml:5: ", "missing required key 'service'");
	expect_error(VPC1 "    endpoints:\n      - {service: x.y}\n",
		     "t.yaml:5: ", "missing required key 'id'");
}
END_TEST

START_TEST(test_err_service)
{
	expect_error(VPC1 "    endpoints:\n      - id: vpce-1\n"
			  "        service: ''\n",
		     "t.yaml:6: ", "service: must not be empty");
	expect_error(VPC1 "    endpoints:\n      - id: vpce-1\n"
			  "        service: Com.Amazonaws.X\n" SUB1,
		     "t.yaml:6: ", "'Com.Amazonaws.X' is not a service name");
}
END_TEST

START_TEST(test_err_dns_suffix)
{
	expect_error(VPC1 EP1 SUB1 "        dns-suffix: abc\n", "t.yaml:8: ",
		     "dns-suffix: 'abc' is not a suffix of exactly 8");
	expect_error(VPC1 EP1 SUB1 "        dns-suffix: ABCD1234\n",
		     "t.yaml:8: ", "is not a suffix");
}
END_TEST

START_TEST(test_err_az)
{
	expect_error(VPC1 EP1
		     "        subnets: [{az: us-east-1, ipv4: 1.2.3.4}]\n",
		     "t.yaml:7: ",
		     "subnets[0].az: 'us-east-1' is not an "
		     "Availability Zone");
	expect_error(VPC1 EP1 "        subnets: [{ipv4: 1.2.3.4}]\n",
		     "t.yaml:7: ", "subnets[0]: missing required key 'az'");
}
END_TEST

START_TEST(test_err_ip_type_pair)
{
	expect_error(VPC1 EP1 SUB1 "        dns-record-ip-type: dualstack\n",
		     "t.yaml:8: ",
		     "dns-record-ip-type: dualstack is not "
		     "allowed with ip-address-type ipv4");
	expect_error(VPC1 EP1
		     "        ip-address-type: ipv6\n"
		     "        dns-record-ip-type: service-defined\n"
		     "        subnets: [{az: us-east-1a, ipv6: 'fd00::1'}]\n",
		     "t.yaml:8: ",
		     "service-defined is not allowed with "
		     "ip-address-type ipv6");
}
END_TEST

START_TEST(test_err_subnet_families)
{
	expect_error(VPC1 EP1 "        ip-address-type: ipv6\n"
			      "        subnets:\n"
			      "          - {az: us-east-1a, ipv4: 10.0.0.1}\n",
		     "t.yaml:9: ", "subnets[0]: missing 'ipv6'");
	expect_error(VPC1 EP1 "        subnets:\n"
			      "          - {az: us-east-1a, ipv6: 'fd00::1'}\n",
		     "t.yaml:8: ", "subnets[0]: missing 'ipv4'");
	expect_error(VPC1 EP1 "        ip-address-type: dualstack\n"
			      "        subnets:\n"
			      "          - {az: us-east-1a}\n",
		     "t.yaml:9: ", "subnets[0]: a subnet needs");
}
END_TEST

/* SPEC Part 2's example: an ipv4 endpoint with a dual-stack subnet. */
START_TEST(test_subnet_other_family_accepted)
{
	struct conf *cf =
	    load_ok(VPC1 EP1 "        subnets:\n"
			     "          - {az: us-east-1a, ipv4: 10.0.1.15}\n"
			     "          - {az: us-east-1b, ipv4: 10.0.2.27, "
			     "ipv6: \"fd00:10:2::1b\"}\n");

	ck_assert_uint_eq(cf->vpcs[0].endpoints[0].n_subnets, 2);
	ck_assert(cf->vpcs[0].endpoints[0].subnets[1].has_ipv6);
	conf_free(cf);
}
END_TEST

START_TEST(test_err_duplicate_az)
{
	expect_error(VPC1 EP1 "        subnets:\n"
			      "          - {az: us-east-1a, ipv4: 10.0.0.1}\n"
			      "          - {az: us-east-1b, ipv4: 10.0.1.1}\n"
			      "          - {az: us-east-1a, ipv4: 10.0.0.2}\n",
		     "t.yaml:10: ",
		     "subnets[2]: a second subnet in us-east-1a "
		     "(one per Availability Zone; first at line "
		     "8)");
}
END_TEST

START_TEST(test_err_endpoint_shapes)
{
	expect_error(VPC1 EP1, "t.yaml:5: ",
		     "endpoints[0].subnets: interface endpoints need at least "
		     "one subnet");
	expect_error(VPC1 EP1 "        subnets: []\n", "t.yaml:7: ",
		     "interface endpoints need at least one subnet");
	expect_error(
	    VPC1 "    endpoints:\n"
		 "      - id: vpce-1\n"
		 "        service: com.amazonaws.us-east-1.s3\n"
		 "        type: gateway\n" SUB1,
	    "t.yaml:8: ", "subnets: a gateway endpoint has no subnets");
	expect_error(VPC1 EP1 "        type: gateway\n", "t.yaml:6: ",
		     "service: gateway endpoints exist only for S3 and "
		     "DynamoDB");
	expect_error(VPC1 "    endpoints:\n"
			  "      - id: vpce-1\n"
			  "        service: com.amazonaws.us-east-1.dynamodb\n"
			  "        type: gateway\n"
			  "        private-dns: true\n",
		     "t.yaml:8: ", "a gateway endpoint has no private DNS");
}
END_TEST

START_TEST(test_err_resource_endpoint)
{
	expect_error(VPC1 EP1 "        type: resource\n" SUB1, "t.yaml:5: ",
		     "private-dns-names: a resource endpoint needs the "
		     "resource's host names");
	expect_error(VPC1 EP1 "        type: resource\n"
			      "        private-dns-names: [db.example.com]\n",
		     "t.yaml:5: ",
		     "resource endpoints need at least one "
		     "subnet");
}
END_TEST

/* Issue 12: a resource endpoint has no AWS service name. */
START_TEST(test_resource_without_service)
{
	struct conf *cf = load_ok(
	    VPC1 "    endpoints:\n"
		 "      - id: vpce-1\n"
		 "        type: resource\n"
		 "        private-dns-names: [db1.abc123.us-east-1.rds."
		 "amazonaws.com]\n" SUB1);
	const struct conf_endpoint *ep = &cf->vpcs[0].endpoints[0];

	ck_assert_ptr_null(ep->service);
	ck_assert_int_eq(ep->type, CONF_ENDPOINT_RESOURCE);
	ck_assert(ep->private_dns);
	ck_assert(!ep->inbound_only);
	conf_free(cf);
	/* Interface and gateway endpoints still name their service. */
	expect_error(VPC1 "    endpoints:\n      - id: vpce-1\n"
			  "        type: gateway\n",
		     "t.yaml:5: ", "missing required key 'service' (gateway");
	expect_error(VPC1 "    endpoints:\n      - id: vpce-1\n" SUB1,
		     "t.yaml:5: ",
		     "missing required key 'service' (interface");
}
END_TEST

/* Issue 12: the interfaces are in the VPC's subnets, so in its Region,
 * also for a cross-Region service. */
START_TEST(test_err_az_region)
{
	expect_error(VPC1 "    endpoints:\n"
			  "      - id: vpce-1\n"
			  "        service: com.amazonaws.eu-west-1.sqs\n"
			  "        subnets:\n"
			  "          - {az: us-east-1a, ipv4: 10.0.1.5}\n"
			  "          - {az: eu-west-1a, ipv4: 10.0.2.5}\n",
		     "t.yaml:9: ",
		     "vpcs[0].endpoints[0].subnets[1].az: eu-west-1a is not "
		     "in the VPC's Region us-east-1");
	expect_error(VPC1 "    endpoints:\n"
			  "      - id: vpce-1\n"
			  "        type: resource\n"
			  "        private-dns-names: [db.example.com]\n"
			  "        subnets: [{az: us-west-2b, ipv4: 10.0.1.5}]\n",
		     "t.yaml:8: ", "us-west-2b is not in the VPC's Region");
	/* The VPC's own AZs are fine with a service elsewhere. */
	conf_free(load_ok(VPC1 "    endpoints:\n"
			       "      - id: vpce-1\n"
			       "        service: com.amazonaws.eu-west-1.sqs\n"
			       "        subnets: [{az: us-east-1a, ipv4: "
			       "10.0.1.5}]\n"));
}
END_TEST

START_TEST(test_err_private_dns_names)
{
	expect_error(VPC1 EP1 SUB1 "        private-dns-names: [a.*.example]\n",
		     "t.yaml:8: ",
		     "private-dns-names[0]: 'a.*.example' is not "
		     "a valid DNS name");
	expect_error(VPC1 EP1 SUB1
		     "        private-dns-names: [ok.example, 'bad name']\n",
		     "t.yaml:8: ", "private-dns-names[1]: 'bad name' is not");
	expect_error(VPC1 EP1 SUB1 "        private-dns-names: ['a..b']\n",
		     "t.yaml:8: ", "is not a valid DNS name");
}
END_TEST

START_TEST(test_err_inbound_only_without_gateway)
{
	expect_error(VPC1
		     "    endpoints:\n"
		     "      - id: vpce-1\n"
		     "        service: com.amazonaws.us-east-1.s3\n"
		     "        private-dns-only-for-inbound-resolver-endpoint:"
		     " true\n" SUB1,
		     "t.yaml:7: ",
		     "endpoints[0].private-dns-only-for-inbound-"
		     "resolver-endpoint: it needs a gateway "
		     "endpoint");
	/* A gateway endpoint for another service does not count. */
	expect_error(VPC1
		     "    endpoints:\n"
		     "      - {id: vpce-2, type: gateway,\n"
		     "         service: com.amazonaws.us-east-1.dynamodb}\n"
		     "      - id: vpce-1\n"
		     "        service: com.amazonaws.us-east-1.s3\n"
		     "        private-dns-only-for-inbound-resolver-endpoint:"
		     " true\n"
		     "        subnets: [{az: us-east-1a, ipv4: 10.0.1.5}]\n",
		     "t.yaml:9: ", "it needs a gateway endpoint");
}
END_TEST

START_TEST(test_err_inbound_only_other_service)
{
	expect_error(VPC1 EP1 SUB1
		     "        private-dns-only-for-inbound-resolver-endpoint: "
		     "true\n",
		     "t.yaml:8: ", "only S3 and DynamoDB interface endpoints");
	expect_error(VPC1
		     "    endpoints:\n"
		     "      - {id: vpce-2, type: gateway,\n"
		     "         service: com.amazonaws.us-east-1.s3}\n"
		     "      - id: vpce-1\n"
		     "        service: com.amazonaws.us-east-1.s3\n"
		     "        private-dns: false\n"
		     "        private-dns-only-for-inbound-resolver-endpoint:"
		     " true\n"
		     "        subnets: [{az: us-east-1a, ipv4: 10.0.1.5}]\n",
		     "t.yaml:10: ", "needs private-dns: true");
}
END_TEST

/* ---- errors: across the file -------------------------------------------- */

START_TEST(test_err_duplicate_vpc_id)
{
	expect_error("vpcs:\n"
		     "  - {id: vpc-1, region: us-east-1, clients: []}\n"
		     "  - {id: vpc-2, region: us-east-1}\n"
		     "  - {id: vpc-1, region: us-west-2, clients: []}\n",
		     "t.yaml:4: ",
		     "vpcs[2].id: duplicate VPC id vpc-1 (first "
		     "at line 2)");
}
END_TEST

START_TEST(test_err_duplicate_endpoint_id)
{
	expect_error(
	    VPC1 EP1 SUB1
	    "  - id: vpc-2\n"
	    "    region: us-east-1\n"
	    "    clients: [10.0.0.0/8]\n"
	    "    endpoints:\n"
	    "      - {id: vpce-1, service: com.amazonaws.us-east-1.sqs,\n"
	    "         subnets: [{az: us-east-1a, ipv4: 10.9.0.1}]}\n",
	    "t.yaml:12: ",
	    "vpcs[1].endpoints[0].id: duplicate endpoint "
	    "id vpce-1 (first at line 5)");
}
END_TEST

START_TEST(test_err_duplicate_listen)
{
	expect_error("listen:\n"
		     "  - {address: 127.0.0.1, port: 5300}\n"
		     "  - {address: 127.0.0.1, port: 5301}\n"
		     "  - {address: 127.0.0.1, port: 5300}\n",
		     "t.yaml:4: ",
		     "listen[2]: 127.0.0.1 port 5300 is already "
		     "listed at line 2");
	expect_error("listen:\n  - {address: '::1'}\n  - address: '0::1'\n",
		     "t.yaml:3: ", "listen[1]: ::1 port 53 is already listed");
}
END_TEST

/* A wildcard address takes its port on every address of the family, so
 * the second bind would fail (issue 13: check passed, the daemon exited 3);
 * other families and ports do not collide. */
START_TEST(test_err_listen_wildcard_overlap)
{
	struct conf_errors errs = {0};
	struct conf *cf = NULL;
	const char *ok = "listen:\n"
			 "  - {address: 127.0.0.1, port: 5300}\n"
			 "  - {address: 0.0.0.0, port: 5301}\n"
			 "  - {address: '::', port: 5300}\n";

	expect_error("listen:\n"
		     "  - {address: 127.0.0.1, port: 5300}\n"
		     "  - {address: 0.0.0.0, port: 5300}\n",
		     "t.yaml:3: ",
		     "listen[1]: 0.0.0.0 port 5300 overlaps 127.0.0.1 port "
		     "5300 at line 2");
	expect_error("listen:\n"
		     "  - {address: '::', port: 5300}\n"
		     "  - {address: '::1', port: 5300}\n",
		     "t.yaml:3: ", "listen[1]: ::1 port 5300 overlaps :: port");
	expect_error("listen:\n  - {address: 127.0.0.1, port: 9153}\n"
		     "metrics: {address: 0.0.0.0, port: 9153}\n",
		     "t.yaml:", "is already a DNS listener");
	ck_assert_int_eq(conf_load_string(&files_reader, ok, strlen(ok),
					  "t.yaml", &cf, &errs),
			 VPC_OK);
	conf_free(cf);
	conf_errors_cleanup(&errs);
}
END_TEST

/* Entries whose port did not parse are not duplicates of each other. */
START_TEST(test_err_listen_bad_ports_no_duplicate)
{
	const char *yaml = "listen:\n"
			   "  - {address: 127.0.0.1, port: 65536}\n"
			   "  - {address: 127.0.0.1, port: 99999}\n";
	struct conf_errors errs = {0};
	struct conf *cf = NULL;

	ck_assert_int_eq(conf_load_string(&files_reader, yaml, strlen(yaml),
					  "t.yaml", &cf, &errs),
			 VPC_ECONFIG);
	ck_assert_uint_eq(errs.n, 2);
	for (size_t i = 0; i < errs.n; i++)
		ck_assert_ptr_null(strstr(errs.msgs[i], "already listed"));
	conf_errors_cleanup(&errs);
}
END_TEST

START_TEST(test_err_listen_empty)
{
	expect_error("listen: []\n", "t.yaml:1: ", "listen: must not be empty");
}
END_TEST

START_TEST(test_err_inbound_unknown_vpc)
{
	expect_error(
	    "listen:\n"
	    "  - {address: 127.0.0.1, port: 5301, inbound: vpc-9}\n" VPC1,
	    "t.yaml:2: ",
	    "listen[0].inbound: no VPC 'vpc-9' is "
	    "configured");
	expect_error("listen: [{address: 127.0.0.1, inbound: vpce-1}]\n",
		     "t.yaml:1: ",
		     "listen[0].inbound: 'vpce-1' is not a VPC "
		     "id");
}
END_TEST

START_TEST(test_err_two_vpcs_without_clients)
{
	expect_error(
	    "vpcs:\n"
	    "  - {id: vpc-1, region: us-east-1}\n"
	    "  - {id: vpc-2, region: us-east-1, clients: [10.0.0.0/8]}\n"
	    "  - {id: vpc-3, region: us-east-1}\n",
	    "t.yaml:4: ",
	    "vpcs[2]: only one VPC may omit 'clients' "
	    "(vpcs[0] at line 2");
}
END_TEST

/* A file's upstreams may name hosts, as --upstream may (issue 10). */
START_TEST(test_upstream_hosts)
{
	static const char yaml[] =
	    "upstreams: [dns, 10.0.0.2, 'resolver.corp:5353', '[2001:db8::9]']\n";
	struct conf_errors errs = {0};
	struct conf *cf = NULL;

	ck_assert_int_eq(
	    conf_load_string(NULL, yaml, strlen(yaml), "t.yaml", &cf, &errs),
	    VPC_OK);
	ck_assert_uint_eq(cf->n_upstreams, 2);
	check_sa(&cf->upstreams[0], AF_INET, "10.0.0.2", 53);
	check_sa(&cf->upstreams[1], AF_INET6, "2001:db8::9", 53);
	ck_assert_uint_eq(cf->n_upstream_hosts, 2);
	ck_assert_str_eq(cf->upstream_hosts[0], "dns");
	ck_assert_str_eq(cf->upstream_hosts[1], "resolver.corp:5353");
	conf_free(cf);
}
END_TEST

START_TEST(test_err_addresses)
{
	expect_error("listen: [{address: localhost}]\n", "t.yaml:1: ",
		     "listen[0].address: 'localhost' is not an IPv4 or IPv6 "
		     "address");
	expect_error("listen: [{address: '127.0.0.1:53'}]\n",
		     "t.yaml:1: ", "is not an IPv4 or IPv6 address");
	expect_error("upstreams:\n  - 10.0.0.1:99999\n", "t.yaml:2: ",
		     "upstreams[0]: '10.0.0.1:99999' is not an upstream "
		     "(ADDR, ADDR:PORT");
	expect_error("upstreams: [10.0.0.256]\n",
		     "t.yaml:1: ", "'10.0.0.256' is not an upstream");
	expect_error("upstreams: ['dns:0']\n",
		     "t.yaml:1: ", "'dns:0' is not an upstream");
	expect_error("upstreams: [10.0.0.1, 10.0.0.1:53]\n",
		     "t.yaml:1: ", "upstreams: an address is given twice");
	expect_error("upstreams: [dns, DNS]\n",
		     "t.yaml:1: ", "upstreams: 'DNS' is given twice");
	expect_error(VPC1 EP1
		     "        subnets: [{az: us-east-1a, ipv4: 10.0.1}]\n",
		     "t.yaml:7: ",
		     "subnets[0].ipv4: '10.0.1' is not an IPv4 "
		     "address");
	expect_error(VPC1 EP1
		     "        ip-address-type: ipv6\n"
		     "        subnets: [{az: us-east-1a, ipv6: 10.0.0.1}]\n",
		     "t.yaml:8: ",
		     "subnets[0].ipv6: '10.0.0.1' is not an IPv6 "
		     "address");
}
END_TEST

START_TEST(test_err_cidr)
{
	expect_error(VPC1 "    cidr-blocks: [10.0.0.0/16, 10.1.0.1/16]\n",
		     "t.yaml:4: ",
		     "cidr-blocks[1]: '10.1.0.1/16' has host bits "
		     "set");
	expect_error(VPC1 "    clients:\n      - 10.0.0.0/33\n", "t.yaml:5: ",
		     "clients[0]: '10.0.0.0/33' is not an address prefix");
	expect_error(VPC1 "    clients: ['fd00::1/64']\n",
		     "t.yaml:4: ", "has host bits set");
}
END_TEST

START_TEST(test_err_hosted_zones)
{
	expect_error(VPC1 "    hosted-zones:\n"
			  "      - {name: 'bad..name', file: a.zone}\n",
		     "t.yaml:5: ",
		     "hosted-zones[0].name: 'bad..name' is not "
		     "a valid DNS name");
	expect_error(VPC1 "    hosted-zones:\n"
			  "      - {name: '*.corp', file: a.zone}\n",
		     "t.yaml:5: ", "is not a valid DNS name");
	expect_error(VPC1 "    hosted-zones:\n"
			  "      - {name: corp.internal, file: a.zone}\n"
			  "      - {name: example.com, file: b.zone}\n"
			  "      - {name: Corp.Internal., file: c.zone}\n",
		     "t.yaml:7: ",
		     "hosted-zones[2]: duplicate zone "
		     "corp.internal (first at line 5)");
	expect_error(VPC1 "    hosted-zones:\n      - {name: corp.internal}\n",
		     "t.yaml:5: ", "missing required key 'file'");
	expect_error(VPC1 "    hosted-zones:\n      - {name: a.b, file: ''}\n",
		     "t.yaml:5: ", "file: must not be empty");
}
END_TEST

START_TEST(test_err_collects_all)
{
	static const char yaml[] = "cache: {max-ttl: 0}\n"
				   "bogus: 1\n" VPC1 "    colour: red\n"
				   "    cidr-blocks: [10.0.0.1/8]\n";
	struct conf_errors errs = {0};
	struct conf *cf = NULL;

	ck_assert_int_eq(conf_load_string(&files_reader, yaml, strlen(yaml),
					  "t.yaml", &cf, &errs),
			 VPC_ECONFIG);
	/* In line order, whatever order they were found in. */
	ck_assert_uint_eq(errs.n, 4);
	ck_assert_str_eq(errs.msgs[0], "t.yaml:1: cache.max-ttl: '0' is not a "
				       "whole number in 1..2147483647");
	ck_assert_str_eq(errs.msgs[1], "t.yaml:2: unknown key 'bogus'");
	ck_assert_str_eq(errs.msgs[2], "t.yaml:6: vpcs[0]: unknown key "
				       "'colour'");
	ck_assert_ptr_nonnull(strstr(errs.msgs[3], "t.yaml:7: "));
	conf_errors_cleanup(&errs);
}
END_TEST

/* Checks across the file still run when some value is wrong. */
START_TEST(test_err_collects_cross_checks)
{
	static const char yaml[] =
	    "upstreams: ['bad:0']\n"
	    "listen: [{address: 127.0.0.1}, {address: 127.0.0.1}]\n"
	    "vpcs:\n"
	    "  - {id: vpc-1, region: us-east-1, cidr-blocks: [10.0.0.1/8],\n"
	    "     hosted-zones: [{name: a.b, file: a}, {name: a.b, file: b}]}\n"
	    "  - {id: vpc-1, region: us-east-1}\n";
	struct conf_errors errs = {0};
	struct conf *cf = NULL;

	ck_assert_int_eq(conf_load_string(&files_reader, yaml, strlen(yaml),
					  "t.yaml", &cf, &errs),
			 VPC_ECONFIG);
	if (errs.n != 6)
		dump_errors(&errs);
	ck_assert_uint_eq(errs.n, 6);
	ck_assert_ptr_nonnull(strstr(errs.msgs[0], "t.yaml:1: upstreams[0]"));
	ck_assert_ptr_nonnull(strstr(errs.msgs[1], "t.yaml:2: listen[1]"));
	ck_assert_ptr_nonnull(strstr(errs.msgs[2], "t.yaml:4: vpcs[0].cidr"));
	ck_assert_ptr_nonnull(strstr(errs.msgs[3], "t.yaml:5: vpcs[0]: "
						   "hosted-zones[1]"));
	ck_assert_ptr_nonnull(strstr(errs.msgs[4], "t.yaml:6: vpcs[1].id"));
	ck_assert_ptr_nonnull(strstr(errs.msgs[5], "t.yaml:6: vpcs[1]: only"));
	conf_errors_cleanup(&errs);
}
END_TEST

/* ---- errors: rules, firewall, profiles, the new top-level keys ---------- */

/* Lines 1-3 are VPC1; line 4 opens the list, line 5 is its first item. */
#define RULES VPC1 "    rules:\n"
#define FW VPC1 "    firewall:\n"

struct err_case {
	const char *yaml;
	const char *prefix; /* "t.yaml:N: " */
	const char *word;
};

static const struct err_case policy_errors[] = {
    /* rules */
    {RULES "      - {domain: a.example, type: forward}\n", "t.yaml:5: ",
     "rules[0].targets: a forward rule needs at least one target"},
    {RULES "      - {domain: a.example, type: forward, targets: []}\n",
     "t.yaml:5: ", "a forward rule needs at least one target"},
    {RULES "      - {domain: a.example, type: system, targets: [1.2.3.4]}\n",
     "t.yaml:5: ", "rules[0].targets: a system rule has no targets"},
    {RULES "      - {domain: '*.a.example', type: system}\n", "t.yaml:5: ",
     "rules[0].domain: '*.a.example' is not a valid DNS name (or \".\""},
    {RULES "      - {domain: '..', type: system}\n",
     "t.yaml:5: ", "'..' is not a valid DNS name"},
    {RULES "      - {domain: a.b, type: forward, targets: ['1.2.3.4:0']}\n",
     "t.yaml:5: ", "rules[0].targets[0]: '1.2.3.4:0' is not a target"},
    {RULES "      - {domain: a.b, type: forward, targets: [10.0.0.256]}\n",
     "t.yaml:5: ", "'10.0.0.256' is not a target"},
    {RULES "      - {domain: a.b, type: forward, targets: ['dns:x']}\n",
     "t.yaml:5: ", "'dns:x' is not a target"},
    {RULES "      - {domain: a.b, type: forward, targets: ['-dns']}\n",
     "t.yaml:5: ", "'-dns' is not a target"},
    {RULES "      - {domain: Example.COM, type: system}\n"
	   "      - {domain: example.com., type: system}\n",
     "t.yaml:6: ",
     "vpcs[0].rules[1].domain: duplicate domain example.com (first at "
     "line 5)"},
    {RULES "      - {domain: a.b, targets: [1.2.3.4]}\n",
     "t.yaml:5: ", "rules[0]: missing required key 'type'"},
    {RULES "      - {domain: a.b, type: forwrd, targets: [1.2.3.4]}\n",
     "t.yaml:5: ", "'forwrd' is not one of: forward, system"},
    {RULES "      - {type: system}\n",
     "t.yaml:5: ", "missing required key 'domain'"},
    /* firewall */
    {FW "      - {priority: 10, domains: [a.b], action: allow}\n"
	"      - {priority: 10, domains: [c.d], action: alert}\n",
     "t.yaml:6: ",
     "vpcs[0].firewall[1].priority: duplicate priority 10 (first at line "
     "5)"},
    {FW "      - {domains: [a.b], action: allow}\n",
     "t.yaml:5: ", "firewall[0]: missing required key 'priority'"},
    {FW "      - {priority: 4294967296, domains: [a.b], action: allow}\n",
     "t.yaml:5: ", "is not a whole number in 0..4294967295"},
    {FW "      - {priority: 1, action: block}\n", "t.yaml:5: ",
     "firewall[0].domains: a firewall rule needs at least one domain"},
    {FW "      - {priority: 1, domains: [], action: block}\n",
     "t.yaml:5: ", "needs at least one domain"},
    {FW "      - {priority: 1, domains: [a.*.b], action: block}\n",
     "t.yaml:5: ",
     "firewall[0].domains[0]: 'a.*.b' is not a valid DNS name (a name, "},
    {FW "      - {priority: 1, domains: [a.b]}\n",
     "t.yaml:5: ", "missing required key 'action'"},
    {FW "      - {priority: 1, domains: [a.b], action: deny}\n",
     "t.yaml:5: ", "'deny' is not one of: allow, block, alert"},
    {FW "      - {priority: 1, domains: [a.b], action: allow,\n"
	"         block-response: nxdomain}\n",
     "t.yaml:6: ",
     "firewall[0].block-response: only a rule with action: block"},
    {FW "      - {priority: 1, domains: [a.b], action: block,\n"
	"         block-response: drop}\n",
     "t.yaml:6: ", "'drop' is not one of: nodata, nxdomain, override"},
    {FW "      - {priority: 1, domains: [a.b], action: block,\n"
	"         block-response: override}\n",
     "t.yaml:5: ", "firewall[0].block-override-domain: missing"},
    {FW "      - {priority: 1, domains: [a.b], action: block,\n"
	"         block-override-domain: c.d}\n",
     "t.yaml:6: ",
     "block-override-domain: only a rule with action: block and "
     "block-response: override"},
    {FW "      - {priority: 1, domains: [a.b], action: alert,\n"
	"         block-override-ttl: 5}\n",
     "t.yaml:6: ", "block-override-ttl: only a rule with action: block"},
    {FW "      - {priority: 1, domains: [a.b], action: block,\n"
	"         block-response: override, block-override-domain: c.d,\n"
	"         block-override-ttl: 604801}\n",
     "t.yaml:7: ", "'604801' is not a whole number in 0..604800"},
    {FW "      - {priority: 1, domains: [a.b], action: block,\n"
	"         block-response: override, block-override-domain: c.d,\n"
	"         block-override-dns-type: A}\n",
     "t.yaml:7: ", "block-override-dns-type: 'A' is not one of: CNAME"},
    {FW "      - {priority: 1, domains: [a.b], action: block,\n"
	"         block-response: override, block-override-domain: '*.c'}\n",
     "t.yaml:6: ", "block-override-domain: '*.c' is not a valid DNS name"},
    {FW "      - {priority: 1, name: 'a/b', domains: [a.b], action: allow}\n",
     "t.yaml:5: ", "firewall[0].name: 'a/b' is not a name of 1 to 64"},
    {FW "      - {priority: 1, domains-file: no-such-list.txt,\n"
	"         action: block}\n",
     "t.yaml:5: ",
     "firewall[0].domains-file: cannot read 'no-such-list.txt': No such "
     "file"},
    {FW "      - {priority: 1, domains-file: '', action: block}\n",
     "t.yaml:5: ", "domains-file: must not be empty"},
    /* profiles */
    {"profiles:\n  - {name: p1}\n  - {name: p1}\n", "t.yaml:3: ",
     "profiles[1].name: duplicate profile name 'p1' (first at line 2)"},
    {VPC1 "    profiles: [nope]\n",
     "t.yaml:4: ", "vpcs[0].profiles[0]: no profile 'nope' is defined"},
    {"profiles: [{name: p1}]\n" VPC1 "    profiles:\n      - p1\n"
     "      - p1\n",
     "t.yaml:7: ", "vpcs[0].profiles[1]: profile 'p1' is listed twice"},
    {VPC1 "    profiles: ['p/1']\n",
     "t.yaml:4: ", "vpcs[0].profiles[0]: 'p/1' is not a name"},
    {"profiles: [{rules: []}]\n",
     "t.yaml:1: ", "profiles[0]: missing required key 'name'"},
    {"profiles: [{name: '123'}]\n",
     "t.yaml:1: ", "profiles[0].name: '123' is not a name"},
    {"profiles: [{name: p, vpcs: []}]\n",
     "t.yaml:1: ", "profiles[0]: unknown key 'vpcs'"},
    {"profiles:\n  - name: p\n    rules: [{domain: a.b, type: forward}]\n",
     "t.yaml:3: ", "profiles[0].rules[0].targets: a forward rule needs"},
    {"profiles:\n  - name: p\n    hosted-zones: [{name: a.b, file: x},\n"
     "                   {name: A.B., file: y}]\n",
     "t.yaml:4: ", "profiles[0]: hosted-zones[1]: duplicate zone a.b"},
    {"profiles:\n  - name: p\n    firewall:\n"
     "      - {priority: 2, domains: [a.b], action: allow}\n"
     "      - {priority: 2, domains: [c.d], action: allow}\n",
     "t.yaml:5: ", "profiles[0].firewall[1].priority: duplicate priority 2"},
    /* enable-dns-hostnames */
    {VPC1 "    enable-dns-hostnames: maybe\n", "t.yaml:4: ",
     "vpcs[0].enable-dns-hostnames: 'maybe' is not one of: false, true"},
    /* query-log */
    {"query-log: {account-id: '1234'}\n", "t.yaml:1: ",
     "query-log.account-id: '1234' is not an AWS account id of 12 digits"},
    {"query-log: {path: ''}\n",
     "t.yaml:1: ", "query-log.path: must not be empty"},
    {"query-log: {file: x}\n", "t.yaml:1: ", "query-log: unknown key 'file'"},
    {"query-log:\n", "t.yaml:1: ", "query-log: no value given"},
    {"query-log: [x]\n", "t.yaml:1: ", "query-log: expected a mapping"},
    /* metrics */
    {"metrics: {address: localhost}\n", "t.yaml:1: ",
     "metrics.address: 'localhost' is not an IPv4 or IPv6 address"},
    {"metrics: {port: 0}\n",
     "t.yaml:1: ", "metrics.port: '0' is not a whole number in 1..65535"},
    {"metrics: {path: /metrics}\n",
     "t.yaml:1: ", "metrics: unknown key 'path'"},
    {"listen: [{address: 127.0.0.1, port: 9153}]\nmetrics: {}\n", "t.yaml:2: ",
     "metrics: 127.0.0.1 port 9153 is already a DNS listener (listen[0] "
     "at line 1)"},
    /* rate-limit, simulate-aws-limits */
    {"rate-limit: {responses-per-second: 1000001}\n", "t.yaml:1: ",
     "rate-limit.responses-per-second: '1000001' is not a whole number in "
     "0..1000000"},
    {"rate-limit: {min-size: 65536}\n", "t.yaml:1: ",
     "rate-limit.min-size: '65536' is not a whole number in 0..65535"},
    {"rate-limit: {window: 1}\n",
     "t.yaml:1: ", "rate-limit: unknown key 'window'"},
    {"simulate-aws-limits: on\n",
     "t.yaml:1: ", "simulate-aws-limits: 'on' is not one of: false, true"},
    {"aws-packets-per-second: 0\n", "t.yaml:1: ",
     "aws-packets-per-second: '0' is not a whole number in 1..1000000"},
    {"rate-limit: {tracked-sources: 0}\n", "t.yaml:1: ",
     "rate-limit.tracked-sources: '0' is not a whole number in 1..16777216"},
    /* tcp, forwarding */
    {"tcp: {idle-timeout-ms: 99}\n", "t.yaml:1: ",
     "tcp.idle-timeout-ms: '99' is not a whole number in 100..3600000"},
    {"tcp: {max-connections: 0}\n", "t.yaml:1: ",
     "tcp.max-connections: '0' is not a whole number in 1..1000000"},
    {"tcp: {max-in-flight: 65536}\n", "t.yaml:1: ",
     "tcp.max-in-flight: '65536' is not a whole number in 1..65535"},
    {"tcp: {idle: 1}\n", "t.yaml:1: ", "tcp: unknown key 'idle'"},
    {"forwarding: {timeout-ms: 0}\n", "t.yaml:1: ",
     "forwarding.timeout-ms: '0' is not a whole number in 1..60000"},
    {"forwarding: {tries: 11}\n", "t.yaml:1: ",
     "forwarding.tries: '11' is not a whole number in 1..10"},
    {"forwarding: {max-in-flight: -1}\n", "t.yaml:1: ",
     "forwarding.max-in-flight: '-1' is not a whole number in 1..1000000"},
    {"forwarding: [1]\n", "t.yaml:1: ", "forwarding: expected a mapping"},
    /* allow-query */
    {"allow-query: []\n", "t.yaml:1: ", "allow-query: must not be empty"},
    {"allow-query: [10.0.0.1/8]\n",
     "t.yaml:1: ", "allow-query[0]: '10.0.0.1/8' has host bits set"},
    {"allow-query:\n  - 10.0.0.0/8\n  - everyone\n",
     "t.yaml:3: ", "allow-query[1]: 'everyone' is not an address prefix"},
    {"allow-query: any\n", "t.yaml:1: ", "allow-query: expected a list"},
};

START_TEST(test_err_policy)
{
	const struct err_case *c = &policy_errors[_i];

	expect_error(c->yaml, c->prefix, c->word);
}
END_TEST

/* Ports that did not parse are not also reported as a clash. */
START_TEST(test_err_metrics_no_echo)
{
	static const char yaml[] = "listen: [{address: 127.0.0.1, port: x}]\n"
				   "metrics: {port: x}\n";
	struct conf_errors errs = {0};
	struct conf *cf = NULL;

	ck_assert_int_eq(conf_load_string(&files_reader, yaml, strlen(yaml),
					  "t.yaml", &cf, &errs),
			 VPC_ECONFIG);
	if (errs.n != 2)
		dump_errors(&errs);
	ck_assert_uint_eq(errs.n, 2);
	ck_assert_ptr_nonnull(strstr(errs.msgs[1], "t.yaml:2: metrics.port"));
	conf_errors_cleanup(&errs);
}
END_TEST

/* A domains-file's problems carry its own name and line, sorted in with
 * the configuration's at the line of the domains-file key. */
START_TEST(test_err_domains_file_lines)
{
	static const char *const files[] = {"lists/bad.txt"};
	static const char list[] = "good.example\n"
				   "# comment\n"
				   "a..b\n"
				   "two words.example\n"
				   "UPPER.example\n"
				   "*.*.x\n"
				   "nul\0.example\n";
	static const char yaml[] = "cache: {max-ttl: 0}\n"
				   "vpcs:\n"
				   "  - id: vpc-1\n"
				   "    region: us-east-1\n"
				   "    firewall:\n"
				   "      - {priority: 1, domains-file: "
				   "lists/bad.txt, action: block}\n"
				   "    colour: red\n";
	struct conf_errors errs = {0};
	struct conf *cf = NULL;
	char path[128], want[256];
	struct tdir d;

	tdir_make(&d);
	tdir_write(&d, files[0], list, sizeof(list) - 1);
	snprintf(path, sizeof(path), "%s/t.yaml", d.path);
	ck_assert_int_eq(conf_load_string(&files_reader, yaml, strlen(yaml),
					  path, &cf, &errs),
			 VPC_ECONFIG);
	if (errs.n != 6)
		dump_errors(&errs);
	ck_assert_uint_eq(errs.n, 6);
	snprintf(want, sizeof(want), "%s:1: cache.max-ttl", path);
	ck_assert_ptr_nonnull(strstr(errs.msgs[0], want));
	snprintf(want, sizeof(want),
		 "%s/lists/bad.txt:3: vpcs[0].firewall[0].domains-file: 'a..b' "
		 "is not a valid DNS name",
		 d.path);
	ck_assert_str_eq(errs.msgs[1], strstr(errs.msgs[1], want));
	snprintf(want, sizeof(want), "%s/lists/bad.txt:4: ", d.path);
	ck_assert_int_eq(strncmp(errs.msgs[2], want, strlen(want)), 0);
	ck_assert_ptr_nonnull(strstr(errs.msgs[2], "one domain a line"));
	snprintf(want, sizeof(want), "%s/lists/bad.txt:6: ", d.path);
	ck_assert_int_eq(strncmp(errs.msgs[3], want, strlen(want)), 0);
	ck_assert_ptr_nonnull(strstr(errs.msgs[3], "'*.*.x' is not a valid"));
	ck_assert_ptr_nonnull(strstr(errs.msgs[4], "bad.txt:7: "));
	ck_assert_ptr_nonnull(strstr(errs.msgs[4], "contains a NUL"));
	snprintf(want, sizeof(want), "%s:7: vpcs[0]: unknown key", path);
	ck_assert_ptr_nonnull(strstr(errs.msgs[5], want));
	conf_errors_cleanup(&errs);
	tdir_remove(&d, files, 1);
}
END_TEST

/* Past 20 problems in one file, one message says the rest are not shown. */
START_TEST(test_err_domains_file_many)
{
	static const char *const files[] = {"lists/many.txt"};
	static const char yaml[] =
	    VPC1 "    firewall:\n"
		 "      - {priority: 1, domains-file: lists/many.txt,\n"
		 "         action: block}\n";
	struct conf_errors errs = {0};
	struct conf *cf = NULL;
	char path[128], list[400] = "";
	struct tdir d;

	for (int i = 0; i < 30; i++)
		strcat(list, "bad..name\n");
	tdir_make(&d);
	tdir_write(&d, files[0], list, strlen(list));
	snprintf(path, sizeof(path), "%s/t.yaml", d.path);
	ck_assert_int_eq(conf_load_string(&files_reader, yaml, strlen(yaml),
					  path, &cf, &errs),
			 VPC_ECONFIG);
	ck_assert_uint_eq(errs.n, 21);
	ck_assert_ptr_nonnull(strstr(errs.msgs[19], "many.txt:20: "));
	ck_assert_ptr_nonnull(strstr(errs.msgs[20], "many.txt:21: "));
	ck_assert_ptr_nonnull(strstr(errs.msgs[20], "are not shown"));
	conf_errors_cleanup(&errs);
	tdir_remove(&d, files, 1);
}
END_TEST

START_TEST(test_err_domains_file_empty_or_dir)
{
	static const char *const files[] = {"lists/empty.txt"};
	static const char yaml[] =
	    VPC1 "    firewall:\n"
		 "      - {priority: 1, domains-file: lists/empty.txt,\n"
		 "         action: block}\n"
		 "      - {priority: 2, domains-file: lists, action: block}\n";
	char path[128];
	struct tdir d;

	tdir_make(&d);
	tdir_write(&d, files[0], "# nothing\n\n", 11);
	snprintf(path, sizeof(path), "%s/t.yaml", d.path);
	expect_error_at(yaml, path, path, ":5: ");
	expect_error_at(yaml, path, path,
			"firewall[0].domains-file: a firewall rule needs at "
			"least one domain");
	expect_error_at(yaml, path, path,
			":7: vpcs[0].firewall[1].domains-file: cannot read "
			"'lists': Is a directory");
	tdir_remove(&d, files, 1);
}
END_TEST

/* ---- robustness ---------------------------------------------------------- */

/* Every prefix and some byte changes of @yaml loaded as @path: no crash,
 * no leak, and a failure always comes with messages starting @prefix. */
static void
robust_sweep(const char *yaml, const char *path, const char *prefix)
{
	static const char subst[] = {'\0', ':', '[', '{', '-', ' ', '\n', '&'};
	size_t len = strlen(yaml);
	char *buf = malloc(len + 1);

	ck_assert_ptr_nonnull(buf);
	for (size_t i = 0; i <= len; i++) {
		for (size_t j = 0; j <= sizeof(subst); j++) {
			struct conf_errors errs = {0};
			struct conf *cf = NULL;
			size_t n = j == 0 ? i : len;
			int rc;

			memcpy(buf, yaml, len + 1);
			if (j > 0 && i < len)
				buf[i] = subst[j - 1];
			else if (j > 0)
				continue;
			rc = conf_load_string(&files_reader, buf, n, path, &cf,
					      &errs);
			ck_assert(rc == VPC_OK || rc == VPC_ECONFIG);
			ck_assert(rc == VPC_OK ? errs.n == 0 && cf != NULL
					       : errs.n > 0 && cf == NULL);
			for (size_t k = 0; k < errs.n; k++)
				ck_assert(strncmp(errs.msgs[k], prefix,
						  strlen(prefix)) == 0);
			conf_free(cf);
			conf_errors_cleanup(&errs);
		}
	}
	free(buf);
}

START_TEST(test_robust_prefixes)
{
	robust_sweep(full_yaml, "t.yaml", "t.yaml:");
}
END_TEST

/* The same over every new key, with a real domains-file. */
START_TEST(test_robust_policy)
{
	static const char *const files[] = {"lists/walled.txt"};
	char path[128];
	struct tdir d;

	tdir_make(&d);
	tdir_write(&d, files[0], walled_txt, strlen(walled_txt));
	snprintf(path, sizeof(path), "%s/t.yaml", d.path);
	robust_sweep(policy_yaml, path, d.path);
	tdir_remove(&d, files, 1);
}
END_TEST

/* TCases of valid input and of the exported helpers. */
static void
add_value_tcases(Suite *s)
{
	TCase *tc;

	tc = tcase_create("defaults");
	tcase_add_test(tc, test_defaults_empty);
	tcase_add_test(tc, test_defaults_comments);
	tcase_add_test(tc, test_defaults_document_marker);
	tcase_add_test(tc, test_defaults_cache_partial);
	tcase_add_test(tc, test_defaults_endpoint);
	tcase_add_test(tc, test_defaults_record_type_follows_address_type);
	suite_add_tcase(s, tc);

	tc = tcase_create("full_example");
	tcase_add_test(tc, test_full_example);
	tcase_add_test(tc, test_inbound_only_explicit);
	tcase_add_test(tc, test_free_null);
	suite_add_tcase(s, tc);

	tc = tcase_create("rules_firewall_profiles_logs_metrics");
	tcase_add_test(tc, test_policy_example);
	tcase_add_test(tc, test_defaults_policy);
	tcase_add_test(tc, test_defaults_allow_query_vpcs);
	tcase_add_test(tc, test_domains_file_absolute);
	suite_add_tcase(s, tc);

	tc = tcase_create("relative_paths");
	tcase_add_test(tc, test_paths_absolute_config);
	tcase_add_test(tc, test_paths_relative_config);
	tcase_add_test(tc, test_paths_absolute_zone);
	suite_add_tcase(s, tc);

	tc = tcase_create("helpers");
	tcase_add_test(tc, test_parse_sockaddr);
	tcase_add_test(tc, test_parse_cidr);
	tcase_add_test(tc, test_errors_add);
	tcase_add_test(tc, test_load_file);
	suite_add_tcase(s, tc);
}

/* TCases of one error each, and the robustness sweep. */
static void
add_error_tcases(Suite *s)
{
	TCase *tc;

	tc = tcase_create("yaml_errors");
	tcase_add_test(tc, test_err_yaml_syntax);
	tcase_add_test(tc, test_err_root_kind);
	tcase_add_test(tc, test_err_aliases);
	tcase_add_test(tc, test_err_two_documents);
	tcase_add_test(tc, test_err_depth);
	tcase_add_test(tc, test_err_duplicate_key);
	tcase_add_test(tc, test_err_key_kind);
	tcase_add_test(tc, test_err_nul_in_value);
	suite_add_tcase(s, tc);

	tc = tcase_create("unknown_and_formerly_planned_keys");
	tcase_add_test(tc, test_err_unknown_key_top);
	tcase_add_test(tc, test_err_unknown_key_nested);
	tcase_add_test(tc, test_formerly_planned_top);
	tcase_add_test(tc, test_formerly_planned_vpc);
	suite_add_tcase(s, tc);

	tc = tcase_create("value_errors");
	tcase_add_test(tc, test_err_wrong_kind);
	tcase_add_test(tc, test_err_null_value);
	tcase_add_test(tc, test_err_port);
	tcase_add_test(tc, test_err_cache_range);
	tcase_add_test(tc, test_err_bool);
	tcase_add_test(tc, test_err_enum);
	tcase_add_test(tc, test_err_addresses);
	tcase_add_test(tc, test_upstream_hosts);
	tcase_add_test(tc, test_err_cidr);
	suite_add_tcase(s, tc);

	tc = tcase_create("vpc_and_endpoint_errors");
	tcase_add_test(tc, test_err_vpc_id);
	tcase_add_test(tc, test_err_region);
	tcase_add_test(tc, test_err_endpoint_id);
	tcase_add_test(tc, test_err_service);
	tcase_add_test(tc, test_err_dns_suffix);
	tcase_add_test(tc, test_err_az);
	tcase_add_test(tc, test_err_ip_type_pair);
	tcase_add_test(tc, test_err_subnet_families);
	tcase_add_test(tc, test_subnet_other_family_accepted);
	tcase_add_test(tc, test_err_duplicate_az);
	tcase_add_test(tc, test_err_endpoint_shapes);
	tcase_add_test(tc, test_err_resource_endpoint);
	tcase_add_test(tc, test_resource_without_service);
	tcase_add_test(tc, test_err_az_region);
	tcase_add_test(tc, test_err_private_dns_names);
	tcase_add_test(tc, test_err_inbound_only_without_gateway);
	tcase_add_test(tc, test_err_inbound_only_other_service);
	tcase_add_test(tc, test_err_hosted_zones);
	suite_add_tcase(s, tc);

	tc = tcase_create("file_errors");
	tcase_add_test(tc, test_err_duplicate_vpc_id);
	tcase_add_test(tc, test_err_duplicate_endpoint_id);
	tcase_add_test(tc, test_err_duplicate_listen);
	tcase_add_test(tc, test_err_listen_wildcard_overlap);
	tcase_add_test(tc, test_err_listen_bad_ports_no_duplicate);
	tcase_add_test(tc, test_err_listen_empty);
	tcase_add_test(tc, test_err_inbound_unknown_vpc);
	tcase_add_test(tc, test_err_two_vpcs_without_clients);
	tcase_add_test(tc, test_err_collects_all);
	tcase_add_test(tc, test_err_collects_cross_checks);
	suite_add_tcase(s, tc);

	tc = tcase_create("policy_errors");
	tcase_add_loop_test(
	    tc, test_err_policy, 0,
	    (int)(sizeof(policy_errors) / sizeof(policy_errors[0])));
	tcase_add_test(tc, test_err_metrics_no_echo);
	tcase_add_test(tc, test_err_domains_file_lines);
	tcase_add_test(tc, test_err_domains_file_many);
	tcase_add_test(tc, test_err_domains_file_empty_or_dir);
	suite_add_tcase(s, tc);

	tc = tcase_create("robustness");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_robust_prefixes);
	tcase_add_test(tc, test_robust_policy);
	suite_add_tcase(s, tc);
}

/* ---- listener protocols (DoH) --------------------------------------- */

START_TEST(test_listen_protocols)
{
	struct conf *cf = load_ok(
	    "listen:\n"
	    "  - {address: 127.0.0.1, port: 5300}\n"
	    "  - {address: 127.0.0.1, port: 5301, protocols: [do53, doh],\n"
	    "     doh-port: 8443, tls: {certificate: c.pem, key: k.pem}}\n"
	    "  - {address: 127.0.0.1, protocols: [doh-fips],\n"
	    "     tls: {certificate: /x/c.pem, key: /x/k.pem}}\n");

	ck_assert_uint_eq(cf->n_listen, 3);
	ck_assert(cf->listen[0].do53 && !cf->listen[0].doh);
	ck_assert_ptr_null(cf->listen[0].tls_certificate);
	ck_assert(cf->listen[1].do53 && cf->listen[1].doh);
	ck_assert_uint_eq(cf->listen[1].doh_port, 8443);
	ck_assert_str_eq(cf->listen[1].tls_certificate, "/etc/vpcdns/c.pem");
	ck_assert_str_eq(cf->listen[1].tls_key, "/etc/vpcdns/k.pem");
	ck_assert(!cf->listen[2].do53 && cf->listen[2].doh);
	ck_assert_uint_eq(cf->listen[2].doh_port, 443);
	ck_assert_uint_eq(cf->listen[2].n_protocols, 1);
	ck_assert_int_eq(cf->listen[2].protocols[0], CONF_PROTOCOL_DOH_FIPS);
	conf_free(cf);
}
END_TEST

START_TEST(test_err_listen_protocols)
{
	expect_error("listen:\n  - {address: 127.0.0.1, protocols: [doh]}\n",
		     "t.yaml:2: listen[0].protocols: ", "doh needs tls");
	expect_error("listen:\n  - {address: 127.0.0.1, protocols: [do53,"
		     " do53]}\n",
		     "t.yaml:2: listen[0].protocols: ", "listed twice");
	expect_error("listen:\n  - {address: 127.0.0.1, protocols: [dot]}\n",
		     "t.yaml:2: listen[0].protocols[0]: ", "do53, doh, doh-fips");
	expect_error("listen:\n  - {address: 127.0.0.1, protocols: []}\n",
		     "t.yaml:2: listen[0].protocols: ", "must not be empty");
	expect_error("listen:\n  - {address: 127.0.0.1,\n"
		     "     tls: {certificate: c, key: k}}\n",
		     "t.yaml:3: listen[0].tls: ", "only used with");
	expect_error("listen:\n  - {address: 127.0.0.1, doh-port: 8443}\n",
		     "t.yaml:2: listen[0].doh-port: ", "only used with");
	expect_error("listen:\n  - {address: 127.0.0.1, protocols: [doh],\n"
		     "     tls: {certificate: c}}\n",
		     "t.yaml:3: listen[0].tls: ", "both certificate and key");
	expect_error("listen:\n  - {address: 127.0.0.1, protocols: [doh],\n"
		     "     doh-port: 0, tls: {certificate: c, key: k}}\n",
		     "t.yaml:3: listen[0].doh-port: ", "1..65535");
}
END_TEST

START_TEST(test_rule_protocols)
{
	struct conf *cf = load_ok(
	    "vpcs:\n"
	    "  - id: vpc-0a1b2c3d\n"
	    "    region: us-east-1\n"
	    "    rules:\n"
	    "      - {domain: a.example, type: forward, targets: [10.0.0.5]}\n"
	    "      - {domain: b.example, type: forward, targets: [10.0.0.6:443],\n"
	    "         protocol: doh, server-name-indication: DNS.B.Example.,\n"
	    "         ca-file: ca.pem, doh-path: /resolve}\n"
	    "      - {domain: c.example, type: delegate}\n");
	const struct conf_rule *r = cf->vpcs[0].rules;

	ck_assert_int_eq(r[0].protocol, CONF_PROTOCOL_DO53);
	ck_assert_ptr_null(r[0].server_name);
	ck_assert_int_eq(r[1].protocol, CONF_PROTOCOL_DOH);
	ck_assert_str_eq(r[1].server_name, "dns.b.example");
	ck_assert_str_eq(r[1].ca_file, "/etc/vpcdns/ca.pem");
	ck_assert_str_eq(r[1].doh_path, "/resolve");
	ck_assert_int_eq(r[2].type, CONF_RULE_DELEGATE);
	ck_assert_uint_eq(r[2].n_targets, 0);
	conf_free(cf);
}
END_TEST

START_TEST(test_err_rule_protocols)
{
#define RULE_LIST "vpcs:\n  - id: vpc-0a1b2c3d\n    region: us-east-1\n" \
	      "    rules:\n"
	expect_error(RULE_LIST "      - {domain: a.example, type: forward,"
			   " targets: [10.0.0.5], ca-file: x.pem}\n",
		     "t.yaml:5: vpcs[0].rules[0].ca-file: ", "only used with");
	expect_error(RULE_LIST "      - {domain: a.example, type: system,"
			   " protocol: doh}\n",
		     "t.yaml:5: vpcs[0].rules[0].protocol: ", "only a forward");
	expect_error(RULE_LIST "      - {domain: a.example, type: forward,"
			   " targets: [10.0.0.5], protocol: doh, doh-path: x}\n",
		     "t.yaml:5: vpcs[0].rules[0].doh-path: ", "starting with");
	expect_error(RULE_LIST "      - {domain: a.example, type: delegate,"
			   " targets: [10.0.0.5]}\n",
		     "t.yaml:5: vpcs[0].rules[0].targets: ", "delegate rule");
#undef RULE_LIST
}
END_TEST

static Suite *
conf_suite(void)
{
	Suite *s = suite_create("conf");
	TCase *tc;

	add_value_tcases(s);
	add_error_tcases(s);
	tc = tcase_create("listen_protocols");
	tcase_add_test(tc, test_listen_protocols);
	tcase_add_test(tc, test_err_listen_protocols);
	tcase_add_test(tc, test_rule_protocols);
	tcase_add_test(tc, test_err_rule_protocols);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(conf_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed != 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
