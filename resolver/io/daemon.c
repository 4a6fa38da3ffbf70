/*
 * resolver/io/daemon.c - wires the loop, listeners, forwarders, cache and
 * the current data set together.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Everything runs on the loop thread.  Queries answered locally never
 * allocate: the engine writes into a spare job and a shared output
 * buffer; only a forwarded query takes the spare job with it (and holds a
 * reference to its data set) until the upstream answers.  Forwarders
 * replaced by a reload are freed once their last query has finished.
 */
#include "config.h"

#include "io/daemon.h"

#include <sys/stat.h>

#include <netdb.h>
#include <netinet/in.h>

#include <errno.h>
#include <libgen.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <uv.h>

#include "engine/answer.h"
#include "engine/cache.h"
#include "conf/conf.h"
#include "conf/override.h"
#include "conf/resolv.h"
#include "util/err.h"
#include "io/fwd.h"
#include "io/health.h"
#include "io/hostres.h"
#include "io/loopdet.h"
#include "io/notify.h"
#include "io/privdrop.h"
#include "io/reloadlog.h"
#include "io/watch.h"
#include "util/log.h"
#include "dns/msg.h"
#include "io/net.h"
#include "engine/metrics.h"
#include "engine/rrset_policy.h"
#include "io/net_metrics.h"
#include "io/net_qlog.h"
#include "engine/qlog.h"
#include "engine/ratelimit.h"
#include "engine/view.h"
#include "dns/wire.h"

/* A host-name target (forward rule or --upstream), resolved lazily. */
struct ds_host {
	const char *spec;         /* "HOST[:PORT]" as written, borrowed */
	char name[256];           /* HOST */
	uint16_t port;
	size_t group;             /* the forwarder group it belongs to */
	struct conf_sockaddr addrs[HOSTRES_MAX_ADDRS]; /* last answer */
	size_t n_addrs;
	bool resolved;            /* an answer arrived (addrs may be 0:
				     they were all our own listeners) */
	bool inflight;            /* a lookup is running */
	unsigned failures;        /* in a row, for the retry back-off */
	uint64_t next_ms;         /* when to look it up (again) */
	char why[96];             /* the last failure, "" when none */
};

struct dataset {
	unsigned refs;
	uint32_t gen;             /* loop probe generation (loopdet_) */
	struct conf *conf;
	struct view_set *views;
	struct view_group *base;  /* owned: the views' literal targets, group
				     0 from resolv.conf when there are no
				     upstreams, minus our own listeners */
	struct view_group *groups; /* owned: what the forwarders use: base
				     plus resolved host names, minus the
				     loops found at run time */
	size_t n_groups;
	struct ds_host *hosts;    /* owned, n_hosts */
	size_t n_hosts;
	struct conf_sockaddr *looped; /* targets the probe found, owned */
	size_t n_looped;
	bool from_resolv;         /* group 0 came from resolv.conf */
	struct fwd *fwd;          /* forwarders of this configuration */
	struct fwd_options fwd_opt; /* from conf, for fwd_new() */
	struct cache *cache;      /* answers of those forwarders */
	struct net_qlog *qlog;    /* query log writer, NULL when off */
	struct ratelimit *aws_limit; /* simulate-aws-limits, NULL when off */
	struct ratelimit *rrl;    /* large answers to non-local sources */
	struct health *health;    /* tcp/http health checks, NULL if none */
	struct dataset *next;     /* every live data set, newest first */
};

struct pending {
	struct answer_job job;    /* must stay first: spare jobs are these */
	uint64_t sent_ms;         /* when it went upstream */
	unsigned resent;          /* resends after connection errors */
	struct daemon *d;
	struct dataset *data;
	struct net_request *req;
};

struct daemon {
	uv_loop_t loop;
	const struct daemon_options *opt;
	struct dataset *data;     /* NULL until the first load is done */
	struct net *net;
	struct pending *spare;
	uv_signal_t sig_hup, sig_term, sig_int, sig_usr1;
	uv_check_t reaper;        /* frees data sets nobody uses */
	uv_timer_t probe_timer;   /* loop probes, every DAEMON_PROBE_MS */
	uv_timer_t host_timer;    /* host-name lookups that are due */
	struct hostres *hostres;  /* their resolver */
	struct watch *watch;      /* watch: true; NULL otherwise */
	struct loopdet *loopdet;
	uint32_t probe_gen;       /* last generation handed out */
	struct dataset *live;     /* current and older, still referenced */
	bool stopping;
	bool reloading;           /* a reload worker is running */
	bool reload_again;        /* SIGHUP during that reload */
	uv_work_t reload_req;
	struct dataset *reload_ds; /* the worker's result, or NULL */
	struct conf_errors reload_errs;
	struct net_metrics *metrics_http; /* NULL when metrics are off */
	struct metrics metrics;
	uint64_t random;          /* state of the per-query random bits */
	uint8_t out[MSG_TCP_MAX]; /* response buffer, loop thread only */
};

/* Loop probes go out at start, after each reload or dropped upstream,
 * and then this often (an upstream that comes up later, or a peer whose
 * configuration changed). */
#define DAEMON_PROBE_MS 30000

