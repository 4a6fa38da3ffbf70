/*
 * resolver/conf/conf_resolv.h - the nameservers of a resolv.conf text.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * The default upstreams (no `upstreams:`) are the nameservers of the
 * system's resolv.conf.  The daemon reads them itself rather than letting
 * c-ares do it, so that it can drop a nameserver that is one of its own
 * listeners (a loop) and report what it uses.  Pure: text in, addresses
 * out; the edge reads the file.
 */
#ifndef RESOLVER_CONF_CONF_RESOLV_H
#define RESOLVER_CONF_CONF_RESOLV_H

#include <stddef.h>

struct conf_sockaddr;

/* glibc's MAXNS: later nameserver lines are ignored, as resolv.conf(5). */
#define CONF_RESOLV_MAX 3

/**
 * conf_parse_resolv() - the `nameserver ADDR` lines of @text, port 53,
 * in order; an IPv6 address may carry a %scope.  Other lines, comments
 * ('#' or ';') and malformed addresses are ignored, as the C library
 * does.  No nameserver at all means 127.0.0.1 (resolv.conf(5)).
 * @text, @len: [in] the file's bytes (need not be NUL-terminated).
 * @out: [out] up to CONF_RESOLV_MAX addresses.
 * Return: how many were written (at least 1).
 */
size_t conf_parse_resolv(const char *text, size_t len,
			 struct conf_sockaddr *out);

#endif /* RESOLVER_CONF_CONF_RESOLV_H */
