/*
 * tests/unit/check_import.c - unit tests of `vpcdns import`.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Imports the AWS CLI samples of conf/examples/ and small inline JSON
 * documents with import_aws_json(), loads the result with
 * conf_load_string() and checks it field by field.  The round trip builds
 * the views of the imported configuration and checks, from the sample
 * JSON read here independently with libyaml, that every DnsEntries name
 * is served with the addresses of the endpoint's network interfaces.
 * Error cases check the exact "file:line: entry:" prefix and a key word.
 * Every test releases what it allocates, so the suite runs clean under
 * ASan and under valgrind with CK_FORK=no.
 */
#include "config.h"

#include "conf/import.h"

#include <arpa/inet.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "check_util.h"
#include <yaml.h>

#include "conf/conf.h"
#include "util/err.h"
#include "engine/view.h"
#include "dns/wire.h"
#include "engine/zone.h"

#define EP_FILE "describe-vpc-endpoints.json"
#define IF_FILE "describe-network-interfaces.json"
#define VPC_ID "vpc-0a1b2c3d4e5f60718"

/* ---- helpers ------------------------------------------------------------ */

static void
dump_errors(const struct conf_errors *errs)
{
	for (size_t i = 0; i < errs->n; i++)
		fprintf(stderr, "  %s\n", errs->msgs[i]);
}

/* Imports @ep (and @ifs unless NULL); the import must succeed. */
static char *
import_ok(const char *ep, const char *ifs)
{
	struct conf_errors errs = {0};
	char *yaml = NULL;
	int rc;

	rc = import_aws_json(ep, strlen(ep), "e.json", ifs,
			     ifs != NULL ? strlen(ifs) : 0,
			     ifs != NULL ? "i.json" : NULL, &yaml, &errs);
	if (rc != VPC_OK)
		dump_errors(&errs);
	ck_assert_int_eq(rc, VPC_OK);
	ck_assert_uint_eq(errs.n, 0);
	ck_assert_ptr_nonnull(yaml);
	conf_errors_cleanup(&errs);
	return yaml;
}

static struct conf *
load_yaml(const char *yaml)
{
	struct conf_errors errs = {0};
	struct conf *cf = NULL;
	int rc;

	rc = conf_load_string(NULL, yaml, strlen(yaml), "imported.yaml", &cf,
			      &errs);
	if (rc != VPC_OK) {
		dump_errors(&errs);
		fprintf(stderr, "%s", yaml);
	}
	ck_assert_int_eq(rc, VPC_OK);
	conf_errors_cleanup(&errs);
	return cf;
}

/* Imports and loads; the YAML is freed. */
static struct conf *
import_conf(const char *ep, const char *ifs)
{
	char *yaml = import_ok(ep, ifs);
	struct conf *cf = load_yaml(yaml);

	free(yaml);
	return cf;
}

/* The import fails; one message starts with @prefix and holds @word. */
static void
expect_error(const char *ep, const char *ifs, const char *prefix,
	     const char *word)
{
	struct conf_errors errs = {0};
	char *yaml = NULL;
	bool found = false;
	int rc;

	rc = import_aws_json(ep, strlen(ep), "e.json", ifs,
			     ifs != NULL ? strlen(ifs) : 0, "i.json", &yaml,
			     &errs);
	ck_assert_int_eq(rc, VPC_ECONFIG);
	ck_assert_ptr_null(yaml);
	for (size_t i = 0; i < errs.n; i++)
		if (strncmp(errs.msgs[i], prefix, strlen(prefix)) == 0 &&
		    strstr(errs.msgs[i], word) != NULL)
			found = true;
	if (!found) {
		fprintf(stderr, "expected \"%s...%s\", got:\n", prefix, word);
		dump_errors(&errs);
	}
	ck_assert(found);
	conf_errors_cleanup(&errs);
}

static const struct conf_endpoint *
find_ep(const struct conf *cf, const char *id)
{
	for (size_t v = 0; v < cf->n_vpcs; v++)
		for (size_t e = 0; e < cf->vpcs[v].n_endpoints; e++)
			if (strcmp(cf->vpcs[v].endpoints[e].id, id) == 0)
				return &cf->vpcs[v].endpoints[e];
	ck_abort_msg("endpoint %s not imported", id);
	return NULL;
}

static void
check_subnet(const struct conf_subnet *sn, const char *az, const char *v4,
	     const char *v6)
{
	uint8_t a[16];

	ck_assert_str_eq(sn->az, az);
	ck_assert(sn->has_ipv4 == (v4 != NULL));
	ck_assert(sn->has_ipv6 == (v6 != NULL));
	if (v4 != NULL) {
		ck_assert_int_eq(inet_pton(AF_INET, v4, a), 1);
		ck_assert_mem_eq(sn->ipv4, a, 4);
	}
	if (v6 != NULL) {
		ck_assert_int_eq(inet_pton(AF_INET6, v6, a), 1);
		ck_assert_mem_eq(sn->ipv6, a, 16);
	}
}

/* Whether the names of @ep are exactly @want (n of them, in order). */
static void
check_names(const struct conf_endpoint *ep, const char *const *want, size_t n)
{
	ck_assert(ep->private_dns_names_set);
	ck_assert_uint_eq(ep->n_private_dns_names, n);
	for (size_t i = 0; i < n; i++)
		ck_assert_str_eq(ep->private_dns_names[i], want[i]);
}

/* The sample, imported; the caller frees both. */
static char *
sample_yaml(char **ep, char **ifs)
{
	size_t l1, l2;
	char *yaml = NULL;
	struct conf_errors errs = {0};
	int rc;

	*ep = tu_load_example(EP_FILE, &l1);
	*ifs = tu_load_example(IF_FILE, &l2);
	rc = import_aws_json(*ep, l1, EP_FILE, *ifs, l2, IF_FILE, &yaml, &errs);
	if (rc != VPC_OK)
		dump_errors(&errs);
	ck_assert_int_eq(rc, VPC_OK);
	conf_errors_cleanup(&errs);
	return yaml;
}

static struct conf *
sample_conf(void)
{
	char *ep, *ifs, *yaml = sample_yaml(&ep, &ifs);
	struct conf *cf = load_yaml(yaml);

	free(yaml);
	free(ep);
	free(ifs);
	return cf;
}

/* ---- the sample --------------------------------------------------------- */

START_TEST(test_sample_vpc)
{
	static const char *const ids[] = {
	    "vpce-0f1e2d3c4b5a69788", "vpce-0123abcd4567ef890",
	    "vpce-0c0ffee1234567890", "vpce-0d4c3b2a190817263",
	    "vpce-0e5f6a7b8c9d0e1f2"};
	struct conf *cf = sample_conf();

	ck_assert_uint_eq(cf->n_vpcs, 1);
	ck_assert_str_eq(cf->vpcs[0].id, VPC_ID);
	ck_assert_str_eq(cf->vpcs[0].region, "us-east-1");
	ck_assert(!cf->vpcs[0].clients_set);
	ck_assert_uint_eq(cf->vpcs[0].n_cidr_blocks, 0);
	ck_assert_uint_eq(cf->vpcs[0].n_hosted_zones, 0);
	ck_assert_uint_eq(cf->vpcs[0].n_endpoints, 5);
	for (size_t i = 0; i < 5; i++)
		ck_assert_str_eq(cf->vpcs[0].endpoints[i].id, ids[i]);
	/* No listen or upstreams: the defaults. */
	ck_assert_uint_eq(cf->n_listen, 2);
	ck_assert_uint_eq(cf->n_upstreams, 0);
	conf_free(cf);
}
END_TEST

