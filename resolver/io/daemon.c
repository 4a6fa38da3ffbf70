/*
 * resolver/io/daemon.c - the query path and the daemon's life: wires the
 * loop, listeners, forwarders, cache and the current data set together.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Owns on_query() (loop probes seen, AWS limits, the engine), reply()
 * (response rate limiting, send, counters, query log), forwarding
 * (forward(), on_upstream(), finish_forward()), the metrics page, the
 * signals, start-up and shutdown.  Data sets are io/dataset.c's,
 * reloading io/reload.c's.
 *
 * Everything runs on the loop thread.  Queries answered locally never
 * allocate: the engine writes into a spare job and a shared output
 * buffer; only a forwarded query takes the spare job with it (and holds a
 * reference to its data set) until the upstream answers.  Forwarders
 * replaced by a reload are freed once their last query has finished.
 */
#include "config.h"

#include "io/daemon.h"

#include <netdb.h>
#include <netinet/in.h>

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <uv.h>

#include "conf/conf.h"
#include "dns/msg.h"
#include "dns/wire.h"
#include "engine/answer.h"
#include "engine/cache.h"
#include "engine/inflight.h"
#include "engine/metrics.h"
#include "engine/qlog.h"
#include "engine/ratelimit.h"
#include "engine/view.h"
#include "io/daemon_internal.h"
#include "io/dataset.h"
#include "io/fwd.h"
#include "io/health.h"
#include "io/hostres.h"
#include "io/loopdet.h"
#include "io/net.h"
#include "io/net_metrics.h"
#include "io/net_qlog.h"
#include "io/notify.h"
#include "io/privdrop.h"
#include "io/reload.h"
#include "io/watch.h"
#include "util/err.h"
#include "util/log.h"

size_t
daemon_resolve_host(const char *host, uint16_t port,
		    struct conf_sockaddr *out, size_t max)
{
	struct addrinfo hints = {.ai_socktype = SOCK_DGRAM}, *res, *ai;
	size_t n = 0;

	if (getaddrinfo(host, NULL, &hints, &res) != 0)
		return 0;
	for (ai = res; ai != NULL && n < max; ai = ai->ai_next) {
		if ((ai->ai_family != AF_INET && ai->ai_family != AF_INET6) ||
		    ai->ai_addrlen > sizeof(out[n].ss))
			continue;
		memcpy(&out[n].ss, ai->ai_addr, ai->ai_addrlen);
		out[n].len = ai->ai_addrlen;
		if (ai->ai_family == AF_INET)
			((struct sockaddr_in *)&out[n].ss)->sin_port =
				htons(port);
		else
			((struct sockaddr_in6 *)&out[n].ss)->sin6_port =
				htons(port);
		n++;
	}
	freeaddrinfo(res);
	return n;
}

static size_t
inbound_vpc(const struct conf *cf, size_t listener)
{
	const char *id;

	if (listener >= cf->n_listen || (id = cf->listen[listener].inbound) ==
						 NULL)
		return VIEW_NOT_INBOUND;
	for (size_t i = 0; i < cf->n_vpcs; i++)
		if (strcmp(cf->vpcs[i].id, id) == 0)
			return i;
	return VIEW_NOT_INBOUND;
}

static void
count_answer(struct daemon *d, const struct answer_job *job,
	     const uint8_t *resp, size_t len)
{
	enum metrics_source src = METRICS_SOURCE_OUTSIDE;

	if (len < WIRE_HEADER_LEN)
		return;
	if (job->view != NULL && job->view->vpc_id != NULL)
		src = job->view->inbound ? METRICS_SOURCE_INBOUND
					 : METRICS_SOURCE_VPC;
	metrics_count_query(&d->metrics, src, WIRE_RCODE(wire_get_u16(resp + 2)),
			    job->q.qtype);
}