/* Host names are looked up again when their TTL runs out, kept between
 * these bounds; /etc/hosts gives no TTL: DAEMON_HOST_NOTTL_MS then.  A
 * failed lookup is retried after 2 s, doubling up to DAEMON_HOST_RETRY_MS. */
#define DAEMON_HOST_MIN_MS 5000
#define DAEMON_HOST_MAX_MS 300000
#define DAEMON_HOST_NOTTL_MS 30000
#define DAEMON_HOST_RETRY_MS 30000
#define DAEMON_HOST_TICK_MS 1000

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

static void
print_errors(const struct conf_errors *errs)
{
	for (size_t i = 0; i < errs->n; i++)
		log_err("%s", errs->msgs[i]);
}

static void reap(uv_check_t *h);

static void
dataset_free(struct dataset *ds)
{
	if (ds == NULL)
		return;
	health_stop(ds->health);
	net_qlog_close(ds->qlog);
	ratelimit_free(ds->aws_limit);
	ratelimit_free(ds->rrl);
	for (size_t i = 0; i < ds->n_groups; i++) {
		free(ds->groups != NULL ? ds->groups[i].addrs : NULL);
		free(ds->base != NULL ? ds->base[i].addrs : NULL);
	}
	free(ds->groups);
	free(ds->base);
	free(ds->hosts);
	free(ds->looped);
	view_set_free(ds->views);
	conf_free(ds->conf);
	cache_free(ds->cache);
	free(ds);
}

/* The resolv.conf the default upstreams come from; VPCDNS_RESOLV_CONF
 * names another (tests, or a container that mounts one elsewhere). */
static const char *
resolv_path(void)
{
	const char *p = getenv("VPCDNS_RESOLV_CONF");

	return p != NULL && p[0] != '\0' ? p : "/etc/resolv.conf";
}

static size_t
read_resolv(struct conf_sockaddr *out)
{
	char text[8192];
	FILE *fp = fopen(resolv_path(), "r");
	size_t len = 0;

	if (fp != NULL) {
		len = fread(text, 1, sizeof(text), fp);
		fclose(fp);
	} else {
		log_warn("daemon: cannot read %s: %s; upstream 127.0.0.1",
			 resolv_path(), strerror(errno));
	}
	return conf_parse_resolv(text, len, out);
}

/* The rule behind forwarder group @g (the first one), NULL for none. */
static const struct view_rule *
group_rule(const struct view_set *vs, size_t g)
{
	for (size_t i = 0; g > 0 && i < vs->n_vpcs; i++)
		for (size_t j = 0; j < vs->vpc_zones[i].n_rules; j++)
			if (vs->vpc_zones[i].rules[j].group == g)
				return &vs->vpc_zones[i].rules[j];
	return NULL;
}

static void
group_label(const struct dataset *ds, size_t g, char *out, size_t cap)
{
	const struct view_rule *r = group_rule(ds->views, g);
	char name[LOG_NAME_MAX];

	if (r == NULL)
		snprintf(out, cap, "%s", ds->from_resolv && g == 0
						 ? "resolv.conf nameserver"
						 : "upstream");
	else
		snprintf(out, cap, "forward rule %s",
			 log_name(r->domain, r->len, name));
}

static bool
same_addr(const struct conf_sockaddr *a, const struct conf_sockaddr *b)
{
	return a->len == b->len && memcmp(&a->ss, &b->ss, a->len) == 0;
}

static bool
in_addrs(const struct conf_sockaddr *list, size_t n,
	 const struct conf_sockaddr *a)
{
	for (size_t i = 0; i < n; i++)
		if (same_addr(&list[i], a))
			return true;
	return false;
}

/* Drops our own listeners from @n groups starting at @g0 (logged with
 * the groups' labels). */
static void
filter_own(const struct dataset *ds, struct view_group *groups, size_t g0,
	   size_t n)
{
	char labels[8][96];
	const char *lp[8];

	for (size_t b = 0; b < n; b += 8) {
		size_t k = n - b < 8 ? n - b : 8;

		for (size_t i = 0; i < k; i++) {
			group_label(ds, g0 + b + i, labels[i],
				    sizeof(labels[i]));
			lp[i] = labels[i];
		}
		loopdet_filter(ds->conf, groups + b, k, lp);
	}
}

/* The host-name targets of every group, unresolved. */
static int
dataset_hosts(struct dataset *ds)
{
	const struct view_set *vs = ds->views;
	size_t n = 0, k = 0;

	for (size_t g = 0; g < vs->n_groups; g++)
		n += vs->groups[g].n_hosts;
	if (n == 0)
		return VPC_OK;
	if ((ds->hosts = calloc(n, sizeof(*ds->hosts))) == NULL)
		return VPC_ENOMEM;
	for (size_t g = 0; g < vs->n_groups; g++)
		for (size_t i = 0; i < vs->groups[g].n_hosts; i++) {
			struct ds_host *h = &ds->hosts[k++];
			const char *spec = vs->groups[g].hosts[i];
			const char *colon = strrchr(spec, ':');

			h->spec = spec;
			h->group = g;
			h->port = colon ? (uint16_t)strtoul(colon + 1, NULL, 10)
					: CONF_DEFAULT_PORT;
			snprintf(h->name, sizeof(h->name), "%.*s",
				 (int)(colon ? (size_t)(colon - spec)
					     : strlen(spec)),
				 spec);
			snprintf(h->why, sizeof(h->why), "not looked up yet");
		}
	ds->n_hosts = n;
	return VPC_OK;
}

