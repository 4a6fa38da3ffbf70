/*
 * resolver/io/health.c - TCP and HTTP health checks on the libuv loop.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * See health.h.  One struct probe per check: a repeating timer starts an
 * attempt, an attempt is one uv_tcp_t plus the same timer used as its
 * deadline (the interval: an attempt that has not finished when the next
 * one is due has failed).  Like Route 53, a status changes only after
 * failure-threshold consecutive results that disagree with it.  Every
 * handle is closed by health_stop(); the probes are freed by the last
 * close callback.
 */
#include "config.h"

#include "io/health.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "engine/policy.h"
#include "util/err.h"
#include "util/log.h"

#define HEALTH_REPLY_MAX 64 /* bytes of the HTTP status line kept */

struct health;

struct probe {
	struct health *h;
	const struct conf_health_check *hc; /* borrowed from the conf */
	size_t index;			    /* in the health table */
	uv_timer_t timer;		    /* next attempt / its deadline */
	uv_tcp_t tcp;			    /* the attempt's connection */
	uv_connect_t connect;
	uv_write_t write;
	bool busy;			    /* an attempt is running */
	bool tcp_open;			    /* tcp must be closed */
	unsigned streak;		    /* results against the status */
	char request[512];		    /* http: the GET */
	char reply[HEALTH_REPLY_MAX];	    /* http: the status line so far */
	size_t reply_len;
};

struct health {
	struct policy_health *table; /* borrowed from the data set */
	struct probe *probes;	     /* owned */
	size_t n;
	size_t open_handles;	     /* closes still to come */
	bool stopped;
};

static void attempt(uv_timer_t *t);

static void
on_closed(uv_handle_t *hd)
{
	struct probe *p = hd->data;
	struct health *h = p->h;

	if (hd == (uv_handle_t *)&p->tcp)
		p->tcp_open = false;
	if (--h->open_handles == 0 && h->stopped) {
		free(h->probes);
		free(h);
	}
}

/* One result: flips the status after failure-threshold of them. */
static void
result(struct probe *p, bool ok)
{
	struct health *h = p->h;
	bool up;

	if (!p->busy)
		return;
	p->busy = false;
	if (p->tcp_open && !uv_is_closing((uv_handle_t *)&p->tcp)) {
		h->open_handles++;
		uv_close((uv_handle_t *)&p->tcp, on_closed);
	}
	if (h->stopped)
		return;
	up = h->table->up[p->index] != 0;
	if (ok == up) {
		p->streak = 0;
	} else if (++p->streak >= p->hc->failure_threshold) {
		h->table->up[p->index] = ok ? 1 : 0;
		p->streak = 0;
		log_notice("health: %s is %s", p->hc->id,
			   ok ? "healthy" : "unhealthy");
	}
	uv_timer_stop(&p->timer);
	uv_timer_start(&p->timer, attempt, (uint64_t)p->hc->interval * 1000,
		       0);
}

static void
on_deadline(uv_timer_t *t)
{
	result(t->data, false);
}

static void
on_alloc(uv_handle_t *hd, size_t suggested, uv_buf_t *buf)
{
	struct probe *p = hd->data;

	(void)suggested;
	*buf = uv_buf_init(p->reply + p->reply_len,
			   (unsigned)(sizeof(p->reply) - 1 - p->reply_len));
}

/* RFC 9112 §4: "HTTP/1.x 200 ..."; 2xx and 3xx count as healthy, as in
 * Route 53's HTTP checks. */
static void
on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
	struct probe *p = s->data;
	const char *sp;

	(void)buf;
	if (n > 0)
		p->reply_len += (size_t)n;
	p->reply[p->reply_len] = '\0';
	if ((sp = strchr(p->reply, ' ')) != NULL && strlen(sp) >= 4) {
		result(p, strncmp(p->reply, "HTTP/1.", 7) == 0 &&
				  (sp[1] == '2' || sp[1] == '3'));
		return;
	}
	if (n < 0 || p->reply_len + 1 >= sizeof(p->reply))
		result(p, false);
}

