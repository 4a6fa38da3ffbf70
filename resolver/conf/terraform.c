/*
 * resolver/conf/terraform.c - Route 53 zones and records from Terraform JSON.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * See terraform.h.  The resources of either form are first collected as
 * (address, type, attributes) with the module tree walked iteratively;
 * zones are read, then records, each record joined to the zone of its
 * zone_id.  Attribute names and shapes are those of the AWS provider
 * (v4 and v5): unset strings are "" and unset blocks [] in a state, so
 * both count as absent.
 */
#include "config.h"

#include "conf/terraform.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "conf/json.h"
#include "conf/route53.h"
#include "conf/route53_internal.h"
#include "util/err.h"

#define ADDR_MAX 256   /* bytes of a resource address */
#define MODULES_MAX 256 /* child modules walked in show -json output */

/* One resource instance of interest. */
struct tf_res {
	char addr[ADDR_MAX];	  /* "module.dns.aws_route53_record.www[0]" */
	bool zone;		  /* aws_route53_zone, else a record */
	const yaml_node_t *attrs; /* its attributes / values mapping */
};

struct tf {
	struct json_doc jd;
	struct conf_errors *errs;
	int rc;		      /* sticky result */
	struct tf_res *res;   /* owned */
	size_t n_res, cap_res;
	struct route53_zones *out;
};

static void
tf_err(struct tf *t, const yaml_node_t *at, const char *fmt, const char *arg)
{
	int rc = conf_errors_add(t->errs, t->jd.file, json_line(at), fmt, arg);

	if (t->rc != VPC_ENOMEM)
		t->rc = rc == VPC_OK ? VPC_ECONFIG : VPC_ENOMEM;
}

static void
add_res(struct tf *t, const char *addr, const char *type,
	const yaml_node_t *attrs)
{
	bool zone = strcmp(type, "aws_route53_zone") == 0;

	if (!zone && strcmp(type, "aws_route53_record") != 0)
		return;
	if (attrs == NULL || attrs->type != YAML_MAPPING_NODE) {
		tf_err(t, attrs, "%s: no attributes", addr);
		return;
	}
	if (t->n_res == t->cap_res) {
		size_t cap = t->cap_res ? 2 * t->cap_res : 16;
		struct tf_res *r = realloc(t->res, cap * sizeof(*r));

		if (r == NULL) {
			t->rc = VPC_ENOMEM;
			return;
		}
		t->res = r;
		t->cap_res = cap;
	}
	snprintf(t->res[t->n_res].addr, ADDR_MAX, "%s", addr);
	t->res[t->n_res].zone = zone;
	t->res[t->n_res].attrs = attrs;
	t->n_res++;
}

/* terraform show -json: values.root_module{resources, child_modules}. */
static void
collect_show(struct tf *t, const yaml_node_t *root_module)
{
	const yaml_node_t *stack[MODULES_MAX];
	size_t n = 0;

	stack[n++] = root_module;
	while (n > 0) {
		const yaml_node_t *m = stack[--n];
		const yaml_node_t *list = json_get(&t->jd, m, "resources");
		const yaml_node_t *kids = json_get(&t->jd, m, "child_modules");

		for (size_t i = 0; i < json_len(list); i++) {
			const yaml_node_t *r = json_at(&t->jd, list, i);
			const char *addr =
				json_str(json_get(&t->jd, r, "address"));
			const char *type = json_str(json_get(&t->jd, r, "type"));

			if (addr != NULL && type != NULL)
				add_res(t, addr, type,
					json_get(&t->jd, r, "values"));
		}
		for (size_t i = 0; i < json_len(kids); i++) {
			if (n == MODULES_MAX) {
				tf_err(t, kids, "%s", "more than 256 modules");
				return;
			}
			stack[n++] = json_at(&t->jd, kids, i);
		}
	}
}

