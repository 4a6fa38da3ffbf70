/*
 * resolver/io/daemon.h - the running daemon: data sets, reload, query flow.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * daemon_run() owns the libuv loop, the listeners (net_), the forwarders
 * (fwd_), the cache and the current data set (configuration + views).
 * A data set is reference-counted: every forwarded query holds one, so a
 * reload swaps the pointer and in-flight queries finish on the old data.
 */
#ifndef RESOLVER_IO_DAEMON_H
#define RESOLVER_IO_DAEMON_H

/* Process exit codes (SPEC Part 2). */
enum daemon_exit {
	DAEMON_EXIT_OK = 0,
	DAEMON_EXIT_CONFIG = 1,
	DAEMON_EXIT_USAGE = 2,
	DAEMON_EXIT_RUNTIME = 3,
};

#include <stddef.h>
#include <stdint.h>

#include "conf/conf_override.h"

struct conf_sockaddr;

/* How to run: where the configuration comes from and what replaces it. */
struct daemon_options {
	const char *conf_path;    /* the file, or the name of conf_text */
	const char *conf_text;    /* configuration text, NULL: read the file;
				     borrowed for the daemon's life */
	struct conf_overrides overrides; /* --listen, --upstream */
	const char *user;         /* --user: switch to it after binding,
				     NULL: stay */
};

/**
 * daemon_resolve_host() - getaddrinfo() for host-name forward targets
 * (a view_resolve_fn); blocks, so it runs only while a configuration is
 * loaded.
 * Return: addresses written to @out (at most @max), 0 when none.
 */
size_t daemon_resolve_host(const char *host, uint16_t port,
			   struct conf_sockaddr *out, size_t max);

/**
 * daemon_run() - load the configuration, bind, and serve until
 * SIGTERM/SIGINT.  SIGHUP reloads; a bad configuration on reload is
 * logged and the old one stays.
 * @conf_path: [in] the file to read, or the name of @conf_text in
 *             messages.
 * @conf_text: [in] configuration text (the quick start), or NULL to read
 *             @conf_path; borrowed for the daemon's life.
 * Return: an enum daemon_exit value.
 */
int daemon_run(const char *conf_path, const char *conf_text);

/**
 * daemon_run_options() - daemon_run() with every option; also tells a
 * service manager (NOTIFY_SOCKET) READY=1 once serving, RELOADING=1 and
 * READY=1 around a reload, STOPPING=1 on the way out.
 * @opt: [in] borrowed for the daemon's life.
 * Return: an enum daemon_exit value.
 */
int daemon_run_options(const struct daemon_options *opt);

#endif /* RESOLVER_IO_DAEMON_H */
