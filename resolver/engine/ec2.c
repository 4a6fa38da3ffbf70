/*
 * resolver/engine/ec2.c - EC2 private hostnames and reverse names of a VPC.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * The zones hold only their SOA and NS; every other name is computed
 * from the query name and checked against the VPC's cidr-blocks.
 */
#include "config.h"

#include "engine/ec2.h"

#include <netinet/in.h>
#include <sys/socket.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "conf/conf.h"
#include "util/err.h"
#include "engine/view.h"
#include "dns/wire.h"
#include "engine/zone.h"

/* Whether the first @octets bytes of @ip can lie in one of the cidrs. */
static bool
in_cidrs(const struct zone *z, const uint8_t *ip, unsigned octets)
{
	for (size_t i = 0; i < z->n_cidrs; i++) {
		const struct conf_cidr *c = &z->cidrs[i];
		unsigned bits = octets * 8 < c->prefix ? octets * 8 : c->prefix;
		unsigned full = bits / 8, rest = bits % 8;

		if (c->family != AF_INET || memcmp(c->addr, ip, full) != 0)
			continue;
		if (rest == 0 ||
		    ((c->addr[full] ^ ip[full]) & (0xffu << (8 - rest))) == 0)
			return true;
	}
	return false;
}

/* A decimal octet of 1-3 digits without a leading zero. */
static bool
parse_octet(const uint8_t *p, size_t len, uint8_t *out)
{
	unsigned v = 0;

	if (len == 0 || len > 3 || (len > 1 && p[0] == '0'))
		return false;
	for (size_t i = 0; i < len; i++) {
		if (p[i] < '0' || p[i] > '9')
			return false;
		v = v * 10 + (unsigned)(p[i] - '0');
	}
	if (v > 255)
		return false;
	*out = (uint8_t)v;
	return true;
}

bool
ec2_parse_hostname(const struct zone *z, const uint8_t *lname, size_t len,
		   uint8_t *ip)
{
	const uint8_t *p = lname + 1;
	size_t lab = lname[0], pos = 3;
	uint8_t a[4];

	/* Exactly one label, "ip-a-b-c-d", above the apex. */
	if (len != 1 + lab + z->apex_len || lab < 10 ||
	    memcmp(p, "ip-", 3) != 0)
		return false;
	for (int i = 0; i < 4; i++) {
		size_t start = pos;

		while (pos < lab && p[pos] != '-')
			pos++;
		if (!parse_octet(p + start, pos - start, &a[i]) ||
		    (i < 3 && pos == lab))
			return false;
		pos++;
	}
	if (pos != lab + 1 || !in_cidrs(z, a, 4))
		return false;
	memcpy(ip, a, 4);
	return true;
}

/* Reads the octets of a reverse name below "in-addr.arpa" (the zone's
 * apex is at or below it); returns how many there are, or -1. */
static int
reverse_octets(const struct zone *z, const uint8_t *lname, size_t len,
	       uint8_t *ip)
{
	uint8_t rev[4];
	size_t pos = 0;
	int n = 0;

	/* in-addr.arpa. is 14 bytes; the apex holds the first octets. */
	while (len - pos > 14) {
		if (n == 4 || !parse_octet(lname + pos + 1, lname[pos],
					   &rev[n]))
			return -1;
		n++;
		pos += 1 + (size_t)lname[pos];
	}
	(void)z;
	for (int i = 0; i < n; i++)
		ip[i] = rev[n - 1 - i];
	return n;
}

bool
ec2_parse_ptr(const struct zone *z, const uint8_t *lname, size_t len,
	      uint8_t *ip)
{
	uint8_t a[4];

	if (reverse_octets(z, lname, len, a) != 4 || !in_cidrs(z, a, 4))
		return false;
	memcpy(ip, a, 4);
	return true;
}

bool
ec2_ptr_owns(const struct zone *z, const uint8_t *lname, size_t len)
{
	uint8_t a[4];
	int n = reverse_octets(z, lname, len, a);

	return n > 0 && in_cidrs(z, a, (unsigned)n);
}

