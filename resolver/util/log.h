/*
 * resolver/util/log.h - leveled logging to stderr.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * The log_* macros test the level before evaluating their arguments, so a
 * disabled debug line costs one comparison.  Messages follow STYLE.md §5:
 * "module: what happened key=value", lower case, no trailing newline.
 * log_level and the sink are process-global and set once at startup
 * (main thread only).  The core writes "vpcdns[level]: message" lines to
 * stderr; the daemon installs a sink (log_set_sink()) that adds
 * timestamps or writes JSON, since the clock belongs to the edge.
 */
#ifndef RESOLVER_UTIL_LOG_H
#define RESOLVER_UTIL_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum log_level {
	LOG_LEVEL_ERR = 3,
	LOG_LEVEL_WARN = 4,
	LOG_LEVEL_NOTICE = 5,
	LOG_LEVEL_INFO = 6,
	LOG_LEVEL_DEBUG = 7,
};

/* Messages above this level are discarded; default LOG_LEVEL_NOTICE. */
extern enum log_level log_level;

/**
 * log_sink_fn - where formatted lines go instead of stderr.
 * @level: [in] syslog priority of the line.
 * @msg:   [in] the message, NUL-terminated, no newline; borrowed.
 */
typedef void (*log_sink_fn)(enum log_level level, const char *msg);

/**
 * log_set_sink() - send every later line to @sink (NULL: back to the
 * default stderr writer).  Call before other threads start.
 */
void log_set_sink(log_sink_fn sink);

/**
 * log_level_name() - "err", "warn", "notice", "info" or "debug".
 */
const char *log_level_name(enum log_level level);

/**
 * log_parse_level() - the level of a name as log_level_name() prints it
 * (also "error" and "warning").
 * Return: true with *@out set; false for an unknown name.
 */
bool log_parse_level(const char *name, enum log_level *out);

/**
 * log_write() - format and write one log line; use the macros instead.
 * @level: [in] syslog priority of the line.
 * @fmt:   [in] printf format.
 */
void log_write(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define LOG_AT(lvl, ...)                                                      \
	do {                                                                  \
		if ((lvl) <= log_level)                                       \
			log_write((lvl), __VA_ARGS__);                        \
	} while (0)
#define log_err(...) LOG_AT(LOG_LEVEL_ERR, __VA_ARGS__)
#define log_warn(...) LOG_AT(LOG_LEVEL_WARN, __VA_ARGS__)
#define log_notice(...) LOG_AT(LOG_LEVEL_NOTICE, __VA_ARGS__)
#define log_info(...) LOG_AT(LOG_LEVEL_INFO, __VA_ARGS__)
#define log_debug(...) LOG_AT(LOG_LEVEL_DEBUG, __VA_ARGS__)

/* Size of a buffer that holds any name printed by log_name(). */
#define LOG_NAME_MAX 1024

/**
 * log_name() - print a wire-format name as text for logs.
 * @name: [in] uncompressed wire name (labels, ending in the root label).
 * @len:  [in] bytes available at @name.
 * @out:  [out] buffer of LOG_NAME_MAX bytes; always NUL-terminated.
 *
 * Non-printable bytes, '.', '\\' and '"' inside labels are escaped as
 * \DDD, so attacker-controlled names cannot forge log lines.
 *
 * Return: @out.
 */
const char *log_name(const uint8_t *name, size_t len, char *out);

#endif /* RESOLVER_UTIL_LOG_H */
