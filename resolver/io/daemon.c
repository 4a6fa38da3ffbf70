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
#include "io/worker.h"
#include "util/err.h"
#include "util/log.h"
#include "util/strbuf.h"

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
count_answer(struct worker *w, const struct answer_job *job,
	     const uint8_t *resp, size_t len)
{
	enum metrics_source src = METRICS_SOURCE_OUTSIDE;

	if (len < WIRE_HEADER_LEN)
		return;
	if (job->view != NULL && job->view->vpc_id != NULL)
		src = job->view->inbound ? METRICS_SOURCE_INBOUND
					 : METRICS_SOURCE_VPC;
	metrics_count_query(&w->metrics, src, WIRE_RCODE(wire_get_u16(resp + 2)),
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
log_query(struct worker *w, struct dataset *ds, const struct answer_job *job,
	  enum answer_action act, const struct net_request *req,
	  const uint8_t *query, size_t query_len, const uint8_t *resp,
	  size_t resp_len)
{
	char *line = w->line;
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
			  answer_explain(job, act, line, QLOG_LINE_MAX));
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
	if (qlog_format(&ev, line, QLOG_LINE_MAX, &len) == VPC_OK)
		net_qlog_write(ds->qlog, line, len);
}

/* Every answer leaves through here: response rate limiting, the send,
 * the counters and the query log.  @query is NULL for a forwarded one
 * (only its upstream form was kept). */
static void
reply(struct worker *w, struct wdata *wd, const struct net_request *req,
      const struct answer_job *job, enum answer_action act,
      const uint8_t *query, size_t query_len, size_t len)
{
	struct dataset *ds = wd->ds;
	struct answer_src src = {
		.addr = (const struct sockaddr *)&req->peer,
		.inbound = VIEW_NOT_INBOUND,
		.tcp = net_request_is_stream(req),
	};
	int rc;

	len = ratelimit_response(wd->rrl, ds->conf->rrl_min_size, ds->views,
				 &src, &job->q, uv_now(w->loop), w->out, len);
	if ((rc = net_reply(req, w->out, len)) != VPC_OK) {
		metrics_bump(&w->metrics.reply_failures, 1);
		log_debug("daemon: answer not sent: %s", vpc_strerror(rc));
	}
	count_answer(w, job, w->out, len);
	log_query(w, ds, job, act, req, query, query_len, w->out, len);
}

static void on_upstream(void *arg, int status, const uint8_t *reply_buf,
			size_t len);

/* Sends @p's response (@out_len bytes in w->out; 0: it needs a second
 * upstream query, DNS64's A after an AAAA NODATA, which a send that
 * cannot start turns into SERVFAIL) and frees it. */
static void
forward_done(struct worker *w, struct pending *p, size_t out_len)
{
	if (out_len == 0 && !w->stopping) {
		p->resent = 0;
		p->lead = NULL;
		if (fwd_send(p->data->fwd, p->job.fwd_group, p->job.query,
			     p->job.query_len, on_upstream, p) == VPC_OK)
			return;
	}
	if (out_len == 0)
		out_len = answer_upstream(&p->job, NULL, VPC_EUPSTREAM, NULL,
					  0, 0, w->out, sizeof(w->out));
	if (p->req != NULL)
		reply(w, p->data, p->req, &p->job, ANSWER_FORWARD, NULL, 0,
		      out_len);
	net_request_release(p->req);
	if (p->counted)
		__atomic_sub_fetch(&w->d->fwd_inflight, 1, __ATOMIC_RELAXED);
	worker_data_unref(w, p->data);
	free(p);
}

/* The end of a forwarded query, whatever the upstream did; then the
 * identical queries that waited for it (engine/inflight.h), each with
 * its own answer. */
static void
finish_forward(struct pending *p, int status, const uint8_t *reply_buf,
	       size_t len)
{
	struct worker *w = p->w;
	struct inflight_batch b = {0};
	size_t out_len;

	if (status != VPC_OK)
		metrics_bump(&w->metrics.upstream_failures, 1);
	else
		metrics_count_latency(&w->metrics,
				      uv_now(w->loop) - p->sent_ms);
	out_len = answer_upstream(&p->job, p->data->cache, status, reply_buf,
				  len, uv_now(w->loop), w->out, sizeof(w->out));
	if (p->lead != NULL)
		inflight_finish(p->data->inflight, p->lead, &b);
	forward_done(w, p, out_len);
	for (size_t i = 0; i < b.n; i++) {
		struct pending *q = b.waiters[i];

		out_len = answer_waiter(&q->job, q->data->cache, status,
					reply_buf, len, uv_now(w->loop),
					w->out, sizeof(w->out));
		forward_done(w, q, out_len);
	}
	inflight_batch_free(&b);
}

static void
on_upstream(void *arg, int status, const uint8_t *reply_buf, size_t len)
{
	struct pending *p = arg;
	struct worker *w = p->w;

	/* A broken upstream connection fails every query c-ares had on it,
	 * including ones that had nothing to do with the breakage: resend
	 * such a query once before answering SERVFAIL.  (More would let a
	 * query that breaks its connection every time multiply the load on
	 * a failing upstream.)  A resend that cannot start is the failure. */
	if (status == VPC_EIO && p->resent < 1 && !w->stopping &&
	    p->data->fwd != NULL) {
		p->resent++;
		if ((status = fwd_send(p->data->fwd, p->job.fwd_group,
				       p->job.query, p->job.query_len,
				       on_upstream, p)) == VPC_OK)
			return;
	}
	finish_forward(p, status, reply_buf, len);
}

/* SERVFAIL at once, without asking anyone. */
static void
fail_forward(struct worker *w, const struct net_request *req,
	     uint64_t *counter)
{
	struct pending *p = w->spare;
	size_t out_len;

	metrics_bump(counter, 1);
	out_len = answer_upstream(&p->job, NULL, VPC_EUPSTREAM, NULL, 0, 0,
				  w->out, sizeof(w->out));
	reply(w, w->data, req, &p->job, ANSWER_FORWARD, NULL, 0, out_len);
}

/* Sends w->spare's job->query upstream for the client @req, or for
 * nobody when @req is NULL (a prefetch: answer_upstream() refreshes the
 * cache entry and the response is dropped).  The in-flight cap is the
 * daemon's, not a worker's: one counter all of them share, touched only
 * by the queries that go upstream (workers that check it at the same
 * moment may pass it by one each). */
static void
forward(struct worker *w, const struct net_request *req)
{
	struct pending *p = w->spare;
	struct wdata *wd = w->data;
	uint64_t *inflight = &w->d->fwd_inflight;
	bool full = __atomic_load_n(inflight, __ATOMIC_RELAXED) >=
		    wd->ds->conf->fwd_max_inflight;
	struct cache_key k;
	int rc;

	/* A group without targets (every one was a loop): SERVFAIL now.  A
	 * prefetch that cannot go is no loss: the entry just expires. */
	if (p->job.fwd_group >= wd->ds->n_groups ||
	    wd->groups[p->job.fwd_group].n_addrs == 0) {
		if (req != NULL)
			fail_forward(w, req, &w->metrics.upstream_failures);
		return;
	}
	if (full) {
		if (req != NULL)
			fail_forward(w, req, &w->metrics.upstream_rejected);
		return;
	}
	if (req != NULL && (p->req = net_request_keep(req)) == NULL)
		return; /* out of memory: unanswered, the spare stays */
	if (req == NULL)
		p->req = NULL;
	w->spare = NULL;
	p->resent = 0;
	p->w = w;
	p->data = wd;
	wd->refs++;
	p->lead = NULL;
	p->counted = false;
	answer_key(&p->job, &k);
	/* An identical query is upstream: wait for its answer. */
	if (inflight_join(wd->inflight, &k, p, &p->lead) == INFLIGHT_WAIT)
		return;
	p->counted = true;
	__atomic_add_fetch(inflight, 1, __ATOMIC_RELAXED);
	metrics_bump(&w->metrics.upstream_queries, 1);
	p->sent_ms = uv_now(w->loop);
	if ((rc = fwd_send(wd->fwd, p->job.fwd_group, p->job.query,
			   p->job.query_len, on_upstream, p)) != VPC_OK)
		finish_forward(p, rc, NULL, 0);
}

static void
on_query(void *arg, const struct net_request *req, const uint8_t *buf,
	 size_t len)
{
	struct worker *w = arg;
	struct wdata *wd = w->data;
	const struct conf *cf = wd->ds->conf;
	struct answer_src src;
	size_t out_len, g, i;
	uint32_t gen;

	if (w->spare == NULL && (w->spare = malloc(sizeof(*w->spare))) == NULL)
		return;
	if (loopdet_seen(w->d->loopdet, buf, len, &gen, &g, &i)) {
		/* ... and answer it as usual. */
		if (w->index == 0)
			dataset_on_loop(w->d, req, gen, g, i);
		else
			dataset_loop_seen(w->d, req, gen, g, i);
	}
	/* SPEC issue: the VPC Resolver drops packets over 1,024/s per
	 * network interface; simulate-aws-limits does so per client. */
	if (wd->aws_limit != NULL &&
	    !ratelimit_allow(wd->aws_limit, (const struct sockaddr *)&req->peer,
			     uv_now(w->loop))) {
		metrics_bump(&w->metrics.aws_limited, 1);
		return;
	}
	w->spare->job.view = NULL;
	src.addr = (const struct sockaddr *)&req->peer;
	src.inbound = inbound_vpc(cf, req->listener);
	src.delegation = src.inbound != VIEW_NOT_INBOUND &&
			 cf->listen[req->listener].delegation;
	src.tcp = net_request_is_stream(req);
	/* Weighted and multivalue record sets draw from these (splitmix64
	 * steps; the core mixes them again). */
	src.random = (w->random += 0x9e3779b97f4a7c15ull);
	/* RRSIG validity is wall-clock time (RFC 4034 §3.1.5). */
	src.wall_s = (uint64_t)time(NULL);
	switch (answer_query(&w->spare->job, wd->ds->views, wd->cache, &src,
			     buf, len, uv_now(w->loop), w->out,
			     src.tcp ? MSG_TCP_MAX : MSG_UDP_MAX, &out_len)) {
	case ANSWER_REPLY:
		reply(w, wd, req, &w->spare->job, ANSWER_REPLY, buf, len,
		      out_len);
		/* A hit near expiry: refresh it in the background. */
		if (w->spare->job.prefetch)
			forward(w, NULL);
		break;
	case ANSWER_FORWARD:
		forward(w, req);
		break;
	case ANSWER_DROP:
		metrics_bump(&w->metrics.dropped, 1);
		break;
	}
}

/* How the queries spread over the workers (after the sums, at @len). */
static size_t
render_workers(const struct daemon *d, char *out, size_t cap, size_t len)
{
	struct strbuf o;

	if (len == 0 || len >= cap)
		return 0;
	strbuf_fixed(&o, out + len, cap - len);
	strbuf_printf(&o, "# HELP vpcdns_worker_queries_total Answered "
			  "queries by worker (query loop).\n"
			  "# TYPE vpcdns_worker_queries_total counter\n");
	for (unsigned i = 0; i < d->n_workers; i++) {
		struct metrics one = {0};
		uint64_t n = 0;

		metrics_add(&one, &d->workers[i].metrics);
		for (size_t s = 0; s < METRICS_SOURCE_COUNT; s++)
			for (size_t r = 0; r < METRICS_RCODES; r++)
				n += one.queries[s][r];
		strbuf_printf(&o, "vpcdns_worker_queries_total{worker=\"%u\"} "
				  "%llu\n",
			      i, (unsigned long long)n);
	}
	return o.failed ? 0 : len + o.len;
}

/* Each worker's counters, summed, and what the main thread owns. */
static size_t
render_metrics(void *arg, char *out, size_t cap)
{
	struct daemon *d = arg;
	struct metrics m = {0};

	for (unsigned i = 0; i < d->n_workers; i++) {
		const struct worker *w = &d->workers[i];
		const struct worker_stats *st = &w->stats;

		metrics_add(&m, &w->metrics);
		m.cache_hits += __atomic_load_n(&st->cache_hits, __ATOMIC_RELAXED);
		m.cache_misses +=
			__atomic_load_n(&st->cache_misses, __ATOMIC_RELAXED);
		m.cache_entries +=
			__atomic_load_n(&st->cache_entries, __ATOMIC_RELAXED);
		m.tcp_rejected +=
			__atomic_load_n(&st->tcp_rejected, __ATOMIC_RELAXED);
		m.tcp_evicted +=
			__atomic_load_n(&st->tcp_evicted, __ATOMIC_RELAXED);
		m.rrl_limited +=
			__atomic_load_n(&st->rrl_limited, __ATOMIC_RELAXED);
		m.cache_prefetches += __atomic_load_n(&st->cache_prefetches,
						      __ATOMIC_RELAXED);
		m.upstream_coalesced +=
			__atomic_load_n(&st->coalesced, __ATOMIC_RELAXED);
	}
	m.upstream_inflight =
		__atomic_load_n(&d->fwd_inflight, __ATOMIC_RELAXED);
	for (struct dataset *ds = d->live; ds != NULL; ds = ds->next)
		if (ds->qlog != NULL)
			m.qlog_dropped += net_qlog_dropped(ds->qlog);
	return render_workers(d, out, cap, metrics_render(&m, out, cap));
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
	/* Pending forwarded queries get SERVFAIL before the sockets go;
	 * the threaded workers are gone when worker_stop() returns. */
	for (unsigned i = d->n_workers; i-- > 0;)
		worker_stop(&d->workers[i]);
	for (struct dataset *ds = d->live; ds != NULL; ds = ds->next) {
		health_stop(ds->health);
		ds->health = NULL;
	}
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
	close_handle((uv_handle_t *)&d->main_wake);
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
	if (d->data == NULL || d->n_workers == 0 || d->workers[0].net == NULL) {
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
	uv_run(&d->loop, UV_RUN_DEFAULT); /* run the close callbacks */
	for (unsigned i = 0; i < d->n_workers; i++)
		worker_cleanup(&d->workers[i]);
	while (d->live != NULL) {
		struct dataset *ds = d->live;

		d->live = ds->next;
		dataset_free(ds);
	}
	uv_run(&d->loop, UV_RUN_DEFAULT);
	uv_loop_close(&d->loop);
	uv_mutex_destroy(&d->seen_lock);
	free(d->workers);
	free(d);
}

/* The workers, each with the data set loaded at start. */
static int
start_workers(struct daemon *d)
{
	unsigned n = worker_count(d->data->conf);

	if ((d->workers = calloc(n, sizeof(*d->workers))) == NULL)
		return VPC_ENOMEM;
	for (unsigned i = 0; i < n; i++) {
		if (worker_init(d, &d->workers[i], i) != VPC_OK)
			return VPC_EIO;
		d->n_workers++;
		dataset_ref(d->data);
		if (worker_adopt(&d->workers[i], d->data) != VPC_OK)
			return VPC_ENOMEM;
	}
	return VPC_OK;
}

/* Every worker's sockets on every listener.  With more than one worker
 * they share each port (SO_REUSEPORT), so each listener is bound once
 * without it first: a port in use (even by another vpcdns) or listeners
 * that overlap (127.0.0.1:P and 0.0.0.0:P) fail as with one worker. */
static int
start_net(struct daemon *d)
{
	const struct conf *cf = d->data->conf;
	struct net_limits lim = {
		.tcp_idle_ms = cf->tcp_idle_ms,
		/* Split between the workers, so the daemon keeps the limit
		 * (rounded up: each worker takes at least one). */
		.tcp_max_conns = (cf->tcp_max_conns + d->n_workers - 1) /
				 d->n_workers,
		.tcp_max_inflight = cf->tcp_max_inflight,
		.workers = d->n_workers,
	};

	if (d->n_workers > 1 && net_check_bind(cf) != VPC_OK)
		return VPC_EIO;
	for (unsigned i = 0; i < d->n_workers; i++) {
		struct worker *w = &d->workers[i];

		lim.worker = i;
		if (net_new(w->loop, cf, &lim, on_query, w, &w->net) != VPC_OK)
			return VPC_EIO;
	}
	return VPC_OK;
}

static int
serve(struct daemon *d)
{
	struct privdrop pd = {0};

	if (d->opt->user != NULL && privdrop_lookup(d->opt->user, &pd) != VPC_OK)
		return DAEMON_EXIT_USAGE;
	if (start_workers(d) != VPC_OK || start_net(d) != VPC_OK)
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
	/* The threads start last: they read d->loopdet. */
	for (unsigned i = 1; i < d->n_workers; i++)
		if (worker_start(&d->workers[i]) != VPC_OK)
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
	uv_mutex_init(&d->seen_lock);
	uv_check_init(&d->loop, &d->reaper);
	d->reaper.data = d;
	uv_async_init(&d->loop, &d->main_wake, dataset_main_wake);
	d->main_wake.data = d;
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