static void
instance_addr(struct tf *t, const yaml_node_t *r, const yaml_node_t *inst,
	      char out[ADDR_MAX])
{
	const char *module = json_str(json_get(&t->jd, r, "module"));
	const char *mode = json_str(json_get(&t->jd, r, "mode"));
	const char *type = json_str(json_get(&t->jd, r, "type"));
	const char *name = json_str(json_get(&t->jd, r, "name"));
	const yaml_node_t *key = json_get(&t->jd, inst, "index_key");
	const char *k = json_str(key);
	char idx[96] = "";

	if (k != NULL)
		snprintf(idx, sizeof(idx),
			 key->data.scalar.style == YAML_PLAIN_SCALAR_STYLE
				 ? "[%s]"
				 : "[\"%s\"]",
			 k);
	snprintf(out, ADDR_MAX, "%s%s%s%s.%s%s", module ? module : "",
		 module ? "." : "",
		 mode != NULL && strcmp(mode, "data") == 0 ? "data." : "",
		 type ? type : "?", name ? name : "?", idx);
}

/* terraform.tfstate: resources[].instances[].attributes. */
static void
collect_state(struct tf *t, const yaml_node_t *list)
{
	for (size_t i = 0; i < json_len(list); i++) {
		const yaml_node_t *r = json_at(&t->jd, list, i);
		const char *type = json_str(json_get(&t->jd, r, "type"));
		const yaml_node_t *insts = json_get(&t->jd, r, "instances");

		if (type == NULL)
			continue;
		for (size_t j = 0; j < json_len(insts); j++) {
			const yaml_node_t *inst = json_at(&t->jd, insts, j);
			char addr[ADDR_MAX];

			instance_addr(t, r, inst, addr);
			add_res(t, addr, type,
				json_get(&t->jd, inst, "attributes"));
		}
	}
}

/* ---- zones --------------------------------------------------------------- */

static struct route53_zone *
new_zone(struct tf *t)
{
	struct route53_zones *o = t->out;
	struct route53_zone *z = realloc(o->zones, (o->n + 1) * sizeof(*z));

	if (z == NULL) {
		t->rc = VPC_ENOMEM;
		return NULL;
	}
	o->zones = z;
	z += o->n++;
	memset(z, 0, sizeof(*z));
	return z;
}

static void
read_vpcs(struct rec *r, struct route53_zone *z, const yaml_node_t *list)
{
	size_t n = json_len(list);

	if (n == 0 || (z->vpcs = calloc(n, sizeof(*z->vpcs))) == NULL) {
		if (n > 0)
			*r->rc = VPC_ENOMEM;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const char *id = route53_get_str(r, json_at(r->jd, list, i),
						 "vpc_id", false);

		if (id != NULL && (z->vpcs[z->n_vpcs] = route53_dup(r, id)))
			z->n_vpcs++;
	}
}

static void
read_zone(struct tf *t, const struct tf_res *res)
{
	struct rec r = {.jd = &t->jd, .errs = t->errs, .addr = res->addr,
			.node = res->attrs, .rc = &t->rc};
	struct route53_zone *z;
	const char *id;

	if ((z = new_zone(t)) == NULL)
		return;
	z->line = json_line(res->attrs);
	z->where = route53_dup(&r, res->addr);
	z->name = route53_get_name(&r, res->attrs, "name");
	id = route53_get_str(&r, res->attrs, "zone_id", false);
	if (id == NULL)
		id = route53_get_str(&r, res->attrs, "id", false);
	if (id != NULL)
		z->zone_id = route53_dup(&r, id);
	read_vpcs(&r, z, route53_get(&r, res->attrs, "vpc"));
}

