/*
 * resolver/engine/zone_text.c - write a zone as an RFC 1035 master file.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Used by `vpcdns export` and `vpcdns check`.  Records are rendered by
 * ldns from their wire form, so every type prints the way named-checkzone
 * and other tools read it.  Reads the zone only.
 */
#include "config.h"

#include "engine/zone.h"

#include <stdlib.h>
#include <string.h>

#include <ldns/ldns.h>

#include "conf/route53.h"
#include "engine/policy.h"
#include "util/err.h"
#include "util/log.h"

/* RFC 4034 §6.1: compare names label by label from the root. */
static int
canonical_cmp(const void *pa, const void *pb)
{
	const struct zone_node *a = *(const struct zone_node *const *)pa;
	const struct zone_node *b = *(const struct zone_node *const *)pb;
	size_t la[128], lb[128], na = 0, nb = 0;

	for (size_t p = 0; a->name[p] != 0; p += 1 + (size_t)a->name[p])
		la[na++] = p;
	for (size_t p = 0; b->name[p] != 0; p += 1 + (size_t)b->name[p])
		lb[nb++] = p;
	while (na > 0 && nb > 0) {
		const uint8_t *x = a->name + la[--na], *y = b->name + lb[--nb];
		size_t n = x[0] < y[0] ? x[0] : y[0];
		int c = memcmp(x + 1, y + 1, n);

		if (c != 0)
			return c;
		if (x[0] != y[0])
			return x[0] < y[0] ? -1 : 1;
	}
	return na == nb ? 0 : (na < nb ? -1 : 1);
}

int
zone_write_rrset(FILE *fp, const uint8_t *owner, size_t owner_len,
		 const struct zone_rrset *rs)
{
	uint8_t wire[WIRE_MAX_NAME_LEN + 10 + 65535];
	struct wire_rdata_iter it;
	const uint8_t *rdata;
	uint16_t len;

	wire_rdata_begin(&it, rs->rdata, rs->len);
	while (wire_rdata_next(&it, &rdata, &len)) {
		struct wire_writer w;
		size_t rpos = 0;
		ldns_rr *rr = NULL;

		wire_writer_init(&w, wire, sizeof(wire));
		wire_write_bytes(&w, owner, owner_len);
		wire_write_u16(&w, rs->type);
		wire_write_u16(&w, WIRE_CLASS_IN);
		wire_write_u32(&w, rs->ttl);
		wire_write_u16(&w, len);
		wire_write_bytes(&w, rdata, len);
		if (w.err != VPC_OK ||
		    ldns_wire2rr(&rr, wire, w.len, &rpos,
				 LDNS_SECTION_ANSWER) != LDNS_STATUS_OK)
			return VPC_EMALFORMED;
		ldns_rr_print(fp, rr);
		ldns_rr_free(rr);
	}
	return VPC_OK;
}

static int
write_node(FILE *fp, const struct zone_node *n, bool apex)
{
	const struct zone_rrset *soa = zone_rrset(n, WIRE_TYPE_SOA);
	int rc = VPC_OK;

	/* The SOA comes first in the file. */
	if (apex && soa != NULL)
		rc = zone_write_rrset(fp, n->name, n->name_len, soa);
	for (uint16_t i = 0; i < n->n_rrsets && rc == VPC_OK; i++) {
		const struct zone_rrset *rs = &n->rrsets[i];

		if (apex && rs->type == WIRE_TYPE_SOA)
			continue;
		/* A provider's private DNS name answers a CNAME at the apex
		 * (SPEC 1.2), which no master file can hold beside the SOA;
		 * the caller writes its target's addresses instead. */
		if (apex && rs->type == WIRE_TYPE_CNAME && soa != NULL) {
			fprintf(fp, "; apex CNAME (answered as such): ");
			rc = zone_write_rrset(fp, n->name, n->name_len, rs);
			continue;
		}
		rc = zone_write_rrset(fp, n->name, n->name_len, rs);
	}
	return rc;
}

int
zone_sorted_nodes(const struct zone *z, const struct zone_node ***out,
		  size_t *count)
{
	const struct zone_node **nodes = malloc((z->n_nodes + 1) *
						sizeof(*nodes));
	size_t n = 0;

	if (nodes == NULL)
		return VPC_ENOMEM;
	for (size_t b = 0; b < z->n_buckets; b++)
		for (const struct zone_node *p = z->buckets[b]; p; p = p->next)
			nodes[n++] = p;
	qsort(nodes, n, sizeof(*nodes), canonical_cmp);
	*out = nodes;
	*count = n;
	return VPC_OK;
}

/* Record sets with a routing policy or an alias have no master-file
 * form: they are named in comments (export them as route53-json). */
static void
write_policy_comments(FILE *fp, const struct zone *z,
		      const struct zone_node *n)
{
	const struct policy_table *t = z->policies;
	char name[LOG_NAME_MAX], tb[16];

	for (size_t i = 0; t != NULL && i < t->n; i++) {
		const struct policy_set *s = &t->sets[i];

		if (s->name_len != n->name_len ||
		    memcmp(s->name, n->name, n->name_len) != 0)
			continue;
		log_name(s->name, s->name_len, name);
		for (size_t j = 0; j < s->n; j++)
			fprintf(fp,
				"; %s %s: Route 53 %s%s record set %s "
				"(no zone-file form; see route53-json)\n",
				name, route53_type_name(s->type, tb),
				route53_policy_name(s->rrs[j].policy),
				s->rrs[j].alias_len ? " alias" : "",
				s->rrs[j].set_id ? s->rrs[j].set_id : "-");
	}
}

int
zone_write(const struct zone *z, FILE *fp)
{
	const struct zone_node **nodes = NULL;
	char origin[1024];
	ldns_rdf *apex;
	size_t n = 0;
	int rc = zone_sorted_nodes(z, &nodes, &n);

	if (rc != VPC_OK)
		return rc;
	apex = ldns_dname_new_frm_data((uint16_t)z->apex_len, z->apex);
	if (apex != NULL) {
		char *text = ldns_rdf2str(apex);

		snprintf(origin, sizeof(origin), "%s", text ? text : ".");
		free(text);
		fprintf(fp, "$ORIGIN %s\n", origin);
	}
	ldns_rdf_deep_free(apex);
	for (size_t i = 0; i < n && rc == VPC_OK; i++) {
		rc = write_node(fp, nodes[i], i == 0);
		write_policy_comments(fp, z, nodes[i]);
	}
	free(nodes);
	if (rc == VPC_OK && ferror(fp))
		rc = VPC_EIO;
	return rc;
}
