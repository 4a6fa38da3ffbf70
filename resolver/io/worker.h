/*
 * resolver/io/worker.h - the query loops: one per worker, each with its
 * own sockets, forwarders, cache and rate limiters.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Internal to the daemon.  Worker 0 runs on the daemon's loop (the main
 * thread); the others on a loop each, in a thread each.  They share the
 * data set read-only: the main thread hands a new one to a worker with
 * worker_post() (an atomic exchange and a wake-up), and the worker makes
 * its own forwarders and cache for it on its loop (struct wdata).  The
 * data set's reference count is atomic; nothing on the query path takes
 * a lock.
 */
#ifndef RESOLVER_IO_WORKER_H
#define RESOLVER_IO_WORKER_H

struct conf;
struct daemon;
struct dataset;
struct wdata;
struct worker;

/**
 * worker_count() - how many workers @cf asks for: `workers:`, or the
 * number of online CPUs when it is 0.
 */
unsigned worker_count(const struct conf *cf);

/**
 * worker_init() - the loop (workers 1..) and the handles of worker
 * @index of @d; main thread, before the worker starts.
 * Return: VPC_OK or VPC_EIO.
 */
int worker_init(struct daemon *d, struct worker *w, unsigned index);

/**
 * worker_adopt() - make @ds the worker's current data set: its own
 * forwarders, cache and limiters; the previous one goes when its last
 * forwarded query has finished.  Runs on the worker's thread, or on the
 * main thread before the worker's thread starts.
 * @ds: [in] takes one reference, released on every path.
 * Return: VPC_OK, or an error (logged; the worker keeps the old data).
 */
int worker_adopt(struct worker *w, struct dataset *ds);

/**
 * worker_post() - main thread: hand @ds to the worker (it takes its own
 * reference); a data set posted earlier and not yet taken is dropped.
 */
void worker_post(struct worker *w, struct dataset *ds);

/** worker_poke() - main thread: a data set's targets changed. */
void worker_poke(struct worker *w);

/**
 * worker_start() - run worker @w (index > 0) in a thread of its own.
 * Return: VPC_OK or VPC_EIO.
 */
int worker_start(struct worker *w);

/**
 * worker_stop() - main thread: stop worker @w, close its sockets (its
 * forwarded queries get SERVFAIL first), and for a threaded worker wait
 * for its thread to end.
 */
void worker_stop(struct worker *w);

/**
 * worker_cleanup() - after the worker's loop has ended: free its data
 * and, for workers 1.., close its loop.
 */
void worker_cleanup(struct worker *w);

/** worker_data_unref() - drop a reference; at 0 it is freed after I/O. */
void worker_data_unref(struct worker *w, struct wdata *wd);

#endif /* RESOLVER_IO_WORKER_H */
