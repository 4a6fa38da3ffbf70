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
#include "err.h"
#include "zone.h"

static int
load_hosted_zone(struct view_set *vs, struct view *v,
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
	rc = zoneset_add(v->zones, z);
	if (rc == VPC_ECONFIG)
		conf_errors_add(errs, vs->conf->path, hz->line,
				"zone %s is defined twice", hz->name);
	if (rc == VPC_OK)
		vs->n_zones++;
	return rc;
}

static int
build_vpc(struct view_set *vs, size_t i, struct conf_errors *errs)
{
	const struct conf_vpc *cv = &vs->conf->vpcs[i];
	struct view *v = &vs->vpcs[i];
	int rc = VPC_OK;

	v->vpc_id = cv->id;
	v->fwd_group = VIEW_FWD_DEFAULT;
	v->conf_index = i;
	if ((v->zones = zoneset_new()) == NULL)
		return VPC_ENOMEM;
	for (size_t j = 0; j < cv->n_hosted_zones; j++) {
		int r = load_hosted_zone(vs, v, &cv->hosted_zones[j], errs);

		if (r == VPC_ENOMEM)
			return r;
		if (r != VPC_OK)
			rc = r; /* go on: report every broken zone file */
	}
	if (!cv->clients_set)
		vs->fallback = v;
	return rc;
}

int
view_set_build(const struct conf *cf, struct view_set **out,
	       struct conf_errors *errs)
{
	struct view_set *vs = calloc(1, sizeof(*vs));
	int rc = VPC_OK;

	if (vs == NULL)
		return VPC_ENOMEM;
	vs->conf = cf;
	vs->outside.conf_index = SIZE_MAX;
	vs->outside.fwd_group = VIEW_FWD_DEFAULT;
	vs->fallback = &vs->outside;
	vs->n_vpcs = cf->n_vpcs;
	if (cf->n_vpcs > 0 &&
	    (vs->vpcs = calloc(cf->n_vpcs, sizeof(*vs->vpcs))) == NULL) {
		free(vs);
		return VPC_ENOMEM;
	}
	for (size_t i = 0; i < cf->n_vpcs && rc != VPC_ENOMEM; i++) {
		int r = build_vpc(vs, i, errs);

		if (r != VPC_OK)
			rc = r;
	}
	if (rc != VPC_OK) {
		view_set_free(vs);
		return rc;
	}
	*out = vs;
	return VPC_OK;
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
		return &vs->vpcs[inbound];
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
	for (size_t i = 0; i < vs->n_vpcs; i++)
		zoneset_free(vs->vpcs[i].zones);
	zoneset_free(vs->outside.zones);
	free(vs->vpcs);
	free(vs);
}
