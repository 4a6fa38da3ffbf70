/*
 * resolver/io/reload.h - reloading the configuration: SIGHUP and watch.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Internal to the daemon.  A reload builds the new data set in a libuv
 * worker thread, then starts it and swaps it in on the loop thread; the
 * old one stays referenced by the queries still in flight on it.
 */
#ifndef RESOLVER_IO_RELOAD_H
#define RESOLVER_IO_RELOAD_H

#include <stdbool.h>

struct daemon;

/**
 * reload_start() - start a reload (SIGHUP, a watched file changed); one
 * requested while another runs starts after it.  Loop thread only.
 */
void reload_start(struct daemon *d);

/**
 * reload_rebuild() - build the data set again because endpoint host name
 * @host resolved to other addresses: a reload without RELOADING=1 (the
 * configuration is read again, as on SIGHUP: vpcdns keeps no copy of its
 * files), coalesced with any reload already running.  Loop thread only.
 */
void reload_rebuild(struct daemon *d, const char *host);

/**
 * reload_announce() - main thread: when every worker has taken the data
 * set of the last reload (or at once when @all), log what the reload did
 * and release the data set it replaced.
 */
void reload_announce(struct daemon *d, bool all);

/**
 * reload_watch_files() - watch: true: (re)watch the files of the running
 * configuration; stops watching when the option is off.
 */
void reload_watch_files(struct daemon *d);

#endif /* RESOLVER_IO_RELOAD_H */