size_t
ec2_hostname(const uint8_t *ip, const uint8_t *domain, size_t domain_len,
	     uint8_t *out)
{
	char label[WIRE_MAX_LABEL_LEN + 1];
	int n = snprintf(label, sizeof(label), "ip-%u-%u-%u-%u", ip[0], ip[1],
			 ip[2], ip[3]);

	if (n <= 0 || 1 + (size_t)n + domain_len > WIRE_MAX_NAME_LEN)
		return 0;
	out[0] = (uint8_t)n;
	memcpy(out + 1, label, (size_t)n);
	memcpy(out + 1 + n, domain, domain_len);
	return 1 + (size_t)n + domain_len;
}

/* The reverse apex of a cidr: its whole leading octets, at least one. */
static size_t
reverse_apex(const struct conf_cidr *c, uint8_t *out)
{
	char text[64];
	unsigned octets = c->prefix / 8;
	size_t len = 0;

	if (octets == 0)
		octets = 1;
	if (octets > 3)
		octets = 3;
	text[0] = '\0';
	for (unsigned i = octets; i-- > 0;)
		len += (size_t)snprintf(text + len, sizeof(text) - len, "%u.",
					c->addr[i]);
	snprintf(text + len, sizeof(text) - len, "in-addr.arpa");
	return wire_name_from_text(text, out);
}

/* A new zone of @apex for the VPC, not finished (records may follow);
 * VPC_ECONFIG when the VPC has a zone there already (a hosted zone of the
 * same name wins, or a sibling cidr made it). */
static int
new_synth_zone(struct zoneset *zs, const uint8_t *apex, size_t len,
	       enum zone_synth synth, const struct conf_vpc *cv,
	       const uint8_t *domain, size_t domain_len, struct zone **out)
{
	struct zone *z;
	int rc;

	if (zoneset_get_apex(zs, apex, len) != NULL)
		return VPC_ECONFIG;
	if ((rc = zone_new(apex, len, &z)) != VPC_OK)
		return rc;
	z->synthesized = true;
	z->synth = synth;
	z->cidrs = cv->cidr_blocks;
	z->n_cidrs = cv->n_cidr_blocks;
	memcpy(z->host_domain, domain, domain_len);
	z->host_domain_len = domain_len;
	*out = z;
	return VPC_OK;
}

static int
finish_add(struct zoneset *zs, struct zone *z, int rc)
{
	if (rc == VPC_OK)
		rc = zone_finish(z);
	if (rc != VPC_OK) {
		zone_free(z);
		return rc;
	}
	return zoneset_add(zs, z);
}

/* "i-0123456789abcdef0.<domain>", the instance's resource name. */
static size_t
resource_name(const struct conf_instance *in, const uint8_t *domain,
	      size_t domain_len, uint8_t *out)
{
	size_t n = strlen(in->id);

	if (n > WIRE_MAX_LABEL_LEN || 1 + n + domain_len > WIRE_MAX_NAME_LEN)
		return 0;
	out[0] = (uint8_t)n;
	memcpy(out + 1, in->id, n);
	memcpy(out + 1 + n, domain, domain_len);
	return 1 + n + domain_len;
}

/* ec2-instance-naming: the resource name answers A and AAAA as the
 * instance's enable-resource-name-dns-*-record options say. */
static int
add_resource_names(struct zone *z, const struct conf_vpc *cv)
{
	uint8_t name[WIRE_MAX_NAME_LEN];
	int rc = VPC_OK;

	for (size_t i = 0; i < cv->n_instances && rc == VPC_OK; i++) {
		const struct conf_instance *in = &cv->instances[i];
		size_t len = resource_name(in, z->apex, z->apex_len, name);

		if (len == 0)
			continue;
		if (in->resource_name_a && in->has_ipv4)
			rc = zone_add_rr(z, name, len, WIRE_TYPE_A, EC2_TTL,
					 in->ipv4, 4);
		if (rc == VPC_OK && in->resource_name_aaaa && in->has_ipv6)
			rc = zone_add_rr(z, name, len, WIRE_TYPE_AAAA, EC2_TTL,
					 in->ipv6, 16);
	}
	return rc;
}

/* "d.c.b.a.in-addr.arpa" of @ip. */
static size_t
reverse4(const uint8_t *ip, uint8_t *out)
{
	char text[64];

	snprintf(text, sizeof(text), "%u.%u.%u.%u.in-addr.arpa", ip[3], ip[2],
		 ip[1], ip[0]);
	return wire_name_from_text(text, out);
}

