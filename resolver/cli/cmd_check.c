/*
 * resolver/cli/cmd_check.c - vpcdns check: validate a configuration.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Loads the configuration the way the daemon does and prints a summary of
 * what it would serve: listeners, upstreams, query log, metrics, and per
 * VPC its endpoints, zones (with their counts of names and records),
 * resolver rules and firewall rules; --list adds every record.
 */
#include "config.h"

#include "cli/cli.h"

#include <sys/socket.h>
#include <sys/stat.h>

#include <netinet/in.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "conf/conf.h"
#include "engine/endpoint.h"
#include "engine/view.h"
#include "engine/zone.h"
#include "io/daemon.h"
#include "util/err.h"
#include "util/log.h"

static void
print_sockaddr(const struct conf_sockaddr *a)
{
	char text[INET6_ADDRSTRLEN + 16];

	fputs(conf_format_sockaddr((const struct sockaddr *)&a->ss, text,
				   sizeof(text)),
	      stdout);
}


static void
print_endpoints(const struct conf_vpc *cv)
{
	char suffix[ENDPOINT_SUFFIX_LEN + 1];

	for (size_t i = 0; i < cv->n_endpoints; i++) {
		const struct conf_endpoint *ep = &cv->endpoints[i];

		endpoint_suffix(ep, suffix);
		printf("  endpoint %s %s %s suffix %s private-dns %s%s\n",
		       ep->id, conf_endpoint_type_names[ep->type],
		       ep->service != NULL ? ep->service : "(resource)",
		       suffix, ep->private_dns ? "on" : "off",
		       ep->inbound_only ? " (inbound only)" : "");
	}
}

/* Names with records (empty non-terminals left out) and records of @z. */
static void
count_zone(const struct zone *z, size_t *names, size_t *records)
{
	*names = 0;
	*records = 0;
	for (size_t b = 0; b < z->n_buckets; b++)
		for (const struct zone_node *n = z->buckets[b]; n != NULL;
		     n = n->next) {
			*names += n->n_rrsets > 0;
			for (size_t r = 0; r < n->n_rrsets; r++)
				*records += n->rrsets[r].count;
		}
}

/* One line per zone with its counts (SPEC Part 2, "names served"); with
 * @list, every record of it too. */
static void
print_zones(const char *title, const struct zoneset *zs, bool list)
{
	char name[LOG_NAME_MAX];
	size_t names, records, reserved = 0;

	for (size_t j = 0; j < zoneset_count(zs); j++) {
		const struct zone *z = zoneset_get(zs, j);

		/* The reserved names (engine/reserved.h) are the same two
		 * dozen zones in every VPC: one line, each with --list. */
		if (z->synth == ZONE_SYNTH_RESERVED && !list) {
			reserved++;
			continue;
		}
		if (z->synth != ZONE_SYNTH_NONE) {
			printf("  computed zone %s (%s)\n",
			       log_name(z->apex, z->apex_len, name),
			       z->synth == ZONE_SYNTH_EC2
				       ? "EC2 hostnames ip-a-b-c-d of the "
					 "cidr-blocks"
			       : z->synth == ZONE_SYNTH_RESERVED
				       ? "reserved name, answered locally"
				       : "PTR of the cidr-blocks");
			continue;
		}
		count_zone(z, &names, &records);
		printf("  %s %s serial %u: %zu name(s), %zu record(s)\n", title,
		       log_name(z->apex, z->apex_len, name), z->serial, names,
		       records);
		if (list)
			zone_write(z, stdout);
	}
	if (reserved > 0)
		printf("  reserved names: %zu zone(s) answered locally "
		       "(localhost, private reverse zones; --list names "
		       "them)\n",
		       reserved);
}

static const char *const fw_actions[] = {
	[CONF_FW_ALLOW] = "allow",
	[CONF_FW_BLOCK] = "block",
	[CONF_FW_ALERT] = "alert",
};

static void
print_fw_rules(const struct conf_fw_rule *fw, size_t n, const char *profile)
{
	for (size_t i = 0; i < n; i++)
		printf("  firewall %u %s %s: %zu domain(s)%s%s\n",
		       fw[i].priority, fw[i].name, fw_actions[fw[i].action],
		       fw[i].n_domains, profile ? " from profile " : "",
		       profile ? profile : "");
}

/* The resolver rules a VPC uses (its own and its profiles', one per
 * domain, as the engine holds them) and its firewall rules. */
static void
print_rules(const struct conf *cf, const struct conf_vpc *cv,
	    const struct view_vpc_zones *vz)
{
	for (size_t i = 0; i < vz->n_rules; i++) {
		const struct conf_rule *r = vz->rules[i].conf;

		printf("  rule %s %s", r->domain,
		       r->type == CONF_RULE_SYSTEM ? "system" : "forward");
		for (size_t t = 0; t < r->n_targets; t++)
			printf(" %s", r->targets[t]);
		printf("\n");
	}
	print_fw_rules(cv->firewall, cv->n_firewall, NULL);
	for (size_t i = 0; i < cv->n_profiles; i++) {
		const struct conf_profile *p = &cf->profiles[cv->profiles[i]];

		print_fw_rules(p->firewall, p->n_firewall, p->name);
	}
}

