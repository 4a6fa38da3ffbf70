/*
 * resolver/conf/quickstart.c - a configuration from command-line endpoints.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Builds YAML text in a growing buffer; validation of addresses and
 * service names is left to conf_ and catalog_, which report it the same
 * way as for a file.
 */
#include "config.h"

#include "conf/quickstart.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/catalog.h"
#include "conf/conf.h"
#include "util/err.h"
#include "util/strbuf.h"
#include "util/text.h"

/* vpce-<17 hex> from the service name: stable across runs. */
static void
endpoint_id(const char *service, char *out, size_t len)
{
	uint64_t h = text_fnv1a64(service, strlen(service));

	snprintf(out, len, "vpce-0%016llx", (unsigned long long)h);
}

/* Writes one endpoint; @spec is "SERVICE=IP,IP". */
static int
put_endpoint(struct strbuf *t, const char *spec, const char *region, char *err,
	     size_t errlen)
{
	const char *eq = strchr(spec, '=');
	char service[CATALOG_NAME_MAX], id[32], *ips, *save = NULL;
	bool v4 = false, v6 = false;
	char az = 'a';

	if (eq == NULL || eq == spec || eq[1] == '\0' ||
	    (size_t)(eq - spec) >= sizeof(service)) {
		snprintf(err, errlen, "--endpoint '%s': expected SERVICE=IP[,IP...]",
			 spec);
		return VPC_EMALFORMED;
	}
	memcpy(service, spec, (size_t)(eq - spec));
	service[eq - spec] = '\0';
	if ((ips = strdup(eq + 1)) == NULL)
		return VPC_ENOMEM;
	for (char *ip = strtok_r(ips, ",", &save); ip != NULL;
	     ip = strtok_r(NULL, ",", &save))
		*(strchr(ip, ':') != NULL ? &v6 : &v4) = true;
	endpoint_id(service, id, sizeof(id));
	strbuf_printf(t, "      - id: %s\n        service: \"%s\"\n", id,
		      service);
	strbuf_printf(t, "        ip-address-type: %s\n",
		      v4 && v6 ? "dualstack"
		      : v6     ? "ipv6"
			       : "ipv4");
	strbuf_printf(t, "        subnets:\n");
	free(ips);
	if ((ips = strdup(eq + 1)) == NULL)
		return VPC_ENOMEM;
	for (char *ip = strtok_r(ips, ",", &save); ip != NULL;
	     ip = strtok_r(NULL, ",", &save), az++)
		strbuf_printf(t, "          - {az: %s%c, %s: \"%s\"}\n", region,
			      az, strchr(ip, ':') != NULL ? "ipv6" : "ipv4",
			      ip);
	free(ips);
	return VPC_OK;
}

/* The file format has address and port apart. */
static int
put_listen(struct strbuf *t, const char *text)
{
	struct conf_sockaddr sa;
	char host[INET6_ADDRSTRLEN];
	const void *addr;
	uint16_t port;

	if (conf_parse_sockaddr(text, CONF_DEFAULT_PORT, &sa) != VPC_OK)
		return VPC_EMALFORMED;
	if (sa.ss.ss_family == AF_INET) {
		const struct sockaddr_in *s4 = (const void *)&sa.ss;

		addr = &s4->sin_addr;
		port = ntohs(s4->sin_port);
	} else {
		const struct sockaddr_in6 *s6 = (const void *)&sa.ss;

		addr = &s6->sin6_addr;
		port = ntohs(s6->sin6_port);
	}
	inet_ntop(sa.ss.ss_family, addr, host, sizeof(host));
	strbuf_printf(t, "  - {address: \"%s\", port: %u}\n", host, port);
	return VPC_OK;
}

static void
put_list(struct strbuf *t, const char *key, const char **items, size_t n)
{
	if (n == 0)
		return;
	strbuf_printf(t, "%s:\n", key);
	for (size_t i = 0; i < n; i++)
		strbuf_printf(t, "  - \"%s\"\n", items[i]);
}

int
quickstart_yaml(const struct quickstart_args *args, char **out, char *err,
		size_t errlen)
{
	struct catalog_service_ref ref;
	char service[CATALOG_NAME_MAX];
	const char *eq;
	struct strbuf t = {0};
	int rc = VPC_OK;

	eq = strchr(args->endpoints[0], '=');
	snprintf(service, sizeof(service), "%.*s",
		 eq ? (int)(eq - args->endpoints[0]) : 0, args->endpoints[0]);
	if (catalog_parse(service, &ref) != VPC_OK || ref.region[0] == '\0') {
		snprintf(err, errlen,
			 "--endpoint '%s': not a regional AWS service name",
			 args->endpoints[0]);
		return VPC_EMALFORMED;
	}
	strbuf_printf(&t, "# generated from the vpcdns command line\n");
	if (args->n_listen > 0)
		strbuf_printf(&t, "listen:\n");
	for (size_t i = 0; i < args->n_listen; i++) {
		if (put_listen(&t, args->listen[i]) != VPC_OK) {
			snprintf(err, errlen, "--listen '%s': expected ADDR:PORT",
				 args->listen[i]);
			strbuf_free(&t);
			return VPC_EMALFORMED;
		}
	}
	put_list(&t, "upstreams", args->upstreams, args->n_upstreams);
	strbuf_printf(
	    &t, "vpcs:\n  - id: vpc-local\n    region: %s\n    endpoints:\n",
	    ref.region);
	for (size_t i = 0; i < args->n_endpoints && rc == VPC_OK; i++)
		rc = put_endpoint(&t, args->endpoints[i], ref.region, err,
				  errlen);
	if (rc == VPC_OK && t.failed)
		rc = VPC_ENOMEM;
	if (rc != VPC_OK) {
		strbuf_free(&t);
		return rc;
	}
	*out = strbuf_take(&t);
	return VPC_OK;
}
