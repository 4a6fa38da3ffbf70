/*
 * resolver/engine/view.c - build views from the configuration and pick one per
 * query.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Views are built once per (re)load and never change; view_select() only
 * reads them.
 */
#include "config.h"

#include "engine/view.h"

#include <netinet/in.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "engine/delegation.h"
#include "engine/ec2.h"
#include "engine/endpoint.h"
#include "engine/fastpath.h"
#include "util/err.h"
#include "engine/firewall.h"
#include "engine/alias.h"
#include "engine/hosted.h"
#include "engine/policy.h"
#include "engine/reserved.h"
#include "engine/validator.h"
#include "engine/zone.h"

static int
load_hosted_zone(struct view_set *vs, struct zoneset *zs,
		 const struct conf_hosted_zone *hz, const char *vpc_id,
		 const char *key, struct conf_errors *errs)
{
	struct zone *z = NULL;
	int rc = hosted_load(vs->conf, hz, vpc_id, key, vs->health, &z, errs);

	if (rc != VPC_OK)
		return rc;
	rc = zoneset_add(zs, z);
	if (rc == VPC_ECONFIG)
		conf_errors_at(errs, vs->conf, hz->line,
			       "zone %s is defined twice", hz->name);
	return rc;
}

static bool
has_zone(const struct conf_hosted_zone *list, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i].name, name) == 0)
			return true;
	return false;
}

/* Whether the VPC itself or a profile before its @p-th (cv->profiles is
 * in priority order) associates a zone @name: the first one wins. */
static bool
earlier_has_zone(const struct conf *cf, const struct conf_vpc *cv, size_t p,
		 const char *name)
{
	if (has_zone(cv->hosted_zones, cv->n_hosted_zones, name))
		return true;
	for (size_t q = 1; q < p; q++) {
		const struct conf_profile *pr = &cf->profiles[cv->profiles[q - 1]];

		if (has_zone(pr->hosted_zones, pr->n_hosted_zones, name))
			return true;
	}
	return false;
}

/* SPEC 1.5: the VPC's own hosted zones, then its profiles' zones except
 * those whose name the VPC associates itself (its own association wins). */
static int
load_vpc_zones(struct view_set *vs, size_t i, struct conf_errors *errs)
{
	const struct conf_vpc *cv = &vs->conf->vpcs[i];
	struct view_vpc_zones *vz = &vs->vpc_zones[i];
	int rc = VPC_OK;

	if ((vz->zones = zoneset_new()) == NULL ||
	    (vz->inbound_only = zoneset_new()) == NULL)
		return VPC_ENOMEM;
	for (size_t p = 0; p <= cv->n_profiles; p++) {
		const struct conf_profile *pr =
			p == 0 ? NULL : &vs->conf->profiles[cv->profiles[p - 1]];
		const struct conf_hosted_zone *hz =
			pr ? pr->hosted_zones : cv->hosted_zones;
		size_t n = pr ? pr->n_hosted_zones : cv->n_hosted_zones;

		for (size_t j = 0; j < n; j++) {
			char key[96];
			int r;

			if (pr != NULL && earlier_has_zone(vs->conf, cv, p,
							   hz[j].name))
				continue;
			if (pr != NULL)
				snprintf(key, sizeof(key),
					 "profiles[%zu].hosted-zones[%zu]",
					 cv->profiles[p - 1], j);
			else
				snprintf(key, sizeof(key),
					 "vpcs[%zu].hosted-zones[%zu]", i, j);
			r = load_hosted_zone(vs, vz->zones, &hz[j], cv->id, key,
					     errs);
			if (r == VPC_ENOMEM)
				return r;
			if (r != VPC_OK)
				rc = r; /* go on: report every broken file */
		}
	}
	return rc;
}

