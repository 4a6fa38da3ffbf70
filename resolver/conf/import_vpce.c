/*
 * resolver/conf/import_vpce.c - the importer: the vpce names of DnsEntries.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Checks that the names vpcdns would serve for an interface endpoint
 * (engine/endpoint.c) are exactly its DnsEntries vpce names, regional and
 * zonal, and the inbound-only flag against the VPC's other endpoints.
 * Part of the importer (see import.c for the phases); no state of its own.
 */
#include "config.h"

#include "conf/import.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>
#include "engine/catalog.h"
#include "conf/conf.h"
#include "conf/json.h"
#include "engine/endpoint.h"
#include "util/awsid.h"
#include "util/err.h"
#include "util/strbuf.h"
#include "util/text.h"
#include "engine/view.h"
#include "dns/wire.h"
#include "conf/import_internal.h"

/* ---- vpce names --------------------------------------------------------- */

/* What vpcdns serves for an interface endpoint (endpoint.c). */
struct vpce_check {
	char parent[CATALOG_NAME_MAX]; /* "<label>.<region>.<vpce domain>" */
	bool wildcard;		       /* S3: "*." in front (SPEC 1.1) */
	bool cross;		       /* cross-Region: no zonal names */
	bool regional;		       /* the regional name was seen */
	size_t n;		       /* vpce names seen */
};

static bool
vpce_expect(struct imp_ep *ep, struct vpce_check *vc)
{
	const char *vpc_region = ep->e.im->vpcs[ep->vpc_idx].region;
	const char *region = ep->ref.region[0] ? ep->ref.region : vpc_region;
	char label[CATALOG_NAME_MAX];
	int n;

	memset(vc, 0, sizeof(*vc));
	vc->wildcard =
	    ep->ref.entry != NULL && strcmp(ep->ref.service, "s3") == 0;
	vc->cross = ep->ref.region[0] && strcmp(ep->ref.region, vpc_region);
	if (catalog_vpce_label(&ep->ref, label, sizeof(label)) != VPC_OK)
		return false;
	n = snprintf(vc->parent, sizeof(vc->parent), "%s.%s.%s", label, region,
		     catalog_vpce_domain(&ep->ref));
	return n > 0 && (size_t)n < sizeof(vc->parent);
}

/* The subnet of @ep in Availability Zone @az (@len bytes), or NULL. */
static struct imp_subnet *
subnet_in(struct imp_ep *ep, const char *az, size_t len)
{
	for (size_t i = 0; i < ep->n_subnets; i++)
		if (strlen(ep->subnets[i].az) == len &&
		    memcmp(ep->subnets[i].az, az, len) == 0)
			return &ep->subnets[i];
	return NULL;
}

/* A zonal name "<id>-<suffix>-<az>" of AZ @az (up to @dot). */
static void
vpce_zonal(struct imp_ep *ep, struct vpce_check *vc, const yaml_node_t *at,
	   const char *name, const char *az, const char *dot)
{
	struct imp_subnet *sn = subnet_in(ep, az, (size_t)(dot - az));
	char vb[SHOW_MAX];

	if (vc->cross)
		import_entry_err(&ep->e, at,
			  "DnsEntries has the zonal name '%s', but a "
			  "cross-Region endpoint has none",
			  conf_show(name, vb));
	else if (sn == NULL)
		import_entry_err(&ep->e, at,
			  "DnsEntries has the zonal name '%s' of an "
			  "Availability Zone without a network interface",
			  conf_show(name, vb));
	else
		sn->zonal_seen = true;
}

