/*
 * resolver/io/hostres.h - host names of targets, through the system's
 * resolvers but never through vpcdns itself.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Forward targets and upstreams may be host names (a docker-compose
 * service such as `onprem-dns`).  They are looked up with c-ares's
 * ares_getaddrinfo(): /etc/hosts first, then the nameservers of
 * resolv.conf that are not this daemon's own listeners (the caller gives
 * that list), so a vpcdns that is the host's resolver does not ask
 * itself.  The answer's TTL comes back with the addresses, for
 * re-resolution.  One c-ares channel, driven from libuv like fwd_'s;
 * loop thread only.
 */
#ifndef RESOLVER_IO_HOSTRES_H
#define RESOLVER_IO_HOSTRES_H

#include <stddef.h>
#include <stdint.h>

#include <uv.h>

struct conf_sockaddr;
struct hostres;

/* At most this many addresses per name are kept. */
#define HOSTRES_MAX_ADDRS 8

/**
 * hostres_cb - the outcome of hostres_lookup(); runs exactly once.
 * @status: VPC_OK with @n >= 1 addresses; VPC_ENOTFOUND (no such name or
 *          no address), VPC_ETIMEOUT, VPC_EIO (also on hostres_free()).
 * @addrs:  [in] valid during the call; ports set to the one asked for.
 * @ttl:    seconds; 0 when the source has none (/etc/hosts).
 * @why:    [in] c-ares's text of a failure, "" on success.
 */
typedef void (*hostres_cb)(void *arg, int status,
			   const struct conf_sockaddr *addrs, size_t n,
			   uint32_t ttl, const char *why);

/**
 * hostres_new() - the lookup channel, asking @servers (may be none: then
 * only /etc/hosts answers).
 * Return: VPC_OK with *@out; VPC_ECONFIG (logged), VPC_ENOMEM.
 */
int hostres_new(uv_loop_t *loop, const struct conf_sockaddr *servers,
		size_t n, struct hostres **out);

/** hostres_lookup() - look @host up (A and AAAA); @cb runs once, maybe
 * before this returns. */
void hostres_lookup(struct hostres *hr, const char *host, uint16_t port,
		    hostres_cb cb, void *arg);

/** hostres_free() - cancel every lookup (callbacks get VPC_EIO) and close
 * the handles.  NULL is a no-op. */
void hostres_free(struct hostres *hr);

#endif /* RESOLVER_IO_HOSTRES_H */
