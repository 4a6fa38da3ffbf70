/*
 * resolver/conf/conf_override.c - command-line values that replace a file's.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Every value is parsed before anything is replaced, so a bad one leaves
 * the configuration as it was loaded (a failure of the listen part after
 * the upstreams were parsed leaves both as they were).
 */
#include "config.h"

#include "conf/conf_override.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "util/err.h"

/* Addresses into @out; with @hosts, host names (HOST[:PORT]) are
 * counted in *@n_hosts and left out of @out, whose length is *@n. */
static int
parse_all(const char *const *items, size_t count, const char *from,
	  struct conf_sockaddr **out, size_t *n_out, size_t *n_hosts,
	  struct conf_errors *errs)
{
	struct conf_sockaddr *a = calloc(count, sizeof(*a));
	size_t n = 0;
	int rc = VPC_OK;

	if (a == NULL)
		return VPC_ENOMEM;
	for (size_t i = 0; i < count; i++) {
		if (conf_parse_sockaddr(items[i], CONF_DEFAULT_PORT, &a[n]) ==
		    VPC_OK) {
			n++;
			continue;
		}
		if (n_hosts != NULL && conf_valid_target(items[i])) {
			(*n_hosts)++;
			continue;
		}
		conf_errors_add(errs, from, 0,
				n_hosts != NULL
					? "'%s' is not an address or host name "
					  "with an optional port (ADDR, "
					  "ADDR:PORT, [IPV6]:PORT, HOST, "
					  "HOST:PORT)"
					: "'%s' is not an address with an "
					  "optional port (ADDR, ADDR:PORT or "
					  "[IPV6]:PORT)",
				items[i]);
		rc = VPC_ECONFIG;
	}
	for (size_t i = 0; rc == VPC_OK && i < n; i++)
		for (size_t j = 0; j < i; j++)
			if (a[i].len == a[j].len &&
			    memcmp(&a[i].ss, &a[j].ss, a[i].len) == 0) {
				conf_errors_add(errs, from, 0,
						"an address is given twice");
				rc = VPC_ECONFIG;
				break;
			}
	if (rc != VPC_OK) {
		free(a);
		return rc;
	}
	*out = a;
	*n_out = n;
	return VPC_OK;
}

/* The host-name items of @items, copied. */
static char **
copy_hosts(const char *const *items, size_t count, size_t n_hosts)
{
	char **h = calloc(n_hosts ? n_hosts : 1, sizeof(*h));
	struct conf_sockaddr sa;
	size_t k = 0;

	for (size_t i = 0; h != NULL && i < count; i++) {
		if (conf_parse_sockaddr(items[i], CONF_DEFAULT_PORT, &sa) ==
		    VPC_OK)
			continue;
		if ((h[k++] = strdup(items[i])) == NULL) {
			while (k > 0)
				free(h[--k]);
			free(h);
			return NULL;
		}
	}
	return h;
}

/* The listeners of @a as the table would make them from a file (every
 * default of a listen entry applies): a small document goes through the
 * parser, and its listen array is swapped into @cf. */
static int
set_listen(struct conf *cf, const struct conf_sockaddr *a, size_t n,
	   struct conf_errors *errs)
{
	char *text = malloc(n * 96 + 16), host[INET6_ADDRSTRLEN];
	struct conf *tmp = NULL;
	struct conf_listen *l;
	size_t len = 0, nl;
	int rc;

	if (text == NULL)
		return VPC_ENOMEM;
	len += (size_t)snprintf(text, 16, "listen:\n");
	for (size_t i = 0; i < n; i++) {
		const struct sockaddr *sa = (const struct sockaddr *)&a[i].ss;
		const void *ad = sa->sa_family == AF_INET
					 ? (const void *)&((const struct sockaddr_in *)(const void *)sa)->sin_addr
					 : (const void *)&((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
		unsigned port = ntohs(sa->sa_family == AF_INET
					      ? ((const struct sockaddr_in *)(const void *)sa)->sin_port
					      : ((const struct sockaddr_in6 *)(const void *)sa)->sin6_port);

		inet_ntop(sa->sa_family, ad, host, sizeof(host));
		len += (size_t)snprintf(text + len, 96,
					"  - {address: \"%s\", port: %u}\n",
					host, port);
	}
	rc = conf_load_string(NULL, text, len, "--listen", &tmp, errs);
	free(text);
	if (rc != VPC_OK)
		return rc;
	l = cf->listen;
	nl = cf->n_listen;
	cf->listen = tmp->listen;
	cf->n_listen = tmp->n_listen;
	cf->listen_set = true;
	tmp->listen = l;
	tmp->n_listen = nl;
	conf_free(tmp);
	return VPC_OK;
}

int
conf_override(struct conf *cf, const struct conf_overrides *ov,
	      struct conf_errors *errs)
{
	struct conf_sockaddr *la = NULL, *ua = NULL;
	size_t nl = 0, nu = 0, nh = 0;
	char **hosts = NULL;
	int rc = VPC_OK;

	if (ov == NULL)
		return VPC_OK;
	if (ov->n_listen > 0)
		rc = parse_all(ov->listen, ov->n_listen,
			       ov->listen_from ? ov->listen_from : "--listen",
			       &la, &nl, NULL, errs);
	if (ov->n_upstreams > 0) {
		int r2 = parse_all(ov->upstreams, ov->n_upstreams,
				   ov->upstreams_from ? ov->upstreams_from
						      : "--upstream",
				   &ua, &nu, &nh, errs);

		if (rc == VPC_OK)
			rc = r2;
	}
	if (rc == VPC_OK && la != NULL)
		rc = set_listen(cf, la, nl, errs);
	if (rc == VPC_OK && ua != NULL &&
	    (hosts = copy_hosts(ov->upstreams, ov->n_upstreams, nh)) == NULL)
		rc = VPC_ENOMEM;
	free(la);
	if (rc != VPC_OK) {
		free(ua);
		return rc;
	}
	if (ua != NULL) {
		free(cf->upstreams);
		cf->upstreams = ua;
		cf->n_upstreams = nu;
		for (size_t i = 0; i < cf->n_upstream_hosts; i++)
			free(cf->upstream_hosts[i]);
		free(cf->upstream_hosts);
		cf->upstream_hosts = hosts;
		cf->n_upstream_hosts = nh;
	}
	return VPC_OK;
}
