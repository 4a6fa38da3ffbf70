/*
 * resolver/engine/zone_load.c - load RFC 1035 master files into a zone via ldns.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Reads a zone file's text (the caller read the file) record by record
 * with ldns so that every problem can be reported with its line.  ldns objects never leave this file: records are
 * converted to wire format and handed to zone_add_rr().
 */
#include "config.h"

#include "engine/zone.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ldns/ldns.h>

#include "conf/conf.h"
#include "engine/zone_internal.h"
#include "util/err.h"
#include "util/log.h"

struct loader {
	const char *path;
	struct zone *zone;
	struct conf_errors *errs;
	ldns_buffer *rdata;
	unsigned n_soa;
	int line; /* ldns's line counter: the line after the record read */
	const unsigned *map; /* zone_prep(): file line of each line read */
	size_t n_map;
	bool bad;	     /* a record was refused */
};

/* The file's line of line @l of the text ldns reads. */
static unsigned
file_line(const struct loader *ld, int l)
{
	if (l < 1 || ld->map == NULL)
		return l < 1 ? 0 : (unsigned)l;
	return (size_t)l <= ld->n_map ? ld->map[l - 1]
				       : ld->map[ld->n_map - 1];
}

static int
add_record(struct loader *ld, const ldns_rr *rr, unsigned line)
{
	const ldns_rdf *owner = ldns_rr_owner(rr);
	uint16_t type = (uint16_t)ldns_rr_get_type(rr);
	char name[LOG_NAME_MAX];
	uint32_t ttl;
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
	/* RFC 1034 §3.6.2: the apex holds the SOA, so no CNAME. */
	if (type == WIRE_TYPE_CNAME &&
	    wire_name_equal(ldns_rdf_data(owner), ldns_rdf_size(owner),
			    ld->zone->apex, ld->zone->apex_len)) {
		conf_errors_add(ld->errs, ld->path, line,
				"CNAME at the zone apex (it cannot sit beside "
				"the SOA)");
		return VPC_ECONFIG;
	}
	if (type == WIRE_TYPE_SOA && ++ld->n_soa > 1) {
		conf_errors_add(ld->errs, ld->path, line,
				"more than one SOA record");
		return VPC_ECONFIG;
	}
	ttl = ldns_rr_ttl(rr);
	/* RFC 2181 §8 (zone_prep() warns for the usual spellings; this
	 * catches a TTL on a continuation line). */
	if (ttl > INT32_MAX) {
		log_warn("%s:%u: TTL %u is above 2^31-1: served as 0 "
			 "(RFC 2181 §8)", ld->path, line, (unsigned)ttl);
		ttl = 0;
	}
	rc = zone_add_rr(ld->zone, ldns_rdf_data(owner), ldns_rdf_size(owner),
			 type, ttl, ldns_buffer_begin(ld->rdata),
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
		rc = add_record(ld, rr, file_line(ld, line_before));
		ldns_rr_free(rr);
		return rc;
	case LDNS_STATUS_SYNTAX_EMPTY:
	case LDNS_STATUS_SYNTAX_TTL:
	case LDNS_STATUS_SYNTAX_ORIGIN:
		return feof(fp) ? VPC_ENOTFOUND : VPC_OK;
	case LDNS_STATUS_SYNTAX_INCLUDE:
		conf_errors_add(ld->errs, ld->path, file_line(ld, line_before),
				"$INCLUDE is not supported");
		return VPC_ECONFIG;
	default:
		conf_errors_add(ld->errs, ld->path, file_line(ld, line_before),
				"%s", ldns_get_errorstr_by_id(st));
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
	/* named-checkzone reports every bad record, not only the first. */
	while ((rc == VPC_OK || rc == VPC_ECONFIG) && !feof(fp)) {
		rc = read_one(ld, fp, &ttl, &origin, &prev);
		if (rc == VPC_ECONFIG)
			ld->bad = true;
	}
	ldns_rdf_deep_free(origin);
	ldns_rdf_deep_free(prev);
	if (rc == VPC_ENOMEM)
		return rc;
	return ld->bad ? VPC_ECONFIG : VPC_OK;
}

static int
load_text(struct loader *ld, const char *text, size_t len, const char *apex)
{
	unsigned *map = NULL;
	char *prepped = NULL;
	size_t plen = 0;
	FILE *fp;
	int rc = zone_prep(ld->path, text, len, &prepped, &plen, &map,
			   &ld->n_map, ld->errs), rc2;

	if (rc == VPC_ENOMEM)
		return rc;
	ld->map = map;
	if (plen == 0 || (fp = fmemopen(prepped, plen, "r")) == NULL) {
		rc2 = plen == 0 ? VPC_OK : VPC_ENOMEM;
	} else {
		rc2 = read_records(ld, fp, apex);
		fclose(fp);
	}
	free(prepped);
	free(map);
	ld->map = NULL;
	return rc2 != VPC_OK ? rc2 : rc;
}

int
zone_load_text(const char *path, const char *text, size_t len,
	       const char *apex, struct zone **out, struct conf_errors *errs)
{
	struct loader ld = {.path = path, .errs = errs, .line = 1};
	uint8_t apex_wire[WIRE_MAX_NAME_LEN];
	size_t apex_len = wire_name_from_text(apex, apex_wire);
	int rc;

	if (apex_len == 0) {
		conf_errors_add(errs, path, 0, "zone name '%s' is invalid",
				apex);
		return VPC_ECONFIG;
	}
	rc = VPC_ENOMEM;
	if ((ld.rdata = ldns_buffer_new(512)) == NULL ||
	    zone_new(apex_wire, apex_len, &ld.zone) != VPC_OK)
		goto out;
	if ((rc = load_text(&ld, text, len, apex)) != VPC_OK)
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
	return rc;
}
