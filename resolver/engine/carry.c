/*
 * resolver/engine/carry.c - what of the answer cache survives a reload:
 * forwarder groups matched by identity, entries renumbered or dropped.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Groups are matched pairwise (old x new); a data set has one group per
 * forward or delegate rule of each VPC, so this is small next to the
 * walk over the cache.  The walk asks each surviving entry's name of
 * every view in the worst case (a name now local everywhere), two hash
 * probes per view: about 1 µs an entry, 100 ms for 100,000 entries.  So
 * it is skipped when no name can change its route (every view has the
 * same zones, owning the same names, and the same rules, groups mapped):
 * then entries are only renumbered, and not even that when the map is
 * the identity.
 */
#include "config.h"

#include "engine/carry.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "engine/cache.h"
#include "engine/view.h"
#include "engine/zone.h"
#include "engine/zoneset.h"
#include "util/err.h"

/* The rule of each group (NULL for the default upstreams and any group
 * no rule names), in @out[vs->n_groups]. */
static void
rules_of(const struct view_set *vs, const struct view_rule **out)
{
	memset(out, 0, vs->n_groups * sizeof(*out));
	for (size_t i = 0; i < vs->n_vpcs; i++) {
		const struct view_vpc_zones *vz = &vs->vpc_zones[i];

		for (size_t j = 0; j < vz->n_rules; j++)
			if (!vz->rules[j].system &&
			    vz->rules[j].group < vs->n_groups)
				out[vz->rules[j].group] = &vz->rules[j];
	}
}

