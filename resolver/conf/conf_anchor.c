/*
 * resolver/conf/conf_anchor.c - the DNSSEC trust anchors of the
 * configuration.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * When a VPC has `dnssec-validation: true`, the files `dnssec-trust-
 * anchors` names (default: the root key, CONF_ROOT_KEY) are read and
 * parsed into cf->anchors at load (through the configuration's struct
 * reader, util/reader.h), so that `vpcdns check` and a reload
 * report a missing or broken anchor file as "file:line: message" and the
 * running data set stays.  Without a validating VPC nothing is read.
 */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>

#include "conf/conf.h"
#include "conf/conf_internal.h"
#include "engine/validator.h"
#include "util/err.h"
#include "util/reader.h"

static bool
any_validates(const struct conf *cf)
{
	for (size_t i = 0; i < cf->n_vpcs; i++)
		if (cf->vpcs[i].dnssec_validation)
			return true;
	return false;
}

/* Adds the records of @path to cf->anchors; errors at @at. */
static void
load_one(struct pctx *px, struct conf *cf, const struct seen *s,
	 const char *path, unsigned at)
{
	char why[160], *text = NULL;
	size_t len = 0;
	int rc, err, line = 0;

	rc = reader_read(cf->reader, path, CONF_MAX_FILE, &text, &len, &err);
	if (rc == VPC_ENOMEM) {
		px->oom = true;
		return;
	}
	if (rc != VPC_OK) {
		conf_key_err(px, s, "dnssec-trust-anchors",
			     "cannot read trust anchor file '%s': %s", path,
			     conf_read_error(err));
		return;
	}
	rc = validator_anchors_parse(cf->anchors, text, len, &line, why,
				     sizeof(why));
	free(text);
	if (rc == VPC_ENOMEM)
		px->oom = true;
	else if (rc != VPC_OK)
		conf_file_err(px, path, line > 0 ? (unsigned)line : 0, at, "%s",
			      why);
}

void
conf_load_anchors(struct pctx *px, struct conf *cf, const struct seen *s)
{
	unsigned at =
	    conf_node_line(px, conf_seen_val(s, "dnssec-trust-anchors"));

	if (!any_validates(cf))
		return;
	if ((cf->anchors = validator_anchors_new()) == NULL) {
		px->oom = true;
		return;
	}
	if (cf->n_trust_anchors == 0)
		load_one(px, cf, s, CONF_ROOT_KEY, at);
	for (size_t i = 0; i < cf->n_trust_anchors; i++)
		load_one(px, cf, s, cf->trust_anchors[i], at);
}
