/*
 * resolver/conf/route53.c - read Route 53 record-set JSON.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * See route53.h for the shapes read.  Each record set is checked the way
 * the Route 53 API checks a change (a TTL and values, or an alias target;
 * a SetIdentifier exactly when a routing policy is given; one policy per
 * set), then the sets of the zone are checked together
 * (route53_check_zone()).  Every problem is reported, with the file, the line
 * and the record's index; a file with problems yields no zone.
 */
#include "config.h"

#include "conf/route53.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conf/conf.h"
#include "conf/json.h"
#include "conf/route53_internal.h"
#include "util/err.h"
#include "util/text.h"

#define NAME_MAX_TEXT 1024 /* decoded name and NUL */
#define SET_ID_MAX 128	   /* Route 53's SetIdentifier length */

static const struct {
	const char *name;
	uint16_t type;
} types[] = {
    {"A", 1},	    {"NS", 2},	   {"CNAME", 5}, {"SOA", 6},	{"PTR", 12},
    {"MX", 15},	    {"TXT", 16},   {"AAAA", 28}, {"SRV", 33},	{"NAPTR", 35},
    {"DS", 43},	    {"SSHFP", 44}, {"TLSA", 52}, {"SVCB", 64},	{"HTTPS", 65},
    {"SPF", 99},    {"CAA", 257},
};

uint16_t
route53_type_from_name(const char *name)
{
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcasecmp(name, types[i].name) == 0)
			return types[i].type;
	return 0;
}

const char *
route53_type_name(uint16_t type, char buf[16])
{
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (types[i].type == type)
			return types[i].name;
	snprintf(buf, 16, "TYPE%u", (unsigned)type);
	return buf;
}

const char *
route53_policy_name(enum route53_policy p)
{
	static const char *const names[] = {
	    [ROUTE53_SIMPLE] = "simple",
	    [ROUTE53_WEIGHTED] = "weighted",
	    [ROUTE53_FAILOVER] = "failover",
	    [ROUTE53_MULTIVALUE] = "multivalue",
	    [ROUTE53_LATENCY] = "latency",
	    [ROUTE53_GEO] = "geolocation",
	};
	return names[p];
}

static int
octal_digit(char c)
{
	return c >= '0' && c <= '7' ? c - '0' : -1;
}

