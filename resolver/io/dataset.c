/*
 * resolver/io/dataset.c - the daemon's data sets: building one from the
 * configuration, starting its forwarders, freeing it, and the targets it
 * forwards to (resolv.conf, host names looked up and refreshed, loops
 * found by probes).
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * dataset_build() runs on any thread (a reload runs it in a worker);
 * the rest runs on the loop thread.  Host-name lookups and loop probes
 * change a data set's effective groups and replace its forwarders
 * (dataset_refresh); queries in flight on the old forwarders are resent
 * once on the new ones.  What the query path does with a data set is in
 * io/daemon.c, reloading in io/reload.c.
 */
#include "config.h"

#include "io/dataset.h"

#include <sys/socket.h>

#include <netinet/in.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <uv.h>

#include "conf/conf_override.h"
#include "conf/conf_resolv.h"
#include "engine/metrics.h"
#include "engine/view.h"
#include "io/daemon.h"
#include "io/daemon_internal.h"
#include "io/files.h"
#include "io/health.h"
#include "io/loopdet.h"
#include "io/net.h"
#include "io/net_qlog.h"
#include "io/reload.h"
#include "io/worker.h"
#include "util/err.h"
#include "util/log.h"

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

void
dataset_log_errors(const struct conf_errors *errs)
{
	for (size_t i = 0; i < errs->n; i++)
		log_err("%s", errs->msgs[i]);
}

static void reap(uv_check_t *h);

static void
free_groups(struct view_group *g, size_t n)
{
	for (size_t i = 0; g != NULL && i < n; i++)
		free(g[i].addrs);
	free(g);
}

void
dataset_free(struct dataset *ds)
{
	if (ds == NULL)
		return;
	health_stop(ds->health);
	net_qlog_close(ds->qlog);
	free_groups(ds->groups, ds->n_groups);
	while (ds->retired != NULL) {
		struct ds_retired *r = ds->retired;

		ds->retired = r->next;
		free_groups(r->groups, ds->n_groups);
		free(r);
	}
	for (size_t i = 0; ds->base != NULL && i < ds->n_groups; i++)
		free(ds->base[i].addrs);
	free(ds->base);
	free(ds->hosts);
	free(ds->looped);
	view_set_free(ds->views);
	conf_free(ds->conf);
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

	if (g == DS_HOST_ENDPOINT)
		snprintf(out, cap, "endpoint address");
	else if (r == NULL)
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

/* Calls @fn for each endpoint address of @cf given as a host name. */
static void
each_endpoint_host(const struct conf *cf,
		   void (*fn)(void *arg, const char *host), void *arg)
{
	for (size_t v = 0; v < cf->n_vpcs; v++)
		for (size_t e = 0; e < cf->vpcs[v].n_endpoints; e++) {
			const struct conf_endpoint *ep =
				&cf->vpcs[v].endpoints[e];

			for (size_t i = 0; i < ep->n_subnets; i++) {
				if (ep->subnets[i].ipv4_host != NULL)
					fn(arg, ep->subnets[i].ipv4_host);
				if (ep->subnets[i].ipv6_host != NULL)
					fn(arg, ep->subnets[i].ipv6_host);
			}
		}
}

static void
count_host(void *arg, const char *host)
{
	(void)host;
	++*(size_t *)arg;
}

struct host_adder {
	struct dataset *ds;
	const struct ds_known *known;
	size_t n_known;
};

static const struct ds_known *
find_known(const struct ds_known *known, size_t n, const char *host)
{
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(known[i].name, host) == 0)
			return &known[i];
	return NULL;
}

/* One ds_host per distinct endpoint host name, in the state the build
 * used (so a lookup that gives the same addresses changes nothing). */
static void
add_endpoint_host(void *arg, const char *host)
{
	struct host_adder *ha = arg;
	struct dataset *ds = ha->ds;
	const struct ds_known *k = find_known(ha->known, ha->n_known, host);
	struct ds_host *h;

	for (size_t i = 0; i < ds->n_hosts; i++)
		if (ds->hosts[i].group == DS_HOST_ENDPOINT &&
		    strcasecmp(ds->hosts[i].spec, host) == 0)
			return;
	h = &ds->hosts[ds->n_hosts++];
	h->spec = host;
	h->group = DS_HOST_ENDPOINT;
	snprintf(h->name, sizeof(h->name), "%s", host);
	if (k != NULL) {
		memcpy(h->addrs, k->addrs, sizeof(h->addrs));
		h->n_addrs = k->n_addrs;
		h->resolved = true;
	} else {
		snprintf(h->why, sizeof(h->why), "not looked up yet");
	}
}