/* A listener that offers only doh-fips logs its queries as DoH-FIPS. */
static enum qlog_transport
transport_of(const struct conf *cf, const struct net_request *req)
{
	const struct conf_listen *l;
	bool fips = false;

	if (req->doh == NULL)
		return req->conn != NULL ? QLOG_TRANSPORT_TCP
					 : QLOG_TRANSPORT_UDP;
	if (req->listener < cf->n_listen) {
		l = &cf->listen[req->listener];
		for (size_t i = 0; i < l->n_protocols; i++) {
			if (l->protocols[i] == CONF_PROTOCOL_DOH)
				return QLOG_TRANSPORT_DOH;
			fips |= l->protocols[i] == CONF_PROTOCOL_DOH_FIPS;
		}
	}
	return fips ? QLOG_TRANSPORT_DOH_FIPS : QLOG_TRANSPORT_DOH;
}

/* SPEC 1.8 query log line, and the engine's explanation at debug level. */
static void
log_query(struct dataset *ds, const struct answer_job *job,
	  enum answer_action act, const struct net_request *req,
	  const uint8_t *query, size_t query_len, const uint8_t *resp,
	  size_t resp_len)
{
	static char line[QLOG_LINE_MAX];
	const struct view *v = job->view;
	struct qlog_event ev = {0};
	uv_timeval64_t tv;
	size_t len;

	if (log_level >= LOG_LEVEL_DEBUG && v != NULL) {
		char name[LOG_NAME_MAX], type[16], peer[INET6_ADDRSTRLEN + 16];

		log_debug("answer: %s %s from %s %s",
			  log_name(job->q.qname_lower, job->q.qname_len, name),
			  qlog_type_name(job->q.qtype, type),
			  conf_format_sockaddr(
				  (const struct sockaddr *)&req->peer, peer,
				  sizeof(peer)),
			  answer_explain(job, act, line, sizeof(line)));
	}
	/* Route 53 logs the queries of its VPCs; outside clients have none. */
	if (ds->qlog == NULL || v == NULL || v->vpc_id == NULL)
		return;
	uv_gettimeofday(&tv);
	ev.account_id = ds->conf->query_log_account;
	ev.region = v->region;
	ev.vpc_id = v->vpc_id;
	ev.unix_ms = (uint64_t)tv.tv_sec * 1000 + (uint64_t)tv.tv_usec / 1000;
	ev.query = query;
	ev.query_len = query_len;
	ev.response = resp;
	ev.response_len = resp_len;
	ev.src = (const struct sockaddr *)&req->peer;
	ev.transport = transport_of(ds->conf, req);
	ev.srcid_kind = v->inbound ? QLOG_SRC_RESOLVER_ENDPOINT
				   : QLOG_SRC_INSTANCE;
	ev.fw_rule = job->trace.firewall;
	ev.dnssec = job->trace.dnssec;
	if (qlog_format(&ev, line, sizeof(line), &len) == VPC_OK)
		net_qlog_write(ds->qlog, line, len);
}

/* Every answer leaves through here: response rate limiting, the send,
 * the counters and the query log.  @query is NULL for a forwarded one
 * (only its upstream form was kept). */
static void
reply(struct daemon *d, struct dataset *ds, const struct net_request *req,
      const struct answer_job *job, enum answer_action act,
      const uint8_t *query, size_t query_len, size_t len)
{
	struct answer_src src = {
		.addr = (const struct sockaddr *)&req->peer,
		.inbound = VIEW_NOT_INBOUND,
		.tcp = net_request_is_stream(req),
	};
	int rc;

	len = ratelimit_response(ds->rrl, ds->conf->rrl_min_size, ds->views,
				 &src, &job->q, uv_now(&d->loop), d->out, len);
	if ((rc = net_reply(req, d->out, len)) != VPC_OK) {
		d->metrics.reply_failures++;
		log_debug("daemon: answer not sent: %s", vpc_strerror(rc));
	}
	count_answer(d, job, d->out, len);
	log_query(ds, job, act, req, query, query_len, d->out, len);
}

static void on_upstream(void *arg, int status, const uint8_t *reply_buf,
			size_t len);

/* Sends @p's response (@out_len bytes in d->out; 0: it needs a second
 * upstream query, DNS64's A after an AAAA NODATA, which a send that
 * cannot start turns into SERVFAIL) and frees it. */
