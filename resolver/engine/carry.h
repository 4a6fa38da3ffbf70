/*
 * resolver/engine/carry.h - what of the answer cache survives a reload.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Cache keys hold forwarder group numbers (view.h), which a reload may
 * renumber: a rule added in front shifts every later one.  A group of
 * the new data is the same as one of the old when it has the same
 * identity: the default upstreams, or a rule of the same kind and
 * domain, with the same targets (addresses and host names) and the same
 * protocol settings.  carry_cache() renumbers each entry to its group's
 * new number, drops the entries of groups that are gone, and drops the
 * entries whose name the new data answers otherwise in every view (a new
 * zone, endpoint name or rule covering it), so that nothing the new data
 * made local is kept.  Pure: two view sets and a cache in, the cache
 * changed in place; the caller (io/reload.c) runs it on the loop thread
 * that owns the cache, when it swaps the data sets.
 */
#ifndef RESOLVER_ENGINE_CARRY_H
#define RESOLVER_ENGINE_CARRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cache;
struct view_set;

/* carry_group_map()'s value for an old group with no new counterpart. */
#define CARRY_GROUP_GONE UINT32_MAX

/* What carry_cache() did. */
struct carry_stats {
	size_t kept;     /* entries carried over */
	size_t regrouped; /* of those, entries whose group number changed */
	size_t gone;     /* dropped: their forwarder group is gone */
	size_t local;    /* dropped: no view forwards their name to that
			    group any more (now local or another rule's) */
};

/**
 * carry_group_map() - the new number of each old forwarder group.
 * @old, @new: [in] the view sets before and after the reload.
 * @map:  [out] @old->n_groups entries: the new group of the same
 *        identity, or CARRY_GROUP_GONE.  Identical old groups (one rule
 *        attached to two VPCs) map to distinct identical new groups in
 *        order while there are any, then to the first.
 * Return: VPC_OK or VPC_ENOMEM.
 */
int carry_group_map(const struct view_set *old, const struct view_set *new,
		    uint32_t *map);

/**
 * carry_forwards_to() - whether some view of @vs forwards the lower-case
 * wire name @lname to forwarder group @group (rather than answering it
 * locally or sending it to another group): an entry of that key can
 * still be asked for.
 */
bool carry_forwards_to(const struct view_set *vs, uint32_t group,
		       const uint8_t *lname, size_t len);

/**
 * carry_cache() - carry @c's entries from @old's groups to @new's:
 * renumbered by carry_group_map(), dropped when gone or no longer
 * forwarded there (carry_forwards_to()).
 * @st: [out] counts, may be NULL.
 * Return: VPC_OK; VPC_ENOMEM (then every entry is dropped: none can be
 * trusted to have the right group).
 */
int carry_cache(struct cache *c, const struct view_set *old,
		const struct view_set *new, struct carry_stats *st);

#endif /* RESOLVER_ENGINE_CARRY_H */
