/*
 * resolver/cli/cmd_route53.c - vpcdns export --format route53-json and
 * vpcdns import --route53 / --terraform (issue 11).
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Export writes every zone a client inside each VPC is served as a
 * Route 53 change batch, DIR/<vpc-id>/<zone>.json; the addresses of an
 * endpoint-managed zone become an alias to the endpoint's regional vpce
 * name, as AWS's managed zones hold them.  Import prints a configuration
 * that serves a Route 53 or Terraform file as hosted zones, with a zone
 * file (as comments) when the data has no aliases or routing policies.
 */
#include "config.h"

#include "cli/cli.h"

#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "conf/route53.h"
#include "conf/terraform.h"
#include "dns/wire.h"
#include "engine/policy.h"
#include "engine/view.h"
#include "engine/zone.h"
#include "io/daemon.h"
#include "util/err.h"
#include "util/log.h"

/* Route 53's hosted zone of interface-endpoint names in us-east-1; other
 * Regions' ids are in `aws ec2 describe-vpc-endpoints` (DnsEntries[].
 * HostedZoneId) and are left empty here. */
#define VPCE_ZONE_US_EAST_1 "Z7HUB22UULQXV"

struct export_ctx {
	const struct view_set *vs;
	const struct conf_vpc *vpc;
};

static bool
same_rdata(const struct zone_rrset *a, const struct zone_rrset *b)
{
	return a->count == b->count && a->len == b->len &&
	       memcmp(a->rdata, b->rdata, a->len) == 0;
}

/* An endpoint-managed zone's A/AAAA RRset is an alias to the regional
 * vpce name holding the same addresses (SPEC 1.2). */
static size_t
alias_of(void *arg, const struct zone *z, const struct zone_node *n,
	 const struct zone_rrset *rs, uint8_t *target, const char **zone_id)
{
	const struct export_ctx *x = arg;
	const struct zone_node *best = NULL;

	if (!z->synthesized || z->owned != NULL ||
	    (rs->type != WIRE_TYPE_A && rs->type != WIRE_TYPE_AAAA))
		return 0;
	(void)n;
	for (size_t i = 0; i < zoneset_count(x->vs->vpce); i++) {
		const struct zone *v = zoneset_get(x->vs->vpce, i);

		for (size_t b = 0; b < v->n_buckets; b++)
			for (const struct zone_node *p = v->buckets[b]; p;
			     p = p->next) {
				const struct zone_rrset *o =
					zone_rrset(p, rs->type);

				if (o != NULL && same_rdata(o, rs) &&
				    (best == NULL ||
				     p->name_len < best->name_len))
					best = p;
			}
	}
	if (best == NULL)
		return 0;
	memcpy(target, best->name, best->name_len);
	*zone_id = strcmp(x->vpc->region, "us-east-1") == 0
			   ? VPCE_ZONE_US_EAST_1
			   : "";
	return best->name_len;
}

static const char *
comment_for(const struct zone *z, const struct conf_vpc *vpc, char *buf,
	    size_t cap)
{
	const struct zone_node *apex = zone_find(z, z->apex, z->apex_len);
	char name[LOG_NAME_MAX];

	log_name(z->apex, z->apex_len, name);
	if (apex != NULL && zone_rrset(apex, WIRE_TYPE_CNAME) != NULL)
		snprintf(buf, cap,
			 "vpcdns export: %s as served in %s. vpcdns answers a "
			 "CNAME at this zone's apex (a provider service's "
			 "private DNS name, SPEC 1.2); Route 53 cannot hold a "
			 "CNAME at an apex and will refuse that change",
			 name, vpc->id);
	else
		snprintf(buf, cap, "vpcdns export: %s as served in %s", name,
			 vpc->id);
	return buf;
}

/* One change batch; endpoint-managed addresses become aliases. */
static int
write_batch(void *arg, const struct view_set *vs, const struct conf *cf,
	    size_t vpc, const struct zone *z, FILE *fp)
{
	struct export_ctx x = {.vs = vs, .vpc = &cf->vpcs[vpc]};
	struct zone_json_hooks h = {.alias_of = alias_of, .arg = &x};
	char comment[2048];

	(void)arg;
	return zone_write_route53(
	    z, comment_for(z, x.vpc, comment, sizeof(comment)), &h, fp);
}