/* The host-name targets of every group, unresolved, then the endpoints'
 * host-name addresses as @known has them. */
static int
dataset_hosts(struct dataset *ds, const struct ds_known *known,
	      size_t n_known)
{
	const struct view_set *vs = ds->views;
	struct host_adder ha = {ds, known, n_known};
	size_t n = 0, k = 0;

	for (size_t g = 0; g < vs->n_groups; g++)
		n += vs->groups[g].n_hosts;
	each_endpoint_host(ds->conf, count_host, &n);
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
	ds->n_hosts = k;
	each_endpoint_host(ds->conf, add_endpoint_host, &ha);
	return VPC_OK;
}

/* view_addr_fn over a struct host_adder's known addresses. */
static size_t
known_addrs(void *arg, const char *host, int family, uint8_t (*out)[16],
	    size_t max)
{
	const struct host_adder *ha = arg;
	const struct ds_known *k = find_known(ha->known, ha->n_known, host);
	size_t n = 0;

	for (size_t i = 0; k != NULL && i < k->n_addrs && n < max; i++) {
		const struct sockaddr *sa =
			(const struct sockaddr *)&k->addrs[i].ss;

		if (sa->sa_family != family)
			continue;
		if (family == AF_INET)
			memcpy(out[n++],
			       &((const struct sockaddr_in *)(const void *)sa)
					->sin_addr,
			       4);
		else
			memcpy(out[n++],
			       &((const struct sockaddr_in6 *)(const void *)sa)
					->sin6_addr,
			       16);
	}
	return n;
}

int
dataset_known(const struct dataset *ds, struct ds_known **out, size_t *n)
{
	size_t k = 0;

	*out = NULL;
	*n = 0;
	for (size_t i = 0; i < ds->n_hosts; i++)
		k += ds->hosts[i].group == DS_HOST_ENDPOINT &&
		     ds->hosts[i].resolved;
	if (k == 0)
		return VPC_OK;
	if ((*out = calloc(k, sizeof(**out))) == NULL)
		return VPC_ENOMEM;
	for (size_t i = 0; i < ds->n_hosts; i++) {
		const struct ds_host *h = &ds->hosts[i];
		struct ds_known *o = &(*out)[*n];

		if (h->group != DS_HOST_ENDPOINT || !h->resolved)
			continue;
		snprintf(o->name, sizeof(o->name), "%s", h->name);
		memcpy(o->addrs, h->addrs, sizeof(o->addrs));
		o->n_addrs = h->n_addrs;
		++*n;
	}
	return VPC_OK;
}

/* ds->groups from ds->base, the resolved host names and the loops.  The
 * workers may be reading the old array: it is retired, not freed, and
 * the new one is published with a release store. */
