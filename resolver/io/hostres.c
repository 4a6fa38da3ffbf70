/*
 * resolver/io/hostres.c - host names of targets, through the system's
 * resolvers but never through vpcdns itself.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * The same libuv driving as fwd.c (socket-state callback, one uv_poll_t
 * per socket, one timer), for one channel.  The memory goes when the
 * timer's close callback has run; pollers free themselves.
 */
#include "config.h"

#include "io/hostres.h"

#include <netinet/in.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <ares.h>

#include "conf/conf.h"
#include "util/err.h"
#include "util/log.h"

struct hpoller {
	uv_poll_t poll;
	struct hostres *hr;
	ares_socket_t fd;
	struct hpoller *next;
};

struct hostres {
	uv_loop_t *loop;
	ares_channel ares;
	uv_timer_t timer;
	struct hpoller *pollers;
	bool closing;
};

struct lookup {
	hostres_cb cb;
	void *arg;
	uint16_t port;
	struct hostres *hr;
};

static void arm(struct hostres *hr);

static void
poller_closed(uv_handle_t *h)
{
	free(h->data);
}

static void
on_poll(uv_poll_t *h, int status, int events)
{
	struct hpoller *p = h->data;
	ares_socket_t rfd = ARES_SOCKET_BAD, wfd = ARES_SOCKET_BAD;

	if (status < 0 || (events & UV_READABLE))
		rfd = p->fd;
	if (status == 0 && (events & UV_WRITABLE))
		wfd = p->fd;
	ares_process_fd(p->hr->ares, rfd, wfd);
	arm(p->hr);
}

static void
on_sock_state(void *data, ares_socket_t fd, int readable, int writable)
{
	struct hostres *hr = data;
	struct hpoller **pp = &hr->pollers, *p;
	int events = (readable ? UV_READABLE : 0) | (writable ? UV_WRITABLE : 0);

	while (*pp != NULL && (*pp)->fd != fd)
		pp = &(*pp)->next;
	p = *pp;
	if (events == 0) {
		if (p != NULL) {
			*pp = p->next;
			uv_poll_stop(&p->poll);
			uv_close((uv_handle_t *)&p->poll, poller_closed);
		}
		return;
	}
	if (p == NULL) {
		if ((p = calloc(1, sizeof(*p))) == NULL)
			return;
		if (uv_poll_init_socket(hr->loop, &p->poll, fd) != 0) {
			free(p);
			return;
		}
		p->fd = fd;
		p->hr = hr;
		p->poll.data = p;
		p->next = hr->pollers;
		hr->pollers = p;
	}
	uv_poll_start(&p->poll, events, on_poll);
}

