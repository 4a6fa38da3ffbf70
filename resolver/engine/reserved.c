/*
 * resolver/engine/reserved.c - the reserved names every VPC answers itself.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Each reserved name becomes a small stored zone marked
 * ZONE_SYNTH_RESERVED (so that check and export tell it from the user's
 * zones); what it does not hold is NXDOMAIN like in any private zone.
 */
#include "config.h"

#include "engine/reserved.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "conf/conf.h"
#include "dns/wire.h"
#include "engine/view.h"
#include "engine/zone.h"
#include "util/err.h"

static const uint8_t loop4[4] = {127, 0, 0, 1};
static const uint8_t loop6[16] = {[15] = 1};

/* "localhost." in wire format, the PTR target of the loopback names. */
static const uint8_t localhost[] = "\x09localhost";

static int
add_loopback(struct zone *z, const uint8_t *owner, size_t len)
{
	int rc = zone_add_rr(z, owner, len, WIRE_TYPE_A, RESERVED_TTL, loop4,
			     sizeof(loop4));

	if (rc == VPC_OK)
		rc = zone_add_rr(z, owner, len, WIRE_TYPE_AAAA, RESERVED_TTL,
				 loop6, sizeof(loop6));
	return rc;
}

static int
add_ptr_localhost(struct zone *z, const uint8_t *owner, size_t len)
{
	return zone_add_rr(z, owner, len, WIRE_TYPE_PTR, RESERVED_TTL,
			   localhost, sizeof(localhost));
}

/* The ip6.arpa name of ::@last (all zero nibbles but the last). */
static size_t
ip6_name(unsigned last, uint8_t *out)
{
	char text[128];
	size_t n = 0;

	n += (size_t)snprintf(text, sizeof(text), "%x", last);
	for (int i = 1; i < 32; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, ".0");
	snprintf(text + n, sizeof(text) - n, ".ip6.arpa");
	return wire_name_from_text(text, out);
}

/* Whether an EC2 reverse zone of the VPC sits at or above @apex (its
 * cidr-block is wider): then the reserved zone would hide its names. */
static bool
under_ec2_reverse(struct zoneset *zs, const uint8_t *apex, size_t len)
{
	for (size_t i = 0; i < zoneset_count(zs); i++) {
		const struct zone *z = zoneset_get(zs, i);

		if (z->synth == ZONE_SYNTH_PTR &&
		    wire_name_is_below(apex, len, z->apex, z->apex_len))
			return true;
	}
	return false;
}

/* Adds the zone of the lower-case @apex, filled by @fill (NULL: empty),
 * unless the VPC already has a zone there. */
static int
add_zone_wire(struct zoneset *zs, const uint8_t *apex, size_t len,
	      int (*fill)(struct zone *z))
{
	struct zone *z;
	int rc;

	if ((z = zoneset_get_apex(zs, apex, len)) != NULL) {
		/* An EC2 reverse zone of the same apex answers the rest of
		 * the reserved zone: NXDOMAIN.  A hosted zone wins. */
		if (z->synth == ZONE_SYNTH_PTR)
			z->nx_others = true;
		return VPC_OK;
	}
	if (under_ec2_reverse(zs, apex, len))
		return VPC_OK; /* a wider EC2 reverse zone */
	if ((rc = zone_new(apex, len, &z)) != VPC_OK)
		return rc;
	z->synthesized = true;
	z->synth = ZONE_SYNTH_RESERVED;
	if ((fill != NULL && (rc = fill(z)) != VPC_OK) ||
	    (rc = zone_finish(z)) != VPC_OK) {
		zone_free(z);
		return rc;
	}
	return zoneset_add(zs, z);
}

static int
add_zone(struct zoneset *zs, const char *text, int (*fill)(struct zone *z))
{
	uint8_t apex[WIRE_MAX_NAME_LEN];
	size_t len = wire_name_from_text(text, apex);

	if (len == 0)
		return VPC_EMALFORMED;
	return add_zone_wire(zs, apex, len, fill);
}

/* RFC 6761 §6.3: localhost and every name below it are the loopback. */
static int
fill_localhost(struct zone *z)
{
	uint8_t star[WIRE_MAX_NAME_LEN];
	int rc = add_loopback(z, z->apex, z->apex_len);

	star[0] = 1;
	star[1] = '*';
	memcpy(star + 2, z->apex, z->apex_len);
	return rc == VPC_OK ? add_loopback(z, star, z->apex_len + 2) : rc;
}

/* localhost.localdomain, as /etc/hosts files commonly have it. */
static int
fill_localdomain(struct zone *z)
{
	uint8_t name[WIRE_MAX_NAME_LEN];

	memcpy(name, localhost, sizeof(localhost) - 1);
	memcpy(name + sizeof(localhost) - 1, z->apex, z->apex_len);
	return add_loopback(z, name, sizeof(localhost) - 1 + z->apex_len);
}

static int
fill_127(struct zone *z)
{
	uint8_t name[WIRE_MAX_NAME_LEN];

	memcpy(name, "\x01" "1\x01" "0\x01" "0", 6);
	memcpy(name + 6, z->apex, z->apex_len);
	return add_ptr_localhost(z, name, 6 + z->apex_len);
}

static int
fill_ip6_loopback(struct zone *z)
{
	return add_ptr_localhost(z, z->apex, z->apex_len);
}

static int
build_vpc(struct view_set *vs, size_t i)
{
	const struct conf_vpc *cv = &vs->conf->vpcs[i];
	struct zoneset *zs = vs->vpc_zones[i].zones;
	uint8_t wire[WIRE_MAX_NAME_LEN];
	char text[64];
	int rc;

	rc = add_zone(zs, "localhost", fill_localhost);
	if (rc == VPC_OK)
		rc = add_zone(zs, "localdomain", fill_localdomain);
	if (rc == VPC_OK)
		rc = add_zone(zs, "127.in-addr.arpa", fill_127);
	for (unsigned last = 0; last <= 1 && rc == VPC_OK; last++) {
		size_t len = ip6_name(last, wire);

		if (len == 0)
			return VPC_EMALFORMED;
		rc = add_zone_wire(zs, wire, len,
				   last == 1 ? fill_ip6_loopback : NULL);
	}
	if (!cv->autodefined_reverse)
		return rc;
	if (rc == VPC_OK)
		rc = add_zone(zs, "10.in-addr.arpa", NULL);
	for (unsigned b = 16; b <= 31 && rc == VPC_OK; b++) {
		snprintf(text, sizeof(text), "%u.172.in-addr.arpa", b);
		rc = add_zone(zs, text, NULL);
	}
	if (rc == VPC_OK)
		rc = add_zone(zs, "168.192.in-addr.arpa", NULL);
	if (rc == VPC_OK)
		rc = add_zone(zs, "254.169.254.169.in-addr.arpa", NULL);
	return rc;
}

int
reserved_build(struct view_set *vs, struct conf_errors *errs)
{
	int rc = VPC_OK;

	(void)errs;
	for (size_t i = 0; i < vs->conf->n_vpcs && rc == VPC_OK; i++)
		if (vs->conf->vpcs[i].enable_dns_hostnames)
			rc = build_vpc(vs, i);
	return rc;
}