START_TEST(test_sample_secretsmanager)
{
	struct conf *cf = sample_conf();
	const struct conf_endpoint *ep = find_ep(cf, "vpce-0f1e2d3c4b5a69788");

	ck_assert_str_eq(ep->service, "com.amazonaws.us-east-1.secretsmanager");
	ck_assert_int_eq(ep->type, CONF_ENDPOINT_INTERFACE);
	ck_assert(ep->private_dns);
	ck_assert_str_eq(ep->dns_suffix, "k3m9x2qa");
	ck_assert_int_eq(ep->ip_address_type, CONF_IP_IPV4);
	ck_assert_int_eq(ep->dns_record_ip_type, CONF_IP_IPV4);
	ck_assert(!ep->inbound_only);
	/* DnsEntries name what the catalog has: no override. */
	ck_assert(!ep->private_dns_names_set);
	ck_assert_uint_eq(ep->n_subnets, 2);
	check_subnet(&ep->subnets[0], "us-east-1a", "10.0.1.15", NULL);
	check_subnet(&ep->subnets[1], "us-east-1b", "10.0.2.27", NULL);
	conf_free(cf);
}
END_TEST

START_TEST(test_sample_s3)
{
	struct conf *cf = sample_conf();
	const struct conf_endpoint *gw = find_ep(cf, "vpce-0123abcd4567ef890");
	const struct conf_endpoint *ep = find_ep(cf, "vpce-0c0ffee1234567890");

	ck_assert_int_eq(gw->type, CONF_ENDPOINT_GATEWAY);
	ck_assert_str_eq(gw->service, "com.amazonaws.us-east-1.s3");
	ck_assert(!gw->private_dns);
	ck_assert_int_eq(gw->dns_record_ip_type, CONF_IP_SERVICE_DEFINED);
	ck_assert_uint_eq(gw->n_subnets, 0);
	ck_assert_ptr_null(gw->dns_suffix);

	ck_assert_int_eq(ep->type, CONF_ENDPOINT_INTERFACE);
	ck_assert(ep->private_dns);
	ck_assert(ep->inbound_only);
	ck_assert_str_eq(ep->dns_suffix, "q7wz4n1p");
	/* The six names, wildcards included, in another order than the
	 * catalog's: the same set, so no override. */
	ck_assert(!ep->private_dns_names_set);
	ck_assert_uint_eq(ep->n_subnets, 2);
	check_subnet(&ep->subnets[0], "us-east-1a", "10.0.1.40", NULL);
	check_subnet(&ep->subnets[1], "us-east-1b", "10.0.2.40", NULL);
	conf_free(cf);
}
END_TEST

START_TEST(test_sample_ecr_dualstack)
{
	static const char *const names[] = {"dkr.ecr.us-east-1.amazonaws.com",
					    "*.dkr.ecr.us-east-1.amazonaws.com",
					    "dkr-ecr.us-east-1.on.aws",
					    "*.dkr-ecr.us-east-1.on.aws"};
	struct conf *cf = sample_conf();
	const struct conf_endpoint *ep = find_ep(cf, "vpce-0d4c3b2a190817263");

	ck_assert_str_eq(ep->service, "com.amazonaws.us-east-1.ecr.dkr");
	ck_assert_int_eq(ep->ip_address_type, CONF_IP_DUALSTACK);
	ck_assert_int_eq(ep->dns_record_ip_type, CONF_IP_DUALSTACK);
	ck_assert_str_eq(ep->dns_suffix, "r5t8y2u6");
	/* The catalog has only the wildcard (SPEC 1.2): DnsEntries win. */
	check_names(ep, names, 4);
	ck_assert_uint_eq(ep->n_subnets, 2);
	check_subnet(&ep->subnets[0], "us-east-1a", "10.0.1.52",
		     "2600:1f18:4a3b:c101:8f3e:21a4:6b0c:9d17");
	check_subnet(&ep->subnets[1], "us-east-1b", "10.0.2.52",
		     "2600:1f18:4a3b:c102:5c27:e8b1:3fa6:7402");
	conf_free(cf);
}
END_TEST

START_TEST(test_sample_provider)
{
	static const char *const names[] = {"api.partner.example.com"};
	struct conf *cf = sample_conf();
	const struct conf_endpoint *ep = find_ep(cf, "vpce-0e5f6a7b8c9d0e1f2");

	ck_assert_str_eq(
	    ep->service,
	    "com.amazonaws.vpce.us-east-1.vpce-svc-0a1b2c3d4e5f6a7b8");
	ck_assert(ep->private_dns);
	ck_assert_str_eq(ep->dns_suffix, "m2n8b4v6");
	check_names(ep, names, 1);
	ck_assert_uint_eq(ep->n_subnets, 2);
	check_subnet(&ep->subnets[0], "us-east-1a", "10.0.1.77", NULL);
	check_subnet(&ep->subnets[1], "us-east-1b", "10.0.2.77", NULL);
	conf_free(cf);
}
END_TEST

/* True when a line of @text starts with @prefix. */
static bool
has_line(const char *text, const char *prefix)
{
	for (const char *p = text; p != NULL && *p != '\0';
	     p = strchr(p, '\n') != NULL ? strchr(p, '\n') + 1 : NULL)
		if (strncmp(p, prefix, strlen(prefix)) == 0)
			return true;
	return false;
}

START_TEST(test_sample_header)
{
	char *ep, *ifs, *yaml = sample_yaml(&ep, &ifs);

	ck_assert_msg(
	    strncmp(yaml, "# vpcdns configuration generated by", 35) == 0, "%s",
	    yaml);
	ck_assert_ptr_nonnull(strstr(yaml, "#   " EP_FILE));
	ck_assert_ptr_nonnull(strstr(yaml, "#   " IF_FILE));
	/* Comments show how to add them; the keys themselves are absent. */
	ck_assert_ptr_nonnull(strstr(yaml, "#   listen:"));
	ck_assert(!has_line(yaml, "listen:"));
	ck_assert(!has_line(yaml, "upstreams:"));
	ck_assert_ptr_null(strstr(yaml, " clients:"));
	/* Each interface is named next to its subnet. */
	ck_assert_ptr_nonnull(strstr(yaml, "# eni-0a1a2a3a4a5a6a7a8"));
	/* The unrelated instance interface is not used. */
	ck_assert_ptr_null(strstr(yaml, "eni-0123456789abcdef0"));
	ck_assert_ptr_null(strstr(yaml, "10.0.1.100"));
	free(yaml);
	free(ep);
	free(ifs);
}
END_TEST

START_TEST(test_sample_deterministic)
{
	char *ep, *ifs, *a = sample_yaml(&ep, &ifs), *b;

	free(ep);
	free(ifs);
	b = sample_yaml(&ep, &ifs);
	ck_assert_str_eq(a, b);
	free(a);
	free(b);
	free(ep);
	free(ifs);
}
END_TEST

START_TEST(test_sample_needs_interfaces)
{
	size_t len;
	char *ep = tu_load_example(EP_FILE, &len);

	/* The first endpoint's NetworkInterfaceIds is at line 27. */
	expect_error(ep, NULL,
		     "e.json:27: VpcEndpoints[0] "
		     "(vpce-0f1e2d3c4b5a69788): ",
		     "describe-network-interfaces");
	free(ep);
}
END_TEST

/* ---- the round trip ----------------------------------------------------- */

