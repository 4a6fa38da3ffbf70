/*
 * resolver/io/daemon_internal.h - the daemon's state, shared by
 * io/daemon.c (query path, lifecycle), io/dataset.c and io/reload.c.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Everything here belongs to the loop thread.
 */
#ifndef RESOLVER_IO_DAEMON_INTERNAL_H
#define RESOLVER_IO_DAEMON_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uv.h>

#include "conf/conf.h"
#include "dns/msg.h"
#include "engine/answer.h"
#include "engine/metrics.h"

struct daemon_options;
struct dataset;
struct ds_known;
struct hostres;
struct loopdet;
struct net;
struct net_metrics;
struct net_request;
struct watch;

struct pending {
	struct answer_job job;    /* must stay first: spare jobs are these */
	uint64_t sent_ms;         /* when it went upstream */
	unsigned resent;          /* resends after connection errors */
	struct daemon *d;
	struct dataset *data;
	struct net_request *req;  /* NULL: a prefetch, answering nobody */
	struct inflight_entry *lead; /* identical queries wait on this one */
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
	struct ds_known *reload_known; /* the worker's endpoint host
				     addresses (owned, n_reload_known) */
	size_t n_reload_known;
	struct conf_errors reload_errs;
	struct net_metrics *metrics_http; /* NULL when metrics are off */
	struct metrics metrics;
	uint64_t random;          /* state of the per-query random bits */
	uint8_t out[MSG_TCP_MAX]; /* response buffer, loop thread only */
};

#endif /* RESOLVER_IO_DAEMON_INTERNAL_H */
