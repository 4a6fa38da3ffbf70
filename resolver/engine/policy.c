/*
 * resolver/engine/policy.c - Route 53 routing policies and the zones
 * built from Route 53 record sets.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * See policy.h.  Where Route 53's choice depends on things a local
 * resolver does not have, the rules are (docs/route53.md):
 * - latency: the record set of the VPC's Region; without one, the first
 *   healthy set whose Region shares the VPC Region's geography ("us-",
 *   "eu-", ...), else the first healthy set in file order;
 * - geolocation: the VPC Region's location (its country, and US state
 *   for the US Regions) matched subdivision, country, continent, then the
 *   default ("*"), as Route 53 does for private hosted zones;
 * - when every candidate is unhealthy, all count as healthy (Route 53).
 * Record values are turned into RDATA by ldns from their presentation
 * form, so every type Route 53 serves parses as a zone file would.
 */
#include "config.h"

#include "engine/policy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ldns/ldns.h>

#include "conf/conf.h"
#include "util/err.h"

/* ---- lookup -------------------------------------------------------------- */

static int
cmp_key(const uint8_t *an, size_t al, uint16_t at, const uint8_t *bn,
	size_t bl, uint16_t bt)
{
	int c = memcmp(an, bn, al < bl ? al : bl);

	if (c != 0)
		return c;
	if (al != bl)
		return al < bl ? -1 : 1;
	return at == bt ? 0 : (at < bt ? -1 : 1);
}

static int
cmp_sets(const void *pa, const void *pb)
{
	const struct policy_set *a = pa, *b = pb;

	return cmp_key(a->name, a->name_len, a->type, b->name, b->name_len,
		       b->type);
}