/* ds->groups from ds->base, the resolved host names and the loops. */
static int
dataset_effective(struct dataset *ds)
{
	struct view_group *eg = calloc(ds->n_groups, sizeof(*eg));

	if (eg == NULL)
		return VPC_ENOMEM;
	for (size_t g = 0; g < ds->n_groups; g++) {
		size_t cap = ds->base[g].n_addrs;

		for (size_t h = 0; h < ds->n_hosts; h++)
			if (ds->hosts[h].group == g)
				cap += ds->hosts[h].n_addrs;
		if ((eg[g].addrs = calloc(cap ? cap : 1,
					  sizeof(*eg[g].addrs))) == NULL) {
			while (g > 0)
				free(eg[--g].addrs);
			free(eg);
			return VPC_ENOMEM;
		}
		/* The rest of the group (the rule and its protocol) as the
		 * views have it. */
		eg[g].rule = ds->views->groups[g].rule;
		for (size_t i = 0; i < ds->base[g].n_addrs; i++)
			eg[g].addrs[eg[g].n_addrs++] = ds->base[g].addrs[i];
		for (size_t h = 0; h < ds->n_hosts; h++)
			for (size_t i = 0; ds->hosts[h].group == g &&
					   i < ds->hosts[h].n_addrs;
			     i++)
				if (!in_addrs(eg[g].addrs, eg[g].n_addrs,
					      &ds->hosts[h].addrs[i]))
					eg[g].addrs[eg[g].n_addrs++] =
						ds->hosts[h].addrs[i];
		for (size_t i = 0; i < eg[g].n_addrs;)
			if (in_addrs(ds->looped, ds->n_looped, &eg[g].addrs[i]))
				eg[g].addrs[i] = eg[g].addrs[--eg[g].n_addrs];
			else
				i++;
	}
	for (size_t g = 0; ds->groups != NULL && g < ds->n_groups; g++)
		free(ds->groups[g].addrs);
	free(ds->groups);
	ds->groups = eg;
	return VPC_OK;
}

/* ds->base: the views' literal targets, group 0 from resolv.conf when
 * there are no upstreams at all, minus every target that is one of our
 * listeners; then the host names, and the effective groups. */
static int
dataset_groups(struct dataset *ds)
{
	const struct view_set *vs = ds->views;
	int rc;

	if ((ds->base = calloc(vs->n_groups, sizeof(*ds->base))) == NULL)
		return VPC_ENOMEM;
	ds->n_groups = vs->n_groups;
	for (size_t i = 0; i < vs->n_groups; i++) {
		size_t n = vs->groups[i].n_addrs;

		if (i == 0 && n == 0 && vs->groups[i].n_hosts == 0) {
			ds->from_resolv = true;
			n = CONF_RESOLV_MAX;
		}
		if ((ds->base[i].addrs = calloc(n ? n : 1,
						sizeof(struct conf_sockaddr))) ==
		    NULL)
			return VPC_ENOMEM;
		if (i == 0 && ds->from_resolv) {
			ds->base[i].n_addrs = read_resolv(ds->base[i].addrs);
			continue;
		}
		/* A group of host names only has no addresses (NULL) yet. */
		if (n > 0)
			memcpy(ds->base[i].addrs, vs->groups[i].addrs,
			       n * sizeof(struct conf_sockaddr));
		ds->base[i].n_addrs = n;
	}
	filter_own(ds, ds->base, 0, ds->n_groups);
	if ((rc = dataset_hosts(ds)) != VPC_OK)
		return rc;
	return dataset_effective(ds);
}

/* The part of a load that may run off the loop thread: read and check
 * the configuration, load the zones, resolve host names, allocate. */
static int
dataset_build(const struct daemon_options *opt, struct dataset **out,
	      struct conf_errors *errs)
{
	struct dataset *ds = calloc(1, sizeof(*ds));
	int rc = VPC_ENOMEM;

	if (ds == NULL)
		return VPC_ENOMEM;
	ds->refs = 1;
	if (opt->conf_text != NULL)
		rc = conf_load_string(opt->conf_text, strlen(opt->conf_text),
				      opt->conf_path, &ds->conf, errs);
	else
		rc = conf_load_file(opt->conf_path, &ds->conf, errs);
	if (rc == VPC_OK)
		rc = conf_override(ds->conf, &opt->overrides, errs);
	if (rc == VPC_OK)
		rc = view_set_build_lazy(ds->conf, daemon_resolve_host,
					 &ds->views, errs);
	if (rc == VPC_OK)
		rc = dataset_groups(ds);
	if (rc == VPC_OK &&
	    (ds->cache = cache_new_conf(ds->conf)) == NULL)
		rc = VPC_ENOMEM;
	if (rc == VPC_OK && ds->conf->simulate_aws_limits &&
	    (ds->aws_limit = ratelimit_new(
		     ds->conf->aws_pps, RATELIMIT_AWS_V4_PREFIX,
		     RATELIMIT_AWS_V6_PREFIX, ds->conf->limit_sources)) == NULL)
		rc = VPC_ENOMEM;
	if (rc == VPC_OK && ds->conf->rrl_rate > 0 &&
	    (ds->rrl = ratelimit_new(
		     ds->conf->rrl_rate, RATELIMIT_RRL_V4_PREFIX,
		     RATELIMIT_RRL_V6_PREFIX, ds->conf->limit_sources)) == NULL)
		rc = VPC_ENOMEM;
	if (rc != VPC_OK) {
		dataset_free(ds);
		return rc;
	}
	*out = ds;
	return VPC_OK;
}

