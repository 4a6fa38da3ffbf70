/*
 * resolver/io/fwd.h - the forwarding edge: c-ares driven from libuv.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * A struct fwd owns one c-ares channel per forwarder group (group 0: the
 * default upstreams; one more per forward rule), their sockets' uv_poll_t
 * handles and one uv_timer_t per channel; a forward rule with protocol:
 * doh gets a DNS over HTTPS client instead (io/fwd_doh.c), behind the
 * same contract.
 * It sends prepared query bytes and reports the raw reply; no DNS logic.
 * Upstreams are tried in order (no rotation) with a per-try timeout and a
 * bounded number of tries; c-ares retries over TCP on a truncated reply
 * and moves to the next upstream on SERVFAIL, REFUSED or NOTIMP.
 * Loop thread only.
 */
#ifndef RESOLVER_IO_FWD_H
#define RESOLVER_IO_FWD_H

#include <stddef.h>
#include <stdint.h>

#include <uv.h>

struct fwd;
struct view_group;

/**
 * fwd_cb - the outcome of a fwd_send() that returned VPC_OK; runs exactly
 * once per such send, never from inside fwd_send().
 * @arg:    [in] as given to fwd_send().
 * @status: [in] VPC_OK with a reply; VPC_ETIMEOUT when no upstream
 *          answered in time; VPC_EUPSTREAM when they answered SERVFAIL,
 *          REFUSED, NOTIMP or garbage; VPC_EIO when a connection failed
 *          (refused, or a TCP connection to the upstream broke: c-ares
 *          fails every query of that upstream then) and on shutdown.
 * @reply, @len: [in] the reply, valid only during the call.
 */
typedef void (*fwd_cb)(void *arg, int status, const uint8_t *reply,
		       size_t len);

struct fwd_options {
	unsigned timeout_ms;   /* first try's timeout per upstream */
	unsigned tries;        /* rounds over the upstream list */
};

/**
 * fwd_new() - create one channel per forwarder group; a group without
 * addresses uses the nameservers of /etc/resolv.conf.
 * @groups: [in] the view set's groups; copied.
 * Return: VPC_OK with *@out owned by the caller; VPC_ECONFIG when c-ares
 * refuses a server list; VPC_ENOMEM.
 */
int fwd_new(uv_loop_t *loop, const struct view_group *groups, size_t n,
	    const struct fwd_options *opt, struct fwd **out);

/**
 * fwd_send() - send @query to group @group under a fresh random ID (the
 * ID in @query is ignored; c-ares sends the ID it is given).
 * Return: VPC_OK, and then @cb runs exactly once, always after
 * fwd_send() has returned; or an error (VPC_EIO when shutting down, for a
 * bad group or a query of the wrong size; VPC_ENOMEM; what c-ares
 * reported when it refused to start the query), and then @cb never runs.
 */
int fwd_send(struct fwd *f, uint32_t group, const uint8_t *query,
	     size_t len, fwd_cb cb, void *arg);

/** fwd_pending() - queries sent and not yet called back. */
size_t fwd_pending(const struct fwd *f);

/**
 * fwd_free() - cancel every pending query (their callbacks run with
 * VPC_EIO and a NULL reply) and close the handles; memory goes after the
 * loop runs the close callbacks.  NULL is a no-op.
 */
void fwd_free(struct fwd *f);

#endif /* RESOLVER_IO_FWD_H */