static size_t
count_fw_rules(const struct conf *cf, const struct conf_vpc *cv)
{
	size_t n = cv->n_firewall;

	for (size_t i = 0; i < cv->n_profiles; i++)
		n += cf->profiles[cv->profiles[i]].n_firewall;
	return n;
}

/* Listeners, upstreams, query log and metrics. */
static void
print_edges(const struct conf *cf)
{
	for (size_t i = 0; i < cf->n_listen; i++) {
		printf("listen ");
		print_sockaddr(&cf->listen[i].addr);
		if (cf->listen[i].inbound != NULL)
			printf(" inbound %s", cf->listen[i].inbound);
		printf("\n");
	}
	printf("upstreams");
	for (size_t i = 0; i < cf->n_upstreams; i++) {
		printf(" ");
		print_sockaddr(&cf->upstreams[i]);
	}
	for (size_t i = 0; i < cf->n_upstream_hosts; i++)
		printf(" %s", cf->upstream_hosts[i]);
	printf("%s\n", cf->n_upstreams + cf->n_upstream_hosts == 0
			       ? " from /etc/resolv.conf"
			       : "");
	if (!cf->query_log)
		printf("query-log off\n");
	else if (strcmp(cf->query_log_path, "-") == 0)
		printf("query-log standard output\n");
	else
		printf("query-log %s\n", cf->query_log_path);
	printf("metrics ");
	if (cf->metrics)
		print_sockaddr(&cf->metrics_addr);
	else
		printf("off");
	printf("\n");
}

static void
print_summary(const struct conf *cf, const struct view_set *vs, bool list)
{
	printf("%s: ok\n", cf->path);
	print_edges(cf);
	for (size_t i = 0; i < vs->n_vpcs; i++) {
		const struct conf_vpc *cv = &cf->vpcs[i];
		const struct view_vpc_zones *vz = &vs->vpc_zones[i];

		printf("vpc %s region %s: %zu endpoint(s), %zu zone(s), %zu "
		       "inbound-only zone(s), %zu rule(s), %zu firewall "
		       "rule(s)\n",
		       cv->id, cv->region, cv->n_endpoints,
		       zoneset_count(vz->zones), zoneset_count(vz->inbound_only),
		       vz->n_rules, count_fw_rules(cf, cv));
		print_endpoints(cv);
		print_zones("zone", vz->zones, list);
		print_zones("inbound-only zone", vz->inbound_only, list);
		print_rules(cf, cv, vz);
	}
	if (zoneset_count(vs->vpce) > 0) {
		printf("endpoint-specific names (every client): %zu zone(s)\n",
		       zoneset_count(vs->vpce));
		print_zones("zone", vs->vpce, list);
	}
	if (!list)
		printf("(vpcdns check --list prints every record)\n");
}

/* What the daemon needs of the file system that the configuration text
 * cannot tell: the query log's directory, so that a path in a missing
 * directory fails here and not when the daemon starts.  Nothing is
 * created. */
static int
check_query_log(const struct conf *cf)
{
	const char *path = cf->query_log_path, *slash, *why = NULL;
	char dir[4096];
	struct stat st;

	if (!cf->query_log || strcmp(path, "-") == 0 ||
	    (slash = strrchr(path, '/')) == NULL)
		return VPC_OK;
	/* An existing file is appended to: only it must be writable. */
	if (access(path, F_OK) == 0) {
		if (access(path, W_OK) == 0)
			return VPC_OK;
		fprintf(stderr, "%s: query-log.path: cannot write %s: %s\n",
			cf->path, path, strerror(errno));
		return VPC_ECONFIG;
	}
	snprintf(dir, sizeof(dir), "%.*s",
		 slash == path ? 1 : (int)(slash - path), path);
	if (stat(dir, &st) != 0)
		why = strerror(errno);
	else if (!S_ISDIR(st.st_mode))
		why = "not a directory";
	else if (access(dir, W_OK | X_OK) != 0)
		why = "cannot be written";
	if (why == NULL)
		return VPC_OK;
	fprintf(stderr, "%s: query-log.path: cannot create %s: directory %s: "
			"%s\n",
		cf->path, path, dir, why);
	return VPC_ECONFIG;
}

int
cmd_check(const struct cli_source *src, bool list)
{
	struct conf *cf = NULL;
	struct view_set *vs = NULL;
	int rc = cli_load(src, &cf, &vs);

	if (rc == VPC_OK)
		rc = check_query_log(cf);
	if (rc == VPC_OK)
		print_summary(cf, vs, list);
	view_set_free(vs);
	conf_free(cf);
	return rc == VPC_OK ? DAEMON_EXIT_OK : DAEMON_EXIT_CONFIG;
}
