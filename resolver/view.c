/*
 * resolver/view.c - build views from the configuration and pick one per
 * query.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Views are built once per (re)load and never change; view_select() only
 * reads them.
 */
#include "config.h"

#include "view.h"

#include <netinet/in.h>

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "endpoint.h"
#include "err.h"
#include "zone.h"

static int
load_hosted_zone(struct view_set *vs, struct zoneset *zs,
		 const struct conf_hosted_zone *hz, struct conf_errors *errs)
{
	struct zone *z = NULL;
	int rc = zone_load_file(hz->file, hz->name, &z, errs);

	if (rc == VPC_EIO) {
		conf_errors_add(errs, vs->conf->path, hz->line,
				"cannot open zone file %s: %s", hz->file,
				strerror(errno));
		return VPC_ECONFIG;
	}
	if (rc != VPC_OK)
		return rc;
	rc = zoneset_add(zs, z);
	if (rc == VPC_ECONFIG)
		conf_errors_add(errs, vs->conf->path, hz->line,
				"zone %s is defined twice", hz->name);
	return rc;
}

static int
load_vpc_zones(struct view_set *vs, size_t i, struct conf_errors *errs)
{
	const struct conf_vpc *cv = &vs->conf->vpcs[i];
	struct view_vpc_zones *vz = &vs->vpc_zones[i];
	int rc = VPC_OK;

	if ((vz->zones = zoneset_new()) == NULL ||
	    (vz->inbound_only = zoneset_new()) == NULL)
		return VPC_ENOMEM;
	for (size_t j = 0; j < cv->n_hosted_zones; j++) {
		int r = load_hosted_zone(vs, vz->zones, &cv->hosted_zones[j],
					 errs);

		if (r == VPC_ENOMEM)
			return r;
		if (r != VPC_OK)
			rc = r; /* go on: report every broken zone file */
	}
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
		init_view(in, cv->id, i, true);
		in->filters = v->filters;
		in->n_filters = v->n_filters;
		in->zonesets[in->n_zonesets++] = vs->vpc_zones[i].zones;
		in->zonesets[in->n_zonesets++] = vs->vpc_zones[i].inbound_only;
		in->zonesets[in->n_zonesets++] = vs->vpce;
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
build_zones(struct view_set *vs, struct conf_errors *errs)
{
	int rc = VPC_OK;

	if ((vs->vpce = zoneset_new()) == NULL)
		return VPC_ENOMEM;
	for (size_t i = 0; i < vs->n_vpcs && rc != VPC_ENOMEM; i++) {
		int r = load_vpc_zones(vs, i, errs);

		if (r != VPC_OK)
			rc = r;
	}
	if (rc == VPC_OK)
		rc = endpoint_build(vs, errs);
	return rc;
}

int
view_set_build(const struct conf *cf, struct view_set **out,
	       struct conf_errors *errs)
{
	struct view_set *vs = calloc(1, sizeof(*vs));
	int rc = VPC_ENOMEM;

	if (vs == NULL)
		return VPC_ENOMEM;
	vs->conf = cf;
	vs->n_vpcs = cf->n_vpcs;
	vs->fallback = &vs->outside;
	if (cf->n_vpcs > 0 &&
	    ((vs->vpcs = calloc(cf->n_vpcs, sizeof(*vs->vpcs))) == NULL ||
	     (vs->inbound = calloc(cf->n_vpcs, sizeof(*vs->inbound))) ==
		     NULL ||
	     (vs->vpc_zones = calloc(cf->n_vpcs, sizeof(*vs->vpc_zones))) ==
		     NULL))
		goto fail;
	if ((rc = build_zones(vs, errs)) != VPC_OK)
		goto fail;
	link_views(vs);
	vs->n_zones = count_zones(vs);
	*out = vs;
	return VPC_OK;
fail:
	view_set_free(vs);
	return rc;
}

const struct zone *
view_find_zone(const struct view *v, const uint8_t *lname, size_t len)
{
	const struct zone *best = NULL;

	for (size_t i = 0; i < v->n_zonesets; i++) {
		const struct zone *z = zoneset_find(v->zonesets[i], lname, len);

		if (z != NULL && zone_owns(z, lname, len) &&
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

const struct view *
view_select(const struct view_set *vs, const struct sockaddr *src,
	    size_t inbound)
{
	const struct view *v;
	uint8_t addr[16];
	int family = src->sa_family;

	if (inbound < vs->n_vpcs)
		return &vs->inbound[inbound];
	if (family == AF_INET) {
		memcpy(addr, &((const struct sockaddr_in *)src)->sin_addr, 4);
	} else if (family == AF_INET6) {
		const struct in6_addr *a6 =
			&((const struct sockaddr_in6 *)src)->sin6_addr;

		memcpy(addr, a6, 16);
		/* An IPv4-mapped source is matched as IPv4. */
		if (IN6_IS_ADDR_V4MAPPED(a6)) {
			memmove(addr, addr + 12, 4);
			family = AF_INET;
		}
	} else {
		return vs->fallback;
	}
	v = match_clients(vs, addr, family);
	return v != NULL ? v : vs->fallback;
}

void
view_set_free(struct view_set *vs)
{
	if (vs == NULL)
		return;
	for (size_t i = 0; vs->vpc_zones != NULL && i < vs->n_vpcs; i++) {
		zoneset_free(vs->vpc_zones[i].zones);
		zoneset_free(vs->vpc_zones[i].inbound_only);
		free(vs->vpc_zones[i].filters);
	}
	zoneset_free(vs->vpce);
	free(vs->vpc_zones);
	free(vs->inbound);
	free(vs->vpcs);
	free(vs);
}