static void
forward_done(struct daemon *d, struct pending *p, size_t out_len)
{
	if (out_len == 0 && !d->stopping) {
		p->resent = 0;
		p->lead = NULL;
		if (fwd_send(p->data->fwd, p->job.fwd_group, p->job.query,
			     p->job.query_len, on_upstream, p) == VPC_OK)
			return;
	}
	if (out_len == 0)
		out_len = answer_upstream(&p->job, NULL, VPC_EUPSTREAM, NULL,
					  0, 0, d->out, sizeof(d->out));
	if (p->req != NULL)
		reply(d, p->data, p->req, &p->job, ANSWER_FORWARD, NULL, 0,
		      out_len);
	net_request_release(p->req);
	dataset_unref(d, p->data);
	free(p);
}

/* The end of a forwarded query, whatever the upstream did; then the
 * identical queries that waited for it (engine/inflight.h), each with
 * its own answer. */
static void
finish_forward(struct pending *p, int status, const uint8_t *reply_buf,
	       size_t len)
{
	struct daemon *d = p->d;
	struct inflight_batch b = {0};
	size_t out_len;

	if (status != VPC_OK)
		d->metrics.upstream_failures++;
	else
		metrics_count_latency(&d->metrics,
				      uv_now(&d->loop) - p->sent_ms);
	out_len = answer_upstream(&p->job, p->data->cache, status, reply_buf,
				  len, uv_now(&d->loop), d->out, sizeof(d->out));
	if (p->lead != NULL)
		inflight_finish(p->data->inflight, p->lead, &b);
	forward_done(d, p, out_len);
	for (size_t i = 0; i < b.n; i++) {
		struct pending *w = b.waiters[i];

		out_len = answer_waiter(&w->job, w->data->cache, status,
					reply_buf, len, uv_now(&d->loop),
					d->out, sizeof(d->out));
		forward_done(d, w, out_len);
	}
	inflight_batch_free(&b);
}

static void
on_upstream(void *arg, int status, const uint8_t *reply_buf, size_t len)
{
	struct pending *p = arg;
	struct daemon *d = p->d;

	/* A broken upstream connection fails every query c-ares had on it,
	 * including ones that had nothing to do with the breakage: resend
	 * such a query once before answering SERVFAIL.  (More would let a
	 * query that breaks its connection every time multiply the load on
	 * a failing upstream.)  A resend that cannot start is the failure. */
	if (status == VPC_EIO && p->resent < 1 && !d->stopping &&
	    p->data->fwd != NULL) {
		p->resent++;
		if ((status = fwd_send(p->data->fwd, p->job.fwd_group,
				       p->job.query, p->job.query_len,
				       on_upstream, p)) == VPC_OK)
			return;
	}
	finish_forward(p, status, reply_buf, len);
}

/* Sends d->spare's job->query upstream for the client @req, or for
 * nobody when @req is NULL (a prefetch: answer_upstream() refreshes the
 * cache entry and the response is dropped). */
