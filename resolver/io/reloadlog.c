/*
 * resolver/io/reloadlog.c - what a reload changed, for the log.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Plain nested loops: a reload is rare and its sets are at most tens of
 * thousands of zones, compared by hash lookups (zoneset_get_apex) where
 * the sets are large.
 */
#include "config.h"

#include "io/reloadlog.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "conf/conf.h"
#include "engine/view.h"
#include "engine/zone.h"
#include "util/log.h"

/* Lines logged one by one; beyond this, only counted. */
#define RELOADLOG_LINES 40

struct diff {
	size_t changes;
};

static void
note(struct diff *df, const char *what, const char *vpc, const char *name,
     const char *how)
{
	if (df->changes++ < RELOADLOG_LINES)
		log_notice("daemon: reload: %s %s %s%s%s", what, name, how,
			   vpc ? " in " : "", vpc ? vpc : "");
}

static const struct conf_vpc *
find_vpc(const struct conf *cf, const char *id)
{
	for (size_t i = 0; i < cf->n_vpcs; i++)
		if (strcmp(cf->vpcs[i].id, id) == 0)
			return &cf->vpcs[i];
	return NULL;
}

/* Zones of @a missing in @b ("removed"/"added"), or with another serial. */
static void
zones(struct diff *df, const char *vpc, const struct zoneset *a,
      struct zoneset *b, const char *missing, bool serials)
{
	char name[LOG_NAME_MAX], how[64];

	for (size_t i = 0; a != NULL && i < zoneset_count(a); i++) {
		const struct zone *z = zoneset_get(a, i);
		const struct zone *y =
			b ? zoneset_get_apex(b, z->apex, z->apex_len) : NULL;

		if (y == NULL) {
			if (missing != NULL)
				note(df, "zone", vpc,
				     log_name(z->apex, z->apex_len, name),
				     missing);
		} else if (serials && y->serial != z->serial) {
			snprintf(how, sizeof(how), "serial %u -> %u", z->serial,
				 y->serial);
			note(df, "zone", vpc, log_name(z->apex, z->apex_len, name),
			     how);
		}
	}
}

static void
endpoints(struct diff *df, const struct conf_vpc *a, const struct conf_vpc *b,
	  const char *missing)
{
	for (size_t i = 0; i < a->n_endpoints; i++) {
		bool found = false;

		for (size_t j = 0; b != NULL && j < b->n_endpoints && !found; j++)
			found = strcmp(a->endpoints[i].id, b->endpoints[j].id) ==
				0;
		if (!found)
			note(df, "endpoint", a->id, a->endpoints[i].id, missing);
	}
}

static void
rules(struct diff *df, const struct conf_vpc *a, const struct conf_vpc *b,
      const char *missing)
{
	for (size_t i = 0; i < a->n_rules; i++) {
		bool found = false;

		for (size_t j = 0; b != NULL && j < b->n_rules && !found; j++)
			found = strcmp(a->rules[i].domain, b->rules[j].domain) ==
					0 &&
				a->rules[i].type == b->rules[j].type;
		if (!found)
			note(df, "rule", a->id, a->rules[i].domain, missing);
	}
	for (size_t i = 0; i < a->n_firewall; i++) {
		bool found = false;

		for (size_t j = 0; b != NULL && j < b->n_firewall && !found;
		     j++)
			found = a->firewall[i].priority ==
					b->firewall[j].priority &&
				strcmp(a->firewall[i].name,
				       b->firewall[j].name) == 0;
		if (!found)
			note(df, "firewall rule", a->id, a->firewall[i].name,
			     missing);
	}
}

/* One direction: what @a has that @b has not (@missing says how that is
 * called). */
static void
one_way(struct diff *df, const struct view_set *a, const struct view_set *b,
	const char *missing)
{
	for (size_t i = 0; i < a->n_vpcs; i++) {
		const struct conf_vpc *va = &a->conf->vpcs[i];
		const struct conf_vpc *vb = find_vpc(b->conf, va->id);
		struct zoneset *zb = NULL;

		if (vb == NULL) {
			note(df, "vpc", NULL, va->id, missing);
			continue;
		}
		zb = b->vpc_zones[vb - b->conf->vpcs].zones;
		zones(df, va->id, a->vpc_zones[i].zones, zb, missing, false);
		endpoints(df, va, vb, missing);
		rules(df, va, vb, missing);
	}
	zones(df, NULL, a->vpce, b->vpce, missing, false);
}

size_t
reloadlog_diff(const struct view_set *old, const struct view_set *new)
{
	struct diff df = {0};

	one_way(&df, new, old, "added");
	one_way(&df, old, new, "removed");
	/* Serials: zones in both, old against new. */
	for (size_t i = 0; i < old->n_vpcs; i++) {
		const struct conf_vpc *vb =
			find_vpc(new->conf, old->conf->vpcs[i].id);

		if (vb != NULL)
			zones(&df, vb->id, old->vpc_zones[i].zones,
			      new->vpc_zones[vb - new->conf->vpcs].zones, NULL,
			      true);
	}
	if (df.changes > RELOADLOG_LINES)
		log_notice("daemon: reload: %zu more changes not listed",
			   df.changes - RELOADLOG_LINES);
	if (df.changes == 0)
		log_notice("daemon: reload: no zone, endpoint or rule changed");
	return df.changes;
}
