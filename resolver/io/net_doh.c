/*
 * resolver/io/net_doh.c - DNS over HTTPS listeners (RFC 8484) on h2o.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Why h2o: Debian's libh2o-dev is h2o built on libuv, so HTTP/2, HPACK,
 * HTTP/1.1 and TLS (OpenSSL) run on the daemon's own loop with no second
 * event loop or thread; nghttp2 would have needed our own TLS and
 * HTTP/1.1 layers.  (docs/DESIGN.md, "DNS over HTTPS".)
 *
 * Lifetimes.  An h2o request (and its memory pool) goes away when its
 * stream closes, which may be before the daemon answers a forwarded
 * query.  So each request gets a small heap stream, reference counted:
 * one reference belongs to the request's pool (its dispose callback
 * clears s->req and drops it), one to each net_request_keep().  A reply
 * to a stream whose request has gone is dropped, as a TCP reply to a
 * closed connection is.  Connections are our own uv_tcp_t, counted, so
 * that close can wait for the last one before it disposes the h2o
 * context (whose async handle would otherwise keep the loop alive).
 */
#include "config.h"

#include "io/net_doh.h"

#include <sys/socket.h>

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <h2o.h>
#include <h2o/http2.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "conf/conf.h"
#include "dns/doh.h"
#include "dns/msg.h"
#include "util/err.h"
#include "util/log.h"

/* Connections beyond this are closed at accept (RFC 7766's limit idea). */
#define NET_DOH_MAX_CONNS 1024
#define NET_DOH_BACKLOG 256
/* How long an HTTP/2 connection may finish its streams after GOAWAY. */
#define NET_DOH_GRACE_MS 1000

struct doh_handler {
	h2o_handler_t super; /* must stay first: h2o allocates this */
	struct net_doh *d;
};

struct net_doh {
	h2o_globalconf_t config;
	h2o_context_t ctx;
	h2o_accept_ctx_t accept_ctx;
	SSL_CTX *ssl;
	uv_tcp_t listener;
	bool listener_open;     /* uv_close() not yet completed */
	uv_timer_t reaper;      /* never started; its close frees us */
	bool closing;
	unsigned n_conns;       /* accepted, not yet closed */
	struct net *net;
	net_query_cb cb;
	void *arg;
	size_t index;           /* in conf->listen */
	char name[64];          /* "127.0.0.1:443" for logs */
	uint8_t msg[MSG_TCP_MAX]; /* a decoded query, loop thread only */
};

struct doh_conn {
	uv_tcp_t tcp;
	struct net_doh *d;
};

struct net_doh_stream {
	h2o_req_t *req;   /* NULL once h2o has released the request */
	unsigned refs;
	bool answered;
};

static void doh_maybe_free(struct net_doh *d);

void
net_doh_stream_keep(struct net_doh_stream *s)
{
	s->refs++;
}

void
net_doh_stream_release(struct net_doh_stream *s)
{
	if (s != NULL && --s->refs == 0)
		free(s);
}

/* The request's pool is going: forget the request. */
static void
on_pool_dispose(void *slot)
{
	struct net_doh_stream *s = *(struct net_doh_stream **)slot;

	s->req = NULL;
	net_doh_stream_release(s);
}

static void
send_error(h2o_req_t *req, int status)
{
	const char *reason;

	switch (status) {
	case 400: reason = "Bad Request"; break;
	case 404: reason = "Not Found"; break;
	case 405: reason = "Method Not Allowed"; break;
	case 413: reason = "Payload Too Large"; break;
	case 415: reason = "Unsupported Media Type"; break;
	default: reason = "Error"; break;
	}
	if (status == 405)
		h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_ALLOW,
			       NULL, H2O_STRLIT("GET, POST"));
	h2o_send_error_generic(req, status, reason, reason, 0);
}

int
net_doh_reply(struct net_doh_stream *s, const uint8_t *buf, size_t len)
{
	h2o_req_t *req = s->req;
	char *age;

	if (req == NULL || s->answered)
		return VPC_OK;
	s->answered = true;
	req->res.status = 200;
	req->res.reason = "OK";
	h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE,
		       NULL, H2O_STRLIT(DOH_MEDIA_TYPE));
	/* RFC 8484 §5.1: freshness no longer than the smallest TTL. */
	age = h2o_mem_alloc_pool(&req->pool, sizeof("max-age=4294967295"));
	snprintf(age, sizeof("max-age=4294967295"), "max-age=%u",
		 doh_max_age(buf, len));
	h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CACHE_CONTROL,
		       NULL, age, strlen(age));
	h2o_send_inline(req, (const char *)buf, len);
	return VPC_OK;
}

static const h2o_iovec_t *
find_header(const h2o_req_t *req, const h2o_token_t *token)
{
	ssize_t i = h2o_find_header(&req->headers, token, -1);

	return i >= 0 ? &req->headers.entries[i].value : NULL;
}

