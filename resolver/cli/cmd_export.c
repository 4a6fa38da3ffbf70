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

#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

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

static int
export_zones(const char *dir, const struct view *v, const struct zoneset *zs)
{
	char path[4096], name[LOG_NAME_MAX];

	for (size_t i = 0; i < zoneset_count(zs); i++) {
		const struct zone *z = zoneset_get(zs, i);
		FILE *fp;
		int rc;

		/* EC2 hostnames and their reverse names are computed, not
		 * stored: a file could only hold their SOA. */
		if (z->synth != ZONE_SYNTH_NONE)
			continue;
		log_name(z->apex, z->apex_len, name);
		name[strlen(name) - 1] = '\0'; /* no trailing dot */
		snprintf(path, sizeof(path), "%s/%s.zone", dir, name);
		if ((fp = fopen(path, "w")) == NULL) {
			fprintf(stderr, "vpcdns: cannot write %s: %s\n", path,
				strerror(errno));
			return VPC_EIO;
		}
		rc = zone_write(z, fp);
		if (rc == VPC_OK)
			rc = export_flattened(fp, v, z);
		if (fclose(fp) != 0 || rc != VPC_OK) {
			fprintf(stderr, "vpcdns: cannot write %s\n", path);
			return VPC_EIO;
		}
	}
	return VPC_OK;
}

/* SPEC Part 2: every zone a client inside each VPC is served (hosted
 * zones, managed private DNS zones, vpce names), one file per zone under
 * DIR/<vpc-id>/.  Zones served only through inbound endpoints are not
 * what a client inside the VPC sees, so they are left out. */
int
cmd_export(const struct cli_source *src, const char *dir)
{
	struct conf *cf = NULL;
	struct view_set *vs = NULL;
	char sub[4096];
	int rc = cli_load(src, &cf, &vs);

	/* SPEC Part 2: a configuration that does not load (unreadable
	 * included) is exit 1, as for check and explain; 3 is for writing. */
	if (rc != VPC_OK) {
		view_set_free(vs);
		conf_free(cf);
		return DAEMON_EXIT_CONFIG;
	}
	for (size_t i = 0; rc == VPC_OK && i < vs->n_vpcs; i++) {
		snprintf(sub, sizeof(sub), "%s/%s", dir, cf->vpcs[i].id);
		if ((mkdir(dir, 0755) != 0 && errno != EEXIST) ||
		    (mkdir(sub, 0755) != 0 && errno != EEXIST)) {
			fprintf(stderr, "vpcdns: cannot create %s: %s\n", sub,
				strerror(errno));
			rc = VPC_EIO;
			break;
		}
		rc = export_zones(sub, &vs->vpcs[i], vs->vpc_zones[i].zones);
		if (rc == VPC_OK)
			rc = export_zones(sub, &vs->vpcs[i], vs->vpce);
	}
	view_set_free(vs);
	conf_free(cf);
	if (rc == VPC_OK)
		return DAEMON_EXIT_OK;
	return rc == VPC_EIO ? DAEMON_EXIT_RUNTIME : DAEMON_EXIT_CONFIG;
}