int
dataset_effective(struct dataset *ds)
{
	struct view_group *eg = calloc(ds->n_groups, sizeof(*eg));
	struct ds_retired *r = NULL;

	if (eg == NULL || (ds->groups != NULL &&
			   (r = malloc(sizeof(*r))) == NULL)) {
		free(eg);
		return VPC_ENOMEM;
	}
	for (size_t g = 0; g < ds->n_groups; g++) {
		size_t cap = ds->base[g].n_addrs;

		for (size_t h = 0; h < ds->n_hosts; h++)
			if (ds->hosts[h].group == g)
				cap += ds->hosts[h].n_addrs;
		if ((eg[g].addrs = calloc(cap ? cap : 1,
					  sizeof(*eg[g].addrs))) == NULL) {
			free_groups(eg, g);
			free(r);
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
	if (r != NULL) {
		r->groups = ds->groups;
		r->next = ds->retired;
		ds->retired = r;
	}
	__atomic_store_n(&ds->groups, eg, __ATOMIC_RELEASE);
	return VPC_OK;
}

/* ds->base: the views' literal targets, group 0 from resolv.conf when
 * there are no upstreams at all, minus every target that is one of our
 * listeners; then the host names, and the effective groups. */
static int
dataset_groups(struct dataset *ds, const struct ds_known *known,
	       size_t n_known)
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
	if ((rc = dataset_hosts(ds, known, n_known)) != VPC_OK)
		return rc;
	return dataset_effective(ds);
}

/* The part of a load that may run off the loop thread: read and check
 * the configuration, load the zones, resolve host names, allocate. */
int
dataset_build(const struct daemon_options *opt, const struct ds_known *known,
	      size_t n_known, struct dataset **out, struct conf_errors *errs)
{
	struct dataset *ds = calloc(1, sizeof(*ds));
	struct host_adder ha = {ds, known, n_known};
	struct view_build_opts vo = {.resolve = daemon_resolve_host,
				     .lazy = true,
				     .endpoint_addrs = known_addrs,
				     .endpoint_arg = &ha};
	int rc = VPC_ENOMEM;

	if (ds == NULL)
		return VPC_ENOMEM;
	ds->refs = 1;
	if (opt->conf_text != NULL)
		rc = conf_load_string(&files_reader, opt->conf_text,
				      strlen(opt->conf_text), opt->conf_path,
				      &ds->conf, errs);
	else
		rc = conf_load_file(&files_reader, opt->conf_path, &ds->conf,
				    errs);
	if (rc == VPC_OK)
		rc = conf_override(ds->conf, &opt->overrides, errs);
	if (rc == VPC_OK)
		rc = view_set_build_opts(ds->conf, &vo, &ds->views, errs);
	if (rc == VPC_OK)
		rc = dataset_groups(ds, known, n_known);
	if (rc == VPC_OK) {
		ds->fwd_opt.timeout_ms = ds->conf->fwd_timeout_ms;
		ds->fwd_opt.tries = ds->conf->fwd_tries;
	}
	if (rc != VPC_OK) {
		dataset_free(ds);
		return rc;
	}
	*out = ds;
	return VPC_OK;
}

/* The part that needs the main loop: the query log writer and the
 * health checks (each worker makes its own forwarders). */
int
dataset_start(struct daemon *d, struct dataset *ds)
{
	int rc = VPC_OK;

	if (ds->conf->query_log &&
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

int
dataset_load(struct daemon *d, struct dataset **out)
{
	struct conf_errors errs = {0};
	struct dataset *ds = NULL;
	int rc = dataset_build(d->opt, NULL, 0, &ds, &errs);

	dataset_log_errors(&errs);
	conf_errors_cleanup(&errs);
	if (rc == VPC_OK && (rc = dataset_start(d, ds)) != VPC_OK)
		dataset_free(ds);
	if (rc == VPC_OK)
		*out = ds;
	return rc;
}

/* A data set whose last reference goes is freed by the reaper, a check
 * handle that runs after the loop's I/O phase (the reference may go
 * inside a callback of something the data set owns). */
void
dataset_ref(struct dataset *ds)
{
	__atomic_add_fetch(&ds->refs, 1, __ATOMIC_RELAXED);
}

void
dataset_unref(struct daemon *d, struct dataset *ds)
{
	if (__atomic_sub_fetch(&ds->refs, 1, __ATOMIC_ACQ_REL) == 0 &&
	    !d->stopping)
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
 * nobody uses any more is freed in a work thread, like a reload is
 * loaded; what belongs to the loop (health checks) goes first, here. */
static void
dataset_free_later(struct daemon *d, struct dataset *ds)
{
	struct free_work *fw = malloc(sizeof(*fw));

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

		if (__atomic_load_n(&ds->refs, __ATOMIC_ACQUIRE) > 0) {
			pp = &ds->next;
			continue;
		}
		*pp = ds->next;
		dataset_free_later(d, ds);
	}
	uv_check_stop(h);
}

/* The targets of @ds changed (a loop found, a host name resolved):
 * rebuild the effective groups; every worker moves to new forwarders
 * (queries in flight on the old ones are resent once on the new ones, or
 * get SERVFAIL); probe every target again under a new generation, since
 * the indexes of older probes no longer match. */
static void
dataset_refresh(struct daemon *d, struct dataset *ds)
{
	if (dataset_effective(ds) != VPC_OK) {
		log_err("daemon: cannot rebuild the forwarders; keeping the "
			"old ones");
		return;
	}
	for (unsigned i = 0; i < d->n_workers; i++)
		worker_poke(&d->workers[i]);
	ds->gen = ++d->probe_gen;
	if (ds == d->data && d->loopdet != NULL)
		dataset_probe(d);
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
	if (h->group != DS_HOST_ENDPOINT)
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
	/* The endpoint's records are zone data: build them anew. */
	if (h->group == DS_HOST_ENDPOINT) {
		if (ds == d->data)
			reload_rebuild(d, h->spec);
		return;
	}
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
void
dataset_host_tick(struct daemon *d)
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
		dataset_ref(ds);
		hostres_lookup(d->hostres, h->name, h->port, on_host, hq);
	}
}

static void
on_host_timer(uv_timer_t *t)
{
	struct daemon *d = t->data;

	if (d->data != NULL && !d->stopping)
		dataset_host_tick(d);
}

/* A reload keeps what the running set knew about the same host names, so
 * their names do not fail while they are looked up again. */
void
dataset_carry_hosts(struct dataset *ds, const struct dataset *old)
{
	for (size_t i = 0; i < ds->n_hosts; i++)
		for (size_t j = 0; j < old->n_hosts; j++) {
			const struct ds_host *o = &old->hosts[j];
			struct ds_host *h = &ds->hosts[i];

			/* An endpoint host is as its build saw it. */
			if (h->group == DS_HOST_ENDPOINT ||
			    o->group == DS_HOST_ENDPOINT ||
			    strcmp(h->spec, o->spec) != 0 || !o->resolved)
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
void
dataset_on_loop(struct daemon *d, const struct net_request *req, uint32_t gen,
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
	metrics_bump(&d->workers[0].metrics.upstream_loops, 1);
	dataset_refresh(d, ds);
}

/* Rare (a probe is a query of our own): a short lock is fine here. */
void
dataset_loop_seen(struct daemon *d, const struct net_request *req,
		  uint32_t gen, size_t g, size_t i)
{
	uv_mutex_lock(&d->seen_lock);
	if (d->n_seen < DAEMON_LOOP_SEEN_MAX)
		d->seen[d->n_seen++] = (struct loop_seen){
			.gen = gen, .group = g, .index = i,
			.listener = req->listener, .peer = req->peer};
	uv_mutex_unlock(&d->seen_lock);
	uv_async_send(&d->main_wake);
}

void
dataset_main_wake(uv_async_t *h)
{
	struct daemon *d = h->data;
	struct loop_seen seen[DAEMON_LOOP_SEEN_MAX];
	unsigned n;

	if (d->stopping)
		return;
	uv_check_start(&d->reaper, reap);
	reload_announce(d, false);
	uv_mutex_lock(&d->seen_lock);
	n = d->n_seen;
	memcpy(seen, d->seen, n * sizeof(*seen));
	d->n_seen = 0;
	uv_mutex_unlock(&d->seen_lock);
	for (unsigned k = 0; k < n; k++) {
		struct net_request req = {.listener = seen[k].listener,
					  .peer = seen[k].peer};

		dataset_on_loop(d, &req, seen[k].gen, seen[k].group,
				seen[k].index);
	}
}

/* Per forwarder group, the name probes go under: the rule's domain, or
 * the root for the default upstreams. */
void
dataset_probe(struct daemon *d)
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
		dataset_probe(d);
}

/* Host-name lookups every second (those that are due) and loop probes. */
void
dataset_start_timers(struct daemon *d)
{
	uv_timer_start(&d->host_timer, on_host_timer, DAEMON_HOST_TICK_MS,
		       DAEMON_HOST_TICK_MS);
	uv_timer_start(&d->probe_timer, on_probe_timer, DAEMON_PROBE_MS,
		       DAEMON_PROBE_MS);
}

void
dataset_log_started(const struct daemon *d)
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
		   "(%s%s%s) host-names=%zu workers=%u",
		   ds->conf->n_vpcs, ds->views->n_zones,
		   ds->n_groups > 0 ? ds->groups[0].n_addrs : 0,
		   ds->from_resolv ? "from " : "",
		   ds->from_resolv ? resolv_path() : "configured",
		   o > 0 || pending > 0
			   ? ""
			   : ", none left: forwarded names get SERVFAIL",
		   ds->n_hosts, d->n_workers);
	if (o > 0)
		log_notice("daemon: upstreams %s", up);
}

/* The resolver of host names asks resolv.conf's nameservers, except the
 * ones that are us. */
int
dataset_start_hostres(struct daemon *d)
{
	struct conf_sockaddr ns[CONF_RESOLV_MAX];
	struct view_group g = {.addrs = ns};
	const char *label = "system resolver (for host names)";

	/* Made even without host names: a reload may bring some. */
	g.n_addrs = read_resolv(ns);
	loopdet_filter(d->data->conf, &g, 1, &label);
	return hostres_new(&d->loop, ns, g.n_addrs, &d->hostres);
}
