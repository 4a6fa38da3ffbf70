/*
 * resolver/conf/quickstart.c - a configuration from command-line endpoints.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Builds YAML text in a growing buffer.  Each endpoint's service name
 * and addresses are checked first (check_endpoint()), so that a mistake
 * is reported as the user typed it, not as a line of the generated text.
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

/* Checks one "SERVICE=IP[,IP...]": a regional service name and
 * addresses, each named in the message as typed. */
static int
check_endpoint(const char *spec, const char *from, char *err, size_t errlen)
{
	struct catalog_service_ref ref;
	const char *eq = strchr(spec, '='), *ip, *end;
	char service[CATALOG_NAME_MAX], addr[INET6_ADDRSTRLEN + 1];
	uint8_t buf[16];

	if (eq == NULL || eq == spec || eq[1] == '\0' ||
	    (size_t)(eq - spec) >= sizeof(service)) {
		snprintf(err, errlen, "%s '%s': expected SERVICE=IP[,IP...]",
			 from, spec);
		return VPC_EMALFORMED;
	}
	snprintf(service, sizeof(service), "%.*s", (int)(eq - spec), spec);
	if (catalog_parse(service, &ref) != VPC_OK || ref.region[0] == '\0') {
		snprintf(err, errlen,
			 "%s '%s': '%s' is not a regional AWS service name "
			 "(such as com.amazonaws.us-east-1.sqs)",
			 from, spec, service);
		return VPC_EMALFORMED;
	}
	for (ip = eq + 1; *ip != '\0'; ip = *end ? end + 1 : end) {
		size_t n;

		end = strchr(ip, ',');
		end = end ? end : ip + strlen(ip);
		n = (size_t)(end - ip);
		snprintf(addr, sizeof(addr), "%.*s",
			 (int)(n < sizeof(addr) - 1 ? n : sizeof(addr) - 1), ip);
		if (n == 0 || n >= sizeof(addr) ||
		    (inet_pton(AF_INET, addr, buf) != 1 &&
		     inet_pton(AF_INET6, addr, buf) != 1)) {
			snprintf(err, errlen,
				 "%s '%s': '%s' is not an IPv4 or IPv6 address",
				 from, spec, addr);
			return VPC_EMALFORMED;
		}
	}
	return VPC_OK;
}

/* Writes one endpoint; @spec is "SERVICE=IP,IP" (checked). */
static int
put_endpoint(struct strbuf *t, const char *spec, const char *region)
{
	const char *eq = strchr(spec, '=');
	char service[CATALOG_NAME_MAX], id[32], *ips, *save = NULL;
	bool v4 = false, v6 = false;
	char az = 'a';

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

int
quickstart_yaml(const struct quickstart_args *args, char **out, char *err,
		size_t errlen)
{
	struct catalog_service_ref ref;
	char service[CATALOG_NAME_MAX];
	const char *eq, *from = args->from ? args->from : "--endpoint";
	struct strbuf t = {0};
	int rc = VPC_OK;

	for (size_t i = 0; i < args->n_endpoints; i++)
		if ((rc = check_endpoint(args->endpoints[i], from, err,
					 errlen)) != VPC_OK)
			return rc;
	eq = strchr(args->endpoints[0], '=');
	snprintf(service, sizeof(service), "%.*s",
		 eq ? (int)(eq - args->endpoints[0]) : 0, args->endpoints[0]);
	if (catalog_parse(service, &ref) != VPC_OK || ref.region[0] == '\0')
		return VPC_EMALFORMED; /* check_endpoint() said so */
	strbuf_printf(&t, "# generated from the vpcdns command line\n");
	strbuf_printf(
	    &t, "vpcs:\n  - id: vpc-local\n    region: %s\n    endpoints:\n",
	    ref.region);
	for (size_t i = 0; i < args->n_endpoints && rc == VPC_OK; i++)
		rc = put_endpoint(&t, args->endpoints[i], ref.region);
	if (rc == VPC_OK && t.failed)
		rc = VPC_ENOMEM;
	if (rc != VPC_OK) {
		strbuf_free(&t);
		return rc;
	}
	*out = strbuf_take(&t);
	return VPC_OK;
}
