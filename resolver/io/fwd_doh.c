/*
 * resolver/io/fwd_doh.c - forwarding over DNS over HTTPS (RFC 8484):
 * libcurl's multi-socket interface driven from libuv.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Why libcurl (libcurl4-openssl-dev): an HTTPS client with HTTP/2
 * multiplexing, connection reuse, SNI and certificate verification
 * against a CA file, whose multi-socket API runs on any event loop.  h2o
 * 2.2's client speaks HTTP/1.1 only and verifies nothing.
 *
 * libcurl tells us which sockets to watch (on_socket: one uv_poll_t each)
 * and when to call it back (on_curl_timer: one uv_timer_t); we tell it
 * what happened (curl_multi_socket_action) and then collect the transfers
 * it finished (collect).  A failed attempt moves to the next target.  Every
 * handle is counted in open_handles; the struct goes when the last one
 * has closed after fwd_doh_free().
 */
#include "config.h"

#include "io/fwd_doh.h"

#include <netinet/in.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "conf/conf.h"
#include "dns/doh.h"
#include "dns/msg.h"
#include "dns/wire.h"
#include "engine/view.h"
#include "util/err.h"
#include "util/log.h"

/* The first attempt also pays for TCP and TLS set-up. */
#define FWD_DOH_MIN_TIMEOUT_MS 2000

struct target {
	char url[512];             /* https://NAME:PORT/PATH */
	struct curl_slist *resolve; /* NAME:PORT:ADDR, NULL without SNI */
};

struct fwd_doh {
	uv_loop_t *loop;
	CURLM *multi;
	uv_timer_t timer;
	struct target *targets;
	size_t n_targets;
	char *ca_file;             /* NULL = the system's CAs */
	struct curl_slist *headers;
	long timeout_ms;           /* per attempt */
	unsigned attempts;         /* targets x tries */
	struct doh_req *reqs;      /* in flight */
	unsigned open_handles;     /* timer + socket polls */
	bool closing;
};

struct doh_req {
	struct fwd_doh *d;
	CURL *easy;
	struct doh_req *prev, *next;
	fwd_cb cb;
	void *arg;
	unsigned attempt;
	size_t len;                /* bytes received */
	uint8_t reply[MSG_TCP_MAX];
	size_t query_len;
	uint8_t query[];
};

struct sock {
	uv_poll_t poll;
	struct fwd_doh *d;
	curl_socket_t fd;
};

static void maybe_free(struct fwd_doh *d);
static void collect(struct fwd_doh *d);

static void
handle_closed(uv_handle_t *h)
{
	struct fwd_doh *d = h->data;

	if (h->type == UV_POLL) {
		d = ((struct sock *)h)->d;
		free(h);
	}
	d->open_handles--;
	maybe_free(d);
}

static void
on_poll(uv_poll_t *h, int status, int events)
{
	struct sock *s = (struct sock *)h;
	struct fwd_doh *d = s->d;
	int flags = 0, running;

	if (status < 0)
		flags = CURL_CSELECT_ERR;
	if (events & UV_READABLE)
		flags |= CURL_CSELECT_IN;
	if (events & UV_WRITABLE)
		flags |= CURL_CSELECT_OUT;
	curl_multi_socket_action(d->multi, s->fd, flags, &running);
	collect(d);
}

static int
on_socket(CURL *easy, curl_socket_t fd, int what, void *userp, void *sockp)
{
	struct fwd_doh *d = userp;
	struct sock *s = sockp;
	int events = 0;

	(void)easy;
	if (what == CURL_POLL_REMOVE) {
		if (s != NULL) {
			uv_poll_stop(&s->poll);
			curl_multi_assign(d->multi, fd, NULL);
			uv_close((uv_handle_t *)&s->poll, handle_closed);
		}
		return 0;
	}
	if (s == NULL) {
		if ((s = calloc(1, sizeof(*s))) == NULL)
			return -1;
		s->d = d;
		s->fd = fd;
		if (uv_poll_init_socket(d->loop, &s->poll, fd) != 0) {
			free(s);
			return -1;
		}
		s->poll.data = s;
		d->open_handles++;
		curl_multi_assign(d->multi, fd, s);
	}
	if (what & CURL_POLL_IN)
		events |= UV_READABLE;
	if (what & CURL_POLL_OUT)
		events |= UV_WRITABLE;
	uv_poll_start(&s->poll, events, on_poll);
	return 0;
}