static int
add_group(struct view_set *vs, const struct conf_sockaddr *addrs, size_t n,
	  const char *const *hosts, size_t n_hosts, uint32_t *id)
{
	struct view_group *g;

	g = realloc(vs->groups, (vs->n_groups + 1) * sizeof(*g));
	if (g == NULL)
		return VPC_ENOMEM;
	vs->groups = g;
	g += vs->n_groups++;
	memset(g, 0, sizeof(*g));
	if (n > 0) {
		if ((g->addrs = malloc(n * sizeof(*addrs))) == NULL)
			return VPC_ENOMEM;
		memcpy(g->addrs, addrs, n * sizeof(*addrs));
	}
	g->n_addrs = n;
	if (n_hosts > 0) {
		if ((g->hosts = malloc(n_hosts * sizeof(*hosts))) == NULL)
			return VPC_ENOMEM;
		memcpy(g->hosts, hosts, n_hosts * sizeof(*hosts));
	}
	g->n_hosts = n_hosts;
	*id = (uint32_t)(vs->n_groups - 1);
	return VPC_OK;
}

#define VIEW_MAX_TARGET_ADDRS 16

/* Resolves the targets of a forward rule: addresses as written, host
 * names through @resolve (forward targets may be docker-compose service
 * names). */
static int
rule_targets(struct view_set *vs, const struct conf_rule *r,
	     view_resolve_fn resolve, struct conf_sockaddr *out, size_t *n,
	     const char **hosts, size_t *n_hosts, struct conf_errors *errs)
{
	*n = 0;
	*n_hosts = 0;
	for (size_t i = 0; i < r->n_targets; i++) {
		char host[256];
		const char *t = r->targets[i], *colon;
		unsigned long port = CONF_DEFAULT_PORT;
		size_t got;

		if (*n >= VIEW_MAX_TARGET_ADDRS)
			break;
		if (conf_parse_sockaddr(t, CONF_DEFAULT_PORT, &out[*n]) ==
		    VPC_OK) {
			(*n)++;
			continue;
		}
		if (vs->lazy) {
			if (*n_hosts < VIEW_MAX_TARGET_ADDRS)
				hosts[(*n_hosts)++] = t;
			continue;
		}
		colon = strrchr(t, ':');
		snprintf(host, sizeof(host), "%.*s",
			 (int)(colon ? (size_t)(colon - t) : strlen(t)), t);
		if (colon != NULL)
			port = strtoul(colon + 1, NULL, 10);
		got = resolve && port > 0 && port <= 65535
			      ? resolve(host, (uint16_t)port, out + *n,
					VIEW_MAX_TARGET_ADDRS - *n)
			      : 0;
		if (got == 0) {
			conf_errors_at(errs, vs->conf, r->line,
				       "cannot resolve forward target '%s'", t);
			return VPC_ECONFIG;
		}
		*n += got;
	}
	return VPC_OK;
}

/* A delegate rule's targets: the name servers of the domain's NS records
 * in the VPC's zones (engine/delegation.c). */
static int
delegate_targets(struct view_set *vs, const struct view_vpc_zones *vz,
		 const struct conf_rule *r, const struct view_rule *vr,
		 view_resolve_fn resolve, struct conf_sockaddr *out, size_t *n,
		 struct conf_errors *errs)
{
	char why[DELEGATION_WHY_MAX];
	int rc = delegation_servers(vz->zones, vr->domain, vr->len, resolve,
				    out, VIEW_MAX_TARGET_ADDRS, n, why);

	if (rc == VPC_ENOTFOUND) {
		conf_errors_add(errs, vs->conf->path, r->line, "%s", why);
		return VPC_ECONFIG;
	}
	return rc;
}

static bool
has_rule(const struct view_vpc_zones *vz, size_t n, const uint8_t *d,
	 size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (vz->rules[i].len == len &&
		    memcmp(vz->rules[i].domain, d, len) == 0)
			return true;
	return false;
}

static int
add_rule(struct view_set *vs, struct view_vpc_zones *vz,
	 const struct conf_rule *r, view_resolve_fn resolve,
	 struct conf_errors *errs)
{
	struct conf_sockaddr addrs[VIEW_MAX_TARGET_ADDRS];
	const char *hosts[VIEW_MAX_TARGET_ADDRS];
	uint8_t d[WIRE_MAX_NAME_LEN];
	size_t len = wire_name_from_text(r->domain, d), n, n_hosts;
	struct view_rule *vr;
	int rc;

