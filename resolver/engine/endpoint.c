/*
 * resolver/engine/endpoint.c - synthesize the DNS records of VPC endpoints.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Runs once per configuration load, after the hosted zones are loaded,
 * and adds zones to the view set being built.  Every record is TTL 60
 * (SPEC 1.1).  Which address families a name answers follows
 * dns-record-ip-type (SPEC 1.1): ipv4 -> A, ipv6 -> AAAA, dualstack ->
 * both, service-defined -> A everywhere and AAAA only on the vpce names.
 */
#include "config.h"

#include "engine/endpoint.h"

#include <sys/socket.h>

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "engine/catalog.h"
#include "conf/conf.h"
#include "util/err.h"
#include "util/text.h"
#include "engine/view.h"
#include "dns/wire.h"
#include "engine/zone.h"

struct ep_ctx {
	struct view_set *vs;
	size_t vpc;                        /* index in conf->vpcs */
	const struct conf_endpoint *ep;
	struct catalog_service_ref ref;    /* parsed service name */
	struct conf_errors *errs;
	char first[WIRE_MAX_LABEL_LEN + 1]; /* "vpce-<hex>-<suffix>" */
	char parent[CATALOG_NAME_MAX];     /* "<label>.<region>.vpce..." */
	uint8_t regional[WIRE_MAX_NAME_LEN]; /* regional name, wire */
	size_t regional_len;
	bool has_vpce_names;
	const struct zone *own[CATALOG_MAX_NAMES]; /* private DNS zones this
					    endpoint created */
	size_t n_own;
};

void
endpoint_suffix(const struct conf_endpoint *ep, char *out)
{
	static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
	uint64_t h;

	if (ep->dns_suffix != NULL) {
		snprintf(out, ENDPOINT_SUFFIX_LEN + 1, "%s", ep->dns_suffix);
		return;
	}
	h = text_fnv1a64(ep->id, strlen(ep->id));
	for (size_t i = 0; i < ENDPOINT_SUFFIX_LEN; i++) {
		out[i] = digits[h % 36];
		h /= 36;
	}
	out[ENDPOINT_SUFFIX_LEN] = '\0';
}

/* snprintf() that tells whether everything fit. */
static bool __attribute__((format(printf, 3, 4)))
fits(char *out, size_t cap, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out, cap, fmt, ap);
	va_end(ap);
	return n >= 0 && (size_t)n < cap;
}

static int
report(struct ep_ctx *c, const char *what, const char *name)
{
	conf_errors_at(c->errs, c->vs->conf, c->ep->line, "endpoint %s: %s %s",
		       c->ep->id, what, name);
	return VPC_ECONFIG;
}

/* The zone of @apex in @zs, created (synthesized) when missing. */
static struct zone *
get_zone(struct zoneset *zs, const uint8_t *apex, size_t len, int *rc)
{
	uint8_t lower[WIRE_MAX_NAME_LEN];
	struct zone *z;

	wire_name_lower(lower, apex, len);
	if ((z = zoneset_get_apex(zs, lower, len)) != NULL)
		return z;
	if ((*rc = zone_new(lower, len, &z)) != VPC_OK)
		return NULL;
	z->synthesized = true;
	if ((*rc = zoneset_add(zs, z)) != VPC_OK)
		return NULL;
	return zoneset_get_apex(zs, lower, len);
}

/* Endpoint addresses of one family a host name has now, at most this
 * many (a compose service has one or a few). */
#define ENDPOINT_HOST_ADDRS 16

/* The records of one family of @sn at @owner: its address, or what its
 * host name resolves to now; a host name without addresses yet makes the
 * zone pending (SERVFAIL) instead. */
