/*
 * resolver/engine/hosted.c - load one `hosted-zones` entry, whatever the
 * format of its file.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * See hosted.h.  The file is read whole, at load time, through the
 * configuration's struct reader (util/reader.h); zone file text goes to
 * zone_load_text(), JSON through the readers of conf/route53.h and
 * conf/terraform.h and then policy_load_zone().
 */
#include "config.h"

#include "engine/hosted.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "conf/route53.h"
#include "conf/terraform.h"
#include "engine/policy.h"
#include "engine/zone.h"
#include "util/err.h"
#include "util/reader.h"

/* A zone file is read whole: 1,000,000 records are about 25 MB of text.
 * The bound only stops a mistaken path (a disk image, a log) from being
 * read into memory; the configuration's own files keep 16 MiB. */
#define HOSTED_MAX_FILE ((size_t)1 << 30)

/* The zone of @zs the entry serves: the one of its name, else the only
 * zone whose name the file does not give. */
static const struct route53_zone *
pick_zone(const struct route53_zones *zs, const struct conf_hosted_zone *hz,
	  const struct conf *cf, struct conf_errors *errs)
{
	const struct route53_zone *nameless = NULL;
	size_t n_nameless = 0;
	char names[512] = "";

	for (size_t i = 0; i < zs->n; i++) {
		const struct route53_zone *z = &zs->zones[i];

		if (z->name != NULL && strcmp(z->name, hz->name) == 0)
			return z;
		if (z->name == NULL) {
			nameless = z;
			n_nameless++;
		} else if (strlen(names) + strlen(z->name) + 3 <
			   sizeof(names)) {
			strcat(names, *names ? ", " : "");
			strcat(names, z->name);
		}
	}
	if (n_nameless == 1)
		return nameless;
	conf_errors_at(errs, cf, hz->line,
			"%s holds no zone %s (it has: %s)", hz->file, hz->name,
			*names ? names : "zones without a name");
	return NULL;
}

/* SPEC 1.5: a zone associated with VPCs in Terraform (vpc blocks) that
 * does not name the VPC listing it is a mistake worth stopping for. */
static int
check_vpcs(const struct route53_zone *z, const struct conf *cf,
	   const struct conf_hosted_zone *hz, const char *vpc_id,
	   struct conf_errors *errs)
{
	if (vpc_id == NULL || z->n_vpcs == 0)
		return VPC_OK;
	for (size_t i = 0; i < z->n_vpcs; i++)
		if (strcmp(z->vpcs[i], vpc_id) == 0)
			return VPC_OK;
	conf_errors_at(errs, cf, hz->line,
			"zone %s is associated with %s%s in %s (%s), not with "
			"%s that lists it",
			hz->name, z->vpcs[0], z->n_vpcs > 1 ? " and others" : "",
			hz->file, z->where ? z->where : "its vpc blocks",
			vpc_id);
	return VPC_ECONFIG;
}

static int
load_json(const struct conf *cf, const struct conf_hosted_zone *hz,
	  enum conf_zone_format fmt, const char *text, size_t len,
	  const char *vpc_id, const struct policy_health *health,
	  struct zone **out, struct conf_errors *errs)
{
	struct route53_zones zs;
	const struct route53_zone *z;
	int rc;

	rc = fmt == CONF_ZONE_TERRAFORM
		 ? terraform_parse(text, len, hz->file, &zs, errs)
		 : route53_parse(text, len, hz->file, &zs, errs);
	if (rc != VPC_OK)
		return rc;
	if ((z = pick_zone(&zs, hz, cf, errs)) == NULL)
		rc = VPC_ECONFIG;
	else if ((rc = check_vpcs(z, cf, hz, vpc_id, errs)) == VPC_OK)
		rc = policy_load_zone(z, hz->name, hz->file, health, out, errs);
	route53_zones_free(&zs);
	return rc;
}

int
hosted_load(const struct conf *cf, const struct conf_hosted_zone *hz,
	    const char *vpc_id, const char *key,
	    const struct policy_health *health, struct zone **out,
	    struct conf_errors *errs)
{
	enum conf_zone_format fmt = hz->format;
	size_t before = errs->n, len = 0;
	char *text = NULL;
	int rc, err;

	if ((rc = reader_read(cf->reader, hz->file, HOSTED_MAX_FILE, &text,
			      &len, &err)) != VPC_OK) {
		if (rc == VPC_EIO)
			conf_errors_at(errs, cf, hz->line,
				       "cannot open zone file %s: %s", hz->file,
				       reader_strerror(err));
		return rc == VPC_EIO ? VPC_ECONFIG : rc;
	}
	if (fmt == CONF_ZONE_AUTO)
		fmt = route53_detect(text, len);
	if (fmt == CONF_ZONE_FILE)
		rc = zone_load_text(hz->file, text, len, hz->name, out, errs);
	else
		rc = load_json(cf, hz, fmt, text, len, vpc_id, health, out,
			       errs);
	free(text);
	/* The messages name the zone's file; one more names the key. */
	if (rc == VPC_ECONFIG && errs->n > before)
		conf_errors_at(errs, cf, hz->line,
				"%s (%s): %zu error(s) in %s", key, hz->name,
				errs->n - before, hz->file);
	if (rc == VPC_OK)
		(*out)->origin = hz->file;
	return rc;
}
