/*
 * resolver/conf/quickstart.h - a configuration from command-line endpoints.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * `vpcdns --endpoint SERVICE=IP[,IP...]` serves endpoints without a file
 * (SPEC Part 2): quickstart_yaml() writes the equivalent YAML
 * configuration, which then goes through the ordinary parser, so the
 * command line can do nothing a file cannot.  Every value is checked
 * here first, so that a mistake is reported with the option as typed
 * rather than a line of the generated text.  --listen and --upstream
 * are applied to the loaded configuration (conf_override()), as they
 * are to a file.  Pure: text in, text out.
 */
#ifndef RESOLVER_CONF_QUICKSTART_H
#define RESOLVER_CONF_QUICKSTART_H

#include <stddef.h>

struct quickstart_args {
	const char *const *endpoints; /* "SERVICE=IP,IP,..." each */
	size_t n_endpoints;
	const char *from;         /* "--endpoint" or "VPCDNS_ENDPOINTS", for
				     messages; NULL: "--endpoint" */
};

/**
 * quickstart_yaml() - the configuration of @args: one VPC (vpc-local) in
 * the Region of the first endpoint's service, private DNS on, one subnet
 * per address in AZs a, b, c... in order; the endpoint id is derived from
 * the service name so it is the same on every run.  An IPv6 address makes
 * the endpoint dualstack (ipv6 when all its addresses are IPv6).
 * @out: [out] NUL-terminated YAML, malloc'd, owned by the caller.
 * @err: [out] a message when the arguments are unusable.
 * Return: VPC_OK; VPC_EMALFORMED (message in @err); VPC_ENOMEM.
 */
int quickstart_yaml(const struct quickstart_args *args, char **out,
		    char *err, size_t errlen);

#endif /* RESOLVER_CONF_QUICKSTART_H */
