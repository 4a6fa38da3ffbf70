/*
 * resolver/io/net_metrics.c - the HTTP edge serving /metrics and /healthz.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Each connection owns a small request buffer, an idle timer and its
 * response; it is freed when both of its handles have closed.
 */
#include "config.h"

#include "io/net_metrics.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "util/err.h"
#include "util/log.h"

#define METRICS_REQ_MAX 2048
#define METRICS_BODY_MAX (256 * 1024)
#define METRICS_MAX_CONNS 16
#define METRICS_TIMEOUT_MS 5000

struct net_metrics {
	uv_loop_t *loop;
	uv_tcp_t server;
	net_metrics_render_fn render;
	net_metrics_ready_fn ready;   /* NULL: always ready */
	void *arg;
	unsigned conns;
	bool closing;
};

struct mconn {
	uv_tcp_t tcp;
	uv_timer_t timer;
	uv_write_t wr;
	struct net_metrics *m;
	unsigned open_handles;
	bool responded;
	size_t len;
	char req[METRICS_REQ_MAX];
	char *resp;
};

static void
mconn_closed(uv_handle_t *h)
{
	struct mconn *c = h->data;

	if (--c->open_handles > 0)
		return;
	c->m->conns--;
	if (c->m->closing && c->m->conns == 0)
		free(c->m);
	free(c->resp);
	free(c);
}

static void
mconn_close(struct mconn *c)
{
	if (uv_is_closing((uv_handle_t *)&c->tcp))
		return;
	uv_close((uv_handle_t *)&c->tcp, mconn_closed);
	uv_close((uv_handle_t *)&c->timer, mconn_closed);
}

static void
written(uv_write_t *w, int status)
{
	(void)status;
	mconn_close(w->data);
}

/* The request line: "GET /path HTTP/1.x"; *@head for HEAD. */
static const char *
request_path(const char *req, bool *head)
{
	*head = strncmp(req, "HEAD ", 5) == 0;
	if (*head)
		return req + 5;
	return strncmp(req, "GET ", 4) == 0 ? req + 4 : NULL;
}

static bool
path_is(const char *path, const char *want)
{
	size_t n = strlen(want);

	return path != NULL && strncmp(path, want, n) == 0 &&
	       (path[n] == ' ' || path[n] == '?');
}

/* Writes the body for the request into @body; returns the status line. */
static const char *
route(struct mconn *c, const char *path, char *body, size_t *blen,
      const char **type)
{
	char why[512];

	if (path_is(path, "/metrics") &&
	    (*blen = c->m->render(c->m->arg, body, METRICS_BODY_MAX)) > 0) {
		*type = "text/plain; version=0.0.4";
		return "200 OK";
	}
	if (path_is(path, "/healthz")) {
		*blen = (size_t)snprintf(body, METRICS_BODY_MAX, "ok\n");
		return "200 OK";
	}
	if (path_is(path, "/readyz")) {
		why[0] = '\0';
		if (c->m->ready == NULL ||
		    c->m->ready(c->m->arg, why, sizeof(why))) {
			*blen = (size_t)snprintf(body, METRICS_BODY_MAX,
						 "ready\n");
			return "200 OK";
		}
		*blen = (size_t)snprintf(body, METRICS_BODY_MAX,
					 "not ready: %s\n", why);
		return "503 Service Unavailable";
	}
	*blen = (size_t)snprintf(body, METRICS_BODY_MAX, "not found\n");
	return "404 Not Found";
}

static void
respond(struct mconn *c)
{
	static const char fmt[] = "HTTP/1.0 %s\r\nContent-Type: %s\r\n"
				  "Content-Length: %zu\r\nConnection: close"
				  "\r\n\r\n";
	const char *status, *type = "text/plain", *path;
	char *body = malloc(METRICS_BODY_MAX);
	size_t blen = 0, hlen;
	bool head;
	uv_buf_t b;

	c->responded = true;
	if (body == NULL || (c->resp = malloc(METRICS_BODY_MAX + 256)) == NULL) {
		free(body);
		mconn_close(c);
		return;
	}
	path = request_path(c->req, &head);
	status = route(c, path, body, &blen, &type);
	hlen = (size_t)snprintf(c->resp, 256, fmt, status, type, blen);
	/* RFC 9110 §9.3.2: HEAD gets GET's headers, without the content. */
	if (!head)
		memcpy(c->resp + hlen, body, blen);
	free(body);
	b = uv_buf_init(c->resp, (unsigned)(hlen + (head ? 0 : blen)));
	c->wr.data = c;
	if (uv_write(&c->wr, (uv_stream_t *)&c->tcp, &b, 1, written) != 0)
		mconn_close(c);
}

static void
on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	struct mconn *c = h->data;

	(void)suggested;
	buf->base = c->req + c->len;
	buf->len = sizeof(c->req) - 1 - c->len;
}

static void
on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
	struct mconn *c = s->data;

	(void)buf;
	if (nread < 0 || (c->len + (size_t)nread >= sizeof(c->req) - 1 &&
			  !c->responded)) {
		mconn_close(c);
		return;
	}
	c->len += (size_t)nread;
	c->req[c->len] = '\0';
	if (!c->responded && strstr(c->req, "\r\n\r\n") != NULL) {
		uv_read_stop(s);
		respond(c);
	}
}

static void
on_timeout(uv_timer_t *t)
{
	mconn_close(t->data);
}

static void
on_connection(uv_stream_t *server, int status)
{
	struct net_metrics *m = server->data;
	struct mconn *c;

	if (status < 0 || m->closing)
		return;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return;
	c->m = m;
	uv_tcp_init(m->loop, &c->tcp);
	uv_timer_init(m->loop, &c->timer);
	c->tcp.data = c->timer.data = c;
	c->open_handles = 2;
	m->conns++;
	if (uv_accept(server, (uv_stream_t *)&c->tcp) != 0 ||
	    m->conns > METRICS_MAX_CONNS ||
	    uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read) != 0) {
		mconn_close(c);
		return;
	}
	uv_timer_start(&c->timer, on_timeout, METRICS_TIMEOUT_MS, 0);
}

int
net_metrics_new(uv_loop_t *loop, const struct conf_sockaddr *addr,
		net_metrics_render_fn render, void *arg,
		struct net_metrics **out)
{
	struct net_metrics *m = calloc(1, sizeof(*m));
	int rc;

	if (m == NULL)
		return VPC_ENOMEM;
	m->loop = loop;
	m->render = render;
	m->arg = arg;
	uv_tcp_init(loop, &m->server);
	m->server.data = m;
	if ((rc = uv_tcp_bind(&m->server, (const struct sockaddr *)&addr->ss,
			      0)) != 0 ||
	    (rc = uv_listen((uv_stream_t *)&m->server, 16, on_connection)) !=
		    0) {
		char text[INET6_ADDRSTRLEN + 16];

		log_err("metrics: cannot listen on %s: %s",
			conf_format_sockaddr((const struct sockaddr *)&addr->ss,
					     text, sizeof(text)),
			uv_strerror(rc));
		net_metrics_close(m);
		return VPC_EIO;
	}
	*out = m;
	return VPC_OK;
}

void
net_metrics_set_ready(struct net_metrics *m, net_metrics_ready_fn ready)
{
	m->ready = ready;
}

static void
server_closed(uv_handle_t *h)
{
	struct net_metrics *m = h->data;

	if (--m->conns == 0)
		free(m);
}

void
net_metrics_close(struct net_metrics *m)
{
	if (m == NULL || m->closing)
		return;
	m->closing = true;
	m->conns++; /* the server handle */
	uv_close((uv_handle_t *)&m->server, server_closed);
}