const struct policy_set *
policy_find(const struct policy_table *t, const uint8_t *lname, size_t len,
	    uint16_t type)
{
	size_t lo = 0, hi;

	if (t == NULL)
		return NULL;
	hi = t->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct policy_set *s = &t->sets[mid];
		int c = cmp_key(lname, len, type, s->name, s->name_len, s->type);

		if (c == 0)
			return s;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

bool
policy_has_name(const struct policy_table *t, const uint8_t *lname,
		size_t len)
{
	for (size_t i = 0; t != NULL && i < t->n; i++)
		if (t->sets[i].name_len == len &&
		    memcmp(t->sets[i].name, lname, len) == 0)
			return true;
	return false;
}

/* ---- health -------------------------------------------------------------- */

bool
policy_healthy(const struct policy_table *t, const struct policy_rr *rr)
{
	if (rr->health == SIZE_MAX || t->health == NULL ||
	    rr->health >= t->health->n)
		return true;
	return t->health->up[rr->health] != 0;
}

size_t
policy_health_index(const struct policy_health *h, const char *id)
{
	for (size_t i = 0; h != NULL && i < h->n; i++)
		if (strcmp(h->conf->health_checks[i].id, id) == 0)
			return i;
	return SIZE_MAX;
}

int
policy_health_new(const struct conf *cf, struct policy_health **out,
		  struct conf_errors *errs)
{
	struct policy_health *h = calloc(1, sizeof(*h));
	int rc = VPC_OK;

	if (h == NULL || (h->up = calloc(cf->n_health_checks + 1,
					 sizeof(*h->up))) == NULL) {
		free(h);
		return VPC_ENOMEM;
	}
	h->conf = cf;
	h->n = cf->n_health_checks;
	for (size_t i = 0; i < h->n; i++) {
		const struct conf_health_check *hc = &cf->health_checks[i];

		h->up[i] = hc->healthy ? 1 : 0;
		for (size_t j = 0; j < i; j++)
			if (strcmp(cf->health_checks[j].id, hc->id) == 0) {
				conf_errors_at(errs, cf, hc->line,
						"health-checks[%zu]: duplicate "
						"id %s (first on line %u)",
						i, hc->id,
						cf->health_checks[j].line);
				rc = VPC_ECONFIG;
			}
	}
	*out = h;
	return rc;
}

void
policy_health_free(struct policy_health *h)
{
	if (h == NULL)
		return;
	free((void *)h->up);
	free(h);
}

/* ---- the choice ---------------------------------------------------------- */

/* splitmix64: a fresh 64-bit value per draw from the query's bits. */
static uint64_t
draw(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* The candidates to choose from: the healthy ones, or all when none is. */
static size_t
candidates(const struct policy_table *t, const struct policy_set *s,
	   const struct policy_rr **c)
{
	size_t n = 0;

	for (size_t i = 0; i < s->n; i++)
		if (policy_healthy(t, &s->rrs[i]))
			c[n++] = &s->rrs[i];
	if (n > 0)
		return n;
	for (size_t i = 0; i < s->n; i++)
		c[n++] = &s->rrs[i];
	return n;
}

static const struct policy_rr *
choose_weighted(const struct policy_rr **c, size_t n, uint64_t *rnd)
{
	uint64_t total = 0, x;

	for (size_t i = 0; i < n; i++)
		total += c[i]->weight;
	/* Route 53: a weight of 0 answers only when every weight is 0,
	 * and then all are equally likely. */
	if (total == 0)
		return c[draw(rnd) % n];
	x = draw(rnd) % total;
	for (size_t i = 0; i < n; i++) {
		if (x < c[i]->weight)
			return c[i];
		x -= c[i]->weight;
	}
	return c[n - 1];
}

static const struct policy_rr *
choose_failover(const struct policy_table *t, const struct policy_set *s,
		const char **why)
{
	const struct policy_rr *primary = NULL, *secondary = NULL;

	for (size_t i = 0; i < s->n; i++) {
		if (s->rrs[i].primary)
			primary = &s->rrs[i];
		else
			secondary = &s->rrs[i];
	}
	if (primary != NULL && policy_healthy(t, primary)) {
		*why = "failover: primary healthy";
		return primary;
	}
	if (secondary != NULL && policy_healthy(t, secondary)) {
		*why = "failover: primary unhealthy, secondary";
		return secondary;
	}
	*why = "failover: none healthy, primary";
	return primary != NULL ? primary : secondary;
}

static size_t
choose_multivalue(const struct policy_rr **c, size_t n, uint64_t *rnd,
		  const struct policy_rr *picks[POLICY_MAX_PICKS])
{
	/* Fisher-Yates over the candidates, then the first eight. */
	for (size_t i = n; i > 1; i--) {
		size_t j = (size_t)(draw(rnd) % i);
		const struct policy_rr *tmp = c[i - 1];

		c[i - 1] = c[j];
		c[j] = tmp;
	}
	if (n > POLICY_MAX_PICKS)
		n = POLICY_MAX_PICKS;
	memcpy(picks, c, n * sizeof(*c));
	return n;
}

static const struct policy_rr *
choose_latency(const struct policy_rr **c, size_t n, const char *region,
	       const char **why)
{
	*why = "latency: no Region (outside a VPC), first record set";
	if (region == NULL)
		return c[0];
	for (size_t i = 0; i < n; i++)
		if (strcmp(c[i]->region, region) == 0) {
			*why = "latency: the VPC's Region";
			return c[i];
		}
	for (size_t i = 0; i < n; i++)
		if (strncmp(c[i]->region, region, 3) == 0) {
			*why = "latency: a Region of the same geography";
			return c[i];
		}
	*why = "latency: no Region near the VPC's, first record set";
	return c[0];
}

/* Where each Region is, as Route 53 locates a VPC for geolocation. */
static const struct {
	const char *region, *continent, *country, *subdivision;
} region_geo[] = {
    {"us-east-1", "NA", "US", "VA"},   {"us-east-2", "NA", "US", "OH"},
    {"us-west-1", "NA", "US", "CA"},   {"us-west-2", "NA", "US", "OR"},
    {"ca-central-1", "NA", "CA", ""},  {"ca-west-1", "NA", "CA", ""},
    {"mx-central-1", "NA", "MX", ""},  {"sa-east-1", "SA", "BR", ""},
    {"eu-west-1", "EU", "IE", ""},     {"eu-west-2", "EU", "GB", ""},
    {"eu-west-3", "EU", "FR", ""},     {"eu-central-1", "EU", "DE", ""},
    {"eu-central-2", "EU", "CH", ""},  {"eu-north-1", "EU", "SE", ""},
    {"eu-south-1", "EU", "IT", ""},    {"eu-south-2", "EU", "ES", ""},
    {"af-south-1", "AF", "ZA", ""},    {"me-south-1", "AS", "BH", ""},
    {"me-central-1", "AS", "AE", ""},  {"il-central-1", "AS", "IL", ""},
    {"ap-south-1", "AS", "IN", ""},    {"ap-south-2", "AS", "IN", ""},
    {"ap-east-1", "AS", "HK", ""},     {"ap-northeast-1", "AS", "JP", ""},
    {"ap-northeast-2", "AS", "KR", ""}, {"ap-northeast-3", "AS", "JP", ""},
    {"ap-southeast-1", "AS", "SG", ""}, {"ap-southeast-2", "OC", "AU", ""},
    {"ap-southeast-3", "AS", "ID", ""}, {"ap-southeast-4", "OC", "AU", ""},
    {"ap-southeast-5", "AS", "MY", ""}, {"ap-southeast-7", "AS", "TH", ""},
    {"us-gov-east-1", "NA", "US", "OH"}, {"us-gov-west-1", "NA", "US", "OR"},
    {"cn-north-1", "AS", "CN", ""},    {"cn-northwest-1", "AS", "CN", ""},
};

static const struct policy_rr *
geo_level(const struct policy_rr **c, size_t n, int level, const char *cont,
	  const char *country, const char *sub)
{
	for (size_t i = 0; i < n; i++) {
		const struct policy_rr *r = c[i];

		if ((level == 0 && *sub != '\0' &&
		     strcmp(r->subdivision, sub) == 0 &&
		     strcmp(r->country, country) == 0) ||
		    (level == 1 && r->subdivision[0] == '\0' &&
		     strcmp(r->country, country) == 0) ||
		    (level == 2 && r->continent[0] != '\0' &&
		     strcmp(r->continent, cont) == 0) ||
		    (level == 3 && strcmp(r->country, "*") == 0))
			return r;
	}
	return NULL;
}

static const struct policy_rr *
choose_geo(const struct policy_rr **c, size_t n, const char *region,
	   const char **why)
{
	static const char *const whys[] = {
	    "geolocation: the VPC Region's subdivision",
	    "geolocation: the VPC Region's country",
	    "geolocation: the VPC Region's continent",
	    "geolocation: the default location",
	};
	const char *cont = "", *country = "", *sub = "";

	for (size_t i = 0; region != NULL &&
			   i < sizeof(region_geo) / sizeof(region_geo[0]);
	     i++)
		if (strcmp(region_geo[i].region, region) == 0) {
			cont = region_geo[i].continent;
			country = region_geo[i].country;
			sub = region_geo[i].subdivision;
		}
	for (int level = *cont == '\0' ? 3 : 0; level < 4; level++) {
		const struct policy_rr *r =
			geo_level(c, n, level, cont, country, sub);

		if (r != NULL) {
			*why = whys[level];
			return r;
		}
	}
	*why = "geolocation: no record set for the VPC's location";
	return NULL;
}

size_t
policy_choose(const struct policy_table *t, const struct policy_set *s,
	      const struct policy_ctx *ctx,
	      const struct policy_rr *picks[POLICY_MAX_PICKS], const char **why)
{
	const struct policy_rr **c = malloc(s->n * sizeof(*c));
	uint64_t rnd = ctx->random;
	size_t n;

	*why = "simple";
	if (c == NULL || s->n == 0) {
		free(c);
		return 0;
	}
	n = candidates(t, s, c);
	switch (s->rrs[0].policy) {
	case ROUTE53_SIMPLE:
		*why = s->rrs[0].alias_len > 0 ? "alias to its target's records"
					       : "simple";
		picks[0] = &s->rrs[0];
		break;
	case ROUTE53_WEIGHTED:
		*why = "weighted: random by weight";
		picks[0] = choose_weighted(c, n, &rnd);
		break;
	case ROUTE53_FAILOVER:
		picks[0] = choose_failover(t, s, why);
		break;
	case ROUTE53_MULTIVALUE:
		*why = "multivalue: healthy record sets, shuffled";
		n = choose_multivalue(c, n, &rnd, picks);
		free(c);
		return n;
	case ROUTE53_LATENCY:
		picks[0] = choose_latency(c, n, ctx->region, why);
		break;
	case ROUTE53_GEO:
		picks[0] = choose_geo(c, n, ctx->region, why);
		break;
	}
	free(c);
	return picks[0] != NULL ? 1 : 0;
}

/* ---- building a zone from record sets ------------------------------------ */

struct builder {
	const char *file;
	const struct policy_health *health;
	struct zone *zone;
	struct policy_table *table;
	struct conf_errors *errs;
	ldns_buffer *buf;
	int rc;
};

static void
rs_err(struct builder *b, const struct route53_rrset *rs, const char *fmt,
       const char *arg)
{
	char msg[512], tb[16];

	snprintf(msg, sizeof(msg), fmt, arg);
	if (conf_errors_add(b->errs, b->file, rs->line, "%s (%s %s): %s",
			    rs->where, rs->name,
			    route53_type_name(rs->type, tb), msg) != VPC_OK)
		b->rc = VPC_ENOMEM;
	else if (b->rc == VPC_OK)
		b->rc = VPC_ECONFIG;
}

/* One value in presentation form to RDATA in b->buf. */
static bool
value_rdata(struct builder *b, const struct route53_rrset *rs, size_t i)
{
	char tb[16], *line;
	ldns_rr *rr = NULL;
	ldns_status st;
	size_t n = strlen(rs->name) + strlen(rs->values[i]) + 48;

	if ((line = malloc(n)) == NULL) {
		b->rc = VPC_ENOMEM;
		return false;
	}
	snprintf(line, n, "%s. %u IN %s %s", rs->name, (unsigned)rs->ttl,
		 route53_type_name(rs->type, tb), rs->values[i]);
	st = ldns_rr_new_frm_str(&rr, line, 0, NULL, NULL);
	free(line);
	if (st != LDNS_STATUS_OK) {
		char what[300];

		snprintf(what, sizeof(what), "value %zu: %s", i,
			 ldns_get_errorstr_by_id(st));
		rs_err(b, rs, "%s", what);
		return false;
	}
	ldns_buffer_clear(b->buf);
	st = ldns_rr_rdata2buffer_wire(b->buf, rr);
	ldns_rr_free(rr);
	if (st != LDNS_STATUS_OK || ldns_buffer_position(b->buf) > UINT16_MAX) {
		rs_err(b, rs, "%s", "a value does not fit a record");
		return false;
	}
	return true;
}

static void
add_plain(struct builder *b, const struct route53_rrset *rs,
	  const uint8_t *owner, size_t len)
{
	for (size_t i = 0; i < rs->n_values && b->rc != VPC_ENOMEM; i++) {
		int rc;

		if (!value_rdata(b, rs, i))
			continue;
		rc = zone_add_rr(b->zone, owner, len, rs->type, rs->ttl,
				 ldns_buffer_begin(b->buf),
				 (uint16_t)ldns_buffer_position(b->buf));
		if (rc == VPC_ENOMEM)
			b->rc = rc;
		else if (rc == VPC_ECONFIG)
			rs_err(b, rs, "%s",
			       "a CNAME cannot share its name with other "
			       "records (RFC 2181 §10.1)");
	}
}

static int
rrset_append(struct zone_rrset *z, const uint8_t *rdata, size_t len)
{
	uint8_t *grown = realloc(z->rdata, z->len + 2 + len);

	if (grown == NULL)
		return VPC_ENOMEM;
	z->rdata = grown;
	grown[z->len] = (uint8_t)(len >> 8);
	grown[z->len + 1] = (uint8_t)len;
	memcpy(grown + z->len + 2, rdata, len);
	z->len += (uint32_t)(2 + len);
	z->count++;
	return VPC_OK;
}

static struct policy_set *
table_set(struct builder *b, const uint8_t *owner, size_t len, uint16_t type)
{
	struct policy_table *t = b->table;
	struct policy_set *s;

	for (size_t i = 0; i < t->n; i++)
		if (t->sets[i].type == type && t->sets[i].name_len == len &&
		    memcmp(t->sets[i].name, owner, len) == 0)
			return &t->sets[i];
	if ((s = realloc(t->sets, (t->n + 1) * sizeof(*s))) == NULL)
		return NULL;
	t->sets = s;
	s += t->n++;
	memset(s, 0, sizeof(*s));
	memcpy(s->name, owner, len);
	s->name_len = len;
	s->type = type;
	return s;
}

static void
fill_rr(struct builder *b, const struct route53_rrset *rs, struct policy_rr *rr)
{
	char origin[600], tb[16];

	rr->policy = rs->policy;
	rr->weight = rs->weight;
	rr->primary = rs->primary;
	rr->evaluate_health = rs->evaluate_health;
	rr->health = SIZE_MAX;
	snprintf(rr->region, sizeof(rr->region), "%s", rs->region ? rs->region : "");
	snprintf(rr->continent, sizeof(rr->continent), "%s",
		 rs->continent ? rs->continent : "");
	snprintf(rr->country, sizeof(rr->country), "%s",
		 rs->country ? rs->country : "");
	snprintf(rr->subdivision, sizeof(rr->subdivision), "%s",
		 rs->subdivision ? rs->subdivision : "");
	rr->rrset.type = rs->type;
	rr->rrset.ttl = rs->ttl;
	snprintf(origin, sizeof(origin), "%s:%u: %s (%s %s)", b->file, rs->line,
		 rs->where, rs->name, route53_type_name(rs->type, tb));
	if ((rr->origin = strdup(origin)) == NULL ||
	    (rs->set_id != NULL && (rr->set_id = strdup(rs->set_id)) == NULL) ||
	    (rs->alias_zone_id != NULL &&
	     (rr->alias_zone_id = strdup(rs->alias_zone_id)) == NULL))
		b->rc = VPC_ENOMEM;
	if (rs->health_check != NULL &&
	    (rr->health = policy_health_index(b->health, rs->health_check)) ==
		    SIZE_MAX)
		rs_err(b, rs, "HealthCheckId %s is not in health-checks:",
		       rs->health_check);
}

static void
add_policy(struct builder *b, const struct route53_rrset *rs,
	   const uint8_t *owner, size_t len)
{
	struct policy_set *s = table_set(b, owner, len, rs->type);
	struct policy_rr *rr;

	if (s == NULL || (rr = realloc(s->rrs, (s->n + 1) * sizeof(*rr))) ==
			     NULL) {
		b->rc = VPC_ENOMEM;
		return;
	}
	s->rrs = rr;
	rr += s->n++;
	memset(rr, 0, sizeof(*rr));
	fill_rr(b, rs, rr);
	if (rs->alias != NULL &&
	    (rr->alias_len = wire_name_from_text(rs->alias, rr->alias)) == 0)
		rs_err(b, rs, "alias target %s is not a valid name", rs->alias);
	for (size_t i = 0; i < rs->n_values && b->rc != VPC_ENOMEM; i++)
		if (value_rdata(b, rs, i) &&
		    rrset_append(&rr->rrset, ldns_buffer_begin(b->buf),
				 ldns_buffer_position(b->buf)) != VPC_OK)
			b->rc = VPC_ENOMEM;
	if (zone_add_name(b->zone, owner, len) == VPC_ENOMEM)
		b->rc = VPC_ENOMEM;
}

static void
add_set(struct builder *b, const struct route53_rrset *rs)
{
	uint8_t owner[WIRE_MAX_NAME_LEN];
	size_t len = wire_name_from_text(rs->name, owner);

	if (len == 0) {
		rs_err(b, rs, "%s", "not a valid name");
		return;
	}
	wire_name_lower(owner, owner, len);
	if (!wire_name_is_below(owner, len, b->zone->apex,
				b->zone->apex_len)) {
		rs_err(b, rs, "%s", "the name is outside the zone");
		return;
	}
	if (rs->set_id == NULL && rs->alias == NULL)
		add_plain(b, rs, owner, len);
	else
		add_policy(b, rs, owner, len);
}

/* A CNAME set of the table beside plain data, or the reverse, is the
 * conflict zone_add_rr() finds among plain records. */
static void
check_cnames(struct builder *b)
{
	const struct policy_table *t = b->table;

	for (size_t i = 0; i < t->n; i++) {
		const struct policy_set *s = &t->sets[i];
		const struct zone_node *n =
			zone_find(b->zone, s->name, s->name_len);
		bool cname = s->type == WIRE_TYPE_CNAME;
		bool clash = false;

		if (n != NULL && ((cname && n->n_rrsets > 0) ||
				  (!cname && zone_rrset(n, WIRE_TYPE_CNAME))))
			clash = true;
		for (size_t j = 0; !clash && i > 0 && j < i; j++)
			clash = t->sets[j].name_len == s->name_len &&
				memcmp(t->sets[j].name, s->name,
				       s->name_len) == 0 &&
				(cname || t->sets[j].type == WIRE_TYPE_CNAME);
		if (!clash)
			continue;
		if (conf_errors_add(b->errs, s->rrs[0].origin, 0, "%s",
				    "a CNAME cannot share its name with other "
				    "records (RFC 2181 §10.1)") != VPC_OK)
			b->rc = VPC_ENOMEM;
		else if (b->rc == VPC_OK)
			b->rc = VPC_ECONFIG;
	}
}

int
policy_load_zone(const struct route53_zone *rz, const char *apex,
		 const char *file, const struct policy_health *health,
		 struct zone **out, struct conf_errors *errs)
{
	struct builder b = {.file = file, .health = health, .errs = errs};
	uint8_t apex_wire[WIRE_MAX_NAME_LEN];
	size_t apex_len = wire_name_from_text(apex, apex_wire);

	if (apex_len == 0)
		return VPC_ECONFIG;
	if ((b.buf = ldns_buffer_new(512)) == NULL ||
	    zone_new(apex_wire, apex_len, &b.zone) != VPC_OK ||
	    (b.table = calloc(1, sizeof(*b.table))) == NULL) {
		b.rc = VPC_ENOMEM;
		goto out;
	}
	b.table->health = health;
	for (size_t i = 0; i < rz->n_sets && b.rc != VPC_ENOMEM; i++)
		add_set(&b, &rz->sets[i]);
	if (b.rc == VPC_OK)
		check_cnames(&b);
	if (b.rc != VPC_OK)
		goto out;
	if (b.table->n > 0) {
		/* Not with n == 0: sets is NULL then, and qsort() must not
		 * get NULL (found by fuzz_route53). */
		qsort(b.table->sets, b.table->n, sizeof(*b.table->sets),
		      cmp_sets);
		b.zone->policies = b.table;
		b.table = NULL;
	}
	if ((b.rc = zone_finish(b.zone)) == VPC_ECONFIG)
		conf_errors_add(errs, file, rz->line, "a CNAME at the zone apex");
	if (b.rc == VPC_OK) {
		*out = b.zone;
		b.zone = NULL;
	}
out:
	policy_table_free(b.table);
	zone_free(b.zone);
	ldns_buffer_free(b.buf);
	return b.rc;
}

void
policy_table_free(struct policy_table *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < t->n; i++) {
		for (size_t j = 0; j < t->sets[i].n; j++) {
			free(t->sets[i].rrs[j].rrset.rdata);
			free(t->sets[i].rrs[j].set_id);
			free(t->sets[i].rrs[j].alias_zone_id);
			free(t->sets[i].rrs[j].origin);
		}
		free(t->sets[i].rrs);
	}
	free(t->sets);
	free(t);
}
