/*
 * resolver/engine/zone_json.c - write a zone as a Route 53 change batch.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * `vpcdns export --format route53-json` (issue 11): every RRset and every
 * record set of the policy table as an UPSERT of `aws route53
 * change-resource-record-sets`, in canonical name order, which
 * conf/route53.c reads back as the same zone.  RDATA is rendered by ldns,
 * names the way Route 53 prints them (absolute, "*" as "\052").  The
 * caller may turn an RRset into an alias (an endpoint-managed zone's
 * addresses are an alias to the endpoint's vpce name in AWS).  Reads the
 * zone only.
 */
#include "config.h"

#include "engine/zone.h"

#include <stdlib.h>
#include <string.h>

#include <ldns/ldns.h>

#include "conf/conf.h"
#include "conf/route53.h"
#include "engine/policy.h"
#include "util/err.h"
#include "util/log.h"

static void
json_string(FILE *fp, const char *s)
{
	fputc('"', fp);
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(fp, "\\%c", c);
		else if (c < 0x20)
			fprintf(fp, "\\u%04x", c);
		else
			fputc(c, fp);
	}
	fputc('"', fp);
}

/* Route 53's spelling of a name: absolute, "*" and other characters
 * outside [a-z0-9-_.] as three octal digits. */
static void
json_name(FILE *fp, const uint8_t *wire, size_t len)
{
	char text[LOG_NAME_MAX], out[4 * LOG_NAME_MAX];
	size_t o = 0;

	log_name(wire, len, text);
	for (const char *p = text; *p != '\0' && o + 5 < sizeof(out); p++) {
		unsigned char c = (unsigned char)*p;

		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.') {
			out[o++] = (char)c;
		} else {
			snprintf(out + o, sizeof(out) - o, "\\%03o", c);
			o += 4;
		}
	}
	out[o] = '\0';
	json_string(fp, out);
}

/* The values of an RRset as presentation text, one {"Value": ...} each. */
static int
json_values(FILE *fp, const uint8_t *owner, size_t owner_len,
	    const struct zone_rrset *rs)
{
	uint8_t wire[WIRE_MAX_NAME_LEN + 10 + 65535];
	size_t pos = 0;

	fprintf(fp, "\"ResourceRecords\": [");
	for (uint16_t i = 0; i < rs->count; i++) {
		size_t len = (size_t)rs->rdata[pos] << 8 | rs->rdata[pos + 1];
		size_t w = owner_len, rpos = 0;
		ldns_rr *rr = NULL;
		char *v = NULL;
		size_t vlen = 0;
		FILE *m;

		memcpy(wire, owner, w);
		memcpy(wire + w, (uint8_t[]){(uint8_t)(rs->type >> 8),
					     (uint8_t)rs->type, 0, 1, 0, 0, 0, 0},
		       8);
		w += 8;
		memcpy(wire + w, rs->rdata + pos, 2 + len);
		w += 2 + len;
		pos += 2 + len;
		if (ldns_wire2rr(&rr, wire, w, &rpos, LDNS_SECTION_ANSWER) !=
			    LDNS_STATUS_OK ||
		    (m = open_memstream(&v, &vlen)) == NULL) {
			ldns_rr_free(rr);
			return VPC_EMALFORMED;
		}
		for (size_t f = 0; f < ldns_rr_rd_count(rr); f++) {
			char *t = ldns_rdf2str(ldns_rr_rdf(rr, f));

			fprintf(m, "%s%s", f > 0 ? " " : "", t ? t : "");
			free(t);
		}
		fclose(m);
		fprintf(fp, "%s{\"Value\": ", i > 0 ? ", " : "");
		json_string(fp, v ? v : "");
		fputc('}', fp);
		free(v);
		ldns_rr_free(rr);
	}
	fputc(']', fp);
	return VPC_OK;
}

static void
head(FILE *fp, bool *first, const uint8_t *owner, size_t len, uint16_t type)
{
	char tb[16];

	fprintf(fp, "%s\n    {\"Action\": \"UPSERT\", \"ResourceRecordSet\": "
		    "{\"Name\": ",
		*first ? "" : ",");
	*first = false;
	json_name(fp, owner, len);
	fprintf(fp, ", \"Type\": \"%s\", ", route53_type_name(type, tb));
}

static void
alias_target(FILE *fp, const uint8_t *target, size_t len, const char *zid,
	     bool evaluate)
{
	fprintf(fp, "\"AliasTarget\": {\"HostedZoneId\": ");
	json_string(fp, zid ? zid : "");
	fprintf(fp, ", \"DNSName\": ");
	json_name(fp, target, len);
	fprintf(fp, ", \"EvaluateTargetHealth\": %s}",
		evaluate ? "true" : "false");
}

