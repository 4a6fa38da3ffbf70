/*
 * resolver/main.c - command line: run the daemon or check a configuration.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Parses the command line of SPEC Part 2 and dispatches.  The only place
 * that calls exit() (through the return of main()).
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "daemon.h"
#include "endpoint.h"
#include "err.h"
#include "log.h"
#include "view.h"
#include "zone.h"

static void
usage(FILE *fp)
{
	fprintf(fp,
		"usage: vpcdns [-c FILE] [-d]        run the resolver\n"
		"       vpcdns check [-c FILE]       validate a configuration\n"
		"       vpcdns --version | --help\n"
		"\n"
		"  -c FILE  configuration (default: conf/vpcdns.yaml when it "
		"exists,\n"
		"           else " VPCDNS_SYSCONFDIR "/vpcdns.yaml)\n"
		"  -d       log at debug level\n");
}

static const char *
default_conf_path(void)
{
	if (access("conf/vpcdns.yaml", R_OK) == 0)
		return "conf/vpcdns.yaml";
	return VPCDNS_SYSCONFDIR "/vpcdns.yaml";
}

static void
print_sockaddr(const struct conf_sockaddr *a)
{
	char host[INET6_ADDRSTRLEN];

	if (a->ss.ss_family == AF_INET) {
		const struct sockaddr_in *s4 = (const void *)&a->ss;

		inet_ntop(AF_INET, &s4->sin_addr, host, sizeof(host));
		printf("%s:%u", host, ntohs(s4->sin_port));
	} else {
		const struct sockaddr_in6 *s6 = (const void *)&a->ss;

		inet_ntop(AF_INET6, &s6->sin6_addr, host, sizeof(host));
		printf("[%s]:%u", host, ntohs(s6->sin6_port));
	}
}

static const char *const endpoint_types[] = {
	[CONF_ENDPOINT_INTERFACE] = "interface",
	[CONF_ENDPOINT_GATEWAY] = "gateway",
	[CONF_ENDPOINT_RESOURCE] = "resource",
};

static void
print_endpoints(const struct conf_vpc *cv)
{
	char suffix[ENDPOINT_SUFFIX_LEN + 1];

	for (size_t i = 0; i < cv->n_endpoints; i++) {
		const struct conf_endpoint *ep = &cv->endpoints[i];

		endpoint_suffix(ep, suffix);
		printf("  endpoint %s %s %s suffix %s private-dns %s%s\n",
		       ep->id, endpoint_types[ep->type], ep->service, suffix,
		       ep->private_dns ? "on" : "off",
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

static int
run_check(const char *path)
{
	struct conf_errors errs = {0};
	struct conf *cf = NULL;
	struct view_set *vs = NULL;
	int rc;

	rc = conf_load_file(path, &cf, &errs);
	if (rc == VPC_OK)
		rc = view_set_build(cf, &vs, &errs);
	for (size_t i = 0; i < errs.n; i++)
		fprintf(stderr, "%s\n", errs.msgs[i]);
	if (rc == VPC_OK)
		print_summary(cf, vs);
	else if (errs.n == 0)
		fprintf(stderr, "%s: %s\n", path, vpc_strerror(rc));
	conf_errors_cleanup(&errs);
	view_set_free(vs);
	conf_free(cf);
	return rc == VPC_OK ? DAEMON_EXIT_OK : DAEMON_EXIT_CONFIG;
}

int
main(int argc, char **argv)
{
	const char *path = NULL;
	bool check = false;
	int i = 1;

	if (argc > 1 && strcmp(argv[1], "check") == 0) {
		check = true;
		i = 2;
	}
	for (; i < argc; i++) {
		if (strcmp(argv[i], "-c") == 0 && i + 1 < argc) {
			path = argv[++i];
		} else if (strcmp(argv[i], "-d") == 0) {
			log_level = LOG_LEVEL_DEBUG;
		} else if (strcmp(argv[i], "--version") == 0) {
			printf("vpcdns %s\n", PACKAGE_VERSION);
			return DAEMON_EXIT_OK;
		} else if (strcmp(argv[i], "-h") == 0 ||
			   strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return DAEMON_EXIT_OK;
		} else {
			fprintf(stderr, "vpcdns: unknown argument '%s'\n",
				argv[i]);
			usage(stderr);
			return DAEMON_EXIT_USAGE;
		}
	}
	if (path == NULL)
		path = default_conf_path();
	if (check)
		return run_check(path);
	return daemon_run(path);
}