	if (len == 0 || has_rule(vz, vz->n_rules, d, len))
		return VPC_OK; /* an own rule of that domain came first */
	vr = realloc(vz->rules, (vz->n_rules + 1) * sizeof(*vr));
	if (vr == NULL)
		return VPC_ENOMEM;
	vz->rules = vr;
	vr += vz->n_rules;
	wire_name_lower(vr->domain, d, len);
	vr->len = len;
	vr->system = r->type == CONF_RULE_SYSTEM;
	vr->group = VIEW_FWD_DEFAULT;
	vr->conf = r;
	n_hosts = 0;
	if (r->type == CONF_RULE_DELEGATE)
		rc = delegate_targets(vs, vz, r, vr, resolve, addrs, &n, errs);
	else if (!vr->system)
		rc = rule_targets(vs, r, resolve, addrs, &n, hosts, &n_hosts,
				  errs);
	else
		rc = VPC_OK;
	if (rc != VPC_OK ||
	    (!vr->system && (rc = add_group(vs, addrs, n, hosts, n_hosts,
					    &vr->group)) != VPC_OK))
		return rc;
	if (r->type == CONF_RULE_FORWARD)
		vs->groups[vr->group].rule = r;
	vz->n_rules++;
	return VPC_OK;
}

/* SPEC 1.5: a VPC's own rules, then its profiles' (own wins for the same
 * domain); firewall rules of both, own first on equal priority. */
static int
build_rules(struct view_set *vs, size_t i, view_resolve_fn resolve,
	    struct conf_errors *errs)
{
	const struct conf_vpc *cv = &vs->conf->vpcs[i];
	struct view_vpc_zones *vz = &vs->vpc_zones[i];
	const struct conf_fw_rule **fw = NULL;
	size_t n_fw = 0;
	int rc = VPC_OK;

	for (size_t p = 0; p <= cv->n_profiles && rc != VPC_ENOMEM; p++) {
		const struct conf_profile *pr =
			p == 0 ? NULL : &vs->conf->profiles[cv->profiles[p - 1]];
		const struct conf_rule *r = pr ? pr->rules : cv->rules;
		size_t n = pr ? pr->n_rules : cv->n_rules;
		const struct conf_fw_rule *f = pr ? pr->firewall : cv->firewall;
		size_t nf = pr ? pr->n_firewall : cv->n_firewall;
		const struct conf_fw_rule **grown;

		for (size_t j = 0; j < n && rc != VPC_ENOMEM; j++) {
			int r2 = add_rule(vs, vz, &r[j], resolve, errs);

			if (r2 != VPC_OK)
				rc = r2;
		}
		grown = realloc(fw, (n_fw + nf + 1) * sizeof(*fw));
		if (grown == NULL) {
			free(fw);
			return VPC_ENOMEM;
		}
		fw = grown;
		for (size_t j = 0; j < nf; j++)
			fw[n_fw++] = &f[j];
	}
	if (rc == VPC_OK && n_fw > 0)
		rc = firewall_build(fw, n_fw, &vz->firewall);
	free(fw);
	return rc;
}

static void
init_view(struct view *v, const char *vpc_id, size_t conf_index,
	  bool inbound)
{
	v->vpc_id = vpc_id;
	v->conf_index = conf_index;
	v->fwd_group = VIEW_FWD_DEFAULT;
	v->inbound = inbound;
	v->n_zonesets = 0;
	v->filters = NULL;
	v->n_filters = 0;
	v->rules = NULL;
	v->n_rules = 0;
	v->firewall = NULL;
	v->region = NULL;
	v->anchors = NULL;
	v->keys = NULL;
}