static const struct fwd_options *
fwd_options_of(struct dataset *ds)
{
	ds->fwd_opt.timeout_ms = ds->conf->fwd_timeout_ms;
	ds->fwd_opt.tries = ds->conf->fwd_tries;
	return &ds->fwd_opt;
}

/* The part that needs the loop: forwarders and the query log writer. */
static int
dataset_start(struct daemon *d, struct dataset *ds)
{
	int rc = fwd_new(&d->loop, ds->groups, ds->n_groups, fwd_options_of(ds),
			 &ds->fwd);

	if (rc == VPC_OK && ds->conf->query_log &&
	    (rc = net_qlog_open(ds->conf->query_log_path, &ds->qlog)) !=
		    VPC_OK)
		log_err("daemon: cannot open query log %s: %s",
			ds->conf->query_log_path,
			rc == VPC_EIO ? strerror(errno) : vpc_strerror(rc));
	if (rc == VPC_OK)
		rc = health_start(&d->loop, ds->conf, ds->views->health,
				  &ds->health);
	ds->gen = ++d->probe_gen;
	return rc;
}

static int
dataset_load(struct daemon *d, struct dataset **out)
{
	struct conf_errors errs = {0};
	struct dataset *ds = NULL;
	int rc = dataset_build(d->opt, &ds, &errs);

	print_errors(&errs);
	conf_errors_cleanup(&errs);
	if (rc == VPC_OK && (rc = dataset_start(d, ds)) != VPC_OK) {
		fwd_free(ds->fwd);
		dataset_free(ds);
	}
	if (rc == VPC_OK)
		*out = ds;
	return rc;
}

/* A forwarder cannot be freed from inside its own callback, so a data
 * set whose last reference goes is freed by the reaper, a check handle
 * that runs after the loop's I/O phase. */
static void
dataset_unref(struct daemon *d, struct dataset *ds)
{
	if (--ds->refs == 0 && !d->stopping)
		uv_check_start(&d->reaper, reap);
}

struct free_work {
	uv_work_t req;
	struct dataset *ds;
};

static void
free_work(uv_work_t *req)
{
	struct free_work *fw = req->data;

	dataset_free(fw->ds);
}

static void
free_done(uv_work_t *req, int status)
{
	(void)status;
	free(req->data);
}

/* Freeing a data set of 20,000 zones takes about a second, so one that
 * nobody uses any more is freed in a worker thread, like a reload is
 * loaded; what belongs to the loop (forwarders, health checks) goes
 * first, here. */
static void
dataset_free_later(struct daemon *d, struct dataset *ds)
{
	struct free_work *fw = malloc(sizeof(*fw));

	fwd_free(ds->fwd);
	ds->fwd = NULL;
	health_stop(ds->health);
	ds->health = NULL;
	if (fw == NULL) {
		dataset_free(ds);
		return;
	}
	fw->ds = ds;
	fw->req.data = fw;
	if (uv_queue_work(&d->loop, &fw->req, free_work, free_done) != 0) {
		free(fw);
		dataset_free(ds);
	}
}

