/*
 * resolver/conf/conf_resolv.c - the nameservers of a resolv.conf text.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Line by line with a bounded copy of each line; an address goes through
 * conf_parse_sockaddr() like every other address of the configuration.
 */
#include "config.h"

#include "conf/conf_resolv.h"

#include <netinet/in.h>

#include <stdio.h>
#include <string.h>

#include "conf/conf.h"
#include "util/err.h"

/* Splits off the address of one "nameserver ADDR" line; NULL otherwise. */
static const char *
nameserver_of(char *line)
{
	char *p = line, *addr, *end;

	while (*p == ' ' || *p == '\t')
		p++;
	if (strncmp(p, "nameserver", 10) != 0 ||
	    (p[10] != ' ' && p[10] != '\t'))
		return NULL;
	addr = p + 10;
	while (*addr == ' ' || *addr == '\t')
		addr++;
	for (end = addr; *end != '\0' && *end != ' ' && *end != '\t' &&
			 *end != '#' && *end != ';' && *end != '\r';
	     end++)
		;
	*end = '\0';
	return *addr != '\0' ? addr : NULL;
}

size_t
conf_parse_resolv(const char *text, size_t len, struct conf_sockaddr *out)
{
	size_t n = 0, pos = 0;

	while (pos < len && n < CONF_RESOLV_MAX) {
		char line[256], host[INET6_ADDRSTRLEN + 8];
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t l = nl != NULL ? (size_t)(nl - (text + pos)) : len - pos;
		const char *addr;

		snprintf(line, sizeof(line), "%.*s", (int)(l < 255 ? l : 255),
			 text + pos);
		pos += l + 1;
		if ((addr = nameserver_of(line)) == NULL)
			continue;
		/* A scope (%eth0) is dropped: link-local upstreams are not
		 * supported. */
		snprintf(host, sizeof(host), "%.*s", (int)strcspn(addr, "%"),
			 addr);
		if (conf_parse_sockaddr(host, 53, &out[n]) == VPC_OK)
			n++;
	}
	if (n == 0 && conf_parse_sockaddr("127.0.0.1", 53, &out[0]) == VPC_OK)
		n = 1;
	return n;
}
