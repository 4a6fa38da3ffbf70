/*
 * resolver/engine/zoneset.c - a set of zones keyed by apex.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Open addressing over zone_name_hash() of the apex, with the zones kept
 * in insertion order beside it; the fewest and most labels of any apex
 * bound the suffixes zoneset_find() probes.
 */
#include "config.h"

#include "engine/zoneset.h"

#include <stdlib.h>
#include <string.h>

#include "dns/wire.h"
#include "engine/zone.h"
#include "util/err.h"

struct zoneset {
	struct zone **zones;   /* insertion order, owned */
	size_t n_zones;
	size_t cap_zones;
	uint32_t *slots;       /* open addressing: index + 1, 0 = empty */
	size_t n_slots;        /* power of two, > 2 * n_zones */
	unsigned min_labels;   /* fewest labels of an apex */
	unsigned max_labels;   /* most labels of an apex */
};

struct zoneset *
zoneset_new(void)
{
	return calloc(1, sizeof(struct zoneset));
}

static const struct zone *
slot_lookup(const struct zoneset *zs, const uint8_t *lname, size_t len,
	    size_t *slot)
{
	size_t mask = zs->n_slots - 1;
	size_t i = zone_name_hash(lname, len) & mask;

	for (; zs->slots[i] != 0; i = (i + 1) & mask) {
		const struct zone *z = zs->zones[zs->slots[i] - 1];

		if (z->apex_len == len && memcmp(z->apex, lname, len) == 0)
			return z;
	}
	*slot = i;
	return NULL;
}

static int
rehash(struct zoneset *zs, size_t n_slots)
{
	uint32_t *slots = calloc(n_slots, sizeof(*slots));
	size_t slot;

	if (slots == NULL)
		return VPC_ENOMEM;
	free(zs->slots);
	zs->slots = slots;
	zs->n_slots = n_slots;
	for (size_t i = 0; i < zs->n_zones; i++) {
		const struct zone *z = zs->zones[i];

		slot_lookup(zs, z->apex, z->apex_len, &slot);
		zs->slots[slot] = (uint32_t)(i + 1);
	}
	return VPC_OK;
}

static int
reserve(struct zoneset *zs)
{
	if (zs->n_zones == zs->cap_zones) {
		size_t cap = zs->cap_zones ? zs->cap_zones * 2 : 8;
		struct zone **zones = realloc(zs->zones, cap * sizeof(*zones));

		if (zones == NULL)
			return VPC_ENOMEM;
		zs->zones = zones;
		zs->cap_zones = cap;
	}
	if (2 * (zs->n_zones + 1) >= zs->n_slots)
		return rehash(zs, zs->n_slots ? zs->n_slots * 2 : 16);
	return VPC_OK;
}

int
zoneset_add(struct zoneset *zs, struct zone *z)
{
	unsigned labels;
	size_t slot;
	int rc;

	if ((rc = reserve(zs)) != VPC_OK) {
		zone_free(z);
		return rc;
	}
	if (slot_lookup(zs, z->apex, z->apex_len, &slot) != NULL) {
		zone_free(z);
		return VPC_ECONFIG;
	}
	labels = wire_name_labels(z->apex);
	if (zs->n_zones == 0 || labels < zs->min_labels)
		zs->min_labels = labels;
	if (zs->n_zones == 0 || labels > zs->max_labels)
		zs->max_labels = labels;
	zs->zones[zs->n_zones++] = z;
	zs->slots[slot] = (uint32_t)zs->n_zones;
	return VPC_OK;
}

const struct zone *
zoneset_find(const struct zoneset *zs, const uint8_t *lname, size_t len)
{
	unsigned labels;
	size_t pos = 0, slot;

	if (zs == NULL || zs->n_zones == 0)
		return NULL;
	/* Only suffixes with as many labels as some apex can match: skip
	 * the longer ones and stop below the shortest apex. */
	labels = wire_name_labels(lname);
	for (; labels > zs->max_labels; labels--)
		pos += 1 + (size_t)lname[pos];
	for (; labels >= zs->min_labels; labels--) {
		const struct zone *z =
			slot_lookup(zs, lname + pos, len - pos, &slot);

		if (z != NULL)
			return z;
		if (lname[pos] == 0)
			return NULL;
		pos += 1 + (size_t)lname[pos];
	}
	return NULL;
}

struct zone *
zoneset_get_apex(struct zoneset *zs, const uint8_t *lname, size_t len)
{
	size_t slot;

	if (zs->n_zones == 0)
		return NULL;
	return (struct zone *)slot_lookup(zs, lname, len, &slot);
}

int
zoneset_finish(struct zoneset *zs)
{
	for (size_t i = 0; i < zs->n_zones; i++) {
		int rc;

		if (!zs->zones[i]->finished &&
		    (rc = zone_finish(zs->zones[i])) != VPC_OK)
			return rc;
	}
	return VPC_OK;
}

size_t
zoneset_count(const struct zoneset *zs)
{
	return zs != NULL ? zs->n_zones : 0;
}

const struct zone *
zoneset_get(const struct zoneset *zs, size_t i)
{
	return zs->zones[i];
}

void
zoneset_free(struct zoneset *zs)
{
	if (zs == NULL)
		return;
	for (size_t i = 0; i < zs->n_zones; i++)
		zone_free(zs->zones[i]);
	free(zs->zones);
	free(zs->slots);
	free(zs);
}