static int
add_family(struct view_set *vs, struct zone *z, const uint8_t *owner,
	   size_t len, const struct conf_subnet *sn, bool v6)
{
	uint8_t got[ENDPOINT_HOST_ADDRS][16];
	const char *host = v6 ? sn->ipv6_host : sn->ipv4_host;
	uint16_t type = v6 ? WIRE_TYPE_AAAA : WIRE_TYPE_A;
	uint16_t size = v6 ? 16 : 4;
	size_t n;
	int rc = VPC_OK;

	if (host == NULL)
		return zone_add_rr(z, owner, len, type, ENDPOINT_TTL,
				   v6 ? sn->ipv6 : sn->ipv4, size);
	n = vs->endpoint_addrs != NULL
		    ? vs->endpoint_addrs(vs->endpoint_arg, host,
					 v6 ? AF_INET6 : AF_INET, got,
					 ENDPOINT_HOST_ADDRS)
		    : 0;
	if (n == 0) {
		if (!z->pending)
			vs->n_pending++;
		z->pending = true;
	}
	for (size_t i = 0; i < n && rc == VPC_OK; i++)
		rc = zone_add_rr(z, owner, len, type, ENDPOINT_TTL, got[i],
				 size);
	return rc;
}

static int
add_addresses(struct view_set *vs, struct zone *z, const uint8_t *owner,
	      size_t len, const struct conf_subnet *sn, size_t n, bool want_a,
	      bool want_aaaa)
{
	int rc = VPC_OK;

	for (size_t i = 0; i < n && rc == VPC_OK; i++) {
		if (want_a && sn[i].has_ipv4)
			rc = add_family(vs, z, owner, len, &sn[i], false);
		if (rc == VPC_OK && want_aaaa && sn[i].has_ipv6)
			rc = add_family(vs, z, owner, len, &sn[i], true);
	}
	return rc;
}

/* Text name, optionally behind a "*." label, to wire. */
static size_t
owner_wire(const char *name, bool wildcard, uint8_t *out)
{
	char buf[CATALOG_NAME_MAX + 2];

	if (!fits(buf, sizeof(buf), "%s%s", wildcard ? "*." : "", name))
		return 0;
	return wire_name_from_text(buf, out);
}

/* One vpce name (regional or zonal) with the addresses of @sn. */
static int
add_vpce_name(struct ep_ctx *c, struct zone *z, const char *first,
	      const struct conf_subnet *sn, size_t n)
{
	enum conf_ip_type rec = c->ep->dns_record_ip_type;
	/* SPEC 1.1: S3 endpoint names are wildcards. */
	bool s3 = c->ref.entry != NULL && strcmp(c->ref.service, "s3") == 0;
	char name[CATALOG_NAME_MAX];
	uint8_t owner[WIRE_MAX_NAME_LEN];
	size_t len;

	if (!fits(name, sizeof(name), "%s.%s", first, c->parent) ||
	    (len = owner_wire(name, s3, owner)) == 0)
		return report(c, "name too long:", name);
	return add_addresses(c->vs, z, owner, len, sn, n, rec != CONF_IP_IPV6,
			     rec != CONF_IP_IPV4);
}

static int
build_vpce_names(struct ep_ctx *c)
{
	const struct conf_vpc *vpc = &c->vs->conf->vpcs[c->vpc];
	const struct conf_endpoint *ep = c->ep;
	const char *region = c->ref.region[0] ? c->ref.region : vpc->region;
	bool cross = c->ref.region[0] && strcmp(c->ref.region, vpc->region);
	char label[CATALOG_NAME_MAX], suffix[ENDPOINT_SUFFIX_LEN + 1];
	char zonal[WIRE_MAX_LABEL_LEN + 2];
	uint8_t apex[WIRE_MAX_NAME_LEN];
	struct zone *z;
	size_t len;
	int rc = VPC_OK;

	endpoint_suffix(ep, suffix);
	if (catalog_vpce_label(&c->ref, label, sizeof(label)) != VPC_OK)
		return report(c, "service label too long:", ep->service);
	if (!fits(c->first, sizeof(c->first), "%s-%s", ep->id, suffix) ||
	    !fits(c->parent, sizeof(c->parent), "%s.%s.%s", label, region,
		  catalog_vpce_domain(&c->ref)) ||
	    (len = wire_name_from_text(c->parent, apex)) == 0)
		return report(c, "invalid vpce name under", c->parent);
	if ((z = get_zone(c->vs->vpce, apex, len, &rc)) == NULL)
		return rc;
	if ((rc = zone_add_owned_prefix(z, (const uint8_t *)c->first,
					strlen(c->first))) != VPC_OK ||
	    (rc = add_vpce_name(c, z, c->first, ep->subnets,
				ep->n_subnets)) != VPC_OK)
		return rc;
	/* SPEC 1.1: one zonal name per AZ with an interface; none for a
	 * cross-Region endpoint. */
	for (size_t i = 0; !cross && i < ep->n_subnets && rc == VPC_OK; i++) {
		if (!fits(zonal, sizeof(zonal), "%s-%s", c->first,
			  ep->subnets[i].az) ||
		    strlen(zonal) > WIRE_MAX_LABEL_LEN)
			return report(c, "zonal label too long for AZ",
				      ep->subnets[i].az);
		rc = add_vpce_name(c, z, zonal, &ep->subnets[i], 1);
	}
	if (!fits(label, sizeof(label), "%s.%s", c->first, c->parent) ||
	    (c->regional_len = wire_name_from_text(label, c->regional)) == 0)
		return report(c, "regional name too long under", c->parent);
	c->has_vpce_names = true;
	return rc;
}

