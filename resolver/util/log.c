/*
 * resolver/util/log.c - leveled logging to stderr.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Writes one line per call to stderr with a level tag, or hands it to the
 * sink the daemon installed.  Each line is one stdio call, so lines of
 * different threads (a reload worker) never interleave.
 */
#include "config.h"

#include "util/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

enum log_level log_level = LOG_LEVEL_NOTICE;

static const char *const level_names[] = {
	[LOG_LEVEL_ERR] = "err",       [LOG_LEVEL_WARN] = "warn",
	[LOG_LEVEL_NOTICE] = "notice", [LOG_LEVEL_INFO] = "info",
	[LOG_LEVEL_DEBUG] = "debug",
};

static log_sink_fn log_sink;

void
log_set_sink(log_sink_fn sink)
{
	log_sink = sink;
}

const char *
log_level_name(enum log_level level)
{
	if (level < LOG_LEVEL_ERR || level > LOG_LEVEL_DEBUG)
		return "debug";
	return level_names[level];
}

bool
log_parse_level(const char *name, enum log_level *out)
{
	for (int l = LOG_LEVEL_ERR; l <= LOG_LEVEL_DEBUG; l++)
		if (strcmp(name, level_names[l]) == 0) {
			*out = (enum log_level)l;
			return true;
		}
	if (strcmp(name, "error") == 0 || strcmp(name, "warning") == 0) {
		*out = name[0] == 'e' ? LOG_LEVEL_ERR : LOG_LEVEL_WARN;
		return true;
	}
	return false;
}

void
log_write(enum log_level level, const char *fmt, ...)
{
	char line[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (log_sink != NULL)
		log_sink(level, line);
	else
		fprintf(stderr, "vpcdns[%s]: %s\n", log_level_name(level),
			line);
}

const char *
log_name(const uint8_t *name, size_t len, char *out)
{
	size_t pos = 0, o = 0;

	if (len == 0 || name[0] == 0) {
		out[0] = '.';
		out[1] = '\0';
		return out;
	}
	while (pos < len && name[pos] != 0 && o + 8 < LOG_NAME_MAX) {
		size_t lab = name[pos++];

		for (size_t i = 0; i < lab && pos < len && o + 8 < LOG_NAME_MAX;
		     i++, pos++) {
			uint8_t c = name[pos];

			if (c > 0x20 && c < 0x7f && c != '.' && c != '\\' &&
			    c != '"')
				out[o++] = (char)c;
			else
				o += (size_t)snprintf(out + o, 5, "\\%03u", c);
		}
		out[o++] = '.';
	}
	out[o] = '\0';
	return out;
}