/* The zone sets each view searches, most private first. */
static void
link_views(struct view_set *vs)
{
	init_view(&vs->outside, NULL, SIZE_MAX, false);
	vs->outside.zonesets[vs->outside.n_zonesets++] = vs->vpce;
	for (size_t i = 0; i < vs->n_vpcs; i++) {
		const struct conf_vpc *cv = &vs->conf->vpcs[i];
		struct view *v = &vs->vpcs[i], *in = &vs->inbound[i];

		init_view(v, cv->id, i, false);
		v->zonesets[v->n_zonesets++] = vs->vpc_zones[i].zones;
		v->zonesets[v->n_zonesets++] = vs->vpce;
		v->filters = vs->vpc_zones[i].filters;
		v->n_filters = vs->vpc_zones[i].n_filters;
		v->rules = vs->vpc_zones[i].rules;
		v->n_rules = vs->vpc_zones[i].n_rules;
		v->firewall = vs->vpc_zones[i].firewall;
		v->region = cv->region;
		init_view(in, cv->id, i, true);
		in->filters = v->filters;
		in->n_filters = v->n_filters;
		in->rules = v->rules;
		in->n_rules = v->n_rules;
		in->firewall = v->firewall;
		in->region = v->region;
		in->zonesets[in->n_zonesets++] = vs->vpc_zones[i].zones;
		in->zonesets[in->n_zonesets++] = vs->vpc_zones[i].inbound_only;
		in->zonesets[in->n_zonesets++] = vs->vpce;
		/* AWS ResolverDNSSECConfig is per VPC: its inbound
		 * endpoints' queries are validated too. */
		if (cv->dnssec_validation && vs->keys != NULL) {
			v->anchors = in->anchors = vs->conf->anchors;
			v->keys = in->keys = vs->keys;
		}
		if (!cv->clients_set)
			vs->fallback = v;
	}
}

static size_t
count_zones(const struct view_set *vs)
{
	size_t n = zoneset_count(vs->vpce);

	for (size_t i = 0; i < vs->n_vpcs; i++)
		n += zoneset_count(vs->vpc_zones[i].zones) +
		     zoneset_count(vs->vpc_zones[i].inbound_only);
	return n;
}

static int
build_zones(struct view_set *vs, view_resolve_fn resolve,
	    struct conf_errors *errs)
{
	uint32_t group;
	int rc;

	if ((vs->vpce = zoneset_new()) == NULL)
		return VPC_ENOMEM;
	rc = add_group(vs, vs->conf->upstreams, vs->conf->n_upstreams,
		       (const char *const *)vs->conf->upstream_hosts,
		       vs->lazy ? vs->conf->n_upstream_hosts : 0, &group);
	for (size_t i = 0; i < vs->n_vpcs && rc != VPC_ENOMEM; i++) {
		int r = load_vpc_zones(vs, i, errs), r2;

		if (r != VPC_ENOMEM &&
		    (r2 = build_rules(vs, i, resolve, errs)) != VPC_OK &&
		    (r == VPC_OK || r2 == VPC_ENOMEM))
			r = r2;
		if (r != VPC_OK)
			rc = r;
	}
	if (rc == VPC_OK)
		rc = endpoint_build(vs, errs);
	if (rc == VPC_OK)
		rc = ec2_build(vs, errs);
	if (rc == VPC_OK)
		rc = reserved_build(vs, errs);
	return rc;
}

static int
build(const struct conf *cf, const struct view_build_opts *o,
      struct view_set **out, struct conf_errors *errs)
{
	struct view_set *vs = calloc(1, sizeof(*vs));
	view_resolve_fn resolve = o->resolve;
	int rc = VPC_ENOMEM;

	if (vs == NULL)
		return VPC_ENOMEM;
	vs->conf = cf;
	vs->lazy = o->lazy;
	vs->endpoint_addrs = o->endpoint_addrs;
	vs->endpoint_arg = o->endpoint_arg;
	vs->n_vpcs = cf->n_vpcs;
	vs->fallback = &vs->outside;
	if (cf->n_vpcs > 0 &&
	    ((vs->vpcs = calloc(cf->n_vpcs, sizeof(*vs->vpcs))) == NULL ||
	     (vs->inbound = calloc(cf->n_vpcs, sizeof(*vs->inbound))) ==
		     NULL ||
	     (vs->vpc_zones = calloc(cf->n_vpcs, sizeof(*vs->vpc_zones))) ==
		     NULL))
		goto fail;
	if (cf->anchors != NULL && (vs->keys = validator_cache_new()) == NULL)
		goto fail;
	if ((rc = policy_health_new(cf, &vs->health, errs)) != VPC_OK ||
	    (rc = build_zones(vs, resolve, errs)) != VPC_OK)
		goto fail;
	link_views(vs);
	if ((rc = alias_check(vs, errs)) != VPC_OK)
		goto fail;
	vs->n_zones = count_zones(vs);
	if ((rc = fastpath_build(vs, &vs->fast)) != VPC_OK)
		goto fail;
	*out = vs;
	return VPC_OK;
fail:
	view_set_free(vs);
	return rc;
}