/* The ip6.arpa name of the first @nibbles nibbles of @ip. */
static size_t
reverse6(const uint8_t *ip, unsigned nibbles, uint8_t *out)
{
	char text[128];
	size_t n = 0;

	for (unsigned i = nibbles; i-- > 0;)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "%x.",
				      (unsigned)(ip[i / 2] >> (i % 2 ? 0 : 4)) &
					  0xfu);
	snprintf(text + n, sizeof(text) - n, "ip6.arpa");
	return wire_name_from_text(text, out);
}

/* A resource-name instance's IPv4 PTR names it by its resource name (its
 * hostname); ip-name instances keep the computed ip-a-b-c-d answer. */
static int
add_ptr4(struct zone *z, const struct conf_vpc *cv, const uint8_t *domain,
	 size_t domain_len)
{
	uint8_t owner[WIRE_MAX_NAME_LEN], target[WIRE_MAX_NAME_LEN];
	int rc = VPC_OK;

	for (size_t i = 0; i < cv->n_instances && rc == VPC_OK; i++) {
		const struct conf_instance *in = &cv->instances[i];
		size_t olen, tlen;

		if (!in->has_ipv4 ||
		    in->hostname_type != CONF_HOSTNAME_RESOURCE_NAME ||
		    (olen = reverse4(in->ipv4, owner)) == 0 ||
		    !wire_name_is_below(owner, olen, z->apex, z->apex_len) ||
		    (tlen = resource_name(in, domain, domain_len, target)) ==
			    0)
			continue;
		rc = zone_add_rr(z, owner, olen, WIRE_TYPE_PTR, EC2_TTL, target,
				 (uint16_t)tlen);
	}
	return rc;
}

/* The IPv6 reverse zone of an IPv6 cidr-block: PTR to the resource name
 * for every instance address it knows, NXDOMAIN for the others. */
static int
build_ptr6(struct zoneset *zs, const struct conf_vpc *cv,
	   const struct conf_cidr *c, const uint8_t *domain,
	   size_t domain_len)
{
	uint8_t apex[WIRE_MAX_NAME_LEN], owner[WIRE_MAX_NAME_LEN],
		target[WIRE_MAX_NAME_LEN];
	size_t alen = reverse6(c->addr, c->prefix / 4, apex), olen, tlen;
	struct zone *z;
	int rc;

	if (alen == 0)
		return VPC_OK;
	rc = new_synth_zone(zs, apex, alen, ZONE_SYNTH_PTR6, cv, domain,
			    domain_len, &z);
	if (rc != VPC_OK)
		return rc;
	for (size_t i = 0; i < cv->n_instances && rc == VPC_OK; i++) {
		const struct conf_instance *in = &cv->instances[i];

		if (!in->has_ipv6 || (olen = reverse6(in->ipv6, 32, owner)) ==
					     0 ||
		    !wire_name_is_below(owner, olen, apex, alen) ||
		    (tlen = resource_name(in, domain, domain_len, target)) ==
			    0)
			continue;
		rc = zone_add_rr(z, owner, olen, WIRE_TYPE_PTR, EC2_TTL, target,
				 (uint16_t)tlen);
	}
	return finish_add(zs, z, rc);
}

/*
 * ec2-instance-naming: inside the VPC an instance's public DNS name
 * (ec2-54-1-2-3.compute-1.amazonaws.com in us-east-1,
 * ec2-54-1-2-3.<region>.compute.amazonaws.com elsewhere) answers its
 * private IPv4.  The zone owns only those names; other public names are
 * forwarded.
 */