/* What the sample JSON says, read here without import.c. */
struct rt_eni {
	char id[32];
	char az[32];
	uint8_t v4[4];
	bool has_v4;
	uint8_t v6[16];
	bool has_v6;
};

#define RT_MAX 16

struct rt {
	yaml_document_t ed, id;	    /* the two documents */
	struct rt_eni enis[RT_MAX]; /* the interfaces of vpc_endpoint type */
	size_t n_enis;
	struct view_set *vs; /* views of the imported configuration */
	struct conf *cf;
	unsigned checked; /* names checked */
};

static yaml_node_t *
rt_get(yaml_document_t *d, yaml_node_t *map, const char *key)
{
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
	     p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(d, p->key);

		if (strcmp((const char *)k->data.scalar.value, key) == 0)
			return yaml_document_get_node(d, p->value);
	}
	return NULL;
}

static const char *
rt_str(yaml_document_t *d, yaml_node_t *map, const char *key)
{
	yaml_node_t *n = rt_get(d, map, key);

	return n != NULL && n->type == YAML_SCALAR_NODE
		   ? (const char *)n->data.scalar.value
		   : NULL;
}

static yaml_node_t *
rt_item(yaml_document_t *d, yaml_node_t *seq, size_t i)
{
	if (seq == NULL || i >= (size_t)(seq->data.sequence.items.top -
					 seq->data.sequence.items.start))
		return NULL;
	return yaml_document_get_node(d, seq->data.sequence.items.start[i]);
}

static void
rt_parse(yaml_document_t *d, const char *text, size_t len)
{
	yaml_parser_t p;

	ck_assert(yaml_parser_initialize(&p));
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	ck_assert(yaml_parser_load(&p, d));
	yaml_parser_delete(&p);
}

static void
rt_read_enis(struct rt *rt)
{
	yaml_node_t *root = yaml_document_get_root_node(&rt->id), *e, *v6;
	yaml_node_t *list = rt_get(&rt->id, root, "NetworkInterfaces");
	const char *s;

	for (size_t i = 0; (e = rt_item(&rt->id, list, i)) != NULL; i++) {
		struct rt_eni *x = &rt->enis[rt->n_enis];

		if (strcmp(rt_str(&rt->id, e, "InterfaceType"), "vpc_endpoint"))
			continue;
		ck_assert_uint_lt(rt->n_enis, RT_MAX);
		snprintf(x->id, sizeof(x->id), "%s",
			 rt_str(&rt->id, e, "NetworkInterfaceId"));
		snprintf(x->az, sizeof(x->az), "%s",
			 rt_str(&rt->id, e, "AvailabilityZone"));
		s = rt_str(&rt->id, e, "PrivateIpAddress");
		x->has_v4 = s != NULL && inet_pton(AF_INET, s, x->v4) == 1;
		v6 = rt_item(&rt->id, rt_get(&rt->id, e, "Ipv6Addresses"), 0);
		s = v6 != NULL ? rt_str(&rt->id, v6, "Ipv6Address") : NULL;
		x->has_v6 = s != NULL && inet_pton(AF_INET6, s, x->v6) == 1;
		rt->n_enis++;
	}
}

static const struct rt_eni *
rt_eni(const struct rt *rt, const char *id)
{
	for (size_t i = 0; i < rt->n_enis; i++)
		if (strcmp(rt->enis[i].id, id) == 0)
			return &rt->enis[i];
	ck_abort_msg("interface %s not in the sample", id);
	return NULL;
}

/* Whether RDATA @rd (@len bytes) is in RRset @set. */
static bool
rrset_has(const struct zone_rrset *set, const uint8_t *rd, size_t len)
{
	for (uint32_t off = 0; off + 2 <= set->len;) {
		size_t n = (size_t)set->rdata[off] << 8 | set->rdata[off + 1];

		if (n == len && memcmp(set->rdata + off + 2, rd, len) == 0)
			return true;
		off += 2 + (uint32_t)n;
	}
	return false;
}

/*
 * The addresses of @node are exactly those of the interfaces @enis (n),
 * restricted to AZ @az unless NULL; A always, AAAA when @v6.
 */
static void
rt_check_addrs(const struct zone_node *node, const struct rt_eni **enis,
	       size_t n, const char *az, bool v6)
{
	const struct zone_rrset *a = zone_rrset(node, WIRE_TYPE_A);
	const struct zone_rrset *aaaa = zone_rrset(node, WIRE_TYPE_AAAA);
	size_t want4 = 0, want6 = 0;

	for (size_t i = 0; i < n; i++) {
		if (az != NULL && strcmp(enis[i]->az, az) != 0)
			continue;
		want4 += enis[i]->has_v4;
		want6 += v6 && enis[i]->has_v6;
		ck_assert_ptr_nonnull(a);
		ck_assert(rrset_has(a, enis[i]->v4, 4));
		if (v6 && enis[i]->has_v6) {
			ck_assert_ptr_nonnull(aaaa);
			ck_assert(rrset_has(aaaa, enis[i]->v6, 16));
		}
	}
	ck_assert_uint_gt(want4, 0);
	ck_assert_uint_eq(a->count, want4);
	if (want6 == 0)
		ck_assert_ptr_null(aaaa);
	else
		ck_assert_uint_eq(aaaa->count, want6);
}

/* The node of @name in view @v, or NULL when no zone of @v has it. */
static const struct zone_node *
rt_node(const struct view *v, const char *name)
{
	uint8_t w[WIRE_MAX_NAME_LEN];
	size_t len = wire_name_from_text(name, w);
	const struct zone *z;

	ck_assert_uint_gt(len, 0);
	if ((z = view_find_zone(v, w, len)) == NULL)
		return NULL;
	return zone_find(z, w, len);
}

/* The AZ of zonal name @name among @enis, or NULL for other names. */
static const char *
rt_zonal_az(const char *name, const struct rt_eni **enis, size_t n)
{
	const char *first = strncmp(name, "*.", 2) == 0 ? name + 2 : name;
	size_t flen = strcspn(first, ".");

	for (size_t i = 0; i < n; i++) {
		size_t alen = strlen(enis[i]->az);

		if (flen > alen + 1 && first[flen - alen - 1] == '-' &&
		    memcmp(first + flen - alen, enis[i]->az, alen) == 0)
			return enis[i]->az;
	}
	return NULL;
}

/* Checks every DnsEntries name of endpoint object @e. */
static void
rt_check_endpoint(struct rt *rt, yaml_node_t *e)
{
	yaml_node_t *ids = rt_get(&rt->ed, e, "NetworkInterfaceIds");
	yaml_node_t *dns = rt_get(&rt->ed, e, "DnsEntries"), *item;
	yaml_node_t *opts = rt_get(&rt->ed, e, "DnsOptions");
	const char *svc = rt_str(&rt->ed, e, "ServiceName");
	const char *in = rt_str(&rt->ed, opts,
				"PrivateDnsOnlyForInbound"
				"ResolverEndpoint");
	bool v6 = strcmp(rt_str(&rt->ed, opts, "DnsRecordIpType"), "ipv4");
	const struct rt_eni *enis[4];
	size_t n = 0;

	for (; (item = rt_item(&rt->ed, ids, n)) != NULL; n++)
		enis[n] = rt_eni(rt, (const char *)item->data.scalar.value);
	for (size_t i = 0; (item = rt_item(&rt->ed, dns, i)) != NULL; i++) {
		const char *name = rt_str(&rt->ed, item, "DnsName");
		bool vpce = strstr(name, ".vpce.amazonaws.com") != NULL;
		bool inbound = !vpce && in != NULL && strcmp(in, "true") == 0;
		/* vpce names are public; private names are the VPC's, and
		 * inbound-only ones only through its inbound endpoint. */
		const struct view *v = vpce	 ? &rt->vs->outside
				       : inbound ? &rt->vs->inbound[0]
						 : &rt->vs->vpcs[0];
		const struct zone_node *node = rt_node(v, name);

		ck_assert_msg(node != NULL, "%s is not served", name);
		if (inbound)
			ck_assert_ptr_null(rt_node(&rt->vs->vpcs[0], name));
		if (strstr(svc, ".vpce-svc-") != NULL && !vpce)
			ck_assert_ptr_nonnull(
			    zone_rrset(node, WIRE_TYPE_CNAME));
		else
			rt_check_addrs(node, enis, n,
				       rt_zonal_az(name, enis, n), v6);
		rt->checked++;
	}
}

