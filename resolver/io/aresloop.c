/*
 * resolver/io/aresloop.c - one c-ares channel driven from a libuv loop.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * See aresloop.h.  Pollers are allocated when c-ares names a socket and
 * free themselves in their close callback.
 */
#include "config.h"

#include "io/aresloop.h"

#include <netinet/in.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"

struct aresloop_poller {
	uv_poll_t poll;
	struct aresloop *al;
	ares_socket_t fd;
	struct aresloop_poller *next;
};

static void
poller_closed(uv_handle_t *h)
{
	free(h->data);
}

static void
on_poll(uv_poll_t *h, int status, int events)
{
	struct aresloop_poller *p = h->data;
	ares_socket_t rfd = ARES_SOCKET_BAD, wfd = ARES_SOCKET_BAD;

	/* On an error let c-ares read the socket and notice it itself. */
	if (status < 0 || (events & UV_READABLE))
		rfd = p->fd;
	if (status == 0 && (events & UV_WRITABLE))
		wfd = p->fd;
	ares_process_fd(p->al->ares, rfd, wfd);
	aresloop_arm(p->al);
}

void
aresloop_sock_state(void *data, ares_socket_t fd, int readable, int writable)
{
	struct aresloop *al = data;
	struct aresloop_poller **pp = &al->pollers, *p;
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
		if (uv_poll_init_socket(al->loop, &p->poll, fd) != 0) {
			free(p);
			return;
		}
		p->fd = fd;
		p->al = al;
		p->poll.data = p;
		p->next = al->pollers;
		al->pollers = p;
	}
	uv_poll_start(&p->poll, events, on_poll);
}

static void
on_timer(uv_timer_t *t)
{
	/* timer.data is the owner's: find @al from the embedded handle. */
	struct aresloop *al =
	    (struct aresloop *)((char *)t - offsetof(struct aresloop, timer));

	ares_process_fd(al->ares, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
	aresloop_arm(al);
}

void
aresloop_arm(struct aresloop *al)
{
	struct timeval tv, *next;
	uint64_t ms;

	if (al->closing || al->ares == NULL)
		return;
	if ((next = ares_timeout(al->ares, NULL, &tv)) == NULL) {
		uv_timer_stop(&al->timer);
		return;
	}
	ms = (uint64_t)next->tv_sec * 1000 + (uint64_t)next->tv_usec / 1000;
	uv_timer_start(&al->timer, on_timer, ms ? ms : 1, 0);
}

int
aresloop_set_servers(ares_channel ares, const struct conf_sockaddr *s,
		     size_t n)
{
	struct ares_addr_port_node *nodes = NULL;
	int rc;

	if (n > 0 && (nodes = calloc(n, sizeof(*nodes))) == NULL)
		return ARES_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const struct sockaddr *sa = (const struct sockaddr *)&s[i].ss;
		struct ares_addr_port_node *nd = &nodes[i];

		nd->next = i + 1 < n ? &nodes[i + 1] : NULL;
		nd->family = sa->sa_family;
		if (sa->sa_family == AF_INET) {
			const struct sockaddr_in *s4 = (const void *)sa;

			memcpy(&nd->addr.addr4, &s4->sin_addr, 4);
			nd->udp_port = nd->tcp_port = ntohs(s4->sin_port);
		} else {
			const struct sockaddr_in6 *s6 = (const void *)sa;

			memcpy(&nd->addr.addr6, &s6->sin6_addr, 16);
			nd->udp_port = nd->tcp_port = ntohs(s6->sin6_port);
		}
	}
	rc = ares_set_servers_ports(ares, nodes);
	free(nodes);
	return rc;
}

void
aresloop_init(struct aresloop *al, uv_loop_t *loop)
{
	al->loop = loop;
	al->ares = NULL;
	al->pollers = NULL;
	al->closing = false;
	uv_timer_init(loop, &al->timer);
}

void
aresloop_destroy(struct aresloop *al, uv_close_cb closed)
{
	al->closing = true;
	if (al->ares != NULL)
		ares_destroy(al->ares);
	al->ares = NULL;
	while (al->pollers != NULL) {
		struct aresloop_poller *p = al->pollers;

		al->pollers = p->next;
		uv_close((uv_handle_t *)&p->poll, poller_closed);
	}
	uv_close((uv_handle_t *)&al->timer, closed);
}