static void
on_timer(uv_timer_t *t)
{
	struct fwd_doh *d = t->data;
	int running;

	curl_multi_socket_action(d->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	collect(d);
}

static int
on_curl_timer(CURLM *multi, long timeout_ms, void *userp)
{
	struct fwd_doh *d = userp;

	(void)multi;
	if (timeout_ms < 0)
		uv_timer_stop(&d->timer);
	else
		uv_timer_start(&d->timer, on_timer, (uint64_t)timeout_ms, 0);
	return 0;
}

static size_t
on_data(char *p, size_t size, size_t n, void *userp)
{
	struct doh_req *r = userp;
	size_t bytes = size * n;

	/* A DNS message has at most 65,535 bytes (RFC 8484 §6). */
	if (bytes > sizeof(r->reply) - r->len)
		return 0;
	memcpy(r->reply + r->len, p, bytes);
	r->len += bytes;
	return bytes;
}

static int
start_attempt(struct doh_req *r)
{
	struct fwd_doh *d = r->d;
	const struct target *t = &d->targets[r->attempt % d->n_targets];
	CURL *e = r->easy;

	r->len = 0;
	curl_easy_reset(e);
	curl_easy_setopt(e, CURLOPT_URL, t->url);
	curl_easy_setopt(e, CURLOPT_RESOLVE, t->resolve);
	curl_easy_setopt(e, CURLOPT_POSTFIELDS, (const char *)r->query);
	curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, (long)r->query_len);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, d->headers);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(e, CURLOPT_PRIVATE, r);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, d->timeout_ms);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
	curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	if (d->ca_file != NULL)
		curl_easy_setopt(e, CURLOPT_CAINFO, d->ca_file);
	return curl_multi_add_handle(d->multi, e) == CURLM_OK ? VPC_OK
								: VPC_ENOMEM;
}

static void
unlink_req(struct doh_req *r)
{
	struct fwd_doh *d = r->d;

	if (r->prev != NULL)
		r->prev->next = r->next;
	else
		d->reqs = r->next;
	if (r->next != NULL)
		r->next->prev = r->prev;
}

static void
deliver(struct doh_req *r, int status)
{
	unlink_req(r);
	curl_easy_cleanup(r->easy);
	r->cb(r->arg, status, status == VPC_OK ? r->reply : NULL,
	      status == VPC_OK ? r->len : 0);
	free(r);
}

static int
curl_to_err(CURLcode rc)
{
	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
		return VPC_ETIMEOUT;
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
		return VPC_EIO;
	default:
		return VPC_EUPSTREAM;
	}
}

/* One attempt ended: the reply, the next target, or the failure. */
static void
finish_attempt(struct doh_req *r, CURLcode rc)
{
	const char *ctype = NULL;
	long code = 0;
	int status;

	curl_multi_remove_handle(r->d->multi, r->easy);
	curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_getinfo(r->easy, CURLINFO_CONTENT_TYPE, &ctype);
	if (rc == CURLE_OK && code == 200 && ctype != NULL &&
	    strncmp(ctype, DOH_MEDIA_TYPE, strlen(DOH_MEDIA_TYPE)) == 0 &&
	    r->len >= WIRE_HEADER_LEN) {
		deliver(r, VPC_OK);
		return;
	}
	status = rc != CURLE_OK ? curl_to_err(rc) : VPC_EUPSTREAM;
	log_debug("fwd: doh %s: %s (HTTP %ld)",
		  r->d->targets[r->attempt % r->d->n_targets].url,
		  rc != CURLE_OK ? curl_easy_strerror(rc) : "bad reply", code);
	if (++r->attempt < r->d->attempts && start_attempt(r) == VPC_OK)
		return;
	deliver(r, status);
}

static void
collect(struct fwd_doh *d)
{
	CURLMsg *m;
	int left;

	while ((m = curl_multi_info_read(d->multi, &left)) != NULL) {
		struct doh_req *r = NULL;

		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &r);
		if (r != NULL)
			finish_attempt(r, m->data.result);
	}
}

int
fwd_doh_send(struct fwd_doh *d, const uint8_t *query, size_t len,
	     fwd_cb cb, void *arg)
{
	struct doh_req *r;

	if (d->closing || len < WIRE_HEADER_LEN)
		return VPC_EIO;
	if ((r = calloc(1, sizeof(*r) + len)) == NULL)
		return VPC_ENOMEM;
	if ((r->easy = curl_easy_init()) == NULL) {
		free(r);
		return VPC_ENOMEM;
	}
	r->d = d;
	r->cb = cb;
	r->arg = arg;
	memcpy(r->query, query, len);
	r->query[0] = r->query[1] = 0; /* RFC 8484 §4.1: ID 0 */
	r->query_len = len;
	if (start_attempt(r) != VPC_OK) {
		curl_easy_cleanup(r->easy);
		free(r);
		return VPC_ENOMEM;
	}
	r->next = d->reqs;
	if (d->reqs != NULL)
		d->reqs->prev = r;
	d->reqs = r;
	return VPC_OK;
}

