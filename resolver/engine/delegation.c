/*
 * resolver/engine/delegation.c - the name servers a private hosted zone
 * delegates a subdomain to (Route 53 Resolver DELEGATE rules).
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * See delegation.h.  AWS: "VPC Resolver sends a query to the delegated
 * name servers when the NS records ... match the domain name specified in
 * the delegation record", with or without glue in the hosted zone
 * (outbound-delegation-tutorial).  Addresses found in the VPC's own zones
 * come first, in the order of the NS RRset, then host names the edge
 * resolves, so a lab can delegate to a docker-compose service name.
 */
#include "config.h"

#include "engine/delegation.h"

#include <netinet/in.h>

#include <stdio.h>
#include <string.h>

#include "conf/conf.h"
#include "dns/wire.h"
#include "engine/zone.h"
#include "util/err.h"
#include "util/log.h"

/* RFC 1035 §4.2: name servers answer on port 53. */
#define DELEGATION_PORT 53

static void
put_addr(struct conf_sockaddr *sa, uint16_t type, const uint8_t *rdata)
{
	memset(sa, 0, sizeof(*sa));
	if (type == WIRE_TYPE_A) {
		struct sockaddr_in *in = (struct sockaddr_in *)&sa->ss;

		in->sin_family = AF_INET;
		in->sin_port = htons(DELEGATION_PORT);
		memcpy(&in->sin_addr, rdata, 4);
		sa->len = sizeof(*in);
	} else {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&sa->ss;

		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(DELEGATION_PORT);
		memcpy(&in6->sin6_addr, rdata, 16);
		sa->len = sizeof(*in6);
	}
}

/* The A and AAAA records of @host (lower-case wire) in @zs. */
static size_t
local_addrs(const struct zoneset *zs, const uint8_t *host, size_t len,
	    struct conf_sockaddr *out, size_t max)
{
	static const uint16_t types[] = {WIRE_TYPE_A, WIRE_TYPE_AAAA};
	const struct zone *z = zoneset_find(zs, host, len);
	const struct zone_node *node = z ? zone_find(z, host, len) : NULL;
	size_t n = 0;

	for (size_t t = 0; node != NULL && t < 2; t++) {
		const struct zone_rrset *rs = zone_rrset(node, types[t]);
		struct wire_rdata_iter it;
		const uint8_t *rd;
		uint16_t rdlen;

		if (rs == NULL)
			continue;
		wire_rdata_begin(&it, rs->rdata, rs->len);
		while (n < max && wire_rdata_next(&it, &rd, &rdlen))
			if (rdlen == (types[t] == WIRE_TYPE_A ? 4 : 16))
				put_addr(&out[n++], types[t], rd);
	}
	return n;
}

/* The NS RRset that delegates @domain: at @domain, below a zone apex. */
static const struct zone_rrset *
find_cut(const struct zoneset *zs, const uint8_t *domain, size_t len)
{
	const struct zone *z = zoneset_find(zs, domain, len);
	const struct zone_node *node;

	/* NS records at an apex are the zone's own servers, not a cut. */
	if (z == NULL || z->apex_len == len)
		return NULL;
	node = zone_find(z, domain, len);
	return node != NULL ? zone_rrset(node, WIRE_TYPE_NS) : NULL;
}

int
delegation_servers(const struct zoneset *zs, const uint8_t *domain,
		   size_t len, view_resolve_fn resolve,
		   struct conf_sockaddr *out, size_t max, size_t *n,
		   char why[DELEGATION_WHY_MAX])
{
	const struct zone_rrset *ns = find_cut(zs, domain, len);
	char text[LOG_NAME_MAX], names[DELEGATION_WHY_MAX / 2] = "";
	struct wire_rdata_iter it;
	const uint8_t *rd;
	uint16_t rdlen;
	size_t got = 0;

	log_name(domain, len, text);
	if (ns == NULL) {
		snprintf(why, DELEGATION_WHY_MAX,
			 "delegate rule for '%s': no hosted zone of the VPC has "
			 "NS records for it below its apex",
			 text);
		return VPC_ENOTFOUND;
	}
	/* Names of the zone's own data first, then the edge's resolver. */
	for (int pass = 0; pass < 2; pass++) {
		wire_rdata_begin(&it, ns->rdata, ns->len);
		while (got < max && wire_rdata_next(&it, &rd, &rdlen)) {
			uint8_t host[WIRE_MAX_NAME_LEN];
			size_t hlen = wire_name_len(rd), local;

			if (hlen > rdlen)
				continue;
			wire_name_lower(host, rd, hlen);
			local = local_addrs(zs, host, hlen, out + got,
					    max - got);
			if (pass == 0) {
				got += local;
				log_name(host, hlen, text);
				if (strlen(names) + strlen(text) + 3 <
				    sizeof(names))
					snprintf(names + strlen(names),
						 sizeof(names) - strlen(names),
						 "%s%s", names[0] ? ", " : "",
						 text);
			} else if (local == 0 && resolve != NULL) {
				log_name(host, hlen, text);
				/* log_name() ends in the root's dot. */
				text[strlen(text) - 1] = '\0';
				got += resolve(text, DELEGATION_PORT, out + got,
					       max - got);
			}
		}
	}
	if (got == 0) {
		log_name(domain, len, text);
		snprintf(why, DELEGATION_WHY_MAX,
			 "delegate rule for '%s': its name servers (%s) have "
			 "no address in the VPC's hosted zones and do not "
			 "resolve",
			 text, names);
		return VPC_ENOTFOUND;
	}
	*n = got;
	return VPC_OK;
}