/* The managed zone of a private DNS name: one per apex, shared by the
 * names of the same endpoint (S3's "s3.<r>" and "*.s3.<r>"), a conflict
 * with any other zone of the VPC. */
static struct zone *
private_zone(struct ep_ctx *c, struct zoneset *zs, const uint8_t *apex,
	     size_t len, int *rc)
{
	uint8_t lower[WIRE_MAX_NAME_LEN];
	struct zone *z;

	wire_name_lower(lower, apex, len);
	if ((z = zoneset_get_apex(zs, lower, len)) != NULL) {
		for (size_t i = 0; i < c->n_own; i++)
			if (c->own[i] == z)
				return z;
		*rc = VPC_ECONFIG;
		return NULL;
	}
	if ((z = get_zone(zs, apex, len, rc)) != NULL &&
	    c->n_own < CATALOG_MAX_NAMES)
		c->own[c->n_own++] = z;
	return z;
}

/* The records of one private DNS name: the endpoint's addresses, or for
 * an endpoint service of another provider a CNAME to the regional name
 * (SPEC 1.2). */
static int
add_private_name(struct ep_ctx *c, struct zoneset *zs, const char *name)
{
	enum conf_ip_type rec = c->ep->dns_record_ip_type;
	bool wildcard = strncmp(name, "*.", 2) == 0;
	const char *apex_text = wildcard ? name + 2 : name;
	uint8_t apex[WIRE_MAX_NAME_LEN], owner[WIRE_MAX_NAME_LEN];
	size_t apex_len = wire_name_from_text(apex_text, apex);
	size_t len = owner_wire(apex_text, wildcard, owner);
	struct zone *z;
	int rc = VPC_OK;

	if (apex_len == 0 || len == 0)
		return report(c, "invalid private DNS name", name);
	if ((z = private_zone(c, zs, apex, apex_len, &rc)) == NULL)
		return rc == VPC_ECONFIG
			       ? report(c, "private DNS name is already "
					   "served in this VPC:",
					name)
			       : rc;
	if (c->ref.provider && c->has_vpce_names)
		return zone_add_rr(z, owner, len, WIRE_TYPE_CNAME, ENDPOINT_TTL,
				   c->regional, (uint16_t)c->regional_len);
	return add_addresses(c->vs, z, owner, len, c->ep->subnets,
			     c->ep->n_subnets, rec != CONF_IP_IPV6,
			     rec == CONF_IP_DUALSTACK || rec == CONF_IP_IPV6);
}

