/*
 * resolver/io/dataset.h - the daemon's data sets: build, start, free, and
 * the forwarding targets they learn about while running.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Internal to the daemon (io/daemon.c, io/reload.c).  A data set is one
 * loaded configuration and everything built from it: views and zones,
 * the forwarder groups (literal targets, resolv.conf, resolved host
 * names, minus loops), the query log writer and the health checks; each
 * query loop (io/worker.c) adds its own forwarders, cache and rate
 * limiters.  dataset_build() may run in a libuv work thread; everything
 * else here runs on the main thread.  A data set is reference-counted
 * (struct dataset.refs, atomic): the main thread's current one, each
 * worker's and each host-name lookup hold one; the last dataset_unref()
 * hands it to the reaper, which frees it in a work thread.
 */
#ifndef RESOLVER_IO_DATASET_H
#define RESOLVER_IO_DATASET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uv.h>

#include "conf/conf.h"
#include "engine/carry.h"
#include "io/fwd.h"
#include "io/hostres.h"

struct cache;
struct conf_errors;
struct daemon;
struct daemon_options;
struct health;
struct net_qlog;
struct net_request;
struct ratelimit;
struct view_group;
struct view_set;

/* A host-name target (forward rule, upstream, or an endpoint's address:
 * group DS_HOST_ENDPOINT), resolved lazily. */
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

/* ds_host.group of an endpoint's address given as a host name (a subnet
 * `ipv4: localstack`): no forwarder group; a change of its addresses
 * rebuilds the data set (reload_rebuild()). */
#define DS_HOST_ENDPOINT SIZE_MAX

/* What an endpoint host name resolved to, handed to dataset_build() (a
 * copy: the build may run in a worker while the loop keeps resolving). */
struct ds_known {
	char name[256];
	struct conf_sockaddr addrs[HOSTRES_MAX_ADDRS];
	size_t n_addrs;
};

/* A ds->groups array a refresh replaced: a worker may still be reading
 * it, so it stays until the data set is freed. */
struct ds_retired {
	struct view_group *groups;
	struct ds_retired *next;
};

struct dataset {
	unsigned refs;            /* atomic: the main thread's, each worker's
				     (struct wdata), host-name lookups */
	uint32_t gen;             /* loop probe generation (loopdet_) */
	struct conf *conf;
	struct view_set *views;
	struct view_group *base;  /* owned: the views' literal targets, group
				     0 from resolv.conf when there are no
				     upstreams, minus our own listeners */
	struct view_group *groups; /* owned: what the forwarders use: base
				     plus resolved host names, minus the
				     loops found at run time; immutable
				     once published (atomic pointer, the
				     workers read it) */
	struct ds_retired *retired; /* older groups arrays, owned */
	size_t n_groups;
	struct ds_host *hosts;    /* owned, n_hosts */
	size_t n_hosts;
	struct conf_sockaddr *looped; /* targets the probe found, owned */
	size_t n_looped;
	bool from_resolv;         /* group 0 came from resolv.conf */
	struct fwd_options fwd_opt; /* from conf, for each worker's fwd_new() */
	struct net_qlog *qlog;    /* query log writer, NULL when off (its
				     queue takes a mutex: every worker
				     writes to it) */
	struct health *health;    /* tcp/http health checks, NULL if none */
	unsigned adopted;         /* atomic: workers that took it */
	bool carried;             /* atomic: a worker carried its cache */
	struct carry_stats carry; /* atomic members: their sums */
	struct dataset *next;     /* every live data set, newest first */
};

/** dataset_log_errors() - log every `file:line: message` of @errs. */
void dataset_log_errors(const struct conf_errors *errs);

/**
 * dataset_build() - the part of a load that may run off the loop thread:
 * read and check the configuration, load the zones, allocate.
 * @opt:  [in] where the configuration comes from; borrowed.
 * @known: [in] the addresses endpoint host names have (dataset_known()),
 *        @n_known of them; the others make their names SERVFAIL.
 * @out:  [out] the new data set (one reference), on success only.
 * @errs: [out] configuration errors, for the caller to log and clean up.
 * Return: VPC_OK, VPC_ENOMEM, or the load's error.
 */
int dataset_build(const struct daemon_options *opt,
		  const struct ds_known *known, size_t n_known,
		  struct dataset **out, struct conf_errors *errs);

/**
 * dataset_known() - copy what the endpoint host names of @ds resolved to,
 * for the next dataset_build().
 * @out: [out] owned array (NULL when none), *@n entries.
 * Return: VPC_OK or VPC_ENOMEM.
 */
int dataset_known(const struct dataset *ds, struct ds_known **out,
		  size_t *n);

/**
 * dataset_start() - the part that needs the main loop: the query log
 * writer, health checks; hands out a new loop-probe generation.
 * Return: VPC_OK or an error.
 */
int dataset_start(struct daemon *d, struct dataset *ds);

/**
 * dataset_load() - dataset_build() and dataset_start(), errors logged.
 * @out: [out] the started data set, on success only.
 */
int dataset_load(struct daemon *d, struct dataset **out);

/** dataset_free() - free @ds at once (NULL-safe). */
void dataset_free(struct dataset *ds);

/** dataset_ref() - one more reference (any thread that holds one). */
void dataset_ref(struct dataset *ds);

/**
 * dataset_unref() - main thread: drop one reference; at zero the reaper
 * frees @ds (off the loop thread) after this loop iteration.
 */
void dataset_unref(struct daemon *d, struct dataset *ds);

/**
 * dataset_main_wake() - the main thread's wake-up from the workers: a
 * data set lost its last reference, or a worker saw a loop probe.
 */
void dataset_main_wake(uv_async_t *h);

/**
 * dataset_loop_seen() - a worker saw our loop probe: dataset_on_loop()
 * on the main thread (worker 0 calls it directly).
 */
void dataset_loop_seen(struct daemon *d, const struct net_request *req,
		       uint32_t gen, size_t g, size_t i);

/**
 * dataset_effective() - ds->groups from ds->base, the resolved host
 * names and the loops found.
 * Return: VPC_OK or VPC_ENOMEM (ds->groups unchanged).
 */
int dataset_effective(struct dataset *ds);

/**
 * dataset_carry_hosts() - a reload keeps what @old knew about the same
 * host names, so their names do not fail while looked up again.
 */
void dataset_carry_hosts(struct dataset *ds, const struct dataset *old);

/** dataset_host_tick() - start the host-name lookups that are due. */
void dataset_host_tick(struct daemon *d);

/** dataset_probe() - send loop probes to every target of d->data. */
void dataset_probe(struct daemon *d);

/**
 * dataset_on_loop() - our probe (generation @gen, group @g, target @i)
 * arrived on listener req->listener: drop that target.
 */
void dataset_on_loop(struct daemon *d, const struct net_request *req,
		     uint32_t gen, size_t g, size_t i);

/** dataset_start_timers() - host-name lookups and periodic loop probes. */
void dataset_start_timers(struct daemon *d);

/**
 * dataset_start_hostres() - the resolver of host names (resolv.conf's
 * nameservers minus our own listeners).
 * Return: VPC_OK or an error.
 */
int dataset_start_hostres(struct daemon *d);

/** dataset_log_started() - the start-up line: counts and upstreams. */
void dataset_log_started(const struct daemon *d);

#endif /* RESOLVER_IO_DATASET_H */