static int
on_req(h2o_handler_t *self, h2o_req_t *req)
{
	struct net_doh *d = ((struct doh_handler *)self)->d;
	const h2o_iovec_t *ct = find_header(req, H2O_TOKEN_CONTENT_TYPE);
	struct doh_request dr = {
	    .method = req->method.base,
	    .method_len = req->method.len,
	    .target = req->path.base,
	    .target_len = req->path.len,
	    .content_type = ct != NULL ? ct->base : NULL,
	    .content_type_len = ct != NULL ? ct->len : 0,
	    .body = (const uint8_t *)req->entity.base,
	    .body_len = req->entity.base != NULL ? req->entity.len : 0,
	};
	struct net_request r = {.net = d->net, .listener = d->index};
	struct net_doh_stream *s, **slot;
	size_t len;
	int status;

	if ((status = doh_parse_request(&dr, d->msg, sizeof(d->msg), &len)) !=
	    200) {
		send_error(req, status);
		return 0;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		h2o_send_error_503(req, "Service Unavailable", "out of memory",
				   0);
		return 0;
	}
	slot = h2o_mem_alloc_shared(&req->pool, sizeof(*slot),
				    on_pool_dispose);
	*slot = s;
	s->req = req;
	s->refs = 2; /* the pool's, and this call's */
	if (req->conn->callbacks->get_peername(
		req->conn, (struct sockaddr *)&r.peer) == 0)
		r.peer.ss_family = AF_UNSPEC;
	r.doh = s;
	d->cb(d->arg, &r, d->msg, len);
	/* Neither answered nor kept for later: the engine dropped it (a
	 * malformed message, a rate limit).  HTTP needs an answer. */
	if (!s->answered && s->refs == 2 && s->req != NULL) {
		s->answered = true;
		send_error(req, 400);
	}
	net_doh_stream_release(s);
	return 0;
}

/* h2o owns handle->data; the handle is the first member of ours. */
static void
conn_closed(uv_handle_t *h)
{
	struct doh_conn *c = (struct doh_conn *)h;
	struct net_doh *d = c->d;

	free(c);
	d->n_conns--;
	doh_maybe_free(d);
}

static void
conn_rejected(uv_handle_t *h)
{
	free(h);
}

static void
on_accept(uv_stream_t *server, int status)
{
	struct net_doh *d = server->data;
	struct doh_conn *c;
	h2o_socket_t *sock;

	if (status != 0 || d->closing)
		return;
	if ((c = malloc(sizeof(*c))) == NULL)
		return;
	c->d = d;
	uv_tcp_init(server->loop, &c->tcp);
	if (uv_accept(server, (uv_stream_t *)&c->tcp) != 0 ||
	    d->n_conns >= NET_DOH_MAX_CONNS) {
		uv_close((uv_handle_t *)&c->tcp, conn_rejected);
		return;
	}
	d->n_conns++;
	sock = h2o_uv_socket_create((uv_stream_t *)&c->tcp, conn_closed);
	h2o_accept(&d->accept_ctx, sock);
}

/* Why a certificate or key file failed: the system's reason when it
 * cannot be read, else OpenSSL's first queued error. */
static const char *
tls_failure(const char *path, char *buf, size_t cap)
{
	unsigned long e = ERR_get_error();

	if (access(path, R_OK) != 0)
		return strerror(errno);
	if (e == 0)
		return "unknown error";
	ERR_error_string_n(e, buf, cap);
	return buf;
}

