/*
 * resolver/io/fwd_doh.h - forwarding over DNS over HTTPS (RFC 8484):
 * libcurl's multi-socket interface driven from libuv.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * One struct fwd_doh per forward rule with protocol: doh (Route 53
 * outbound endpoints: TargetAddress Protocol DoH, ServerNameIndication).
 * Each query is one HTTPS POST of application/dns-message to
 * https://NAME:PORT/PATH, where NAME is the rule's server-name-indication
 * (then resolved to the target's address, so TLS sends it as SNI and the
 * certificate is verified against it) or the target's address itself.
 * HTTP/2 when the server offers it, one connection per target, queries
 * multiplexed on it.  The certificate is always verified, against the
 * rule's ca-file or the system's CAs.  Used only by io/fwd.c, which keeps
 * the contract of fwd.h.  Loop thread only.
 */
#ifndef RESOLVER_IO_FWD_DOH_H
#define RESOLVER_IO_FWD_DOH_H

#include <stddef.h>
#include <stdint.h>

#include <uv.h>

#include "io/fwd.h"

struct fwd_doh;
struct view_group;

/**
 * fwd_doh_new() - a DoH client for the targets of group @g (g->rule has
 * protocol doh).  Return: VPC_OK with *@out owned by the caller;
 * VPC_ENOMEM; VPC_ECONFIG when libcurl cannot be set up (logged).
 */
int fwd_doh_new(uv_loop_t *loop, const struct view_group *g,
		const struct fwd_options *opt, struct fwd_doh **out);

/**
 * fwd_doh_send() - POST @query (@len bytes, sent with ID 0 as RFC 8484
 * §4.1 asks) to the first target, then the next on failure, @opt->tries
 * rounds.  Return: VPC_OK, and then @cb runs exactly once, never from
 * inside this call (VPC_ETIMEOUT, VPC_EIO for a failed connection or TLS,
 * VPC_EUPSTREAM for an HTTP error or a reply that is not a DNS message);
 * or an error (VPC_ENOMEM, VPC_EIO when closing) and @cb never runs.
 */
int fwd_doh_send(struct fwd_doh *d, const uint8_t *query, size_t len,
		 fwd_cb cb, void *arg);

/**
 * fwd_doh_free() - fail every pending query (@cb with VPC_EIO, before
 * this returns) and close; the memory goes once the loop has run the
 * close callbacks.  NULL is a no-op.
 */
void fwd_doh_free(struct fwd_doh *d);

#endif /* RESOLVER_IO_FWD_DOH_H */