static int
build_public(struct zoneset *zs, const struct conf_vpc *cv)
{
	uint8_t apex[WIRE_MAX_NAME_LEN], owner[WIRE_MAX_NAME_LEN];
	char text[WIRE_MAX_NAME_LEN];
	struct zone *z = NULL;
	size_t alen;
	int rc = VPC_OK;

	if (strcmp(cv->region, "us-east-1") == 0)
		snprintf(text, sizeof(text), "compute-1.amazonaws.com");
	else
		snprintf(text, sizeof(text), "%s.compute.amazonaws.com",
			 cv->region);
	if ((alen = wire_name_from_text(text, apex)) == 0)
		return VPC_OK;
	for (size_t i = 0; i < cv->n_instances && rc == VPC_OK; i++) {
		const struct conf_instance *in = &cv->instances[i];
		const uint8_t *p = in->public_ipv4;
		char label[WIRE_MAX_LABEL_LEN + 1];
		int n;

		if (!in->has_public_ipv4 || !in->has_ipv4)
			continue;
		if (z == NULL && (rc = new_synth_zone(zs, apex, alen,
						      ZONE_SYNTH_NONE, cv, apex,
						      alen, &z)) != VPC_OK)
			return rc == VPC_ECONFIG ? VPC_OK : rc;
		n = snprintf(label, sizeof(label), "ec2-%u-%u-%u-%u", p[0],
			     p[1], p[2], p[3]);
		owner[0] = (uint8_t)n;
		memcpy(owner + 1, label, (size_t)n);
		memcpy(owner + 1 + n, apex, alen);
		rc = zone_add_owned_prefix(z, owner + 1, (size_t)n);
		if (rc == VPC_OK)
			rc = zone_add_rr(z, owner, 1 + (size_t)n + alen,
					 WIRE_TYPE_A, EC2_TTL, in->ipv4, 4);
	}
	return z == NULL ? rc : finish_add(zs, z, rc);
}

static int
build_vpc(struct view_set *vs, size_t i, struct conf_errors *errs)
{
	const struct conf_vpc *cv = &vs->conf->vpcs[i];
	struct zoneset *zs = vs->vpc_zones[i].zones;
	uint8_t domain[WIRE_MAX_NAME_LEN], apex[WIRE_MAX_NAME_LEN];
	char text[WIRE_MAX_NAME_LEN];
	struct zone *z;
	size_t dlen, alen;
	bool v4 = false;
	int rc;

	/* Without IPv4 ranges there is no hostname to answer: leave the
	 * domain to the upstreams rather than answer NXDOMAIN for all. */
	for (size_t j = 0; j < cv->n_cidr_blocks; j++)
		v4 |= cv->cidr_blocks[j].family == AF_INET;
	if (!v4)
		return VPC_OK;
	/* us-east-1 keeps the original domain (AWS EC2 documentation). */
	if (strcmp(cv->region, "us-east-1") == 0)
		snprintf(text, sizeof(text), "ec2.internal");
	else
		snprintf(text, sizeof(text), "%s.compute.internal",
			 cv->region);
	if ((dlen = wire_name_from_text(text, domain)) == 0)
		return VPC_OK;
	rc = new_synth_zone(zs, domain, dlen, ZONE_SYNTH_EC2, cv, domain, dlen,
			    &z);
	if (rc == VPC_OK)
		rc = finish_add(zs, z, add_resource_names(z, cv));
	if (rc == VPC_ECONFIG)
		rc = VPC_OK; /* the VPC's own hosted zone of that name wins */
	for (size_t j = 0; j < cv->n_cidr_blocks && rc == VPC_OK; j++) {
		const struct conf_cidr *c = &cv->cidr_blocks[j];

		if (c->family == AF_INET6) {
			rc = build_ptr6(zs, cv, c, domain, dlen);
		} else {
			alen = reverse_apex(c, apex);
			rc = new_synth_zone(zs, apex, alen, ZONE_SYNTH_PTR, cv,
					    domain, dlen, &z);
			if (rc == VPC_OK)
				rc = finish_add(zs, z,
						add_ptr4(z, cv, domain, dlen));
		}
		if (rc == VPC_ECONFIG)
			rc = VPC_OK;
	}
	if (rc == VPC_OK)
		rc = build_public(zs, cv);
	(void)errs;
	return rc;
}

int
ec2_build(struct view_set *vs, struct conf_errors *errs)
{
	int rc = VPC_OK;

	for (size_t i = 0; i < vs->conf->n_vpcs && rc == VPC_OK; i++)
		if (vs->conf->vpcs[i].enable_dns_hostnames)
			rc = build_vpc(vs, i, errs);
	return rc;
}