static void
on_timer(uv_timer_t *t)
{
	struct hostres *hr = t->data;

	ares_process_fd(hr->ares, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
	arm(hr);
}

static void
arm(struct hostres *hr)
{
	struct timeval tv, *next;
	uint64_t ms;

	if (hr->closing)
		return;
	if ((next = ares_timeout(hr->ares, NULL, &tv)) == NULL) {
		uv_timer_stop(&hr->timer);
		return;
	}
	ms = (uint64_t)next->tv_sec * 1000 + (uint64_t)next->tv_usec / 1000;
	uv_timer_start(&hr->timer, on_timer, ms ? ms : 1, 0);
}

static int
set_servers(struct hostres *hr, const struct conf_sockaddr *s, size_t n)
{
	struct ares_addr_port_node nodes[8];
	int rc;

	if (n > 8)
		n = 8;
	memset(nodes, 0, sizeof(nodes));
	for (size_t i = 0; i < n; i++) {
		const struct sockaddr *sa = (const struct sockaddr *)&s[i].ss;

		nodes[i].next = i + 1 < n ? &nodes[i + 1] : NULL;
		nodes[i].family = sa->sa_family;
		if (sa->sa_family == AF_INET) {
			const struct sockaddr_in *s4 = (const void *)sa;

			memcpy(&nodes[i].addr.addr4, &s4->sin_addr, 4);
			nodes[i].udp_port = nodes[i].tcp_port =
				ntohs(s4->sin_port);
		} else {
			const struct sockaddr_in6 *s6 = (const void *)sa;

			memcpy(&nodes[i].addr.addr6, &s6->sin6_addr, 16);
			nodes[i].udp_port = nodes[i].tcp_port =
				ntohs(s6->sin6_port);
		}
	}
	if ((rc = ares_set_servers_ports(hr->ares, n ? nodes : NULL)) !=
	    ARES_SUCCESS) {
		log_err("hostres: c-ares refused the nameservers: %s",
			ares_strerror(rc));
		return VPC_ECONFIG;
	}
	return VPC_OK;
}

int
hostres_new(uv_loop_t *loop, const struct conf_sockaddr *servers, size_t n,
	    struct hostres **out)
{
	struct hostres *hr = calloc(1, sizeof(*hr));
	struct ares_options o;
	char lookups[] = "fb"; /* /etc/hosts, then DNS */
	int rc;

	if (hr == NULL)
		return VPC_ENOMEM;
	memset(&o, 0, sizeof(o));
	o.sock_state_cb = on_sock_state;
	o.sock_state_cb_data = hr;
	o.timeout = 2000;
	o.tries = 2;
	o.lookups = lookups;
	rc = ares_init_options(&hr->ares, &o,
			       ARES_OPT_SOCK_STATE_CB | ARES_OPT_TIMEOUTMS |
				       ARES_OPT_TRIES | ARES_OPT_LOOKUPS);
	if (rc != ARES_SUCCESS) {
		log_err("hostres: c-ares init failed: %s", ares_strerror(rc));
		free(hr);
		return rc == ARES_ENOMEM ? VPC_ENOMEM : VPC_ECONFIG;
	}
	if ((rc = set_servers(hr, servers, n)) != VPC_OK) {
		ares_destroy(hr->ares);
		free(hr);
		return rc;
	}
	hr->loop = loop;
	uv_timer_init(loop, &hr->timer);
	hr->timer.data = hr;
	*out = hr;
	return VPC_OK;
}

static int
status_of(int status)
{
	switch (status) {
	case ARES_ENOTFOUND:
	case ARES_ENODATA:
	case ARES_ENONAME:
		return VPC_ENOTFOUND;
	case ARES_ETIMEOUT:
		return VPC_ETIMEOUT;
	}
	return VPC_EIO;
}

static void
on_addrinfo(void *arg, int status, int timeouts, struct ares_addrinfo *res)
{
	struct lookup *lk = arg;
	struct conf_sockaddr out[HOSTRES_MAX_ADDRS];
	size_t n = 0;
	int ttl = -1;

	(void)timeouts;
	for (struct ares_addrinfo_node *a = res ? res->nodes : NULL;
	     a != NULL && n < HOSTRES_MAX_ADDRS; a = a->ai_next) {
		if ((a->ai_family != AF_INET && a->ai_family != AF_INET6) ||
		    a->ai_addrlen > sizeof(out[n].ss))
			continue;
		memset(&out[n], 0, sizeof(out[n]));
		memcpy(&out[n].ss, a->ai_addr, a->ai_addrlen);
		out[n].len = a->ai_addrlen;
		if (a->ai_family == AF_INET)
			((struct sockaddr_in *)&out[n].ss)->sin_port =
				htons(lk->port);
		else
			((struct sockaddr_in6 *)&out[n].ss)->sin6_port =
				htons(lk->port);
		if (ttl < 0 || a->ai_ttl < ttl)
			ttl = a->ai_ttl;
		n++;
	}
	if (status == ARES_SUCCESS && n > 0)
		lk->cb(lk->arg, VPC_OK, out, n, ttl > 0 ? (uint32_t)ttl : 0,
		       "");
	else
		lk->cb(lk->arg,
		       status == ARES_SUCCESS ? VPC_ENOTFOUND
					      : status_of(status),
		       NULL, 0, 0,
		       status == ARES_SUCCESS ? "no address"
					      : ares_strerror(status));
	if (res != NULL)
		ares_freeaddrinfo(res);
	free(lk);
}

void
hostres_lookup(struct hostres *hr, const char *host, uint16_t port,
	       hostres_cb cb, void *arg)
{
	struct ares_addrinfo_hints hints = {.ai_family = AF_UNSPEC};
	struct lookup *lk;

	if (hr->closing || (lk = malloc(sizeof(*lk))) == NULL) {
		cb(arg, VPC_EIO, NULL, 0, 0, "not started");
		return;
	}
	lk->cb = cb;
	lk->arg = arg;
	lk->port = port;
	lk->hr = hr;
	ares_getaddrinfo(hr->ares, host, NULL, &hints, on_addrinfo, lk);
	arm(hr);
}

static void
timer_closed(uv_handle_t *h)
{
	free(h->data);
}

void
hostres_free(struct hostres *hr)
{
	if (hr == NULL)
		return;
	hr->closing = true;
	ares_destroy(hr->ares); /* every callback runs, sockets reported */
	while (hr->pollers != NULL) {
		struct hpoller *p = hr->pollers;

		hr->pollers = p->next;
		uv_close((uv_handle_t *)&p->poll, poller_closed);
	}
	uv_close((uv_handle_t *)&hr->timer, timer_closed);
}
