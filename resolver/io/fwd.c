/*
 * resolver/io/fwd.c - c-ares forwarding driven by libuv.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Each Do53 group is one c-ares channel, driven from libuv by
 * io/aresloop.h (a uv_poll_t per socket c-ares names, one uv_timer_t at
 * ares_timeout() so c-ares can expire and retry queries).  The reply
 * buffer c-ares passes to a callback is only valid inside it, and
 * callbacks also fire on destruction (ARES_EDESTRUCTION): both are
 * handled in on_reply().
 */
#include "config.h"

#include "io/fwd.h"

#include <sys/random.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <ares.h>

#include "engine/answer.h"
#include "conf/conf.h"
#include "util/err.h"
#include "util/log.h"
#include "dns/msg.h"
#include "dns/wire.h"
#include "engine/view.h"
#include "io/aresloop.h"
#include "io/fwd_doh.h"

/* One c-ares channel, or a DoH client: the upstreams of one forwarder
 * group. */
struct channel {
	struct fwd *fwd;
	struct aresloop al;       /* Do53 (al.ares NULL when doh is set) */
	struct fwd_doh *doh;      /* protocol: doh, NULL for Do53 */
};

struct fwd {
	uv_loop_t *loop;
	struct channel *channels;
	size_t n_channels;
	unsigned open_timers;     /* memory goes when the last one closed */
	size_t pending;
	bool closing;
	uint16_t random[64];      /* query IDs not used yet */
	size_t n_random;
};

struct send_ctx {
	fwd_cb cb;
	void *arg;
	struct channel *ch;
	bool starting;            /* inside ares_send() */
	bool start_failed;        /* c-ares called back from ares_send() */
	int start_status;         /* with this status */
};

