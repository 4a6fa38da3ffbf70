/*
 * resolver/io/ask.c - one DNS question over UDP, waited for.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * See ask.h.  A private loop per call: the handles live on the stack and
 * the loop runs until their close callbacks have run, so nothing
 * outlives the call.
 */
#include "config.h"

#include "io/ask.h"

#include <stdbool.h>
#include <string.h>

#include <uv.h>

#include "util/err.h"

struct ask {
	uv_udp_t udp;
	uv_timer_t timer;
	uv_udp_send_t send;
	uint8_t *reply; /* the caller's buffer */
	size_t cap;
	size_t len;     /* of the reply received */
	int rc;         /* VPC_EAGAIN until decided */
	bool udp_open;  /* udp is initialised (close it) */
};

/* Decides the outcome once and closes the handles; uv_run() returns when
 * their close callbacks have run. */
static void
finish(struct ask *a, int rc)
{
	if (a->rc != VPC_EAGAIN)
		return;
	a->rc = rc;
	uv_timer_stop(&a->timer);
	if (a->udp_open) {
		uv_udp_recv_stop(&a->udp);
		uv_close((uv_handle_t *)&a->udp, NULL);
	}
	uv_close((uv_handle_t *)&a->timer, NULL);
}

static void
on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	struct ask *a = h->data;

	(void)suggested;
	*buf = uv_buf_init((char *)a->reply,
			   a->cap > UINT32_MAX ? UINT32_MAX
					       : (unsigned)a->cap);
}

static void
on_recv(uv_udp_t *h, ssize_t nread, const uv_buf_t *buf,
	const struct sockaddr *addr, unsigned flags)
{
	struct ask *a = h->data;

	(void)buf;
	(void)flags;
	if (nread < 0) {
		finish(a, VPC_EIO); /* e.g. ICMP port unreachable */
		return;
	}
	/* nread == 0 with no address: nothing more to read for now. */
	if (nread == 0 && addr == NULL)
		return;
	a->len = (size_t)nread;
	finish(a, VPC_OK);
}

static void
on_sent(uv_udp_send_t *req, int status)
{
	if (status < 0)
		finish(req->data, VPC_EIO);
}

static void
on_timeout(uv_timer_t *t)
{
	finish(t->data, VPC_ETIMEOUT);
}

static int
start(struct ask *a, uv_loop_t *loop, const struct sockaddr *server,
      const uint8_t *query, size_t query_len, uint64_t timeout_ms)
{
	uv_buf_t b = uv_buf_init((char *)query, (unsigned)query_len);

	if (uv_udp_init(loop, &a->udp) != 0)
		return VPC_EIO;
	a->udp_open = true;
	a->udp.data = a;
	a->send.data = a;
	/* Connected: only the server's datagrams are read, and an ICMP
	 * error reaches on_recv() instead of the timeout. */
	if (uv_udp_connect(&a->udp, server) != 0 ||
	    uv_udp_recv_start(&a->udp, on_alloc, on_recv) != 0 ||
	    uv_udp_send(&a->send, &a->udp, &b, 1, NULL, on_sent) != 0)
		return VPC_EIO;
	return uv_timer_start(&a->timer, on_timeout, timeout_ms, 0) == 0
		       ? VPC_OK
		       : VPC_EIO;
}

int
ask_udp(const struct sockaddr *server, const uint8_t *query,
	size_t query_len, uint8_t *reply, size_t cap, size_t *len,
	uint64_t timeout_ms)
{
	struct ask a = {.reply = reply, .cap = cap, .rc = VPC_EAGAIN};
	uv_loop_t loop;
	int rc;

	if (query_len > UINT32_MAX)
		return VPC_EIO;
	if (uv_loop_init(&loop) != 0)
		return VPC_ENOMEM;
	if (uv_timer_init(&loop, &a.timer) != 0) {
		uv_loop_close(&loop);
		return VPC_ENOMEM;
	}
	a.timer.data = &a;
	if ((rc = start(&a, &loop, server, query, query_len, timeout_ms)) !=
	    VPC_OK)
		finish(&a, rc);
	uv_run(&loop, UV_RUN_DEFAULT);
	uv_loop_close(&loop);
	if (a.rc == VPC_OK)
		*len = a.len;
	return a.rc;
}