/* One vpce name of DnsEntries: "[*.]<id>-<suffix>[-<az>].<parent>". */
static void
vpce_name(struct imp_ep *ep, struct vpce_check *vc, const yaml_node_t *at,
	  const char *name)
{
	bool wild = strncmp(name, "*.", 2) == 0;
	const char *body = wild ? name + 2 : name, *dot = strchr(body, '.');
	size_t idlen = strlen(ep->e.id);
	const char *rest = body + idlen + 1;
	char vb[SHOW_MAX];

	vc->n++;
	if (dot == NULL || strncmp(body, ep->e.id, idlen) != 0 ||
	    body[idlen] != '-' || dot - rest < ENDPOINT_SUFFIX_LEN ||
	    strspn(rest, "abcdefghijklmnopqrstuvwxyz0123456789") <
		ENDPOINT_SUFFIX_LEN ||
	    (rest[ENDPOINT_SUFFIX_LEN] != '.' &&
	     rest[ENDPOINT_SUFFIX_LEN] != '-')) {
		import_entry_err(&ep->e, at,
			  "DnsEntries name '%s' is not %s-<suffix>[-<az>] "
			  "under %s",
			  conf_show(name, vb), ep->e.id, vc->parent);
		return;
	}
	if (strcmp(dot + 1, vc->parent) != 0 || wild != vc->wildcard) {
		import_entry_err(
		    &ep->e, at,
		    "DnsEntries name '%s' differs from the names vpcdns "
		    "serves for this service (%s%s-<suffix>.%s)",
		    conf_show(name, vb), vc->wildcard ? "*." : "", ep->e.id,
		    vc->parent);
		return;
	}
	if (ep->suffix[0] != '\0' &&
	    strncmp(ep->suffix, rest, ENDPOINT_SUFFIX_LEN) != 0) {
		import_entry_err(&ep->e, at,
			  "DnsEntries name '%s' has another suffix than '%s'",
			  conf_show(name, vb), ep->suffix);
		return;
	}
	memcpy(ep->suffix, rest, ENDPOINT_SUFFIX_LEN);
	ep->suffix[ENDPOINT_SUFFIX_LEN] = '\0';
	if (rest[ENDPOINT_SUFFIX_LEN] == '.')
		vc->regional = true;
	else
		vpce_zonal(ep, vc, at, name, rest + ENDPOINT_SUFFIX_LEN + 1,
			   dot);
}

/*
 * SPEC Part 2: the suffix, the AZs and the names come from DnsEntries, so
 * every vpce name there must be one vpcdns serves, and every name vpcdns
 * serves must be there.
 */
static void
check_vpce_names(struct imp_ep *ep)
{
	char name[CATALOG_NAME_MAX], vb[SHOW_MAX];
	struct vpce_check vc;

	if (!vpce_expect(ep, &vc)) {
		import_entry_err(&ep->e, NULL,
				 "its vpce names would be too long");
		return;
	}
	for (size_t i = 0; i < json_len(ep->dns); i++)
		if (import_dns_entry(ep, i, name) && import_is_vpce_name(name))
			vpce_name(ep, &vc, json_at(&ep->e.jd->j, ep->dns, i),
				  name);
	if (vc.n == 0 || ep->e.bad)
		return;
	if (!vc.regional)
		import_entry_err(&ep->e, ep->dns,
			  "DnsEntries has no regional name (%s-%s.%s)",
			  ep->e.id, ep->suffix, vc.parent);
	for (size_t i = 0; i < ep->n_subnets && !vc.cross; i++)
		if (!ep->subnets[i].zonal_seen)
			import_entry_err(&ep->e, ep->dns,
				  "DnsEntries has no zonal name for %s, where "
				  "network interface %s is",
				  ep->subnets[i].az,
				  conf_show(ep->subnets[i].eni->id, vb));
}

/* SPEC 1.3, 1.5a: inbound-only needs a gateway endpoint in the VPC. */
static void
check_inbound(struct imp *im, struct imp_ep *ep)
{
	const struct imp_ep *g;
	char vb[SHOW_MAX];

	if (ep->inbound_only != 1 || ep->type != CONF_ENDPOINT_INTERFACE)
		return;
	if (ep->private_dns == 0 || !catalog_has_gateway(&ep->ref)) {
		import_entry_err(&ep->e, NULL,
			  INBOUND_KEY " is true, which needs PrivateDnsEnabled "
				      "and an S3 or DynamoDB service");
		return;
	}
	for (size_t i = 0; i < im->n_eps; i++) {
		g = &im->eps[i];
		if (g->vpc_idx == ep->vpc_idx && import_imported(g) &&
		    g->type == CONF_ENDPOINT_GATEWAY &&
		    strcmp(g->service, ep->service) == 0)
			return;
	}
	import_entry_err(&ep->e, NULL,
		  INBOUND_KEY " is true, but %s has no Gateway endpoint for %s",
		  ep->vpc, conf_show(ep->service, vb));
}

void
import_check_endpoints(struct imp *im)
{
	struct imp_ep *ep;

	for (size_t i = 0; i < im->n_eps; i++) {
		ep = &im->eps[i];
		if (!import_imported(ep))
			continue;
		if (ep->type == CONF_ENDPOINT_INTERFACE)
			check_vpce_names(ep);
		check_inbound(im, ep);
	}
}
