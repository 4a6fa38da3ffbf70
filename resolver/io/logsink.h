/*
 * resolver/io/logsink.h - log lines with timestamps, as text or JSON.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * The core's log_ module formats messages; this edge module (which may
 * read the clock) gives each line its time and writes it to stderr, as
 * "2026-12-03T09:17:14.123Z vpcdns[notice]: message" or as one JSON
 * object a line.  Installed once at start-up by the command line.
 */
#ifndef RESOLVER_IO_LOGSINK_H
#define RESOLVER_IO_LOGSINK_H

#include <stdbool.h>

enum logsink_format {
	LOGSINK_TEXT, /* timestamp, vpcdns[level]: message */
	LOGSINK_JSON, /* {"time":...,"level":...,"message":...} */
};

/**
 * logsink_parse_format() - "text" or "json".
 * Return: true with *@out set; false for another name.
 */
bool logsink_parse_format(const char *name, enum logsink_format *out);

/** logsink_install() - route every later log line through this module. */
void logsink_install(enum logsink_format fmt);

#endif /* RESOLVER_IO_LOGSINK_H */
