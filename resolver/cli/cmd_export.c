/*
 * resolver/cli/cmd_export.c - vpcdns export: the zones served, as files.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Writes every zone a client inside each VPC is served, one RFC 1035
 * file per zone under DIR/<vpc-id>/.
 */
#include "config.h"

#include "cli/cli.h"

#include <stdio.h>

#include "conf/conf.h"
#include "dns/wire.h"
#include "engine/view.h"
#include "engine/zone.h"
#include "io/daemon.h"
#include "util/err.h"
#include "util/log.h"

/* An apex CNAME (a provider's private DNS name) is exported flattened:
 * the A/AAAA records of its target under the apex. */
static int
export_flattened(FILE *fp, const struct view *v, const struct zone *z)
{
	const struct zone_node *apex = zone_find(z, z->apex, z->apex_len);
	const struct zone_rrset *cname = zone_rrset(apex, WIRE_TYPE_CNAME);
	const struct zone_node *t;
	const struct zone *tz;
	uint8_t target[WIRE_MAX_NAME_LEN];
	size_t len;
	int rc = VPC_OK;

	if (cname == NULL)
		return VPC_OK;
	len = wire_name_len(zone_rdata_first(cname, NULL));
	wire_name_lower(target, zone_rdata_first(cname, NULL), len);
	if ((tz = view_find_zone(v, target, len)) == NULL ||
	    (t = zone_find(tz, target, len)) == NULL)
		return VPC_OK;
	if (zone_rrset(t, WIRE_TYPE_A) != NULL)
		rc = zone_write_rrset(fp, z->apex, z->apex_len,
				      zone_rrset(t, WIRE_TYPE_A));
	if (rc == VPC_OK && zone_rrset(t, WIRE_TYPE_AAAA) != NULL)
		rc = zone_write_rrset(fp, z->apex, z->apex_len,
				      zone_rrset(t, WIRE_TYPE_AAAA));
	return rc;
}

/* One RFC 1035 file: the zone, then its flattened apex CNAME. */
static int
write_zone(void *arg, const struct view_set *vs, const struct conf *cf,
	   size_t vpc, const struct zone *z, FILE *fp)
{
	int rc = zone_write(z, fp);

	(void)arg;
	(void)cf;
	if (rc == VPC_OK)
		rc = export_flattened(fp, &vs->vpcs[vpc], z);
	return rc;
}

int
cmd_export(const struct cli_source *src, const char *dir)
{
	return cli_export(src, dir, ".zone", write_zone, NULL);
}