START_TEST(test_sample_roundtrip)
{
	struct conf_errors errs = {0};
	char *ep, *ifs, *yaml = sample_yaml(&ep, &ifs);
	struct rt rt = {0};
	yaml_node_t *list, *e;
	int rc;

	rt.cf = load_yaml(yaml);
	rc = view_set_build(rt.cf, &rt.vs, &errs);
	if (rc != VPC_OK)
		dump_errors(&errs);
	ck_assert_int_eq(rc, VPC_OK);
	rt_parse(&rt.ed, ep, strlen(ep));
	rt_parse(&rt.id, ifs, strlen(ifs));
	rt_read_enis(&rt);
	ck_assert_uint_eq(rt.n_enis, 8);
	list =
	    rt_get(&rt.ed, yaml_document_get_root_node(&rt.ed), "VpcEndpoints");
	for (size_t i = 0; (e = rt_item(&rt.ed, list, i)) != NULL; i++)
		rt_check_endpoint(&rt, e);
	/* 4 + 0 + 9 + 7 + 4 DnsEntries names. */
	ck_assert_uint_eq(rt.checked, 24);
	yaml_document_delete(&rt.ed);
	yaml_document_delete(&rt.id);
	view_set_free(rt.vs);
	conf_free(rt.cf);
	conf_errors_cleanup(&errs);
	free(yaml);
	free(ep);
	free(ifs);
}
END_TEST

/* ---- small documents ---------------------------------------------------- */

/* An interface endpoint of sts in us-east-1a with DnsEntries @dns. */
#define STS_EP(id, vpc, dns)                                                   \
	"{\"VpcEndpointId\": \"" id "\", \"VpcEndpointType\": \"Interface\", " \
	"\"VpcId\": \"" vpc "\", "                                             \
	"\"ServiceName\": \"com.amazonaws.us-east-1.sts\", "                   \
	"\"PrivateDnsEnabled\": true, "                                        \
	"\"NetworkInterfaceIds\": [\"eni-1\"], \"DnsEntries\": [" dns "]}"
#define STS_DNS(id)                                                            \
	"{\"DnsName\": \"" id "-abcd1234.sts.us-east-1.vpce.amazonaws.com\"}," \
	"{\"DnsName\": \"" id "-abcd1234-us-east-1a.sts.us-east-1.vpce."       \
	"amazonaws.com\"},"                                                    \
	"{\"DnsName\": \"sts.us-east-1.amazonaws.com\"}"
#define GW_EP(id, vpc, svc)                                                    \
	"{\"VpcEndpointId\": \"" id "\", \"VpcEndpointType\": \"Gateway\", "   \
	"\"VpcId\": \"" vpc "\", \"ServiceName\": \"" svc "\", "               \
	"\"PrivateDnsEnabled\": false, \"DnsEntries\": []}"
#define EPS(...) "{\"VpcEndpoints\": [" __VA_ARGS__ "]}"
#define ENI(id, az, ip)                                                        \
	"{\"NetworkInterfaceId\": \"" id "\", \"InterfaceType\": "             \
	"\"vpc_endpoint\", \"AvailabilityZone\": \"" az "\", "                 \
	"\"PrivateIpAddress\": \"" ip "\"}"
#define ENIS(...) "{\"NetworkInterfaces\": [" __VA_ARGS__ "]}"
#define ENI1 ENIS(ENI("eni-1", "us-east-1a", "10.0.1.5"))

START_TEST(test_minimal)
{
	struct conf *cf = import_conf(
	    EPS(STS_EP("vpce-0aa", "vpc-1", STS_DNS("vpce-0aa"))), ENI1);
	const struct conf_endpoint *ep = find_ep(cf, "vpce-0aa");

	ck_assert_str_eq(cf->vpcs[0].region, "us-east-1");
	ck_assert_str_eq(ep->dns_suffix, "abcd1234");
	ck_assert(!ep->private_dns_names_set);
	ck_assert_uint_eq(ep->n_subnets, 1);
	check_subnet(&ep->subnets[0], "us-east-1a", "10.0.1.5", NULL);
	conf_free(cf);
}
END_TEST

START_TEST(test_compact_and_yaml_input)
{
	static const char yaml_in[] =
	    "VpcEndpoints:\n"
	    "  - VpcEndpointId: vpce-0aa\n"
	    "    VpcEndpointType: Interface\n"
	    "    VpcId: vpc-1\n"
	    "    ServiceName: com.amazonaws.us-east-1.sts\n"
	    "    NetworkInterfaceIds: [eni-1]\n"
	    "    DnsEntries:\n"
	    "      - DnsName: vpce-0aa-abcd1234.sts.us-east-1.vpce."
	    "amazonaws.com\n"
	    "      - DnsName: vpce-0aa-abcd1234-us-east-1a.sts.us-east-1."
	    "vpce.amazonaws.com\n";
	/* `jq -c` output: no spaces after ':' and ','. */
	struct conf *cf = import_conf(
	    "{\"VpcEndpoints\":[{\"VpcEndpointId\":\"vpce-0aa\","
	    "\"VpcEndpointType\":\"Interface\",\"VpcId\":\"vpc-1\","
	    "\"ServiceName\":\"com.amazonaws.us-east-1.sts\","
	    "\"NetworkInterfaceIds\":[\"eni-1\"],\"DnsEntries\":[]}]}",
	    "{\"NetworkInterfaces\":[{\"NetworkInterfaceId\":\"eni-1\","
	    "\"AvailabilityZone\":\"us-east-1a\","
	    "\"PrivateIpAddress\":\"10.0.1.5\"}]}");

	ck_assert_uint_eq(cf->vpcs[0].endpoints[0].n_subnets, 1);
	/* Without vpce names in DnsEntries the suffix is derived. */
	ck_assert_ptr_null(cf->vpcs[0].endpoints[0].dns_suffix);
	conf_free(cf);
	cf = import_conf(yaml_in, ENI1);
	ck_assert_str_eq(cf->vpcs[0].endpoints[0].dns_suffix, "abcd1234");
	conf_free(cf);
}
END_TEST

START_TEST(test_region_from_services)
{
	/* No interfaces: the most common Region of the service names. */
	struct conf *cf = import_conf(
	    EPS(GW_EP(
		"vpce-1", "vpc-1",
		"com.amazonaws.eu-west-1.s3") "," GW_EP("vpce-2", "vpc-1",
							"com.amazonaws.us-west-"
							"2.s3") "," GW_EP("vpce"
									  "-3",
									  "vpc-"
									  "1",
									  "com."
									  "amaz"
									  "onaw"
									  "s."
									  "us-"
									  "west"
									  "-2."
									  "dyna"
									  "mod"
									  "b")),
	    NULL);

	ck_assert_str_eq(cf->vpcs[0].region, "us-west-2");
	ck_assert_uint_eq(cf->vpcs[0].n_endpoints, 3);
	ck_assert_int_eq(cf->vpcs[0].endpoints[0].type, CONF_ENDPOINT_GATEWAY);
	conf_free(cf);
}
END_TEST