int
cmd_export_route53(const struct cli_source *src, const char *dir)
{
	return cli_export(src, dir, ".json", write_batch, NULL);
}

/* ---- import --------------------------------------------------------------- */

/* The apex of record-set JSON: the owner of its SOA, else the shortest
 * name. */
static const char *
guess_apex(const struct route53_zone *z)
{
	const char *best = NULL;

	for (size_t i = 0; i < z->n_sets; i++) {
		if (z->sets[i].type == WIRE_TYPE_SOA)
			return z->sets[i].name;
		if (best == NULL || strlen(z->sets[i].name) < strlen(best))
			best = z->sets[i].name;
	}
	return best;
}

static bool
plain(const struct route53_zone *z)
{
	for (size_t i = 0; i < z->n_sets; i++)
		if (z->sets[i].alias != NULL || z->sets[i].set_id != NULL)
			return false;
	return true;
}

static void
print_zone_comment(const struct route53_zone *z)
{
	char tb[16];

	if (!plain(z)) {
		printf("#   (aliases and routing policies have no zone-file "
		       "form: serve the file itself)\n");
		return;
	}
	printf("#   zone file equivalent:\n");
	for (size_t i = 0; i < z->n_sets; i++)
		for (size_t j = 0; j < z->sets[i].n_values; j++)
			printf("#   %s. %u IN %s %s\n", z->sets[i].name,
			       (unsigned)z->sets[i].ttl,
			       route53_type_name(z->sets[i].type, tb),
			       z->sets[i].values[j]);
}

static void
print_health(const struct route53_zones *zs)
{
	bool any = false;

	for (size_t i = 0; i < zs->n; i++)
		for (size_t j = 0; j < zs->zones[i].n_sets; j++) {
			const char *id = zs->zones[i].sets[j].health_check;
			bool seen = false;

			if (id == NULL)
				continue;
			for (size_t a = 0; a <= i && !seen; a++)
				for (size_t b = 0;
				     b < zs->zones[a].n_sets &&
				     (a < i || b < j) && !seen;
				     b++)
					seen = zs->zones[a].sets[b].health_check &&
					       strcmp(zs->zones[a].sets[b]
							      .health_check,
						      id) == 0;
			if (seen)
				continue;
			if (!any)
				printf("health-checks:   # static: replace with "
				       "type: tcp or http and an address\n");
			any = true;
			printf("  - {id: %s, status: up}\n", id);
		}
}

int
cmd_import_route53(bool terraform, const char *file)
{
	struct conf_errors errs = {0};
	struct route53_zones zs;
	char *abs = NULL, *text;
	size_t len = 0;
	int rc;

	if ((text = cli_read_input(file, &len)) == NULL)
		return DAEMON_EXIT_CONFIG;
	rc = terraform ? terraform_parse(text, len, file, &zs, &errs)
		       : route53_parse(text, len, file, &zs, &errs);
	free(text);
	for (size_t i = 0; i < errs.n; i++)
		fprintf(stderr, "%s\n", errs.msgs[i]);
	conf_errors_cleanup(&errs);
	if (rc != VPC_OK)
		return rc == VPC_ENOMEM ? DAEMON_EXIT_RUNTIME : DAEMON_EXIT_CONFIG;
	abs = strcmp(file, "-") == 0 ? NULL : realpath(file, NULL);
	printf("# vpcdns import --%s %s\n", terraform ? "terraform" : "route53",
	       file);
	printf("vpcs:\n  - id: %s   # the VPC the zones are associated with\n",
	       zs.n > 0 && zs.zones[0].n_vpcs > 0 ? zs.zones[0].vpcs[0]
						   : "vpc-00000000");
	printf("    region: us-east-1   # its Region (latency and "
	       "geolocation use it)\n    hosted-zones:\n");
	for (size_t i = 0; i < zs.n; i++) {
		const char *apex = zs.zones[i].name ? zs.zones[i].name
						    : guess_apex(&zs.zones[i]);

		if (apex == NULL)
			continue;
		printf("      - {name: %s, file: \"%s\", format: %s}\n", apex,
		       abs ? abs : file, terraform ? "terraform" : "route53-json");
		print_zone_comment(&zs.zones[i]);
	}
	print_health(&zs);
	free(abs);
	route53_zones_free(&zs);
	return DAEMON_EXIT_OK;
}