static int
build_private_dns(struct ep_ctx *c)
{
	const struct conf_endpoint *ep = c->ep;
	struct view_vpc_zones *vz = &c->vs->vpc_zones[c->vpc];
	struct zoneset *zs = ep->inbound_only ? vz->inbound_only : vz->zones;
	char names[CATALOG_MAX_NAMES][CATALOG_NAME_MAX];
	size_t n;
	int rc = VPC_OK;

	if (ep->private_dns_names_set) {
		for (size_t i = 0; i < ep->n_private_dns_names && rc == VPC_OK;
		     i++)
			rc = add_private_name(c, zs, ep->private_dns_names[i]);
		return rc;
	}
	n = catalog_private_names(&c->ref, names, CATALOG_MAX_NAMES);
	for (size_t i = 0; i < n && i < CATALOG_MAX_NAMES && rc == VPC_OK; i++)
		rc = add_private_name(c, zs, names[i]);
	return rc;
}

/* SPEC 1.5a: a gateway endpoint's dns-record-ip-type filters the public
 * answer of the service's names: ipv4 drops AAAA, ipv6 drops A, the
 * default service-defined keeps both. */
static int
build_gateway_filter(struct ep_ctx *c)
{
	enum conf_ip_type rec = c->ep->dns_record_ip_type;
	char names[CATALOG_MAX_NAMES][CATALOG_NAME_MAX];
	uint8_t apex[WIRE_MAX_NAME_LEN];
	uint16_t drop;
	size_t n, len;
	int rc = VPC_OK;

	if (rec != CONF_IP_IPV4 && rec != CONF_IP_IPV6)
		return VPC_OK;
	if (catalog_parse(c->ep->service, &c->ref) != VPC_OK)
		return report(c, "unknown service name", c->ep->service);
	drop = rec == CONF_IP_IPV4 ? WIRE_TYPE_AAAA : WIRE_TYPE_A;
	n = catalog_service_names(&c->ref, names, CATALOG_MAX_NAMES);
	for (size_t i = 0; i < n && i < CATALOG_MAX_NAMES && rc == VPC_OK;
	     i++) {
		/* A filter covers its apex and every name below it. */
		const char *name = names[i] + (names[i][0] == '*' ? 2 : 0);

		if ((len = wire_name_from_text(name, apex)) == 0)
			return report(c, "invalid service name", name);
		rc = view_add_filter(&c->vs->vpc_zones[c->vpc], apex, len,
				     drop);
	}
	return rc;
}

static int
build_endpoint(struct ep_ctx *c)
{
	const struct conf_endpoint *ep = c->ep;
	int rc = VPC_OK;

	c->has_vpce_names = false;
	c->n_own = 0;
	memset(&c->ref, 0, sizeof(c->ref));
	/* Gateway endpoints change routing, not DNS (SPEC 1.3). */
	if (ep->type == CONF_ENDPOINT_GATEWAY)
		return build_gateway_filter(c);
	/* SPEC 1.5a: resource endpoints get no vpce names. */
	if (ep->type == CONF_ENDPOINT_INTERFACE) {
		if (catalog_parse(ep->service, &c->ref) != VPC_OK)
			return report(c, "unknown service name", ep->service);
		rc = build_vpce_names(c);
	}
	if (rc == VPC_OK && ep->private_dns)
		rc = build_private_dns(c);
	return rc;
}

int
endpoint_build(struct view_set *vs, struct conf_errors *errs)
{
	struct ep_ctx c = {.vs = vs, .errs = errs};
	int rc = VPC_OK;

	for (c.vpc = 0; c.vpc < vs->conf->n_vpcs; c.vpc++) {
		const struct conf_vpc *vpc = &vs->conf->vpcs[c.vpc];

		for (size_t i = 0; i < vpc->n_endpoints; i++) {
			int r;

			c.ep = &vpc->endpoints[i];
			if ((r = build_endpoint(&c)) == VPC_ENOMEM)
				return r;
			if (r != VPC_OK)
				rc = r;
		}
	}
	if (rc != VPC_OK)
		return rc;
	if ((rc = zoneset_finish(vs->vpce)) != VPC_OK)
		return rc;
	for (size_t i = 0; i < vs->conf->n_vpcs && rc == VPC_OK; i++) {
		rc = zoneset_finish(vs->vpc_zones[i].zones);
		if (rc == VPC_OK)
			rc = zoneset_finish(vs->vpc_zones[i].inbound_only);
	}
	return rc;
}
