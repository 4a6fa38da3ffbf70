/*
 * resolver/util/strbuf.c - printf into a text buffer (see strbuf.h).
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * vsnprintf() measures first; a growing buffer reallocates to at least
 * twice its size, so appending n bytes in pieces costs O(n).
 */
#include "config.h"

#include "util/strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
strbuf_fixed(struct strbuf *b, char *buf, size_t cap)
{
	*b = (struct strbuf){.p = buf, .cap = cap, .fixed = true};
	buf[0] = '\0';
}

static bool
grow(struct strbuf *b, size_t need)
{
	size_t cap = b->cap == 0 ? 4096 : b->cap;
	char *p;

	while (cap < need)
		cap *= 2;
	if ((p = realloc(b->p, cap)) == NULL)
		return false;
	b->p = p;
	b->cap = cap;
	return true;
}

void
strbuf_printf(struct strbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->failed)
		return;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || (b->len + (size_t)n + 1 > b->cap &&
		      (b->fixed || !grow(b, b->len + (size_t)n + 1)))) {
		b->failed = true;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

char *
strbuf_take(struct strbuf *b)
{
	char *p = b->failed ? NULL : b->p;

	if (b->failed)
		free(b->p);
	*b = (struct strbuf){0};
	return p;
}

void
strbuf_free(struct strbuf *b)
{
	if (!b->fixed)
		free(b->p);
	*b = (struct strbuf){0};
}