static struct route53_zone *
zone_of(struct tf *t, const char *zone_id)
{
	struct route53_zone *z;

	for (size_t i = 0; i < t->out->n; i++) {
		z = &t->out->zones[i];
		if (z->zone_id != NULL && strcmp(z->zone_id, zone_id) == 0)
			return z;
	}
	/* A zone managed elsewhere: its name comes from the hosted-zones
	 * entry that lists the file. */
	if ((z = new_zone(t)) != NULL && (z->zone_id = strdup(zone_id)) == NULL)
		t->rc = VPC_ENOMEM;
	return z;
}

/* ---- records ------------------------------------------------------------- */

/* The first object of a block list (Terraform nests blocks as lists). */
static const yaml_node_t *
block(struct rec *r, const char *key)
{
	const yaml_node_t *v = route53_get(r, r->node, key);

	if (v == NULL || json_len(v) == 0)
		return NULL;
	if (v->type != YAML_SEQUENCE_NODE || json_len(v) > 1) {
		route53_rec_err(r, v, "'%s' must be a list of one block", key);
		return NULL;
	}
	return json_at(r->jd, v, 0);
}

/* The AWS provider writes a TXT or SPF value without the quotes Route 53
 * keeps; an unquoted value is one character-string. */
static char *
record_value(struct rec *r, const char *v)
{
	size_t n = strlen(v), o = 0;
	char *q;

	if ((r->rs->type != 16 && r->rs->type != 99) || v[0] == '"')
		return route53_dup(r, v);
	if ((q = malloc(2 * n + 3)) == NULL) {
		*r->rc = VPC_ENOMEM;
		return NULL;
	}
	q[o++] = '"';
	for (size_t i = 0; i < n; i++) {
		if (v[i] == '"' || v[i] == '\\')
			q[o++] = '\\';
		q[o++] = v[i];
	}
	q[o++] = '"';
	q[o] = '\0';
	return q;
}

static void
read_records(struct rec *r)
{
	const yaml_node_t *list = route53_get(r, r->node, "records");
	struct route53_rrset *rs = r->rs;
	size_t n = json_len(list);

	if (list == NULL || n == 0)
		return;
	if (list->type != YAML_SEQUENCE_NODE) {
		route53_rec_err(r, list, "'records' must be a list of strings");
		return;
	}
	if ((rs->values = calloc(n, sizeof(*rs->values))) == NULL) {
		*r->rc = VPC_ENOMEM;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const char *v = json_str(json_at(r->jd, list, i));

		if (v == NULL || *v == '\0')
			route53_rec_err(r, json_at(r->jd, list, i),
					"records[%zu] must be a string", i);
		else if ((rs->values[rs->n_values] = record_value(r, v)))
			rs->n_values++;
	}
}

static void
read_alias(struct rec *r)
{
	const yaml_node_t *a = block(r, "alias");
	const char *zid;

	if (a == NULL)
		return;
	r->rs->alias = route53_get_name(r, a, "name");
	if ((zid = route53_get_str(r, a, "zone_id", false)) != NULL)
		r->rs->alias_zone_id = route53_dup(r, zid);
	r->rs->evaluate_health =
	    route53_get_bool(r, a, "evaluate_target_health") == 1;
}

static unsigned
read_geo(struct rec *r)
{
	const yaml_node_t *g = block(r, "geolocation_routing_policy");
	struct route53_rrset *rs = r->rs;
	const char *s;

	if (g == NULL)
		return 0;
	rs->policy = ROUTE53_GEO;
	if ((s = route53_get_str(r, g, "continent", false)) != NULL)
		rs->continent = route53_dup(r, s);
	if ((s = route53_get_str(r, g, "country", false)) != NULL)
		rs->country = route53_dup(r, s);
	if ((s = route53_get_str(r, g, "subdivision", false)) != NULL)
		rs->subdivision = route53_dup(r, s);
	if (rs->continent == NULL && rs->country == NULL)
		route53_rec_err(r, g,
				"geolocation_routing_policy needs continent "
				"or country (\"*\" for the default)");
	return 1;
}