static void
forward(struct daemon *d, const struct net_request *req)
{
	struct pending *p = d->spare;
	struct cache_key k;
	size_t out_len;
	int rc;

	/* A prefetch that cannot go is no loss: the entry just expires. */
	if (req == NULL &&
	    (p->job.fwd_group >= d->data->n_groups ||
	     d->data->groups[p->job.fwd_group].n_addrs == 0 ||
	     fwd_pending(d->data->fwd) >= d->data->conf->fwd_max_inflight))
		return;
	/* A group without targets (every one was a loop): SERVFAIL now. */
	if (p->job.fwd_group >= d->data->n_groups ||
	    d->data->groups[p->job.fwd_group].n_addrs == 0) {
		d->metrics.upstream_failures++;
		out_len = answer_upstream(&p->job, NULL, VPC_EUPSTREAM, NULL, 0,
					  0, d->out, sizeof(d->out));
		reply(d, d->data, req, &p->job, ANSWER_FORWARD, NULL, 0,
		      out_len);
		return;
	}
	if (fwd_pending(d->data->fwd) >= d->data->conf->fwd_max_inflight) {
		d->metrics.upstream_rejected++;
		out_len = answer_upstream(&p->job, NULL, VPC_EUPSTREAM, NULL, 0,
					  0, d->out, sizeof(d->out));
		reply(d, d->data, req, &p->job, ANSWER_FORWARD, NULL, 0,
		      out_len);
		return;
	}
	if (req != NULL && (p->req = net_request_keep(req)) == NULL)
		return; /* out of memory: unanswered, the spare stays */
	if (req == NULL)
		p->req = NULL;
	d->spare = NULL;
	p->resent = 0;
	p->d = d;
	p->data = d->data;
	p->data->refs++;
	p->lead = NULL;
	answer_key(&p->job, &k);
	/* An identical query is upstream: wait for its answer. */
	if (inflight_join(p->data->inflight, &k, p, &p->lead) ==
	    INFLIGHT_WAIT)
		return;
	d->metrics.upstream_queries++;
	p->sent_ms = uv_now(&d->loop);
	if ((rc = fwd_send(p->data->fwd, p->job.fwd_group, p->job.query,
			   p->job.query_len, on_upstream, p)) != VPC_OK)
		finish_forward(p, rc, NULL, 0);
}

static void
on_query(void *arg, const struct net_request *req, const uint8_t *buf,
	 size_t len)
{
	struct daemon *d = arg;
	struct answer_src src;
	size_t out_len, g, i;
	uint32_t gen;

	if (d->spare == NULL && (d->spare = malloc(sizeof(*d->spare))) == NULL)
		return;
	if (loopdet_seen(d->loopdet, buf, len, &gen, &g, &i))
		dataset_on_loop(d, req, gen, g, i); /* and answer it as usual */
	/* SPEC issue: the VPC Resolver drops packets over 1,024/s per
	 * network interface; simulate-aws-limits does so per client. */
	if (d->data->aws_limit != NULL &&
	    !ratelimit_allow(d->data->aws_limit,
			     (const struct sockaddr *)&req->peer,
			     uv_now(&d->loop))) {
		d->metrics.aws_limited++;
		return;
	}
	d->spare->job.view = NULL;
	src.addr = (const struct sockaddr *)&req->peer;
	src.inbound = inbound_vpc(d->data->conf, req->listener);
	src.delegation = src.inbound != VIEW_NOT_INBOUND &&
			 d->data->conf->listen[req->listener].delegation;
	src.tcp = net_request_is_stream(req);
	/* Weighted and multivalue record sets draw from these (splitmix64
	 * steps; the core mixes them again). */
	src.random = (d->random += 0x9e3779b97f4a7c15ull);
	/* RRSIG validity is wall-clock time (RFC 4034 §3.1.5). */
	src.wall_s = (uint64_t)time(NULL);
	switch (answer_query(&d->spare->job, d->data->views, d->data->cache,
			     &src, buf, len, uv_now(&d->loop), d->out,
			     src.tcp ? MSG_TCP_MAX : MSG_UDP_MAX, &out_len)) {
	case ANSWER_REPLY:
		reply(d, d->data, req, &d->spare->job, ANSWER_REPLY, buf, len,
		      out_len);
		/* A hit near expiry: refresh it in the background. */
		if (d->spare->job.prefetch)
			forward(d, NULL);
		break;
	case ANSWER_FORWARD:
		forward(d, req);
		break;
	case ANSWER_DROP:
		d->metrics.dropped++;
		break;
	}
}