static bool
same_text(const char *a, const char *b)
{
	return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* Same targets: the addresses (and ports) and the host names left to the
 * edge, in order (the order is the order they are tried in). */
static bool
same_targets(const struct view_group *a, const struct view_group *b)
{
	if (a->n_addrs != b->n_addrs || a->n_hosts != b->n_hosts)
		return false;
	for (size_t i = 0; i < a->n_addrs; i++)
		if (a->addrs[i].len != b->addrs[i].len ||
		    memcmp(&a->addrs[i].ss, &b->addrs[i].ss, a->addrs[i].len) !=
			0)
			return false;
	for (size_t i = 0; i < a->n_hosts; i++)
		if (!same_text(a->hosts[i], b->hosts[i]))
			return false;
	return true;
}

static bool
same_rule(const struct view_rule *a, const struct view_rule *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return a->len == b->len && memcmp(a->domain, b->domain, a->len) == 0 &&
	       a->conf->type == b->conf->type &&
	       a->conf->protocol == b->conf->protocol &&
	       same_text(a->conf->server_name, b->conf->server_name) &&
	       same_text(a->conf->ca_file, b->conf->ca_file) &&
	       same_text(a->conf->doh_path, b->conf->doh_path);
}

/* Whether old group @og and new group @ng are the same forwarders. */
static bool
same_group(const struct view_set *old, const struct view_rule *const *orule,
	   uint32_t og, const struct view_set *new,
	   const struct view_rule *const *nrule, uint32_t ng)
{
	if ((og == VIEW_FWD_DEFAULT) != (ng == VIEW_FWD_DEFAULT))
		return false;
	if (og != VIEW_FWD_DEFAULT && (orule[og] == NULL || nrule[ng] == NULL))
		return false; /* no identity to match by */
	return same_rule(orule[og], nrule[ng]) &&
	       same_targets(&old->groups[og], &new->groups[ng]);
}

int
carry_group_map(const struct view_set *old, const struct view_set *new,
		uint32_t *map)
{
	const struct view_rule **orule = calloc(old->n_groups + 1,
						sizeof(*orule));
	const struct view_rule **nrule = calloc(new->n_groups + 1,
						sizeof(*nrule));
	bool *used = calloc(new->n_groups + 1, sizeof(*used));
	int rc = VPC_ENOMEM;

	if (orule == NULL || nrule == NULL || used == NULL)
		goto out;
	rules_of(old, orule);
	rules_of(new, nrule);
	for (uint32_t og = 0; og < old->n_groups; og++) {
		uint32_t first = CARRY_GROUP_GONE;

		map[og] = CARRY_GROUP_GONE;
		for (uint32_t ng = 0; ng < new->n_groups; ng++) {
			if (!same_group(old, orule, og, new, nrule, ng))
				continue;
			if (first == CARRY_GROUP_GONE)
				first = ng;
			if (!used[ng]) {
				used[ng] = true;
				map[og] = ng;
				break;
			}
		}
		if (map[og] == CARRY_GROUP_GONE)
			map[og] = first;
	}
	rc = VPC_OK;
out:
	free(orule);
	free(nrule);
	free(used);
	return rc;
}

/* answer.c resolve()'s decision for a name: the most specific of zones
 * and rules, a rule winning a tie; a system rule goes to the default
 * upstreams.  UINT32_MAX: answered locally. */
static uint32_t
route(const struct view *v, const uint8_t *lname, size_t len)
{
	const struct zone *z = view_find_zone(v, lname, len);
	const struct view_rule *r = view_find_rule(v, lname, len);

	if (r != NULL && (z == NULL || r->len >= z->apex_len))
		return r->group;
	return z == NULL ? v->fwd_group : UINT32_MAX;
}

bool
carry_forwards_to(const struct view_set *vs, uint32_t group,
		  const uint8_t *lname, size_t len)
{
	/* The outside view answers only when every VPC has `clients`
	 * (else the VPC without takes everyone else).  An inbound view
	 * is asked even when no listener leads to it: keeping an entry
	 * too many costs memory, dropping one it serves would cost a
	 * query. */
	if (vs->fallback == &vs->outside &&
	    route(&vs->outside, lname, len) == group)
		return true;
	for (size_t i = 0; i < vs->n_vpcs; i++)
		if (route(&vs->vpcs[i], lname, len) == group ||
		    route(&vs->inbound[i], lname, len) == group)
			return true;
	return false;
}

/* Same owned label prefixes, in order: each is a length byte and that
 * many bytes (the rest of its slot is not written, so never compared). */
static bool
same_owned(const struct zone *x, const struct zone *y)
{
	for (size_t j = 0; j < x->n_owned; j++)
		if (x->owned[j][0] != y->owned[j][0] ||
		    memcmp(x->owned[j] + 1, y->owned[j] + 1, x->owned[j][0]) !=
			    0)
			return false;
	return true;
}

/* Same zones owning the same names (apex and owned label prefixes). */
static bool
same_zones(const struct zoneset *a, const struct zoneset *b)
{
	size_t n = zoneset_count(a);

	if (a == b)
		return true;
	if (n != zoneset_count(b))
		return false;
	for (size_t i = 0; i < n; i++) {
		const struct zone *x = zoneset_get(a, i), *y = zoneset_get(b, i);

		if (x->apex_len != y->apex_len || x->n_owned != y->n_owned ||
		    memcmp(x->apex, y->apex, x->apex_len) != 0 ||
		    !same_owned(x, y))
			return false;
	}
	return true;
}

/* Whether view @a (old) routes every name as @b (new) does, groups
 * through @map: the same zones and rules, in order. */
static bool
same_view(const struct view *a, const struct view *b, const uint32_t *map)
{
	if (map[a->fwd_group] != b->fwd_group ||
	    a->n_zonesets != b->n_zonesets || a->n_rules != b->n_rules)
		return false;
	for (size_t i = 0; i < a->n_zonesets; i++)
		if (!same_zones(a->zonesets[i], b->zonesets[i]))
			return false;
	for (size_t i = 0; i < a->n_rules; i++) {
		const struct view_rule *x = &a->rules[i], *y = &b->rules[i];

		if (x->len != y->len || x->system != y->system ||
		    memcmp(x->domain, y->domain, x->len) != 0 ||
		    (!x->system && map[x->group] != y->group))
			return false;
	}
	return true;
}

/* Whether no name changes its route (most reloads: zone data edited, a
 * SIGHUP with nothing changed): then no entry needs asking the views. */
static bool
same_routing(const struct view_set *old, const struct view_set *new,
	     const uint32_t *map)
{
	if (old->n_vpcs != new->n_vpcs ||
	    (old->fallback == &old->outside) !=
		(new->fallback == &new->outside) ||
	    !same_view(&old->outside, &new->outside, map))
		return false;
	for (size_t i = 0; i < old->n_vpcs; i++)
		if ((old->fallback == &old->vpcs[i]) !=
			(new->fallback == &new->vpcs[i]) ||
		    !same_view(&old->vpcs[i], &new->vpcs[i], map) ||
		    !same_view(&old->inbound[i], &new->inbound[i], map))
			return false;
	return true;
}

struct carry_ctx {
	const struct view_set *new;
	bool same;             /* same_routing(): keep every mapped entry */
	struct carry_stats st;
};

static bool
keep_entry(void *arg, uint32_t old_group, uint32_t new_group,
	   const uint8_t *lname, size_t len)
{
	struct carry_ctx *cx = arg;

	if (!cx->same && !carry_forwards_to(cx->new, new_group, lname, len)) {
		cx->st.local++;
		return false;
	}
	cx->st.kept++;
	if (old_group != new_group)
		cx->st.regrouped++;
	return true;
}

static bool
identity(const uint32_t *map, size_t n_old, size_t n_new)
{
	if (n_old != n_new)
		return false;
	for (size_t g = 0; g < n_old; g++)
		if (map[g] != g)
			return false;
	return true;
}

int
carry_cache(struct cache *c, const struct view_set *old,
	    const struct view_set *new, struct carry_stats *st)
{
	struct carry_ctx cx = {.new = new};
	struct cache_stats before, after;
	uint32_t *map = calloc(old->n_groups + 1, sizeof(*map));
	int rc = VPC_OK;

	cache_get_stats(c, &before);
	if (map == NULL || carry_group_map(old, new, map) != VPC_OK) {
		/* Without the map no entry's group can be trusted. */
		cache_regroup(c, NULL, 0, keep_entry, &cx);
		rc = VPC_ENOMEM;
	} else if ((cx.same = same_routing(old, new, map)) &&
		   identity(map, old->n_groups, new->n_groups)) {
		/* Nothing moves: no walk over the cache at all. */
		cx.st.kept = before.entries;
	} else {
		cache_regroup(c, map, old->n_groups, keep_entry, &cx);
	}
	free(map);
	cache_get_stats(c, &after);
	cx.st.gone = before.entries - after.entries - cx.st.local;
	if (st != NULL)
		*st = cx.st;
	return rc;
}
