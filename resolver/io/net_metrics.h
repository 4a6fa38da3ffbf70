/*
 * resolver/io/net_metrics.h - the HTTP edge serving /metrics and /healthz.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * A minimal HTTP/1.0-style server on libuv: one request per connection,
 * GET /metrics answers the text the render callback produces (Prometheus
 * exposition), GET /healthz answers "ok" (the process is alive), GET
 * /readyz 200 "ready" or 503 with the reason the ready callback gives,
 * anything else 404.  HEAD gets the same status and headers without the
 * body (`wget --spider`, `curl -I`).  Requests that do not complete
 * within 5 s are dropped; at most 16 connections.
 */
#ifndef RESOLVER_IO_NET_METRICS_H
#define RESOLVER_IO_NET_METRICS_H

#include <stdbool.h>
#include <stddef.h>

#include <uv.h>

struct conf_sockaddr;
struct net_metrics;

/* Writes the metrics text into @out; returns its length (0: too big). */
typedef size_t (*net_metrics_render_fn)(void *arg, char *out, size_t cap);

/* True when the daemon serves; otherwise writes why not into @why. */
typedef bool (*net_metrics_ready_fn)(void *arg, char *why, size_t cap);

/**
 * net_metrics_new() - listen on @addr.
 * Return: VPC_OK with *@out owned by the caller, VPC_EIO when it cannot
 * bind (logged), VPC_ENOMEM.
 */
int net_metrics_new(uv_loop_t *loop, const struct conf_sockaddr *addr,
		    net_metrics_render_fn render, void *arg,
		    struct net_metrics **out);

/**
 * net_metrics_set_ready() - the callback /readyz asks (with the arg given
 * to net_metrics_new()); without one /readyz is always ready.
 */
void net_metrics_set_ready(struct net_metrics *m, net_metrics_ready_fn ready);

/** net_metrics_close() - stop; memory goes with the close callbacks. */
void net_metrics_close(struct net_metrics *m);

#endif /* RESOLVER_IO_NET_METRICS_H */