int
view_set_build_opts(const struct conf *cf, const struct view_build_opts *o,
		    struct view_set **out, struct conf_errors *errs)
{
	return build(cf, o, out, errs);
}

int
view_set_build_resolving(const struct conf *cf, view_resolve_fn resolve,
			 struct view_set **out, struct conf_errors *errs)
{
	struct view_build_opts o = {.resolve = resolve};

	return build(cf, &o, out, errs);
}

int
view_set_build_lazy(const struct conf *cf, view_resolve_fn resolve,
		    struct view_set **out, struct conf_errors *errs)
{
	struct view_build_opts o = {.resolve = resolve, .lazy = true};

	return build(cf, &o, out, errs);
}

int
view_set_build(const struct conf *cf, struct view_set **out,
	       struct conf_errors *errs)
{
	struct view_build_opts o = {0};

	return build(cf, &o, out, errs);
}

const struct zone *
view_find_zone(const struct view *v, const uint8_t *lname, size_t len)
{
	const struct zone *best = NULL;

	for (size_t i = 0; i < v->n_zonesets; i++) {
		const struct zone *z = zoneset_find(v->zonesets[i], lname, len);

		/* An EC2 reverse zone owns only its cidr-blocks' names;
		 * for others a shorter zone may (a reserved reverse zone). */
		while (z != NULL && z->synth == ZONE_SYNTH_PTR &&
		       !z->nx_others && !ec2_ptr_owns(z, lname, len) &&
		       z->apex[0] != 0)
			z = zoneset_find(v->zonesets[i],
					 z->apex + 1 + z->apex[0],
					 z->apex_len - 1 - z->apex[0]);
		if (z != NULL && zone_owns(z, lname, len) &&
		    (z->synth != ZONE_SYNTH_PTR || z->nx_others ||
		     ec2_ptr_owns(z, lname, len)) &&
		    (best == NULL || z->apex_len > best->apex_len))
			best = z;
	}
	return best;
}

int
view_add_filter(struct view_vpc_zones *vz, const uint8_t *apex, size_t len,
		uint16_t drop_type)
{
	struct view_filter *f;

	f = realloc(vz->filters, (vz->n_filters + 1) * sizeof(*f));
	if (f == NULL)
		return VPC_ENOMEM;
	vz->filters = f;
	f += vz->n_filters++;
	wire_name_lower(f->apex, apex, len);
	f->apex_len = len;
	f->drop_type = drop_type;
	return VPC_OK;
}

const struct view_rule *
view_find_rule(const struct view *v, const uint8_t *lname, size_t len)
{
	const struct view_rule *best = NULL;

	for (size_t i = 0; i < v->n_rules; i++) {
		const struct view_rule *r = &v->rules[i];

		if ((best == NULL || r->len > best->len) &&
		    wire_name_is_below(lname, len, r->domain, r->len))
			best = r;
	}
	return best;
}

uint16_t
view_drop_type(const struct view *v, const uint8_t *lname, size_t len)
{
	for (size_t i = 0; i < v->n_filters; i++)
		if (wire_name_is_below(lname, len, v->filters[i].apex,
				       v->filters[i].apex_len))
			return v->filters[i].drop_type;
	return 0;
}

static bool
cidr_contains(const struct conf_cidr *c, const uint8_t *addr, int family)
{
	unsigned full = c->prefix / 8, rest = c->prefix % 8;

	if (c->family != family || memcmp(c->addr, addr, full) != 0)
		return false;
	if (rest == 0)
		return true;
	return ((c->addr[full] ^ addr[full]) & (0xffu << (8 - rest))) == 0;
}

/* SPEC 1.6: the VPC whose `clients` range holds the source, longest
 * prefix first. */