START_TEST(test_region_from_interfaces)
{
	/* A cross-Region endpoint: the VPC is where its interface is, the
	 * names are in the service's Region, with no zonal name. */
	struct conf *cf = import_conf(
	    EPS("{\"VpcEndpointId\": \"vpce-0aa\", \"VpcEndpointType\": "
		"\"Interface\", \"VpcId\": \"vpc-1\", \"ServiceName\": "
		"\"com.amazonaws.us-west-2.sts\", \"NetworkInterfaceIds\": "
		"[\"eni-1\"], \"DnsEntries\": [{\"DnsName\": "
		"\"vpce-0aa-abcd1234.sts.us-west-2.vpce.amazonaws.com\"}]}"),
	    ENI1);

	ck_assert_str_eq(cf->vpcs[0].region, "us-east-1");
	ck_assert_str_eq(cf->vpcs[0].endpoints[0].dns_suffix, "abcd1234");
	conf_free(cf);
	expect_error(
	    EPS("{\"VpcEndpointId\": \"vpce-0aa\", \"VpcEndpointType\":"
		" \"Interface\", \"VpcId\": \"vpc-1\", \"ServiceName\":"
		" \"com.amazonaws.us-west-2.sts\", "
		"\"NetworkInterfaceIds\": [\"eni-1\"], \"DnsEntries\":"
		" [{\"DnsName\": \"vpce-0aa-abcd1234-us-east-1a.sts."
		"us-west-2.vpce.amazonaws.com\"}]}"),
	    ENI1, "e.json:1: VpcEndpoints[0] (vpce-0aa): ",
	    "cross-Region endpoint has none");
}
END_TEST

START_TEST(test_two_vpcs)
{
	char *yaml = import_ok(
	    EPS(GW_EP("vpce-1", "vpc-1",
		      "com.amazonaws.us-east-1.s3") "," GW_EP("vpce-2", "vpc-2",
							      "com.amazonaws."
							      "us-east-1.s3")),
	    NULL);
	struct conf *cf = load_yaml(yaml);

	ck_assert_uint_eq(cf->n_vpcs, 2);
	ck_assert(!cf->vpcs[0].clients_set);
	/* SPEC 1.5a: only one VPC may omit clients. */
	ck_assert(cf->vpcs[1].clients_set);
	ck_assert_uint_eq(cf->vpcs[1].n_clients, 0);
	ck_assert_ptr_nonnull(strstr(yaml, "clients: []"));
	conf_free(cf);
	free(yaml);
}
END_TEST

START_TEST(test_skipped_states)
{
	char *yaml = import_ok(
	    EPS("{\"VpcEndpointId\": \"vpce-1\", \"VpcEndpointType\": "
		"\"Interface\", \"VpcId\": \"vpc-1\", \"State\": \"deleted\"}"),
	    NULL);
	struct conf *cf = load_yaml(yaml);

	ck_assert_uint_eq(cf->n_vpcs, 0);
	ck_assert_ptr_nonnull(strstr(yaml, "vpcs: []"));
	ck_assert_ptr_nonnull(strstr(yaml, "vpce-1: not imported: State is "
					   "'deleted'"));
	conf_free(cf);
	free(yaml);
	/* Without interfaces an interface endpoint is left out too. */
	yaml = import_ok(
	    EPS(GW_EP(
		"vpce-1", "vpc-1",
		"com.amazonaws.us-east-1.s3") ","
					      "{\"VpcEndpointId\": \"vpce-2\", "
					      "\"VpcEndpointType\": "
					      "\"Interface\", "
					      "\"VpcId\": \"vpc-1\", "
					      "\"ServiceName\": "
					      "\"com.amazonaws.us-east-1.sts\","
					      " "
					      "\"State\": "
					      "\"pendingAcceptance\", "
					      "\"NetworkInterfaceIds\": []}"),
	    NULL);
	cf = load_yaml(yaml);
	ck_assert_uint_eq(cf->vpcs[0].n_endpoints, 1);
	ck_assert_ptr_nonnull(strstr(yaml, "no network interfaces"));
	conf_free(cf);
	free(yaml);
}
END_TEST

START_TEST(test_private_dns_off)
{
	struct conf *cf = import_conf(
	    EPS("{\"VpcEndpointId\": \"vpce-0aa\", \"VpcEndpointType\": "
		"\"Interface\", \"VpcId\": \"vpc-1\", \"ServiceName\": "
		"\"com.amazonaws.us-east-1.s3\", \"PrivateDnsEnabled\": false,"
		" \"DnsOptions\": "
		"{\"PrivateDnsOnlyForInboundResolverEndpoint\":"
		" false}, \"NetworkInterfaceIds\": [\"eni-1\"]}"),
	    ENI1);
	const struct conf_endpoint *ep = find_ep(cf, "vpce-0aa");

	ck_assert(!ep->private_dns);
	ck_assert(!ep->inbound_only);
	ck_assert(!ep->private_dns_names_set);
	conf_free(cf);
}
END_TEST

START_TEST(test_catalog_kept)
{
	/* Private DNS on, DnsEntries without private names (older CLI
	 * output): the catalog's names apply, not an empty list. */
	char *yaml = import_ok(
	    EPS(STS_EP("vpce-0aa", "vpc-1",
		       "{\"DnsName\": \"vpce-0aa-abcd1234.sts.us-east-1.vpce."
		       "amazonaws.com.\"}, {\"DnsName\": \"VPCE-0AA-ABCD1234-"
		       "US-EAST-1A.sts.us-east-1.vpce.amazonaws.com\"}")),
	    ENI1);
	struct conf *cf = load_yaml(yaml);

	ck_assert(!cf->vpcs[0].endpoints[0].private_dns_names_set);
	ck_assert_ptr_nonnull(strstr(yaml, "the service catalog's apply"));
	conf_free(cf);
	free(yaml);
}
END_TEST

START_TEST(test_resource_endpoint)
{
	static const char *const names[] = {"db1.abc123.us-east-1.rds."
					    "amazonaws.com"};
	struct conf *cf = import_conf(
	    EPS("{\"VpcEndpointId\": \"vpce-0bb\", \"VpcEndpointType\": "
		"\"Resource\", \"VpcId\": \"vpc-1\", "
		"\"ResourceConfigurationArn\": \"arn:aws:vpc-lattice:us-east-1:"
		"111122223333:resourceconfiguration/rcfg-07129f3acded87625\", "
		"\"PrivateDnsEnabled\": true, \"NetworkInterfaceIds\": "
		"[\"eni-1\"], \"DnsEntries\": [{\"DnsName\": \"vpce-0bb-snra-"
		"0a1.rcfg-07129f3acded87625.4232ccc.vpc-lattice-rsc.us-east-1."
		"on.aws\"}, {\"DnsName\": \"db1.abc123.us-east-1.rds."
		"amazonaws.com\"}]}"),
	    ENI1);
	const struct conf_endpoint *ep = find_ep(cf, "vpce-0bb");

	ck_assert_int_eq(ep->type, CONF_ENDPOINT_RESOURCE);
	/* An ARN needs quoting in YAML; it must come back unchanged. */
	ck_assert_str_eq(ep->service, "arn:aws:vpc-lattice:us-east-1:"
				      "111122223333:resourceconfiguration/"
				      "rcfg-07129f3acded87625");
	check_names(ep, names, 1);
	ck_assert_uint_eq(ep->n_subnets, 1);
	conf_free(cf);
}
END_TEST

