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

static int
add_synth_zone(struct zoneset *zs, const uint8_t *apex, size_t len,
	       enum zone_synth synth, const struct conf_vpc *cv,
	       const uint8_t *domain, size_t domain_len)
{
	struct zone *z;
	int rc;

	if (zoneset_get_apex(zs, apex, len) != NULL)
		return VPC_ECONFIG; /* a hosted zone or a sibling cidr */
	if ((rc = zone_new(apex, len, &z)) != VPC_OK)
		return rc;
	z->synthesized = true;
	z->synth = synth;
	z->cidrs = cv->cidr_blocks;
	z->n_cidrs = cv->n_cidr_blocks;
	memcpy(z->host_domain, domain, domain_len);
	z->host_domain_len = domain_len;
	if ((rc = zone_finish(z)) != VPC_OK) {
		zone_free(z);
		return rc;
	}
	return zoneset_add(zs, z);
}

static int
build_vpc(struct view_set *vs, size_t i, struct conf_errors *errs)
{
	const struct conf_vpc *cv = &vs->conf->vpcs[i];
	struct zoneset *zs = vs->vpc_zones[i].zones;
	uint8_t domain[WIRE_MAX_NAME_LEN], apex[WIRE_MAX_NAME_LEN];
	char text[WIRE_MAX_NAME_LEN];
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
	rc = add_synth_zone(zs, domain, dlen, ZONE_SYNTH_EC2, cv, domain, dlen);
	if (rc == VPC_ECONFIG)
		rc = VPC_OK; /* the VPC's own hosted zone of that name wins */
	for (size_t j = 0; j < cv->n_cidr_blocks && rc == VPC_OK; j++) {
		if (cv->cidr_blocks[j].family != AF_INET)
			continue;
		alen = reverse_apex(&cv->cidr_blocks[j], apex);
		rc = add_synth_zone(zs, apex, alen, ZONE_SYNTH_PTR, cv, domain,
				    dlen);
		if (rc == VPC_ECONFIG)
			rc = VPC_OK;
	}
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
