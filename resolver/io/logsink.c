/*
 * resolver/io/logsink.c - log lines with timestamps, as text or JSON.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * One fprintf() per line, so lines of the loop thread and of a reload
 * worker never interleave.  Times are UTC with milliseconds (RFC 3339),
 * which is what log collectors parse without configuration.
 */
#include "config.h"

#include "io/logsink.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "util/log.h"

static enum logsink_format logsink_fmt;

bool
logsink_parse_format(const char *name, enum logsink_format *out)
{
	if (strcmp(name, "text") == 0)
		*out = LOGSINK_TEXT;
	else if (strcmp(name, "json") == 0)
		*out = LOGSINK_JSON;
	else
		return false;
	return true;
}

static void
timestamp(char *out, size_t cap)
{
	struct timespec ts;
	struct tm tm;
	size_t n;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = strftime(out, cap, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + n, cap - n, ".%03ldZ", ts.tv_nsec / 1000000);
}

/* RFC 8259 §7: quote, backslash and control characters escaped. */
static void
json_string(const char *s, char *out, size_t cap)
{
	size_t o = 0;

	for (; *s != '\0' && o + 8 < cap; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			out[o++] = '\\';
			out[o++] = (char)c;
		} else if (c < 0x20) {
			o += (size_t)snprintf(out + o, cap - o, "\\u%04x", c);
		} else {
			out[o++] = (char)c;
		}
	}
	out[o] = '\0';
}

static void
sink(enum log_level level, const char *msg)
{
	char ts[40], esc[4096];

	timestamp(ts, sizeof(ts));
	if (logsink_fmt == LOGSINK_JSON) {
		json_string(msg, esc, sizeof(esc));
		fprintf(stderr,
			"{\"time\":\"%s\",\"level\":\"%s\",\"message\":\"%s\"}\n",
			ts, log_level_name(level), esc);
	} else {
		fprintf(stderr, "%s vpcdns[%s]: %s\n", ts,
			log_level_name(level), msg);
	}
}

void
logsink_install(enum logsink_format fmt)
{
	logsink_fmt = fmt;
	log_set_sink(sink);
}