static size_t
render_metrics(void *arg, char *out, size_t cap)
{
	struct daemon *d = arg;
	struct cache_stats cs = {0};

	d->metrics.cache_hits = d->metrics.cache_misses = 0;
	d->metrics.qlog_dropped = 0;
	d->metrics.upstream_inflight = 0;
	for (struct dataset *ds = d->live; ds != NULL; ds = ds->next) {
		/* A reload moves the cache on (engine/carry.h), with its
		 * counters. */
		if (ds->cache != NULL) {
			cache_get_stats(ds->cache, &cs);
			d->metrics.cache_hits += cs.hits;
			d->metrics.cache_misses += cs.misses;
		}
		if (ds->qlog != NULL)
			d->metrics.qlog_dropped += net_qlog_dropped(ds->qlog);
		if (ds->fwd != NULL)
			d->metrics.upstream_inflight += fwd_pending(ds->fwd);
	}
	cache_get_stats(d->data->cache, &cs);
	d->metrics.cache_entries = cs.entries;
	d->metrics.tcp_rejected = net_tcp_rejected(d->net);
	d->metrics.tcp_evicted = net_tcp_evicted(d->net);
	d->metrics.rrl_limited = 0;
	for (struct dataset *ds = d->live; ds != NULL; ds = ds->next)
		if (ds->rrl != NULL)
			d->metrics.rrl_limited += ratelimit_limited(ds->rrl);
	return metrics_render(&d->metrics, out, cap);
}

static void
close_handle(uv_handle_t *h)
{
	if (!uv_is_closing(h))
		uv_close(h, NULL);
}

static void
shutdown_daemon(struct daemon *d, int signum)
{
	if (signum != 0)
		log_notice("daemon: shutting down on signal %d", signum);
	notify_send("STOPPING=1\nSTATUS=stopping");
	d->stopping = true;
	/* Pending forwarded queries get SERVFAIL before the sockets go. */
	for (struct dataset *ds = d->live; ds != NULL; ds = ds->next) {
		fwd_free(ds->fwd);
		ds->fwd = NULL;
		health_stop(ds->health);
		ds->health = NULL;
	}
	net_close(d->net);
	d->net = NULL;
	net_metrics_close(d->metrics_http);
	d->metrics_http = NULL;
	loopdet_close(d->loopdet);
	d->loopdet = NULL;
	hostres_free(d->hostres); /* pending lookups call back now */
	d->hostres = NULL;
	watch_free(d->watch);
	d->watch = NULL;
	close_handle((uv_handle_t *)&d->sig_hup);
	close_handle((uv_handle_t *)&d->sig_term);
	close_handle((uv_handle_t *)&d->sig_int);
	close_handle((uv_handle_t *)&d->sig_usr1);
	close_handle((uv_handle_t *)&d->reaper);
	close_handle((uv_handle_t *)&d->probe_timer);
	close_handle((uv_handle_t *)&d->host_timer);
}

static void
on_signal(uv_signal_t *h, int signum)
{
	struct daemon *d = h->data;

	if (signum == SIGHUP)
		reload_start(d);
	else if (signum == SIGUSR1)
		log_notice("daemon: SIGUSR1 ignored (SIGHUP reloads)");
	else if (!d->stopping)
		shutdown_daemon(d, signum);
}

/* Installed before the first load: a SIGHUP that arrives while a large
 * configuration is still loading would otherwise kill the daemon (the
 * default action); it is handled, as a reload, once serving starts.
 * SIGUSR1 is taken too (its default action is to terminate). */
static void
start_signals(struct daemon *d)
{
	uv_signal_t *sigs[] = {&d->sig_hup, &d->sig_term, &d->sig_int,
			       &d->sig_usr1};
	const int nums[] = {SIGHUP, SIGTERM, SIGINT, SIGUSR1};

	for (size_t i = 0; i < 4; i++) {
		uv_signal_init(&d->loop, sigs[i]);
		sigs[i]->data = d;
		uv_signal_start(sigs[i], on_signal, nums[i]);
	}
}

/* /readyz: listeners bound and a configuration loaded. */
static bool
ready(void *arg, char *why, size_t cap)
{
	struct daemon *d = arg;

	if (d->stopping) {
		snprintf(why, cap, "shutting down");
		return false;
	}
	if (d->data == NULL || d->net == NULL) {
		snprintf(why, cap, "still loading the configuration");
		return false;
	}
	for (size_t i = 0, o = 0; i < d->data->n_hosts; i++) {
		const struct ds_host *h = &d->data->hosts[i];

		if (h->resolved || o + 1 >= cap)
			continue;
		o += (size_t)snprintf(why + o, cap - o,
				      "%shost name %s not resolved (%s)",
				      o ? "; " : "", h->spec, h->why);
	}
	/* Resolved, but the data set with the addresses is still being
	 * built. */
	if (why[0] == '\0' && d->data->views->n_pending > 0)
		snprintf(why, cap, "%zu endpoint zone(s) wait for the "
				   "addresses of their host names",
			 d->data->views->n_pending);
	return why[0] == '\0';
}

