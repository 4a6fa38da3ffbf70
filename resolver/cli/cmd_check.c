/*
 * resolver/cli/cmd_check.c - vpcdns check: validate a configuration.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Loads the configuration the way the daemon does and prints what it
 * would serve: listeners, upstreams, VPCs, endpoints and zones.
 */
#include "config.h"

#include "cli/cli.h"

#include <sys/socket.h>

#include <netinet/in.h>

#include <stdio.h>

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
		       ep->id, conf_endpoint_type_names[ep->type], ep->service,
		       suffix, ep->private_dns ? "on" : "off",
		       ep->inbound_only ? " (inbound only)" : "");
	}
}

/* Every zone with every record: the names this view serves. */
static void
print_zones(const char *title, const struct zoneset *zs)
{
	char name[LOG_NAME_MAX];

	for (size_t j = 0; j < zoneset_count(zs); j++) {
		const struct zone *z = zoneset_get(zs, j);

		if (z->synth != ZONE_SYNTH_NONE) {
			printf("  computed zone %s (%s)\n",
			       log_name(z->apex, z->apex_len, name),
			       z->synth == ZONE_SYNTH_EC2
				       ? "EC2 hostnames ip-a-b-c-d of the "
					 "cidr-blocks"
				       : "PTR of the cidr-blocks");
			continue;
		}
		printf("  %s %s serial %u names %zu\n", title,
		       log_name(z->apex, z->apex_len, name), z->serial,
		       z->n_nodes);
		zone_write(z, stdout);
	}
}

static void
print_summary(const struct conf *cf, const struct view_set *vs)
{
	printf("%s: ok\n", cf->path);
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
	printf("%s\n", cf->n_upstreams == 0 ? " from /etc/resolv.conf" : "");
	for (size_t i = 0; i < vs->n_vpcs; i++) {
		const struct conf_vpc *cv = &cf->vpcs[i];

		printf("vpc %s region %s: %zu hosted zone(s), %zu endpoint(s)\n",
		       cv->id, cv->region, cv->n_hosted_zones, cv->n_endpoints);
		print_endpoints(cv);
		print_zones("zone", vs->vpc_zones[i].zones);
		print_zones("inbound-only zone", vs->vpc_zones[i].inbound_only);
	}
	if (zoneset_count(vs->vpce) > 0) {
		printf("endpoint-specific names (every client):\n");
		print_zones("zone", vs->vpce);
	}
}

int
cmd_check(const char *path)
{
	struct conf *cf = NULL;
	struct view_set *vs = NULL;
	int rc = cli_load(path, &cf, &vs);

	if (rc == VPC_OK)
		print_summary(cf, vs);
	view_set_free(vs);
	conf_free(cf);
	return rc == VPC_OK ? DAEMON_EXIT_OK : DAEMON_EXIT_CONFIG;
}