bool
route53_decode_name(const char *in, char *out, size_t cap)
{
	size_t o = 0;

	for (const char *p = in; *p != '\0'; p++) {
		int c = (unsigned char)*p;

		/* Route 53 writes characters other than a-z, 0-9, '-' and
		 * '_' as a backslash and three octal digits ("\052"). */
		if (c == '\\') {
			int a = octal_digit(p[1]), b, d;

			if (a < 0 || (b = octal_digit(p[2])) < 0 ||
			    (d = octal_digit(p[3])) < 0)
				return false;
			c = a * 64 + b * 8 + d;
			if (c == 0 || c > 255)
				return false;
			p += 3;
		}
		if (o + 1 >= cap)
			return false;
		out[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	if (o > 1 && out[o - 1] == '.')
		o--;
	out[o] = '\0';
	return o > 0;
}

/* ---- one record set ------------------------------------------------------ */

/* ---- helpers shared with terraform.c (route53_internal.h) ------------- */

/* Where messages about one record set point. */
void
route53_rec_err(struct rec *r, const yaml_node_t *at, const char *fmt, ...)
{
	char msg[400], where[96], tb[16];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (r->list != NULL)
		snprintf(where, sizeof(where), "%s[%zu]", r->list, r->idx);
	else
		snprintf(where, sizeof(where), "%s", r->addr);
	if (r->rs != NULL && r->rs->name != NULL && r->rs->type != 0)
		rc = conf_errors_add(r->errs, r->jd->file,
				     json_line(at ? at : r->node),
				     "%s (%s %s): %s", where, r->rs->name,
				     route53_type_name(r->rs->type, tb), msg);
	else
		rc = conf_errors_add(r->errs, r->jd->file,
				     json_line(at ? at : r->node), "%s: %s",
				     where, msg);
	if (*r->rc != VPC_ENOMEM)
		*r->rc = rc == VPC_OK ? VPC_ECONFIG : VPC_ENOMEM;
}

char *
route53_dup(struct rec *r, const char *s)
{
	char *d = strdup(s);

	if (d == NULL)
		*r->rc = VPC_ENOMEM;
	return d;
}

/* The value of @key, NULL when absent or null; given twice is an error. */
const yaml_node_t *
route53_get(struct rec *r, const yaml_node_t *map, const char *key)
{
	const yaml_node_t *v = json_get(r->jd, map, key);

	if (json_count_key(r->jd, map, key) > 1) {
		route53_rec_err(r, v, "'%s' is given twice", key);
		return NULL;
	}
	return v == NULL || json_is_null(v) ? NULL : v;
}

const char *
route53_get_str(struct rec *r, const yaml_node_t *map, const char *key,
		bool required)
{
	const yaml_node_t *v = route53_get(r, map, key);
	const char *s = json_str(v);

	if (v != NULL && (s == NULL || v->type != YAML_SCALAR_NODE)) {
		route53_rec_err(r, v, "'%s' must be a string", key);
		return NULL;
	}
	if ((s == NULL || *s == '\0') && required) {
		route53_rec_err(r, v, "missing '%s'", key);
		return NULL;
	}
	return s != NULL && *s != '\0' ? s : NULL;
}

/* 1 true, 0 false, -1 absent or wrong (with a message). */
int
route53_get_bool(struct rec *r, const yaml_node_t *map, const char *key)
{
	const yaml_node_t *v = route53_get(r, map, key);
	const char *s = json_str(v);

	if (v == NULL)
		return -1;
	if (s != NULL && strcmp(s, "true") == 0)
		return 1;
	if (s != NULL && strcmp(s, "false") == 0)
		return 0;
	route53_rec_err(r, v, "'%s' must be true or false", key);
	return -1;
}

/* A number in 0..@max; false when absent or wrong (with a message). */
bool
route53_get_uint(struct rec *r, const yaml_node_t *map, const char *key,
		 uint32_t max, uint32_t *out)
{
	const yaml_node_t *v = route53_get(r, map, key);
	const char *s = json_str(v);
	unsigned long long n = 0;

	if (v == NULL)
		return false;
	if (s == NULL || *s == '\0' || strlen(s) > 12)
		goto bad;
	for (const char *p = s; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			goto bad;
		n = n * 10 + (unsigned long long)(*p - '0');
	}
	if (n > max)
		goto bad;
	*out = (uint32_t)n;
	return true;
bad:
	route53_rec_err(r, v, "'%s' must be a whole number from 0 to %u", key,
			(unsigned)max);
	return false;
}

char *
route53_get_name(struct rec *r, const yaml_node_t *map, const char *key)
{
	const char *s = route53_get_str(r, map, key, true);
	char name[NAME_MAX_TEXT];

	if (s == NULL)
		return NULL;
	if (!route53_decode_name(s, name, sizeof(name))) {
		route53_rec_err(r, route53_get(r, map, key),
				"'%s' is not a valid name", key);
		return NULL;
	}
	return route53_dup(r, name);
}

static void
read_values(struct rec *r, const yaml_node_t *list)
{
	struct route53_rrset *rs = r->rs;
	size_t n = json_len(list);

	if (list->type != YAML_SEQUENCE_NODE || n == 0 ||
	    n > ROUTE53_MAX_VALUES) {
		route53_rec_err(r, list,
				"'ResourceRecords' must be a list of 1 to %d "
				"{\"Value\": ...} objects",
				ROUTE53_MAX_VALUES);
		return;
	}
	if ((rs->values = calloc(n, sizeof(*rs->values))) == NULL) {
		*r->rc = VPC_ENOMEM;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const yaml_node_t *item = json_at(r->jd, list, i);
		const char *v = item != NULL && item->type == YAML_MAPPING_NODE
				    ? route53_get_str(r, item, "Value", true)
				    : NULL;

		if (v == NULL) {
			if (item == NULL || item->type != YAML_MAPPING_NODE)
				route53_rec_err(r, item,
						"ResourceRecords[%zu] must be "
						"{\"Value\": ...}",
						i);
			continue;
		}
		if ((rs->values[rs->n_values] = route53_dup(r, v)) != NULL)
			rs->n_values++;
	}
}

static void
read_alias(struct rec *r, const yaml_node_t *at)
{
	struct route53_rrset *rs = r->rs;
	const char *zid;
	int eval;

	if (at->type != YAML_MAPPING_NODE) {
		route53_rec_err(r, at, "'AliasTarget' must be an object");
		return;
	}
	rs->alias = route53_get_name(r, at, "DNSName");
	if ((zid = route53_get_str(r, at, "HostedZoneId", false)) != NULL)
		rs->alias_zone_id = route53_dup(r, zid);
	eval = route53_get_bool(r, at, "EvaluateTargetHealth");
	rs->evaluate_health = eval == 1;
}

static void
read_geo(struct rec *r, const yaml_node_t *at)
{
	struct route53_rrset *rs = r->rs;
	const char *s;

	if (at->type != YAML_MAPPING_NODE) {
		route53_rec_err(r, at, "'GeoLocation' must be an object");
		return;
	}
	if ((s = route53_get_str(r, at, "ContinentCode", false)) != NULL)
		rs->continent = route53_dup(r, s);
	if ((s = route53_get_str(r, at, "CountryCode", false)) != NULL)
		rs->country = route53_dup(r, s);
	if ((s = route53_get_str(r, at, "SubdivisionCode", false)) != NULL)
		rs->subdivision = route53_dup(r, s);
	if (rs->continent == NULL && rs->country == NULL)
		route53_rec_err(r, at,
				"'GeoLocation' needs ContinentCode or "
				"CountryCode (\"*\" for the default)");
	if (rs->continent != NULL && rs->country != NULL)
		route53_rec_err(r, at,
				"'GeoLocation' takes ContinentCode or "
				"CountryCode, not both");
	if (rs->subdivision != NULL &&
	    (rs->country == NULL || strcmp(rs->country, "US") != 0))
		route53_rec_err(r, at,
				"'SubdivisionCode' needs CountryCode \"US\"");
}

/* Route 53: exactly one routing policy, and a SetIdentifier with it. */
static void
read_policy(struct rec *r, const yaml_node_t *map)
{
	struct route53_rrset *rs = r->rs;
	const yaml_node_t *v;
	const char *s;
	unsigned n = 0;

	if (route53_get_uint(r, map, "Weight", ROUTE53_WEIGHT_MAX,
			     &rs->weight)) {
		rs->policy = ROUTE53_WEIGHTED;
		n++;
	}
	if ((s = route53_get_str(r, map, "Failover", false)) != NULL) {
		rs->policy = ROUTE53_FAILOVER;
		n++;
		rs->primary = strcmp(s, "PRIMARY") == 0;
		if (!rs->primary && strcmp(s, "SECONDARY") != 0)
			route53_rec_err(
			    r, route53_get(r, map, "Failover"),
			    "'Failover' must be PRIMARY or SECONDARY");
	}
	if (route53_get_bool(r, map, "MultiValueAnswer") == 1) {
		rs->policy = ROUTE53_MULTIVALUE;
		n++;
	}
	if ((s = route53_get_str(r, map, "Region", false)) != NULL) {
		rs->policy = ROUTE53_LATENCY;
		rs->region = route53_dup(r, s);
		n++;
	}
	if ((v = route53_get(r, map, "GeoLocation")) != NULL) {
		rs->policy = ROUTE53_GEO;
		read_geo(r, v);
		n++;
	}
	if (n > 1)
		route53_rec_err(r, NULL, "more than one routing policy");
	if (n > 0 && rs->set_id == NULL)
		route53_rec_err(r, NULL,
				"a %s record set needs a SetIdentifier",
				route53_policy_name(rs->policy));
	if (n == 0 && rs->set_id != NULL)
		route53_rec_err(
		    r, route53_get(r, map, "SetIdentifier"),
		    "'SetIdentifier' without a routing policy (Weight, "
		    "Failover, MultiValueAnswer, Region or GeoLocation)");
	if (rs->policy == ROUTE53_MULTIVALUE && rs->alias != NULL)
		route53_rec_err(r, NULL,
				"a multivalue answer record set cannot be an "
				"alias");
}

static const char *const known_keys[] = {
    "Name",	     "Type",	      "TTL",	     "ResourceRecords",
    "AliasTarget",   "SetIdentifier", "Weight",	     "Failover",
    "MultiValueAnswer", "Region",     "GeoLocation", "HealthCheckId",
};

static void
check_keys(struct rec *r, const yaml_node_t *map)
{
	const yaml_node_pair_t *p;

	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		const yaml_node_t *k = json_node(r->jd, p->key);
		const char *name = json_str(k);
		size_t i;

		for (i = 0; name != NULL &&
			    i < sizeof(known_keys) / sizeof(known_keys[0]);
		     i++)
			if (strcmp(name, known_keys[i]) == 0)
				break;
		if (name == NULL ||
		    i == sizeof(known_keys) / sizeof(known_keys[0]))
			route53_rec_err(r, k, "'%s' is not supported",
					name ? name : "?");
	}
}

static void
read_body(struct rec *r, const yaml_node_t *map)
{
	struct route53_rrset *rs = r->rs;
	const yaml_node_t *v;
	const char *s;

	if ((s = route53_get_str(r, map, "SetIdentifier", false)) != NULL) {
		if (strlen(s) > SET_ID_MAX)
			route53_rec_err(
			    r, route53_get(r, map, "SetIdentifier"),
			    "'SetIdentifier' is longer than %d characters",
			    SET_ID_MAX);
		rs->set_id = route53_dup(r, s);
	}
	if ((v = route53_get(r, map, "AliasTarget")) != NULL)
		read_alias(r, v);
	v = route53_get(r, map, "ResourceRecords");
	if (rs->alias != NULL && v != NULL)
		route53_rec_err(r, v,
				"an alias record set has no ResourceRecords");
	else if (v != NULL)
		read_values(r, v);
	else if (rs->alias == NULL &&
		 route53_get(r, map, "AliasTarget") == NULL)
		route53_rec_err(r, NULL,
				"needs ResourceRecords or an AliasTarget");
	if (route53_get(r, map, "TTL") != NULL && rs->alias != NULL)
		route53_rec_err(
		    r, route53_get(r, map, "TTL"),
		    "an alias record set has no TTL (it answers with the "
		    "target's)");
	else if (rs->alias == NULL && v != NULL &&
		 !route53_get_uint(r, map, "TTL", INT32_MAX, &rs->ttl) &&
		 route53_get(r, map, "TTL") == NULL)
		route53_rec_err(r, NULL, "missing 'TTL'");
	if ((s = route53_get_str(r, map, "HealthCheckId", false)) != NULL)
		rs->health_check = route53_dup(r, s);
	read_policy(r, map);
}

/* Reads the ResourceRecordSet @map into @rs. */
static void
read_rrset(struct rec *r, const yaml_node_t *map)
{
	struct route53_rrset *rs = r->rs;
	const char *type;
	char where[64];

	rs->line = json_line(map);
	snprintf(where, sizeof(where), "%s[%zu]", r->list, r->idx);
	rs->where = route53_dup(r, where);
	if (map == NULL || map->type != YAML_MAPPING_NODE) {
		route53_rec_err(r, map, "must be an object");
		return;
	}
	check_keys(r, map);
	rs->name = route53_get_name(r, map, "Name");
	if ((type = route53_get_str(r, map, "Type", true)) != NULL &&
	    (rs->type = route53_type_from_name(type)) == 0)
		route53_rec_err(r, route53_get(r, map, "Type"),
				"'Type' %s is not a type Route 53 serves",
				type);
	if (rs->name == NULL || rs->type == 0)
		return;
	read_body(r, map);
}

void
route53_rrset_cleanup(struct route53_rrset *rs)
{
	for (size_t i = 0; i < rs->n_values; i++)
		free(rs->values[i]);
	free(rs->values);
	free(rs->name);
	free(rs->alias);
	free(rs->alias_zone_id);
	free(rs->set_id);
	free(rs->region);
	free(rs->continent);
	free(rs->country);
	free(rs->subdivision);
	free(rs->health_check);
	free(rs->where);
	memset(rs, 0, sizeof(*rs));
}

void
route53_zones_free(struct route53_zones *zs)
{
	for (size_t i = 0; i < zs->n; i++) {
		struct route53_zone *z = &zs->zones[i];

		for (size_t j = 0; j < z->n_sets; j++)
			route53_rrset_cleanup(&z->sets[j]);
		free(z->sets);
		for (size_t j = 0; j < z->n_vpcs; j++)
			free(z->vpcs[j]);
		free(z->vpcs);
		free(z->name);
		free(z->zone_id);
		free(z->where);
	}
	free(zs->zones);
	zs->zones = NULL;
	zs->n = 0;
}

/* ---- checks across record sets ------------------------------------------- */

static int
cmp_sets(const void *pa, const void *pb)
{
	const struct route53_rrset *a =
	    *(const struct route53_rrset *const *)pa;
	const struct route53_rrset *b =
	    *(const struct route53_rrset *const *)pb;
	int c = strcmp(a->name, b->name);

	if (c != 0)
		return c;
	return a->type == b->type ? 0 : (a->type < b->type ? -1 : 1);
}

static int
pair_err(struct conf_errors *errs, const char *file,
	 const struct route53_rrset *a, const struct route53_rrset *b,
	 const char *msg)
{
	char tb[16];

	return conf_errors_add(errs, file, a->line, "%s (%s %s): %s (%s)",
			       a->where, a->name,
			       route53_type_name(a->type, tb), msg,
			       b->where) == VPC_OK
		   ? VPC_ECONFIG
		   : VPC_ENOMEM;
}

static int
check_pair(const struct route53_rrset *a, const struct route53_rrset *b,
	   const char *file, struct conf_errors *errs)
{
	if (strcmp(a->name, b->name) != 0)
		return VPC_OK;
	if (a->type != b->type) {
		if (a->type == 5 || b->type == 5)
			return pair_err(errs, file, b->type == 5 ? b : a,
					b->type == 5 ? a : b,
					"a CNAME cannot share its name with "
					"other records (RFC 2181 §10.1)");
		return VPC_OK;
	}
	if (a->set_id == NULL || b->set_id == NULL)
		return pair_err(errs, file, b, a,
				a->set_id == NULL && b->set_id == NULL
					? "the same name and type twice"
					: "a simple record set beside record "
					  "sets with a routing policy");
	if (a->policy != b->policy)
		return pair_err(errs, file, b, a,
				"record sets of one name and type must share "
				"a routing policy");
	if (strcmp(a->set_id, b->set_id) == 0)
		return pair_err(errs, file, b, a, "duplicate SetIdentifier");
	return VPC_OK;
}

int
route53_check_zone(const struct route53_zone *z, const char *file,
		   struct conf_errors *errs)
{
	const struct route53_rrset **v = malloc((z->n_sets + 1) * sizeof(*v));
	int rc = VPC_OK;

	if (v == NULL)
		return VPC_ENOMEM;
	for (size_t i = 0; i < z->n_sets; i++)
		v[i] = &z->sets[i];
	qsort(v, z->n_sets, sizeof(*v), cmp_sets);
	/* Sorted by name then type: every clash is between neighbours of
	 * one name, so compare each set with the rest of its name. */
	for (size_t i = 0; i < z->n_sets && rc != VPC_ENOMEM; i++)
		for (size_t j = i + 1; j < z->n_sets &&
				       strcmp(v[i]->name, v[j]->name) == 0 &&
				       rc != VPC_ENOMEM;
		     j++) {
			int r = check_pair(v[i], v[j], file, errs);

			if (r != VPC_OK)
				rc = r;
			/* One message per pair of types is enough. */
			if (r != VPC_OK && v[i]->type != v[j]->type)
				break;
		}
	free(v);
	return rc;
}

/* ---- the file ------------------------------------------------------------ */

static int
read_list(struct json_doc *jd, const yaml_node_t *list, bool changes,
	  struct route53_zone *z, struct conf_errors *errs)
{
	size_t n = json_len(list);
	int rc = VPC_OK;

	if ((z->sets = calloc(n + 1, sizeof(*z->sets))) == NULL)
		return VPC_ENOMEM;
	for (size_t i = 0; i < n && rc != VPC_ENOMEM; i++) {
		struct rec r = {.jd = jd, .errs = errs, .idx = i, .rc = &rc,
				.rs = &z->sets[z->n_sets],
				.list = changes ? "Changes" : "ResourceRecordSets",
				.node = json_at(jd, list, i)};
		const yaml_node_t *set = r.node;

		if (changes && r.node != NULL &&
		    r.node->type == YAML_MAPPING_NODE) {
			const char *act =
			    route53_get_str(&r, r.node, "Action", true);

			if (act != NULL && strcmp(act, "CREATE") != 0 &&
			    strcmp(act, "UPSERT") != 0)
				route53_rec_err(
				    &r, route53_get(&r, r.node, "Action"),
				    "'Action' %s: only CREATE and UPSERT "
				    "describe records to serve",
				    act);
			set = route53_get(&r, r.node, "ResourceRecordSet");
			if (set == NULL) {
				route53_rec_err(&r, NULL,
						"missing 'ResourceRecordSet'");
				continue;
			}
		}
		read_rrset(&r, set);
		z->n_sets++;
	}
	return rc;
}

int
route53_parse(const char *text, size_t len, const char *file,
	      struct route53_zones *out, struct conf_errors *errs)
{
	struct json_doc jd = {.file = file};
	const yaml_node_t *root, *list;
	struct route53_zone *z;
	bool changes = false;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = json_doc_load(&jd, text, len, errs)) != VPC_OK)
		return rc;
	root = json_root(&jd);
	if ((list = json_get(&jd, root, "ResourceRecordSets")) == NULL) {
		list = json_get(&jd, root, "Changes");
		changes = list != NULL;
	}
	if (list == NULL || list->type != YAML_SEQUENCE_NODE) {
		rc = conf_errors_add(errs, file, json_line(list ? list : root),
				     "%s (expected the output of `aws route53 "
				     "list-resource-record-sets` or a change "
				     "batch)",
				     list ? "not a list"
					  : "no 'ResourceRecordSets' or "
					    "'Changes' list") == VPC_OK
			 ? VPC_ECONFIG
			 : VPC_ENOMEM;
		json_doc_cleanup(&jd);
		return rc;
	}
	if ((out->zones = z = calloc(1, sizeof(*z))) == NULL) {
		json_doc_cleanup(&jd);
		return VPC_ENOMEM;
	}
	out->n = 1;
	z->line = json_line(root);
	rc = read_list(&jd, list, changes, z, errs);
	if (rc == VPC_OK)
		rc = route53_check_zone(z, file, errs);
	json_doc_cleanup(&jd);
	if (rc != VPC_OK)
		route53_zones_free(out);
	return rc;
}

/* The first significant byte and, for an object, its first key. */
enum conf_zone_format
route53_detect(const char *text, size_t len)
{
	size_t i = 0;

	while (i < len && strchr(" \t\r\n", text[i]) != NULL)
		i++;
	if (i == len || (text[i] != '{' && text[i] != '['))
		return CONF_ZONE_FILE;
	/* A zone file never starts with '{'; JSON is told apart by the keys
	 * of its top level, looked for as quoted strings. */
	for (size_t j = i; j < len; j++) {
		static const char *const r53[] = {"\"ResourceRecordSets\"",
						  "\"Changes\""};
		static const char *const tf[] = {"\"terraform_version\"",
						 "\"resources\"", "\"values\""};

		for (size_t k = 0; k < 2; k++)
			if (len - j >= strlen(r53[k]) &&
			    memcmp(text + j, r53[k], strlen(r53[k])) == 0)
				return CONF_ZONE_ROUTE53;
		for (size_t k = 0; k < 3; k++)
			if (len - j >= strlen(tf[k]) &&
			    memcmp(text + j, tf[k], strlen(tf[k])) == 0)
				return CONF_ZONE_TERRAFORM;
	}
	return CONF_ZONE_ROUTE53; /* JSON of another shape: say why */
}
