/*
 * resolver/util/log.h - leveled logging to stderr.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * The log_* macros test the level before evaluating their arguments, so a
 * disabled debug line costs one comparison.  Messages follow STYLE.md §5:
 * "module: what happened key=value", lower case, no trailing newline.
 * log_level is process-global and set once at startup (main thread only).
 */
#ifndef RESOLVER_UTIL_LOG_H
#define RESOLVER_UTIL_LOG_H

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
