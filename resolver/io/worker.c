/*
 * resolver/io/worker.c - the query loops (`workers:`), their threads, and
 * how a data set reaches them.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Owns struct worker's life (loop, wake-up handle, thread, stop) and
 * struct wdata, a worker's own state for one data set: the forwarders
 * (a c-ares channel drives one loop), the cache and the rate limiters.
 * The query path itself is io/daemon.c's.
 *
 * Hand-over, RCU-like: the main thread takes a reference for the worker
 * and swaps the data set into worker->incoming (an atomic exchange), then
 * wakes the worker; the worker builds its wdata on its own loop and
 * drops its reference on the old data set once the last query that
 * started on it has finished.  The reference count is the only shared
 * write, once per data set and worker; a query never touches it.  When a
 * data set's targets change (a host name resolved, a loop found) the
 * main thread publishes a new ds->groups array (an atomic store; the old
 * array stays until the data set is freed) and pokes every worker, which
 * moves to new forwarders as a reload does.
 */
#include "config.h"

#include "io/worker.h"

#include <stdlib.h>
#include <unistd.h>

#include <uv.h>

#include "engine/cache.h"
#include "engine/carry.h"
#include "engine/inflight.h"
#include "engine/ratelimit.h"
#include "io/daemon_internal.h"
#include "io/dataset.h"
#include "io/fwd.h"
#include "io/net.h"
#include "io/reload.h"
#include "util/err.h"
#include "util/log.h"

/* More threads than this would only contend for the same cores. */
#define WORKER_MAX 256

unsigned
worker_count(const struct conf *cf)
{
	long n;

	if (cf->workers > 0)
		return cf->workers;
	n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		return 1;
	return n > WORKER_MAX ? WORKER_MAX : (unsigned)n;
}

/* The worker's reference on @ds goes; the main thread frees a data set
 * nobody holds (its reaper), so another worker only wakes it. */
static void
release_dataset(struct worker *w, struct dataset *ds)
{
	if (w->index == 0) {
		dataset_unref(w->d, ds);
		return;
	}
	if (__atomic_sub_fetch(&ds->refs, 1, __ATOMIC_ACQ_REL) == 0 &&
	    !__atomic_load_n(&w->stop, __ATOMIC_ACQUIRE))
		uv_async_send(&w->d->main_wake);
}

static void
worker_data_free(struct worker *w, struct wdata *wd)
{
	fwd_free(wd->fwd);
	cache_free(wd->cache);
	inflight_free(wd->inflight);
	ratelimit_free(wd->aws_limit);
	ratelimit_free(wd->rrl);
	release_dataset(w, wd->ds);
	free(wd);
}

void
worker_data_unref(struct worker *w, struct wdata *wd)
{
	if (--wd->refs == 0)
		w->reap = true;
}

/* A forwarder cannot be freed from inside its own callback, so unused
 * wdata go here, after the loop's I/O phase. */
static void
reap(struct worker *w)
{
	struct wdata **pp = &w->live;

	w->reap = false;
	while (*pp != NULL) {
		struct wdata *wd = *pp;

		if (wd->refs > 0) {
			pp = &wd->next;
			continue;
		}
		*pp = wd->next;
		worker_data_free(w, wd);
	}
}

static struct wdata *
worker_data_new(struct worker *w, struct dataset *ds)
{
	const struct conf *cf = ds->conf;
	struct wdata *wd = calloc(1, sizeof(*wd));

	if (wd == NULL)
		return NULL;
	wd->ds = ds;
	wd->refs = 1;
	wd->groups = __atomic_load_n(&ds->groups, __ATOMIC_ACQUIRE);
	if (fwd_new(w->loop, wd->groups, ds->n_groups, &ds->fwd_opt,
		    &wd->fwd) != VPC_OK)
		goto fail;
	if ((wd->cache = cache_new_conf(cf)) == NULL ||
	    (wd->inflight = inflight_new()) == NULL)
		goto fail;
	if (cf->simulate_aws_limits &&
	    (wd->aws_limit = ratelimit_new(cf->aws_pps, RATELIMIT_AWS_V4_PREFIX,
					   RATELIMIT_AWS_V6_PREFIX,
					   cf->limit_sources)) == NULL)
		goto fail;
	if (cf->rrl_rate > 0 &&
	    (wd->rrl = ratelimit_new(cf->rrl_rate, RATELIMIT_RRL_V4_PREFIX,
				     RATELIMIT_RRL_V6_PREFIX,
				     cf->limit_sources)) == NULL)
		goto fail;
	return wd;
fail:
	fwd_free(wd->fwd);
	cache_free(wd->cache);
	inflight_free(wd->inflight);
	ratelimit_free(wd->aws_limit);
	free(wd);
	return NULL;
}