START_TEST(test_quoting)
{
	/* A suffix of digits only would read back as a number. */
	struct conf *cf = import_conf(
	    EPS(STS_EP("vpce-0aa", "vpc-1",
		       "{\"DnsName\": \"vpce-0aa-12345678.sts.us-east-1.vpce."
		       "amazonaws.com\"}, {\"DnsName\": \"vpce-0aa-12345678-"
		       "us-east-1a.sts.us-east-1.vpce.amazonaws.com\"}")),
	    ENIS("{\"NetworkInterfaceId\": \"eni-1\", \"AvailabilityZone\": "
		 "\"us-east-1a\", \"Ipv6Addresses\": [{\"Ipv6Address\": "
		 "\"FD00:0::1\"}], \"PrivateIpAddress\": \"10.0.1.5\"}"));
	const struct conf_endpoint *ep = find_ep(cf, "vpce-0aa");

	ck_assert_str_eq(ep->dns_suffix, "12345678");
	check_subnet(&ep->subnets[0], "us-east-1a", "10.0.1.5", "fd00::1");
	conf_free(cf);
}
END_TEST

/* The example output of the AWS CLI reference (2017, Python 2 json: a
 * space before each newline), with interfaces made up for it. */
START_TEST(test_aws_cli_example)
{
	static const char ep[] =
	    "{\n"
	    "  \"VpcEndpoints\": [\n"
	    "    {\n"
	    "      \"PolicyDocument\": \"{\\\"Version\\\":\\\"2008-10-17\\\","
	    "\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\",\\\"Principal"
	    "\\\":\\\"*\\\",\\\"Action\\\":\\\"*\\\",\\\"Resource\\\":"
	    "\\\"*\\\"}]}\", \n"
	    "      \"VpcId\": \"vpc-aabb1122\", \n"
	    "      \"NetworkInterfaceIds\": [], \n"
	    "      \"SubnetIds\": [], \n"
	    "      \"PrivateDnsEnabled\": true, \n"
	    "      \"State\": \"available\", \n"
	    "      \"ServiceName\": \"com.amazonaws.us-east-1.dynamodb\", \n"
	    "      \"RouteTableIds\": [\"rtb-3d560345\"], \n"
	    "      \"Groups\": [], \n"
	    "      \"VpcEndpointId\": \"vpce-032a826a\", \n"
	    "      \"VpcEndpointType\": \"Gateway\", \n"
	    "      \"CreationTimestamp\": \"2017-09-05T20:41:28Z\", \n"
	    "      \"DnsEntries\": []\n"
	    "    }, \n"
	    "    {\n"
	    "      \"VpcId\": \"vpc-1a2b3c4d\", \n"
	    "      \"NetworkInterfaceIds\": [\"eni-2ec2b084\", "
	    "\"eni-1b4a65cf\"], \n"
	    "      \"PrivateDnsEnabled\": false, \n"
	    "      \"State\": \"available\", \n"
	    "      \"ServiceName\": \"com.amazonaws.us-east-1."
	    "elasticloadbalancing\", \n"
	    "      \"VpcEndpointId\": \"vpce-0f89a33420c1931d7\", \n"
	    "      \"VpcEndpointType\": \"Interface\", \n"
	    "      \"DnsEntries\": [\n"
	    "        {\"HostedZoneId\": \"Z7HUB22UULQXV\", \"DnsName\": "
	    "\"vpce-0f89a33420c1931d7-bluzidnv.elasticloadbalancing.us-east-1."
	    "vpce.amazonaws.com\"}, \n"
	    "        {\"HostedZoneId\": \"Z7HUB22UULQXV\", \"DnsName\": "
	    "\"vpce-0f89a33420c1931d7-bluzidnv-us-east-1b.elasticloadbalancing."
	    "us-east-1.vpce.amazonaws.com\"}, \n"
	    "        {\"HostedZoneId\": \"Z7HUB22UULQXV\", \"DnsName\": "
	    "\"vpce-0f89a33420c1931d7-bluzidnv-us-east-1a.elasticloadbalancing."
	    "us-east-1.vpce.amazonaws.com\"}\n"
	    "      ]\n"
	    "    }\n"
	    "  ]\n"
	    "}\n";
	struct conf *cf = import_conf(
	    ep, ENIS(ENI("eni-2ec2b084", "us-east-1b", "10.0.2.9") "," ENI(
		    "eni-1b4a65cf", "us-east-1a", "10.0.1.9")));
	const struct conf_endpoint *gw = find_ep(cf, "vpce-032a826a");
	const struct conf_endpoint *elb = find_ep(cf, "vpce-0f89a33420c1931d7");

	ck_assert_uint_eq(cf->n_vpcs, 2);
	ck_assert_str_eq(cf->vpcs[0].id, "vpc-aabb1122");
	ck_assert_str_eq(cf->vpcs[0].region, "us-east-1");
	/* A gateway has no private DNS, whatever old output said. */
	ck_assert(!gw->private_dns);
	ck_assert(!elb->private_dns);
	ck_assert_str_eq(elb->dns_suffix, "bluzidnv");
	ck_assert_uint_eq(elb->n_subnets, 2);
	check_subnet(&elb->subnets[0], "us-east-1a", "10.0.1.9", NULL);
	check_subnet(&elb->subnets[1], "us-east-1b", "10.0.2.9", NULL);
	conf_free(cf);
}
END_TEST

/* ---- errors ------------------------------------------------------------- */

START_TEST(test_err_unreadable)
{
	expect_error(
	    "{\"VpcEndpoints\": [\n  {\"VpcEndpointId\": \"vpce-1\",\n", NULL,
	    "e.json:3: ", "not valid JSON");
	expect_error("{\"VpcEndpoints\": [}", NULL,
		     "e.json:1: ", "not valid JSON");
	expect_error("{\"a\": 1}\n{\"b\": 2}\n", NULL, "e.json:", "not valid");
	expect_error("{\"VpcEndpoints\": [&a {\"x\": 1}, *a]}", NULL,
		     "e.json:1: ", "alias");
	expect_error("\"\\u0000\"", NULL, "e.json:", "VpcEndpoints");
	expect_error("", NULL, "e.json:", "no 'VpcEndpoints' list");
}
END_TEST

START_TEST(test_err_deep)
{
	char text[400];
	size_t n = 0;

	for (int i = 0; i < 100; i++)
		text[n++] = '[';
	for (int i = 0; i < 100; i++)
		text[n++] = ']';
	text[n] = '\0';
	expect_error(text, NULL, "e.json:1: ", "nested deeper than 64");
}
END_TEST

START_TEST(test_err_no_endpoints)
{
	expect_error("{\"Vpcs\": []}", NULL, "e.json:1: ",
		     "no 'VpcEndpoints' list (expected the output of `aws ec2 "
		     "describe-vpc-endpoints`)");
	expect_error("{\"VpcEndpoints\": {}}", NULL,
		     "e.json:1: ", "not a 'VpcEndpoints' list");
	expect_error("[1, 2]", NULL, "e.json:1: ", "no 'VpcEndpoints' list");
	expect_error("{\"VpcEndpoints\": []}", NULL,
		     "e.json:1: ", "nothing to import");
	expect_error("{\"VpcEndpoints\": [\"vpce-1\"]}", NULL,
		     "e.json:1: VpcEndpoints[0]: ", "expected an object");
}
END_TEST

