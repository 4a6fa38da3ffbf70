/*
 * resolver/io/daemon_internal.h - the daemon's state, shared by
 * io/daemon.c (query path, lifecycle), io/dataset.c and io/reload.c.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * The daemon's members belong to the main thread (worker 0's loop) but
 * for the ones marked "atomic" and the ones a comment names.
 */
#ifndef RESOLVER_IO_DAEMON_INTERNAL_H
#define RESOLVER_IO_DAEMON_INTERNAL_H

#include <sys/socket.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uv.h>

#include "conf/conf.h"
#include "dns/msg.h"
#include "engine/answer.h"
#include "engine/metrics.h"
#include "engine/qlog.h"

struct daemon_options;
struct cache;
struct dataset;
struct ds_known;
struct fwd;
struct hostres;
struct inflight;
struct inflight_entry;
struct loopdet;
struct net;
struct net_metrics;
struct net_request;
struct ratelimit;
struct view_group;
struct watch;

/*
 * A worker's own state for one data set: the forwarders on its loop (a
 * c-ares channel belongs to one loop), its cache and its rate limiters.
 * Made by the worker when it takes the data set; it holds one reference
 * on the data set.  Only its worker touches it.
 */
struct wdata {
	struct dataset *ds;       /* one reference, released when freed */
	unsigned refs;            /* 1 while current, + forwarded queries */
	struct fwd *fwd;          /* NULL once stopping */
	const struct view_group *groups; /* ds->groups fwd was built from */
	struct cache *cache;      /* this worker's answers; NULL once a
				     reload carried it to the next wdata */
	struct inflight *inflight; /* its forwarded queries, for coalescing */
	struct ratelimit *aws_limit; /* simulate-aws-limits, NULL when off */
	struct ratelimit *rrl;    /* large answers to non-local sources */
	struct wdata *next;       /* the worker's live list, newest first */
};

struct pending {
	struct answer_job job;    /* must stay first: spare jobs are these */
	uint64_t sent_ms;         /* when it went upstream */
	unsigned resent;          /* resends after connection errors */
	struct worker *w;
	struct wdata *data;
	struct net_request *req;  /* NULL: a prefetch, answering nobody */
	struct inflight_entry *lead; /* identical queries wait on this one */
	bool counted;             /* went upstream: in d->fwd_inflight */
};

/* What a worker publishes after each loop iteration for the metrics page
 * (its cache and sockets are its own; relaxed stores, see metrics_bump). */
struct worker_stats {
	uint64_t cache_hits, cache_misses, cache_entries;
	uint64_t tcp_rejected, tcp_evicted;
	uint64_t rrl_limited;
	uint64_t cache_prefetches, coalesced;
};

/*
 * One query loop.  Worker 0 runs on the daemon's own loop (the main
 * thread, which also does reloads, watching, host names, loop probes,
 * health checks, DoH and the metrics listener); workers 1.. run a loop
 * each in a thread of their own.  Everything here but the members marked
 * "atomic" belongs to the worker's thread.
 */
struct worker {
	struct daemon *d;
	unsigned index;
	uv_loop_t *loop;          /* &d->loop for worker 0, else &own */
	uv_loop_t own;
	uv_thread_t thread;
	bool threaded;            /* thread started (workers 1..) */
	uv_async_t wake;          /* main -> worker: data set, targets, stop */
	uv_check_t after_io;      /* publishes stats, frees unused wdata */
	struct net *net;
	struct wdata *data;       /* current, NULL before the first */
	struct wdata *live;       /* current and older, still referenced */
	struct dataset *incoming; /* atomic: posted by worker_post() */
	int stop;                 /* atomic: main asked the worker to stop */
	bool stopping;            /* the worker is stopping */
	bool reap;                /* some wdata lost its last reference */
	struct pending *spare;
	struct metrics metrics;   /* written by this worker only */
	struct worker_stats stats; /* ditto */
	uint64_t random;          /* state of the per-query random bits */
	char line[QLOG_LINE_MAX]; /* query log line */
	uint8_t out[MSG_TCP_MAX]; /* response buffer */
};

/* A loop probe seen by a worker other than 0, for the main thread. */
struct loop_seen {
	uint32_t gen;
	size_t group, index, listener;
	struct sockaddr_storage peer;
};

#define DAEMON_LOOP_SEEN_MAX 8

struct daemon {
	uv_loop_t loop;
	const struct daemon_options *opt;
	struct dataset *data;     /* NULL until the first load is done */
	struct worker *workers;   /* n_workers; [0] runs on loop */
	unsigned n_workers;
	uv_signal_t sig_hup, sig_term, sig_int, sig_usr1;
	uv_check_t reaper;        /* frees data sets nobody uses */
	uv_async_t main_wake;     /* workers -> main: data set released,
				     loop probe seen */
	uv_mutex_t seen_lock;     /* guards seen, n_seen (probes only) */
	struct loop_seen seen[DAEMON_LOOP_SEEN_MAX];
	unsigned n_seen;
	uint64_t fwd_inflight;    /* atomic: forwarded queries, all workers */
	uv_timer_t probe_timer;   /* loop probes, every DAEMON_PROBE_MS */
	uv_timer_t host_timer;    /* host-name lookups that are due */
	struct hostres *hostres;  /* their resolver */
	struct watch *watch;      /* watch: true; NULL otherwise */
	struct loopdet *loopdet;  /* read by every worker (its token) */
	uint32_t probe_gen;       /* last generation handed out */
	struct dataset *live;     /* current and older, still referenced */
	bool stopping;
	bool reloading;           /* a reload worker is running */
	bool reload_again;        /* SIGHUP during that reload */
	uv_work_t reload_req;
	struct dataset *reload_ds; /* the worker's result, or NULL */
	struct dataset *reload_old; /* what the last reload replaced, until
				     every worker has moved on (a
				     reference), or NULL */
	struct ds_known *reload_known; /* the worker's endpoint host
				     addresses (owned, n_reload_known) */
	size_t n_reload_known;
	struct conf_errors reload_errs;
	struct net_metrics *metrics_http; /* NULL when metrics are off */
};

#endif /* RESOLVER_IO_DAEMON_INTERNAL_H */