/*
 * The cache survives a reload (engine/carry.h): this worker's moves to
 * the new wdata, renumbered to the new forwarder groups, without the
 * entries of groups that are gone and of names the new data answers
 * otherwise, under the new `cache:` bounds.  Queries still in flight on
 * the old data then store nothing.  The counts add up in the data set,
 * which the main thread logs once every worker has taken it.
 */
static void
carry(struct worker *w, struct wdata *old, struct wdata *wd)
{
	struct dataset *ds = wd->ds;
	struct cache_options o;
	struct carry_stats st;

	if (old->cache == NULL)
		return;
	if (carry_cache(old->cache, old->ds->views, ds->views, &st) != VPC_OK) {
		log_warn("daemon: reload: worker %u: out of memory carrying "
			 "the cache over; it starts empty",
			 w->index);
		return;
	}
	cache_options_conf(ds->conf, &o);
	cache_set_options(old->cache, &o);
	cache_free(wd->cache);
	wd->cache = old->cache;
	old->cache = NULL;
	__atomic_add_fetch(&ds->carry.kept, st.kept, __ATOMIC_RELAXED);
	__atomic_add_fetch(&ds->carry.regrouped, st.regrouped,
			   __ATOMIC_RELAXED);
	__atomic_add_fetch(&ds->carry.gone, st.gone, __ATOMIC_RELAXED);
	__atomic_add_fetch(&ds->carry.local, st.local, __ATOMIC_RELAXED);
	__atomic_store_n(&ds->carried, true, __ATOMIC_RELEASE);
}

/* One more worker has taken @ds (or given up on it); the last one tells
 * the main thread. */
static void
adopted(struct worker *w, struct dataset *ds)
{
	struct daemon *d = w->d;

	if (__atomic_add_fetch(&ds->adopted, 1, __ATOMIC_ACQ_REL) <
	    d->n_workers)
		return;
	if (w->index == 0)
		reload_announce(d, false);
	else if (!__atomic_load_n(&w->stop, __ATOMIC_ACQUIRE))
		uv_async_send(&d->main_wake);
}

int
worker_adopt(struct worker *w, struct dataset *ds)
{
	struct wdata *wd, *old = w->data;

	if (w->stopping || (wd = worker_data_new(w, ds)) == NULL) {
		if (!w->stopping)
			log_err("daemon: worker %u cannot take the new "
				"configuration (out of memory); it keeps the "
				"old one",
				w->index);
		adopted(w, ds);
		release_dataset(w, ds);
		return VPC_ENOMEM;
	}
	if (old != NULL)
		carry(w, old, wd);
	adopted(w, ds);
	wd->next = w->live;
	w->live = wd;
	w->data = wd;
	if (old != NULL)
		worker_data_unref(w, old);
	return VPC_OK;
}

/* The targets of a data set changed: new forwarders; queries in flight
 * on the old ones are resent once on the new ones (on_upstream). */
static void
refresh(struct worker *w, struct wdata *wd)
{
	const struct view_group *g =
		__atomic_load_n(&wd->ds->groups, __ATOMIC_ACQUIRE);
	struct fwd *nf = NULL, *old;

	if (g == wd->groups || wd->fwd == NULL)
		return;
	if (fwd_new(w->loop, g, wd->ds->n_groups, &wd->ds->fwd_opt, &nf) !=
	    VPC_OK) {
		log_err("daemon: worker %u cannot rebuild its forwarders; "
			"keeping the old ones",
			w->index);
		return;
	}
	old = wd->fwd;
	wd->fwd = nf;
	wd->groups = g;
	fwd_free(old);
}

static void
close_handle(uv_handle_t *h)
{
	if (!uv_is_closing(h))
		uv_close(h, NULL);
}

/* Forwarded queries get SERVFAIL before the sockets go; the loop ends
 * once the handles have closed. */
static void
stopping(struct worker *w)
{
	if (w->stopping)
		return;
	w->stopping = true;
	for (struct wdata *wd = w->live; wd != NULL; wd = wd->next) {
		fwd_free(wd->fwd);
		wd->fwd = NULL;
	}
	net_close(w->net);
	w->net = NULL;
	close_handle((uv_handle_t *)&w->wake);
	close_handle((uv_handle_t *)&w->after_io);
}