static void
reap(uv_check_t *h)
{
	struct daemon *d = h->data;
	struct dataset **pp = &d->live;

	while (*pp != NULL) {
		struct dataset *ds = *pp;

		if (ds->refs > 0) {
			pp = &ds->next;
			continue;
		}
		*pp = ds->next;
		dataset_free_later(d, ds);
	}
	uv_check_stop(h);
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

/* The end of a forwarded query, whatever the upstream did. */
static void
finish_forward(struct pending *p, int status, const uint8_t *reply_buf,
	       size_t len)
{
	struct daemon *d = p->d;
	size_t out_len;

	if (status != VPC_OK)
		d->metrics.upstream_failures++;
	else
		metrics_count_latency(&d->metrics,
				      uv_now(&d->loop) - p->sent_ms);
	out_len = answer_upstream(&p->job, p->data->cache, status, reply_buf,
				  len, uv_now(&d->loop), d->out, sizeof(d->out));
	/* DNS64 needs a second query (the A after an AAAA NODATA); a send
	 * that cannot start is the failure. */
	if (out_len == 0 && !d->stopping) {
		p->resent = 0;
		if (fwd_send(p->data->fwd, p->job.fwd_group, p->job.query,
			     p->job.query_len, on_upstream, p) == VPC_OK)
			return;
	}
	if (out_len == 0)
		out_len = answer_upstream(&p->job, NULL, VPC_EUPSTREAM, NULL,
					  0, 0, d->out, sizeof(d->out));
	reply(d, p->data, p->req, &p->job, ANSWER_FORWARD, NULL, 0, out_len);
	net_request_release(p->req);
	dataset_unref(d, p->data);
	free(p);
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

static void
forward(struct daemon *d, const struct net_request *req)
{
	struct pending *p = d->spare;
	size_t out_len;
	int rc;

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
	if ((p->req = net_request_keep(req)) == NULL)
		return; /* out of memory: unanswered, the spare stays */
	d->spare = NULL;
	d->metrics.upstream_queries++;
	p->sent_ms = uv_now(&d->loop);
	p->resent = 0;
	p->d = d;
	p->data = d->data;
	p->data->refs++;
	if ((rc = fwd_send(p->data->fwd, p->job.fwd_group, p->job.query,
			   p->job.query_len, on_upstream, p)) != VPC_OK)
		finish_forward(p, rc, NULL, 0);
}

static void probe_upstreams(struct daemon *d);

/* The targets of @ds changed (a loop found, a host name resolved):
 * rebuild the effective groups, move to new forwarders (queries in
 * flight on the old ones are resent once on the new ones, or get
 * SERVFAIL) and probe every target again under a new generation, since
 * the indexes of older probes no longer match. */
static void
dataset_refresh(struct daemon *d, struct dataset *ds)
{
	struct fwd *nf = NULL, *old;

	if (dataset_effective(ds) != VPC_OK ||
	    fwd_new(&d->loop, ds->groups, ds->n_groups, fwd_options_of(ds),
		    &nf) != VPC_OK) {
		log_err("daemon: cannot rebuild the forwarders; keeping the "
			"old ones");
		return;
	}
	old = ds->fwd;
	ds->fwd = nf;
	fwd_free(old);
	ds->gen = ++d->probe_gen;
	if (ds == d->data && d->loopdet != NULL)
		probe_upstreams(d);
}

/* A host-name lookup in flight: it holds a reference on its data set. */
struct host_req {
	struct daemon *d;
	struct dataset *ds;
	size_t index;
};

static uint64_t
host_refresh_ms(uint32_t ttl)
{
	uint64_t ms = ttl > 0 ? (uint64_t)ttl * 1000 : DAEMON_HOST_NOTTL_MS;

	if (ms < DAEMON_HOST_MIN_MS)
		return DAEMON_HOST_MIN_MS;
	return ms > DAEMON_HOST_MAX_MS ? DAEMON_HOST_MAX_MS : ms;
}

static void
host_resolved(struct daemon *d, struct dataset *ds, struct ds_host *h,
	      const struct conf_sockaddr *addrs, size_t n, uint32_t ttl)
{
	struct conf_sockaddr got[HOSTRES_MAX_ADDRS];
	struct view_group tmp = {.addrs = got};
	char label[96], a[64];
	bool changed;

	memcpy(got, addrs, n * sizeof(*addrs));
	tmp.n_addrs = n;
	/* A name that resolves to one of our listeners is a loop too. */
	filter_own(ds, &tmp, h->group, 1);
	changed = !h->resolved || tmp.n_addrs != h->n_addrs;
	for (size_t i = 0; !changed && i < tmp.n_addrs; i++)
		changed = !same_addr(&tmp.addrs[i], &h->addrs[i]);
	memcpy(h->addrs, got, tmp.n_addrs * sizeof(*got));
	h->n_addrs = tmp.n_addrs;
	h->resolved = true;
	h->failures = 0;
	h->why[0] = '\0';
	h->next_ms = uv_now(&d->loop) + host_refresh_ms(ttl);
	if (!changed)
		return;
	group_label(ds, h->group, label, sizeof(label));
	log_notice("daemon: %s (%s) resolved: %zu address(es), first %s, "
		   "ttl=%us",
		   h->spec, label, h->n_addrs,
		   h->n_addrs > 0
			   ? conf_format_sockaddr(
				     (const struct sockaddr *)&h->addrs[0].ss,
				     a, sizeof(a))
			   : "none left",
		   (unsigned)ttl);
	dataset_refresh(d, ds);
}

static void
on_host(void *arg, int status, const struct conf_sockaddr *addrs, size_t n,
	uint32_t ttl, const char *why)
{
	struct host_req *hq = arg;
	struct daemon *d = hq->d;
	struct dataset *ds = hq->ds;
	struct ds_host *h = &ds->hosts[hq->index];
	uint64_t back;

	h->inflight = false;
	if (status == VPC_OK && !d->stopping) {
		host_resolved(d, ds, h, addrs, n, ttl);
	} else if (!d->stopping) {
		/* Keep the last addresses: a resolver that is down for a
		 * moment should not take the target away. */
		snprintf(h->why, sizeof(h->why), "%s", why);
		back = (uint64_t)2000 << (h->failures < 4 ? h->failures : 4);
		h->failures++;
		h->next_ms = uv_now(&d->loop) + (back < DAEMON_HOST_RETRY_MS
							 ? back
							 : DAEMON_HOST_RETRY_MS);
		if (h->failures == 1)
			log_warn("daemon: cannot resolve %s yet: %s (its names "
				 "get SERVFAIL until it does; retrying)",
				 h->spec, why);
	}
	free(hq);
	dataset_unref(d, ds);
}

/* Starts the lookups that are due in the running data set. */
static void
host_tick(struct daemon *d)
{
	struct dataset *ds = d->data;
	uint64_t now = uv_now(&d->loop);

	for (size_t i = 0; d->hostres != NULL && i < ds->n_hosts; i++) {
		struct ds_host *h = &ds->hosts[i];
		struct host_req *hq;

		if (h->inflight || now < h->next_ms ||
		    (hq = malloc(sizeof(*hq))) == NULL)
			continue;
		*hq = (struct host_req){d, ds, i};
		h->inflight = true;
		ds->refs++;
		hostres_lookup(d->hostres, h->name, h->port, on_host, hq);
	}
}

static void
on_host_timer(uv_timer_t *t)
{
	struct daemon *d = t->data;

	if (d->data != NULL && !d->stopping)
		host_tick(d);
}

/* A reload keeps what the running set knew about the same host names, so
 * their names do not fail while they are looked up again. */
static void
carry_hosts(struct dataset *ds, const struct dataset *old)
{
	for (size_t i = 0; i < ds->n_hosts; i++)
		for (size_t j = 0; j < old->n_hosts; j++) {
			const struct ds_host *o = &old->hosts[j];
			struct ds_host *h = &ds->hosts[i];

			if (strcmp(h->spec, o->spec) != 0 || !o->resolved)
				continue;
			memcpy(h->addrs, o->addrs, sizeof(h->addrs));
			h->n_addrs = o->n_addrs;
			h->resolved = true;
			h->next_ms = o->next_ms;
			h->why[0] = '\0';
			break;
		}
}

/* Our own probe came back: the target it went to forwards to us.  It
 * leaves the forwarders (a new channel without it; queries in flight on
 * the old one are resent once on the new one, or get SERVFAIL), and
 * every remaining target is probed again under a new generation, since
 * the indexes of older probes no longer match. */
static void
on_loop(struct daemon *d, const struct net_request *req, uint32_t gen,
	size_t g, size_t i)
{
	struct dataset *ds = d->data;
	struct view_group *vg;
	struct conf_sockaddr *grown;
	char label[96], ta[64], la[64], pa[64];

	if (gen != ds->gen || g >= ds->n_groups || i >= ds->groups[g].n_addrs)
		return;
	vg = &ds->groups[g];
	group_label(ds, g, label, sizeof(label));
	log_err("loop: %s target %s forwards back to this daemon (our probe "
		"query arrived on listener %s from %s): dropped, its names "
		"get SERVFAIL until the next reload",
		label,
		conf_format_sockaddr((const struct sockaddr *)&vg->addrs[i].ss,
				     ta, sizeof(ta)),
		req->listener < ds->conf->n_listen
			? conf_format_sockaddr(
				  (const struct sockaddr *)&ds->conf
					  ->listen[req->listener]
					  .addr.ss,
				  la, sizeof(la))
			: "?",
		conf_format_sockaddr((const struct sockaddr *)&req->peer, pa,
				     sizeof(pa)));
	if ((grown = realloc(ds->looped, (ds->n_looped + 1) *
					      sizeof(*grown))) == NULL)
		return;
	ds->looped = grown;
	ds->looped[ds->n_looped++] = vg->addrs[i];
	d->metrics.upstream_loops++;
	dataset_refresh(d, ds);
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
		on_loop(d, req, gen, g, i); /* and answer it as usual */
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
	switch (answer_query(&d->spare->job, d->data->views, d->data->cache,
			     &src, buf, len, uv_now(&d->loop), d->out,
			     src.tcp ? MSG_TCP_MAX : MSG_UDP_MAX, &out_len)) {
	case ANSWER_REPLY:
		reply(d, d->data, req, &d->spare->job, ANSWER_REPLY, buf, len,
		      out_len);
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
		cache_get_stats(ds->cache, &cs);
		d->metrics.cache_hits += cs.hits;
		d->metrics.cache_misses += cs.misses;
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

static bool
same_listeners(const struct conf *a, const struct conf *b)
{
	if (a->n_listen != b->n_listen)
		return false;
	for (size_t i = 0; i < a->n_listen; i++)
		if (a->listen[i].addr.len != b->listen[i].addr.len ||
		    memcmp(&a->listen[i].addr.ss, &b->listen[i].addr.ss,
			   a->listen[i].addr.len) != 0)
			return false;
	return true;
}

/* A reload keeps what the checks learnt: a check of the same id starts
 * at its last status, not at the configured one. */
static void
keep_health(const struct dataset *old, struct dataset *ds)
{
	const struct policy_health *o = old->views->health;
	struct policy_health *n = ds->views->health;

	for (size_t i = 0; i < n->n; i++) {
		size_t j = policy_health_index(o, n->conf->health_checks[i].id);

		if (j != SIZE_MAX &&
		    n->conf->health_checks[i].type != CONF_HC_STATIC &&
		    o->conf->health_checks[j].type != CONF_HC_STATIC)
			n->up[i] = o->up[j];
	}
}

/* Per forwarder group, the name probes go under: the rule's domain, or
 * the root for the default upstreams. */
static void
probe_upstreams(struct daemon *d)
{
	const uint8_t *suffix[64];
	static const uint8_t root[1] = {0};
	struct dataset *ds = d->data;

	/* Only the first 64 groups are probed (the static check at load
	 * covers every group). */
	size_t n = ds->n_groups < 64 ? ds->n_groups : 64;

	for (size_t g = 0; g < n; g++) {
		const struct view_rule *r = group_rule(ds->views, g);

		suffix[g] = r != NULL ? r->domain : root;
	}
	loopdet_probe(d->loopdet, ds->gen, ds->groups, n, suffix);
}

static void
on_probe_timer(uv_timer_t *t)
{
	struct daemon *d = t->data;

	if (d->data != NULL && !d->stopping)
		probe_upstreams(d);
}

static void
log_reloaded(const struct dataset *old, const struct dataset *ds)
{
	reloadlog_diff(old->views, ds->views);
	log_notice("daemon: reloaded vpcs=%zu zones=%zu (was %zu) "
		   "forwarder-groups=%zu (was %zu)",
		   ds->conf->n_vpcs, ds->views->n_zones, old->views->n_zones,
		   ds->n_groups, old->n_groups);
}

static void start_reload(struct daemon *d);

static void
on_watch(void *arg, const char *file)
{
	struct daemon *d = arg;

	log_notice("daemon: watch: %s changed", file);
	start_reload(d);
}

static void
add_path(const char **paths, size_t *n, size_t cap, const char *p)
{
	if (p != NULL && *n < cap)
		paths[(*n)++] = p;
}

static size_t
policy_paths(const struct conf_hosted_zone *hz, size_t n_hz,
	     const struct conf_fw_rule *fw, size_t n_fw, const char **paths,
	     size_t n, size_t cap)
{
	for (size_t i = 0; i < n_hz; i++)
		add_path(paths, &n, cap, hz[i].file);
	for (size_t i = 0; i < n_fw; i++)
		add_path(paths, &n, cap, fw[i].domains_file);
	return n;
}

/* The directory (with a trailing '/', watch_new()'s mark) that new
 * snippets of an include: entry appear in: the entry itself when it is a
 * directory, else the directory of the file or pattern. */
static char *
include_dir(const char *inc)
{
	struct stat st;
	char *copy, *out;
	size_t len;

	if (stat(inc, &st) == 0 && S_ISDIR(st.st_mode)) {
		len = strlen(inc);
		if ((out = malloc(len + 2)) != NULL)
			snprintf(out, len + 2, "%s%s", inc,
				 len > 0 && inc[len - 1] == '/' ? "" : "/");
		return out;
	}
	if ((copy = strdup(inc)) == NULL)
		return NULL;
	len = strlen(dirname(copy));
	out = malloc(len + 2);
	if (out != NULL)
		snprintf(out, len + 2, "%s/", dirname(copy));
	free(copy);
	return out;
}

/* watch: true: the files of the running configuration, again after each
 * reload (the list may have changed). */
static void
watch_files(struct daemon *d)
{
	const struct conf *cf = d->data->conf;
	const char **paths;
	char **dirs;
	size_t n = 0, cap = 1;

	watch_free(d->watch);
	d->watch = NULL;
	if (!cf->watch)
		return;
	for (size_t i = 0; i < cf->n_vpcs; i++)
		cap += cf->vpcs[i].n_hosted_zones + cf->vpcs[i].n_firewall;
	for (size_t i = 0; i < cf->n_profiles; i++)
		cap += cf->profiles[i].n_hosted_zones +
		       cf->profiles[i].n_firewall;
	cap += cf->n_files + cf->n_include;
	if ((paths = calloc(cap, sizeof(*paths))) == NULL)
		return;
	if ((dirs = calloc(cf->n_include + 1, sizeof(*dirs))) == NULL) {
		free(paths);
		return;
	}
	if (d->opt->conf_text == NULL)
		add_path(paths, &n, cap, d->opt->conf_path);
	/* include: the snippets read, and the directories new ones may
	 * appear in (a pattern's directory). */
	for (size_t i = 0; i < cf->n_files; i++)
		add_path(paths, &n, cap, cf->files[i]);
	for (size_t i = 0; i < cf->n_include; i++)
		if ((dirs[i] = include_dir(cf->include[i])) != NULL)
			add_path(paths, &n, cap, dirs[i]);
	for (size_t i = 0; i < cf->n_vpcs; i++)
		n = policy_paths(cf->vpcs[i].hosted_zones,
				 cf->vpcs[i].n_hosted_zones, cf->vpcs[i].firewall,
				 cf->vpcs[i].n_firewall, paths, n, cap);
	for (size_t i = 0; i < cf->n_profiles; i++)
		n = policy_paths(cf->profiles[i].hosted_zones,
				 cf->profiles[i].n_hosted_zones,
				 cf->profiles[i].firewall,
				 cf->profiles[i].n_firewall, paths, n, cap);
	if (watch_new(&d->loop, paths, n, on_watch, d, &d->watch) == VPC_OK)
		log_info("daemon: watching %zu file(s)", n);
	for (size_t i = 0; i < cf->n_include; i++)
		free(dirs[i]);
	free(dirs);
	free(paths);
}

static void
reload_work(uv_work_t *req)
{
	struct daemon *d = req->data;

	d->reload_ds = NULL;
	if (dataset_build(d->opt, &d->reload_ds, &d->reload_errs) != VPC_OK)
		d->reload_ds = NULL;
}

/* Back on the loop thread: start the new data set and swap it in. */
static void
reload_done(uv_work_t *req, int status)
{
	struct daemon *d = req->data;
	struct dataset *ds = d->reload_ds, *old = d->data;

	d->reloading = false;
	print_errors(&d->reload_errs);
	conf_errors_cleanup(&d->reload_errs);
	if (status != 0 || d->stopping) {
		dataset_free(ds);
		return;
	}
	if (ds != NULL) {
		carry_hosts(ds, old);
		if (dataset_effective(ds) != VPC_OK) {
			dataset_free(ds);
			ds = NULL;
		}
	}
	if (ds != NULL && dataset_start(d, ds) != VPC_OK) {
		fwd_free(ds->fwd);
		dataset_free(ds);
		ds = NULL;
	}
	if (ds == NULL) {
		log_err("daemon: reload rejected, keeping the running "
			"configuration");
		d->metrics.reload_failures++;
	} else {
		d->metrics.reloads++;
		keep_health(old, ds);
		if (!same_listeners(old->conf, ds->conf))
			log_warn("daemon: listen changes take effect on restart");
		ds->next = d->live;
		d->live = ds;
		d->data = ds;
		log_reloaded(old, ds);
		dataset_unref(d, old);
		probe_upstreams(d);
		host_tick(d);
		watch_files(d);
	}
	notify_send("READY=1\nSTATUS=serving");
	if (d->reload_again) {
		d->reload_again = false;
		start_reload(d);
	}
}

/* SIGHUP: load and check the new data set in a worker thread, so queries
 * keep being answered from the running one meanwhile (with 20,000 zones
 * a load takes seconds); a SIGHUP during a reload starts one more after
 * it, since the files may have changed again. */
static void
start_reload(struct daemon *d)
{
	if (d->stopping)
		return;
	if (d->reloading) {
		d->reload_again = true;
		return;
	}
	log_notice("daemon: reloading %s", d->opt->conf_path);
	notify_send("RELOADING=1\nSTATUS=reloading");
	d->reloading = true;
	d->reload_req.data = d;
	if (uv_queue_work(&d->loop, &d->reload_req, reload_work,
			  reload_done) != 0) {
		d->reloading = false;
		log_err("daemon: cannot start a reload worker");
		notify_send("READY=1");
	}
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
		start_reload(d);
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

static void
log_started(const struct daemon *d)
{
	const struct dataset *ds = d->data;
	char up[256] = "", a[64];
	size_t o = 0, pending = 0;

	for (size_t i = 0; ds->n_groups > 0 &&
			   i < ds->groups[0].n_addrs && o + 70 < sizeof(up);
	     i++)
		o += (size_t)snprintf(
			up + o, sizeof(up) - o, "%s%s", i ? "," : "",
			conf_format_sockaddr(
				(const struct sockaddr *)&ds->groups[0]
					.addrs[i]
					.ss,
				a, sizeof(a)));
	for (size_t i = 0; i < ds->n_hosts; i++)
		pending += ds->hosts[i].group == 0 && !ds->hosts[i].resolved;
	log_notice("daemon: started vpcs=%zu zones=%zu upstreams=%zu "
		   "(%s%s%s) host-names=%zu",
		   ds->conf->n_vpcs, ds->views->n_zones,
		   ds->n_groups > 0 ? ds->groups[0].n_addrs : 0,
		   ds->from_resolv ? "from " : "",
		   ds->from_resolv ? resolv_path() : "configured",
		   o > 0 || pending > 0
			   ? ""
			   : ", none left: forwarded names get SERVFAIL",
		   ds->n_hosts);
	if (o > 0)
		log_notice("daemon: upstreams %s", up);
}

/* The resolver of host names asks resolv.conf's nameservers, except the
 * ones that are us. */
static int
start_hostres(struct daemon *d)
{
	struct conf_sockaddr ns[CONF_RESOLV_MAX];
	struct view_group g = {.addrs = ns};
	const char *label = "system resolver (for host names)";

	/* Made even without host names: a reload may bring some. */
	g.n_addrs = read_resolv(ns);
	loopdet_filter(d->data->conf, &g, 1, &label);
	return hostres_new(&d->loop, ns, g.n_addrs, &d->hostres);
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
	if (start_hostres(d) != VPC_OK)
		return DAEMON_EXIT_RUNTIME;
	log_started(d);
	probe_upstreams(d);
	host_tick(d);
	watch_files(d);
	uv_timer_start(&d->host_timer, on_host_timer, DAEMON_HOST_TICK_MS,
		       DAEMON_HOST_TICK_MS);
	uv_timer_start(&d->probe_timer, on_probe_timer, DAEMON_PROBE_MS,
		       DAEMON_PROBE_MS);
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
