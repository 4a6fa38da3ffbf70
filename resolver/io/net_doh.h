/*
 * resolver/io/net_doh.h - DNS over HTTPS listeners (RFC 8484) on h2o.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * One h2o server per listener whose protocols include doh: TLS with ALPN
 * (HTTP/2, HTTP/1.1 when the client offers no h2), on the daemon's libuv
 * loop.  A request's DNS message goes to the same query callback as UDP
 * and TCP, with a struct net_request whose doh member names the stream;
 * the answer comes back through net_reply().  The HTTP side of RFC 8484
 * (which method, path and media type carry a message) is dns/doh.c.  All
 * of it runs on the loop thread.  Used only by io/net.c.
 */
#ifndef RESOLVER_IO_NET_DOH_H
#define RESOLVER_IO_NET_DOH_H

#include <stddef.h>
#include <stdint.h>

#include <uv.h>

#include "io/net.h"

struct conf_listen;
struct net_doh;
struct net_doh_stream;

/**
 * net_doh_listen() - bind the DoH port of @cl and start accepting.
 * @index: the listener's index in conf->listen, copied into requests.
 * @n, @cb, @arg: the net and query callback that requests go to.
 * Return: VPC_OK with *@out owned by the caller (net_doh_close()), or
 * VPC_EIO when the certificate, the key or the port fails (logged with
 * the file or the address and the library's reason), VPC_ENOMEM.
 */
int net_doh_listen(uv_loop_t *loop, const struct conf_listen *cl,
		   size_t index, struct net *n, net_query_cb cb, void *arg,
		   struct net_doh **out);

/**
 * net_doh_reply() - answer the DoH request @s with the DNS message @buf
 * (200, application/dns-message, Cache-Control max-age from its TTLs).
 * A request whose client has gone, or that was answered already, is
 * dropped.  Return: VPC_OK.
 */
int net_doh_reply(struct net_doh_stream *s, const uint8_t *buf, size_t len);

/** net_doh_stream_keep() - @s stays valid until a matching release. */
void net_doh_stream_keep(struct net_doh_stream *s);

/** net_doh_stream_release() - undo one keep; the last one frees @s. */
void net_doh_stream_release(struct net_doh_stream *s);

/**
 * net_doh_close() - stop accepting and ask every connection to finish
 * (HTTP/2 GOAWAY); the memory goes when the last one has closed.  Kept
 * streams stay valid until released.  NULL is a no-op.
 */
void net_doh_close(struct net_doh *d);

#endif /* RESOLVER_IO_NET_DOH_H */