static void
policy_fields(FILE *fp, const struct policy_table *t,
	      const struct policy_rr *rr)
{
	fprintf(fp, ", \"SetIdentifier\": ");
	json_string(fp, rr->set_id);
	switch (rr->policy) {
	case ROUTE53_WEIGHTED:
		fprintf(fp, ", \"Weight\": %u", (unsigned)rr->weight);
		break;
	case ROUTE53_FAILOVER:
		fprintf(fp, ", \"Failover\": \"%s\"",
			rr->primary ? "PRIMARY" : "SECONDARY");
		break;
	case ROUTE53_MULTIVALUE:
		fprintf(fp, ", \"MultiValueAnswer\": true");
		break;
	case ROUTE53_LATENCY:
		fprintf(fp, ", \"Region\": ");
		json_string(fp, rr->region);
		break;
	case ROUTE53_GEO:
		fprintf(fp, ", \"GeoLocation\": {");
		if (rr->continent[0] != '\0')
			fprintf(fp, "\"ContinentCode\": \"%s\"", rr->continent);
		else
			fprintf(fp, "\"CountryCode\": \"%s\"%s%s%s", rr->country,
				rr->subdivision[0] ? ", \"SubdivisionCode\": \""
						   : "",
				rr->subdivision, rr->subdivision[0] ? "\"" : "");
		fputc('}', fp);
		break;
	case ROUTE53_SIMPLE:
		break;
	}
	if (rr->health != SIZE_MAX && t->health != NULL &&
	    rr->health < t->health->n) {
		fprintf(fp, ", \"HealthCheckId\": ");
		json_string(fp, t->health->conf->health_checks[rr->health].id);
	}
}

static int
write_set(FILE *fp, bool *first, const struct policy_table *t,
	  const struct policy_set *s)
{
	int rc = VPC_OK;

	for (size_t i = 0; i < s->n && rc == VPC_OK; i++) {
		const struct policy_rr *rr = &s->rrs[i];

		head(fp, first, s->name, s->name_len, s->type);
		if (rr->alias_len > 0) {
			alias_target(fp, rr->alias, rr->alias_len,
				     rr->alias_zone_id, rr->evaluate_health);
		} else {
			fprintf(fp, "\"TTL\": %u, ", (unsigned)rr->rrset.ttl);
			rc = json_values(fp, s->name, s->name_len, &rr->rrset);
		}
		if (rr->set_id != NULL)
			policy_fields(fp, t, rr);
		fprintf(fp, "}}");
	}
	return rc;
}

static int
write_node(FILE *fp, bool *first, const struct zone *z,
	   const struct zone_node *n, const struct zone_json_hooks *h)
{
	int rc = VPC_OK;

	for (uint16_t i = 0; i < n->n_rrsets && rc == VPC_OK; i++) {
		const struct zone_rrset *rs = &n->rrsets[i];
		const char *zid = NULL;
		uint8_t target[WIRE_MAX_NAME_LEN];
		size_t tlen = 0;

		if (h != NULL && h->alias_of != NULL)
			tlen = h->alias_of(h->arg, z, n, rs, target, &zid);
		head(fp, first, n->name, n->name_len, rs->type);
		if (tlen > 0) {
			alias_target(fp, target, tlen, zid, false);
		} else {
			fprintf(fp, "\"TTL\": %u, ", (unsigned)rs->ttl);
			rc = json_values(fp, n->name, n->name_len, rs);
		}
		fprintf(fp, "}}");
	}
	for (size_t i = 0; z->policies != NULL && i < z->policies->n &&
			   rc == VPC_OK;
	     i++) {
		const struct policy_set *s = &z->policies->sets[i];

		if (s->name_len == n->name_len &&
		    memcmp(s->name, n->name, n->name_len) == 0)
			rc = write_set(fp, first, z->policies, s);
	}
	return rc;
}

int
zone_write_route53(const struct zone *z, const char *comment,
		   const struct zone_json_hooks *h, FILE *fp)
{
	const struct zone_node **nodes;
	bool first = true;
	size_t n;
	int rc = VPC_OK;

	if ((rc = zone_sorted_nodes(z, &nodes, &n)) != VPC_OK)
		return rc;
	fprintf(fp, "{\n  \"Comment\": ");
	json_string(fp, comment ? comment : "");
	fprintf(fp, ",\n  \"Changes\": [");
	for (size_t i = 0; i < n && rc == VPC_OK; i++)
		rc = write_node(fp, &first, z, nodes[i], h);
	fprintf(fp, "\n  ]\n}\n");
	free(nodes);
	if (rc == VPC_OK && ferror(fp))
		rc = VPC_EIO;
	return rc;
}