/* The routing-policy blocks; returns how many were given. */
static unsigned
read_policy(struct rec *r)
{
	struct route53_rrset *rs = r->rs;
	const yaml_node_t *b;
	const char *s;
	unsigned n = read_geo(r);

	if ((b = block(r, "weighted_routing_policy")) != NULL) {
		rs->policy = ROUTE53_WEIGHTED;
		if (!route53_get_uint(r, b, "weight", ROUTE53_WEIGHT_MAX,
				      &rs->weight))
			route53_rec_err(r, b,
					"weighted_routing_policy needs a "
					"weight");
		n++;
	}
	if ((b = block(r, "failover_routing_policy")) != NULL) {
		rs->policy = ROUTE53_FAILOVER;
		s = route53_get_str(r, b, "type", true);
		rs->primary = s != NULL && strcmp(s, "PRIMARY") == 0;
		if (s != NULL && !rs->primary && strcmp(s, "SECONDARY") != 0)
			route53_rec_err(r, b,
					"failover type must be PRIMARY or "
					"SECONDARY");
		n++;
	}
	if ((b = block(r, "latency_routing_policy")) != NULL) {
		rs->policy = ROUTE53_LATENCY;
		if ((s = route53_get_str(r, b, "region", true)) != NULL)
			rs->region = route53_dup(r, s);
		n++;
	}
	if (route53_get_bool(r, r->node, "multivalue_answer_routing_policy") ==
	    1) {
		rs->policy = ROUTE53_MULTIVALUE;
		n++;
	}
	if (block(r, "cidr_routing_policy") != NULL ||
	    block(r, "geoproximity_routing_policy") != NULL)
		route53_rec_err(r, NULL,
				"CIDR and geoproximity routing are not "
				"supported");
	return n;
}

static void
check_record(struct rec *r, unsigned n_policies)
{
	struct route53_rrset *rs = r->rs;

	if (n_policies > 1)
		route53_rec_err(r, NULL, "more than one routing policy");
	if (n_policies > 0 && rs->set_id == NULL)
		route53_rec_err(r, NULL, "a %s record needs a set_identifier",
				route53_policy_name(rs->policy));
	if (n_policies == 0 && rs->set_id != NULL)
		route53_rec_err(r, NULL,
				"set_identifier without a routing policy");
	if (rs->alias != NULL && rs->n_values > 0)
		route53_rec_err(r, NULL, "an alias record has no records");
	if (rs->alias == NULL && rs->n_values == 0)
		route53_rec_err(r, NULL, "needs records or an alias block");
	if (rs->alias != NULL && rs->policy == ROUTE53_MULTIVALUE)
		route53_rec_err(r, NULL,
				"a multivalue answer record cannot be an "
				"alias");
}

static void
read_fields(struct rec *r)
{
	struct route53_rrset *rs = r->rs;
	const char *s;
	uint32_t ttl;

	read_records(r);
	read_alias(r);
	if (rs->alias == NULL && route53_get(r, r->node, "ttl") != NULL &&
	    route53_get_uint(r, r->node, "ttl", INT32_MAX, &ttl))
		rs->ttl = ttl;
	else if (rs->alias == NULL && rs->n_values > 0)
		route53_rec_err(r, NULL, "missing 'ttl'");
	if ((s = route53_get_str(r, r->node, "set_identifier", false)) != NULL)
		rs->set_id = route53_dup(r, s);
	if ((s = route53_get_str(r, r->node, "health_check_id", false)) != NULL)
		rs->health_check = route53_dup(r, s);
	check_record(r, read_policy(r));
}

/* A name relative to the zone (as written in a configuration) gets the
 * zone's name appended. */
