/*
 * resolver/fwd.c - c-ares forwarding driven by libuv.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * c-ares tells us which sockets it wants watched (ARES_OPT_SOCK_STATE_CB);
 * each gets a uv_poll_t.  One uv_timer_t fires at ares_timeout() so
 * c-ares can expire and retry queries.  The reply buffer c-ares passes to
 * a callback is only valid inside it, and callbacks also fire on
 * destruction (ARES_EDESTRUCTION): both are handled in on_reply().
 */
#include "config.h"

#include "fwd.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <ares.h>

#include "conf.h"
#include "err.h"
#include "log.h"

struct poller {
	uv_poll_t poll;
	struct fwd *fwd;
	ares_socket_t fd;
	struct poller *next;
};

struct fwd {
	uv_loop_t *loop;
	ares_channel channel;
	uv_timer_t timer;
	struct poller *pollers;
	size_t pending;
	bool closing;
};

struct send_ctx {
	fwd_cb cb;
	void *arg;
	struct fwd *fwd;
};

static void arm_timer(struct fwd *f);

static void
poller_closed(uv_handle_t *h)
{
	free(h->data);
}

static void
on_poll(uv_poll_t *h, int status, int events)
{
	struct poller *p = h->data;
	ares_socket_t rfd = ARES_SOCKET_BAD, wfd = ARES_SOCKET_BAD;

	/* On an error let c-ares read the socket and notice it itself. */
	if (status < 0 || (events & UV_READABLE))
		rfd = p->fd;
	if (status == 0 && (events & UV_WRITABLE))
		wfd = p->fd;
	ares_process_fd(p->fwd->channel, rfd, wfd);
	arm_timer(p->fwd);
}

static struct poller *
find_poller(struct fwd *f, ares_socket_t fd, struct poller ***link)
{
	struct poller **pp = &f->pollers;

	for (; *pp != NULL; pp = &(*pp)->next)
		if ((*pp)->fd == fd)
			break;
	*link = pp;
	return *pp;
}

static void
on_sock_state(void *data, ares_socket_t fd, int readable, int writable)
{
	struct fwd *f = data;
	struct poller **link, *p = find_poller(f, fd, &link);
	int events = (readable ? UV_READABLE : 0) | (writable ? UV_WRITABLE : 0);

	if (events == 0) {
		if (p != NULL) {
			*link = p->next;
			uv_poll_stop(&p->poll);
			uv_close((uv_handle_t *)&p->poll, poller_closed);
		}
		return;
	}
	if (p == NULL) {
		if ((p = calloc(1, sizeof(*p))) == NULL)
			return;
		if (uv_poll_init_socket(f->loop, &p->poll, fd) != 0) {
			free(p);
			return;
		}
		p->fd = fd;
		p->fwd = f;
		p->poll.data = p;
		p->next = f->pollers;
		f->pollers = p;
	}
	uv_poll_start(&p->poll, events, on_poll);
}