START_TEST(test_err_unknown_type)
{
	expect_error(
	    "{\n"
	    "    \"VpcEndpoints\": [\n"
	    "        {\n"
	    "            \"VpcEndpointId\": \"vpce-0abc\",\n"
	    "            \"VpcEndpointType\": \"GatewayLoadBalancer\",\n"
	    "            \"VpcId\": \"vpc-1\"\n"
	    "        }\n"
	    "    ]\n"
	    "}\n",
	    NULL,
	    "e.json:5: VpcEndpoints[0] (vpce-0abc): unknown "
	    "VpcEndpointType 'GatewayLoadBalancer'",
	    "");
	expect_error(
	    EPS(GW_EP("vpce-1", "vpc-1",
		      "com.amazonaws.us-east-1.s3") ", {\"VpcEndpointId\": "
						    "\"vpce-2\", "
						    "\"VpcEndpointType\": "
						    "\"ServiceNetwork\", "
						    "\"VpcId\": \"vpc-1\"}"),
	    NULL, "e.json:1: VpcEndpoints[1] (vpce-2): ",
	    "unknown VpcEndpointType 'ServiceNetwork'");
	expect_error(EPS("{\"VpcEndpointId\": \"vpce-2\", \"VpcId\": "
			 "\"vpc-1\"}"),
		     NULL, "e.json:1: VpcEndpoints[0] (vpce-2): ",
		     "missing 'VpcEndpointType'");
}
END_TEST

START_TEST(test_err_vpc_id)
{
	expect_error(EPS("{\n\"VpcEndpointId\": \"vpce-1\",\n"
			 "\"VpcEndpointType\": \"Gateway\",\n"
			 "\"ServiceName\": \"com.amazonaws.us-east-1.s3\"}"),
		     NULL,
		     "e.json:1: VpcEndpoints[0] (vpce-1): ", "missing 'VpcId'");
	expect_error(
	    EPS(GW_EP("vpce-1", "VPC 1", "com.amazonaws.us-east-1.s3")), NULL,
	    "e.json:1: VpcEndpoints[0] (vpce-1): ",
	    "VpcId 'VPC 1' is not a VPC id");
}
END_TEST

START_TEST(test_err_fields)
{
	expect_error(
	    EPS(GW_EP("vpce-XYZ", "vpc-1", "com.amazonaws.us-east-1.s3")), NULL,
	    "e.json:1: VpcEndpoints[0] (vpce-XYZ): ",
	    "VpcEndpointId is not vpce-");
	expect_error(
	    EPS(GW_EP("vpce-1", "vpc-1", "com.amazonaws.us-east-1.sts")), NULL,
	    "e.json:1: VpcEndpoints[0] (vpce-1): ", "only for S3 and DynamoDB");
	expect_error(
	    EPS(GW_EP("vpce-1", "vpc-1", "org.example.s3")), NULL,
	    "e.json:1: VpcEndpoints[0] (vpce-1): ", "not an AWS service name");
	expect_error(
	    EPS(GW_EP("vpce-1", "vpc-1",
		      "com.amazonaws.us-east-1.s3") "," GW_EP("vpce-1", "vpc-1",
							      "com.amazonaws."
							      "us-east-1.s3")),
	    NULL, "e.json:1: VpcEndpoints[1] (vpce-1): ",
	    "the same VpcEndpointId as VpcEndpoints[0]");
	expect_error(
	    EPS("{\"VpcEndpointId\": \"vpce-1\", \"VpcEndpointType\": "
		"\"Gateway\", \"VpcId\": \"vpc-1\", \"VpcId\": "
		"\"vpc-2\", \"ServiceName\": \"com.amazonaws.us-east-1."
		"s3\"}"),
	    NULL,
	    "e.json:1: VpcEndpoints[0] (vpce-1): ", "'VpcId' is given twice");
	expect_error(
	    EPS("{\"VpcEndpointId\": \"vpce-0aa\", \"VpcEndpointType\":"
		" \"Interface\", \"VpcId\": \"vpc-1\", \"ServiceName\":"
		" \"com.amazonaws.us-east-1.sts\", \"PrivateDnsEnabled"
		"\": \"yes please\", \"IpAddressType\": \"ipv5\", "
		"\"NetworkInterfaceIds\": [\"eni-1\"]}"),
	    ENI1, "e.json:1: VpcEndpoints[0] (vpce-0aa): ",
	    "unknown IpAddressType 'ipv5'");
	expect_error(
	    EPS("{\"VpcEndpointId\": \"vpce-0aa\", \"VpcEndpointType\":"
		" \"Interface\", \"VpcId\": \"vpc-1\", \"ServiceName\":"
		" \"com.amazonaws.us-east-1.sts\", \"PrivateDnsEnabled"
		"\": \"yes please\", \"NetworkInterfaceIds\": "
		"[\"eni-1\"]}"),
	    ENI1, "e.json:1: VpcEndpoints[0] (vpce-0aa): ",
	    "'PrivateDnsEnabled' must be true or false");
	expect_error(
	    EPS("{\"VpcEndpointId\": \"vpce-0aa\", \"VpcEndpointType\":"
		" \"Interface\", \"VpcId\": \"vpc-1\", \"ServiceName\":"
		" \"com.amazonaws.us-east-1.sts\", \"DnsOptions\": "
		"{\"DnsRecordIpType\": \"dualstack\"}, "
		"\"NetworkInterfaceIds\": [\"eni-1\"]}"),
	    ENI1, "e.json:1: VpcEndpoints[0] (vpce-0aa): ",
	    "DnsRecordIpType dualstack does not go with IpAddressType "
	    "ipv4");
	expect_error(EPS(STS_EP("vpce-0aa", "vpc-1",
				"{\"DnsName\": \"bad name.example\"}")),
		     ENI1, "e.json:1: VpcEndpoints[0] (vpce-0aa): ",
		     "DnsEntries[0].DnsName 'bad name.example' is not a DNS "
		     "name");
}
END_TEST

START_TEST(test_err_interfaces)
{
	const char *ep = EPS(STS_EP("vpce-0aa", "vpc-1", STS_DNS("vpce-0aa")));

	expect_error(ep, ENIS(ENI("eni-2", "us-east-1a", "10.0.1.5")),
		     "e.json:1: VpcEndpoints[0] (vpce-0aa): ",
		     "network interface eni-1 is not in i.json");
	expect_error(ep,
		     ENIS("{\"NetworkInterfaceId\": \"eni-1\", "
			  "\"InterfaceType\": \"interface\", "
			  "\"AvailabilityZone\": \"us-east-1a\"}"),
		     "e.json:1: VpcEndpoints[0] (vpce-0aa): ",
		     "has InterfaceType 'interface' in i.json, not "
		     "vpc_endpoint");
	expect_error(ep, ENIS(ENI("eni-1", "us-east-1a", "10.0.1.500")),
		     "i.json:1: NetworkInterfaces[0] (eni-1): ",
		     "'10.0.1.500' is not an IPv4 address");
	expect_error(ep, ENIS(ENI("eni-1", "east", "10.0.1.5")),
		     "i.json:1: NetworkInterfaces[0] (eni-1): ",
		     "'east' is not an Availability Zone name");
	expect_error(ep,
		     ENIS("{\"NetworkInterfaceId\": \"eni-1\", "
			  "\"AvailabilityZone\": \"us-east-1a\"}"),
		     "i.json:1: NetworkInterfaces[0] (eni-1): ",
		     "has neither PrivateIpAddress nor Ipv6Addresses");
	expect_error(ep,
		     ENIS(ENI("eni-1", "us-east-1a", "10.0.1.5") "," ENI(
			 "eni-1", "us-east-1a", "10.0.1.5")),
		     "i.json:1: NetworkInterfaces[1] (eni-1): ",
		     "the same NetworkInterfaceId as NetworkInterfaces[0]");
	expect_error(
	    ep,
	    ENIS("{\"NetworkInterfaceId\": \"eni-1\", "
		 "\"AvailabilityZone\": \"us-east-1a\", "
		 "\"Ipv6Addresses\": [{\"Ipv6Address\": \"fd00::1\"}]}"),
	    "e.json:1: VpcEndpoints[0] (vpce-0aa): ",
	    "network interface eni-1 has no IPv4 address");
	expect_error(ep, "{\"NetworkInterfaces\": [",
		     "i.json:", "not valid JSON");
	expect_error(ep, "{\"Interfaces\": []}",
		     "i.json:1: ", "no 'NetworkInterfaces' list");
}
END_TEST

