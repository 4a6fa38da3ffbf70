/*
 * resolver/engine/zoneset.h - a set of zones keyed by apex.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * A struct zoneset maps zone apexes to zones (engine/zone.h) and finds the
 * closest enclosing zone of a name, probing only suffixes with as many
 * labels as some apex.  It owns the zones added to it.  Not thread-safe
 * for writing; once built, concurrent readers are fine.
 */
#ifndef RESOLVER_ENGINE_ZONESET_H
#define RESOLVER_ENGINE_ZONESET_H

#include <stddef.h>
#include <stdint.h>

struct zone;
struct zoneset;

/** zoneset_new() - an empty set; NULL when out of memory. */
struct zoneset *zoneset_new(void);

/**
 * zoneset_add() - add @z; takes ownership on every path.
 * Return: VPC_OK; VPC_ECONFIG when a zone of that apex is already in the
 * set (@z is freed); VPC_ENOMEM.
 */
int zoneset_add(struct zoneset *zs, struct zone *z);

/**
 * zoneset_find() - the zone whose apex is the longest suffix of the
 * lower-case wire name @lname, or NULL.
 */
const struct zone *zoneset_find(const struct zoneset *zs, const uint8_t *lname,
				size_t len);

/**
 * zoneset_get_apex() - the zone whose apex is exactly @lname (lower-case
 * wire name), for code that builds the set; NULL when there is none.
 */
struct zone *zoneset_get_apex(struct zoneset *zs, const uint8_t *lname,
			      size_t len);

/**
 * zoneset_finish() - zone_finish() every zone not yet finished.
 * Return: VPC_OK, or the first error (VPC_ECONFIG, VPC_ENOMEM).
 */
int zoneset_finish(struct zoneset *zs);

/** zoneset_count() - number of zones in the set. */
size_t zoneset_count(const struct zoneset *zs);

/**
 * zoneset_get() - the @i-th zone (0 <= i < zoneset_count()), in insertion
 * order; borrowed.
 */
const struct zone *zoneset_get(const struct zoneset *zs, size_t i);

/** zoneset_free() - release the set and its zones; NULL is a no-op. */
void zoneset_free(struct zoneset *zs);

#endif /* RESOLVER_ENGINE_ZONESET_H */