static void
on_wake(uv_async_t *h)
{
	struct worker *w = h->data;
	struct dataset *ds;

	if (__atomic_load_n(&w->stop, __ATOMIC_ACQUIRE)) {
		stopping(w);
		return;
	}
	if ((ds = __atomic_exchange_n(&w->incoming, NULL, __ATOMIC_ACQ_REL)) !=
	    NULL)
		worker_adopt(w, ds);
	for (struct wdata *wd = w->live; wd != NULL; wd = wd->next)
		refresh(w, wd);
}

static void
store(uint64_t *dst, uint64_t v)
{
	__atomic_store_n(dst, v, __ATOMIC_RELAXED);
}

/* After each loop iteration: what the metrics page shows of this
 * worker's own structures, and the wdata nobody uses any more. */
static void
after_io(uv_check_t *h)
{
	struct worker *w = h->data;
	struct cache_stats cs;
	uint64_t hits = 0, misses = 0, rrl = 0, prefetches = 0, coalesced = 0;
	struct inflight_stats is;

	for (struct wdata *wd = w->live; wd != NULL; wd = wd->next) {
		/* A reload moves the cache on (carry()), with its
		 * counters. */
		if (wd->cache != NULL) {
			cache_get_stats(wd->cache, &cs);
			hits += cs.hits;
			misses += cs.misses;
			prefetches += cs.prefetches;
		}
		if (wd->inflight != NULL) {
			inflight_get_stats(wd->inflight, &is);
			coalesced += is.coalesced;
		}
		if (wd->rrl != NULL)
			rrl += ratelimit_limited(wd->rrl);
	}
	store(&w->stats.cache_hits, hits);
	store(&w->stats.cache_misses, misses);
	store(&w->stats.rrl_limited, rrl);
	store(&w->stats.cache_prefetches, prefetches);
	store(&w->stats.coalesced, coalesced);
	if (w->data != NULL && w->data->cache != NULL) {
		cache_get_stats(w->data->cache, &cs);
		store(&w->stats.cache_entries, cs.entries);
	}
	if (w->net != NULL) {
		store(&w->stats.tcp_rejected, net_tcp_rejected(w->net));
		store(&w->stats.tcp_evicted, net_tcp_evicted(w->net));
	}
	if (w->reap)
		reap(w);
}

int
worker_init(struct daemon *d, struct worker *w, unsigned index)
{
	w->d = d;
	w->index = index;
	w->loop = &d->loop;
	w->random = uv_hrtime() ^ ((uint64_t)getpid() << 32) ^
		    ((uint64_t)index * 0x9e3779b97f4a7c15ull);
	if (index > 0) {
		if (uv_loop_init(&w->own) != 0)
			return VPC_EIO;
		w->loop = &w->own;
	}
	uv_async_init(w->loop, &w->wake, on_wake);
	w->wake.data = w;
	uv_check_init(w->loop, &w->after_io);
	w->after_io.data = w;
	uv_check_start(&w->after_io, after_io);
	return VPC_OK;
}

void
worker_post(struct worker *w, struct dataset *ds)
{
	struct dataset *old;

	dataset_ref(ds);
	old = __atomic_exchange_n(&w->incoming, ds, __ATOMIC_ACQ_REL);
	if (old != NULL)
		dataset_unref(w->d, old);
	uv_async_send(&w->wake);
}

void
worker_poke(struct worker *w)
{
	uv_async_send(&w->wake);
}

static void
worker_main(void *arg)
{
	struct worker *w = arg;

	uv_run(w->loop, UV_RUN_DEFAULT);
}

int
worker_start(struct worker *w)
{
	if (uv_thread_create(&w->thread, worker_main, w) != 0) {
		log_err("daemon: cannot start worker %u", w->index);
		return VPC_EIO;
	}
	w->threaded = true;
	return VPC_OK;
}

void
worker_stop(struct worker *w)
{
	if (w->index == 0) {
		stopping(w);
		return;
	}
	__atomic_store_n(&w->stop, 1, __ATOMIC_RELEASE);
	if (!w->threaded) {
		/* Never ran: close what worker_init() opened. */
		stopping(w);
		uv_run(w->loop, UV_RUN_DEFAULT);
		return;
	}
	uv_async_send(&w->wake);
	uv_thread_join(&w->thread);
	w->threaded = false;
}

void
worker_cleanup(struct worker *w)
{
	struct dataset *ds;

	while (w->live != NULL) {
		struct wdata *wd = w->live;

		w->live = wd->next;
		worker_data_free(w, wd);
	}
	w->data = NULL;
	if ((ds = __atomic_exchange_n(&w->incoming, NULL, __ATOMIC_ACQ_REL)) !=
	    NULL)
		release_dataset(w, ds);
	if (w->index > 0)
		uv_loop_close(&w->own);
	free(w->spare);
	w->spare = NULL;
}
