/*
 * resolver/engine/alias.c - Route 53 alias records: load-time checks and
 * answers from upstream replies.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * See alias.h.  The check resolves each target through the VPC's view as
 * a query would (zones, then rules, wildcards included), so what it
 * accepts is exactly what answers at query time.  Route 53 allows an
 * alias to a record only within its own zone; vpcdns also follows one
 * into another zone the VPC has (documented extension), and there a
 * target of the right name without records of the type answers NODATA
 * rather than being refused.
 */
#include "config.h"

#include "engine/alias.h"

#include <string.h>

#include "conf/conf.h"
#include "dns/msg.h"
#include "dns/wire.h"
#include "engine/answer.h"
#include "engine/policy.h"
#include "engine/view.h"
#include "engine/zone.h"
#include "util/err.h"
#include "util/log.h"

struct check {
	const struct view *view;
	const struct zone *zone;     /* the zone holding the alias */
	const struct policy_set *set; /* the alias's name and type */
	const struct policy_rr *rr;  /* the alias being checked */
	struct conf_errors *errs;
	int rc;
};

static void
check_err(struct check *c, const char *fmt, const uint8_t *name, size_t len)
{
	char text[LOG_NAME_MAX];

	log_name(name, len, text);
	if (conf_errors_add(c->errs, c->rr->origin, 0, fmt, text) != VPC_OK)
		c->rc = VPC_ENOMEM;
	else if (c->rc == VPC_OK)
		c->rc = VPC_ECONFIG;
}

/* Follows @target (lower-case wire) @depth hops from the alias; returns
 * false once a problem was reported. */
static bool
follow(struct check *c, const uint8_t *target, size_t len, unsigned depth)
{
	const struct zone *z = view_find_zone(c->view, target, len);
	const struct view_rule *r = view_find_rule(c->view, target, len);
	const struct policy_set *ps;
	const struct zone_node *n;

	if (depth > 0 && len == c->set->name_len &&
	    memcmp(target, c->set->name, len) == 0) {
		check_err(c, "alias cycle: the chain comes back to %s", target,
			  len);
		return false;
	}
	if (depth >= ANSWER_MAX_CNAME_HOPS) {
		check_err(c, "alias chain longer than 8 records (or a cycle) "
			     "at %s", target, len);
		return false;
	}
	/* Not local (upstream, or a rule sends it there): fine. */
	if (z == NULL || (r != NULL && r->len >= z->apex_len) ||
	    z->synth != ZONE_SYNTH_NONE)
		return true;
	if ((n = zone_find(z, target, len)) == NULL)
		n = zone_find_wildcard(z, target, len);
	if (n == NULL) {
		check_err(c, z == c->zone
				     ? "alias target %s does not exist in the "
				       "zone"
				     : "alias target %s does not exist",
			  target, len);
		return false;
	}
	if ((ps = policy_find(z->policies, n->name, n->name_len,
			      c->set->type)) != NULL) {
		for (size_t i = 0; i < ps->n; i++)
			if (ps->rrs[i].alias_len > 0 &&
			    !follow(c, ps->rrs[i].alias, ps->rrs[i].alias_len,
				    depth + 1))
				return false;
		return true;
	}
	if (zone_rrset(n, c->set->type) != NULL ||
	    zone_rrset(n, WIRE_TYPE_CNAME) != NULL ||
	    policy_find(z->policies, n->name, n->name_len, WIRE_TYPE_CNAME))
		return true;
	/* Route 53 refuses an alias to a name of its zone without records
	 * of the alias's type. */
	if (z == c->zone) {
		check_err(c, "alias target %s has no records of the alias's "
			     "type in the zone", target, len);
		return false;
	}
	return true;
}

static void
check_zone(struct check *c, const struct zone *z)
{
	const struct policy_table *t = z->policies;

	c->zone = z;
	for (size_t i = 0; t != NULL && i < t->n && c->rc != VPC_ENOMEM; i++)
		for (size_t j = 0; j < t->sets[i].n; j++) {
			c->set = &t->sets[i];
			c->rr = &t->sets[i].rrs[j];
			if (c->rr->alias_len > 0)
				follow(c, c->rr->alias, c->rr->alias_len, 0);
		}
}

int
alias_check(const struct view_set *vs, struct conf_errors *errs)
{
	struct check c = {.errs = errs};

	for (size_t i = 0; i < vs->n_vpcs && c.rc != VPC_ENOMEM; i++) {
		const struct zoneset *zs = vs->vpc_zones[i].zones;

		c.view = &vs->vpcs[i];
		for (size_t j = 0; j < zoneset_count(zs); j++)
			check_zone(&c, zoneset_get(zs, j));
	}
	return c.rc;
}

int
alias_add_upstream(struct msg_builder *b, const uint8_t *rrs, size_t len,
		   const uint16_t count[3], uint32_t age, uint16_t qtype,
		   const uint8_t *owner, size_t owner_len)
{
	uint8_t name[WIRE_MAX_NAME_LEN];
	struct wire_reader r;
	int added = 0;

	wire_reader_init(&r, rrs, len);
	for (unsigned i = 0; i < count[MSG_ANSWER]; i++) {
		uint16_t type, rclass, rdlen;
		const uint8_t *rdata;
		uint32_t ttl;

		wire_read_name(&r, name);
		type = wire_read_u16(&r);
		rclass = wire_read_u16(&r);
		ttl = wire_read_u32(&r);
		rdlen = wire_read_u16(&r);
		rdata = r.buf + r.pos;
		wire_skip(&r, rdlen);
		if (r.err != VPC_OK)
			return -1;
		if (type != qtype)
			continue;
		msg_add_rr(b, MSG_ANSWER, owner, owner_len, type, rclass,
			   ttl > age ? ttl - age : 0, rdata, rdlen);
		added++;
	}
	return added;
}
