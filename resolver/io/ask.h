/*
 * resolver/io/ask.h - one DNS question over UDP, waited for: the one-shot
 * client of `vpcdns explain`.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * The command line holds no sockets: when explain's query is forwarded,
 * it asks the chosen upstream once through ask_udp(), which runs its own
 * private libuv loop (a connected uv_udp_t and a uv_timer_t) until the
 * reply, an error or the timeout, and returns.  No retries, no TCP: it
 * shows what the first upstream says, it is not the daemon's forwarding
 * (io/fwd.h).  Blocking; any thread; no state between calls.
 */
#ifndef RESOLVER_IO_ASK_H
#define RESOLVER_IO_ASK_H

#include <sys/socket.h>

#include <stddef.h>
#include <stdint.h>

/**
 * ask_udp() - send @query to @server and wait for one datagram from it.
 * @server:     [in] the upstream (AF_INET or AF_INET6, port set).
 * @query:      [in] @query_len bytes, sent as they are.
 * @reply:      [out] the datagram received, at most @cap bytes.
 * @len:        [out] on VPC_OK, its length.
 * @timeout_ms: how long to wait for the reply.
 * Return: VPC_OK; VPC_ETIMEOUT when nothing came in time; VPC_EIO when
 * the socket could not be made or used (no route, ICMP unreachable);
 * VPC_ENOMEM.
 */
int ask_udp(const struct sockaddr *server, const uint8_t *query,
	    size_t query_len, uint8_t *reply, size_t cap, size_t *len,
	    uint64_t timeout_ms);

#endif /* RESOLVER_IO_ASK_H */
