/*
 * resolver/io/watch.h - reload when a configuration file changes.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * `watch: true`: the configuration file, every zone file and every
 * domains-file are watched through libuv fs events (inotify), on their
 * directories rather than the files themselves, so that an editor's or a
 * config-management tool's write-then-rename is seen too.  Events are
 * debounced: the callback runs once the files have been quiet for
 * WATCH_DEBOUNCE_MS, so a `git pull` touching twenty zone files gives one
 * reload.  Loop thread only.
 */
#ifndef RESOLVER_IO_WATCH_H
#define RESOLVER_IO_WATCH_H

#include <stddef.h>

#include <uv.h>

#define WATCH_DEBOUNCE_MS 500

struct watch;

/* The files changed; @file is one of them (borrowed for the call). */
typedef void (*watch_cb)(void *arg, const char *file);

/**
 * watch_new() - watch @paths (absolute or relative file names; copied).
 * A path ending in '/' is a directory: a change to any file in it counts
 * (new include: snippets).
 * A directory that cannot be watched is logged and skipped.
 * Return: VPC_OK with *@out; VPC_ENOMEM.
 */
int watch_new(uv_loop_t *loop, const char *const *paths, size_t n,
	      watch_cb cb, void *arg, struct watch **out);

/** watch_free() - stop; memory goes with the close callbacks.  NULL is a
 * no-op. */
void watch_free(struct watch *w);

#endif /* RESOLVER_IO_WATCH_H */