static const struct view *
match_clients(const struct view_set *vs, const uint8_t *addr, int family)
{
	const struct view *best = NULL;
	unsigned best_prefix = 0;

	for (size_t i = 0; i < vs->n_vpcs; i++) {
		const struct conf_vpc *cv = &vs->conf->vpcs[i];

		for (size_t j = 0; j < cv->n_clients; j++) {
			const struct conf_cidr *c = &cv->clients[j];

			if (cidr_contains(c, addr, family) &&
			    (best == NULL || c->prefix > best_prefix)) {
				best = &vs->vpcs[i];
				best_prefix = c->prefix;
			}
		}
	}
	return best;
}

/* The source address as bytes; an IPv4-mapped IPv6 source is IPv4.
 * Returns the family, or AF_UNSPEC for anything else. */
static int
source_addr(const struct sockaddr *src, uint8_t *addr)
{
	if (src->sa_family == AF_INET) {
		memcpy(addr, &((const struct sockaddr_in *)src)->sin_addr, 4);
		return AF_INET;
	}
	if (src->sa_family == AF_INET6) {
		const struct in6_addr *a6 =
			&((const struct sockaddr_in6 *)src)->sin6_addr;

		memcpy(addr, a6, 16);
		if (IN6_IS_ADDR_V4MAPPED(a6)) {
			memmove(addr, addr + 12, 4);
			return AF_INET;
		}
		return AF_INET6;
	}
	return AF_UNSPEC;
}

const struct view *
view_select(const struct view_set *vs, const struct sockaddr *src,
	    size_t inbound)
{
	const struct view *v;
	uint8_t addr[16];
	int family;

	if (inbound < vs->n_vpcs)
		return &vs->inbound[inbound];
	if ((family = source_addr(src, addr)) == AF_UNSPEC)
		return vs->fallback;
	v = match_clients(vs, addr, family);
	return v != NULL ? v : vs->fallback;
}

static bool
in_list(const struct conf_cidr *list, size_t n, const uint8_t *addr,
	int family)
{
	for (size_t i = 0; i < n; i++)
		if (cidr_contains(&list[i], addr, family))
			return true;
	return false;
}

bool
view_is_local(const struct view_set *vs, const struct sockaddr *src)
{
	static const uint8_t v6_loopback[16] = {[15] = 1};
	uint8_t addr[16];
	int family = source_addr(src, addr);

	if ((family == AF_INET && addr[0] == 127) ||
	    (family == AF_INET6 && memcmp(addr, v6_loopback, 16) == 0))
		return true;
	for (size_t i = 0; i < vs->conf->n_vpcs; i++) {
		const struct conf_vpc *cv = &vs->conf->vpcs[i];

		if (in_list(cv->clients, cv->n_clients, addr, family) ||
		    in_list(cv->cidr_blocks, cv->n_cidr_blocks, addr, family))
			return true;
	}
	return false;
}

bool
view_allowed(const struct view_set *vs, const struct sockaddr *src,
	     size_t inbound)
{
	const struct conf *cf = vs->conf;
	uint8_t addr[16];
	int family;

	if (inbound < vs->n_vpcs)
		return true;
	if (cf->n_allow_query == 0)
		return true;
	if ((family = source_addr(src, addr)) == AF_UNSPEC)
		return false;
	return in_list(cf->allow_query, cf->n_allow_query, addr, family);
}

void
view_set_free(struct view_set *vs)
{
	if (vs == NULL)
		return;
	fastpath_free(vs->fast);
	for (size_t i = 0; vs->vpc_zones != NULL && i < vs->n_vpcs; i++) {
		zoneset_free(vs->vpc_zones[i].zones);
		zoneset_free(vs->vpc_zones[i].inbound_only);
		free(vs->vpc_zones[i].filters);
		free(vs->vpc_zones[i].rules);
		firewall_free(vs->vpc_zones[i].firewall);
	}
	for (size_t i = 0; i < vs->n_groups; i++) {
		free(vs->groups[i].addrs);
		free(vs->groups[i].hosts);
	}
	free(vs->groups);
	zoneset_free(vs->vpce);
	policy_health_free(vs->health);
	validator_cache_free(vs->keys);
	free(vs->vpc_zones);
	free(vs->inbound);
	free(vs->vpcs);
	free(vs);
}