static void
stop_everything(struct daemon *d)
{
	if (!d->stopping)
		shutdown_daemon(d, 0);
	while (d->live != NULL) {
		struct dataset *ds = d->live;

		d->live = ds->next;
		fwd_free(ds->fwd);
		dataset_free(ds);
	}
	uv_run(&d->loop, UV_RUN_DEFAULT); /* run the close callbacks */
	uv_loop_close(&d->loop);
	free(d->spare);
	free(d);
}

static int
serve(struct daemon *d)
{
	struct privdrop pd = {0};

	if (d->opt->user != NULL && privdrop_lookup(d->opt->user, &pd) != VPC_OK)
		return DAEMON_EXIT_USAGE;
	if (net_new(&d->loop, d->data->conf,
		    &(struct net_limits){
			    .tcp_idle_ms = d->data->conf->tcp_idle_ms,
			    .tcp_max_conns = d->data->conf->tcp_max_conns,
			    .tcp_max_inflight = d->data->conf->tcp_max_inflight,
		    },
		    on_query, d, &d->net) != VPC_OK)
		return DAEMON_EXIT_RUNTIME;
	if (d->data->conf->metrics &&
	    net_metrics_new(&d->loop, &d->data->conf->metrics_addr,
			    render_metrics, d, &d->metrics_http) != VPC_OK)
		return DAEMON_EXIT_RUNTIME;
	if (d->metrics_http != NULL)
		net_metrics_set_ready(d->metrics_http, ready);
	if (privdrop_apply(&pd) != VPC_OK)
		return DAEMON_EXIT_RUNTIME;
	if (loopdet_new(&d->loop, &d->loopdet) != VPC_OK)
		return DAEMON_EXIT_RUNTIME;
	if (dataset_start_hostres(d) != VPC_OK)
		return DAEMON_EXIT_RUNTIME;
	dataset_log_started(d);
	dataset_probe(d);
	dataset_host_tick(d);
	reload_watch_files(d);
	dataset_start_timers(d);
	notify_send("READY=1\nSTATUS=serving");
	uv_run(&d->loop, UV_RUN_DEFAULT);
	log_notice("daemon: stopped");
	return DAEMON_EXIT_OK;
}

int
daemon_run_options(const struct daemon_options *opt)
{
	struct daemon *d = calloc(1, sizeof(*d));
	int rc;

	if (d == NULL || uv_loop_init(&d->loop) != 0) {
		free(d);
		return DAEMON_EXIT_RUNTIME;
	}
	d->opt = opt;
	d->random = uv_hrtime() ^ ((uint64_t)getpid() << 32);
	uv_check_init(&d->loop, &d->reaper);
	d->reaper.data = d;
	uv_timer_init(&d->loop, &d->probe_timer);
	d->probe_timer.data = d;
	uv_timer_init(&d->loop, &d->host_timer);
	d->host_timer.data = d;
	start_signals(d);
	if ((rc = dataset_load(d, &d->data)) != VPC_OK) {
		/* The cause (file:line, the file that cannot be read) is
		 * logged above; "input/output error" would only hide it. */
		log_err("daemon: not started: %s",
			rc == VPC_ENOMEM ? vpc_strerror(rc)
					 : "the configuration did not load");
		stop_everything(d);
		return rc == VPC_ENOMEM ? DAEMON_EXIT_RUNTIME
					: DAEMON_EXIT_CONFIG;
	}
	d->live = d->data;
	rc = serve(d);
	stop_everything(d);
	return rc;
}

int
daemon_run(const char *conf_path, const char *conf_text)
{
	struct daemon_options opt = {.conf_path = conf_path,
				     .conf_text = conf_text};

	return daemon_run_options(&opt);
}