static int
status_to_err(int status)
{
	switch (status) {
	case ARES_ETIMEOUT:
		return VPC_ETIMEOUT;
	case ARES_ECONNREFUSED:
		/* Also what c-ares 1.18 reports to every query of a server
		 * whose TCP connection broke, whichever query broke it. */
		return VPC_EIO;
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
	struct fwd *f = ctx->ch->fwd;

	(void)timeouts;
	if (ctx->starting) {
		/* ares_send() failed at once (no memory, no server): the
		 * send did not start, so fwd_send() reports it, not @cb. */
		ctx->start_failed = true;
		ctx->start_status = status;
		return;
	}
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

/* A random query ID (RFC 5452 §4): c-ares 1.18 sends the ID it is given,
 * so without this every upstream query would carry the engine's ID 0,
 * identical questions in flight could not be told apart, and only the
 * source port would stand against spoofed answers.  IDs come from the
 * kernel's CSPRNG, fetched in batches. */
static uint16_t
random_id(struct fwd *f)
{
	if (f->n_random == 0) {
		ssize_t n = getrandom(f->random, sizeof(f->random), 0);

		f->n_random = n > 0 ? (size_t)n / sizeof(f->random[0]) : 0;
		if (f->n_random == 0)
			return (uint16_t)(f->pending * 40503u + 1);
	}
	return f->random[--f->n_random];
}

static void
on_doh_reply(void *arg, int status, const uint8_t *reply, size_t len)
{
	struct send_ctx *ctx = arg;

	ctx->ch->fwd->pending--;
	ctx->cb(ctx->arg, status, reply, len);
	free(ctx);
}

int
fwd_send(struct fwd *f, uint32_t group, const uint8_t *query, size_t len,
	 fwd_cb cb, void *arg)
{
	struct send_ctx *ctx;
	uint8_t buf[ANSWER_QUERY_MAX];
	struct wire_writer w;
	int status;

	if (f->closing || len > sizeof(buf) || len < WIRE_HEADER_LEN ||
	    group >= f->n_channels)
		return VPC_EIO;
	if ((ctx = malloc(sizeof(*ctx))) == NULL)
		return VPC_ENOMEM;
	ctx->cb = cb;
	ctx->arg = arg;
	ctx->ch = &f->channels[group];
	ctx->starting = true;
	ctx->start_failed = false;
	wire_writer_init(&w, buf, sizeof(buf));
	wire_write_bytes(&w, query, len);
	wire_put_u16(&w, 0, random_id(f));
	if (ctx->ch->doh != NULL) {
		if ((status = fwd_doh_send(ctx->ch->doh, buf, len, on_doh_reply,
					   ctx)) != VPC_OK) {
			free(ctx);
			return status;
		}
		f->pending++;
		return VPC_OK;
	}
	ares_send(ctx->ch->al.ares, buf, (int)len, on_reply, ctx);
	if (ctx->start_failed) {
		status = ctx->start_status;
		log_debug("fwd: upstream query not sent: %s",
			  ares_strerror(status));
		free(ctx);
		return status_to_err(status);
	}
	ctx->starting = false;
	f->pending++;
	aresloop_arm(&ctx->ch->al);
	return VPC_OK;
}

size_t
fwd_pending(const struct fwd *f)
{
	return f->pending;
}

static int
set_servers(ares_channel ares, const struct view_group *g)
{
	int rc;

	if (g->n_addrs == 0)
		return VPC_OK; /* c-ares read /etc/resolv.conf at init */
	if ((rc = aresloop_set_servers(ares, g->addrs, g->n_addrs)) !=
	    ARES_SUCCESS) {
		log_err("fwd: c-ares refused the upstream list: %s",
			ares_strerror(rc));
		return rc == ARES_ENOMEM ? VPC_ENOMEM : VPC_ECONFIG;
	}
	return VPC_OK;
}

static int
channel_init(struct fwd *f, struct channel *ch, const struct view_group *g,
	     const struct fwd_options *opt)
{
	struct ares_options o;
	ares_channel ares;
	int rc;

	ch->fwd = f;
	if (g->rule != NULL && g->rule->protocol == CONF_PROTOCOL_DOH) {
		if ((rc = fwd_doh_new(f->loop, g, opt, &ch->doh)) != VPC_OK)
			return rc;
		aresloop_init(&ch->al, f->loop);
		ch->al.timer.data = ch;
		f->open_timers++;
		return VPC_OK;
	}
	memset(&o, 0, sizeof(o));
	o.sock_state_cb = aresloop_sock_state;
	o.sock_state_cb_data = &ch->al;
	o.timeout = (int)opt->timeout_ms;
	o.tries = (int)opt->tries;
	/* Upstreams in the configured order, no search list.  EDNS: our
	 * queries advertise MSG_EDNS_PAYLOAD, and without the flag c-ares
	 * takes any UDP answer over 512 bytes for truncated and asks again
	 * over TCP. */
	o.flags = ARES_FLAG_NOSEARCH | ARES_FLAG_NOALIASES | ARES_FLAG_EDNS;
	o.ednspsz = MSG_EDNS_PAYLOAD;
	rc = ares_init_options(&ares, &o,
			       ARES_OPT_SOCK_STATE_CB | ARES_OPT_TIMEOUTMS |
				       ARES_OPT_TRIES | ARES_OPT_FLAGS |
				       ARES_OPT_EDNSPSZ);
	if (rc != ARES_SUCCESS) {
		log_err("fwd: c-ares init failed: %s", ares_strerror(rc));
		return rc == ARES_ENOMEM ? VPC_ENOMEM : VPC_ECONFIG;
	}
	if ((rc = set_servers(ares, g)) != VPC_OK) {
		ares_destroy(ares);
		return rc;
	}
	aresloop_init(&ch->al, f->loop);
	ch->al.ares = ares;
	ch->al.timer.data = ch;
	f->open_timers++;
	return VPC_OK;
}

int
fwd_new(uv_loop_t *loop, const struct view_group *groups, size_t n,
	const struct fwd_options *opt, struct fwd **out)
{
	struct fwd *f = calloc(1, sizeof(*f));
	int rc = VPC_OK;

	if (f == NULL || (f->channels = calloc(n, sizeof(*f->channels))) ==
				 NULL) {
		free(f);
		return VPC_ENOMEM;
	}
	f->loop = loop;
	for (size_t i = 0; i < n && rc == VPC_OK; i++) {
		rc = channel_init(f, &f->channels[i], &groups[i], opt);
		if (rc == VPC_OK)
			f->n_channels++;
	}
	if (rc != VPC_OK) {
		fwd_free(f);
		return rc;
	}
	*out = f;
	return VPC_OK;
}

static void
timer_closed(uv_handle_t *h)
{
	struct channel *ch = h->data;
	struct fwd *f = ch->fwd;

	if (--f->open_timers > 0)
		return;
	free(f->channels);
	free(f);
}

void
fwd_free(struct fwd *f)
{
	if (f == NULL)
		return;
	f->closing = true;
	for (size_t i = 0; i < f->n_channels; i++) {
		struct channel *ch = &f->channels[i];

		/* Runs every pending callback with ARES_EDESTRUCTION and
		 * reports each socket closed (aresloop.h). */
		if (ch->doh != NULL)
			fwd_doh_free(ch->doh);
		aresloop_destroy(&ch->al, timer_closed);
	}
	if (f->open_timers == 0) {
		free(f->channels);
		free(f);
	}
}