static int
setup_tls(struct net_doh *d, const struct conf_listen *cl)
{
	char why[256];

	if ((d->ssl = SSL_CTX_new(TLS_server_method())) == NULL)
		return VPC_ENOMEM;
	/* RFC 8484 §5.2 and RFC 7540 §9.2: TLS 1.2 or later. */
	SSL_CTX_set_min_proto_version(d->ssl, TLS1_2_VERSION);
	if (SSL_CTX_use_certificate_chain_file(d->ssl, cl->tls_certificate) !=
	    1) {
		log_err("net: doh %s: cannot load certificate %s: %s",
			d->name, cl->tls_certificate,
			tls_failure(cl->tls_certificate, why, sizeof(why)));
		return VPC_EIO;
	}
	if (SSL_CTX_use_PrivateKey_file(d->ssl, cl->tls_key,
					SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_check_private_key(d->ssl) != 1) {
		log_err("net: doh %s: cannot use key %s: %s", d->name,
			cl->tls_key, tls_failure(cl->tls_key, why, sizeof(why)));
		return VPC_EIO;
	}
	/* Offers h2; a client that asks for http/1.1 only gets HTTP/1.1. */
	h2o_ssl_register_alpn_protocols(d->ssl, h2o_http2_alpn_protocols);
	return VPC_OK;
}

static int
setup_h2o(struct net_doh *d, uv_loop_t *loop)
{
	h2o_hostconf_t *host;
	h2o_pathconf_t *path;
	struct doh_handler *h;

	h2o_config_init(&d->config);
	d->config.max_request_entity_size = MSG_TCP_MAX;
	d->config.http2.graceful_shutdown_timeout = NET_DOH_GRACE_MS;
	d->config.server_name = h2o_iovec_init(H2O_STRLIT("vpcdns"));
	host = h2o_config_register_host(
	    &d->config, h2o_iovec_init(H2O_STRLIT("default")), 65535);
	/* Every path comes to on_req, which answers 404 for the wrong one
	 * in the same words as the other refusals. */
	path = h2o_config_register_path(host, "/", 0);
	if ((h = (struct doh_handler *)h2o_create_handler(path, sizeof(*h))) ==
	    NULL)
		return VPC_ENOMEM;
	h->super.on_req = on_req;
	h->d = d;
	h2o_context_init(&d->ctx, loop, &d->config);
	d->accept_ctx.ctx = &d->ctx;
	d->accept_ctx.hosts = d->config.hosts;
	d->accept_ctx.ssl_ctx = d->ssl;
	return VPC_OK;
}

static void
listener_closed(uv_handle_t *h)
{
	struct net_doh *d = h->data;

	d->listener_open = false;
	doh_maybe_free(d);
}

int
net_doh_listen(uv_loop_t *loop, const struct conf_listen *cl, size_t index,
	       struct net *n, net_query_cb cb, void *arg, struct net_doh **out)
{
	struct sockaddr_storage ss = cl->addr.ss;
	struct net_doh *d = calloc(1, sizeof(*d));
	int rc;

	if (d == NULL)
		return VPC_ENOMEM;
	/* TLS writes to a client that has gone would raise SIGPIPE (libuv
	 * writes with write(2)); the error is handled where it returns. */
	signal(SIGPIPE, SIG_IGN);
	d->net = n;
	d->cb = cb;
	d->arg = arg;
	d->index = index;
	if (ss.ss_family == AF_INET)
		((struct sockaddr_in *)&ss)->sin_port =
		    htons((uint16_t)cl->doh_port);
	else
		((struct sockaddr_in6 *)&ss)->sin6_port =
		    htons((uint16_t)cl->doh_port);
	conf_format_sockaddr((const struct sockaddr *)&ss, d->name,
			     sizeof(d->name));
	if ((rc = setup_tls(d, cl)) != VPC_OK) {
		SSL_CTX_free(d->ssl);
		free(d);
		return rc;
	}
	if ((rc = setup_h2o(d, loop)) != VPC_OK) {
		h2o_config_dispose(&d->config);
		SSL_CTX_free(d->ssl);
		free(d);
		return rc;
	}
	uv_timer_init(loop, &d->reaper);
	d->reaper.data = d;
	uv_tcp_init(loop, &d->listener);
	d->listener.data = d;
	d->listener_open = true;
	if ((rc = uv_tcp_bind(&d->listener, (const struct sockaddr *)&ss,
			      ss.ss_family == AF_INET6 ? UV_TCP_IPV6ONLY
						       : 0)) != 0 ||
	    (rc = uv_listen((uv_stream_t *)&d->listener, NET_DOH_BACKLOG,
			    on_accept)) != 0) {
		log_err("net: cannot listen on doh %s: %s", d->name,
			uv_strerror(rc));
		net_doh_close(d);
		return VPC_EIO;
	}
	log_notice("net: listening on %s (doh: https://%s%s)%s", d->name,
		   d->name, DOH_PATH,
		   cl->inbound != NULL ? " as inbound endpoint" : "");
	*out = d;
	return VPC_OK;
}

static void
reaper_closed(uv_handle_t *h)
{
	struct net_doh *d = h->data;

	h2o_config_dispose(&d->config);
	SSL_CTX_free(d->ssl);
	free(d);
}

/*
 * The h2o context closes timer handles that live inside it, so its memory
 * must outlast their close callbacks.  libuv runs close callbacks newest
 * first, so the reaper is closed before the context is disposed: its
 * callback then runs after h2o's.
 */
static void
doh_maybe_free(struct net_doh *d)
{
	if (!d->closing || d->listener_open || d->n_conns > 0)
		return;
	/* Shutdown armed the GOAWAY grace timer; with no connection left it
	 * has nothing to do, and disposing asserts it is unlinked. */
	if (h2o_timeout_is_linked(&d->ctx.http2._graceful_shutdown_timeout))
		h2o_timeout_unlink(&d->ctx.http2._graceful_shutdown_timeout);
	uv_close((uv_handle_t *)&d->reaper, reaper_closed);
	h2o_context_dispose(&d->ctx);
}

void
net_doh_close(struct net_doh *d)
{
	if (d == NULL || d->closing)
		return;
	d->closing = true;
	h2o_context_request_shutdown(&d->ctx);
	uv_close((uv_handle_t *)&d->listener, listener_closed);
}
