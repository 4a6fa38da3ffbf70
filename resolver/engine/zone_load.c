/*
 * resolver/engine/zone_load.c - load RFC 1035 master files into a zone via ldns.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Reads the file record by record with ldns so that every problem can be
 * reported with its line.  ldns objects never leave this file: records are
 * converted to wire format and handed to zone_add_rr().
 */
#include "config.h"

#include "engine/zone.h"

#include <stdio.h>
#include <string.h>

#include <ldns/ldns.h>

#include "conf/conf.h"
#include "util/err.h"
#include "util/log.h"

struct loader {
	const char *path;
	struct zone *zone;
	struct conf_errors *errs;
	ldns_buffer *rdata;
	unsigned n_soa;
	int line; /* ldns's line counter: the line after the record read */
};

static int
add_record(struct loader *ld, const ldns_rr *rr, unsigned line)
{
	const ldns_rdf *owner = ldns_rr_owner(rr);
	uint16_t type = (uint16_t)ldns_rr_get_type(rr);
	char name[LOG_NAME_MAX];
	size_t rdlen;
	int rc;

	if (ldns_rr_get_class(rr) != LDNS_RR_CLASS_IN) {
		conf_errors_add(ld->errs, ld->path, line,
				"record class is not IN");
		return VPC_ECONFIG;
	}
	ldns_buffer_clear(ld->rdata);
	if (ldns_rr_rdata2buffer_wire(ld->rdata, rr) != LDNS_STATUS_OK ||
	    (rdlen = ldns_buffer_position(ld->rdata)) > UINT16_MAX)
		return VPC_ENOMEM;
	if (type == WIRE_TYPE_SOA && ++ld->n_soa > 1) {
		conf_errors_add(ld->errs, ld->path, line,
				"more than one SOA record");
		return VPC_ECONFIG;
	}
	rc = zone_add_rr(ld->zone, ldns_rdf_data(owner), ldns_rdf_size(owner),
			 type, ldns_rr_ttl(rr), ldns_buffer_begin(ld->rdata),
			 (uint16_t)rdlen);
	if (rc == VPC_EMALFORMED || (rc == VPC_OK && type == WIRE_TYPE_SOA &&
				     ldns_rdf_size(owner) != ld->zone->apex_len)) {
		log_name(ldns_rdf_data(owner), ldns_rdf_size(owner), name);
		conf_errors_add(ld->errs, ld->path, line,
				"%s %s is outside the zone or not at its apex",
				type == WIRE_TYPE_SOA ? "SOA owner" : "owner",
				name);
		return VPC_ECONFIG;
	}
	if (rc == VPC_ECONFIG)
		conf_errors_add(ld->errs, ld->path, line,
				"CNAME and other data at the same name");
	return rc;
}

static bool
blank_or_comment(const char *line)
{
	line += strspn(line, " \t\r\n");
	return *line == '\0' || *line == ';';
}

/* ldns folds the comment and blank lines around a record into it, so its
 * line counter never names the record's own line.  Skipping them here
 * first makes ld->line the first line of the next record. */
static void
skip_blank_lines(struct loader *ld, FILE *fp)
{
	char buf[512];
	long at;

	while ((at = ftell(fp)) >= 0 && fgets(buf, sizeof(buf), fp) != NULL) {
		if (!blank_or_comment(buf) || strchr(buf, '\n') == NULL) {
			fseek(fp, at, SEEK_SET);
			return;
		}
		ld->line++;
	}
}

/* Returns VPC_OK to go on, VPC_ENOTFOUND at the end of the file, or an
 * error after reporting it with the line the record starts on. */
static int
read_one(struct loader *ld, FILE *fp, uint32_t *ttl, ldns_rdf **origin,
	 ldns_rdf **prev)
{
	ldns_rr *rr = NULL;
	int line_before;
	ldns_status st;
	int rc;

	skip_blank_lines(ld, fp);
	if (feof(fp))
		return VPC_ENOTFOUND;
	line_before = ld->line;
	st = ldns_rr_new_frm_fp_l(&rr, fp, ttl, origin, prev, &ld->line);
	switch (st) {
	case LDNS_STATUS_OK:
		rc = add_record(ld, rr, (unsigned)line_before);
		ldns_rr_free(rr);
		return rc;
	case LDNS_STATUS_SYNTAX_EMPTY:
	case LDNS_STATUS_SYNTAX_TTL:
	case LDNS_STATUS_SYNTAX_ORIGIN:
		return feof(fp) ? VPC_ENOTFOUND : VPC_OK;
	case LDNS_STATUS_SYNTAX_INCLUDE:
		conf_errors_add(ld->errs, ld->path, (unsigned)line_before,
				"$INCLUDE is not supported");
		return VPC_ECONFIG;
	default:
		conf_errors_add(ld->errs, ld->path, (unsigned)line_before, "%s",
				ldns_get_errorstr_by_id(st));
		return VPC_ECONFIG;
	}
}

static int
read_records(struct loader *ld, FILE *fp, const char *apex)
{
	ldns_rdf *origin = NULL, *prev = NULL;
	uint32_t ttl = 3600;
	int rc = VPC_OK;

	if (ldns_str2rdf_dname(&origin, apex) != LDNS_STATUS_OK) {
		conf_errors_add(ld->errs, ld->path, 0,
				"zone name '%s' is not a valid name", apex);
		return VPC_ECONFIG;
	}
	while (rc == VPC_OK && !feof(fp))
		rc = read_one(ld, fp, &ttl, &origin, &prev);
	ldns_rdf_deep_free(origin);
	ldns_rdf_deep_free(prev);
	return rc == VPC_ENOTFOUND ? VPC_OK : rc;
}

int
zone_load_file(const char *path, const char *apex, struct zone **out,
	       struct conf_errors *errs)
{
	struct loader ld = {.path = path, .errs = errs, .line = 1};
	uint8_t apex_wire[WIRE_MAX_NAME_LEN];
	size_t apex_len = wire_name_from_text(apex, apex_wire);
	FILE *fp = NULL;
	int rc;

	if (apex_len == 0) {
		conf_errors_add(errs, path, 0, "zone name '%s' is invalid",
				apex);
		return VPC_ECONFIG;
	}
	if ((fp = fopen(path, "r")) == NULL)
		return VPC_EIO; /* the caller names the configuration line */
	rc = VPC_ENOMEM;
	if ((ld.rdata = ldns_buffer_new(512)) == NULL ||
	    zone_new(apex_wire, apex_len, &ld.zone) != VPC_OK)
		goto out;
	if ((rc = read_records(&ld, fp, apex)) != VPC_OK)
		goto out;
	if ((rc = zone_finish(ld.zone)) != VPC_OK) {
		if (rc == VPC_ECONFIG)
			conf_errors_add(errs, path, 0,
					"CNAME at the zone apex");
		goto out;
	}
	*out = ld.zone;
	ld.zone = NULL;
out:
	zone_free(ld.zone);
	ldns_buffer_free(ld.rdata);
	fclose(fp);
	return rc;
}