START_TEST(test_err_two_in_one_az)
{
	expect_error(
	    EPS("{\"VpcEndpointId\": \"vpce-0aa\", \"VpcEndpointType\":"
		" \"Interface\", \"VpcId\": \"vpc-1\", \"ServiceName\":"
		" \"com.amazonaws.us-east-1.sts\", "
		"\"NetworkInterfaceIds\": [\"eni-1\", \"eni-2\"]}"),
	    ENIS(ENI("eni-1", "us-east-1a",
		     "10.0.1.5") "," ENI("eni-2", "us-east-1a", "10.0.1.6")),
	    "e.json:1: VpcEndpoints[0] (vpce-0aa): ",
	    "network interfaces eni-1 and eni-2 are both in "
	    "us-east-1a");
}
END_TEST

START_TEST(test_err_dns_entries)
{
	/* The label of another service. */
	expect_error(
	    EPS(STS_EP("vpce-0aa", "vpc-1",
		       "{\"DnsName\": \"vpce-0aa-abcd1234.kms.us-east-1."
		       "vpce.amazonaws.com\"}")),
	    ENI1, "e.json:1: VpcEndpoints[0] (vpce-0aa): ",
	    "differs from the names vpcdns serves for this service "
	    "(vpce-0aa-<suffix>.sts.us-east-1.vpce.amazonaws.com)");
	/* Another endpoint's name. */
	expect_error(
	    EPS(STS_EP("vpce-0aa", "vpc-1",
		       "{\"DnsName\": \"vpce-0bb-abcd1234.sts.us-east-1."
		       "vpce.amazonaws.com\"}")),
	    ENI1, "e.json:1: VpcEndpoints[0] (vpce-0aa): ",
	    "is not vpce-0aa-<suffix>[-<az>]");
	/* Two suffixes. */
	expect_error(
	    EPS(STS_EP("vpce-0aa", "vpc-1",
		       "{\"DnsName\": \"vpce-0aa-abcd1234.sts.us-east-1."
		       "vpce.amazonaws.com\"}, {\"DnsName\": \"vpce-0aa-"
		       "zzzz9999-us-east-1a.sts.us-east-1.vpce."
		       "amazonaws.com\"}")),
	    ENI1, "e.json:1: VpcEndpoints[0] (vpce-0aa): ",
	    "has another suffix than 'abcd1234'");
	/* A zonal name where there is no interface. */
	expect_error(
	    EPS(STS_EP(
		"vpce-0aa", "vpc-1",
		STS_DNS("vpce-0aa") ", {\"DnsName\": \"vpce-0aa-"
				    "abcd1234-us-east-1b.sts.us-east-1.vpce."
				    "amazonaws.com\"}")),
	    ENI1, "e.json:1: VpcEndpoints[0] (vpce-0aa): ",
	    "of an Availability Zone without a network interface");
	/* No zonal name where there is one. */
	expect_error(
	    EPS(STS_EP("vpce-0aa", "vpc-1",
		       "{\"DnsName\": \"vpce-0aa-abcd1234.sts.us-east-1."
		       "vpce.amazonaws.com\"}")),
	    ENI1, "e.json:1: VpcEndpoints[0] (vpce-0aa): ",
	    "no zonal name for us-east-1a, where network interface "
	    "eni-1 is");
	/* No regional name. */
	expect_error(
	    EPS(STS_EP("vpce-0aa", "vpc-1",
		       "{\"DnsName\": \"vpce-0aa-abcd1234-us-east-1a.sts."
		       "us-east-1.vpce.amazonaws.com\"}")),
	    ENI1, "e.json:1: VpcEndpoints[0] (vpce-0aa): ", "no regional name");
}
END_TEST

START_TEST(test_err_inbound_only)
{
	expect_error(
	    EPS("{\"VpcEndpointId\": \"vpce-0aa\", \"VpcEndpointType\":"
		" \"Interface\", \"VpcId\": \"vpc-1\", \"ServiceName\":"
		" \"com.amazonaws.us-east-1.s3\", \"PrivateDnsEnabled\""
		": true, \"DnsOptions\": {\"PrivateDnsOnlyForInbound"
		"ResolverEndpoint\": true}, \"NetworkInterfaceIds\": "
		"[\"eni-1\"]}"),
	    ENI1, "e.json:1: VpcEndpoints[0] (vpce-0aa): ",
	    "but vpc-1 has no Gateway endpoint for "
	    "com.amazonaws.us-east-1.s3");
}
END_TEST

static Suite *
import_suite(void)
{
	Suite *s = suite_create("import");
	TCase *tc;

	tc = tcase_create("sample");
	tcase_add_test(tc, test_sample_vpc);
	tcase_add_test(tc, test_sample_secretsmanager);
	tcase_add_test(tc, test_sample_s3);
	tcase_add_test(tc, test_sample_ecr_dualstack);
	tcase_add_test(tc, test_sample_provider);
	tcase_add_test(tc, test_sample_header);
	tcase_add_test(tc, test_sample_deterministic);
	tcase_add_test(tc, test_sample_needs_interfaces);
	tcase_add_test(tc, test_sample_roundtrip);
	suite_add_tcase(s, tc);

	tc = tcase_create("rules");
	tcase_add_test(tc, test_minimal);
	tcase_add_test(tc, test_compact_and_yaml_input);
	tcase_add_test(tc, test_region_from_services);
	tcase_add_test(tc, test_region_from_interfaces);
	tcase_add_test(tc, test_two_vpcs);
	tcase_add_test(tc, test_skipped_states);
	tcase_add_test(tc, test_private_dns_off);
	tcase_add_test(tc, test_catalog_kept);
	tcase_add_test(tc, test_resource_endpoint);
	tcase_add_test(tc, test_quoting);
	tcase_add_test(tc, test_aws_cli_example);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_test(tc, test_err_unreadable);
	tcase_add_test(tc, test_err_deep);
	tcase_add_test(tc, test_err_no_endpoints);
	tcase_add_test(tc, test_err_unknown_type);
	tcase_add_test(tc, test_err_vpc_id);
	tcase_add_test(tc, test_err_fields);
	tcase_add_test(tc, test_err_interfaces);
	tcase_add_test(tc, test_err_two_in_one_az);
	tcase_add_test(tc, test_err_dns_entries);
	tcase_add_test(tc, test_err_inbound_only);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(import_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