static void
on_written(uv_write_t *w, int status)
{
	struct probe *p = w->data;

	if (status != 0 || uv_read_start((uv_stream_t *)&p->tcp, on_alloc,
					 on_read) != 0)
		result(p, false);
}

static void
on_connect(uv_connect_t *c, int status)
{
	struct probe *p = c->data;
	uv_buf_t b;

	if (status != 0 || p->hc->type == CONF_HC_TCP) {
		result(p, status == 0);
		return;
	}
	b = uv_buf_init(p->request, (unsigned)strlen(p->request));
	p->write.data = p;
	if (uv_write(&p->write, (uv_stream_t *)&p->tcp, &b, 1, on_written) != 0)
		result(p, false);
}

static void
attempt(uv_timer_t *t)
{
	struct probe *p = t->data;

	if (p->h->stopped || p->busy)
		return;
	if (p->tcp_open) { /* the last attempt's close is still pending */
		uv_timer_start(&p->timer, attempt, 10, 0);
		return;
	}
	p->busy = true;
	p->reply_len = 0;
	if (uv_tcp_init(t->loop, &p->tcp) != 0) {
		result(p, false);
		return;
	}
	p->tcp.data = p;
	p->tcp_open = true;
	p->connect.data = p;
	uv_timer_start(&p->timer, on_deadline,
		       (uint64_t)p->hc->interval * 1000, 0);
	if (uv_tcp_connect(&p->connect, &p->tcp,
			   (const struct sockaddr *)&p->hc->addr.ss,
			   on_connect) != 0)
		result(p, false);
}

static void
init_probe(struct health *h, struct probe *p, uv_loop_t *loop,
	   const struct conf_health_check *hc, size_t index)
{
	char host[64];

	p->h = h;
	p->hc = hc;
	p->index = index;
	uv_timer_init(loop, &p->timer);
	p->timer.data = p;
	h->open_handles++;
	conf_format_sockaddr((const struct sockaddr *)&hc->addr.ss, host,
			     sizeof(host));
	snprintf(p->request, sizeof(p->request),
		 "GET %s HTTP/1.0\r\nHost: %s\r\nUser-Agent: vpcdns-health"
		 "\r\nConnection: close\r\n\r\n",
		 hc->path ? hc->path : "/", host);
	/* The first attempt at once: a record set should not wait an
	 * interval to learn that its target is down. */
	uv_timer_start(&p->timer, attempt, 0, 0);
}

int
health_start(uv_loop_t *loop, const struct conf *cf,
	     struct policy_health *table, struct health **out)
{
	struct health *h;
	size_t n = 0;

	*out = NULL;
	for (size_t i = 0; i < cf->n_health_checks; i++)
		n += cf->health_checks[i].type != CONF_HC_STATIC;
	if (n == 0)
		return VPC_OK;
	if ((h = calloc(1, sizeof(*h))) == NULL ||
	    (h->probes = calloc(n, sizeof(*h->probes))) == NULL) {
		free(h);
		return VPC_ENOMEM;
	}
	h->table = table;
	for (size_t i = 0; i < cf->n_health_checks; i++)
		if (cf->health_checks[i].type != CONF_HC_STATIC)
			init_probe(h, &h->probes[h->n++], loop,
				   &cf->health_checks[i], i);
	*out = h;
	return VPC_OK;
}

void
health_stop(struct health *h)
{
	if (h == NULL)
		return;
	h->stopped = true;
	for (size_t i = 0; i < h->n; i++) {
		struct probe *p = &h->probes[i];

		if (p->tcp_open && !uv_is_closing((uv_handle_t *)&p->tcp)) {
			h->open_handles++;
			uv_close((uv_handle_t *)&p->tcp, on_closed);
		}
		uv_close((uv_handle_t *)&p->timer, on_closed);
	}
}
