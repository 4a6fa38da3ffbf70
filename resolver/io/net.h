/*
 * resolver/io/net.h - the network edge: UDP and TCP listeners on libuv.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * net_ owns every libuv socket handle a client talks to.  It frames TCP
 * (RFC 7766: length prefix, pipelining, idle timeout, connection limit),
 * receives UDP in batches, and hands each DNS message to the query
 * callback together with a struct net_request that says where the answer
 * goes.  It does no DNS logic beyond hashing the question of a UDP query
 * to pick a worker.  A net belongs to one loop and runs on its thread.
 */
#ifndef RESOLVER_IO_NET_H
#define RESOLVER_IO_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uv.h>

struct conf;
struct net;
struct net_conn;
struct net_doh_stream;

/* Where a response goes.  One handed to the query callback is borrowed
 * for the duration of the call; keep it with net_request_keep(). */
struct net_request {
	struct net *net;
	uv_udp_t *udp;               /* the UDP socket, NULL for TCP */
	struct net_conn *conn;       /* the TCP connection, NULL for UDP */
	struct sockaddr_storage peer; /* client address: the one a PROXY v2
					 header names on a proxy-protocol
					 listener, else the socket's peer */
	struct sockaddr_storage from; /* the socket's peer, where a UDP
					 answer goes (the balancer) */
	struct net_doh_stream *doh;  /* the DoH request, NULL for Do53 */
	size_t listener;             /* index in conf->listen */
};

/**
 * net_query_cb - a DNS message arrived.
 * @arg: [in] the argument given to net_new().
 * @req: [in] borrowed; see struct net_request.
 * @buf, @len: [in] the message; valid only during the call.
 */
typedef void (*net_query_cb)(void *arg, const struct net_request *req,
			     const uint8_t *buf, size_t len);

struct net_limits {
	unsigned tcp_idle_ms;        /* RFC 7766 §6.2.3 idle timeout */
	unsigned tcp_max_conns;      /* further connections are closed, per
					worker */
	unsigned tcp_max_inflight;   /* per connection; reading pauses */
	unsigned workers;            /* query loops sharing each port; 0 or
					1: a plain socket, no SO_REUSEPORT */
	unsigned worker;             /* which of them this net is; only
					worker 0 serves DoH */
};

/**
 * net_check_bind() - bind every listener of @cf once, UDP and TCP,
 * without SO_REUSEPORT, then close them: what a port in use or two
 * overlapping listeners would do to a single worker (logged as net_new()
 * logs it).  Run before the workers' shared sockets are bound.
 * Return: VPC_OK or VPC_EIO.
 */
int net_check_bind(const struct conf *cf);

/**
 * net_new() - bind every listener of @cf (UDP and TCP on each).  With
 * limits->workers > 1 the sockets have SO_REUSEPORT, and a UDP query
 * reaches the worker its question hashes to (a classic BPF program on
 * the port's group): nets must be made in worker order, 0 first.
 * Return: VPC_OK with *@out owned by the caller; VPC_EIO when a socket
 * cannot be bound (logged with the address); VPC_ENOMEM.
 */
int net_new(uv_loop_t *loop, const struct conf *cf,
	    const struct net_limits *limits,
	    net_query_cb cb, void *arg, struct net **out);

/** net_request_is_stream() - TCP or DoH: no UDP size limit, no RRL. */
static inline bool
net_request_is_stream(const struct net_request *req)
{
	return req->conn != NULL || req->doh != NULL;
}

/**
 * net_reply() - send a response for @req.  For TCP the message is framed,
 * for DoH it becomes the HTTP response; a response to a connection that
 * has closed is dropped.
 * Return: VPC_OK, or an error when it could not be queued (dropped).
 */
int net_reply(const struct net_request *req, const uint8_t *buf, size_t len);

/**
 * net_request_keep() - copy @req to the heap for an answer that comes
 * later (keeps the TCP connection's memory alive).
 * Return: the copy, or NULL when out of memory.
 */
struct net_request *net_request_keep(const struct net_request *req);

/**
 * net_request_release() - release a kept request (after its reply, or
 * without one).  NULL is a no-op.
 */
void net_request_release(struct net_request *req);

/** net_tcp_rejected() - connections refused at the connection limit
 * (every open connection had queries in flight). */
uint64_t net_tcp_rejected(const struct net *n);

/** net_tcp_evicted() - quiet connections closed to admit a new one. */
uint64_t net_tcp_evicted(const struct net *n);

/**
 * net_close() - stop listening and close every connection; the memory
 * goes once the loop has run the close callbacks.  Kept requests stay
 * valid until released.
 */
void net_close(struct net *n);

#endif /* RESOLVER_IO_NET_H */