/* https://NAME:PORT/PATH for one target; NAME the SNI when there is one. */
static int
target_init(struct target *t, const struct conf_sockaddr *sa,
	    const struct conf_rule *rule)
{
	const char *path = rule->doh_path != NULL ? rule->doh_path : DOH_PATH;
	char addr[64], line[600];
	const struct sockaddr *s = (const struct sockaddr *)&sa->ss;
	uint16_t port;
	bool v6 = s->sa_family == AF_INET6;

	conf_format_sockaddr(s, addr, sizeof(addr));
	port = ntohs(v6 ? ((const struct sockaddr_in6 *)s)->sin6_port
			: ((const struct sockaddr_in *)s)->sin_port);
	if (rule->server_name == NULL) {
		snprintf(t->url, sizeof(t->url), "https://%s%s", addr, path);
		return VPC_OK;
	}
	snprintf(t->url, sizeof(t->url), "https://%s:%u%s", rule->server_name,
		 port, path);
	/* CURLOPT_RESOLVE wants the bare address, brackets included for
	 * IPv6: "name:port:[::1]". */
	*strrchr(addr, ':') = '\0';
	snprintf(line, sizeof(line), "%s:%u:%s", rule->server_name, port,
		 addr);
	return (t->resolve = curl_slist_append(NULL, line)) != NULL
		       ? VPC_OK
		       : VPC_ENOMEM;
}

int
fwd_doh_new(uv_loop_t *loop, const struct view_group *g,
	    const struct fwd_options *opt, struct fwd_doh **out)
{
	static bool curl_ready;
	struct fwd_doh *d;

	if (!curl_ready) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
			log_err("fwd: libcurl cannot be initialised");
			return VPC_ECONFIG;
		}
		curl_ready = true;
	}
	if (g->n_addrs == 0 || g->rule == NULL)
		return VPC_ECONFIG;
	if ((d = calloc(1, sizeof(*d))) == NULL ||
	    (d->targets = calloc(g->n_addrs, sizeof(*d->targets))) == NULL ||
	    (d->multi = curl_multi_init()) == NULL) {
		if (d != NULL)
			free(d->targets);
		free(d);
		return VPC_ENOMEM;
	}
	d->loop = loop;
	d->n_targets = g->n_addrs;
	d->attempts = (unsigned)g->n_addrs * (opt->tries > 0 ? opt->tries : 1);
	d->timeout_ms = opt->timeout_ms > FWD_DOH_MIN_TIMEOUT_MS
				? (long)opt->timeout_ms
				: FWD_DOH_MIN_TIMEOUT_MS;
	uv_timer_init(loop, &d->timer);
	d->timer.data = d;
	d->open_handles = 1;
	for (size_t i = 0; i < g->n_addrs; i++)
		if (target_init(&d->targets[i], &g->addrs[i], g->rule) !=
		    VPC_OK)
			goto fail;
	if ((g->rule->ca_file != NULL &&
	     (d->ca_file = strdup(g->rule->ca_file)) == NULL) ||
	    (d->headers = curl_slist_append(
		 NULL, "Content-Type: " DOH_MEDIA_TYPE)) == NULL ||
	    curl_slist_append(d->headers, "Accept: " DOH_MEDIA_TYPE) == NULL)
		goto fail;
	curl_multi_setopt(d->multi, CURLMOPT_SOCKETFUNCTION, on_socket);
	curl_multi_setopt(d->multi, CURLMOPT_SOCKETDATA, d);
	curl_multi_setopt(d->multi, CURLMOPT_TIMERFUNCTION, on_curl_timer);
	curl_multi_setopt(d->multi, CURLMOPT_TIMERDATA, d);
	curl_multi_setopt(d->multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
	*out = d;
	return VPC_OK;
fail:
	fwd_doh_free(d);
	return VPC_ENOMEM;
}

static void
maybe_free(struct fwd_doh *d)
{
	if (!d->closing || d->open_handles > 0)
		return;
	for (size_t i = 0; i < d->n_targets; i++)
		curl_slist_free_all(d->targets[i].resolve);
	curl_slist_free_all(d->headers);
	free(d->targets);
	free(d->ca_file);
	free(d);
}

void
fwd_doh_free(struct fwd_doh *d)
{
	if (d == NULL || d->closing)
		return;
	d->closing = true;
	while (d->reqs != NULL) {
		struct doh_req *r = d->reqs;

		curl_multi_remove_handle(d->multi, r->easy);
		deliver(r, VPC_EIO);
	}
	/* Closes the cached connections: their sockets come back through
	 * on_socket() as CURL_POLL_REMOVE and their polls close. */
	curl_multi_cleanup(d->multi);
	uv_close((uv_handle_t *)&d->timer, handle_closed);
}