static void
on_timer(uv_timer_t *t)
{
	struct fwd *f = t->data;

	ares_process_fd(f->channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
	arm_timer(f);
}

static void
arm_timer(struct fwd *f)
{
	struct timeval tv, *next;
	uint64_t ms;

	if (f->closing)
		return;
	next = ares_timeout(f->channel, NULL, &tv);
	if (next == NULL) {
		uv_timer_stop(&f->timer);
		return;
	}
	ms = (uint64_t)next->tv_sec * 1000 + (uint64_t)next->tv_usec / 1000;
	uv_timer_start(&f->timer, on_timer, ms ? ms : 1, 0);
}

static int
status_to_err(int status)
{
	switch (status) {
	case ARES_ETIMEOUT:
		return VPC_ETIMEOUT;
	case ARES_ECONNREFUSED:
	case ARES_ESERVFAIL:
	case ARES_EREFUSED:
	case ARES_ENOTIMP:
	case ARES_EBADRESP:
	case ARES_EFORMERR:
		return VPC_EUPSTREAM;
	case ARES_ENOMEM:
		return VPC_ENOMEM;
	}
	return VPC_EIO;
}

static void
on_reply(void *arg, int status, int timeouts, unsigned char *abuf, int alen)
{
	struct send_ctx *ctx = arg;
	struct fwd *f = ctx->fwd;

	(void)timeouts;
	f->pending--;
	if (status == ARES_SUCCESS && abuf != NULL && alen > 0) {
		ctx->cb(ctx->arg, VPC_OK, abuf, (size_t)alen);
	} else {
		if (status != ARES_EDESTRUCTION)
			log_debug("fwd: upstream query failed: %s",
				  ares_strerror(status));
		ctx->cb(ctx->arg, status_to_err(status), NULL, 0);
	}
	free(ctx);
}

void
fwd_send(struct fwd *f, uint32_t group, const uint8_t *query, size_t len,
	 fwd_cb cb, void *arg)
{
	struct send_ctx *ctx = malloc(sizeof(*ctx));

	(void)group; /* one group until resolver rules arrive */
	if (ctx == NULL || f->closing || len > INT32_MAX) {
		free(ctx);
		cb(arg, ctx == NULL ? VPC_ENOMEM : VPC_EIO, NULL, 0);
		return;
	}
	ctx->cb = cb;
	ctx->arg = arg;
	ctx->fwd = f;
	f->pending++;
	ares_send(f->channel, query, (int)len, on_reply, ctx);
	arm_timer(f);
}

size_t
fwd_pending(const struct fwd *f)
{
	return f->pending;
}

static int
set_servers(struct fwd *f, const struct conf *cf)
{
	struct ares_addr_port_node *nodes;
	int rc;

	if (cf->n_upstreams == 0)
		return VPC_OK; /* c-ares read /etc/resolv.conf at init */
	if ((nodes = calloc(cf->n_upstreams, sizeof(*nodes))) == NULL)
		return VPC_ENOMEM;
	for (size_t i = 0; i < cf->n_upstreams; i++) {
		const struct sockaddr *sa =
			(const struct sockaddr *)&cf->upstreams[i].ss;
		struct ares_addr_port_node *n = &nodes[i];

		n->next = i + 1 < cf->n_upstreams ? &nodes[i + 1] : NULL;
		n->family = sa->sa_family;
		if (sa->sa_family == AF_INET) {
			const struct sockaddr_in *s4 = (const void *)sa;

			memcpy(&n->addr.addr4, &s4->sin_addr, 4);
			n->udp_port = n->tcp_port = ntohs(s4->sin_port);
		} else {
			const struct sockaddr_in6 *s6 = (const void *)sa;

			memcpy(&n->addr.addr6, &s6->sin6_addr, 16);
			n->udp_port = n->tcp_port = ntohs(s6->sin6_port);
		}
	}
	rc = ares_set_servers_ports(f->channel, nodes);
	free(nodes);
	if (rc != ARES_SUCCESS) {
		log_err("fwd: c-ares refused the upstream list: %s",
			ares_strerror(rc));
		return VPC_ECONFIG;
	}
	return VPC_OK;
}

int
fwd_new(uv_loop_t *loop, const struct conf *cf, const struct fwd_options *opt,
	struct fwd **out)
{
	struct ares_options o;
	struct fwd *f = calloc(1, sizeof(*f));
	int rc;

	if (f == NULL)
		return VPC_ENOMEM;
	memset(&o, 0, sizeof(o));
	o.sock_state_cb = on_sock_state;
	o.sock_state_cb_data = f;
	o.timeout = (int)opt->timeout_ms;
	o.tries = (int)opt->tries;
	/* Upstreams in the configured order, no search list. */
	o.flags = ARES_FLAG_NOSEARCH | ARES_FLAG_NOALIASES;
	rc = ares_init_options(&f->channel, &o,
			       ARES_OPT_SOCK_STATE_CB | ARES_OPT_TIMEOUTMS |
				       ARES_OPT_TRIES | ARES_OPT_FLAGS);
	if (rc != ARES_SUCCESS) {
		log_err("fwd: c-ares init failed: %s", ares_strerror(rc));
		free(f);
		return rc == ARES_ENOMEM ? VPC_ENOMEM : VPC_ECONFIG;
	}
	f->loop = loop;
	if ((rc = set_servers(f, cf)) != VPC_OK) {
		ares_destroy(f->channel);
		free(f);
		return rc;
	}
	uv_timer_init(loop, &f->timer);
	f->timer.data = f;
	*out = f;
	return VPC_OK;
}

static void
timer_closed(uv_handle_t *h)
{
	free(h->data);
}

void
fwd_free(struct fwd *f)
{
	if (f == NULL)
		return;
	f->closing = true;
	/* Runs every pending callback with ARES_EDESTRUCTION and reports
	 * each socket as closed through on_sock_state(). */
	ares_destroy(f->channel);
	while (f->pollers != NULL) {
		struct poller *p = f->pollers;

		f->pollers = p->next;
		uv_close((uv_handle_t *)&p->poll, poller_closed);
	}
	uv_close((uv_handle_t *)&f->timer, timer_closed);
}