static void
absolute_name(struct rec *r, const struct route53_zone *z)
{
	size_t n, zn;
	char *full;

	if (z->name == NULL || r->rs->name == NULL)
		return;
	n = strlen(r->rs->name);
	zn = strlen(z->name);
	if (strcmp(r->rs->name, z->name) == 0 ||
	    (n > zn && r->rs->name[n - zn - 1] == '.' &&
	     strcmp(r->rs->name + n - zn, z->name) == 0))
		return;
	if ((full = malloc(n + zn + 2)) == NULL) {
		*r->rc = VPC_ENOMEM;
		return;
	}
	snprintf(full, n + zn + 2, "%s.%s", r->rs->name, z->name);
	free(r->rs->name);
	r->rs->name = full;
}

static void
read_record(struct tf *t, const struct tf_res *res)
{
	struct route53_rrset rs = {0};
	struct rec r = {.jd = &t->jd, .errs = t->errs, .addr = res->addr,
			.node = res->attrs, .rs = &rs, .rc = &t->rc};
	const char *type, *zid;
	struct route53_zone *z;

	rs.line = json_line(res->attrs);
	rs.where = route53_dup(&r, res->addr);
	if (json_str(json_get(&t->jd, res->attrs, "fqdn")) != NULL &&
	    *json_str(json_get(&t->jd, res->attrs, "fqdn")) != '\0')
		rs.name = route53_get_name(&r, res->attrs, "fqdn");
	else
		rs.name = route53_get_name(&r, res->attrs, "name");
	if ((type = route53_get_str(&r, res->attrs, "type", true)) != NULL &&
	    (rs.type = route53_type_from_name(type)) == 0)
		route53_rec_err(&r, NULL,
				"type %s is not a type Route 53 serves", type);
	zid = route53_get_str(&r, res->attrs, "zone_id", true);
	if (rs.name == NULL || rs.type == 0 || zid == NULL ||
	    (read_fields(&r), (z = zone_of(t, zid)) == NULL)) {
		route53_rrset_cleanup(&rs);
		return;
	}
	absolute_name(&r, z);
	if ((z->sets = realloc(z->sets, (z->n_sets + 1) * sizeof(rs))) ==
	    NULL) {
		t->rc = VPC_ENOMEM;
		route53_rrset_cleanup(&rs);
		return;
	}
	z->sets[z->n_sets++] = rs;
}

static void
collect(struct tf *t)
{
	const yaml_node_t *root = json_root(&t->jd);
	const yaml_node_t *values = json_get(&t->jd, root, "values");
	const yaml_node_t *state = json_get(&t->jd, root, "resources");

	if (values != NULL)
		collect_show(t, json_get(&t->jd, values, "root_module"));
	else if (state != NULL && state->type == YAML_SEQUENCE_NODE)
		collect_state(t, state);
	else
		tf_err(t, root, "%s",
		       "no 'values' or 'resources' (expected the output of "
		       "`terraform show -json` or a terraform.tfstate)");
}

int
terraform_parse(const char *text, size_t len, const char *file,
		struct route53_zones *out, struct conf_errors *errs)
{
	struct tf t = {.jd = {.file = file}, .errs = errs, .out = out};

	memset(out, 0, sizeof(*out));
	if ((t.rc = json_doc_load(&t.jd, text, len, errs)) != VPC_OK)
		return t.rc;
	collect(&t);
	for (size_t i = 0; i < t.n_res && t.rc != VPC_ENOMEM; i++)
		if (t.res[i].zone)
			read_zone(&t, &t.res[i]);
	for (size_t i = 0; i < t.n_res && t.rc != VPC_ENOMEM; i++)
		if (!t.res[i].zone)
			read_record(&t, &t.res[i]);
	for (size_t i = 0; i < out->n && t.rc == VPC_OK; i++)
		t.rc = route53_check_zone(&out->zones[i], file, errs);
	if (t.rc == VPC_OK && out->n == 0)
		tf_err(&t, json_root(&t.jd), "%s",
		       "no aws_route53_zone or aws_route53_record resources");
	free(t.res);
	json_doc_cleanup(&t.jd);
	if (t.rc != VPC_OK)
		route53_zones_free(out);
	return t.rc;
}
